// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-maps.c - lines of /proc/PID/maps, the paths' escapes, and the
 * grouping name of a mapping. */
#include "fuzz.h"
#include "lib/proc.h"
#include "probe/vma.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		uint64_t start, stop, off;
		const char *path;
		size_t plen;
		char obj[512];

		if (maps_parse_line(p, len, &start, &stop, &off, &path, &plen) == 0)
			vma_object(path, plen, obj, sizeof(obj));
		p += len + 1;
	}
	{
		char *s = fuzz_string(data, size), *e;

		unescape_octal(s);
		e = escape_path(s);
		free(e);
		free(s);
	}
	return 0;
}
