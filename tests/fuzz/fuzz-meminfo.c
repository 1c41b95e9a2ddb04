// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-meminfo.c - /proc/meminfo and a node's meminfo. */
#include "fuzz.h"
#include "probe/snapshot.h"
#include "probe/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), bad[128];
	struct meminfo mem;
	uint64_t total, nfree;

	memset(&mem, 0, sizeof(mem));
	parse_meminfo(s, &mem, bad, sizeof(bad));
	parse_node_meminfo(s, &total, &nfree, bad, sizeof(bad));
	free(s);
	return 0;
}
