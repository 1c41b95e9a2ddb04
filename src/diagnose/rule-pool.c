// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rule-pool.c - the pools: enough free pages of the workload's size, on
 * each NUMA node it asks for, and whether a short pool can grow at run time
 * (the largest free blocks of the page allocator) or only at boot.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "diagnose/rules.h"
#include "lib/pathnames.h"

/* A node's pool grown to TO pages: the command and its action. */
static void node_remedy(struct finding *f, const struct snapshot *snap,
			const struct pool *p, const struct pool_node *pn, uint64_t to)
{
	char file[160];
	struct action *a;

	pool_file(file, sizeof(file), p->page_size, (int)pn->node, "nr_hugepages");
	remedy_write(f, snap, file, to);
	a = finding_action(f, ACT_POOL, file);
	if (a) {
		a->page_size = p->page_size;
		a->node = (int)pn->node;
		a->from = pn->total;
		a->to = to;
	}
}

/*
 * The pool grown to TO pages, as a remedy: the command and its action.
 * When the workload asks for pages per node, the nodes' pools that fall
 * short are grown instead: the global file spreads new pages over every
 * node and would leave some of them short.
 */
static void pool_remedy(struct finding *f, const struct snapshot *snap,
			const struct pool *p, const struct need_size *sz, uint64_t to)
{
	char file[128];
	struct action *a;

	if (sz->nr_nodes && p->nr_nodes) {
		for (size_t j = 0; j < p->nr_nodes; j++) {
			uint64_t t = remedy_node_target(&p->nodes[j], sz);

			if (t > p->nodes[j].total)
				node_remedy(f, snap, p, &p->nodes[j], t);
		}
		if (f && f->remedy.nr_commands)
			return;
	}
	pool_file(file, sizeof(file), p->page_size, -1, "nr_hugepages");
	remedy_write(f, snap, file, to);
	a = finding_action(f, ACT_POOL, file);
	if (a) {
		a->page_size = p->page_size;
		a->from = p->total;
		a->to = to;
	}
}

/* "add 'hugepagesz=... hugepages=...' to the kernel command line" for pool
 * P grown by SHORTFALL, per node when the workload asks per node. */
static void boot_note(struct finding *f, const struct pool *p, const struct need_size *sz,
		      uint64_t shortfall, const char *before, const char *after)
{
	uint64_t to[MAX_SOCKETS];
	char param[512];

	for (size_t j = 0; j < p->nr_nodes && j < MAX_SOCKETS; j++)
		to[j] = remedy_node_target(&p->nodes[j], sz);
	remedy_boot_param(p, hp_sat_add(p->total, shortfall),
			  sz->nr_nodes && p->nr_nodes <= MAX_SOCKETS ? to : NULL,
			  param, sizeof(param));
	finding_note(f, "%sadd '%s' to the kernel command line and reboot%s", before,
		     param, after);
}

