// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-numbers.c - sysfs numbers, sizes, node and CPU lists, directory
 * names, and the formatters that print them back. */
#include "fuzz.h"
#include "probe/snapshot.h"
#include "probe/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), out[64];
	unsigned ids[64], node;
	uint64_t v;
	size_t n;

	if (parse_u64(s, &v) == 0) {
		format_bytes(v, out, sizeof(out));
		format_cgroup_size(v, out, sizeof(out));
		format_short_size(v, out, sizeof(out));
	}
	if (parse_size(s, &v) == 0)
		format_short_size(v, out, sizeof(out));
	parse_list(s, ids, sizeof(ids) / sizeof(ids[0]), &n);
	parse_hugepages_dir(s, &v);
	parse_node_dir(s, &node);
	free(s);
	return 0;
}
