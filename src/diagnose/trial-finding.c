// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trial-finding.c - the "trial" finding: where a trial stopped, why (the
 * failure classifier), and what to change (the host's own remedy for that
 * cause).  For an application's model (PostgreSQL, a JVM, QEMU) it is
 * also the outcome in check's words: start, a degraded start (what fell
 * back to base pages, and why), or a failure.  Pure.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "diagnose/data.h"
#include "diagnose/failure.h"
#include "diagnose/remedy.h"
#include "diagnose/rules.h"

/* What the hugetlb cgroup held at the failure, and when it charges. */
static void cgroup_text(const struct trial_result *r, const struct snapshot *snap,
			const struct need *need, char *buf, size_t size)
{
	const struct cgroup_limit *cl = cgroup_limit_of(&snap->cg, need->page_size);
	const struct trace_counters *c = &r->fail.at;
	bool fault = r->fail.sig != 0;
	uint64_t held = fault ? c->cg_usage : c->cg_rsvd_usage;
	uint64_t lim = cl ? (fault ? cl->limit : cl->rsvd_limit) : HP_UNLIMITED;
	char s1[32], s2[32], held_text[120] = "";

	if (held != UINT64_MAX && lim != HP_UNLIMITED)
		snprintf(held_text, sizeof(held_text), "; the cgroup had %s %s of its "
			 "%s %slimit", format_bytes(held, s1, sizeof(s1)),
			 fault ? "charged" : "reserved", format_bytes(lim, s2, sizeof(s2)),
			 fault ? "" : "reservation ");
	snprintf(buf, size, "%s%s", held_text, fault ?
		 " (a hugetlb cgroup charges at fault time: SIGBUS, not ENOMEM)" :
		 " (a hugetlb cgroup's reservation limit: ENOMEM at mmap)");
}

/* The application's mappings that got their hugepages (HUGE), or those
 * that did not, with what refused them: "heap (256 MiB, mmap ENOMEM)". */
static void regions_text(const struct trial_result *r, bool huge, char *buf, size_t size)
{
	size_t l = 0;

	buf[0] = 0;
	for (uint32_t i = 0; i < r->nr_regions && l < size; i++) {
		const struct trial_region *rg = &r->regions[i];
		char s[32], why[64] = "";

		if (rg->huge != huge)
			continue;
		if (rg->unhuge)
			snprintf(why, sizeof(why), ", not on hugetlbfs");
		else if (!huge && rg->call[0])
			snprintf(why, sizeof(why), ", %s %s", rg->call, errname(rg->err));
		l += (size_t)snprintf(buf + l, size - l, "%s%s (%s%s)", l ? ", " : "", rg->name,
				      format_bytes(rg->bytes, s, sizeof(s)), why);
	}
}

/* A trial of an application's model that ran to its end: it starts, or
 * starts degraded (a mapping fell back, a QEMU mem-path off hugetlbfs). */
static int app_done(const struct trial_result *r, const struct snapshot *snap,
		    const struct need *need, const struct findings *host, struct findings *out)
{
	const struct app_model *m = need->app;
	char got[APP_TEXT], lost[APP_TEXT], s[32];
	const struct finding *h;
	struct finding *f;
	enum cause cause;

	regions_text(r, true, got, sizeof(got));
	regions_text(r, false, lost, sizeof(lost));
	if (!lost[0]) {
		out->outcome = RUN_START;
		f = finding_add(out, CHECK_TRIAL, HP_PASS, CAUSE_NONE, "%s, mapped as it "
				"maps them, got all its %" PRIu64 " hugepages of %s: %s",
				m->what, r->requested, format_bytes(need->page_size, s, sizeof(s)),
				got[0] ? got : "its memory");
		finding_num(f, "mapped", r->mapped);
		return findings_complete(out) ? 0 : -ENOMEM;
	}
	out->outcome = RUN_DEGRADED;
	if (r->fell_back) {
		cause = failure_cause(&r->fail, snap, need);
		f = finding_add(out, CHECK_TRIAL, HP_WARN, cause, "%s starts degraded: %s on "
				"base pages%s%s; the first refusal left %" PRIu64 " free "
				"page%s; %s", m->what, lost, got[0] ? "; on hugepages: " : "",
				got, r->fail.at.free_pages, PL(r->fail.at.free_pages), m->loss);
		finding_num(f, "free_pages", r->fail.at.free_pages);
	} else {
		/* Only what its configuration keeps off hugetlbfs (QEMU). */
		cause = CAUSE_NO_MOUNT;
		f = finding_add(out, CHECK_TRIAL, HP_WARN, cause, "%s starts degraded: %s in "
				"base pages, and says nothing%s%s", m->what, lost,
				got[0] ? "; on hugepages: " : "", got);
	}
	finding_num(f, "mapped", r->mapped);
	h = findings_failure(host, cause);
	if (!h && cause == CAUSE_NO_MOUNT)
		h = findings_get(host, CHECK_MOUNT);
	if (!h)
		for (size_t i = 0; i < host->n && !h; i++)
			if (host->v[i].cause == cause && remedy_given(&host->v[i].remedy))
				h = &host->v[i];
	if (h && remedy_given(&h->remedy))
		finding_copy_remedy(f, &h->remedy);
	return findings_complete(out) ? 0 : -ENOMEM;
}