static void pool_of_size(const struct snapshot *snap, const struct need *need,
			 const struct need_size *sz, struct findings *fs)
{
	const struct pool *p = snapshot_pool(snap, sz->page_size);
	uint64_t avail, reclaim = sz->reclaim_pages, grow_to;
	char s1[32], s2[64];
	struct finding *f;

	format_bytes(sz->page_size, s1, sizeof(s1));
	if (!p) {
		char list[256] = "";

		for (size_t i = 0; i < snap->nr_pools; i++) {
			size_t l = strlen(list);

			snprintf(list + l, sizeof(list) - l, "%s%s", i ? ", " : "",
				 format_bytes(snap->pools[i].page_size, s2, sizeof(s2)));
		}
		f = finding_add(fs, CHECK_POOL, HP_FAIL, CAUSE_NO_POOL,
				"this kernel has no pool of %s pages (it offers %s)",
				s1, list);
		finding_num(f, "page_size", sz->page_size);
		format_short_size(sz->page_size, s2, sizeof(s2));
		finding_note(f, "add 'hugepagesz=%s hugepages=%" PRIu64 "' to the kernel "
			     "command line and reboot", s2, sz->pages);
		dg_set_order(f, STAGE_DISCOVER, 0);
		return;
	}
	/* The running instance's pages are its own again after a restart. */
	avail = hp_sat_add(hp_sat_sub(p->free, p->resv), sz->held_pages);
	/* What the pool grows to: DPDK takes the pages of its stale files. */
	grow_to = hp_sat_sub(hp_sat_add(p->total, sz->pages), hp_sat_add(avail, reclaim));
	if (p->total == 0 && p->overcommit == 0) {
		f = finding_add(fs, CHECK_POOL, HP_FAIL, CAUSE_NO_POOL,
				"no %s hugepages are configured (nr_hugepages is 0); "
				"%" PRIu64 " needed", s1, sz->pages);
		finding_num(f, "page_size", sz->page_size);
		finding_num(f, "total", 0);
		finding_num(f, "need", sz->pages);
		pool_remedy(f, snap, p, sz, grow_to);
		dg_set_order(f, STAGE_DISCOVER, 0);
		return;
	}
	if (avail >= sz->pages && sz->held_pages) {
		f = finding_add(fs, CHECK_POOL, HP_PASS, CAUSE_NONE,
				"%" PRIu64 " of %" PRIu64 " %s hugepages are the running "
				"instance's (%" PRIu64 ") or free (%" PRIu64 "), %" PRIu64
				" needed: it would get them again after a restart",
				avail, p->total, s1, sz->held_pages,
				hp_sat_sub(p->free, p->resv), sz->pages);
		finding_num(f, "held", sz->held_pages);
	} else if (avail >= sz->pages) {
		f = finding_add(fs, CHECK_POOL, HP_PASS, CAUSE_NONE,
				"%" PRIu64 " of %" PRIu64 " %s hugepages are free, "
				"%" PRIu64 " needed%s", avail, p->total, s1, sz->pages,
				need->mode == MODE_LEGACY ? " (legacy mode maps every "
				"free page first, then keeps what it needs)" : "");
	} else if (hp_sat_add(avail, reclaim) >= sz->pages) {
		f = finding_add(fs, CHECK_POOL, HP_WARN, CAUSE_NONE,
				"only %" PRIu64 " %s hugepages are free, %" PRIu64
				" needed: DPDK will take %" PRIu64 " more from %"
				PRIu64 " stale page files it deletes at start",
				avail, s1, sz->pages, reclaim, sz->reclaim_files);
		finding_num(f, "reclaimable_pages", reclaim);
	} else if (hp_sat_add(avail, hp_sat_sub(p->overcommit, p->surplus)) >= sz->pages) {
		f = finding_add(fs, CHECK_POOL, HP_WARN, CAUSE_NONE,
				"only %" PRIu64 " %s hugepages are free, %" PRIu64
				" needed: the rest depends on surplus pages "
				"(nr_overcommit_hugepages = %" PRIu64 ") that the "
				"kernel may fail to allocate", avail, s1,
				sz->pages, p->overcommit);
		pool_remedy(f, snap, p, sz, grow_to);
	} else {
		/* "free" as pools shows it: reserved pages are free too,
		 * but promised to a mapping. */
		if (sz->held_pages)
			f = finding_add(fs, CHECK_POOL, HP_FAIL, CAUSE_POOL_EXHAUSTED,
					"only %" PRIu64 " of %" PRIu64 " %s hugepages are "
					"free (%" PRIu64 " reserved) or the running "
					"instance's (%" PRIu64 "), %" PRIu64 " needed after "
					"a restart", p->free, p->total, s1, p->resv,
					sz->held_pages, sz->pages);
		else if (p->resv)
			f = finding_add(fs, CHECK_POOL, HP_FAIL, CAUSE_POOL_EXHAUSTED,
					"only %" PRIu64 " of %" PRIu64 " %s hugepages are "
					"free and %" PRIu64 " of those are reserved: %" PRIu64
					" to take, %" PRIu64 " needed", p->free, p->total, s1,
					p->resv, avail, sz->pages);
		else
			f = finding_add(fs, CHECK_POOL, HP_FAIL, CAUSE_POOL_EXHAUSTED,
					"only %" PRIu64 " of %" PRIu64 " %s hugepages are "
					"free, %" PRIu64 " needed", p->free, p->total, s1,
					sz->pages);
		pool_remedy(f, snap, p, sz, grow_to);
		dg_set_order(f, mode_is_dpdk(need->mode) ? STAGE_COUNT :
			  STAGE_DISCOVER, 0);
		if (need->late_fault && f && !f->remedy.note)
			finding_note(f, "QEMU starts all the same (reserve=off: nothing is "
				     "reserved at mmap) and dies of SIGBUS when the guest "
				     "first touches a page the pool cannot give");
	}
	finding_num(f, "page_size", sz->page_size);
	finding_num(f, "total", p->total);
	finding_num(f, "free", p->free);
	finding_num(f, "reserved", p->resv);
	finding_num(f, "surplus", p->surplus);
	finding_num(f, "overcommit", p->overcommit);
	finding_num(f, "need", sz->pages);
}

