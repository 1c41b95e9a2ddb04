// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fix-apply.c - the only code in hpdiag that writes to the host.
 *
 * fix_preflight() checks every step before the first write: write access to
 * each file (faccessat with AT_EACCESS, so capabilities count), a read-only
 * /proc/sys or /sys (a container), CAP_SYS_ADMIN for a mount, the rights to
 * unlink a page file, a symlink where the persist file goes.  fix_apply()
 * then writes in plan order, reads each value back, and on a failed step
 * puts back every value it changed, newest first, from an undo log.
 *
 * Every path resolves below the sysroot's directory fd without following a
 * symbolic link, so under --sysroot DIR each write lands in DIR.  A captured
 * tree has no kernel behind it: there hpdiag keeps the tree as the kernel
 * would (free pages follow nr_hugepages, a mount appears in mountinfo, a
 * removed file leaves the snapshot's metadata), so re-probing it verifies.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/openat2.h>

#include "act/fix.h"
#include "probe/parse.h"
#include "lib/pathnames.h"

/* ---- rooted, symlink-free file access --------------------------------------- */

static const char *rel_of(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

/*
 * Without openat2 (kernels before 5.6, valgrind): the same rules by hand,
 * one component at a time, none of them a symbolic link or "..".
 */
static int walk_open(int dirfd, const char *rel, int flags, mode_t mode)
{
	char buf[PATH_MAX], *comp, *next;
	int cur = dirfd, fd;

	if (strlen(rel) >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, rel, strlen(rel) + 1);
	for (comp = buf; (next = strchr(comp, '/')); comp = next) {
		*next++ = '\0';
		if (!*comp || !strcmp(comp, "."))
			continue;
		fd = strcmp(comp, "..") ? openat(cur, comp, O_PATH | O_DIRECTORY |
						 O_NOFOLLOW | O_CLOEXEC) : (errno = EXDEV, -1);
		if (cur != dirfd)
			close(cur);
		if (fd < 0)
			return errno == ENOTDIR ? -ELOOP : -errno;
		cur = fd;
	}
	fd = strcmp(comp, "..") ? openat(cur, comp, flags | O_NOFOLLOW | O_CLOEXEC, mode) :
	     (errno = EXDEV, -1);
	if (fd < 0)
		fd = -errno;
	if (cur != dirfd)
		close(cur);
	return fd;
}

static int ropen(struct sysroot *sr, const char *path, int flags, mode_t mode)
{
	struct open_how how;
	int fd;

	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)(flags | O_CLOEXEC | O_NOFOLLOW);
	how.mode = (flags & O_CREAT) ? mode : 0;
	how.resolve = RESOLVE_NO_SYMLINKS | (sr->live ? 0 : RESOLVE_IN_ROOT);
	fd = (int)syscall(SYS_openat2, sr->rootfd, rel_of(path), &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		return walk_open(sr->rootfd, rel_of(path), flags, mode);
	return fd < 0 ? -errno : fd;
}

/* The directory holding PATH, opened; *base points at the last component. */
static int rdir_of(struct sysroot *sr, const char *path, const char **base)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (!slash || !slash[1] || (size_t)(slash - path) >= sizeof(dir))
		return -EINVAL;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	*base = slash + 1;
	return ropen(sr, dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY, 0);
}

/* 0 when this process may access PATH with MODE (W_OK...), else -errno. */
static int raccess(struct sysroot *sr, const char *path, int mode)
{
	int fd = ropen(sr, path, O_PATH, 0), rc = 0;

	if (fd < 0)
		return fd;
	if (faccessat(fd, "", mode, AT_EACCESS | AT_EMPTY_PATH) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int rdir_of(struct sysroot *sr, const char *path, const char **base);
static int atomic_replace(int dirfd, const char *base, const char *buf, size_t len,
			  mode_t mode);

/*
 * Writes BUF as the whole content of PATH.  A kernel file takes one
 * write(); a captured tree's file is replaced whole (keeping its mode), so
 * a kill leaves the old value or the new one.
 */
static int rwrite(struct sysroot *sr, const char *path, const char *buf, size_t len)
{
	const char *base;
	struct stat st;
	int fd, rc;

	if (!sr->live) {
		fd = rdir_of(sr, path, &base);
		if (fd < 0)
			return fd;
		if (fstatat(fd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
			rc = -errno;
		else if (!S_ISREG(st.st_mode))
			rc = -EINVAL;
		else
			rc = atomic_replace(fd, base, buf, len, st.st_mode & 07777);
		close(fd);
		return rc;
	}
	fd = ropen(sr, path, O_WRONLY, 0);
	if (fd < 0)
		return fd;
	{
		ssize_t n = write(fd, buf, len);

		rc = n < 0 ? -errno : (size_t)n == len ? 0 : -EIO;
	}
	if (close(fd) < 0 && !rc)
		rc = -errno;
	return rc;
}

static int rread(struct sysroot *sr, const char *path, char **buf, size_t *len)
{
	int rc = sysroot_read(sr, path, buf, len);

	sr->err[0] = '\0';
	return rc;
}

/*
 * Replaces BASE (in DIRFD) by a new file holding BUF, with MODE: written
 * and synced as an unnamed O_TMPFILE, given a temporary name, renamed over
 * BASE, the directory synced.  Killed at any point, BASE is the old file or
 * the new one, never part of one.
 */
static int atomic_replace(int dirfd, const char *base, const char *buf, size_t len,
			  mode_t mode)
{
	char tmp[NAME_MAX + 1], link[64];
	bool named = false;
	int fd, rc;

	if (snprintf(tmp, sizeof(tmp), ".%s.hpdiag-%ld", base, (long)getpid()) >=
	    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = openat(dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
	if (fd < 0) {
		/* A file system without O_TMPFILE: a named temporary file. */
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			    O_CLOEXEC, mode);
		if (fd < 0)
			return -errno;
		named = true;
	}
	rc = write_all(fd, buf, len);
	if (!rc && fchmod(fd, mode) < 0)
		rc = -errno;
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (!rc && !named) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		if (linkat(AT_FDCWD, link, dirfd, tmp, AT_SYMLINK_FOLLOW) < 0)
			rc = -errno;
		else
			named = true;
	}
	if (close(fd) < 0 && !rc)
		rc = -errno;
	if (!rc && renameat(dirfd, tmp, dirfd, base) < 0)
		rc = -errno;
	if (rc && named)
		unlinkat(dirfd, tmp, 0);
	else if (!rc)
		fsync(dirfd);
	return rc;
}

/* ---- the undo log --------------------------------------------------------------- */

enum undo_kind { U_CONTENT, U_ATOMIC, U_UMOUNT, U_RMDIR };

struct undo {
	enum undo_kind kind;
	struct fix_step *step;
	char *path;
	char *old;		/* U_CONTENT, U_ATOMIC: what was there */
	size_t len;
	bool existed;		/* U_ATOMIC: the file was there before */
};

struct apply {
	struct sysroot *sr;
	const struct fix_opts *o;
	struct undo *log;
	size_t n;
};

static struct undo *undo_push(struct apply *a, enum undo_kind kind,
			      struct fix_step *step, const char *path)
{
	struct undo *v = realloc(a->log, (a->n + 1) * sizeof(*v));

	if (!v)
		return NULL;
	a->log = v;
	v = &a->log[a->n];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->step = step;
	v->path = strdup(path);
	if (!v->path)
		return NULL;
	a->n++;
	return v;
}

/* Remembers PATH's content before it is changed. */
static int undo_content(struct apply *a, struct fix_step *step, const char *path,
			enum undo_kind kind)
{
	struct undo *u;
	char *buf = NULL;
	size_t len = 0;
	int rc = rread(a->sr, path, &buf, &len);

	if (rc < 0 && rc != -ENOENT)
		return rc;
	u = undo_push(a, kind, step, path);
	if (!u) {
		free(buf);
		return -ENOMEM;
	}
	u->old = buf;
	u->len = len;
	u->existed = rc == 0;
	return 0;
}

/* A write that failed before changing anything leaves nothing to undo. */
static void undo_drop_unchanged(struct apply *a)
{
	struct undo *u = a->n ? &a->log[a->n - 1] : NULL;
	char *now = NULL;
	size_t len = 0;

	if (!u || u->kind != U_CONTENT || rread(a->sr, u->path, &now, &len) < 0)
		return;
	if (len == u->len && (!len || !memcmp(now, u->old, len))) {
		free(u->path);
		free(u->old);
		a->n--;
	}
	free(now);
}

static int undo_one(struct apply *a, struct undo *u)
{
	const char *base;
	int dfd, rc;

	switch (u->kind) {
	case U_CONTENT:
		return rwrite(a->sr, u->path, u->old ? u->old : "", u->len);
	case U_ATOMIC:
		dfd = rdir_of(a->sr, u->path, &base);
		if (dfd < 0)
			return dfd;
		if (u->existed)
			rc = atomic_replace(dfd, base, u->old ? u->old : "", u->len, 0644);
		else
			rc = unlinkat(dfd, base, 0) < 0 ? -errno : 0;
		close(dfd);
		return rc;
	case U_UMOUNT:
		return umount2(u->path, UMOUNT_NOFOLLOW) < 0 ? -errno : 0;
	case U_RMDIR:
		dfd = rdir_of(a->sr, u->path, &base);
		if (dfd < 0)
			return dfd;
		rc = unlinkat(dfd, base, AT_REMOVEDIR) < 0 ? -errno : 0;
		close(dfd);
		return rc;
	}
	return -EINVAL;
}

/* Puts back everything in the log, newest first; returns how many could
 * not be put back (each step says which). */
static int rollback(struct apply *a)
{
	int failed = 0;

	for (size_t i = a->n; i-- > 0; ) {
		struct undo *u = &a->log[i];
		struct fix_step *s = u->step;
		int rc = undo_one(a, u);

		if (rc < 0) {
			failed++;
			/* Keep what failed first; add what could not be undone. */
			if (s->status == FS_FAILED && s->error)
				step_error(s, "%s; could not put back %s: %s", s->error,
					   u->path, strerror(-rc));
			else
				step_error(s, "could not put back %s: %s", u->path,
					   strerror(-rc));
			s->status = FS_FAILED;
		} else if (s->status != FS_FAILED) {
			s->status = FS_REVERTED;
		}
	}
	return failed;
}

static void undo_free(struct apply *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->log[i].path);
		free(a->log[i].old);
	}
	free(a->log);
	a->log = NULL;
	a->n = 0;
}

/* ---- pre-flight ---------------------------------------------------------------- */

static bool fs_read_only(const char *dir)
{
	struct statvfs sv;

	return statvfs(dir, &sv) == 0 && (sv.f_flag & ST_RDONLY);
}

static void check_value_file(struct sysroot *sr, struct fix_step *s)
{
	bool proc = !strncmp(s->path, "/proc/sys/", 10);
	int rc;

	if (sr->live && fs_read_only(proc ? "/proc/sys" : "/sys")) {
		if (proc)
			step_error(s, "%s: /proc/sys is "
				 "mounted read-only (a container?): on the host run "
				 "sysctl -w %s=%" PRIu64, s->path, s->setting, s->to);
		else
			step_error(s, "%s: /sys is mounted "
				 "read-only (a container?): on the host run echo %"
				 PRIu64 " > %s", s->path, s->to, s->path);
		return;
	}
	rc = raccess(sr, s->path, W_OK);
	if (rc == -EACCES || rc == -EPERM)
		step_error(s, "%s%s: not writable by uid %u "
			 "(run hpdiag as root)", sr->root, s->path, (unsigned)geteuid());
	else if (rc < 0)
		step_error(s, "%s: cannot write: %s", s->path, strerror(-rc));
}

/* The directory a new file or mount point goes in must be writable. */
static int check_parent(struct sysroot *sr, struct fix_step *s, const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int rc;

	if (!slash || (size_t)(slash - path) >= sizeof(dir))
		return -EINVAL;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	rc = raccess(sr, dir[0] ? dir : "/", W_OK | X_OK);
	if (rc == -ENOENT)
		step_error(s, "%s%s: does not exist (hpdiag "
			 "creates only the last directory of a path)", sr->root, dir);
	else if (rc == -ELOOP || rc == -EXDEV)
		step_error(s, "%s%s: a symbolic link is on "
			 "the way: hpdiag does not follow it", sr->root, dir);
	else if (rc < 0)
		step_error(s, "%s%s: cannot create files "
			 "there: %s", sr->root, dir, strerror(-rc));
	return rc;
}

static void check_mount(struct sysroot *sr, struct fix_step *s)
{
	struct stat st;
	int fd;

	if (sr->live && !caps_self("cap_sys_admin")) {
		step_error(s, "mounting hugetlbfs on %s needs "
			 "CAP_SYS_ADMIN, which hpdiag does not have (run it as "
			 "root, outside a container)", s->path);
		return;
	}
	fd = ropen(sr, s->path, O_RDONLY | O_DIRECTORY, 0);
	if (fd == -ENOENT) {
		check_parent(sr, s, s->path);
	} else if (fd < 0) {
		step_error(s, "%s%s: cannot use it as a mount "
			 "point: %s", sr->root, s->path, fd == -ELOOP ?
			 "it is a symbolic link" : strerror(-fd));
	} else {
		char **names = NULL;
		size_t n = 0;

		if (fstat(fd, &st) == 0 && sysroot_list(sr, s->path, &names, &n) == 0 &&
		    n > 0)
			step_error(s, "%s%s: is not empty: "
				 "a mount there would hide its %zu entr%s", sr->root,
				 s->path, n, n == 1 ? "y" : "ies");
		sysroot_names_free(names, n);
		sr->err[0] = '\0';
		close(fd);
	}
	if (!s->error && !sr->live) {
		char path[64];
		int rc;

		snprintf(path, sizeof(path), PATH_PROC_MOUNTINFO, "self");
		rc = raccess(sr, path, W_OK);
		if (rc < 0)
			step_error(s, "%s: cannot record the mount: %s", path, strerror(-rc));
	}
}

static void check_remove(struct sysroot *sr, struct fix_step *s)
{
	struct stat dst, fst;
	const char *base;
	int dfd = rdir_of(sr, s->path, &base);

	if (dfd < 0) {
		if (dfd == -ENOENT && !sr->live)
			return;		/* only the tree's metadata lists it */
		step_error(s, "%s: cannot open its directory: %s", s->path,
		       strerror(-dfd));
		return;
	}
	if (faccessat(dfd, "", W_OK | X_OK, AT_EACCESS | AT_EMPTY_PATH) < 0) {
		step_error(s, "%s: removing it needs write "
			 "access to its directory (CAP_DAC_OVERRIDE or its owner): %s",
			 s->path, strerror(errno));
	} else if (fstat(dfd, &dst) == 0 && (dst.st_mode & S_ISVTX) &&
		   fstatat(dfd, base, &fst, AT_SYMLINK_NOFOLLOW) == 0 &&
		   fst.st_uid != geteuid() && dst.st_uid != geteuid() &&
		   !caps_self("cap_fowner")) {
		step_error(s, "%s: owned by uid %u in a "
			 "sticky directory: removing it needs CAP_FOWNER",
			 s->path, (unsigned)fst.st_uid);
	}
	close(dfd);
}

static void check_persist(struct sysroot *sr, struct fix_step *s)
{
	struct stat st;
	const char *base;
	int dfd = rdir_of(sr, s->path, &base);

	if (dfd == -ENOENT) {
		/* /etc/sysctl.d is created when /etc is there. */
		char dir[PATH_MAX];

		snprintf(dir, sizeof(dir), "%.*s", (int)(base - 1 - s->path), s->path);
		check_parent(sr, s, dir);
		return;
	}
	if (dfd < 0) {
		step_error(s, "%s%s: cannot open its "
			 "directory: %s", sr->root, s->path, dfd == -ELOOP ?
			 "a symbolic link is on the way" : strerror(-dfd));
		return;
	}
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode))
			step_error(s, "%s%s: is a symbolic "
				 "link: hpdiag does not write through it", sr->root,
				 s->path);
		else if (!S_ISREG(st.st_mode))
			step_error(s, "%s%s: is not a "
				 "regular file", sr->root, s->path);
	}
	if (!s->error && faccessat(dfd, "", W_OK | X_OK,
				      AT_EACCESS | AT_EMPTY_PATH) < 0)
		step_error(s, "%s%s: cannot write in its "
			 "directory: %s", sr->root, s->path, strerror(errno));
	close(dfd);
}

