// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * need.c - turns a workload description into needs: hugepages per node,
 * peak VMAs, fds, virtual address space, private writable and locked bytes,
 * following how each consumer really maps memory (DPDK 22.11's memseg lists
 * and its legacy sequence, DPDK before 18.05, PostgreSQL, a JVM); and
 * where the application keeps its page files.  The numbers were checked
 * against DPDK 22.11 on Debian 12 (the man page lists the measurements).
 * Pure: no I/O.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/caps.h"
#include "model/need.h"

bool memlock_exempt(const struct snapshot *snap)
{
	const struct limits *l = &snap->lim;

	if (l->st.have_caps)
		return caps_in(l->st.cap_eff, "cap_ipc_lock");
	if (l->pid && l->st.have_uid)
		return l->st.uid == 0;
	return snap->meta.have_euid && snap->meta.euid == 0;
}

/* CAP_IPC_LOCK, or membership of vm.hugetlb_shm_group. */
bool shm_privileged(const struct snapshot *snap)
{
	const struct limits *l = &snap->lim;
	uint64_t group = l->sysctl[SC_HUGETLB_SHM_GROUP].value;

	if (memlock_exempt(snap))
		return true;
	if (l->sysctl[SC_HUGETLB_SHM_GROUP].present) {
		if (l->st.have_gid && l->st.gid == group)
			return true;
		for (size_t i = 0; i < l->st.nr_groups; i++)
			if (l->st.groups[i] == group)
				return true;
	}
	return false;
}

static uint64_t fbarray_bytes(uint64_t n_segs)
{
	/* 48-byte memsegs, a header, and a used-mask of 64-bit words. */
	uint64_t b = 48 * n_segs + 8 + 8 * hp_div_up(n_segs, 64);

	return (b + 4095) & ~4095ULL;
}

void memseg_layout(const uint64_t *sizes, size_t nr_sizes, size_t nr_nodes,
		   const unsigned *nodes, struct memseg_layout *out)
{
	uint64_t types = (uint64_t)nr_sizes * nr_nodes;
	uint64_t max_mem_per_type, max_lists_per_type;

	memset(out, 0, sizeof(*out));
	if (!types)
		return;
	max_mem_per_type = hp_min((uint64_t)DPDK_MAX_MEM_MB_PER_TYPE << 20,
				   ((uint64_t)DPDK_MAX_MEM_MB << 20) / types);
	max_lists_per_type = DPDK_MAX_MEMSEG_LISTS / types;
	if (!max_lists_per_type) {
		out->too_many_types = true;
		return;
	}
	out->va_bytes = DPDK_CONFIG_VA;
	for (size_t s = 0; s < nr_sizes; s++) {
		uint64_t p = sizes[s];

		/* A kernel without hugetlb has no page size: no lists. */
		if (!p)
			continue;
		for (size_t n = 0; n < nr_nodes && out->nr_types < MODEL_MAX_TYPES; n++) {
			struct memseg_type *t = &out->types[out->nr_types++];
			uint64_t segs_type, segs_cap, mem_list;

			segs_type = hp_min(max_mem_per_type / p, DPDK_MAX_MEMSEG_PER_TYPE);
			segs_cap = hp_min(segs_type, DPDK_MAX_MEMSEG_PER_LIST);
			mem_list = hp_min(segs_cap * p,
					   (uint64_t)DPDK_MAX_MEM_MB_PER_LIST << 20);
			t->page_size = p;
			t->node = nodes ? nodes[n] : (unsigned)n;
			t->n_segs = hp_min(segs_cap, mem_list / p);
			if (!t->n_segs)
				continue;
			t->n_lists = hp_min(hp_min(segs_type / t->n_segs,
						     max_mem_per_type / mem_list),
					     max_lists_per_type);
			t->list_va = t->n_segs * p;
			t->fbarray_bytes = fbarray_bytes(t->n_segs);
			out->lists += t->n_lists;
			out->va_bytes += t->n_lists * (t->list_va + t->fbarray_bytes);
		}
	}
	if (out->lists > DPDK_MAX_MEMSEG_LISTS)
		out->too_many_types = true;
}

