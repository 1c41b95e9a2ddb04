// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * preflight.c - before fix --apply writes anything, every step is checked:
 * write access to each file (faccessat with AT_EACCESS, so capabilities
 * count), a read-only /proc/sys or /sys (a container, with the command to
 * run on the host), CAP_SYS_ADMIN for a mount and an empty directory to
 * mount on, the rights to unlink a page file in a sticky directory, and
 * no symbolic link where the persist file goes.  A refused step says why;
 * nothing is written when one is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "act/plan.h"
#include "lib/caps.h"
#include "lib/pathnames.h"
#include "lib/proc.h"

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
	rc = sysroot_access(sr, s->path, W_OK);
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
	rc = sysroot_access(sr, dir[0] ? dir : "/", W_OK | X_OK);
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
	fd = sysroot_open_nofollow(sr, s->path, O_RDONLY | O_DIRECTORY, 0);
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
		close(fd);
	}
	if (!s->error && !sr->live) {
		char path[64];
		int rc;

		proc_path(path, sizeof(path), 0, PROC_MOUNTINFO);
		rc = sysroot_access(sr, path, W_OK);
		if (rc < 0)
			step_error(s, "%s: cannot record the mount: %s", path, strerror(-rc));
	}
}

static void check_remove(struct sysroot *sr, struct fix_step *s)
{
	struct stat dst, fst;
	const char *base;
	int dfd = sysroot_dir_of(sr, s->path, &base);

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
	int dfd = sysroot_dir_of(sr, s->path, &base);

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