/* What the application does at the failure the trial met at R's region. */
static void app_failed_note(const struct trial_result *r, const struct need *need,
			    struct finding *f)
{
	const struct app_model *m = need->app;
	bool qemu = m->name && !strcmp(m->name, "qemu");

	if (!f)
		return;
	if (r->fail.sig == SIGBUS && !strcmp(r->fail.call, "prealloc"))
		finding_note(f, "QEMU's prealloc=on touches every page at start: it fails "
			     "there (\"preallocating memory failed: Bad address\")");
	else if (r->fail.sig == SIGBUS && qemu)
		finding_note(f, "QEMU starts: its mapping succeeded, and the guest dies of "
			     "SIGBUS when it first touches this page");
	else if (r->fail.sig == SIGBUS)
		finding_note(f, "%s starts: its mapping succeeded, and the process that first "
			     "touches this page dies of SIGBUS", m->what);
	else
		finding_note(f, "%s fails at start: nothing falls back from this", m->what);
}

int trial_findings(const struct trial_result *r, const struct snapshot *snap,
		   const struct need *need, const struct findings *host,
		   struct findings *out)
{
	const struct app_model *app = need->app && need->app->known ? need->app : NULL;
	char region[64] = "";

	const struct trace_failure *fl = &r->fail;
	const struct trace_counters *c = &fl->at;
	const struct need_size *sz = need_size_of(need, need->page_size);
	uint64_t reclaimable = sz ? sz->reclaim_pages : 0;
	enum cause cause = trial_cause(r, snap, need);
	const struct finding *h;
	char what[96], cgtext[300] = "";
	struct finding *f;

