// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-fix.c - the fix plan from fixture snapshots (which finding becomes
 * which write, to which value), the sysctl.d editor, and fix_apply() on
 * writable copies of fixture trees: values written and read back, the
 * persist file created and updated in place, a symlink refused before any
 * write, and a failing second write putting the first back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>

#include "act/plan.h"
#include "testutil.h"

#define MiB (1ULL << 20)

struct fixture_plan {
	struct snapshot snap;
	struct findings fs;
	struct need need;
	struct fix_plan plan;
};

static void plan_for(const char *name, const struct workload *wl,
		     const struct fix_opts *o, struct fixture_plan *fp)
{
	diagnose_fixture(name, wl, &fp->snap, &fp->need, &fp->fs);
	ck_assert_int_eq(fix_plan(&fp->snap, &fp->need, &fp->fs, o, &fp->plan), 0);
}

static void plan_done(struct fixture_plan *fp)
{
	fix_plan_free(&fp->plan);
	done_fixture(&fp->snap, &fp->fs);
}

static const struct fix_step *step_of(const struct fix_plan *p, enum fix_kind k)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].kind == k)
			return &p->v[i];
	return NULL;
}

static size_t count_of(const struct fix_plan *p, enum fix_kind k)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += p->v[i].kind == k;
	return n;
}

static const struct fix_manual *manual_of(const struct fix_plan *p, const char *check)
{
	for (size_t i = 0; i < p->nr_manual; i++)
		if (!strcmp(check_name(p->manual[i].check), check))
			return &p->manual[i];
	return NULL;
}

static uint64_t read_num(const char *dir, const char *file)
{
	char path[4096];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", dir, file);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s", path);
	ck_assert_int_eq(fscanf(f, "%llu", &v), 1);
	fclose(f);
	return v;
}

static char *slurp(const char *dir, const char *file)
{
	char path[4096], *buf = calloc(1, 65536);
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", dir, file);
	f = fopen(path, "r");
	if (!f) {
		free(buf);
		return NULL;
	}
	ck_assert(fread(buf, 1, 65535, f) < 65535);
	fclose(f);
	return buf;
}

/* Seed 000: legacy 16.04 maps the whole pool twice; max_map_count is 3096. */
START_TEST(seed000_raises_max_map_count)
{
	struct workload wl = { .pages = 3100, .have_pages = true,
			       .mode = MODE_LEGACY, .dpdk_version = 1604 };
	struct fix_opts o = { 0 };
	struct fixture_plan fp;
	const struct fix_step *s;

	plan_for("seed-000", &wl, &o, &fp);
	s = step_of(&fp.plan, FIX_SYSCTL);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->setting, "vm.max_map_count");
	ck_assert_str_eq(s->path, "/proc/sys/vm/max_map_count");
	ck_assert_uint_eq(s->from, 3096);
	ck_assert_uint_ge(s->to, fp.need.vmas);
	ck_assert_uint_eq(s->to, suggest_max_map_count(fp.need.vmas));
	ck_assert_str_eq(check_name(s->check), "map_count");
	/* The pool has enough; nothing else is written; no persist unasked. */
	ck_assert_uint_eq(fp.plan.n, 1);
	/* Stale files are only named without --clean-stale. */
	ck_assert_ptr_nonnull(manual_of(&fp.plan, "stale_hugepage_files"));
	plan_done(&fp);
}
END_TEST

START_TEST(never_lowers)
{
	/* A workload that fits: nothing to raise, so nothing planned. */
	struct workload wl = { .mem_bytes = 64 * MiB, .have_mem = true };
	struct fix_opts o = { 0 };
	struct fixture_plan fp;

	plan_for("this-host", &wl, &o, &fp);
	ck_assert_ptr_null(step_of(&fp.plan, FIX_SYSCTL));
	ck_assert_ptr_null(step_of(&fp.plan, FIX_POOL));
	plan_done(&fp);
}
END_TEST

