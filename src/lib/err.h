/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * err.h - exit codes, the one way hpdiag says an error, and the error
 * record a layer fills when it decides a failure is fatal.  Lower layers
 * return 0 or -errno and never print; the function that knows what was
 * being read (the file, the line) writes the record once, and the command
 * prints it.  A few conditions have no errno of their own: they get codes
 * above the kernel's, which hp_strerror() names.
 */
#ifndef HPDIAG_LIB_ERR_H
#define HPDIAG_LIB_ERR_H

#include <stdarg.h>
#include <stddef.h>

/* Exit status: every finding passes, warnings only, a failure, and
 * hpdiag could not do its job. */
#define EXIT_PASS	0
#define EXIT_WARN	1
#define EXIT_FAIL	2
#define EXIT_ERROR	3

/* Codes of the rooted reader beyond errno (returned negated). */
#define HP_ENOTREG	4096	/* not a regular file (a FIFO, a device) */
#define HP_EBINARY	4097	/* a NUL byte in a text file */
#define HP_ETOOBIG	4098	/* larger than the reader takes */

/* What went wrong, said once by the layer that knows the file. */
struct hp_error {
	char msg[1024];
};

/* Formats the record and returns -CODE (never 0: the caller reads an
 * error from it). */
int hp_fail(struct hp_error *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int hp_vfail(struct hp_error *e, int code, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* strerror(), and a phrase for hpdiag's own codes; RC is -errno or errno. */
const char *hp_strerror(int rc);

/* "hpdiag: MESSAGE" on standard error. */
void errorx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same, then where to read the usage; returns EXIT_ERROR. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* HPDIAG_LIB_ERR_H */
