// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rule-boot.c - the pools the kernel command line asks for at boot against
 * the pools the kernel has: a boot-time reservation that was not obtained
 * (too little memory, memory too fragmented by the time a size's turn
 * came, a size the kernel does not support, a node that is not there) is
 * a warning with both numbers, whether or not this workload needs them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "diagnose/rules.h"
#include "lib/pathnames.h"

static void boot_evidence(struct finding *f, uint64_t ps, uint64_t want,
			  uint64_t have, int node, bool cma)
{
	finding_num(f, "page_size", ps);
	if (node >= 0)
		finding_num(f, "node", (uint64_t)node);
	finding_num(f, "boot_pages", want);
	finding_num(f, "pages", have);
	if (cma)
		finding_num(f, "cma", 1);
}

/* The pool (or a node's share) has fewer persistent pages than asked. */
static void boot_short(const struct snapshot *snap, const struct boot_pool *e,
		       const struct pool *p, int node, uint64_t want,
		       uint64_t have, struct findings *fs)
{
	char s1[32], where[48] = "", file[160];
	struct finding *f;

	format_bytes(p->page_size, s1, sizeof(s1));
	if (node >= 0)
		snprintf(where, sizeof(where), " on node %d", node);
	f = finding_add(fs, CHECK_BOOT_POOL_SHORT, HP_WARN, CAUSE_NONE,
			"the kernel command line asks for %" PRIu64 " %s hugepages%s "
			"at boot (%s), the %s has %" PRIu64 ": the kernel could "
			"not allocate the rest at boot (too little memory, or too "
			"fragmented), or they were released since%s", want, s1,
			where, e->param, node >= 0 ? "node's pool" : "pool", have,
			snap->boot.cma ? "; with hugetlb_cma= the kernel allocates "
			"no pages larger than the page allocator's blocks at boot" : "");
	boot_evidence(f, p->page_size, want, have, node, snap->boot.cma);
	pool_file(file, sizeof(file), p->page_size, node, "nr_hugepages");
	remedy_write(f, snap, file, want);
	finding_note(f, "grows it now if memory allows; dmesg | grep HugeTLB says why "
		     "the boot allocation fell short");
}

/* The command line asks for a size this kernel does not have. */
static void boot_no_pool(const struct snapshot *snap, const struct boot_pool *e,
			 uint64_t ps, struct findings *fs)
{
	char s1[32], s2[32], list[256] = "";
	struct finding *f;

	if (ps)
		snprintf(s1, sizeof(s1), " %s", format_bytes(ps, s2, sizeof(s2)));
	else
		s1[0] = '\0';
	if (!snap->nr_pools) {
		f = finding_add(fs, CHECK_BOOT_POOL_SHORT, HP_WARN, CAUSE_NONE,
				"the kernel command line asks for %" PRIu64 "%s hugepages "
				"at boot (%s), but this kernel has no hugepages at all: "
				"it ignores them", e->pages, s1, e->param);
		boot_evidence(f, ps, e->pages, 0, -1, false);
		finding_note(f, "use a kernel built with CONFIG_HUGETLBFS");
		return;
	}
	for (size_t i = 0; i < snap->nr_pools; i++) {
		size_t l = strlen(list);

		snprintf(list + l, sizeof(list) - l, "%s%s", i ? ", " : "",
			 format_short_size(snap->pools[i].page_size, s2, sizeof(s2)));
	}
	format_bytes(ps, s1, sizeof(s1));
	f = finding_add(fs, CHECK_BOOT_POOL_SHORT, HP_WARN, CAUSE_NONE,
			"the kernel command line asks for %" PRIu64 " %s hugepages at "
			"boot (%s), but this kernel has no pool of %s pages: it does "
			"not support that size and ignored them", e->pages, s1,
			e->param, s1);
	boot_evidence(f, ps, e->pages, 0, -1, false);
	finding_note(f, "give hugepagesz= a size this kernel offers (%s)", list);
}

void rule_boot_pools(const struct snapshot *snap, const struct need *need,
		     struct findings *fs)
{
	const struct boot_pools *bp = &snap->boot;
	bool implicit = false;

	(void)need;
	for (size_t i = 0; i < bp->n; i++)
		implicit |= !bp->v[i].page_size;
	for (size_t i = 0; i < bp->n; i++) {
		const struct boot_pool *e = &bp->v[i];
		uint64_t ps = e->page_size ? e->page_size : snap->mem.hugepagesize;
		const struct pool *p = ps ? snapshot_pool(snap, ps) : NULL;

		/* A count given before any size wins over the default size's
		 * own (the kernel warns "Ignoring hugepages=..."). */
		if (e->page_size && implicit && e->page_size == snap->mem.hugepagesize)
			continue;
		if (!e->pages)
			continue;
		if (!p) {
			boot_no_pool(snap, e, ps, fs);
			continue;
		}
		if (!e->nr_nodes) {
			uint64_t have = hp_sat_sub(p->total, p->surplus);

			if (have < e->pages)
				boot_short(snap, e, p, -1, e->pages, have, fs);
			continue;
		}
		for (size_t k = 0; k < e->nr_nodes; k++) {
			const struct pool_node *pn = pool_node(p, e->nodes[k].node);
			uint64_t have = pn ? hp_sat_sub(pn->total, pn->surplus) : 0;

			if (have < e->nodes[k].pages)
				boot_short(snap, e, p, (int)e->nodes[k].node,
					   e->nodes[k].pages, have, fs);
		}
	}
}
