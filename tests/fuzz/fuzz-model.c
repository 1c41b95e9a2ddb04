// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-model.c - the model, check's rules, fix's plan and the renderers on
 * snapshots no probe would let through: page sizes of 0, 1, 3, 2^63 or
 * 2^64-1 in the pools, the mounts, meminfo and the workload, counts near
 * 2^64, nodes, cgroup limits, buddy zones and VFIO devices of any shape,
 * and a kernel command line read as the kernel reads it.  Nothing may
 * divide by zero, shift out of range, read out of bounds or leak.
 */
#include <stdio.h>

#include "act/plan.h"
#include "diagnose/diagnose.h"
#include "fuzz.h"
#include "probe/parse.h"
#include "report/report.h"

struct in {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint64_t u64(struct in *in)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | u8(in);
	return v;
}

/* A page size: one a kernel has, one none has, or any number at all. */
static uint64_t page_size(struct in *in)
{
	static const uint64_t sizes[] = {
		0, 1, 3, 4096, 65536, 2ULL << 20, 32ULL << 20, 512ULL << 20,
		1ULL << 30, 16ULL << 30, 1ULL << 62, 1ULL << 63, UINT64_MAX,
	};
	uint8_t b = u8(in);

	return b < 200 ? sizes[b % (sizeof(sizes) / sizeof(sizes[0]))] : u64(in);
}

/* A count: small, near 2^64, a multiple of 512, or any number. */
static uint64_t count(struct in *in)
{
	uint8_t b = u8(in);

	switch (b & 3) {
	case 0:
		return b >> 2;
	case 1:
		return UINT64_MAX - (b >> 2);
	case 2:
		return (uint64_t)u8(in) * 512;
	default:
		return u64(in);
	}
}

static void *zalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		abort();
	return p;
}

static char *dup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		abort();
	return d;
}

static void make_pools(struct in *in, struct snapshot *s)
{
	s->nr_pools = u8(in) % 4;
	s->pools = zalloc(s->nr_pools, sizeof(*s->pools));
	for (size_t i = 0; i < s->nr_pools; i++) {
		struct pool *p = &s->pools[i];

		p->page_size = page_size(in);
		p->total = count(in);
		p->free = count(in);
		p->resv = count(in);
		p->surplus = count(in);
		p->overcommit = count(in);
		p->nr_nodes = u8(in) % (s->nr_nodes + 1);
		p->nodes = zalloc(p->nr_nodes, sizeof(*p->nodes));
		for (size_t k = 0; k < p->nr_nodes; k++) {
			p->nodes[k].node = s->nodes[k].id;
			p->nodes[k].total = count(in);
			p->nodes[k].free = count(in);
			p->nodes[k].surplus = count(in);
		}
	}
}

static void make_mounts(struct in *in, struct snapshot *s)
{
	static const char *const paths[] = { "/dev/hugepages", "/mnt/h", "/" };

	s->nr_mounts = u8(in) % 3;
	s->mounts = zalloc(s->nr_mounts, sizeof(*s->mounts));
	for (size_t i = 0; i < s->nr_mounts; i++) {
		struct mount *m = &s->mounts[i];
		uint8_t b = u8(in);

		m->path = dup(paths[b % 3]);
		m->page_size = page_size(in);
		m->size_limit = b & 4 ? count(in) : HP_UNLIMITED;
		m->nr_inodes = b & 8 ? count(in) : HP_UNLIMITED;
		m->min_size = count(in);
		m->read_only = b & 16;
		m->writable = (int)(b >> 6) - 1;
		m->have_usage = b & 32;
		m->used_pages = count(in);
		m->quota_used = count(in);
		m->have_quota_used = b & 1;
		m->nr_files = u8(in) % 3;
		m->files = zalloc(m->nr_files, sizeof(*m->files));
		for (size_t k = 0; k < m->nr_files; k++) {
			char path[64];

			snprintf(path, sizeof(path), "%s/rtemap_%zu", m->path, k);
			m->files[k].path = dup(path);
			m->files[k].size = count(in);
			m->files[k].pages = count(in);
			m->files[k].in_use = u8(in) & 1;
		}
	}
}

static void make_limits(struct in *in, struct snapshot *s)
{
	struct limits *l = &s->lim;
	uint8_t b = u8(in);

	l->pid = b & 1 ? 4242 : 0;
	l->vma_count = count(in);
	l->fd_count = count(in);
	l->have_fd_count = b & 2;
	l->st.have_caps = b & 4;
	l->st.cap_eff = u64(in);
	l->st.have_uid = l->st.have_gid = b & 8;
	l->st.uid = l->st.gid = b & 16 ? 0 : 1000;
	l->st.have_vm = b & 32;
	l->st.vm_size = count(in);
	l->st.vm_data = count(in);
	for (int i = 0; i < RL_COUNT; i++) {
		l->rlimits[i].soft = count(in);
		l->rlimits[i].hard = count(in);
	}
	for (int i = 0; i < SC_COUNT; i++) {
		l->sysctl[i].value = count(in);
		l->sysctl[i].present = u8(in) & 1;
	}
}

