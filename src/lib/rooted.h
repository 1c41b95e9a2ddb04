/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sysroot.h - the one rooted reader.  Every file hpdiag reads from /proc,
 * /sys or a hugetlbfs mount is opened relative to a root directory fd, so a
 * captured tree (--sysroot DIR) and the live host take the same code path.
 * While a snapshot is taken, every file read is also copied under a record
 * directory, so the capture holds exactly what hpdiag reads.
 */
#ifndef HPDIAG_SYSROOT_H
#define HPDIAG_SYSROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest file hpdiag reads whole; bigger ones are refused, not truncated. */
#define SYSROOT_MAX_FILE	(4u << 20)

struct sysroot {
	int rootfd;
	bool live;		/* the root is the running host's "/" */
	char *root;		/* "" for the live host, else the directory */
	int recordfd;		/* snapshot: copy every file read here, or -1 */
	char err[1024];		/* the last error, "FILE: what was wrong" */
};

int sysroot_init(struct sysroot *sr, const char *dir);
void sysroot_release(struct sysroot *sr);

/*
 * Errors: 0 on success, -ENOENT when the file is absent (which callers treat
 * as "not available" when the file is optional), other -errno values with
 * sr->err describing the problem and naming the file.
 */
int sysroot_read(struct sysroot *sr, const char *path, char **buf, size_t *len);
int sysroot_read_u64(struct sysroot *sr, const char *path, uint64_t *val);
int sysroot_read_word(struct sysroot *sr, const char *path, char *buf, size_t size);
int sysroot_list(struct sysroot *sr, const char *dir, char ***names, size_t *n);
int sysroot_readlink(struct sysroot *sr, const char *path, char *buf, size_t size);
/* Calls fn for each line of a file of any size; fn returns 0 to go on. */
int sysroot_lines(struct sysroot *sr, const char *path,
		  int (*fn)(const char *line, size_t len, void *ctx), void *ctx);

/* openat(2) of PATH below the root, with the sysroot's resolution rules. */
int sysroot_openat(struct sysroot *sr, const char *path, int flags);

int sysroot_fail(struct sysroot *sr, int err, const char *path,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void sysroot_names_free(char **names, size_t n);

#endif /* HPDIAG_SYSROOT_H */