int fix_preflight(struct sysroot *sr, struct fix_plan *plan, char *err, size_t size)
{
	int refused = 0;

	for (size_t i = 0; i < plan->n; i++) {
		struct fix_step *s = &plan->v[i];

		if (s->status != FS_PLANNED)
			continue;
		switch (s->kind) {
		case FIX_SYSCTL:
		case FIX_OVERCOMMIT:
		case FIX_POOL:
		case FIX_NODE_POOL:
			check_value_file(sr, s);
			break;
		case FIX_MOUNT:
			check_mount(sr, s);
			break;
		case FIX_REMOVE:
			check_remove(sr, s);
			break;
		case FIX_PERSIST:
			check_persist(sr, s);
			break;
		}
		if (s->error && !refused++)
			snprintf(err, size, "%s", s->error);
	}
	plan->refused = refused > 0;
	return refused;
}

/* ---- the steps ------------------------------------------------------------------ */

static int write_u64(struct sysroot *sr, const char *path, uint64_t v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%" PRIu64 "\n", v);

	return rwrite(sr, path, buf, (size_t)n);
}

static int read_u64(struct sysroot *sr, const char *path, uint64_t *v)
{
	int rc = sysroot_read_u64(sr, path, v);

	sr->err[0] = '\0';
	return rc;
}

