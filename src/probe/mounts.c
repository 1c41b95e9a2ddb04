// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mounts.c - hugetlbfs mounts: the entries of /proc/PID/mountinfo (parsed by
 * libmount, which knows its escapes), their page size and quotas, and on the
 * live host their usage, owner and the files in them.  mount_users_scan()
 * (users.c) then finds which of those files a process maps or holds open;
 * the rest are stale pages nobody uses.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <libmount/libmount.h>

#include "lib/pathnames.h"
#include "lib/proc.h"
#include "probe/probe.h"

#define MAX_LISTED_FILES	65536
#define MAX_DEPTH		8

struct parse_err {
	int line;
};

static int mountinfo_errcb(struct libmnt_table *tb, const char *filename, int line)
{
	struct parse_err *pe = mnt_table_get_userdata(tb);

	(void)filename;
	if (pe && !pe->line)
		pe->line = line;
	return 1;	/* stop: a broken line is an error, not skipped */
}

/* The value of option NAME in OPTSTR, copied to BUF: -ENOENT when absent. */
static int opt_value(const char *optstr, const char *name, char *buf, size_t size)
{
	char *v = NULL;
	size_t len = 0;

	if (!optstr || mnt_optstr_get_option(optstr, name, &v, &len) != 0)
		return -ENOENT;
	if (!v || len == 0 || len >= size)
		return -EINVAL;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return 0;
}

static int opt_size(const char *optstr, const char *name, uint64_t *val)
{
	char buf[64];
	int rc = opt_value(optstr, name, buf, sizeof(buf));

	return rc < 0 ? rc : parse_size(buf, val);
}

static int opt_uint(const char *optstr, const char *name, int base, unsigned *val)
{
	char buf[32], *end;
	unsigned long n;
	int rc = opt_value(optstr, name, buf, sizeof(buf));

	if (rc < 0)
		return rc;
	errno = 0;
	n = strtoul(buf, &end, base);
	if (*end || errno || n > 0xffffffffUL)
		return -EINVAL;
	*val = (unsigned)n;
	return 0;
}

static int mount_add(struct probe *p, const char *path, struct snapshot *snap,
		     struct libmnt_fs *fs)
{
	const char *fsopts = mnt_fs_get_fs_options(fs);
	const char *vfsopts = mnt_fs_get_vfs_options(fs);
	struct mount *m, *nm;
	int rc;

	nm = realloc(snap->mounts, (snap->nr_mounts + 1) * sizeof(*nm));
	if (!nm)
		return -ENOMEM;
	snap->mounts = nm;
	m = &nm[snap->nr_mounts];
	memset(m, 0, sizeof(*m));
	m->path = strdup(mnt_fs_get_target(fs) ? mnt_fs_get_target(fs) : "");
	if (!m->path)
		return -ENOMEM;
	snap->nr_mounts++;
	m->writable = -1;
	m->mode = 0755;
	m->size_limit = HP_UNLIMITED;
	m->nr_inodes = HP_UNLIMITED;
	rc = opt_size(fsopts, "pagesize", &m->page_size);
	if (rc == -ENOENT)
		m->page_size = snap->mem.hugepagesize;
	else if (rc < 0 || !hp_is_pow2(m->page_size))
		return probe_fail(p, EINVAL, path, "hugetlbfs mount %s: "
				  "bad pagesize= option", m->path);
	/* Only a kernel with hugepages mounts hugetlbfs: a tree without
	 * them is not one a kernel showed. */
	if (!m->page_size)
		return probe_fail(p, EINVAL, path, "hugetlbfs mount %s has no "
				  "pagesize= option and " PATH_MEMINFO " no "
				  "Hugepagesize line", m->path);
	rc = opt_size(fsopts, "size", &m->size_limit);
	if (rc < 0 && rc != -ENOENT)
		return probe_fail(p, EINVAL, path, "hugetlbfs mount %s: "
				  "bad size= option", m->path);
	rc = opt_size(fsopts, "min_size", &m->min_size);
	if (rc < 0 && rc != -ENOENT)
		return probe_fail(p, EINVAL, path, "hugetlbfs mount %s: "
				  "bad min_size= option", m->path);
	rc = opt_size(fsopts, "nr_inodes", &m->nr_inodes);
	if (rc < 0 && rc != -ENOENT)
		return probe_fail(p, EINVAL, path, "hugetlbfs mount %s: "
				  "bad nr_inodes= option", m->path);
	if ((rc = opt_uint(fsopts, "uid", 10, &m->uid)) < 0 && rc != -ENOENT)
		return probe_fail(p, EINVAL, path, "hugetlbfs mount %s: "
				  "bad uid= option", m->path);
	if ((rc = opt_uint(fsopts, "gid", 10, &m->gid)) < 0 && rc != -ENOENT)
		return probe_fail(p, EINVAL, path, "hugetlbfs mount %s: "
				  "bad gid= option", m->path);
	if ((rc = opt_uint(fsopts, "mode", 8, &m->mode)) < 0 && rc != -ENOENT)
		return probe_fail(p, EINVAL, path, "hugetlbfs mount %s: "
				  "bad mode= option", m->path);
	m->read_only = vfsopts && mnt_optstr_get_option(vfsopts, "ro", NULL, NULL) == 0;
	return 0;
}

