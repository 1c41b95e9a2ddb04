// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * num.c - numbers, sizes and quoting (see num.h).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/num.h"

/* Decimal digits at *P (at least one), without overflow; *P moves past. */
static int digits(const char **pp, uint64_t *val)
{
	const char *p = *pp;
	uint64_t v = 0;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*pp = p;
	*val = v;
	return 0;
}

int parse_u64(const char *s, uint64_t *val)
{
	const char *p = s;
	uint64_t v;
	int rc;

	while (*p == ' ' || *p == '\t')
		p++;
	if ((rc = digits(&p, &v)) < 0)
		return rc;
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	*val = v;
	return 0;
}

/* "2M", "2MB", "2MiB", "1G", "2048kB", "64K", "2097152" (bytes). */
int parse_size(const char *s, uint64_t *bytes)
{
	uint64_t v, mult = 1;
	const char *p = s;
	char unit;
	int rc;

	if ((rc = digits(&p, &v)) < 0)
		return rc;
	unit = (char)toupper((unsigned char)*p);
	switch (unit) {
	case '\0':
		break;
	case 'K':
		mult = 1ULL << 10;
		break;
	case 'M':
		mult = 1ULL << 20;
		break;
	case 'G':
		mult = 1ULL << 30;
		break;
	case 'T':
		mult = 1ULL << 40;
		break;
	default:
		return -EINVAL;
	}
	if (unit) {
		p++;
		if (*p == 'i')
			p++;
		if (*p == 'B' || *p == 'b')
			p++;
		if (*p)
			return -EINVAL;
	}
	if (v && mult > UINT64_MAX / v)
		return -ERANGE;
	*bytes = v * mult;
	return 0;
}

/* The kernel's list format: "0-3,8,10-11" (an empty string is no ids). */
int parse_list(const char *s, unsigned *ids, size_t max, size_t *n)
{
	const char *p = s;

	*n = 0;
	while (*p == ' ' || *p == '\n')
		p++;
	while (*p) {
		unsigned long a, b;
		char *end;

		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		a = strtoul(p, &end, 10);
		b = a;
		p = end;
		if (*p == '-') {
			p++;
			if (!isdigit((unsigned char)*p))
				return -EINVAL;
			b = strtoul(p, &end, 10);
			p = end;
		}
		if (b < a || b > 65535)
			return -ERANGE;
		for (unsigned long i = a; i <= b; i++) {
			if (*n >= max)
				return -ERANGE;
			ids[(*n)++] = (unsigned)i;
		}
		if (*p == ',')
			p++;
		else if (*p == '\n' || *p == ' ')
			while (*p == '\n' || *p == ' ')
				p++;
		else if (*p)
			return -EINVAL;
	}
	return 0;
}

void unescape_octal(char *s)
{
	char *w = s;

	for (char *r = s; *r; ) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' &&
		    r[2] >= '0' && r[2] <= '7' && r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)(((r[1] - '0') << 6) | ((r[2] - '0') << 3) |
				      (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* Escapes space, tab, newline and backslash the way mountinfo does. */
char *escape_path(const char *s)
{
	char *out, *w;

	out = malloc(strlen(s) * 4 + 1);
	if (!out)
		return NULL;
	w = out;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\\' || c < 0x20) {
			sprintf(w, "\\%03o", c);
			w += 4;
		} else {
			*w++ = (char)c;
		}
	}
	*w = '\0';
	return out;
}

char *format_bytes(uint64_t bytes, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned u = 0;
	uint64_t whole = bytes, rem = 0;

	while (whole >= 1024 && u < 6) {
		rem = whole % 1024;
		whole /= 1024;
		u++;
	}
	if (rem == 0 || whole >= 100)
		snprintf(buf, size, "%" PRIu64 " %s", whole, units[u]);
	else
		snprintf(buf, size, "%" PRIu64 ".%" PRIu64 " %s", whole,
			 rem * 10 / 1024, units[u]);
	return buf;
}

/* V in tenths of UNIT (2^(10*u) bytes), rounded to the nearest. */
static uint64_t tenths(uint64_t v, unsigned u)
{
	long double x = (long double)v * 10.0L;

	for (unsigned k = 0; k < u; k++)
		x /= 1024.0L;
	return (uint64_t)(x + 0.5L);
}

static void print_tenths(uint64_t t, unsigned u, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };

	if (t % 10 == 0)
		snprintf(buf, size, "%" PRIu64 " %s", t / 10, units[u]);
	else
		snprintf(buf, size, "%" PRIu64 ".%" PRIu64 " %s", t / 10, t % 10, units[u]);
}

void format_parts(uint64_t total, uint64_t part, char *t, char *p, char *rest, size_t size)
{
	unsigned u = 0;
	uint64_t tt, pt;

	if (part > total)
		part = total;
	for (uint64_t w = total; w >= 1024 && u < 6; w /= 1024)
		u++;
	tt = tenths(total, u);
	pt = tenths(part, u);
	/* From 100 up, whole units, as format_bytes(); each rounded, and the
	 * rest what is left of the total as printed. */
	if (tt >= 1000) {
		tt = (tt + 5) / 10 * 10;
		pt = (pt + 5) / 10 * 10;
	}
	print_tenths(tt, u, t, size);
	/* A part under one of the total's units is shown in its own:
	 * "128 MiB of 23.5 GiB", not "0.1 GiB"; nothing is "0 B". */
	if (pt < 10)
		format_bytes(part, p, size);
	else
		print_tenths(pt, u, p, size);
	print_tenths(tt - (pt > tt ? tt : pt), u, rest, size);
}

char *format_duration(double seconds, char *buf, size_t size)
{
	uint64_t s = seconds > 0 ? (uint64_t)(seconds + 0.5) : 0;

	if (s < 90)
		snprintf(buf, size, "%" PRIu64 " s", s);
	else if (s < 90ULL * 60)
		snprintf(buf, size, "%" PRIu64 " min", (s + 30) / 60);
	else if (s < 48ULL * 3600 && (s + 30) / 60 % 60)
		snprintf(buf, size, "%" PRIu64 " h %" PRIu64 " min", (s + 30) / 3600,
			 (s + 30) / 60 % 60);
	else if (s < 48ULL * 3600)
		snprintf(buf, size, "%" PRIu64 " h", (s + 30) / 3600);
	else
		snprintf(buf, size, "%" PRIu64 " days", (s + 43200) / 86400);
	return buf;
}

const char *format_limit(uint64_t bytes, char *buf, size_t size)
{
	return bytes == HP_UNLIMITED ? "unlimited" : format_bytes(bytes, buf, size);
}

char *format_short_size(uint64_t bytes, char *buf, size_t size)
{
	if (bytes >= (1ULL << 30) && !(bytes % (1ULL << 30)))
		snprintf(buf, size, "%" PRIu64 "G", bytes >> 30);
	else if (bytes >= (1ULL << 20) && !(bytes % (1ULL << 20)))
		snprintf(buf, size, "%" PRIu64 "M", bytes >> 20);
	else
		snprintf(buf, size, "%" PRIu64 "K", bytes >> 10);
	return buf;
}

const char *shell_quote(const char *s, char *buf, size_t size)
{
	size_t w = 0;

	if (s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		     "0123456789/._-+,:=@%")] == '\0' && *s)
		return s;
	if (size < 3)
		return "''";
	buf[w++] = '\'';
	for (; *s && w + 5 < size; s++) {
		if (*s == '\'') {
			memcpy(buf + w, "'\\''", 4);
			w += 4;
		} else {
			buf[w++] = *s;
		}
	}
	buf[w++] = '\'';
	buf[w] = '\0';
	return buf;
}
