// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * loader.c - finds the dynamic loader's refusal to map an object in a
 * program's output (see loader.h).  glibc's loader says which object and
 * which step: the segments (mmap), the zero-filled .bss pages, or an
 * allocation of its own.
 */
#include <stdio.h>
#include <string.h>

#include "diagnose/loader.h"

/* glibc's messages for a mapping or an allocation refused (its own
 * lower-case ones, and strerror(ENOMEM) after one of its steps). */
static const char *const messages[] = {
	"failed to map segment from shared object",
	"cannot map zero-fill pages",
	"cannot allocate memory",
	"Cannot allocate memory",
	"cannot create shared object descriptor",
	NULL,
};

#define AT_START "error while loading shared libraries: "

/* The object LINE names before ": " at HIT (or the loader's own step). */
static void object_of(const char *line, const char *hit, struct loader_failure *f)
{
	const char *start = strstr(line, AT_START), *p, *colon;

	start = start ? start + sizeof(AT_START) - 1 : NULL;
	/* "EAL: /path/lib.so.23.0: MESSAGE": the word before the message. */
	if (!start) {
		for (p = hit - 2; p > line && p[-1] != ' '; p--)
			;
		start = p;
	}
	colon = strstr(start, ": ");
	if (colon && colon < hit) {
		size_t len = (size_t)(colon - start);

		snprintf(f->lib, sizeof(f->lib), "%.*s", (int)(len < 255 ? len : 255), start);
	}
	if (!strstr(f->lib, ".so"))
		f->lib[0] = '\0';
}

bool loader_failure_find(const char *text, size_t len, struct loader_failure *f)
{
	const char *p = text, *end = text + len;

	memset(f, 0, sizeof(*f));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[1024];

		snprintf(line, sizeof(line), "%.*s", (int)(ll < sizeof(line) - 1 ? ll : sizeof(line) - 1), p);
		p += ll + (nl != NULL);
		for (size_t m = 0; messages[m]; m++) {
			const char *hit = strstr(line, messages[m]);
			bool at_start = strstr(line, AT_START) != NULL;

			/* "...: MESSAGE", at the start or of a named object. */
			if (!hit || hit - line < 3 || hit[-2] != ':' || hit[-1] != ' ')
				continue;
			object_of(line, hit, f);
			if (!at_start && !f->lib[0])
				continue;
			f->found = true;
			f->at_start = at_start;
			f->what = messages[m];
			snprintf(f->line, sizeof(f->line), "%.255s", line);
			return true;
		}
	}
	return false;
}
