// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rule-cgroup.c - the cgroup hugetlb rule: the room the process's cgroup
 * leaves for the workload's pages, at every level up to the root, and
 * when the kernel charges them.  Without a reservation limit the charge
 * happens at page fault: mmap succeeds and the first touch past the limit
 * raises SIGBUS (DPDK catches it and says "Cannot init memory"; PostgreSQL
 * and a JVM die of it).  With a reservation (rsvd) limit the charge
 * happens when the pages are reserved, and mmap fails with ENOMEM.  Inside
 * a container (or for a Kubernetes pod seen from its node) the node's
 * pool is shared and the pod's budget is its cgroup: the finding says how
 * many of the node's free pages the pod may use, and the remedy names the
 * pod's hugepages-<size> resource, not nr_hugepages.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "diagnose/remedy.h"
#include "diagnose/rules.h"
#include "probe/parse.h"

/* Kubernetes' name for a page size: "2Mi", "1Gi", "64Ki". */
static const char *k8s_size(uint64_t bytes, char *buf, size_t size)
{
	if (bytes && !(bytes & ((1ULL << 30) - 1)))
		snprintf(buf, size, "%" PRIu64 "Gi", bytes >> 30);
	else if (bytes && !(bytes & ((1ULL << 20) - 1)))
		snprintf(buf, size, "%" PRIu64 "Mi", bytes >> 20);
	else
		snprintf(buf, size, "%" PRIu64 "Ki", bytes >> 10);
	return buf;
}

/* What the application sees when the charge is refused. */
static const char *consequence(const struct need *need, bool at_reserve)
{
	if (at_reserve) {
		switch (need->mode) {
		case MODE_ANON:
			return "the one mmap of the whole segment fails with ENOMEM: "
			       "PostgreSQL refuses to start ('could not map anonymous "
			       "shared memory')";
		case MODE_SHM:
			return "shmget fails with ENOMEM: the JVM says 'Failed to "
			       "reserve shared memory (error = 12)'";
		case MODE_QEMU:
			return "QEMU's mmap of the backend fails with ENOMEM: 'unable to "
			       "map backing store for guest RAM: Cannot allocate memory', "
			       "before the guest runs";
		default:
			return "mmap of the next page fails with ENOMEM (DPDK: "
			       "'alloc_seg(): mmap() failed', then 'Cannot init memory')";
		}
	}
	switch (need->mode) {
	case MODE_ANON:
		return "mmap succeeds and a process dies of SIGBUS ('Bus error') "
		       "when it first touches a page past the limit: PostgreSQL "
		       "starts, then crashes once the shared memory in use grows "
		       "past it";
	case MODE_SHM:
		return "shmget succeeds and the JVM dies of SIGBUS when it first "
		       "touches a page past the limit";
	case MODE_QEMU:
		if (need->prealloc)
			return "mmap succeeds and prealloc=on touches every page at start: "
			       "QEMU fails with 'qemu_prealloc_mem: preallocating memory "
			       "failed: Bad address'";
		return "mmap succeeds and QEMU starts, then dies of SIGBUS ('Bus "
		       "error') when the guest first touches a page past the limit: "
		       "the guest is killed later, the worst failure";
	case MODE_LEGACY:
		return "mmap succeeds and touching the next page raises SIGBUS: "
		       "legacy init stops mapping there ('SIGBUS: Cannot mmap more "
		       "hugepages') and fails with 'Cannot init memory'";
	default:
		return "mmap succeeds and touching the next page raises SIGBUS, "
		       "which DPDK catches and reports as 'Cannot init memory'";
	}
}

/* Whether the cgroup at PATH is CG's own or one of its parents. */
static bool on_path(const struct cgroup *cg, const char *path)
{
	size_t l = strlen(path);

	if (!cg->path || !strcmp(path, "/"))
		return cg->path != NULL;
	return !strncmp(cg->path, path, l) && (cg->path[l] == '/' || !cg->path[l]);
}

/* "echo BYTES > FILE" for every level on the path whose room is short of
 * WANT bytes, fault-time and reservation limits alike: one command each. */
