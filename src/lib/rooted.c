// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rooted.c - the one rooted reader and writer (see rooted.h).  Under
 * --sysroot the tree is untrusted input: paths resolve with RESOLVE_IN_ROOT
 * so a symlink cannot lead out of it, files are opened non-blocking and
 * must be regular files, and reads are bounded.  Writes follow no symbolic
 * link at all, live or not.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "lib/err.h"
#include "lib/num.h"
#include "lib/rooted.h"

int sysroot_init(struct sysroot *sr, const char *dir)
{
	size_t len;

	memset(sr, 0, sizeof(*sr));
	sr->recordfd = -1;
	sr->live = dir == NULL;
	if (!dir)
		dir = "/";
	sr->rootfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (sr->rootfd < 0)
		return -errno;
	len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	sr->root = sr->live || (len == 1 && dir[0] == '/') ?
		   strdup("") : strndup(dir, len);
	if (!sr->root) {
		close(sr->rootfd);
		sr->rootfd = -1;
		return -ENOMEM;
	}
	return 0;
}
void sysroot_release(struct sysroot *sr)
{
	if (sr->rootfd >= 0)
		close(sr->rootfd);
	if (sr->recordfd >= 0)
		close(sr->recordfd);
	free(sr->root);
	sr->root = NULL;
	sr->rootfd = sr->recordfd = -1;
}

