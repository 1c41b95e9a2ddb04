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

/* The pool of a node that takes most of its memory. */
static const struct pool *largest_on_node(const struct snapshot *snap, unsigned node)
{
	const struct pool *best = NULL;
	uint64_t best_bytes = 0;

	for (size_t i = 0; i < snap->nr_pools; i++) {
		const struct pool_node *pn = pool_node(&snap->pools[i], node);
		uint64_t b = pn ? hp_sat_mul(pn->total, snap->pools[i].page_size) : 0;

		if (b > best_bytes) {
			best = &snap->pools[i];
			best_bytes = b;
		}
	}
	return best;
}

/* The size of NODE's share of pool P that leaves the node
 * STARVE_TARGET_PERCENT of its memory, never below the pages in use there. */
static uint64_t node_pool_cap(const struct snapshot *snap, const struct node *nd,
			      const struct pool *p)
{
	const struct pool_node *pn = pool_node(p, nd->id);
	uint64_t others = 0, cap;

	for (size_t i = 0; i < snap->nr_pools; i++) {
		const struct pool_node *o = pool_node(&snap->pools[i], nd->id);

		if (&snap->pools[i] != p && o)
			others = hp_sat_add(others, hp_sat_mul(o->total, snap->pools[i].page_size));
	}
	cap = hp_sat_sub(nd->mem_total / 100 * (100 - STARVE_TARGET_PERCENT), others) /
	      p->page_size;
	return pn && cap < hp_sat_sub(pn->total, pn->free) ? hp_sat_sub(pn->total, pn->free) : cap;
}

/* One warning for all nodes that pools leave short of normal memory, with
 * the size of each one's largest pool that leaves it enough. */
static void rule_starve_nodes(const struct snapshot *snap, struct findings *fs,
			      bool *any)
{
	uint64_t worst_left = UINT64_MAX, worst_total = 0, count = 0;
	char s1[32], s2[32], s3[32], file[160];
	unsigned worst = 0;
	struct finding *f = NULL;

	*any = false;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t n = 0; n < snap->nr_nodes && snap->nr_nodes > 1; n++) {
			const struct node *nd = &snap->nodes[n];
			const struct pool *big;
			uint64_t nhuge = 0, left;

			if (!nd->have_meminfo || !nd->mem_total)
				continue;
			for (size_t i = 0; i < snap->nr_pools; i++) {
				const struct pool_node *pn = pool_node(&snap->pools[i], nd->id);

				if (pn)
					nhuge = hp_sat_add(nhuge, hp_sat_mul(pn->total,
								snap->pools[i].page_size));
			}
			left = hp_sat_sub(nd->mem_total, nhuge);
			if (left * 100 >= nd->mem_total * STARVE_PERCENT)
				continue;
			if (pass == 0) {
				count++;
				if (left < worst_left) {
					worst_left = left;
					worst_total = nd->mem_total;
					worst = nd->id;
				}
				continue;
			}
			big = largest_on_node(snap, nd->id);
			if (!big)
				continue;
			pool_file(file, sizeof(file), big->page_size, (int)nd->id, "nr_hugepages");
			remedy_write(f, snap, file, node_pool_cap(snap, nd, big));
		}
		if (pass == 0) {
			if (!count)
				return;
			*any = true;
			format_parts(worst_total, hp_sat_sub(worst_total, worst_left), s2, s3,
				     s1, sizeof(s1));
			f = finding_add(fs, CHECK_STARVE_KERNEL, HP_WARN, CAUSE_NONE,
					"on %" PRIu64 " of %zu NUMA nodes hugepage pools leave "
					"under %d%% of the node's memory for the kernel; the "
					"worst, node %u, keeps %s of %s", count, snap->nr_nodes,
					STARVE_PERCENT, worst, s1, s2);
			finding_num(f, "nodes", count);
			finding_num(f, "worst_node", worst);
			finding_num(f, "worst_node_mem_total", worst_total);
			finding_num(f, "worst_node_normal_bytes", worst_left);
		}
	}
	finding_note(f, "each node's largest pool sized to leave the node %d%% of its "
		     "memory, and never below the pages in use there", STARVE_TARGET_PERCENT);
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
			format_parts(total, huge, s2, s1, s3, sizeof(s1));
			f = finding_add(fs, CHECK_STARVE_KERNEL, HP_PASS, CAUSE_NONE,
					"hugepage pools take %s of %s: %s is left "
					"for the kernel", s1, s2, s3);
			finding_num(f, "mem_total", total);
			finding_num(f, "hugepages_bytes", huge);
			finding_num(f, "normal_bytes", normal);
		}
		return;
	}
	format_parts(total, huge, s2, s1, s3, sizeof(s1));
	f = finding_add(fs, CHECK_STARVE_KERNEL, HP_WARN, CAUSE_NONE,
			"hugepage pools take %s of %s RAM, leaving %s (under "
			"%d%%) for the kernel and every other process; %s of "
			"the pools is reserved but unused", s1, s2, s3,
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
		remedy_write(f, snap, file, cap > floor ? cap : floor);
		finding_note(f, "sized to leave %d%% of RAM to the kernel, and never below "
			     "the pages in use and those the workload needs",
			     STARVE_TARGET_PERCENT);
	}
}