static int file_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mount_file *)a)->path,
		      ((const struct mount_file *)b)->path);
}

/* Files are kept sorted by path: mount_users_scan() looks them up. */
void mount_files_sort(struct mount *m)
{
	if (m->nr_files > 1)
		qsort(m->files, m->nr_files, sizeof(*m->files), file_cmp);
}

struct mount_file *mount_file_find(struct mount *m, const char *path)
{
	struct mount_file key = { .path = (char *)path };

	return m->nr_files ? bsearch(&key, m->files, m->nr_files, sizeof(key),
				     file_cmp) : NULL;
}

/* Lists the files of a live hugetlbfs directory, recursively. */
static int walk_files(int dfd, const char *dir, struct mount *m, int depth)
{
	struct dirent *de;
	DIR *d;

	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -errno;
	}
	while ((de = readdir(d))) {
		struct stat st;
		char *path;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (asprintf(&path, "%s/%s", strcmp(dir, "/") ? dir : "",
			     de->d_name) < 0) {
			closedir(d);
			return -ENOMEM;
		}
		if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
			int sub = openat(dirfd(d), de->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub >= 0)
				walk_files(sub, path, m, depth + 1);
			free(path);
			continue;
		}
		if (!S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		m->used_pages += m->page_size ?
			(uint64_t)st.st_blocks * 512 / m->page_size : 0;
		if (m->nr_files >= MAX_LISTED_FILES) {
			m->files_truncated = true;
			free(path);
			continue;
		}
		if (!(m->nr_files & (m->nr_files + 1)) || !m->files) {
			/* Grow at 1, 2, 4, 8, ... entries. */
			struct mount_file *nf = realloc(m->files,
				(m->nr_files + 1) * 2 * sizeof(*nf));

			if (!nf) {
				free(path);
				closedir(d);
				return -ENOMEM;
			}
			m->files = nf;
		}
		m->files[m->nr_files++] = (struct mount_file) {
			.path = path,
			.size = (uint64_t)st.st_size,
			.pages = m->page_size ?
				 (uint64_t)st.st_blocks * 512 / m->page_size : 0,
			.dev = (uint64_t)st.st_dev,
			.ino = (uint64_t)st.st_ino,
		};
	}
	closedir(d);
	return 0;
}

/*
 * Usage, owner and files of a live mount.  AT is where the mount point is
 * reached from here: its path, or below /proc/PID/root for a process in
 * another mount namespace (a container's, seen from the node); the files
 * keep the names that process sees.
 */
