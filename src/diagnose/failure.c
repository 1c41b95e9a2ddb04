// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * failure.c - one cause of the failure vocabulary from a failed call and
 * the counters of its instant (see failure.h), for trial and exec alike.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "diagnose/failure.h"
#include "diagnose/vma.h"

/* The page size of the failing call: its own, or the workload's. */
static uint64_t failing_size(const struct trace_failure *r, const struct need *need)
{
	return r->at.page_size ? r->at.page_size : need->page_size;
}

/* Whether a hugetlb cgroup's reservation limit refused the call R. */
static bool cgroup_refused(const struct trace_failure *r, const struct snapshot *snap,
			   const struct need *need)
{
	uint64_t ps = failing_size(r, need);
	const struct cgroup_limit *cl = cgroup_limit_of(&snap->cg, ps);
	const struct need_size *ns = need_size_of(need, ps);
	const struct trace_counters *c = &r->at;
	uint64_t len = ps;

	if (c->cg_hits)
		return true;
	if (!cl || cl->rsvd_limit == HP_UNLIMITED || c->cg_rsvd_usage == UINT64_MAX)
		return false;
	/* One mapping of all the pages, or one page at a time. */
	if (r->nr_args >= 2 && !strcmp(r->call, "mmap"))
		len = r->args[1];
	else if ((need->mode == MODE_ANON || need->mode == MODE_SHM) && ns)
		len = ns->pages * ps;
	return hp_sat_add(c->cg_rsvd_usage, len) > cl->rsvd_limit;
}