START_TEST(pool_growth_global)
{
	/* this-host: 64 pages of 2 MiB, all free; 4 GiB needs 2048. */
	struct workload wl = { .mem_bytes = 4096 * MiB, .have_mem = true };
	struct fix_opts o = { 0 };
	struct fixture_plan fp;
	const struct fix_step *s;

	plan_for("this-host", &wl, &o, &fp);
	s = step_of(&fp.plan, FIX_POOL);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->setting, "hugepages-2048kB/nr_hugepages");
	ck_assert_str_eq(s->path, "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages");
	ck_assert_uint_eq(s->from, 64);
	ck_assert_uint_eq(s->to, 2048);
	ck_assert_ptr_null(step_of(&fp.plan, FIX_OVERCOMMIT));
	/* Fragmented memory: the plan says how to get the pages anyway. */
	ck_assert_ptr_nonnull(manual_of(&fp.plan, "pool_fragmentation"));
	plan_done(&fp);
}
END_TEST

START_TEST(pool_growth_per_node)
{
	/* two-node: node 1 has 24 free pages; 1024 are asked for there. */
	struct workload wl = { .nr_socket_mem = 2, .socket_mem = { 2048, 2048 } };
	struct fix_opts o = { 0 };
	struct fixture_plan fp;
	const struct fix_step *s;

	plan_for("two-node", &wl, &o, &fp);
	ck_assert_uint_eq(count_of(&fp.plan, FIX_NODE_POOL), 1);
	s = step_of(&fp.plan, FIX_NODE_POOL);
	ck_assert_uint_eq(s->node, 1);
	ck_assert_str_eq(s->path, "/sys/devices/system/node/node1/hugepages/"
			 "hugepages-2048kB/nr_hugepages");
	ck_assert_uint_eq(s->from, 1024);
	ck_assert_uint_eq(s->to, 2024);
	/* The node's growth covers the total: no global write. */
	ck_assert_ptr_null(step_of(&fp.plan, FIX_POOL));
	ck_assert_ptr_null(manual_of(&fp.plan, "pool"));
	/* Across reboots: every node listed, or the others get none. */
	ck_assert_uint_eq(fp.plan.nr_boot, 1);
	ck_assert_str_eq(fp.plan.boot[0], "kernel command line: hugepagesz=2M "
			 "hugepages=0:1024,1:2024");
	/* rlimits are printed, never written. */
	ck_assert_ptr_nonnull(manual_of(&fp.plan, "nofile"));
	ck_assert_uint_eq(manual_of(&fp.plan, "nofile")->nr_lines, 3);
	/* The soft limit is short, the hard one (1048576) is not: raise the
	 * soft limit only, never lower the hard one. */
	ck_assert_str_eq(manual_of(&fp.plan, "nofile")->lines[0], "shell: ulimit -Sn 2491");
	ck_assert_ptr_nonnull(strstr(manual_of(&fp.plan, "nofile")->lines[1],
				     "LimitNOFILE=2491:1048576"));
	plan_done(&fp);
}
END_TEST

START_TEST(overcommit_only_when_asked)
{
	struct workload wl = { .mem_bytes = 64 * MiB, .have_mem = true };
	struct fix_opts o = { .have_overcommit = true, .overcommit = 16 };
	struct fixture_plan fp;
	const struct fix_step *s;

	plan_for("this-host", &wl, &o, &fp);
	s = step_of(&fp.plan, FIX_OVERCOMMIT);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->from, 0);
	ck_assert_uint_eq(s->to, 16);
	ck_assert_str_eq(s->path, "/sys/kernel/mm/hugepages/hugepages-2048kB/"
			 "nr_overcommit_hugepages");
	plan_done(&fp);
}
END_TEST

