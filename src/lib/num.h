/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * num.h - numbers, sizes and quoting: strict parsers for the numbers and
 * sizes a user types or a kernel file holds (a value that is not exactly a
 * number is an error, never a zero), arithmetic that saturates instead of
 * wrapping, sizes for people ("2 MiB") and for mount options ("2M"), and
 * the escapes of /proc files and of a shell command line.  Pure.
 */
#ifndef HPDIAG_LIB_NUM_H
#define HPDIAG_LIB_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A limit of "unlimited", and a number that is not known. */
#define HP_UNLIMITED	UINT64_MAX

/* The "s" of a plural: "%" PRIu64 " page%s", n, PL(n). */
#define PL(n)		((n) == 1 ? "" : "s")

/* Counts of pages, VMAs and bytes never wrap: they saturate. */
static inline uint64_t hp_sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static inline uint64_t hp_sat_sub(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

static inline uint64_t hp_sat_mul(uint64_t a, uint64_t b)
{
	return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

/* Whether V is a power of two (0 is not): the only sizes pages come in. */
static inline bool hp_is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static inline uint64_t hp_div_up(uint64_t a, uint64_t b)
{
	return b ? a / b + (a % b != 0) : 0;
}

static inline uint64_t hp_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static inline uint64_t hp_max(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* "1234" with optional blanks around it: 0, -EINVAL or -ERANGE. */
int parse_u64(const char *s, uint64_t *val);
/* "2M", "2MB", "2MiB", "1G", "2048kB", "64K", "2097152" (bytes). */
int parse_size(const char *s, uint64_t *bytes);
/* The kernel's list format: "0-3,8,10-11" (an empty string is no ids). */
int parse_list(const char *s, unsigned *ids, size_t max, size_t *n);

/* "2 MiB", "1 GiB", "64 KiB", "467 GiB", "1.5 GiB". */
char *format_bytes(uint64_t bytes, char *buf, size_t size);
/* SECONDS as a person reads it: "45 s", "12 min", "3 h 20 min", "2 days". */
char *format_duration(double seconds, char *buf, size_t size);
/* TOTAL, PART of it and the REST, each into a buffer of SIZE bytes, in the
 * unit of TOTAL and rounded so that the figures add up as printed ("23.5
 * GiB", "22.3 GiB", "1.2 GiB"). */
void format_parts(uint64_t total, uint64_t part, char *t, char *p, char *rest, size_t size);
/* "unlimited" or format_bytes(). */
const char *format_limit(uint64_t bytes, char *buf, size_t size);
/* "2M", "1G", "64K": as mount -o pagesize= takes them. */
char *format_short_size(uint64_t bytes, char *buf, size_t size);

/* Kernel-style octal escapes (\040) in mountinfo and maps paths. */
void unescape_octal(char *s);
/* Escapes space, tab, newline, backslash and control characters the way
 * mountinfo does; malloc'd, NULL when out of memory. */
char *escape_path(const char *s);
/* S as one shell word: itself when it needs no quoting, else in single
 * quotes (in BUF). */
const char *shell_quote(const char *s, char *buf, size_t size);

#endif /* HPDIAG_LIB_NUM_H */