/* In a captured tree: add DELTA to the number in FILE. */
static int tree_adjust(struct apply *a, struct fix_step *s, const char *file,
		       int64_t delta)
{
	uint64_t v;
	int rc;

	if (read_u64(a->sr, file, &v) < 0)
		return 0;		/* the tree does not have it */
	rc = undo_content(a, s, file, U_CONTENT);
	if (rc)
		return rc;
	return write_u64(a->sr, file, delta < 0 ? hp_sat_sub(v, (uint64_t)-delta) :
			 hp_sat_add(v, (uint64_t)delta));
}

static int tree_pool(struct apply *a, struct fix_step *s, int64_t delta)
{
	int node = s->kind == FIX_NODE_POOL ? (int)s->node : -1;
	char file[PATH_MAX];
	int rc;

	fix_pool_file(s->page_size, node, "free_hugepages", file, sizeof(file));
	rc = tree_adjust(a, s, file, delta);
	if (rc || node < 0)
		return rc;
	/* A node's pages are the whole pool's too. */
	fix_pool_file(s->page_size, -1, "nr_hugepages", file, sizeof(file));
	rc = tree_adjust(a, s, file, delta);
	fix_pool_file(s->page_size, -1, "free_hugepages", file, sizeof(file));
	return rc ? rc : tree_adjust(a, s, file, delta);
}

