/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rooted.h - the one rooted reader and writer.  Every file hpdiag reads or
 * writes under /proc, /sys, a hugetlbfs mount or /etc is opened relative
 * to a root directory fd, so a captured tree (--sysroot DIR) and the live
 * host take the same code path.  While a snapshot is taken, every file
 * read is also copied under a record directory, so the capture holds
 * exactly what hpdiag reads.
 *
 * Errors: 0, or -errno (with err.h's codes for a file that is not a
 * regular one, holds a NUL byte or is too large).  -ENOENT means absent,
 * which callers treat as "not available" when a file is optional.  These
 * functions never print and never keep a message: the caller, which knows
 * what it was reading, names the file.
 */
#ifndef HPDIAG_LIB_ROOTED_H
#define HPDIAG_LIB_ROOTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Largest file hpdiag reads whole; bigger ones are refused, not truncated. */
#define SYSROOT_MAX_FILE	(4u << 20)

struct sysroot {
	int rootfd;
	bool live;		/* the root is the running host's "/" */
	char *root;		/* "" for the live host, else the directory */
	int recordfd;		/* snapshot: copy every file read here, or -1 */
};

int sysroot_init(struct sysroot *sr, const char *dir);
void sysroot_release(struct sysroot *sr);

/* ---- reading ------------------------------------------------------------- */
int sysroot_read(struct sysroot *sr, const char *path, char **buf, size_t *len);
/* The first line, without trailing blanks: -E2BIG when it does not fit. */
int sysroot_read_word(struct sysroot *sr, const char *path, char *buf, size_t size);
/* A number alone in a file: -EINVAL or -ERANGE when it is not one; WORD
 * (may be NULL) gets what the file held, for the caller's message. */
int sysroot_read_u64(struct sysroot *sr, const char *path, uint64_t *val,
		     char *word, size_t wsize);
int sysroot_list(struct sysroot *sr, const char *dir, char ***names, size_t *n);
void sysroot_names_free(char **names, size_t n);
int sysroot_readlink(struct sysroot *sr, const char *path, char *buf, size_t size);
/* Calls fn for each line of a file of any size; fn returns 0 to go on, and
 * what else it returns is returned. */
int sysroot_lines(struct sysroot *sr, const char *path,
		  int (*fn)(const char *line, size_t len, void *ctx), void *ctx);
/* openat(2) of PATH below the root (-1 and errno, as openat). */
int sysroot_openat(struct sysroot *sr, const char *path, int flags);

/* ---- writing: no symbolic link is followed on the way -------------------- */
/* PATH opened (fd, or -errno) below the root, with no symbolic link in it. */
int sysroot_open_nofollow(struct sysroot *sr, const char *path, int flags,
			  mode_t mode);
/* The directory holding PATH, opened; *base points at the last component. */
int sysroot_dir_of(struct sysroot *sr, const char *path, const char **base);
/* 0 when this process may access PATH with MODE (W_OK...), else -errno. */
int sysroot_access(struct sysroot *sr, const char *path, int mode);
/* BUF as the whole content of PATH: a kernel file takes one write(); a
 * captured tree's file is replaced whole, keeping its mode. */
int sysroot_write(struct sysroot *sr, const char *path, const char *buf, size_t len);

/* Writes all of BUF to FD: 0 or -errno. */
int write_all(int fd, const char *buf, size_t len);
/*
 * Replaces BASE in DIRFD by a new file holding BUF, with MODE: written and
 * synced as an unnamed O_TMPFILE, named, renamed over BASE, the directory
 * synced.  Killed at any point, BASE is the old file or the new one.
 */
int replace_file(int dirfd, const char *base, const char *buf, size_t len,
		 mode_t mode);

#endif /* HPDIAG_LIB_ROOTED_H */