static int cmp_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x > y ? -1 : x < y;
}

/*
 * The page sizes DPDK sets up lists for: every size with a hugetlbfs mount
 * (only --huge-dir's with that option), or every size the kernel has in
 * --in-memory mode; at most three, largest first.
 */
static size_t dpdk_sizes(const struct snapshot *snap, const struct workload *wl,
			 enum mode mode, uint64_t ps, uint64_t *sizes)
{
	size_t n = 0;

	if (mode == MODE_IN_MEMORY) {
		for (size_t i = 0; i < snap->nr_pools && n < (size_t)DPDK_MAX_HUGEPAGE_SIZES * 4; i++)
			sizes[n++] = snap->pools[i].page_size;
	} else if (wl->huge_dir) {
		sizes[n++] = ps;
	} else {
		for (size_t i = 0; i < snap->nr_mounts; i++) {
			bool seen = false;

			for (size_t j = 0; j < n; j++)
				seen |= sizes[j] == snap->mounts[i].page_size;
			if (!seen && snapshot_pool(snap, snap->mounts[i].page_size) &&
			    n < (size_t)DPDK_MAX_HUGEPAGE_SIZES * 4)
				sizes[n++] = snap->mounts[i].page_size;
		}
	}
	if (!n)
		sizes[n++] = ps;
	qsort(sizes, n, sizeof(*sizes), cmp_desc);
	return n < DPDK_MAX_HUGEPAGE_SIZES ? n : DPDK_MAX_HUGEPAGE_SIZES;
}

/*
 * Whether DPDK pins its pages for DMA through VFIO's type1 IOMMU (as it
 * does for every page it holds, once it probes a device bound to
 * vfio-pci): for a running process (--pid), whether it holds a VFIO group
 * open; otherwise whether a device is bound to vfio-pci behind an IOMMU
 * (a no-IOMMU group pins nothing).
 */
static bool vfio_dma(const struct snapshot *snap, const struct workload *wl)
{
	if (wl->pid && snap->vfio.pid_known)
		return snap->vfio.pid_groups > 0;
	for (size_t i = 0; i < snap->vfio.nr_devs; i++)
		if (snap->vfio.devs[i].group >= 0 && !snap->vfio.devs[i].noiommu)
			return true;
	return false;
}

/* Pages DPDK's legacy phase 1 maps: every free page of every size used. */
static uint64_t legacy_free_pages(const struct snapshot *snap,
				  const uint64_t *sizes, size_t nr_sizes)
{
	uint64_t total = 0;

	for (size_t s = 0; s < nr_sizes; s++) {
		const struct pool *p = snapshot_pool(snap, sizes[s]);
		uint64_t n;

		if (!p || !sizes[s])
			continue;
		n = hp_sat_add(hp_sat_sub(p->free, p->resv), hp_sat_sub(p->overcommit, p->surplus));
		/* A size= quota stops phase 1 early (it is not fatal there). */
		for (size_t m = 0; m < snap->nr_mounts; m++) {
			const struct mount *mt = &snap->mounts[m];

			if (mt->page_size == sizes[s] && mt->size_limit != HP_UNLIMITED) {
				n = hp_min(n, mt->size_limit / sizes[s]);
				break;
			}
		}
		total = hp_sat_add(total, n);
	}
	return total;
}

/* The memseg lists of SZ that hold pages: the files --single-file-segments
 * keeps, one per list, its pages filling each list of a node in turn. */
static uint64_t node_lists(const struct need_size *sz)
{
	uint64_t lists = 0;

	if (!sz->nr_nodes)
		return hp_div_up(sz->pages, sz->n_segs);
	for (size_t i = 0; i < sz->nr_nodes; i++)
		lists += hp_div_up(sz->pages_per_node[i], sz->n_segs);
	return lists;
}

