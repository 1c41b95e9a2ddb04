// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-users.c - who uses the page files of a hugetlbfs mount: the lines of
 * /proc/locks, the lease that asks the kernel whether anything else has a
 * file open, the fast path against the full scan over fixture trees, and
 * the verdicts hpdiag.snapshot records for a replay.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "lib/lease.h"
#include "lib/pathnames.h"
#include "testutil.h"

static int parse(const char *line, struct lock_entry *e)
{
	return locks_parse_line(line, strlen(line), e);
}

START_TEST(locks_lines)
{
	struct lock_entry e;

	/* As this kernel prints them (fs/locks.c, lock_get_status()). */
	ck_assert_int_eq(parse("1: FLOCK  ADVISORY  WRITE 13453 fe:00:10954270 0 EOF", &e), 0);
	ck_assert_uint_eq(e.major, 0xfe);
	ck_assert_uint_eq(e.minor, 0);
	ck_assert_uint_eq(e.ino, 10954270);
	ck_assert_int_eq(e.pid, 13453);
	ck_assert(!e.blocked);
	/* DPDK's shared lock on a page file (seen with dpdk-test here). */
	ck_assert_int_eq(parse("8: FLOCK  ADVISORY  READ 23609 00:28:367567 0 EOF", &e), 0);
	ck_assert_uint_eq(e.minor, 0x28);
	ck_assert_uint_eq(e.ino, 367567);
	ck_assert_int_eq(parse("2: POSIX  ADVISORY  WRITE 812 08:01:1234 0 4095", &e), 0);
	ck_assert_uint_eq(e.major, 8);
	ck_assert_uint_eq(e.minor, 1);
	/* An OFD lock belongs to an open file, not a process. */
	ck_assert_int_eq(parse("3: OFDLCK ADVISORY  READ  -1 00:28:99 0 EOF", &e), 0);
	ck_assert_int_eq(e.pid, -1);
	ck_assert_int_eq(parse("4: LEASE  BREAKING  READ  77 00:28:5 0 EOF", &e), 0);
	ck_assert_int_eq(e.pid, 77);
	ck_assert_int_eq(parse("4: LEASE  ACTIVE    WRITE 77 00:28:5 0 EOF", &e), 0);
	/* A request waiting for the lock above it: its process has the file
	 * open too. */
	ck_assert_int_eq(parse("1: -> FLOCK  ADVISORY  WRITE 3333 00:28:100 0 EOF", &e), 0);
	ck_assert(e.blocked);
	ck_assert_int_eq(e.pid, 3333);
	ck_assert_uint_eq(e.ino, 100);
	/* The process that took it is gone: 0. */
	ck_assert_int_eq(parse("5: FLOCK  ADVISORY  WRITE 0 00:28:7 0 EOF", &e), 0);
	ck_assert_int_eq(e.pid, 0);
	ck_assert_int_eq(parse("6: FLOCK  ADVISORY  WRITE 12 <none>:0 0 EOF", &e), -ENOENT);
	ck_assert_int_eq(parse("", &e), -EINVAL);
	ck_assert_int_eq(parse("hello", &e), -EINVAL);
	ck_assert_int_eq(parse("1: FLOCK", &e), -EINVAL);
	ck_assert_int_eq(parse("x: FLOCK  ADVISORY  WRITE 1 00:28:5 0 EOF", &e), -EINVAL);
	ck_assert_int_eq(parse("1: FLOCK  ADVISORY  WRITE abc 00:28:5 0 EOF", &e), -EINVAL);
	ck_assert_int_eq(parse("1: FLOCK  ADVISORY  WRITE 1 00:28:x 0 EOF", &e), -EINVAL);
	ck_assert_int_eq(parse("1: FLOCK  ADVISORY  WRITE 1 00:28:", &e), -EINVAL);
	ck_assert_int_eq(parse("1: FLOCK  ADVISORY  WRITE -2 00:28:5 0 EOF", &e), -EINVAL);
	ck_assert_int_eq(parse("1: FLOCK  ADVISORY  WRITE 1 00:28:99999999999999999999999 0 EOF",
			       &e), -EINVAL);
}
END_TEST

