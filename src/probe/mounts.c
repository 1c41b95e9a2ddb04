// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mounts.c - hugetlbfs mounts: the entries of /proc/PID/mountinfo (parsed by
 * libmount, which knows its escapes), their page size and quotas, and on the
 * live host their usage, owner and the files in them.  mount_users_scan()
 * then finds which of those files a process maps or holds open; the rest are
 * stale pages nobody uses.
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

#include "probe/snapshot.h"
#include "probe/parse.h"
#include "lib/pathnames.h"

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

static int opt_size(const char *optstr, const char *name, uint64_t *val)
{
	char buf[64], *v = NULL;
	size_t len = 0;

	if (!optstr || mnt_optstr_get_option(optstr, name, &v, &len) != 0)
		return -ENOENT;
	if (!v || len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return parse_size(buf, val);
}

static int opt_uint(const char *optstr, const char *name, int base, unsigned *val)
{
	char buf[32], *v = NULL, *end;
	size_t len = 0;
	unsigned long n;

	if (!optstr || mnt_optstr_get_option(optstr, name, &v, &len) != 0)
		return -ENOENT;
	if (!v || len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, v, len);
	buf[len] = '\0';
	errno = 0;
	n = strtoul(buf, &end, base);
	if (*end || errno || n > 0xffffffffUL)
		return -EINVAL;
	*val = (unsigned)n;
	return 0;
}

static int mount_add(struct sysroot *sr, const char *path, struct snapshot *snap,
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
	else if (rc < 0)
		return sysroot_fail(sr, EINVAL, path, "hugetlbfs mount %s: "
				    "bad pagesize= option", m->path);
	rc = opt_size(fsopts, "size", &m->size_limit);
	if (rc < 0 && rc != -ENOENT)
		return sysroot_fail(sr, EINVAL, path, "hugetlbfs mount %s: "
				    "bad size= option", m->path);
	rc = opt_size(fsopts, "min_size", &m->min_size);
	if (rc < 0 && rc != -ENOENT)
		return sysroot_fail(sr, EINVAL, path, "hugetlbfs mount %s: "
				    "bad min_size= option", m->path);
	rc = opt_size(fsopts, "nr_inodes", &m->nr_inodes);
	if (rc < 0 && rc != -ENOENT)
		return sysroot_fail(sr, EINVAL, path, "hugetlbfs mount %s: "
				    "bad nr_inodes= option", m->path);
	if ((rc = opt_uint(fsopts, "uid", 10, &m->uid)) < 0 && rc != -ENOENT)
		return sysroot_fail(sr, EINVAL, path, "hugetlbfs mount %s: "
				    "bad uid= option", m->path);
	if ((rc = opt_uint(fsopts, "gid", 10, &m->gid)) < 0 && rc != -ENOENT)
		return sysroot_fail(sr, EINVAL, path, "hugetlbfs mount %s: "
				    "bad gid= option", m->path);
	if ((rc = opt_uint(fsopts, "mode", 8, &m->mode)) < 0 && rc != -ENOENT)
		return sysroot_fail(sr, EINVAL, path, "hugetlbfs mount %s: "
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
		};
	}
	closedir(d);
	return 0;
}