static void mount_usage_live(struct sysroot *sr, struct mount *m, const char *at)
{
	struct statfs sfs;
	struct stat st;
	int fd;

	/* Can this user create page files there?  Not reaching it is a no. */
	m->writable = faccessat(sr->rootfd, at[1] ? at + 1 : ".",
				W_OK | X_OK, AT_EACCESS) == 0 && !m->read_only;
	fd = sysroot_openat(sr, at, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0) {
		m->uid = st.st_uid;
		m->gid = st.st_gid;
		m->mode = st.st_mode & 07777;
	}
	m->have_usage = true;
	/* With a size= quota the kernel counts every page charged to it,
	 * including those of files unlinked but still mapped (DPDK's
	 * --huge-unlink), which no directory walk can see. */
	if (fstatfs(fd, &sfs) == 0 && sfs.f_blocks > 0 &&
	    sfs.f_blocks >= sfs.f_bfree) {
		m->quota_used = (uint64_t)(sfs.f_blocks - sfs.f_bfree);
		m->have_quota_used = true;
	}
	walk_files(fd, m->path, m, 0);
	mount_files_sort(m);
}

/* Remembers where the cgroup hierarchies are, for cgroup_scan(): the
 * mount point and the cgroup mounted there (a container's view mounts its
 * own cgroup as the top). */
static int cgroup_mount_seen(struct cgroup *cg, const char *type,
			     struct libmnt_fs *fs)
{
	const char *target = mnt_fs_get_target(fs);
	const char *root = mnt_fs_get_root(fs);
	const char *opts = mnt_fs_get_fs_options(fs);
	struct cgroup_mnt *slot = NULL;

	if (!target)
		return 0;
	if (!strcmp(type, "cgroup2"))
		slot = &cg->v2;
	else if (opts && mnt_optstr_get_option(opts, "hugetlb", NULL, NULL) == 0)
		slot = &cg->v1_hugetlb;
	else if (opts && mnt_optstr_get_option(opts, "memory", NULL, NULL) == 0)
		slot = &cg->v1_memory;
	if (!slot || slot->dir)
		return 0;
	slot->dir = strdup(target);
	slot->root = strdup(root && *root ? root : "/");
	return slot->dir && slot->root ? 0 : -ENOMEM;
}

/* The kubelet's traces in a mount table: the service account's token and
 * the files it bind-mounts from its pods' directories. */
static bool kubelet_mount(struct libmnt_fs *fs)
{
	const char *target = mnt_fs_get_target(fs);
	const char *root = mnt_fs_get_root(fs);

	return (target && strstr(target, "/secrets/kubernetes.io/")) ||
	       (root && strstr(root, "/kubelet/pods/"));
}

/* Reads PID's mountinfo into a table; names the file when it is wrong. */
static int mountinfo_read(struct probe *p, pid_t pid, struct libmnt_table **tbp)
{
	struct parse_err pe = { 0 };
	struct libmnt_table *tb;
	char path[64];
	char *buf;
	size_t len;
	FILE *f;
	int rc;

	*tbp = NULL;
	proc_path(path, sizeof(path), pid, PROC_MOUNTINFO);
	rc = probe_read(p, path, true, &buf, &len);
	if (rc < 0)
		return rc;
	if (len == 0) {
		free(buf);
		return probe_fail(p, EINVAL, path, "empty file");
	}
	f = fmemopen(buf, len, "r");
	tb = mnt_new_table();
	if (!f || !tb) {
		rc = -ENOMEM;
		goto out;
	}
	mnt_table_set_userdata(tb, &pe);
	mnt_table_set_parser_errcb(tb, mountinfo_errcb);
	rc = mnt_table_parse_stream(tb, f, path);
	mnt_table_set_userdata(tb, NULL);
	if (rc < 0 || pe.line) {
		rc = probe_fail(p, EINVAL, path, "line %d is not a mountinfo entry",
				pe.line);
		goto out;
	}
	*tbp = tb;
	tb = NULL;
	rc = 0;
out:
	mnt_unref_table(tb);
	if (f)
		fclose(f);
	free(buf);
	return rc;
}