/* Shifts the four counts of a peak and its baseline by the baseline's new
 * value: what the model adds on top of the baseline stays. */
static void rebase(uint64_t now, uint64_t *baseline, uint64_t *before, uint64_t *peak)
{
	uint64_t over = hp_sat_sub(*peak, *baseline), pre = before ? hp_sat_sub(*before, *baseline) : 0;

	*baseline = now;
	*peak = hp_sat_add(now, over);
	if (before)
		*before = hp_sat_add(now, pre);
}

/*
 * The process --pid names may be the workload running already: what it
 * holds now includes its hugepages and what the model adds for them (page
 * files, memseg lists, their fds and address space).  Its baselines are
 * then what it holds less that, so that the peak of a restart is about
 * what it holds now, not twice that.
 */
static void running_baselines(const struct snapshot *snap, const struct workload *wl,
			      struct need *need)
{
	const struct limits *l = &snap->lim;
	uint64_t held_files = 0;

	if (!wl->pid || !need->held_pages || wl->have_baseline_vmas || l->maps_errno)
		return;
	for (size_t i = 0; i < need->nr_sizes; i++)
		held_files += need->sizes[i].held_files;
	rebase(hp_sat_sub(l->vma_count, hp_sat_add(l->hugetlb_vmas,
		hp_sat_sub(need->vmas_before_pages, need->baseline_vmas))),
	       &need->baseline_vmas, &need->vmas_before_pages, &need->vmas);
	need->baseline_vmas_from = "--pid, less what its hugepages take";
	if (l->have_fd_count)
		rebase(hp_sat_sub(l->fd_count, hp_sat_add(held_files,
			hp_sat_sub(need->fds_before_pages, need->baseline_fds))),
		       &need->baseline_fds, &need->fds_before_pages, &need->fds);
	if (l->st.have_vm) {
		rebase(hp_sat_sub(l->st.vm_size, hp_sat_sub(need->va_bytes, need->baseline_va)),
		       &need->baseline_va, NULL, &need->va_bytes);
		/* Its VmData holds the model's allocations (the lists' fd
		 * tables) already. */
		if (!need->data.program) {
			need->data.model = 0;
			need_data_total(need);
		}
	}
}

int need_compute(const struct snapshot *snap, const struct workload *wl,
		 struct need *need)
{
	uint64_t sizes[(size_t)DPDK_MAX_HUGEPAGE_SIZES * 4];
	unsigned nodes[64];
	size_t nr_sizes, nr_nodes = 0;
	struct memseg_layout *lay;
	bool old_dpdk, dpdk;
	uint64_t ps, n, l;

	memset(need, 0, sizeof(*need));
	need->mode = wl->mode;
	need->app = wl->app_model;
	need->dpdk_version = wl->dpdk_version ? wl->dpdk_version : 2211;
	dpdk = mode_is_dpdk(wl->mode);
	old_dpdk = dpdk && need->dpdk_version < 1805;
	/* Before 18.05 DPDK had only the legacy sequence. */
	if (old_dpdk)
		need->mode = MODE_LEGACY;
	need->huge_dir = wl->huge_dir;
	if (wl->mode == MODE_QEMU)
		need_qemu(snap, wl, need);
	else
		need_sizes(snap, wl, need);
	/* Options the application stops at before any memory (OVS's EAL
	 * options EAL refuses), as QEMU's refused command line. */
	if (!need->config_error && wl->app_model && wl->app_model->refused[0])
		need->config_error = wl->app_model->refused;
	ps = need->page_size;
	n = need->pages;