static void mount_usage_live(struct sysroot *sr, struct mount *m)
{
	struct statfs sfs;
	struct stat st;
	int fd;

	/* Can this user create page files there?  Not reaching it is a no. */
	m->writable = faccessat(sr->rootfd, m->path[1] ? m->path + 1 : ".",
				W_OK | X_OK, AT_EACCESS) == 0 && !m->read_only;
	fd = sysroot_openat(sr, m->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
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

/* Remembers where the cgroup hierarchies are, for cgroup_scan(). */
static int cgroup_mount_seen(struct cgroup *cg, const char *type,
			     struct libmnt_fs *fs)
{
	const char *target = mnt_fs_get_target(fs);
	const char *opts = mnt_fs_get_fs_options(fs);
	char **slot = NULL;

	if (!target)
		return 0;
	if (!strcmp(type, "cgroup2"))
		slot = &cg->v2_mount;
	else if (opts && mnt_optstr_get_option(opts, "hugetlb", NULL, NULL) == 0)
		slot = &cg->v1_hugetlb;
	else if (opts && mnt_optstr_get_option(opts, "memory", NULL, NULL) == 0)
		slot = &cg->v1_memory;
	if (!slot || *slot)
		return 0;
	*slot = strdup(target);
	return *slot ? 0 : -ENOMEM;
}

int mount_scan(struct sysroot *sr, pid_t pid, struct snapshot *snap)
{
	struct parse_err pe = { 0 };
	struct libmnt_table *tb;
	struct libmnt_iter *itr;
	struct libmnt_fs *fs;
	char path[64], who[24];
	char *buf;
	size_t len;
	FILE *f;
	int rc;

	if (pid)
		snprintf(who, sizeof(who), "%d", (int)pid);
	else
		strcpy(who, "self");
	snprintf(path, sizeof(path), PATH_PROC_MOUNTINFO, who);
	rc = sysroot_read(sr, path, &buf, &len);
	if (rc == -ENOENT)
		return sysroot_fail(sr, ENOENT, path, "missing");
	if (rc < 0)
		return rc;
	if (len == 0) {
		free(buf);
		return sysroot_fail(sr, EINVAL, path, "empty file");
	}
	f = fmemopen(buf, len, "r");
	tb = mnt_new_table();
	itr = mnt_new_iter(MNT_ITER_FORWARD);
	if (!f || !tb || !itr) {
		rc = -ENOMEM;
		goto out;
	}
	mnt_table_set_userdata(tb, &pe);
	mnt_table_set_parser_errcb(tb, mountinfo_errcb);
	rc = mnt_table_parse_stream(tb, f, path);
	if (rc < 0 || pe.line) {
		rc = sysroot_fail(sr, EINVAL, path,
				  "line %d is not a mountinfo entry", pe.line);
		goto out;
	}
	while (mnt_table_next_fs(tb, itr, &fs) == 0) {
		const char *type = mnt_fs_get_fstype(fs);

		if (type && (!strcmp(type, "cgroup2") || !strcmp(type, "cgroup"))) {
			rc = cgroup_mount_seen(&snap->cg, type, fs);
			if (rc < 0)
				goto out;
			continue;
		}
		if (!type || strcmp(type, "hugetlbfs"))
			continue;
		rc = mount_add(sr, path, snap, fs);
		if (rc < 0)
			goto out;
		if (sr->live)
			mount_usage_live(sr, &snap->mounts[snap->nr_mounts - 1]);
	}
	rc = 0;
out:
	mnt_free_iter(itr);
	mnt_unref_table(tb);
	if (f)
		fclose(f);
	free(buf);
	return rc;
}

/* --- who uses the files: /proc/PID/maps and /proc/PID/fd ------------------ */

struct user_ctx {
	struct snapshot *snap;
	pid_t pid;
};

static void mark_used(struct snapshot *snap, const char *path, pid_t pid)
{
	for (size_t i = 0; i < snap->nr_mounts; i++) {
		struct mount *m = &snap->mounts[i];
		struct mount_file key = { .path = (char *)path }, *f;
		size_t ml = strlen(m->path);

		if (!m->nr_files || strncmp(path, m->path, ml) ||
		    (path[ml] != '/' && ml > 1))
			continue;
		f = bsearch(&key, m->files, m->nr_files, sizeof(*f), file_cmp);
		if (f && !f->in_use) {
			f->in_use = true;
			f->user = pid;
		}
	}
}

static int maps_line(const char *line, size_t len, void *ctx)
{
	struct user_ctx *uc = ctx;
	char path[4096];
	const char *p = line, *end = line + len;

	/* Skip address, perms, offset, device, inode. */
	for (int field = 0; field < 5; field++) {
		while (p < end && *p != ' ')
			p++;
		while (p < end && *p == ' ')
			p++;
	}
	if (p >= end || *p != '/' || (size_t)(end - p) >= sizeof(path))
		return 0;
	memcpy(path, p, (size_t)(end - p));
	path[end - p] = '\0';
	unescape_octal(path);
	mark_used(uc->snap, path, uc->pid);
	return 0;
}

int mount_users_scan(struct sysroot *sr, struct snapshot *snap)
{
	size_t nfiles = 0, n;
	char **pids;
	int rc;

	for (size_t i = 0; i < snap->nr_mounts; i++)
		nfiles += snap->mounts[i].nr_files;
	if (!nfiles) {
		snap->procs_scanned = true;
		return 0;
	}
	rc = sysroot_list(sr, PATH_PROC, &pids, &n);
	if (rc < 0)
		return rc == -ENOENT ? 0 : rc;
	for (size_t i = 0; i < n; i++) {
		struct user_ctx uc = { .snap = snap };
		char path[64], **fds;
		uint64_t pid;
		size_t nfd;

		if (parse_u64(pids[i], &pid) < 0 || pid == 0 || pid > 0x7fffffff)
			continue;
		uc.pid = (pid_t)pid;
		snprintf(path, sizeof(path), PATH_PROC_MAPS, pids[i]);
		/* A process we cannot read, or that exited, is skipped. */
		(void)sysroot_lines(sr, path, maps_line, &uc);
		snprintf(path, sizeof(path), PATH_PROC_FD, pids[i]);
		if (sysroot_list(sr, path, &fds, &nfd) < 0)
			continue;
		for (size_t j = 0; j < nfd; j++) {
			char link[4200], target[4096];

			snprintf(link, sizeof(link), "%s/%s", path, fds[j]);
			if (sysroot_readlink(sr, link, target, sizeof(target)) == 0)
				mark_used(snap, target, uc.pid);
		}
		sysroot_names_free(fds, nfd);
	}
	sysroot_names_free(pids, n);
	sr->err[0] = '\0';
	snap->procs_scanned = true;
	return 0;
}