static bool is_cgroup(const char *type)
{
	return type && (!strcmp(type, "cgroup2") || !strcmp(type, "cgroup"));
}

/* The cgroup hierarchies of hpdiag's own mount namespace, where it reads
 * their files (a process's cgroup path is read in the same view). */
static int own_cgroup_mounts(struct probe *p, struct cgroup *cg)
{
	struct libmnt_table *tb;
	struct libmnt_iter *itr;
	struct libmnt_fs *fs;
	int rc;

	rc = mountinfo_read(p, 0, &tb);
	if (rc < 0)
		return rc;
	itr = mnt_new_iter(MNT_ITER_FORWARD);
	rc = itr ? 0 : -ENOMEM;
	while (rc == 0 && mnt_table_next_fs(tb, itr, &fs) == 0)
		if (is_cgroup(mnt_fs_get_fstype(fs)))
			rc = cgroup_mount_seen(cg, mnt_fs_get_fstype(fs), fs);
	mnt_free_iter(itr);
	mnt_unref_table(tb);
	return rc;
}

/* Where PID's mount points are reached from here: through /proc/PID/root
 * when hpdiag may follow it (a container's mounts, seen from the node). */
static void mount_prefix(struct sysroot *sr, pid_t pid, char *buf, size_t size)
{
	int fd;

	buf[0] = '\0';
	if (!pid)
		return;
	snprintf(buf, size, "/proc/%d/root", (int)pid);
	fd = sysroot_openat(sr, buf, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		buf[0] = '\0';
	else
		close(fd);
}

/* Every mount point, whatever its type: a remedy never mounts over one. */
static int mount_point_add(struct snapshot *snap, const char *target)
{
	char **np;

	if (!target)
		return 0;
	np = realloc(snap->mount_points, (snap->nr_mount_points + 1) * sizeof(*np));
	if (!np)
		return -ENOMEM;
	snap->mount_points = np;
	if (!(np[snap->nr_mount_points] = strdup(target)))
		return -ENOMEM;
	snap->nr_mount_points++;
	return 0;
}

int mount_scan(struct probe *p, pid_t pid, struct snapshot *snap)
{
	struct libmnt_table *tb;
	struct libmnt_iter *itr;
	struct libmnt_fs *fs;
	char prefix[48], at[4200];
	int rc;

	rc = mountinfo_read(p, pid, &tb);
	if (rc < 0)
		return rc;
	itr = mnt_new_iter(MNT_ITER_FORWARD);
	if (!itr) {
		rc = -ENOMEM;
		goto out;
	}
	if (p->sr->live)
		mount_prefix(p->sr, pid, prefix, sizeof(prefix));
	while (mnt_table_next_fs(tb, itr, &fs) == 0) {
		const char *type = mnt_fs_get_fstype(fs);
		char path[64];

		if ((rc = mount_point_add(snap, mnt_fs_get_target(fs))) < 0)
			goto out;
		if (kubelet_mount(fs))
			snap->cg.pod = true;
		if (is_cgroup(type)) {
			rc = pid ? 0 : cgroup_mount_seen(&snap->cg, type, fs);
			if (rc < 0)
				goto out;
			continue;
		}
		if (!type || strcmp(type, "hugetlbfs"))
			continue;
		proc_path(path, sizeof(path), pid, PROC_MOUNTINFO);
		rc = mount_add(p, path, snap, fs);
		if (rc < 0)
			goto out;
		if (p->sr->live) {
			struct mount *m = &snap->mounts[snap->nr_mounts - 1];

			snprintf(at, sizeof(at), "%s%s", prefix, m->path);
			mount_usage_live(p->sr, m, at);
		}
	}
	rc = pid ? own_cgroup_mounts(p, &snap->cg) : 0;
out:
	mnt_free_iter(itr);
	mnt_unref_table(tb);
	return rc;
}