static int live_line(const char *line, size_t len, void *ctx)
{
	struct lock_entry e;
	int rc = locks_parse_line(line, len, &e);

	ck_assert_msg(rc == 0 || rc == -ENOENT, "/proc/locks line '%.*s' not parsed",
		      (int)len, line);
	(*(int *)ctx)++;
	return 0;
}

/* Every line of this kernel's /proc/locks parses: one lock is ours. */
START_TEST(locks_live)
{
	struct sysroot sr;
	char tmpl[] = "/tmp/hpdiag-locks-XXXXXX";
	int fd = mkstemp(tmpl), n = 0;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(lockf(fd, F_LOCK, 0), 0);
	ck_assert_int_eq(sysroot_init(&sr, NULL), 0);
	if (sysroot_lines(&sr, PATH_LOCKS, live_line, &n) == -ENOENT)
		n = -1;	/* a kernel without file locking */
	sysroot_release(&sr);
	close(fd);
	unlink(tmpl);
	ck_assert_int_ne(n, 0);
}
END_TEST

static int leases_enabled(void)
{
	FILE *f = fopen("/proc/sys/fs/leases-enable", "r");
	int v = 1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 1;
		fclose(f);
	}
	return v;
}

/* The lease sees every other open file of the inode: a read-only
 * descriptor, a read-write one, a mapping whose descriptor was closed. */
START_TEST(lease_sees_openers)
{
	struct sysroot sr, tree;
	char tmpl[] = "/tmp/hpdiag-lease-XXXXXX";
	int fd = mkstemp(tmpl), other;
	struct stat st;
	void *map;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, 4096), 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(sysroot_init(&sr, NULL), 0);
	if (!leases_enabled()) {
		/* fs.leases-enable=0: the kernel cannot be asked. */
		close(fd);
		ck_assert_int_lt(file_open_elsewhere(&sr, tmpl, st.st_dev, st.st_ino), 0);
		goto out;
	}
	/* hpdiag's own other descriptor is another open file. */
	ck_assert_int_eq(file_open_elsewhere(&sr, tmpl, st.st_dev, st.st_ino), 1);
	close(fd);
	ck_assert_int_eq(file_open_elsewhere(&sr, tmpl, st.st_dev, st.st_ino), 0);
	ck_assert_int_eq(file_open_elsewhere(&sr, tmpl, 0, 0), 0);
	other = open(tmpl, O_RDONLY);
	ck_assert_int_ge(other, 0);
	ck_assert_int_eq(file_open_elsewhere(&sr, tmpl, st.st_dev, st.st_ino), 1);
	close(other);
	other = open(tmpl, O_RDWR);
	map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, other, 0);
	ck_assert_ptr_ne(map, MAP_FAILED);
	close(other);
	ck_assert_int_eq(file_open_elsewhere(&sr, tmpl, st.st_dev, st.st_ino), 1);
	munmap(map, 4096);
	ck_assert_int_eq(file_open_elsewhere(&sr, tmpl, st.st_dev, st.st_ino), 0);
	/* Another file at that path now: not the file that was listed. */
	ck_assert_int_eq(file_open_elsewhere(&sr, tmpl, st.st_dev, st.st_ino + 1), -ESTALE);
	ck_assert_int_eq(file_open_elsewhere(&sr, "/nonexistent/hpdiag", 0, 0), -ENOENT);
	/* A captured tree has no kernel to ask. */
	ck_assert_int_eq(sysroot_init(&tree, FIXTURES "/seed-000"), 0);
	ck_assert_int_eq(file_open_elsewhere(&tree, "/proc/meminfo", 0, 0), -EOPNOTSUPP);
	sysroot_release(&tree);
out:
	sysroot_release(&sr);
	unlink(tmpl);
}
END_TEST

/* The tree at DIR probed without the users, then the users found by HOW;
 * USED gets each file's in_use, in the mount's (sorted) order. */
