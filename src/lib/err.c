// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * err.c - the error record, the phrases for hpdiag's own error codes, and
 * the two functions that print to standard error (see err.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"

int hp_vfail(struct hp_error *e, int code, const char *fmt, va_list ap)
{
	if (e)
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	if (code < 0)
		code = -code;
	return code ? -code : -5;	/* -EIO: never 0 */
}

int hp_fail(struct hp_error *e, int code, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = hp_vfail(e, code, fmt, ap);
	va_end(ap);
	return rc;
}

const char *hp_strerror(int rc)
{
	if (rc < 0)
		rc = -rc;
	switch (rc) {
	case HP_ENOTREG:
		return "not a regular file";
	case HP_EBINARY:
		return "binary data (a NUL byte) in a text file";
	case HP_ETOOBIG:
		return "file is larger than 4 MiB";
	default:
		return strerror(rc);
	}
}

/* "hpdiag: MESSAGE", one line on stderr. */
static void __attribute__((format(printf, 1, 0))) say(const char *fmt, va_list ap)
{
	fputs("hpdiag: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void errorx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	return EXIT_ERROR;
}
