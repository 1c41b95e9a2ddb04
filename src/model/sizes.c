// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sizes.c - which page sizes the workload takes pages of, how many of
 * each, and where their files live.  DPDK takes its page size from the
 * mount --huge-dir names; without --huge-dir it uses every size that has a
 * hugetlbfs mount (every size the kernel has, with --in-memory) and
 * spreads -m over them largest first, as measured with DPDK 22.11 here:
 * as many large pages as fit, one more of a size when the smaller ones
 * cannot cover the rest, and the rest in smaller pages.  Pure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/need.h"
#include "model/qemu.h"

/*
 * The mount of DIR: the longest mount point that is DIR or one of its
 * parents (DPDK takes --huge-dir's subdirectories too), or NULL.
 */
static const struct mount *mount_of_dir(const struct snapshot *snap, const char *dir)
{
	const struct mount *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; i < snap->nr_mounts; i++) {
		const struct mount *m = &snap->mounts[i];
		size_t ml = strlen(m->path);

		while (ml > 1 && m->path[ml - 1] == '/')
			ml--;
		if (strncmp(dir, m->path, ml) ||
		    (dir[ml] != '/' && dir[ml] != '\0' && ml > 1))
			continue;
		if (ml >= best_len) {
			best = m;
			best_len = ml;
		}
	}
	return best;
}

const struct mount *need_mount_of_dir(const struct snapshot *snap, const char *dir)
{
	return mount_of_dir(snap, dir);
}

/* The first mount of page size PS, as DPDK picks one, or NULL. */
static const struct mount *mount_of_size(const struct snapshot *snap, uint64_t ps)
{
	for (size_t i = 0; i < snap->nr_mounts; i++)
		if (snap->mounts[i].page_size == ps)
			return &snap->mounts[i];
	return NULL;
}

void default_mount_path(uint64_t ps, uint64_t def, char *buf, size_t size)
{
	char s[16];

	if (ps == def)
		snprintf(buf, size, "/dev/hugepages");
	else
		snprintf(buf, size, "/dev/hugepages-%s",
			 format_short_size(ps, s, sizeof(s)));
}

const char *page_file_owner(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (strstr(base, "map_"))
		return "DPDK or SPDK";
	if (!strncmp(base, "qemu_back_mem.", 14) || strstr(path, "/libvirt/qemu/"))
		return "QEMU";
	return NULL;
}

void spare_mount_path(uint64_t ps, char *buf, size_t size)
{
	char s[16];

	snprintf(buf, size, "/mnt/huge-%s", format_short_size(ps, s, sizeof(s)));
}

size_t mount_candidates(const struct snapshot *snap, const struct workload *wl,
			const char **paths, char (*bufs)[CANDIDATE_TEXT], size_t max)
{
	size_t n = 0;

	if (wl->huge_dir && n < max)
		paths[n++] = wl->huge_dir;
	for (size_t i = 0; wl->qemu && i < wl->qemu->nr_backends && n + 2 <= max; i++) {
		const struct qemu_backend *b = &wl->qemu->backends[i];

		if (b->kind != QEMU_FILE || !b->mem_path[0])
			continue;
		paths[n++] = b->mem_path;
		qemu_parent_dir(b->mem_path, bufs[n], sizeof(bufs[n]));
		paths[n] = bufs[n];
		n++;
	}
	for (size_t i = 0; i < snap->nr_pools && n + 2 <= max; i++) {
		default_mount_path(snap->pools[i].page_size, snap->mem.hugepagesize,
				   bufs[n], sizeof(bufs[n]));
		paths[n] = bufs[n];
		n++;
		spare_mount_path(snap->pools[i].page_size, bufs[n], sizeof(bufs[n]));
		paths[n] = bufs[n];
		n++;
	}
	return n;
}

/* Whether a DPDK primary taking pages of SZ deletes MF (of M) at start. */
static bool size_reclaims(const struct need_size *sz, enum mode mode,
			  const struct mount *m, const struct mount_file *mf)
{
	const char *dir = sz->app_dir, *base = strrchr(mf->path, '/');
	size_t dl;

	if (!dir || !mode_is_dpdk(mode) || m->page_size != sz->page_size ||
	    mf->in_use || !base || !strstr(base, "map_"))
		return false;
	dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	return (size_t)(base - mf->path) == dl && !strncmp(mf->path, dir, dl);
}

