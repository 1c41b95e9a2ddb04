// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * untrusted.c - an application's log is untrusted input: a line carrying
 * ESC[2J or an OSC title sequence must reach the terminal as text, not as
 * a command to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/untrusted.h"

#define SNIFF_BYTES 65536

/* The length of the UTF-8 sequence at P (at most N bytes), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t want;

	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	want = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (n < want)
		return 0;
	for (size_t i = 1; i < want; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return want;
}

int text_is_binary(const char *buf, size_t len, size_t *at)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES, bad = 0;

	*at = 0;
	for (size_t i = 0; i < n; i++) {
		size_t u;

		if (p[i] == '\0') {
			*at = i;
			return 1;
		}
		if (p[i] >= 0x80) {
			u = utf8_len(p + i, n - i);
			if (u) {
				i += u - 1;
				continue;
			}
		} else if (p[i] >= 0x20 || p[i] == '\t' || p[i] == '\n' || p[i] == '\r' ||
			   p[i] == 0x1b || p[i] == '\a' || p[i] == '\b') {
			continue;
		}
		if (!bad++)
			*at = i;
	}
	return bad * 10 > n;
}

/* An escape sequence at P (N bytes): its length, and whether it is a
 * colour (SGR) sequence. */
static size_t escape_len(const unsigned char *p, size_t n, int *sgr)
{
	size_t i;

	*sgr = 0;
	if (n < 2)
		return 1;
	if (p[1] == '[') {		/* CSI: parameters, intermediates, a final byte */
		for (i = 2; i < n && p[i] >= 0x20 && p[i] <= 0x3f; i++)
			;
		if (i < n && p[i] >= 0x40 && p[i] <= 0x7e) {
			*sgr = p[i] == 'm';
			return i + 1;
		}
		return i;
	}
	if (p[1] == ']' || p[1] == 'P' || p[1] == '_' || p[1] == '^') {
		/* OSC, DCS, APC, PM: to BEL or ESC \ */
		for (i = 2; i < n && p[i] != '\a' && p[i] != '\n'; i++)
			if (p[i] == 0x1b && i + 1 < n && p[i + 1] == '\\')
				return i + 2;
		return i < n && p[i] == '\a' ? i + 1 : i;
	}
	return 2;
}

char *text_untrusted(const char *in, size_t len)
{
	const unsigned char *p = (const unsigned char *)in;
	/* At worst each byte becomes "\xNN". */
	char *out = malloc(len * 4 + 1), *o = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; ) {
		size_t u;
		int sgr;

		if (p[i] == 0x1b) {
			size_t e = escape_len(p + i, len - i, &sgr);

			if (!sgr) {
				*o++ = '\\';
				*o++ = 'e';
				for (size_t k = 1; k < e; k++)
					o += sprintf(o, p[i + k] < 0x20 || p[i + k] >= 0x7f ?
						     "\\x%02x" : "%c", p[i + k]);
			}
			i += e;
		} else if (p[i] == '\r' && (i + 1 == len || p[i + 1] == '\n')) {
			i++;	/* a CRLF line end */
		} else if (p[i] == '\t' || p[i] == '\n' || (p[i] >= 0x20 && p[i] < 0x7f)) {
			*o++ = (char)p[i++];
		} else if (p[i] == '\a') {
			o += sprintf(o, "\\a");
			i++;
		} else if (p[i] >= 0x80 && (u = utf8_len(p + i, len - i)) &&
			   !(u == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0)) {
			memcpy(o, p + i, u);
			o += u;
			i += u;
		} else {
			/* Other controls, a lone CR (a line rewritten in place
			 * shows as written), bytes that are not UTF-8, and C1
			 * controls (U+0080..U+009F). */
			o += sprintf(o, "\\x%02x", p[i++]);
		}
	}
	*o = '\0';
	return out;
}

const char *text_safe(const char *s, char *buf, size_t size)
{
	char *t;

	if (!size)
		return "";
	for (const char *c = s; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			goto escape;
	return s;
escape:
	t = text_untrusted(s, strlen(s));
	snprintf(buf, size, "%s", t ? t : "?");
	free(t);
	return buf;
}