/* PATH (absolute, as on the host) relative to the root: "." for "/". */
static const char *rel_of(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

/* Opens PATH below the root. */
int sysroot_openat(struct sysroot *sr, const char *path, int flags)
{
	const char *rel = rel_of(path);
	struct open_how how;
	int fd;

	if (sr->live)
		return openat(sr->rootfd, rel, flags);
	memset(&how, 0, sizeof(how));
	how.flags = (unsigned)flags;
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, sr->rootfd, rel, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		fd = openat(sr->rootfd, rel, flags | O_NOFOLLOW);
	return fd;
}

/* Creates the parent directories of REL below the record directory. */
static void record_mkdirs(int dirfd, const char *rel)
{
	char buf[PATH_MAX];
	char *p;

	size_t len = strlen(rel);

	if (len >= sizeof(buf))
		return;
	memcpy(buf, rel, len + 1);
	for (p = strchr(buf, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		mkdirat(dirfd, buf, 0755);
		*p = '/';
	}
}

/* Opens the copy of PATH in the snapshot being written, or returns -1. */
static int record_open(struct sysroot *sr, const char *path)
{
	const char *rel = rel_of(path);

	if (sr->recordfd < 0 || !strcmp(rel, "."))
		return -1;
	record_mkdirs(sr->recordfd, rel);
	return openat(sr->recordfd, rel,
		      O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
}

int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Opens a file for reading and checks it is one; returns fd or -errno. */
static int open_regular(struct sysroot *sr, const char *path)
{
	struct stat st;
	int fd, err;

	fd = sysroot_openat(sr, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		err = errno;
		return err == ENOENT || err == ENOTDIR ? -ENOENT :
		       err == EXDEV ? -ELOOP : -err;
	}
	/* The live kernel's files are what they say; a captured tree is
	 * untrusted input and may hold a FIFO, a device or a directory. */
	if (sr->live)
		return fd;
	if (fstat(fd, &st) < 0) {
		err = errno;
		close(fd);
		return -err;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -HP_ENOTREG;
	}
	return fd;
}

int sysroot_read(struct sysroot *sr, const char *path, char **bufp, size_t *lenp)
{
	size_t len = 0, cap = 4096;
	char *buf;
	int fd, rec, err;

	*bufp = NULL;
	if (lenp)
		*lenp = 0;
	fd = open_regular(sr, path);
	if (fd < 0)
		return fd;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap) {
			char *nbuf;

			if (cap > SYSROOT_MAX_FILE) {
				free(buf);
				close(fd);
				return -HP_ETOOBIG;
			}
			nbuf = realloc(buf, cap * 2);
			if (!nbuf) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			free(buf);
			close(fd);
			return -err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	if (memchr(buf, '\0', len)) {
		free(buf);
		return -HP_EBINARY;
	}
	rec = record_open(sr, path);
	if (rec >= 0) {
		(void)write_all(rec, buf, len);
		close(rec);
	}
	*bufp = buf;
	if (lenp)
		*lenp = len;
	return 0;
}

int sysroot_read_word(struct sysroot *sr, const char *path, char *out, size_t size)
{
	char *buf;
	size_t len;
	int rc;

	if (size)
		out[0] = '\0';
	rc = sysroot_read(sr, path, &buf, NULL);
	if (rc < 0)
		return rc;
	if (!buf)
		return -EIO;
	len = strcspn(buf, "\n");
	while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	if (len >= size) {
		free(buf);
		return -E2BIG;
	}
	memcpy(out, buf, len);
	out[len] = '\0';
	free(buf);
	return 0;
}

int sysroot_read_u64(struct sysroot *sr, const char *path, uint64_t *val,
		     char *word, size_t wsize)
{
	char w[64];
	int rc;

	rc = sysroot_read_word(sr, path, w, sizeof(w));
	if (word && wsize)
		snprintf(word, wsize, "%s", rc == -E2BIG ? "(too long)" : w);
	if (rc == -E2BIG)
		return -EINVAL;
	if (rc < 0)
		return rc;
	return parse_u64(w, val);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void sysroot_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int sysroot_list(struct sysroot *sr, const char *dir, char ***namesp, size_t *np)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int fd, err;

	fd = sysroot_openat(sr, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == EXDEV ? -ELOOP : -errno;
	d = fdopendir(fd);
	if (!d) {
		err = errno;
		close(fd);
		return -err;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			char **nn;

			cap = cap ? cap * 2 : 16;
			nn = realloc(names, cap * sizeof(*names));
			if (!nn)
				goto nomem;
			names = nn;
		}
		names[n] = strdup(de->d_name);
		if (!names[n])
			goto nomem;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	if (sr->recordfd >= 0 && strcmp(rel_of(dir), ".")) {
		record_mkdirs(sr->recordfd, rel_of(dir));
		mkdirat(sr->recordfd, rel_of(dir), 0755);
	}
	*namesp = names;
	*np = n;
	return 0;
nomem:
	closedir(d);
	sysroot_names_free(names, n);
	return -ENOMEM;
}

/*
 * The target of a symbolic link such as /proc/PID/fd/N.  A captured tree
 * stores it as a small regular file holding the target: archives (tar -h,
 * make dist) follow symbolic links, and the target of an fd link is rarely
 * there to follow.  Under --sysroot a real symlink is read as well.
 */
int sysroot_readlink(struct sysroot *sr, const char *path, char *buf, size_t size)
{
	char parent[PATH_MAX];
	const char *base;
	struct stat st;
	ssize_t n;
	int dfd, err, rec;

	base = strrchr(path, '/');
	if (!base || (size_t)(base - path) >= sizeof(parent))
		return -EINVAL;
	memcpy(parent, path, (size_t)(base - path));
	parent[base - path] = '\0';
	base++;
	dfd = sysroot_openat(sr, parent[0] ? parent : "/",
			     O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	if (!sr->live && fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode)) {
		int fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

		close(dfd);
		if (fd < 0)
			return -errno;
		n = read(fd, buf, size - 1);
		err = errno;
		close(fd);
		if (n < 0)
			return -err;
		buf[n] = '\0';
		return 0;
	}
	n = readlinkat(dfd, base, buf, size - 1);
	err = errno;
	close(dfd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	rec = record_open(sr, path);
	if (rec >= 0) {
		(void)write_all(rec, buf, (size_t)n);
		close(rec);
	}
	return 0;
}

int sysroot_lines(struct sysroot *sr, const char *path,
		  int (*fn)(const char *line, size_t len, void *ctx), void *ctx)
{
	size_t cap = 1 << 16, len = 0;
	char *buf;
	int fd, rec, rc = 0;

	fd = open_regular(sr, path);
	if (fd < 0)
		return fd;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	rec = record_open(sr, path);
	for (;;) {
		ssize_t n;
		char *start, *nl;

		if (len == cap) {
			/* One line longer than the buffer: grow, within reason. */
			char *nbuf;

			if (cap >= SYSROOT_MAX_FILE) {
				rc = -HP_ETOOBIG;
				break;
			}
			nbuf = realloc(buf, cap * 2);
			if (!nbuf) {
				rc = -ENOMEM;
				break;
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			/* A process that exits while we read is simply gone. */
			rc = err == ESRCH ? -ENOENT : -err;
			break;
		}
		if (rec >= 0 && n > 0)
			(void)write_all(rec, buf + len, (size_t)n);
		if (n == 0) {
			if (len > 0)
				rc = fn(buf, len, ctx);
			break;
		}
		len += (size_t)n;
		start = buf;
		while ((nl = memchr(start, '\n', len - (size_t)(start - buf)))) {
			rc = fn(start, (size_t)(nl - start), ctx);
			if (rc)
				break;
			start = nl + 1;
		}
		if (rc)
			break;
		len -= (size_t)(start - buf);
		memmove(buf, start, len);
	}
	if (rec >= 0)
		close(rec);
	free(buf);
	close(fd);
	return rc;
}