/*
 * A DPDK primary deletes, at start, every "*map_*" file in its hugepage
 * directory that no process holds locked, whatever its prefix: those pages
 * are the application's to take.
 */
bool need_reclaims(const struct need *need, const struct mount *m,
		   const struct mount_file *mf)
{
	for (size_t i = 0; i < need->nr_sizes; i++)
		if (size_reclaims(&need->sizes[i], need->mode, m, mf))
			return true;
	return false;
}

const struct need_size *need_size_of(const struct need *need, uint64_t ps)
{
	for (size_t i = 0; i < need->nr_sizes; i++)
		if (need->sizes[i].page_size == ps)
			return &need->sizes[i];
	return NULL;
}

/* Whether MF belongs to the running instance: mapped by the process --pid
 * names, or, with --file-prefix, a page file of that prefix in use. */
static bool instance_file(const struct workload *wl, const struct mount_file *mf)
{
	const char *base = strrchr(mf->path, '/');
	size_t pl;

	if (mf->held)
		return true;
	if (!wl->file_prefix || !mf->in_use || !base)
		return false;
	pl = strlen(wl->file_prefix);
	return !strncmp(base + 1, wl->file_prefix, pl) && !strncmp(base + 1 + pl, "map_", 4);
}

/* Where the pages of SZ live, the stale files DPDK takes among them, and
 * those the running instance holds. */
static void size_files(const struct snapshot *snap, const struct workload *wl,
		       enum mode mode, struct need_size *sz)
{
	if (wl->huge_dir) {
		sz->mount = mount_of_dir(snap, wl->huge_dir);
		sz->app_dir = wl->huge_dir;
	} else {
		sz->mount = mount_of_size(snap, sz->page_size);
		sz->app_dir = sz->mount ? sz->mount->path : NULL;
	}
	for (size_t i = 0; i < snap->nr_mounts; i++) {
		const struct mount *m = &snap->mounts[i];

		for (size_t j = 0; j < m->nr_files; j++) {
			const struct mount_file *mf = &m->files[j];

			if (m->page_size == sz->page_size && instance_file(wl, mf)) {
				sz->held_files++;
				sz->held_pages += mf->pages;
			}
			if (snap->procs_scanned && size_reclaims(sz, mode, m, mf)) {
				sz->reclaim_files++;
				sz->reclaim_pages += mf->pages;
			}
		}
	}
}

static int cmp_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x > y ? -1 : x < y;
}

/*
 * The sizes -m may spread over: every size with a mount and a pool (every
 * pool with --in-memory), largest first, at most three.
 */
static size_t candidate_sizes(const struct snapshot *snap, enum mode mode,
			      uint64_t *sizes)
{
	size_t n = 0;

	for (size_t i = 0; i < snap->nr_pools; i++) {
		uint64_t ps = snap->pools[i].page_size;

		/* A pool of no size holds nothing (the probes refuse one). */
		if (ps && (mode == MODE_IN_MEMORY || mount_of_size(snap, ps)))
			sizes[n++] = ps;
		if (n == NEED_MAX_SIZES)
			break;
	}
	if (n > 1)
		qsort(sizes, n, sizeof(*sizes), cmp_desc);
	return n;
}

/* Free pages of SZ that DPDK can have: its stale files' pages too. */
static uint64_t size_avail(const struct snapshot *snap, const struct need_size *sz)
{
	const struct pool *p = snapshot_pool(snap, sz->page_size);

	return p ? hp_sat_add(hp_sat_sub(p->free, p->resv), sz->reclaim_pages) : 0;
}

/*
 * MEM bytes over the candidate sizes, largest first: as many pages of a
 * size as fit and are free; one more when memory is still owed, pages of
 * this size remain and the smaller sizes cannot cover the rest.  What no
 * size can give is asked of the smallest, whose pool then falls short.
 */