START_TEST(starving_growth_refused)
{
	/* More than 90% of this-host's RAM in hugepages: not planned. */
	struct workload wl = { .have_mem = true };
	struct fix_opts o = { 0 };
	struct fixture_plan fp;
	const struct fix_manual *m;

	uint64_t total;

	diagnose_fixture("this-host", &wl, &fp.snap, &fp.need, &fp.fs);
	total = fp.snap.mem.mem_total;
	done_fixture(&fp.snap, &fp.fs);
	ck_assert_uint_gt(total, 0);
	wl.mem_bytes = total / 100 * 95;
	plan_for("this-host", &wl, &o, &fp);
	ck_assert_ptr_null(step_of(&fp.plan, FIX_POOL));
	m = manual_of(&fp.plan, "pool");
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(strstr(m->why, "to the kernel"));
	plan_done(&fp);
}
END_TEST

START_TEST(mount_planned_at_huge_dir)
{
	struct workload wl = { .mem_bytes = 64 * MiB, .have_mem = true,
			       .huge_dir = "/mnt/huge" };
	struct fix_opts o = { 0 };
	struct fixture_plan fp;
	const struct fix_step *s;

	plan_for("this-host", &wl, &o, &fp);
	s = step_of(&fp.plan, FIX_MOUNT);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->path, "/mnt/huge");
	ck_assert_uint_eq(s->page_size, 2 * MiB);
	ck_assert_str_eq(fp.plan.boot[0], "/etc/fstab: nodev /mnt/huge hugetlbfs "
			 "pagesize=2M 0 0");
	plan_done(&fp);
}
END_TEST

START_TEST(clean_stale_lists_unused_files)
{
	struct workload wl = { .mem_bytes = 64 * MiB, .have_mem = true };
	struct fix_opts o = { .clean_stale = true };
	struct fixture_plan fp;

	plan_for("seed-000", &wl, &o, &fp);
	/* rtemap_0, _1 and _3061 are stale; _100 and _101 are in use. */
	ck_assert_uint_eq(count_of(&fp.plan, FIX_REMOVE), 3);
	for (size_t i = 0; i < fp.plan.n; i++) {
		const struct fix_step *s = &fp.plan.v[i];

		if (s->kind == FIX_REMOVE)
			ck_assert_ptr_null(strstr(s->path, "rtemap_10"));
	}
	ck_assert_ptr_null(manual_of(&fp.plan, "stale_hugepage_files"));
	plan_done(&fp);
}
END_TEST

START_TEST(persist_text)
{
	const char *keys[] = { "vm.max_map_count", "vm.nr_hugepages", "kernel.shmmax" };
	uint64_t vals[] = { 65530, 32, 4096 };
	bool never[] = { true, false, true };
	const char *old = "# mine\nvm.swappiness = 10\n-vm/max_map_count=262144\n"
			  "vm.nr_hugepages = 8\n; also mine\nvm.nr_hugepages=9";
	char *t;

	t = fix_persist_text(NULL, 0, keys, vals, never, 1);
	ck_assert_ptr_nonnull(strstr(t, "# Written by hpdiag"));
	ck_assert_ptr_nonnull(strstr(t, "\nvm.max_map_count = 65530\n"));
	free(t);
	t = fix_persist_text(old, strlen(old), keys, vals, never, 3);
	/* Other lines kept; a larger max_map_count kept; the pool replaced
	 * in place (both times); a missing key appended. */
	ck_assert_str_eq(t, "# mine\nvm.swappiness = 10\n-vm/max_map_count=262144\n"
			 "vm.nr_hugepages = 32\n; also mine\nvm.nr_hugepages = 32\n"
			 "kernel.shmmax = 4096\n");
	free(t);
}
END_TEST

static void open_root(struct sysroot *sr, const char *dir)
{
	ck_assert_int_eq(sysroot_init(sr, dir), 0);
}

