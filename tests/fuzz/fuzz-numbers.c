// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-numbers.c - sysfs numbers, sizes, node and CPU lists, directory
 * names and PCI addresses, the formatters that print them back, and the
 * kernel command line's hugepage parameters. */
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
	parse_pci_addr(s);
	{
		static const unsigned online[] = { 0, 1, 3 };
		struct boot_pools bp;

		parse_boot_pools(s, online, 3, &bp);
		for (size_t i = 0; i < bp.n; i++)
			if (bp.v[i].nr_nodes > BOOT_MAX_NODES ||
			    (bp.v[i].page_size && !hp_is_pow2(bp.v[i].page_size)))
				abort();
	}
	free(s);
	return 0;
}