static void spread(const struct snapshot *snap, uint64_t mem, struct need *need)
{
	uint64_t left = mem;

	for (size_t i = 0; i < need->nr_sizes; i++) {
		struct need_size *sz = &need->sizes[i];
		uint64_t avail = size_avail(snap, sz), below = 0;

		sz->pages = hp_min(left / sz->page_size, avail);
		left -= sz->pages * sz->page_size;
		if (!left || sz->pages >= avail)
			continue;
		for (size_t j = i + 1; j < need->nr_sizes; j++)
			below = hp_sat_add(below, size_avail(snap, &need->sizes[j]) *
					   need->sizes[j].page_size);
		if (below < left) {
			sz->pages++;
			left = 0;
		}
	}
	if (left) {
		struct need_size *last = &need->sizes[need->nr_sizes - 1];

		last->pages = hp_sat_add(last->pages, hp_div_up(left, last->page_size));
	}
}

/* Pages of one size, per node with --socket-mem or --node. */
static void one_size(const struct workload *wl, struct need *need)
{
	struct need_size *sz = &need->sizes[0];
	uint64_t ps = sz->page_size;

	if (wl->nr_socket_mem) {
		sz->nr_nodes = wl->nr_socket_mem;
		for (size_t i = 0; i < wl->nr_socket_mem; i++) {
			/* DPDK rounds up to whole pages. */
			sz->pages_per_node[i] = ps ? hp_div_up(wl->socket_mem[i] << 20, ps) : 0;
			sz->pages = hp_sat_add(sz->pages, sz->pages_per_node[i]);
		}
	} else if (wl->have_pages) {
		sz->pages = wl->pages;
	} else if (wl->have_mem) {
		sz->pages = ps ? hp_div_up(wl->mem_bytes, ps) : 0;
	} else {
		sz->pages = 1;
		need->pages_default = true;
	}
	if (wl->have_node && wl->node >= 0 && wl->node < MAX_SOCKETS &&
	    !wl->nr_socket_mem) {
		memset(sz->pages_per_node, 0, sizeof(sz->pages_per_node));
		sz->pages_per_node[wl->node] = sz->pages;
		sz->nr_nodes = (size_t)wl->node + 1;
	}
}

int need_sizes(const struct snapshot *snap, const struct workload *wl,
	       struct need *need)
{
	uint64_t sizes[NEED_MAX_SIZES] = { 0 }, ps = snap->mem.hugepagesize;
	size_t n = 0;

	memset(need->sizes, 0, sizeof(need->sizes));
	if (wl->huge_dir) {
		/* The mount --huge-dir names decides the page size. */
		const struct mount *m = mount_of_dir(snap, wl->huge_dir);

		if (m && wl->have_page_size && wl->page_size != m->page_size)
			need->page_size_conflict = true;
		ps = m ? m->page_size : wl->page_size ? wl->page_size : ps;
	} else if (wl->page_size) {
		ps = wl->page_size;
	} else if (mode_is_dpdk(need->mode) && wl->have_mem && !wl->have_node) {
		n = candidate_sizes(snap, need->mode, sizes);
	}
	if (n > 1) {
		need->nr_sizes = n;
		for (size_t i = 0; i < n; i++) {
			need->sizes[i].page_size = sizes[i];
			size_files(snap, wl, need->mode, &need->sizes[i]);
		}
		spread(snap, wl->mem_bytes, need);
	} else {
		need->nr_sizes = 1;
		need->sizes[0].page_size = n ? sizes[0] : ps;
		size_files(snap, wl, need->mode, &need->sizes[0]);
		one_size(wl, need);
	}
	/* The workload's page size: the largest it takes pages of. */
	need->page_size = need->sizes[0].page_size;
	need->pages = 0;
	for (size_t i = need->nr_sizes; i-- > 0; ) {
		need->pages = hp_sat_add(need->pages, need->sizes[i].pages);
		need->held_pages = hp_sat_add(need->held_pages, need->sizes[i].held_pages);
		if (need->sizes[i].pages)
			need->page_size = need->sizes[i].page_size;
	}
	/* A process that holds hugepages in no file (--in-memory, a
	 * MAP_HUGETLB mapping): its HugetlbPages are of the page size. */
	for (size_t i = 0; i < need->nr_sizes && wl->pid && !need->held_pages &&
	     snap->lim.st.have_hugetlb; i++)
		if (need->sizes[i].page_size == need->page_size && need->page_size) {
			need->sizes[i].held_pages = snap->lim.st.hugetlb_bytes /
						    need->page_size;
			need->held_pages = need->sizes[i].held_pages;
		}
	need->instance_pid = wl->pid;
	need->file_prefix = wl->file_prefix;
	return 0;
}
