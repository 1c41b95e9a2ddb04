// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trial-diagnose.c - turns where a trial stopped, and the counters of that
 * instant, into one cause of DESIGN.md's vocabulary.  ENOMEM alone means
 * little (mmap(2) lists three reasons, hugetlbfs adds two); the counters
 * tell them apart.  Pure: no I/O.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "act/trial.h"
#include "probe/vma.h"

const char *trial_cause(const struct trial_result *r, const struct snapshot *snap,
			const struct need *need)
{
	const struct trial_counters *c = &r->at;

	if (r->ok || !r->failed)
		return NULL;
	if (!strcmp(r->call, "node"))
		return "node_pool_exhausted";
	if (r->sig == SIGBUS) {
		/* The charge at fault time was refused: a hugetlb cgroup, or
		 * the pool emptied by someone else since the reservation. */
		for (size_t i = 0; i < snap->cg.nr_limits; i++)
			if (snap->cg.limits[i].page_size == need->page_size &&
			    snap->cg.limits[i].limit != HP_UNLIMITED)
				return "cgroup_hugetlb_limit";
		return c->free_pages == 0 ? "pool_exhausted" : "cgroup_hugetlb_limit";
	}
	switch (r->err) {
	case EMFILE:
	case ENFILE:
		return "rlimit_nofile";
	case EACCES:
	case EPERM:
	case EROFS:
		return !strcmp(r->call, "shmget") ? "rlimit_memlock" : "mount_permission";
	case ENOSPC:
		return !strcmp(r->call, "shmget") ? "shm_limit" : "mount_quota";
	case EINVAL:
		return !strcmp(r->call, "shmget") ? "shm_limit" : "unknown";
	case ENOMEM:
		if (vma_at_limit(c->vmas, c->max_map_count))
			return "map_count_limit";
		if (c->rlim_as != UINT64_MAX &&
		    c->vm_size + (strstr(r->call, "reserve") ? need->list_va :
				  need->page_size) > c->rlim_as)
			return "rlimit_as";
		if (c->quota_free == 0)
			return "mount_quota";
		if (c->node >= 0 && c->node_free_pages == 0 && c->free_pages > 0)
			return "node_pool_exhausted";
		if (c->free_pages == 0 || !strcmp(r->call, "shmget"))
			return "pool_exhausted";
		/* One mapping of all the pages: reserved at once, or refused. */
		if ((need->mode == MODE_ANON || need->mode == MODE_SHM) &&
		    c->free_pages < need->pages)
			return "pool_exhausted";
		if (c->rlim_data != UINT64_MAX)
			return "rlimit_data";
		return "unknown";
	case 0:
		/* Legacy: fewer pages mapped than asked, for no error. */
		return !strcmp(r->call, "count") ? "pool_exhausted" : "unknown";
	default:
		return "unknown";
	}
}

const char *errname(int err)
{
	const char *n = err ? strerrorname_np(err) : NULL;

	return n ? n : "an error";
}

/* The remedy the host's own check gives for that cause, if any. */
const char *host_remedy(const struct findings *host, const char *cause)
{
	for (size_t i = 0; host && i < host->n; i++)
		if (host->v[i].cause && !strcmp(host->v[i].cause, cause) &&
		    host->v[i].remedy)
			return host->v[i].remedy;
	return NULL;
}

int trial_findings(const struct trial_result *r, const struct snapshot *snap,
		   const struct need *need, uint64_t reclaimable,
		   const struct findings *host, struct findings *out)
{
	const struct trial_counters *c = &r->at;
	const char *cause = trial_cause(r, snap, need), *rem;
	char what[96];
	struct finding *f;

	if (r->ok) {
		f = finding_add(out, "trial", HP_PASS, NULL, "mapped all %" PRIu64
				" pages%s; at the peak %" PRIu64 " VMAs of "
				"vm.max_map_count %" PRIu64 ", %" PRIu64 " fds",
				r->requested, r->peak_pages > r->requested ?
				" (the whole free pool first, as legacy mode does)" : "",
				c->vmas, c->max_map_count, c->fds);
		finding_num(f, "mapped", r->mapped);
		finding_num(f, "vmas", c->vmas);
		finding_num(f, "fds", c->fds);
		return f ? 0 : -ENOMEM;
	}
	if (r->sig)
		snprintf(what, sizeof(what), "%s raised %s", r->call,
			 sigabbrev_np(r->sig) ? sigabbrev_np(r->sig) : "a signal");
	else if (!strcmp(r->call, "count"))
		snprintf(what, sizeof(what), "only %" PRIu64 " pages could be mapped",
			 r->mapped);
	else if (!strcmp(r->call, "node"))
		snprintf(what, sizeof(what), "the page landed on another NUMA node");
	else
		snprintf(what, sizeof(what), "%s failed with %s", r->call, errname(r->err));
	/* Pages DPDK would take from stale files it deletes at start. */
	if (reclaimable && cause && (!strcmp(cause, "pool_exhausted") ||
				     !strcmp(cause, "mount_quota")) &&
	    r->mapped + reclaimable >= r->requested) {
		f = finding_add(out, "trial", HP_WARN, NULL,
				"page %" PRIu64 " of %" PRIu64 ": %s, but stale DPDK "
				"page files hold %" PRIu64 " pages: the application "
				"deletes them at start and gets its memory (the trial "
				"deletes nothing)", r->page, r->requested, what,
				reclaimable);
		finding_num(f, "reclaimable_pages", reclaimable);
		return f ? 0 : -ENOMEM;
	}
	f = finding_add(out, "trial", HP_FAIL, cause,
			"page %" PRIu64 " of %" PRIu64 ": %s; at that instant %"
			PRIu64 " VMAs of vm.max_map_count %" PRIu64 ", %" PRIu64
			" fds, %" PRIu64 " free pages%s", r->page, r->peak_pages,
			what, c->vmas, c->max_map_count, c->fds, c->free_pages,
			cause && !strcmp(cause, "cgroup_hugetlb_limit") ?
			" (a hugetlb cgroup charges at fault time: SIGBUS, not "
			"ENOMEM)" : "");
	if (f)
		f->first = true;
	finding_num(f, "page", r->page);
	finding_num(f, "mapped", r->mapped);
	finding_num(f, "vmas", c->vmas);
	finding_num(f, "max_map_count", c->max_map_count);
	finding_num(f, "fds", c->fds);
	finding_num(f, "free_pages", c->free_pages);
	rem = cause ? host_remedy(host, cause) : NULL;
	if (rem)
		finding_remedy(f, "%s", rem);
	else if (cause && !strcmp(cause, "rlimit_nofile"))
		remedy_nofile(f, snap, need->fds + need->fds / 5);
	else if (cause && !strcmp(cause, "map_count_limit"))
		finding_remedy(f, "sysctl -w vm.max_map_count=%" PRIu64,
			       suggest_max_map_count(need->vmas));
	else if (cause && !strcmp(cause, "rlimit_as"))
		finding_remedy(f, "ulimit -v unlimited (systemd: LimitAS=infinity)");
	return f ? 0 : -ENOMEM;
}