static void make_host(struct in *in, struct snapshot *s)
{
	unsigned online[BOOT_MAX_NODES];
	size_t n = 0;

	s->cg.nr_limits = u8(in) % 3;
	s->cg.limits = zalloc(s->cg.nr_limits, sizeof(*s->cg.limits));
	for (size_t i = 0; i < s->cg.nr_limits; i++) {
		s->cg.limits[i].page_size = u8(in) & 1 ? 0 : page_size(in);
		s->cg.limits[i].limit = count(in);
		s->cg.limits[i].usage = count(in);
	}
	s->nr_buddy = u8(in) % 3;
	s->buddy = zalloc(s->nr_buddy, sizeof(*s->buddy));
	for (size_t i = 0; i < s->nr_buddy; i++) {
		s->buddy[i].node = u8(in) % 4;
		s->buddy[i].nr_orders = u8(in) % (BUDDY_MAX_ORDERS + 1);
		for (unsigned k = 0; k < s->buddy[i].nr_orders; k++)
			s->buddy[i].free[k] = count(in);
	}
	s->vfio.nr_devs = u8(in) % 3;
	s->vfio.devs = zalloc(s->vfio.nr_devs, sizeof(*s->vfio.devs));
	for (size_t i = 0; i < s->vfio.nr_devs; i++) {
		uint8_t b = u8(in);

		snprintf(s->vfio.devs[i].addr, sizeof(s->vfio.devs[i].addr),
			 "0000:%02x:00.0", b);
		s->vfio.devs[i].group = b & 1 ? -1 : b;
		s->vfio.devs[i].noiommu = b & 2;
	}
	s->vfio.pid_known = u8(in) & 1;
	s->vfio.pid_groups = u8(in) % 3;
	s->procs_scanned = u8(in) & 1;
	/* The rest of the input is the kernel command line. */
	s->cmdline = fuzz_string(in->p, in->n);
	for (size_t i = 0; i < s->nr_nodes && n < BOOT_MAX_NODES; i++)
		online[n++] = s->nodes[i].id;
	parse_boot_pools(s->cmdline, online, n, &s->boot);
}

static void make_workload(struct in *in, const struct snapshot *s,
			  struct workload *wl)
{
	static const char *const dirs[] = { NULL, "/dev/hugepages", "/mnt/h/app", "/srv" };
	static const unsigned versions[] = { 0, 1604, 1805, 2211 };
	uint8_t b = u8(in);

	memset(wl, 0, sizeof(*wl));
	wl->page_size = page_size(in);
	wl->have_page_size = wl->page_size && (b & 1);
	wl->mode = (enum mode)(u8(in) % MODE_COUNT);
	wl->have_mode = true;
	wl->dpdk_version = versions[b & 3];
	wl->huge_dir = dirs[(b >> 2) & 3];
	wl->pid = s->lim.pid;
	switch ((b >> 4) & 3) {
	case 0:
		wl->pages = count(in);
		wl->have_pages = wl->pages > 0;
		break;
	case 1:
		/* -m as the options take it: at most 2^43 MiB. */
		wl->mem_bytes = (count(in) & (UINT64_MAX >> 21)) << 20;
		wl->have_mem = wl->mem_bytes > 0;
		break;
	case 2:
		wl->nr_socket_mem = u8(in) % 4;
		for (size_t i = 0; i < wl->nr_socket_mem; i++)
			wl->socket_mem[i] = count(in) & (UINT64_MAX >> 21);
		break;
	default:
		break;
	}
	if (b & 64) {
		wl->have_node = true;
		wl->node = u8(in) % 8;
	}
	if (b & 128) {
		wl->have_baseline_vmas = true;
		wl->baseline_vmas = count(in);
	}
}

static FILE *null_out;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	struct findings fs = { 0 };
	struct fix_plan plan = { 0 };
	struct fix_opts fo = { 0 };
	struct snapshot snap = { 0 };
	struct workload wl;
	struct need need;

	if (!null_out && !(null_out = fopen("/dev/null", "w")))
		abort();
	snap.meta.base_page_size = page_size(&in);
	snap.meta.va_bits = u8(&in) % 64;
	snap.meta.have_euid = true;
	snap.meta.euid = u8(&in) & 1 ? 0 : 1000;
	snap.mem.mem_total = count(&in);
	snap.mem.mem_free = count(&in);
	snap.mem.hugepagesize = page_size(&in);
	snap.nr_nodes = 1 + u8(&in) % 4;
	snap.nodes = zalloc(snap.nr_nodes, sizeof(*snap.nodes));
	for (size_t i = 0; i < snap.nr_nodes; i++) {
		snap.nodes[i].id = (unsigned)(i * (1 + u8(&in) % 3));
		snap.nodes[i].mem_total = count(&in);
		snap.nodes[i].mem_free = count(&in);
		snap.nodes[i].have_meminfo = true;
		snap.nodes[i].has_cpus = u8(&in) & 1;
	}
	make_pools(&in, &snap);
	make_mounts(&in, &snap);
	make_limits(&in, &snap);
	make_workload(&in, &snap, &wl);
	make_host(&in, &snap);
	fo.overcommit = count(&in);
	fo.have_overcommit = fo.overcommit & 1;
	if (need_compute(&snap, &wl, &need) == 0 &&
	    diagnose_check(&snap, &need, &fs) == 0) {
		struct report_opts ro = { .out = null_out, .command = "check" };
		struct result r = { .snap = &snap, .need = &need, .findings = &fs,
				    .pools = true, .mounts = true, .limits = true };

		if (fix_plan(&snap, &need, &fs, &fo, &plan) == 0)
			r.plan = &plan;
		for (int f = FMT_TEXT; f <= FMT_PROM; f++) {
			ro.format = (enum report_format)f;
			report(&ro, &r);
		}
		fix_plan_free(&plan);
	}
	findings_free(&fs);
	snapshot_free(&snap);
	return 0;
}
