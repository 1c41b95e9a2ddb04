// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * diagnose-host.c - host-wide warnings: stale files in hugetlbfs mounts,
 * pools that starve the kernel of normal memory (seed 004), and pools that
 * can grow only at boot or not at all because memory is fragmented.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/rules.h"
#include "probe/parse.h"
#include "lib/pathnames.h"

/* Normal memory below STARVE_PERCENT (diagnose.h) of a node's RAM starves
 * the kernel.  Sizing a pool back leaves this share of RAM to the kernel. */
#define STARVE_TARGET_PERCENT	15

/* ---- host-wide warnings ----------------------------------------------------- */

void rule_stale(const struct snapshot *snap, const struct workload *wl,
		const struct need *need, const struct reclaim *rc,
		struct findings *fs)
{
	const uint64_t rfiles = rc->files, rpages = rc->pages;
	const struct mount *app = NULL;
	bool wrong;

	/* The reclaimable files all live in the application's mount. */
	if (rfiles)
		app = dg_find_mount(snap, wl, need->page_size, &wrong);

	/* Files the DPDK primary will delete at start: their pages are its. */
	if (rfiles) {
		char s1[32];
		struct finding *f;

		f = finding_add(fs, "stale_hugepage_files", HP_WARN, NULL,
				"%s holds %" PRIu64 " stale DPDK page file%s "
				"(%" PRIu64 " hugepages, %s) that no process uses: "
				"DPDK deletes them when it starts and takes their "
				"pages", dg_app_dir(snap, wl, need->page_size), rfiles,
				rfiles == 1 ? "" : "s", rpages,
				dg_sz(rpages * need->page_size, s1, sizeof(s1)));
		finding_num(f, "files", rfiles);
		finding_num(f, "pages", rpages);
		finding_num(f, "bytes", rpages * need->page_size);
		finding_num(f, "reclaimable", 1);
	}
	for (size_t i = 0; i < snap->nr_mounts; i++) {
		const struct mount *m = &snap->mounts[i];
		uint64_t files = 0, pages = 0;
		char list[600] = "", s1[32];
		struct finding *f;

		if (!m->have_usage || !snap->procs_scanned)
			continue;
		for (size_t j = 0; j < m->nr_files; j++) {
			const struct mount_file *mf = &m->files[j];
			size_t l = strlen(list);

			if (mf->in_use)
				continue;
			files++;
			pages += mf->pages;
			if (files <= 4 && l + strlen(mf->path) * 4 + 4 < sizeof(list)) {
				char q[512];

				snprintf(list + l, sizeof(list) - l, " %s",
					 dg_shq(mf->path, q, sizeof(q)));
			}
		}
		/* Those DPDK reclaims were reported above. */
		if (m == app) {
			files = hp_sat_sub(files, rfiles);
			pages = hp_sat_sub(pages, rpages);
		}
		if (!files)
			continue;
		f = finding_add(fs, "stale_hugepage_files", HP_WARN, NULL,
				"%s holds %" PRIu64 " file%s that no process maps "
				"or holds open, keeping %" PRIu64 " hugepages (%s) "
				"out of the pool", m->path, files,
				files == 1 ? "" : "s", pages,
				dg_sz(pages * m->page_size, s1, sizeof(s1)));
		finding_str(f, "path", m->path);
		finding_num(f, "files", files);
		finding_num(f, "pages", pages);
		finding_num(f, "bytes", pages * m->page_size);
		finding_remedy(f, "rm -f%s%s", list, files > 4 ? " ..." : "");
	}
}

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

	for (size_t i = 0; i < snap->nr_pools; i++)
		if (!best || snap->pools[i].total * snap->pools[i].page_size >
			     best->total * best->page_size)
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
			const struct pool_node *pn = dg_pool_node(&snap->pools[i], nd->id);

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
				 nd->id, dg_sz(left, s1, sizeof(s1)));
		else if (!strstr(list, ", ..."))
			snprintf(list + l, sizeof(list) - l, ", ...");
	}
	if (!count)
		return;
	*any = true;
	f = finding_add(fs, "hugepages_starve_kernel", HP_WARN, NULL,
			"on %" PRIu64 " of %zu NUMA nodes hugepage pools leave under "
			"%d%% of the node's memory for the kernel (left: %s); the "
			"worst, node %u, keeps %s of %s", count, snap->nr_nodes,
			STARVE_PERCENT, list, worst, dg_sz(worst_left, s1, sizeof(s1)),
			dg_sz(worst_total, s2, sizeof(s2)));
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
	char s1[32], s2[32], s3[32], s4[32], dir[128];
	struct finding *f;
	bool any_node = false;

	if (!total)
		return;
	rule_starve_nodes(snap, fs, &any_node);
	if (normal * 100 >= total * STARVE_PERCENT) {
		if (!any_node) {
			f = finding_add(fs, "hugepages_starve_kernel", HP_PASS, NULL,
					"hugepage pools take %s of %s: %s is left "
					"for the kernel", dg_sz(huge, s1, sizeof(s1)),
					dg_sz(total, s2, sizeof(s2)),
					dg_sz(normal, s3, sizeof(s3)));
			finding_num(f, "mem_total", total);
			finding_num(f, "hugepages_bytes", huge);
			finding_num(f, "normal_bytes", normal);
		}
		return;
	}
	f = finding_add(fs, "hugepages_starve_kernel", HP_WARN, NULL,
			"hugepage pools take %s of %s RAM, leaving %s (under "
			"%d%%) for the kernel and every other process; %s of "
			"the pools is reserved but unused", dg_sz(huge, s1, sizeof(s1)),
			dg_sz(total, s2, sizeof(s2)), dg_sz(normal, s3, sizeof(s3)),
			STARVE_PERCENT, dg_sz(unused, s4, sizeof(s4)));
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

		dg_pool_dir(big->page_size, dir, sizeof(dir));
		finding_remedy(f, "echo %" PRIu64 " > %s/nr_hugepages (size the pool to "
		       "what its users need)", cap > floor ? cap : floor, dir);
	}
}