START_TEST(apply_and_persist_in_tree)
{
	struct workload wl = { .pages = 3100, .have_pages = true,
			       .mode = MODE_LEGACY, .dpdk_version = 1604 };
	struct fix_opts o = { .apply = true, .persist = true };
	char *dir = copy_fixture("seed-000"), err[256] = "", *text;
	struct fixture_plan fp;
	struct sysroot sr;

	write_file(dir, "etc/sysctl.d/60-hpdiag.conf", "# theirs\nkernel.pid_max = 99999\n"
		   "vm.max_map_count = 4000\n");
	plan_for(dir, &wl, &o, &fp);
	ck_assert_uint_eq(fp.plan.n, 2);
	ck_assert_int_eq(fp.plan.v[1].kind, FIX_PERSIST);
	open_root(&sr, dir);
	ck_assert_int_eq(fix_preflight(&sr, &fp.plan, err, sizeof(err)), 0);
	ck_assert_int_eq(fix_apply(&sr, &o, &fp.plan), 0);
	ck_assert_int_eq(fp.plan.v[0].status, FS_VERIFIED);
	ck_assert_int_eq(fp.plan.v[1].status, FS_VERIFIED);
	ck_assert_uint_eq(read_num(dir, "/proc/sys/vm/max_map_count"),
			  fp.plan.v[0].to);
	text = slurp(dir, "/etc/sysctl.d/60-hpdiag.conf");
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(text, "# theirs\nkernel.pid_max = 99999\n"));
	ck_assert_ptr_nonnull(strstr(text, "vm.max_map_count = 65530\n"));
	ck_assert_ptr_null(strstr(text, "4000"));
	free(text);
	sysroot_release(&sr);
	plan_done(&fp);
	/* Idempotent: the host as it is now needs nothing. */
	plan_for(dir, &wl, &o, &fp);
	ck_assert_uint_eq(fp.plan.n, 0);
	plan_done(&fp);
	remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(persist_symlink_refused)
{
	struct workload wl = { .pages = 3100, .have_pages = true,
			       .mode = MODE_LEGACY, .dpdk_version = 1604 };
	struct fix_opts o = { .apply = true, .persist = true };
	char *dir = copy_fixture("seed-000"), err[256] = "", link[4096], *text;
	struct fixture_plan fp;
	struct sysroot sr;

	write_file(dir, "etc/target.conf", "precious\n");
	snprintf(link, sizeof(link), "%s/etc/sysctl.d", dir);
	ck_assert_int_eq(mkdir(link, 0755), 0);
	snprintf(link, sizeof(link), "%s/etc/sysctl.d/60-hpdiag.conf", dir);
	ck_assert_int_eq(symlink("../target.conf", link), 0);
	plan_for(dir, &wl, &o, &fp);
	open_root(&sr, dir);
	ck_assert_int_eq(fix_preflight(&sr, &fp.plan, err, sizeof(err)), 1);
	ck_assert_ptr_nonnull(strstr(err, "60-hpdiag.conf: is a symbolic link"));
	ck_assert(fp.plan.refused);
	/* Refused before any write: max_map_count is untouched. */
	ck_assert_uint_eq(read_num(dir, "/proc/sys/vm/max_map_count"), 3096);
	text = slurp(dir, "/etc/target.conf");
	ck_assert_str_eq(text, "precious\n");
	free(text);
	sysroot_release(&sr);
	plan_done(&fp);
	remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(mount_in_tree)
{
	struct workload wl = { .mem_bytes = 64 * MiB, .have_mem = true,
			       .huge_dir = "/mnt/huge" };
	struct fix_opts o = { .apply = true };
	char *dir = copy_fixture("this-host"), err[256] = "", path[4096];
	struct fixture_plan fp;
	struct sysroot sr;
	struct stat st;

	write_file(dir, "mnt/.keep", "");
	snprintf(path, sizeof(path), "%s/mnt/.keep", dir);
	unlink(path);
	plan_for(dir, &wl, &o, &fp);
	open_root(&sr, dir);
	ck_assert_int_eq(fix_preflight(&sr, &fp.plan, err, sizeof(err)), 0);
	ck_assert_int_eq(fix_apply(&sr, &o, &fp.plan), 0);
	snprintf(path, sizeof(path), "%s/mnt/huge", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	sysroot_release(&sr);
	plan_done(&fp);
	/* The tree's mountinfo has it: the mount check passes now. */
	plan_for(dir, &wl, &o, &fp);
	ck_assert_ptr_null(step_of(&fp.plan, FIX_MOUNT));
	ck_assert_int_eq(status_of(&fp.fs, "mount"), HP_PASS);
	plan_done(&fp);
	remove_tree(dir);
	free(dir);
}
END_TEST

/* A target the pre-flight check cannot see fail: append-only (chattr +a). */
static int make_append_only(const char *path)
{
	int fd = open(path, O_RDONLY), flags = 0, rc = -1;

	if (fd < 0)
		return -1;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0) {
		flags |= FS_APPEND_FL;
		rc = ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
	close(fd);
	return rc;
}

static void clear_append_only(const char *path)
{
	int fd = open(path, O_RDONLY), flags = 0;

	if (fd < 0)
		return;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0) {
		flags &= ~FS_APPEND_FL;
		ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
	close(fd);
}

START_TEST(rollback_when_second_write_fails)
{
	/* Three writes: max_map_count, nr_overcommit_hugepages, nr_hugepages. */
	struct workload wl = { .mem_bytes = 4096 * MiB, .have_mem = true,
			       .baseline_vmas = 70000, .have_baseline_vmas = true };
	struct fix_opts o = { .apply = true, .have_overcommit = true, .overcommit = 8 };
	char *dir = copy_fixture("this-host"), err[256] = "", target[4096];
	const char *ovc = "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_overcommit_hugepages";
	struct fixture_plan fp;
	struct sysroot sr;

	plan_for(dir, &wl, &o, &fp);
	ck_assert_uint_eq(fp.plan.n, 3);
	ck_assert_int_eq(fp.plan.v[0].kind, FIX_SYSCTL);
	ck_assert_int_eq(fp.plan.v[1].kind, FIX_OVERCOMMIT);
	ck_assert_int_eq(fp.plan.v[2].kind, FIX_POOL);
	snprintf(target, sizeof(target), "%s%s", dir, ovc);
	if (make_append_only(target) < 0) {
		/* Needs CAP_LINUX_IMMUTABLE and a file system with the flag. */
		plan_done(&fp);
		remove_tree(dir);
		free(dir);
		fprintf(stderr, "rollback_when_second_write_fails: skipped, "
			"cannot make a file append-only here: %s\n", strerror(errno));
		return;
	}
	open_root(&sr, dir);
	ck_assert_int_eq(fix_preflight(&sr, &fp.plan, err, sizeof(err)), 0);
	ck_assert_int_ne(fix_apply(&sr, &o, &fp.plan), 0);
	clear_append_only(target);
	ck_assert(fp.plan.rolled_back);
	ck_assert_int_eq(fp.plan.v[0].status, FS_REVERTED);
	ck_assert_int_eq(fp.plan.v[1].status, FS_FAILED);
	ck_assert_ptr_nonnull(strstr(fp.plan.v[1].error, "nr_overcommit_hugepages"));
	/* Its write changed nothing: nothing of it to put back. */
	ck_assert_ptr_null(strstr(fp.plan.v[1].error, "put back"));
	ck_assert(!fp.plan.rollback_failed);
	ck_assert_int_eq(fp.plan.v[2].status, FS_UNCHANGED);
	/* Every value as before. */
	ck_assert_uint_eq(read_num(dir, "/proc/sys/vm/max_map_count"), 65530);
	ck_assert_uint_eq(read_num(dir, ovc), 0);
	ck_assert_uint_eq(read_num(dir, "/sys/kernel/mm/hugepages/hugepages-2048kB/"
				   "nr_hugepages"), 64);
	sysroot_release(&sr);
	plan_done(&fp);
	remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(clean_stale_in_tree_frees_pages)
{
	/* seed-000: 4093 free; the 2 pages of stale files make 4095. */
	struct workload wl = { .pages = 4095, .have_pages = true };
	struct fix_opts o = { .apply = true, .clean_stale = true };
	char *dir = copy_fixture("seed-000"), err[256] = "";
	struct fixture_plan fp;
	struct sysroot sr;

	plan_for(dir, &wl, &o, &fp);
	ck_assert_ptr_null(step_of(&fp.plan, FIX_POOL));
	ck_assert_uint_eq(count_of(&fp.plan, FIX_REMOVE), 3);
	open_root(&sr, dir);
	ck_assert_int_eq(fix_preflight(&sr, &fp.plan, err, sizeof(err)), 0);
	ck_assert_int_eq(fix_apply(&sr, &o, &fp.plan), 0);
	ck_assert_uint_eq(read_num(dir, "/sys/kernel/mm/hugepages/hugepages-2048kB/"
				   "free_hugepages"), 4095);
	sysroot_release(&sr);
	plan_done(&fp);
	plan_for(dir, &wl, &o, &fp);
	ck_assert_int_eq(status_of(&fp.fs, "pool"), HP_PASS);
	ck_assert_uint_eq(count_of(&fp.plan, FIX_REMOVE), 0);
	plan_done(&fp);
	remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(node_pool_in_tree_keeps_counts)
{
	struct workload wl = { .nr_socket_mem = 2, .socket_mem = { 2048, 2048 } };
	struct fix_opts o = { .apply = true };
	char *dir = copy_fixture("two-node"), err[256] = "";
	const char *hp = "/sys/kernel/mm/hugepages/hugepages-2048kB/";
	const char *n1 = "/sys/devices/system/node/node1/hugepages/hugepages-2048kB/";
	struct fixture_plan fp;
	struct sysroot sr;
	char path[512];

	plan_for(dir, &wl, &o, &fp);
	open_root(&sr, dir);
	ck_assert_int_eq(fix_preflight(&sr, &fp.plan, err, sizeof(err)), 0);
	ck_assert_int_eq(fix_apply(&sr, &o, &fp.plan), 0);
	snprintf(path, sizeof(path), "%snr_hugepages", n1);
	ck_assert_uint_eq(read_num(dir, path), 2024);
	snprintf(path, sizeof(path), "%sfree_hugepages", n1);
	ck_assert_uint_eq(read_num(dir, path), 1024);
	snprintf(path, sizeof(path), "%snr_hugepages", hp);
	ck_assert_uint_eq(read_num(dir, path), 3048);
	sysroot_release(&sr);
	plan_done(&fp);
	plan_for(dir, &wl, &o, &fp);
	ck_assert_int_eq(status_of(&fp.fs, "node_pool"), HP_PASS);
	ck_assert_uint_eq(count_of(&fp.plan, FIX_NODE_POOL), 0);
	plan_done(&fp);
	remove_tree(dir);
	free(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fix");
	TCase *tc = tcase_create("fix");

	tcase_add_test(tc, seed000_raises_max_map_count);
	tcase_add_test(tc, never_lowers);
	tcase_add_test(tc, pool_growth_global);
	tcase_add_test(tc, pool_growth_per_node);
	tcase_add_test(tc, overcommit_only_when_asked);
	tcase_add_test(tc, starving_growth_refused);
	tcase_add_test(tc, mount_planned_at_huge_dir);
	tcase_add_test(tc, clean_stale_lists_unused_files);
	tcase_add_test(tc, persist_text);
	tcase_add_test(tc, apply_and_persist_in_tree);
	tcase_add_test(tc, persist_symlink_refused);
	tcase_add_test(tc, mount_in_tree);
	tcase_add_test(tc, rollback_when_second_write_fails);
	tcase_add_test(tc, node_pool_in_tree_keeps_counts);
	tcase_add_test(tc, clean_stale_in_tree_frees_pages);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