static int apply_value(struct apply *a, struct fix_step *s)
{
	uint64_t got = 0;
	int rc;

	rc = undo_content(a, s, s->path, U_CONTENT);
	if (rc)
		return rc;
	rc = write_u64(a->sr, s->path, s->to);
	if (rc) {
		undo_drop_unchanged(a);
		return rc;
	}
	if (!a->sr->live && (s->kind == FIX_POOL || s->kind == FIX_NODE_POOL))
		rc = tree_pool(a, s, (int64_t)(s->to - s->from));
	if (rc)
		return rc;
	s->status = FS_APPLIED;
	rc = read_u64(a->sr, s->path, &got);
	if (rc)
		return rc;
	s->obtained = got;
	if (got == s->to) {
		s->status = FS_VERIFIED;
		return 0;
	}
	if (s->kind != FIX_POOL && s->kind != FIX_NODE_POOL) {
		step_error(s, "wrote %" PRIu64 ", reads back %"
			 PRIu64, s->to, got);
		return -EIO;
	}
	/* The kernel gave fewer pages than asked: memory is fragmented. */
	if (a->o->compact && a->sr->live && rwrite(a->sr, FIX_COMPACT_PATH, "1\n", 2) == 0) {
		s->compacted = true;
		if (write_u64(a->sr, s->path, s->to) == 0 &&
		    read_u64(a->sr, s->path, &got) == 0)
			s->obtained = got;
	}
	s->status = s->obtained >= s->to ? FS_VERIFIED : FS_PARTIAL;
	if (s->status == FS_PARTIAL)
		step_error(s, "the kernel gave %" PRIu64
			 " of the %" PRIu64 " pages asked for%s", hp_sat_sub(s->obtained,
			 s->from), s->to - s->from, s->compacted ?
			 ", after compacting memory" : "");
	return 0;
}