static unsigned page_order(uint64_t page_size, uint64_t base)
{
	unsigned order = 0;

	while (base && (base << order) < page_size && order < 63)
		order++;
	return order;
}

void rule_growth(const struct snapshot *snap, const struct need *need,
			struct findings *fs)
{
	const struct pool *p = snapshot_pool(snap, need->page_size);
	uint64_t base = snap->meta.base_page_size, avail, shortfall, grow = 0;
	unsigned order, max_order = 0;
	char s1[32], s2[16];
	struct finding *f;

	if (!p || !base || !snap->nr_buddy)
		return;
	avail = hp_sat_sub(p->free, p->resv);
	if (avail >= need->pages)
		return;
	shortfall = need->pages - avail;
	order = page_order(need->page_size, base);
	for (size_t i = 0; i < snap->nr_buddy; i++) {
		const struct buddy_zone *z = &snap->buddy[i];

		if (z->nr_orders && z->nr_orders - 1 > max_order)
			max_order = z->nr_orders - 1;
		for (unsigned k = order; k < z->nr_orders; k++)
			grow = hp_sat_add(grow, z->free[k] << (k - order));
	}
	dg_sz(need->page_size, s1, sizeof(s1));
	format_short_size(need->page_size, s2, sizeof(s2));
	if (order > max_order) {
		f = finding_add(fs, "boot_time_only", HP_WARN, NULL,
				"%s pages are larger than the biggest free block "
				"the page allocator manages (order %u > %u): the "
				"pool can only grow at run time if a contiguous "
				"%s range happens to be free; reserve them at boot",
				s1, order, max_order, s1);
		finding_num(f, "page_order", order);
		finding_num(f, "max_order", max_order);
		finding_num(f, "shortfall", shortfall);
		finding_remedy(f, "add 'hugepagesz=%s hugepages=%" PRIu64 "' to the kernel "
		       "command line and reboot", s2, p->total + shortfall);
		return;
	}
	if (grow >= shortfall)
		return;
	f = finding_add(fs, "pool_fragmentation", HP_WARN, NULL,
			"growing the %s pool by %" PRIu64 " pages needs free "
			"blocks of order %u; /proc/buddyinfo has room for only %"
			PRIu64 " such pages now (memory is fragmented or in use)",
			s1, shortfall, order, grow);
	finding_num(f, "page_order", order);
	finding_num(f, "growable_pages", grow);
	finding_num(f, "shortfall", shortfall);
	finding_remedy(f, "echo 1 > /proc/sys/vm/compact_memory, then grow the pool; or "
	       "add 'hugepagesz=%s hugepages=%" PRIu64 "' to the kernel command line",
	       s2, p->total + shortfall);
}

