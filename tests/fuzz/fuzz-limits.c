// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-limits.c - /proc/PID/limits. */
#include "fuzz.h"
#include "probe/snapshot.h"
#include "probe/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), bad[128];
	struct rlim rl[RL_COUNT];

	parse_limits(s, rl, bad, sizeof(bad));
	free(s);
	return 0;
}