void rule_pool(const struct snapshot *snap, const struct need *need,
	       struct findings *fs)
{
	if (!need->page_size || !snap->nr_pools) {
		struct finding *f = finding_add(fs, CHECK_POOL, HP_FAIL, CAUSE_NO_POOL,
						"this kernel offers no hugepages at all "
						"(no %s)", PATH_HUGEPAGES);

		finding_note(f, "use a kernel built with CONFIG_HUGETLBFS");
		dg_set_order(f, STAGE_DISCOVER, 0);
		return;
	}
	for (size_t i = 0; i < need->nr_sizes; i++)
		if (dg_takes(need, i))
			pool_of_size(snap, need, &need->sizes[i], fs);
}

static void nodes_of_size(const struct snapshot *snap, const struct need_size *sz,
			  struct findings *fs)
{
	const struct pool *p = snapshot_pool(snap, sz->page_size);
	char s1[32];

	if (!p)
		return;
	format_bytes(sz->page_size, s1, sizeof(s1));
	for (size_t i = 0; i < sz->nr_nodes; i++) {
		const struct pool_node *pn;
		struct finding *f;
		uint64_t want = sz->pages_per_node[i];

		if (!want)
			continue;
		pn = pool_node(p, (unsigned)i);
		if (!pn) {
			f = finding_add(fs, CHECK_NODE_POOL, HP_FAIL,
					CAUSE_NODE_POOL_EXHAUSTED,
					"%" PRIu64 " %s hugepages asked for on NUMA "
					"node %zu, which has no memory or does not "
					"exist (%zu node%s)", want, s1, i,
					snap->nr_nodes, snap->nr_nodes == 1 ? "" : "s");
			finding_num(f, "node", i);
			finding_num(f, "need", want);
			finding_note(f, "give --socket-mem only for nodes 0-%zu",
				     snap->nr_nodes ? snap->nr_nodes - 1 : 0);
			dg_set_order(f, STAGE_COUNT, 0);
			continue;
		}
		if (pn->free >= want) {
			f = finding_add(fs, CHECK_NODE_POOL, HP_PASS, CAUSE_NONE,
					"node %u has %" PRIu64 " free %s hugepages, "
					"%" PRIu64 " needed", pn->node, pn->free,
					s1, want);
		} else {
			f = finding_add(fs, CHECK_NODE_POOL, HP_FAIL,
					CAUSE_NODE_POOL_EXHAUSTED,
					"node %u has only %" PRIu64 " free %s "
					"hugepages, %" PRIu64 " needed there%s",
					pn->node, pn->free, s1, want,
					hp_sat_sub(p->free, p->resv) >= sz->pages ?
					" (the pool as a whole has enough: they "
					"are on other nodes)" : "");
			node_remedy(f, snap, p, pn, pn->total + want - pn->free);
			dg_set_order(f, STAGE_COUNT, 0);
		}
		finding_num(f, "node", pn->node);
		finding_num(f, "total", pn->total);
		finding_num(f, "free", pn->free);
		finding_num(f, "need", want);
	}
}