	if (need->config_error) {
		/* Refused before it maps anything: nothing was mapped. */
		out->outcome = RUN_FAIL;
		f = finding_add(out, CHECK_TRIAL, HP_FAIL, CAUSE_UNKNOWN, "nothing mapped: "
				"%s stops at its options before it maps anything: "
				"\"%s\"", app && app->what ? app->what : "the application",
				need->config_error);
		if (f)
			finding_str(f, "error", need->config_error);
		return findings_complete(out) ? 0 : -ENOMEM;
	}
	if (app && app->no_hugepages) {
		/* Nothing to map; a configuration that asks for large pages
		 * and takes none (a JVM's -XX:-UseSHM) is a degraded start,
		 * as check says. */
		bool thp_off = app_thp_off(snap, app), lost = app->none_lost || thp_off;

		out->outcome = lost ? RUN_DEGRADED : RUN_START;
		finding_add(out, CHECK_TRIAL, lost ? HP_WARN : HP_PASS,
			    thp_off ? CAUSE_THP_DISABLED : CAUSE_NONE,
			    "nothing to map: %s%s", app->none_why, thp_off ?
			    "; transparent huge pages are off on this host: it runs on "
			    "base pages" : "");
		return findings_complete(out) ? 0 : -ENOMEM;
	}
	if (app && r->ok)
		return app_done(r, snap, need, host, out);
	out->outcome = r->ok ? RUN_START : RUN_FAIL;
	if (app && r->nr_regions)
		snprintf(region, sizeof(region), " (%s)", r->regions[r->nr_regions - 1].name);
	if (r->ok) {
		f = finding_add(out, CHECK_TRIAL, HP_PASS, CAUSE_NONE, "mapped all %" PRIu64
				" page%s%s; at the peak %" PRIu64 " VMAs of "
				"vm.max_map_count %" PRIu64 ", %" PRIu64 " fds",
				r->requested, PL(r->requested), r->peak_pages > r->requested ?
				" (the whole free pool first, as legacy mode does)" : "",
				c->vmas, c->max_map_count, c->fds);
		finding_num(f, "mapped", r->mapped);
		finding_num(f, "vmas", c->vmas);
		finding_num(f, "fds", c->fds);
		return findings_complete(out) ? 0 : -ENOMEM;
	}
	if (fl->sig)
		snprintf(what, sizeof(what), "%s raised %s", fl->call,
			 sigabbrev_np(fl->sig) ? sigabbrev_np(fl->sig) : "a signal");
	else if (!strcmp(fl->call, "count"))
		snprintf(what, sizeof(what), "only %" PRIu64 " page%s could be mapped",
			 r->mapped, PL(r->mapped));
	else if (!strcmp(fl->call, "node"))
		snprintf(what, sizeof(what), "the page landed on another NUMA node");
	else
		snprintf(what, sizeof(what), "%s failed with %s", fl->call, errname(fl->err));
	/* Pages DPDK would take from stale files it deletes at start. */
	if (reclaimable && (cause == CAUSE_POOL_EXHAUSTED || cause == CAUSE_MOUNT_QUOTA) &&
	    r->mapped + reclaimable >= r->requested) {
		f = finding_add(out, CHECK_TRIAL, HP_WARN, CAUSE_NONE,
				"page %" PRIu64 " of %" PRIu64 ": %s, but stale DPDK "
				"page files hold %" PRIu64 " page%s: the application "
				"deletes them at start and gets its memory (the trial "
				"deletes nothing)", r->page, r->requested, what,
				reclaimable, PL(reclaimable));
		finding_num(f, "reclaimable_pages", reclaimable);
		return findings_complete(out) ? 0 : -ENOMEM;
	}
	/* The child could not take the program's own memory: no page yet. */
	if (!strcmp(fl->call, "mmap (data)") || !strcmp(fl->call, "mmap (program)")) {
		char s1[32], s2[32], s3[32], s4[32], parts[512];

		f = finding_add(out, CHECK_TRIAL, HP_FAIL, cause,
				"the program's own %s does not fit: %s of %s failed "
				"with %s (RLIMIT_DATA %s, RLIMIT_AS %s), before any "
				"hugepage; the program needs %s of private writable "
				"memory (%s)", !strcmp(fl->call, "mmap (data)") ?
				"private data" : "address space", fl->call,
				format_bytes(fl->args[1], s1, sizeof(s1)), errname(fl->err),
				format_limit(c->rlim_data == UINT64_MAX ? HP_UNLIMITED :
					     c->rlim_data, s2, sizeof(s2)),
				format_limit(c->rlim_as == UINT64_MAX ? HP_UNLIMITED :
					     c->rlim_as, s3, sizeof(s3)),
				format_bytes(need->data_bytes, s4, sizeof(s4)),
				data_parts(need, parts, sizeof(parts)));
		if (f)
			f->first = true;
		finding_num(f, "need", need->data_bytes);
		finding_lim(f, "rlimit_data", c->rlim_data == UINT64_MAX ? HP_UNLIMITED :
			    c->rlim_data);
		finding_lim(f, "rlimit_as", c->rlim_as == UINT64_MAX ? HP_UNLIMITED :
			    c->rlim_as);
		h = findings_failure(host, cause);
		if (h && remedy_given(&h->remedy))
			finding_copy_remedy(f, &h->remedy);
		else if (cause == CAUSE_RLIMIT_DATA)
			remedy_rlimit_data(f, need->data_bytes);
		else
			remedy_rlimit_as(f);
		return findings_complete(out) ? 0 : -ENOMEM;
	}
	if (cause == CAUSE_CGROUP_HUGETLB_LIMIT)
		cgroup_text(r, snap, need, cgtext, sizeof(cgtext));
	f = finding_add(out, CHECK_TRIAL, HP_FAIL, cause,
			"page %" PRIu64 " of %" PRIu64 "%s: %s; at that instant %"
			PRIu64 " VMAs of vm.max_map_count %" PRIu64 ", %" PRIu64
			" fds, %" PRIu64 " free pages%s", r->page, r->peak_pages, region,
			what, c->vmas, c->max_map_count, c->fds, c->free_pages, cgtext);
	if (f)
		f->first = true;
	if (app)
		app_failed_note(r, need, f);
	finding_num(f, "page", r->page);
	finding_num(f, "mapped", r->mapped);
	finding_num(f, "vmas", c->vmas);
	finding_num(f, "max_map_count", c->max_map_count);
	finding_num(f, "fds", c->fds);
	finding_num(f, "free_pages", c->free_pages);
	h = findings_failure(host, cause);
	if (h && remedy_given(&h->remedy))
		finding_copy_remedy(f, &h->remedy);
	else if (cause == CAUSE_RLIMIT_NOFILE)
		remedy_nofile(f, snap, need->fds + need->fds / 5);
	else if (cause == CAUSE_MAP_COUNT_LIMIT)
		remedy_map_count(f, remedy_sudo(snap), snap->lim.sysctl[SC_MAX_MAP_COUNT].value,
				 need->vmas, NULL);
	else if (cause == CAUSE_RLIMIT_AS)
		remedy_rlimit_as(f);
	return findings_complete(out) ? 0 : -ENOMEM;
}