static void remedy_files(struct finding *f, const struct snapshot *snap,
			 const struct cgroup_limit *cl, uint64_t want)
{
	char name[16], file[2400];
	size_t n = 0;

	format_cgroup_size(cl->page_size, name, sizeof(name));
	for (size_t i = 0; i < snap->cg.nr_stats; i++) {
		const struct cgroup_stat *st = &snap->cg.stats[i];

		if (st->page_size != cl->page_size || !on_path(&snap->cg, st->path))
			continue;
		for (int rsvd = 0; rsvd < 2; rsvd++) {
			uint64_t lim = rsvd ? st->rsvd_limit : st->limit;
			uint64_t use = rsvd ? st->rsvd_usage : st->usage;

			if ((rsvd && !st->have_rsvd) || lim == HP_UNLIMITED ||
			    hp_sat_sub(lim, use) >= want)
				continue;
			snprintf(file, sizeof(file), "%s/hugetlb.%s.%s", st->dir, name,
				 st->version == 1 ?
				 (rsvd ? "rsvd.limit_in_bytes" : "limit_in_bytes") :
				 (rsvd ? "rsvd.max" : "max"));
			remedy_write(f, snap, file, hp_sat_add(use, want));
			n++;
		}
	}
	if (!n && cl->file)
		remedy_write(f, snap, cl->file, hp_sat_add(cl->usage, want));
	else if (!n)
		finding_note(f, "raise the cgroup's hugetlb limit to %" PRIu64 " bytes",
			     hp_sat_add(cl->usage, want));
}

/* The pod's resource, not the node's pool. */
static void remedy_pod(struct finding *f, const struct snapshot *snap,
		       const struct cgroup_limit *cl, uint64_t held, uint64_t want)
{
	char res[16], qty[32];
	uint64_t total = hp_sat_add(held, want);

	total = hp_div_up(total, cl->page_size) * cl->page_size;
	k8s_size(cl->page_size, res, sizeof(res));
	k8s_size(total, qty, sizeof(qty));
	if (snap->cg.pod)
		finding_note(f, "raise the pod's hugepages-%s limit to at least %s "
			     "(resources.limits.hugepages-%s: %s in the pod spec; "
			     "for hugepages, requests equal limits): its cgroup "
			     "stops it, not the node's nr_hugepages", res, qty, res, qty);
	else
		finding_note(f, "raise the container's hugetlb limit to at least %s "
			     "(Kubernetes: resources.limits.hugepages-%s: %s; for "
			     "hugepages, requests equal limits): its cgroup stops it, "
			     "not the node's nr_hugepages", qty, res, qty);
}