static enum cause classify(const struct trace_failure *r, const struct snapshot *snap,
			   const struct need *need)
{
	const struct trace_counters *c = &r->at;

	if (!strcmp(r->call, "node"))
		return CAUSE_NODE_POOL_EXHAUSTED;
	/* The trial's child taking the program's own data and address space
	 * first: RLIMIT_AS when the mapping passes it, else RLIMIT_DATA. */
	if ((!strcmp(r->call, "mmap (data)") || !strcmp(r->call, "mmap (program)")) &&
	    r->err == ENOMEM) {
		if (c->rlim_as != UINT64_MAX &&
		    hp_sat_add(c->vm_size, r->nr_args >= 2 ? r->args[1] : 0) > c->rlim_as)
			return CAUSE_RLIMIT_AS;
		if (!strcmp(r->call, "mmap (data)") && c->rlim_data != UINT64_MAX)
			return CAUSE_RLIMIT_DATA;
	}
	/* The application's own mmap: its length says what RLIMIT_AS refused
	 * (DPDK's address-space reservations are not hugepages). */
	if (r->nr_args >= 2 && !strcmp(r->call, "mmap") && r->err == ENOMEM &&
	    !vma_at_limit(c->vmas, c->max_map_count) && c->rlim_as != UINT64_MAX &&
	    hp_sat_add(c->vm_size, r->args[1]) > c->rlim_as)
		return CAUSE_RLIMIT_AS;
	if (r->sig == SIGBUS) {
		const struct cgroup_limit *cl = cgroup_limit_of(&snap->cg,
								failing_size(r, need));

		/* The charge at fault time was refused: a hugetlb cgroup (its
		 * count of refusals grew), or the pool emptied by someone
		 * else since the reservation. */
		if (c->cg_hits || (cl && cl->limit != HP_UNLIMITED))
			return CAUSE_CGROUP_HUGETLB_LIMIT;
		return c->free_pages == 0 ? CAUSE_POOL_EXHAUSTED : CAUSE_CGROUP_HUGETLB_LIMIT;
	}
	switch (r->err) {
	case EMFILE:
	case ENFILE:
		return CAUSE_RLIMIT_NOFILE;
	case EACCES:
	case EPERM:
	case EROFS:
		return !strcmp(r->call, "shmget") ? CAUSE_RLIMIT_MEMLOCK : CAUSE_MOUNT_PERMISSION;
	case ENOSPC:
		return !strcmp(r->call, "shmget") ? CAUSE_SHM_LIMIT : CAUSE_MOUNT_QUOTA;
	case EINVAL:
		return !strcmp(r->call, "shmget") ? CAUSE_SHM_LIMIT : CAUSE_UNKNOWN;
	case ENOENT:
		/* The directory of the pages is missing (QEMU's mem-path). */
		return !strcmp(r->call, "open") ? CAUSE_NO_MOUNT : CAUSE_UNKNOWN;
	case ENOMEM:
		if (vma_at_limit(c->vmas, c->max_map_count))
			return CAUSE_MAP_COUNT_LIMIT;
		if (c->rlim_as != UINT64_MAX &&
		    c->vm_size + (strstr(r->call, "reserve") ? need->list_va :
				  need->page_size) > c->rlim_as)
			return CAUSE_RLIMIT_AS;
		/* A reservation limit refuses hugepages at mmap: the cgroup
		 * counted the refusal, or its reservations were full then. */
		if (cgroup_refused(r, snap, need))
			return CAUSE_CGROUP_HUGETLB_LIMIT;
		if (c->quota_free == 0)
			return CAUSE_MOUNT_QUOTA;
		/* An application's one mapping of many pages (a trial of
		 * PostgreSQL's, a JVM's region, a QEMU backend): the mount's
		 * quota or the pool had fewer free than it maps. */
		if ((need->mode == MODE_ANON || need->mode == MODE_SHM ||
		     need->mode == MODE_QEMU) && r->nr_args >= 2 && r->args[1] &&
		    failing_size(r, need)) {
			uint64_t want = hp_div_up(r->args[1], failing_size(r, need));

			if (c->quota_free != UINT64_MAX && c->quota_free < want)
				return CAUSE_MOUNT_QUOTA;
			if (c->free_pages < want)
				return CAUSE_POOL_EXHAUSTED;
		}
		if (c->node >= 0 && c->node_free_pages == 0 && c->free_pages > 0)
			return CAUSE_NODE_POOL_EXHAUSTED;
		if (c->free_pages == 0 || !strcmp(r->call, "shmget"))
			return CAUSE_POOL_EXHAUSTED;
		/* One mapping of all the pages: reserved at once, or refused. */
		if ((need->mode == MODE_ANON || need->mode == MODE_SHM) &&
		    c->free_pages < need->pages)
			return CAUSE_POOL_EXHAUSTED;
		if (c->rlim_data != UINT64_MAX)
			return CAUSE_RLIMIT_DATA;
		return CAUSE_UNKNOWN;
	case 0:
		/* Legacy: fewer pages mapped than asked, for no error. */
		return !strcmp(r->call, "count") ? CAUSE_POOL_EXHAUSTED : CAUSE_UNKNOWN;
	default:
		return CAUSE_UNKNOWN;
	}
}

enum cause failure_cause(const struct trace_failure *r, const struct snapshot *snap,
			 const struct need *need)
{
	uint64_t ps = r->at.page_size ? r->at.page_size : need->page_size;
	const struct pool *p = snapshot_pool(snap, ps);
	enum cause cause = classify(r, snap, need);

	/* No page of that size to be had: not an exhausted pool, none. */
	if (cause == CAUSE_POOL_EXHAUSTED && (!p || (!p->total && !p->overcommit)))
		return CAUSE_NO_POOL;
	return cause;
}

enum cause trial_cause(const struct trial_result *r, const struct snapshot *snap,
		       const struct need *need)
{
	return r->ok || !r->failed ? CAUSE_NONE : failure_cause(&r->fail, snap, need);
}

enum cause exec_cause(const struct exec_result *r, const struct snapshot *snap,
		      const struct need *need)
{
	if (r->rec.failed)
		return failure_cause(&r->rec.first, snap, need);
	/* No call failed, yet the cgroup refused a charge: a SIGBUS the
	 * application caught itself (DPDK does), and then gave up. */
	if (r->cg_hits && !(r->exited && r->exit_status == 0))
		return CAUSE_CGROUP_HUGETLB_LIMIT;
	return CAUSE_NONE;
}

const char *errname(int err)
{
	const char *n = err ? strerrorname_np(err) : NULL;

	return n ? n : "an error";
}