static void find_users(const char *dir, enum users_method how, bool set_ids,
		       bool *used, pid_t *user, size_t *n)
{
	struct sysroot sr;
	struct probe p = { .sr = &sr };
	struct snapshot snap;
	struct mount *m;

	ck_assert_int_eq(sysroot_init(&sr, dir), 0);
	ck_assert_int_eq(probe_snapshot(&p, PROBE_POOLS | PROBE_MOUNTS | PROBE_LIMITS,
					0, &snap), 0);
	ck_assert(!snap.procs_scanned);
	ck_assert_uint_eq(snap.nr_mounts, 1);
	m = &snap.mounts[0];
	/* A captured tree knows no inode numbers; give each file its own,
	 * 1 + the number in its name, on device 0:0x28, as the live walk
	 * would. */
	for (size_t i = 0; set_ids && i < m->nr_files; i++) {
		m->files[i].dev = makedev(0, 0x28);
		m->files[i].ino = 1 + strtoull(strrchr(m->files[i].path, '_') + 1, NULL, 10);
	}
	ck_assert_int_eq(mount_users_find(&p, &snap, how), 0);
	ck_assert(snap.procs_scanned);
	*n = m->nr_files;
	for (size_t i = 0; i < m->nr_files; i++) {
		used[i] = m->files[i].in_use;
		user[i] = m->files[i].user;
	}
	snapshot_free(&snap);
	sysroot_release(&sr);
}

/* rtemap_0, _1, _100, _101, _3061 in seed-000: 4242 maps _100, 4243 holds
 * _101 open; added here, 4244 holds _1 open and maps nothing, 4245 maps
 * the unlinked _0 (another file, not the one listed). */
static char *users_tree(void)
{
	char *dir = copy_fixture("seed-000");

	write_file(dir, "proc/4244/maps",
		   "55d0c0a00000-55d0c0a21000 r--p 00000000 08:01 131 /usr/bin/sleep\n");
	write_file(dir, "proc/4244/fd/0", "/dev/null");
	write_file(dir, "proc/4244/fd/3", "/dev/hugepages/rtemap_1");
	write_file(dir, "proc/4245/maps",
		   "7f0000000000-7f0000200000 rw-s 00000000 00:28 1 "
		   "/dev/hugepages/rtemap_0 (deleted)\n");
	return dir;
}

START_TEST(fast_path_agrees_with_full_scan)
{
	bool fast[8], procs[8], full[8];
	pid_t ufast[8], uprocs[8], ufull[8];
	size_t nf, np, nu;
	char *dir = users_tree();

	find_users(dir, USERS_FAST, false, fast, ufast, &nf);
	find_users(dir, USERS_PROCS, false, procs, uprocs, &np);
	find_users(dir, USERS_FULL, false, full, ufull, &nu);
	ck_assert_uint_eq(nf, 5);
	ck_assert_uint_eq(np, 5);
	ck_assert_uint_eq(nu, 5);
	for (size_t i = 0; i < nf; i++) {
		ck_assert_int_eq(fast[i], full[i]);
		ck_assert_int_eq(procs[i], full[i]);
		ck_assert_int_eq(ufast[i], ufull[i]);
	}
	/* Sorted: rtemap_0, _1, _100, _101, _3061. */
	ck_assert(!full[0]);
	ck_assert(full[1] && ufull[1] == 4244);
	ck_assert(full[2] && ufull[2] == 4242);
	ck_assert(full[3] && ufull[3] == 4243);
	ck_assert(!full[4]);

	/* With /proc/locks: the lock on _101 answers for it (the process
	 * that took it is its user); the other lock is on another file. */
	write_file(dir, "proc/locks",
		   "1: FLOCK  ADVISORY  READ  4243 00:28:102 0 EOF\n"
		   "2: POSIX  ADVISORY  WRITE 99 fe:01:5 0 EOF\n"
		   "3: FLOCK  ADVISORY  WRITE 12 <none>:0 0 EOF\n"
		   "not a lock line\n");
	find_users(dir, USERS_FAST, true, fast, ufast, &nf);
	for (size_t i = 0; i < nf; i++) {
		ck_assert_int_eq(fast[i], full[i]);
		ck_assert_int_eq(ufast[i], ufull[i]);
	}
	/* A lock is a holder whatever holds it: a file locked by a process
	 * the tree does not have (or by no process: an OFD lock, a file in
	 * flight between processes) is in use on the fast path, where the
	 * full scan, which only knows the processes, calls it stale. */
	write_file(dir, "proc/locks", "1: OFDLCK ADVISORY  READ  -1 00:28:3062 0 EOF\n");
	find_users(dir, USERS_FAST, true, fast, ufast, &nf);
	ck_assert(fast[4]);
	ck_assert_int_eq(ufast[4], 0);
	find_users(dir, USERS_FULL, true, full, ufull, &nu);
	ck_assert(!full[4]);
	/* Without inode numbers (a replay of an older snapshot) the locks
	 * name no file: the processes answer, as in the full scan. */
	find_users(dir, USERS_FAST, false, fast, ufast, &nf);
	ck_assert(!fast[4]);
	remove_tree(dir);
	free(dir);
}
END_TEST