/* A mountinfo line for a captured tree, the path escaped as the kernel does. */
static int tree_mount(struct apply *a, struct fix_step *s)
{
	char info[64], line[PATH_MAX * 4 + 128], esc[PATH_MAX * 4], ss[16];
	char *old = NULL, *text;
	size_t len = 0, e = 0;
	int rc;

	for (const char *p = s->path; *p && e + 5 < sizeof(esc); p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\\')
			e += (size_t)snprintf(esc + e, sizeof(esc) - e, "\\%03o",
					      (unsigned char)*p);
		else
			esc[e++] = *p;
	}
	esc[e] = '\0';
	snprintf(info, sizeof(info), PATH_PROC_MOUNTINFO, "self");
	rc = rread(a->sr, info, &old, &len);
	if (rc < 0)
		return rc;
	rc = undo_content(a, s, info, U_CONTENT);
	if (rc) {
		free(old);
		return rc;
	}
	snprintf(line, sizeof(line), "9%03zu 1 0:9%03zu / %s rw,nodev,relatime - "
		 "hugetlbfs nodev rw,pagesize=%s\n", a->n, a->n, esc,
		 format_short_size(s->page_size, ss, sizeof(ss)));
	if (asprintf(&text, "%.*s%s%s", (int)len, old,
		     len && old[len - 1] != '\n' ? "\n" : "", line) < 0) {
		free(old);
		return -ENOMEM;
	}
	free(old);
	rc = rwrite(a->sr, info, text, strlen(text));
	free(text);
	return rc;
}

