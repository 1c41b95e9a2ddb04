// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rule-host.c - pools that starve the kernel of normal memory (field
 * report 004: an arm64 host whose pools, sized for DPDK and all free,
 * left the kernel 8% of RAM and it panicked), on the host and per node.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "diagnose/rules.h"
#include "lib/pathnames.h"

/* Normal memory below STARVE_PERCENT of a node's RAM starves the kernel.
 * Sizing a pool back leaves this share of RAM to the kernel. */
#define STARVE_TARGET_PERCENT	15

static uint64_t pool_bytes(const struct snapshot *snap)
{
	uint64_t b = 0;

	for (size_t i = 0; i < snap->nr_pools; i++)
		b = hp_sat_add(b, snap->pools[i].total * snap->pools[i].page_size);
	return b;
}

static uint64_t pool_free_bytes(const struct snapshot *snap)
{
	uint64_t b = 0;

	for (size_t i = 0; i < snap->nr_pools; i++)
		b = hp_sat_add(b, hp_sat_sub(snap->pools[i].free, snap->pools[i].resv) *
			    snap->pools[i].page_size);
	return b;
}

static const struct pool *largest_pool(const struct snapshot *snap)
{
	const struct pool *best = NULL;

	/* A pool of no size holds nothing (the probes refuse one). */
	for (size_t i = 0; i < snap->nr_pools; i++)
		if (snap->pools[i].page_size &&
		    (!best || hp_sat_mul(snap->pools[i].total, snap->pools[i].page_size) >
			      hp_sat_mul(best->total, best->page_size)))
			best = &snap->pools[i];
	return best;
}

/* One warning for all nodes that pools leave short of normal memory. */
static void rule_starve_nodes(const struct snapshot *snap, struct findings *fs,
			      bool *any)
{
	uint64_t worst_left = UINT64_MAX, worst_total = 0, count = 0;
	char list[512] = "", s1[32], s2[32];
	unsigned worst = 0;
	struct finding *f;

	*any = false;
	for (size_t n = 0; n < snap->nr_nodes && snap->nr_nodes > 1; n++) {
		const struct node *nd = &snap->nodes[n];
		uint64_t nhuge = 0, left;
		size_t l = strlen(list);

		if (!nd->have_meminfo || !nd->mem_total)
			continue;
		for (size_t i = 0; i < snap->nr_pools; i++) {
			const struct pool_node *pn = pool_node(&snap->pools[i], nd->id);

			if (pn)
				nhuge = hp_sat_add(nhuge, pn->total * snap->pools[i].page_size);
		}
		left = hp_sat_sub(nd->mem_total, nhuge);
		if (left * 100 >= nd->mem_total * STARVE_PERCENT)
			continue;
		count++;
		if (left < worst_left) {
			worst_left = left;
			worst_total = nd->mem_total;
			worst = nd->id;
		}
		if (l + 48 < sizeof(list))
			snprintf(list + l, sizeof(list) - l, "%snode %u %s", l ? ", " : "",
				 nd->id, format_bytes(left, s1, sizeof(s1)));
		else if (!strstr(list, ", ..."))
			snprintf(list + l, sizeof(list) - l, ", ...");
	}
	if (!count)
		return;
	*any = true;
	f = finding_add(fs, CHECK_STARVE_KERNEL, HP_WARN, CAUSE_NONE,
			"on %" PRIu64 " of %zu NUMA nodes hugepage pools leave under "
			"%d%% of the node's memory for the kernel (left: %s); the "
			"worst, node %u, keeps %s of %s", count, snap->nr_nodes,
			STARVE_PERCENT, list, worst, format_bytes(worst_left, s1, sizeof(s1)),
			format_bytes(worst_total, s2, sizeof(s2)));
	finding_num(f, "nodes", count);
	finding_num(f, "worst_node", worst);
	finding_num(f, "worst_node_mem_total", worst_total);
	finding_num(f, "worst_node_normal_bytes", worst_left);
	finding_remedy(f, "shrink the pools on those nodes: echo N > "
	       PATH_NODES "/nodeK/hugepages/hugepages-SIZEkB/nr_hugepages");
}

void rule_starve(const struct snapshot *snap, const struct need *need,
		 struct findings *fs)
{
	uint64_t total = snap->mem.mem_total, huge = pool_bytes(snap);
	uint64_t normal = hp_sat_sub(total, huge), unused = pool_free_bytes(snap);
	const struct pool *big = largest_pool(snap);
	char s1[32], s2[32], s3[32], s4[32], file[128];
	struct finding *f;
	bool any_node = false;

	if (!total)
		return;
	rule_starve_nodes(snap, fs, &any_node);
	if (!pools_starve(snap, 0)) {
		if (!any_node) {
			f = finding_add(fs, CHECK_STARVE_KERNEL, HP_PASS, CAUSE_NONE,
					"hugepage pools take %s of %s: %s is left "
					"for the kernel", format_bytes(huge, s1, sizeof(s1)),
					format_bytes(total, s2, sizeof(s2)),
					format_bytes(normal, s3, sizeof(s3)));
			finding_num(f, "mem_total", total);
			finding_num(f, "hugepages_bytes", huge);
			finding_num(f, "normal_bytes", normal);
		}
		return;
	}
	f = finding_add(fs, CHECK_STARVE_KERNEL, HP_WARN, CAUSE_NONE,
			"hugepage pools take %s of %s RAM, leaving %s (under "
			"%d%%) for the kernel and every other process; %s of "
			"the pools is reserved but unused", format_bytes(huge, s1, sizeof(s1)),
			format_bytes(total, s2, sizeof(s2)), format_bytes(normal, s3, sizeof(s3)),
			STARVE_PERCENT, format_bytes(unused, s4, sizeof(s4)));
	finding_num(f, "mem_total", total);
	finding_num(f, "hugepages_bytes", huge);
	finding_num(f, "hugepages_unused_bytes", unused);
	finding_num(f, "normal_bytes", normal);
	if (big) {
		/* Shrink the biggest pool until 15% of RAM is normal memory,
		 * but never below what is in use or what the workload needs. */
		uint64_t others = huge - big->total * big->page_size;
		uint64_t cap = hp_sat_sub(total / 100 * (100 - STARVE_TARGET_PERCENT),
				       others) / big->page_size;
		uint64_t used = hp_sat_sub(big->total, big->free);
		uint64_t floor = used + (big->page_size == need->page_size ?
					 need->pages : 0);

		pool_file(file, sizeof(file), big->page_size, -1, "nr_hugepages");
		finding_remedy(f, "echo %" PRIu64 " > %s (size the pool to "
		       "what its users need)", cap > floor ? cap : floor, file);
	}
}