	/* What the process holds before it maps memory. */
	if (wl->have_baseline_vmas) {
		need->baseline_vmas = wl->baseline_vmas;
		need->baseline_vmas_from = "--baseline-vmas";
	} else if (wl->pid && !snap->lim.maps_errno) {
		need->baseline_vmas = snap->lim.vma_count;
		need->baseline_vmas_from = "--pid";
	} else if (old_dpdk) {
		need->baseline_vmas = DEFAULT_BASELINE_VMAS_STATIC;
		need->baseline_vmas_from = "default for a static DPDK 16.04 application";
	} else if (dpdk) {
		need->baseline_vmas = DEFAULT_BASELINE_VMAS;
		need->baseline_vmas_from = "default for a DPDK application";
	} else {
		need->baseline_vmas = DEFAULT_BASELINE_VMAS_OTHER;
		need->baseline_vmas_from = "default";
	}
	if (wl->pid && snap->lim.maps_errno && !wl->have_baseline_vmas)
		need->baseline_vmas_from = "a default: the maps of --pid cannot be read";
	if (wl->pid && snap->lim.have_fd_count)
		need->baseline_fds = snap->lim.fd_count;
	else
		need->baseline_fds = old_dpdk ? DEFAULT_BASELINE_FDS_STATIC :
				     DEFAULT_BASELINE_FDS;
	/* Its own data and address space: baseline_va, need->data. */
	need_program(snap, wl, need);

	if (!dpdk) {
		/* One mapping of N pages, reserved at mmap/shmget time. */
		need->vmas = hp_sat_add(need->baseline_vmas, 1);
		need->vmas_before_pages = need->baseline_vmas;
		need->fds = need->baseline_fds;
		/* QEMU: a mapping and an fd per backend. */
		for (size_t i = 0; wl->mode == MODE_QEMU && i < need->nr_sizes; i++) {
			need->vmas = hp_sat_add(need->vmas, need->sizes[i].files);
			need->fds = hp_sat_add(need->fds, need->sizes[i].files);
		}
		need->va_bytes = hp_sat_add(need->baseline_va, hp_sat_mul(n, ps));
		need->pool_pages = n;
		if (wl->mode == MODE_SHM) {
			need->shm_bytes = hp_sat_mul(n, ps);
			/* Without CAP_IPC_LOCK or vm.hugetlb_shm_group the
			 * kernel charges the segment to RLIMIT_MEMLOCK. */
			if (!shm_privileged(snap))
				need->locked_bytes = need->shm_bytes;
		}
		need->raises_nofile = false;
		need_data_total(need);
		running_baselines(snap, wl, need);
		return 0;
	}

	for (size_t i = 0; i < snap->nr_nodes && nr_nodes < 64; i++)
		if (snap->nodes[i].has_cpus)
			nodes[nr_nodes++] = snap->nodes[i].id;
	if (!nr_nodes)
		nodes[nr_nodes++] = 0;
	nr_sizes = dpdk_sizes(snap, wl, need->mode, ps, sizes);
	lay = calloc(1, sizeof(*lay));
	if (!lay)
		return -ENOMEM;
	if (!old_dpdk)
		memseg_layout(sizes, nr_sizes, nr_nodes, nodes, lay);
	l = lay->lists;
	need->lists = l;
	for (size_t t = 0; t < lay->nr_types; t++) {
		const struct memseg_type *mt = &lay->types[t];

		if (mt->page_size == ps && !need->list_va)
			need->list_va = mt->list_va;
		for (size_t k = 0; k < need->nr_sizes; k++)
			if (need->sizes[k].page_size == mt->page_size) {
				need->sizes[k].lists += mt->n_lists;
				need->sizes[k].list_va = mt->list_va;
				need->sizes[k].n_segs = mt->n_segs;
			}
	}
	for (size_t k = 0; k < need->nr_sizes; k++) {
		struct need_size *sz = &need->sizes[k];

		sz->files = sz->pages;
		if (need->mode == MODE_SINGLE_FILE && sz->n_segs)
			sz->files = node_lists(sz);
		else if (need->mode == MODE_IN_MEMORY)
			sz->files = 0;
	}
	need->too_many_types = lay->too_many_types;
	need->raises_nofile = !old_dpdk;
	need->pool_pages = n;