void rule_node_pool(const struct snapshot *snap, const struct need *need,
		    struct findings *fs)
{
	for (size_t i = 0; i < need->nr_sizes; i++)
		if (dg_takes(need, i))
			nodes_of_size(snap, &need->sizes[i], fs);
}

static unsigned page_order(uint64_t page_size, uint64_t base)
{
	unsigned order = 0;

	while (base && (base << order) < page_size && order < 63)
		order++;
	return order;
}

static void growth_of_size(const struct snapshot *snap, const struct need_size *sz,
			   struct findings *fs)
{
	const struct pool *p = snapshot_pool(snap, sz->page_size);
	uint64_t base = snap->meta.base_page_size, avail, shortfall, grow = 0;
	unsigned order, max_order = 0;
	char s1[32], s2[16];
	struct finding *f;

	if (!p || !base || !snap->nr_buddy)
		return;
	avail = hp_sat_add(hp_sat_sub(p->free, p->resv), sz->held_pages);
	if (avail >= sz->pages)
		return;
	shortfall = sz->pages - avail;
	order = page_order(sz->page_size, base);
	for (size_t i = 0; i < snap->nr_buddy; i++) {
		const struct buddy_zone *z = &snap->buddy[i];

		if (z->nr_orders && z->nr_orders - 1 > max_order)
			max_order = z->nr_orders - 1;
		for (unsigned k = order; k < z->nr_orders; k++)
			grow = hp_sat_add(grow, z->free[k] << (k - order));
	}
	format_bytes(sz->page_size, s1, sizeof(s1));
	format_short_size(sz->page_size, s2, sizeof(s2));
	if (order > max_order) {
		f = finding_add(fs, CHECK_BOOT_TIME_ONLY, HP_WARN, CAUSE_NONE,
				"%s pages are larger than the biggest free block "
				"the page allocator manages (order %u > %u): the "
				"pool can only grow at run time if a contiguous "
				"%s range happens to be free; reserve them at boot",
				s1, order, max_order, s1);
		finding_num(f, "page_order", order);
		finding_num(f, "max_order", max_order);
		finding_num(f, "shortfall", shortfall);
		boot_note(f, p, sz, shortfall, "", "");
		return;
	}
	if (grow >= shortfall)
		return;
	f = finding_add(fs, CHECK_FRAGMENTATION, HP_WARN, CAUSE_NONE,
			"growing the %s pool by %" PRIu64 " pages needs free "
			"blocks of order %u; /proc/buddyinfo has room for only %"
			PRIu64 " such pages now (memory is fragmented or in use)",
			s1, shortfall, order, grow);
	finding_num(f, "page_order", order);
	finding_num(f, "growable_pages", grow);
	finding_num(f, "shortfall", shortfall);
	remedy_write(f, snap, "/proc/sys/vm/compact_memory", 1);
	pool_remedy(f, snap, p, sz, hp_sat_add(p->total, shortfall));
	boot_note(f, p, sz, shortfall, "compact memory, then grow the pool; if it still "
		  "falls short, ", "");
}

void rule_growth(const struct snapshot *snap, const struct need *need,
		 struct findings *fs)
{
	for (size_t i = 0; i < need->nr_sizes; i++)
		if (dg_takes(need, i))
			growth_of_size(snap, &need->sizes[i], fs);
}
