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

/* glibc's messages for a mapping or an allocation refused. */
static const char *const messages[] = {
	"failed to map segment from shared object",
	"cannot map zero-fill pages",
	"cannot allocate memory",
	"cannot create shared object descriptor",
	NULL,
};

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
			char *hit = strstr(line, messages[m]), *lib;

			/* "LIB: MESSAGE", LIB a shared object's name. */
			if (!hit || hit - line < 3 || hit[-2] != ':' || hit[-1] != ' ')
				continue;
			hit[-2] = '\0';
			lib = strrchr(line, ' ');
			lib = lib ? lib + 1 : line;
			if (!strstr(lib, ".so"))
				continue;
			f->found = true;
			f->at_start = strstr(line, "error while loading shared libraries") != NULL;
			f->what = messages[m];
			snprintf(f->lib, sizeof(f->lib), "%.255s", lib);
			hit[-2] = ':';
			snprintf(f->line, sizeof(f->line), "%.255s", line);
			return true;
		}
	}
	return false;
}