/* A snapshot records each file's verdict; a replay takes it as it is. */
START_TEST(recorded_verdicts)
{
	bool used[8];
	pid_t user[8];
	size_t n;
	struct snapshot snap;
	char *dir = users_tree(), err[1024], path[4096], *text;
	FILE *f;
	long len;
	int fd;

	write_file(dir, "hpdiag.snapshot",
		   "format 1\n"
		   "page_size 4096\n"
		   "mount /dev/hugepages writable=1 uid=0 gid=0 mode=755\n"
		   "file /dev/hugepages /dev/hugepages/rtemap_0 size=2097152 pages=1 in_use=1\n"
		   "file /dev/hugepages /dev/hugepages/rtemap_1 size=2097152 pages=1 in_use=0\n"
		   "file /dev/hugepages /dev/hugepages/rtemap_3061 size=0 pages=0 in_use=0\n"
		   "file /dev/hugepages /dev/hugepages/rtemap_100 size=2097152 pages=1 in_use=0\n"
		   "file /dev/hugepages /dev/hugepages/rtemap_101 size=2097152 pages=1\n");
	/* Recorded: _0, _1, _100 as written (whatever the tree's processes
	 * say); _101 has no verdict and is looked for in the tree. */
	find_users(dir, USERS_FAST, false, used, user, &n);
	ck_assert_uint_eq(n, 5);
	ck_assert(used[0] && !used[1] && !used[2] && used[3] && !used[4]);
	ck_assert_int_eq(user[3], 4243);
	/* The full scan asks the tree's processes only. */
	find_users(dir, USERS_FULL, false, used, user, &n);
	ck_assert(!used[0] && used[1] && used[2] && used[3] && !used[4]);

	/* What a snapshot writes: the verdict of every file. */
	ck_assert_int_eq(load_fixture(dir, PROBE_ALL, &snap, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/out", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	fd = open(path, O_RDONLY | O_DIRECTORY);
	ck_assert_int_eq(meta_write(fd, &snap), 0);
	close(fd);
	snapshot_free(&snap);
	snprintf(path, sizeof(path), "%s/out/hpdiag.snapshot", dir);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)len + 1);
	ck_assert_uint_eq(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(text, "/dev/hugepages/rtemap_0 size=2097152 pages=1 in_use=1\n"));
	ck_assert_ptr_nonnull(strstr(text, "/dev/hugepages/rtemap_101 size=2097152 pages=1 in_use=1\n"));
	ck_assert_ptr_nonnull(strstr(text, "/dev/hugepages/rtemap_100 size=2097152 pages=1 in_use=0\n"));
	free(text);

	/* A verdict that is neither 0 nor 1 is an error naming the file. */
	write_file(dir, "hpdiag.snapshot",
		   "format 1\n"
		   "mount /dev/hugepages writable=1 uid=0 gid=0 mode=755\n"
		   "file /dev/hugepages /dev/hugepages/rtemap_0 size=0 pages=0 in_use=2\n");
	ck_assert_int_lt(load_fixture(dir, PROBE_ALL, &snap, err, sizeof(err)), 0);
	snapshot_free(&snap);
	ck_assert_ptr_nonnull(strstr(err, "hpdiag.snapshot: line 3"));
	remove_tree(dir);
	free(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("users");
	TCase *tc = tcase_create("users");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, locks_lines);
	tcase_add_test(tc, locks_live);
	tcase_add_test(tc, lease_sees_openers);
	tcase_add_test(tc, fast_path_agrees_with_full_scan);
	tcase_add_test(tc, recorded_verdicts);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
