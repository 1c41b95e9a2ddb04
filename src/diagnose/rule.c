// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rule.c - what the rules share: when a limit is tight, when the
 * application meets a failure, whether pools starve the kernel, how far to
 * raise vm.max_map_count.
 */
#include <stdint.h>

#include "diagnose/rules.h"

/* True when LIMIT leaves less than 10% above NEED. */
bool dg_tight(uint64_t need, uint64_t limit)
{
	uint64_t spare;

	if (limit == HP_UNLIMITED || limit < need)
		return false;
	spare = limit - need;
	return spare < UINT64_MAX / 10 && spare * 10 < need;
}

/*
 * When the application meets each limit, in DPDK's order: discovering the
 * pools and mounts, reserving the memseg lists' address space, (legacy) the
 * first pass over the pool, checking the page count, then page by page -
 * where the limit with the least room is the one met first.
 */
void dg_set_order(struct finding *f, enum stage st, uint64_t room)
{
	if (!f)
		return;
	f->order = (uint64_t)st << 48 | (room < (1ULL << 48) ? room : (1ULL << 48) - 1);
}

bool pools_starve(const struct snapshot *snap, uint64_t grow)
{
	uint64_t total = snap->mem.mem_total, huge = grow;

	for (size_t i = 0; i < snap->nr_pools; i++)
		huge = hp_sat_add(huge, snap->pools[i].total * snap->pools[i].page_size);
	return total && hp_sat_sub(total, huge) * 100 < total * STARVE_PERCENT;
}

uint64_t suggest_max_map_count(uint64_t need)
{
	uint64_t v = hp_sat_add(need, need / 5);

	v = (v + 1023) & ~(uint64_t)1023;
	return v < 65530 ? 65530 : v;
}
