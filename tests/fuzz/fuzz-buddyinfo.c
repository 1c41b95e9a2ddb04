// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-buddyinfo.c - lines of /proc/buddyinfo. */
#include "fuzz.h"
#include "probe/snapshot.h"
#include "probe/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), *save = NULL;

	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct buddy_zone z;

		parse_buddy_line(line, &z);
	}
	free(s);
	return 0;
}
