// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rooted-write.c - the rooted writer (see rooted.h): every path below the
 * root with no symbolic link on the way (openat2's RESOLVE_NO_SYMLINKS, or
 * the same rules by hand), a kernel file written in one write(), any other
 * file replaced whole by renaming a new one over it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "lib/rooted.h"

/* PATH (absolute, as on the host) relative to the root: "." for "/". */
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

int sysroot_open_nofollow(struct sysroot *sr, const char *path, int flags,
			  mode_t mode)
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
int sysroot_dir_of(struct sysroot *sr, const char *path, const char **base)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (!slash || !slash[1] || (size_t)(slash - path) >= sizeof(dir))
		return -EINVAL;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	*base = slash + 1;
	return sysroot_open_nofollow(sr, dir[0] ? dir : "/", O_RDONLY | O_DIRECTORY, 0);
}

/* 0 when this process may access PATH with MODE (W_OK...), else -errno. */
int sysroot_access(struct sysroot *sr, const char *path, int mode)
{
	int fd = sysroot_open_nofollow(sr, path, O_PATH, 0), rc = 0;

	if (fd < 0)
		return fd;
	if (faccessat(fd, "", mode, AT_EACCESS | AT_EMPTY_PATH) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int sysroot_write(struct sysroot *sr, const char *path, const char *buf, size_t len)
{
	const char *base;
	struct stat st;
	ssize_t n;
	int fd, rc;

	if (!sr->live) {
		fd = sysroot_dir_of(sr, path, &base);
		if (fd < 0)
			return fd;
		if (fstatat(fd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
			rc = -errno;
		else if (!S_ISREG(st.st_mode))
			rc = -EINVAL;
		else
			rc = replace_file(fd, base, buf, len, st.st_mode & 07777);
		close(fd);
		return rc;
	}
	fd = sysroot_open_nofollow(sr, path, O_WRONLY, 0);
	if (fd < 0)
		return fd;
	n = write(fd, buf, len);
	rc = n < 0 ? -errno : (size_t)n == len ? 0 : -EIO;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	return rc;
}

int replace_file(int dirfd, const char *base, const char *buf, size_t len,
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

