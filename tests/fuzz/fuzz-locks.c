// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-locks.c - lines of /proc/locks: the file (device and inode) and the
 * process of each lock, lease or waiting request. */
#include "fuzz.h"
#include "lib/proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct lock_entry e;

		if (locks_parse_line(p, len, &e) == 0 && (e.pid < -1 || e.major > 0xfff))
			abort();
		p += len + 1;
	}
	return 0;
}