/* The cgroup's room for the pages of one size the workload takes. */
static void cgroup_of_size(const struct snapshot *snap, const struct need *need,
			   const struct need_size *ns, struct findings *fs)
{
	const struct cgroup_limit *cl = cgroup_limit_of(&snap->cg, ns->page_size);
	const struct pool *pool = snapshot_pool(snap, ns->page_size);
	bool pod = snap->cg.pod || snap->cg.container;
	uint64_t ps = ns->page_size, want, room, rsvd_room, allowed, node_free;
	char s1[32], s2[32], s3[32], who[2200], budget[400], ctx[2800] = "";
	bool at_reserve;
	struct finding *f;

	if (!cl || !ps || (cl->limit == HP_UNLIMITED && cl->rsvd_limit == HP_UNLIMITED))
		return;
	want = hp_sat_mul(ns->pages, ps);
	room = hp_sat_sub(cl->limit, cl->usage);
	rsvd_room = hp_sat_sub(cl->rsvd_limit, cl->rsvd_usage);
	/* Each page is reserved, then touched: the smaller room is met first. */
	at_reserve = rsvd_room < want && rsvd_room <= room;
	allowed = (at_reserve ? rsvd_room : room) / ps;
	node_free = pool ? hp_sat_sub(pool->free, pool->resv) : 0;
	if (pod)
		snprintf(who, sizeof(who), "the %s", snap->cg.pod ? "pod" : "container");
	else
		snprintf(who, sizeof(who), "the cgroup %s (v%d)",
			 (at_reserve ? cl->rsvd_cgroup : cl->cgroup) ?
			 (at_reserve ? cl->rsvd_cgroup : cl->cgroup) : "", cl->version);
	if (at_reserve)
		snprintf(budget, sizeof(budget), "reservation limit %s, %s reserved",
			 format_bytes(cl->rsvd_limit, s1, sizeof(s1)),
			 format_bytes(cl->rsvd_usage, s2, sizeof(s2)));
	else
		snprintf(budget, sizeof(budget), "hugetlb limit %s, %s in use",
			 format_bytes(cl->limit, s1, sizeof(s1)),
			 format_bytes(cl->usage, s2, sizeof(s2)));
	if (pod)
		snprintf(ctx, sizeof(ctx), "%s may use %" PRIu64 " of the node's %"
			 PRIu64 " free pages of %s (its cgroup's %s)", who,
			 allowed < node_free ? allowed : node_free, node_free,
			 format_bytes(ps, s3, sizeof(s3)), budget);
	if (rsvd_room < want || room < want) {
		if (pod)
			f = finding_add(fs, CHECK_CGROUP_HUGETLB, HP_FAIL,
					CAUSE_CGROUP_HUGETLB_LIMIT, "%s, %" PRIu64
					" needed; the kernel charges %s, so %s", ctx,
					ns->pages, at_reserve ? "when the pages are "
					"reserved (a reservation limit is set)" :
					"each page when it is first touched",
					consequence(need, at_reserve));
		else
			f = finding_add(fs, CHECK_CGROUP_HUGETLB, HP_FAIL,
					CAUSE_CGROUP_HUGETLB_LIMIT, "%s has room for %"
					PRIu64 " of the %" PRIu64 " pages of %s needed (%s); "
					"the kernel charges %s, so %s", who, allowed,
					ns->pages, format_bytes(ps, s3, sizeof(s3)),
					budget, at_reserve ? "when the pages are reserved "
					"(a reservation limit is set)" :
					cl->rsvd_limit == HP_UNLIMITED ? "each page when it "
					"is first touched (no reservation limit is set)" :
					"each page when it is first touched (the reservation "
					"limit leaves more room)", consequence(need, at_reserve));
		if (pod)
			remedy_pod(f, snap, cl, at_reserve ? cl->rsvd_usage : cl->usage,
				   want);
		else
			remedy_files(f, snap, cl, want);
		dg_set_order(f, need->mode == MODE_LEGACY ? STAGE_COUNT :
			     mode_is_dpdk(need->mode) ? STAGE_PAGES : STAGE_DISCOVER,
			     allowed);
	} else if (pod) {
		f = finding_add(fs, CHECK_CGROUP_HUGETLB, HP_PASS, CAUSE_NONE,
				"%s, %" PRIu64 " needed", ctx, ns->pages);
	} else {
		f = finding_add(fs, CHECK_CGROUP_HUGETLB, HP_PASS, CAUSE_NONE,
				"the cgroup's hugetlb limit (%s, %s in use) leaves room "
				"for %s", format_bytes(cl->limit != HP_UNLIMITED ?
				cl->limit : cl->rsvd_limit, s1, sizeof(s1)),
				format_bytes(cl->limit != HP_UNLIMITED ? cl->usage :
				cl->rsvd_usage, s2, sizeof(s2)),
				format_bytes(want, s3, sizeof(s3)));
	}
	finding_lim(f, "limit", cl->limit);
	finding_num(f, "usage", cl->usage);
	finding_lim(f, "rsvd_limit", cl->rsvd_limit);
	finding_num(f, "rsvd_usage", cl->rsvd_usage);
	finding_num(f, "need", want);
	finding_num(f, "pages_allowed", allowed);
	finding_num(f, "free_pages", node_free);
	finding_str(f, "charged_at", at_reserve || (cl->limit == HP_UNLIMITED) ?
		    "reservation" : "fault");
	if (cl->have_hits)
		finding_num(f, "hits", cl->hits);
	finding_num(f, "hierarchy", (uint64_t)cl->version);
	if (at_reserve ? cl->rsvd_cgroup : cl->cgroup)
		finding_str(f, "cgroup", at_reserve ? cl->rsvd_cgroup : cl->cgroup);
	if (at_reserve ? cl->rsvd_file : cl->file)
		finding_str(f, "file", at_reserve ? cl->rsvd_file : cl->file);
}

void rule_cgroup(const struct snapshot *snap, const struct need *need,
		 struct findings *fs)
{
	for (size_t i = 0; i < need->nr_sizes; i++)
		if (dg_takes(need, i))
			cgroup_of_size(snap, need, &need->sizes[i], fs);
}