static int apply_mount(struct apply *a, struct fix_step *s)
{
	char opts[64], ss[16], target[64];
	const char *base;
	struct statfs sf;
	int dfd, fd, rc;

	dfd = rdir_of(a->sr, s->path, &base);
	if (dfd < 0)
		return dfd;
	if (mkdirat(dfd, base, 0755) == 0) {
		s->made_dir = true;
		if (!undo_push(a, U_RMDIR, s, s->path)) {
			close(dfd);
			return -ENOMEM;
		}
	} else if (errno != EEXIST) {
		rc = -errno;
		close(dfd);
		return rc;
	}
	/* Mount on the directory just checked, not on whatever the path
	 * names by then: through its fd, never following a symlink. */
	fd = openat(dfd, base, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	rc = fd < 0 ? -errno : 0;
	close(dfd);
	if (rc)
		return rc;
	if (!a->sr->live) {
		close(fd);
		rc = tree_mount(a, s);
		if (!rc)
			s->status = FS_VERIFIED;
		return rc;
	}
	snprintf(opts, sizeof(opts), "pagesize=%s",
		 format_short_size(s->page_size, ss, sizeof(ss)));
	snprintf(target, sizeof(target), "/proc/self/fd/%d", fd);
	rc = mount("nodev", target, "hugetlbfs", MS_NODEV, opts) < 0 ? -errno : 0;
	close(fd);
	if (rc)
		return rc;
	if (!undo_push(a, U_UMOUNT, s, s->path))
		return -ENOMEM;
	s->status = FS_APPLIED;
	if (statfs(s->path, &sf) < 0)
		return -errno;
	if ((unsigned long)sf.f_type != HUGETLBFS_MAGIC ||
	    (uint64_t)sf.f_bsize != s->page_size) {
		step_error(s, "%s: after the mount it is not hugetlbfs of %s pages",
			   s->path, ss);
		return -EIO;
	}
	s->status = FS_VERIFIED;
	return 0;
}

/* In a captured tree the page files are lines of the metadata file. */
static int tree_forget_file(struct apply *a, struct fix_step *s)
{
	char *old = NULL, *out;
	size_t len = 0, o = 0, pl = strlen(s->path);
	int rc = rread(a->sr, PATH_SNAPSHOT_META, &old, &len);

	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	out = malloc(len + 1);
	rc = out ? undo_content(a, s, PATH_SNAPSHOT_META, U_CONTENT) : -ENOMEM;
	for (size_t i = 0; !rc && i < len; ) {
		const char *nl = memchr(old + i, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - (old + i)) + 1 : len - i;
		const char *sp = ll > 5 && !strncmp(old + i, "file ", 5) ?
				 memchr(old + i + 5, ' ', ll - 5) : NULL;

		/* "file MOUNT PATH size=..." */
		if (!sp || (size_t)(old + i + ll - sp) < pl + 2 ||
		    strncmp(sp + 1, s->path, pl) || (sp[1 + pl] != ' ' &&
						      sp[1 + pl] != '\n')) {
			memcpy(out + o, old + i, ll);
			o += ll;
		}
		i += ll;
	}
	if (!rc)
		rc = rwrite(a->sr, PATH_SNAPSHOT_META, out, o);
	free(out);
	free(old);
	return rc;
}

static int apply_remove(struct apply *a, struct fix_step *s)
{
	const char *base;
	int dfd, rc = 0;

	dfd = rdir_of(a->sr, s->path, &base);
	if (dfd >= 0) {
		if (unlinkat(dfd, base, 0) < 0 && (errno != ENOENT || a->sr->live))
			rc = -errno;
		else if (faccessat(dfd, base, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			rc = -EEXIST;
		close(dfd);
	} else if (dfd != -ENOENT || a->sr->live) {
		rc = dfd;
	}
	if (!rc && !a->sr->live)
		rc = tree_forget_file(a, s);
	if (!rc && !a->sr->live && s->from) {
		char file[PATH_MAX];

		/* The kernel gives the file's pages back to the pool. */
		fix_pool_file(s->page_size, -1, "free_hugepages", file, sizeof(file));
		rc = tree_adjust(a, s, file, (int64_t)s->from);
	}
	if (!rc)
		s->status = FS_VERIFIED;
	return rc;
}

static void persist_key(const struct fix_step *s, uint64_t def, const char **key)
{
	*key = NULL;
	if (s->kind == FIX_SYSCTL)
		*key = s->setting;
	else if (s->kind == FIX_POOL && s->page_size == def)
		*key = "vm.nr_hugepages";
	else if (s->kind == FIX_OVERCOMMIT && s->page_size == def)
		*key = "vm.nr_overcommit_hugepages";
}

static int apply_persist(struct apply *a, struct fix_plan *plan, struct fix_step *s)
{
	const char *keys[16], *base;
	uint64_t vals[16];
	bool never[16];
	size_t n = 0, len = 0;
	char *old = NULL, *text;
	int dfd, rc;

	for (size_t i = 0; i < plan->n && n < 16; i++) {
		const struct fix_step *t = &plan->v[i];

		persist_key(t, plan->default_size, &keys[n]);
		if (!keys[n] || (t->status != FS_VERIFIED && t->status != FS_PARTIAL))
			continue;
		vals[n] = t->to;
		never[n] = t->kind == FIX_SYSCTL;
		n++;
	}
	dfd = rdir_of(a->sr, s->path, &base);
	if (dfd == -ENOENT) {
		char dir[PATH_MAX];
		const char *pbase;
		int pfd;

		snprintf(dir, sizeof(dir), "%.*s", (int)(base - 1 - s->path), s->path);
		pfd = rdir_of(a->sr, dir, &pbase);
		if (pfd < 0)
			return pfd;
		rc = mkdirat(pfd, pbase, 0755) < 0 ? -errno : 0;
		close(pfd);
		if (rc)
			return rc;
		if (!undo_push(a, U_RMDIR, s, dir))
			return -ENOMEM;
		dfd = rdir_of(a->sr, s->path, &base);
	}
	if (dfd < 0)
		return dfd;
	rc = rread(a->sr, s->path, &old, &len);
	if (rc < 0 && rc != -ENOENT) {
		close(dfd);
		return rc;
	}
	rc = undo_content(a, s, s->path, U_ATOMIC);
	text = rc ? NULL : fix_persist_text(old, len, keys, vals, never, n);
	if (!rc && !text)
		rc = -ENOMEM;
	if (!rc)
		rc = atomic_replace(dfd, base, text, strlen(text), 0644);
	close(dfd);
	free(text);
	free(old);
	if (!rc) {
		s->status = FS_VERIFIED;
		snprintf(plan->persist_path, sizeof(plan->persist_path), "%s%s",
			 a->sr->root, s->path);
	}
	return rc;
}

int fix_apply(struct sysroot *sr, const struct fix_opts *o, struct fix_plan *plan)
{
	struct apply a = { .sr = sr, .o = o };
	size_t i;
	int rc = 0;

	for (i = 0; i < plan->n && !rc; i++) {
		struct fix_step *s = &plan->v[i];

		if (s->status != FS_PLANNED)
			continue;
		switch (s->kind) {
		case FIX_SYSCTL:
		case FIX_OVERCOMMIT:
		case FIX_POOL:
		case FIX_NODE_POOL:
			rc = apply_value(&a, s);
			break;
		case FIX_MOUNT:
			rc = apply_mount(&a, s);
			break;
		case FIX_REMOVE:
			rc = apply_remove(&a, s);
			break;
		case FIX_PERSIST:
			rc = apply_persist(&a, plan, s);
			break;
		}
		if (rc) {
			if (!s->error)
				step_error(s, "%s%s: %s",
					 sr->root, s->path, strerror(-rc));
			s->status = FS_FAILED;
		}
	}
	if (rc) {
		for (; i < plan->n; i++)
			if (plan->v[i].status == FS_PLANNED)
				plan->v[i].status = FS_UNCHANGED;
		plan->rollback_failed = rollback(&a) > 0;
		plan->rolled_back = true;
	}
	undo_free(&a);
	return rc;
}