	switch (need->mode) {
	case MODE_LEGACY:
		need->legacy_free = legacy_free_pages(snap, sizes, nr_sizes);
		need->pool_pages = need->legacy_free > n ? need->legacy_free : n;
		if (old_dpdk) {
			/* 16.04: every free page mapped twice before -m applies. */
			need->vmas_before_pages = need->baseline_vmas;
			need->vmas = hp_sat_add(need->baseline_vmas,
						hp_sat_mul(2, need->pool_pages));
			need->fds = need->baseline_fds + 1;
			need->va_bytes = hp_sat_add(need->baseline_va,
						 hp_sat_mul(hp_sat_mul(2, need->pool_pages), ps));
		} else {
			/* Lists reserved, then every free page mapped once, plus
			 * the hugepage_data file while both exist. */
			need->vmas_before_pages = need->baseline_vmas + 2 + 2 * l;
			need->vmas = hp_sat_add(need->vmas_before_pages,
					     need->pool_pages + 1);
			need->fds = hp_sat_add(need->baseline_fds + 2 + l, n);
			need->va_bytes = hp_sat_add(hp_sat_add(need->baseline_va, lay->va_bytes),
						 hp_sat_mul(need->pool_pages, ps));
		}
		break;
	case MODE_SINGLE_FILE:
		need->vmas_before_pages = need->baseline_vmas + 2 + 2 * l;
		need->vmas = hp_sat_add(need->vmas_before_pages, n);
		/* One file per list that holds pages. */
		need->fds = need->baseline_fds + 2 + l +
			    (lay->nr_types ? hp_div_up(n, lay->types[0].n_segs) : 1);
		need->va_bytes = hp_sat_add(need->baseline_va, lay->va_bytes);
		break;
	case MODE_IN_MEMORY:
		/* No shared config: fbarrays are private anonymous memory. */
		need->vmas_before_pages = need->baseline_vmas + 1 + 2 * l;
		need->vmas = hp_sat_add(need->vmas_before_pages, n);
		need->fds = hp_sat_add(need->baseline_fds, n);
		need->va_bytes = hp_sat_add(need->baseline_va, lay->va_bytes);
		need->data.model = lay->va_bytes > DPDK_CONFIG_VA ?
				   lay->lists * lay->types[0].fbarray_bytes : 0;
		break;
	default:
		need->vmas_before_pages = need->baseline_vmas + 2 + 2 * l;
		need->vmas = hp_sat_add(need->vmas_before_pages, n);
		need->fds = hp_sat_add(need->baseline_fds + 2 + l, n);
		need->va_bytes = hp_sat_add(need->baseline_va, lay->va_bytes);
		break;
	}
	/* VFIO pins the pages DPDK keeps (legacy mode: after it let the rest
	 * go) and the kernel charges them to RLIMIT_MEMLOCK. */
	need->vfio_dma = vfio_dma(snap, wl);
	need->memlock_exempt = memlock_exempt(snap);
	for (size_t i = 0; need->vfio_dma && i < need->nr_sizes; i++)
		need->dma_bytes = hp_sat_add(need->dma_bytes,
					     hp_sat_mul(need->sizes[i].pages,
							need->sizes[i].page_size));
	if (!need->memlock_exempt)
		need->locked_bytes = need->dma_bytes;
	/* The fd table of each list (an int per slot) lives on the heap. */
	for (size_t t = 0; t < lay->nr_types; t++)
		need->data.model += lay->types[t].n_lists * lay->types[t].n_segs * 4;
	need_data_total(need);
	/* The fds held before the first page file is opened. */
	if (old_dpdk || need->mode == MODE_SINGLE_FILE)
		need->fds_before_pages = need->baseline_fds + 2 + l;
	else
		need->fds_before_pages = hp_sat_sub(need->fds, n);
	free(lay);
	running_baselines(snap, wl, need);
	return 0;
}
