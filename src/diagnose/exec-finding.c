// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exec-finding.c - the "exec" finding: what the application did and why,
 * from the call that failed inside it (counters of that instant, judged by
 * the failure classifier), from its own need against the limits it started
 * with (a program the kernel or the loader refused has no call of its own),
 * or, when no call failed, from its own output.  Pure.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "diagnose/data.h"
#include "diagnose/failure.h"
#include "diagnose/loader.h"
#include "diagnose/remedy.h"

static void describe_call(const struct trace_failure *f, char *buf, size_t size)
{
	if (f->sig) {
		snprintf(buf, size, "a page fault at 0x%" PRIx64 " raised %s", f->addr,
			 sigabbrev_np(f->sig) ? sigabbrev_np(f->sig) : "a signal");
	} else if (!strcmp(f->call, "mmap")) {
		snprintf(buf, size, "mmap of %" PRIu64 " bytes%s%s%s failed with %s",
			 f->args[1], (f->args[3] & MAP_HUGETLB) ? " (MAP_HUGETLB)" : "",
			 f->path[0] ? " of " : "", f->path, errname(f->err));
	} else {
		snprintf(buf, size, "%s%s%s failed with %s", f->call,
			 f->path[0] ? " of " : "", f->path, errname(f->err));
	}
}

static void exit_text(const struct exec_result *r, char *buf, size_t size)
{
	if (r->exited)
		snprintf(buf, size, "exited with status %d", r->exit_status);
	else
		snprintf(buf, size, "was killed by %s", sigabbrev_np(r->sig) ?
			 sigabbrev_np(r->sig) : "a signal");
}

static void peaks(struct finding *f, const struct exec_result *r, uint64_t ps)
{
	finding_num(f, "peak_vmas", r->peak_vmas);
	finding_num(f, "peak_fds", r->peak_fds);
	finding_num(f, "peak_hugepages", ps ? r->peak_hugetlb_bytes / ps : 0);
	finding_num(f, "calls", r->rec.calls);
	finding_num(f, "failed_calls", r->rec.failures);
}

static int succeeded(const struct exec_result *r, const struct snapshot *snap,
		     const struct need *need, struct findings *out)
{
	const struct limits *l = &snap->lim;
	uint64_t mmc = l->sysctl[SC_MAX_MAP_COUNT].value;
	const struct rlim *nf = &l->rlimits[RL_NOFILE];
	uint64_t nofile = need->raises_nofile ? nf->hard : nf->soft;
	uint64_t ps = need->page_size, pages = ps ? r->peak_hugetlb_bytes / ps : 0;
	const struct pool *p = snapshot_pool(snap, ps);
	uint64_t free_now = p ? hp_sat_sub(p->free, p->resv) : 0;
	char nofs[32], s1[32], first[400] = "";
	struct finding *f;

	if (nofile == HP_UNLIMITED)
		snprintf(nofs, sizeof(nofs), "unlimited");
	else
		snprintf(nofs, sizeof(nofs), "%" PRIu64 " (%" PRIu64 " left)", nofile,
			 hp_sat_sub(nofile, r->peak_fds));
	if (r->rec.failed) {
		char call[320];

		describe_call(&r->rec.first, call, sizeof(call));
		snprintf(first, sizeof(first), "; %" PRIu64 " memory call%s failed and "
			 "%s recovered from (the first: %s)", r->rec.failures,
			 r->rec.failures == 1 ? "" : "s", r->rec.failures == 1 ? "was" :
			 "were", call);
	}
	f = finding_add(out, CHECK_EXEC, HP_PASS, CAUSE_NONE,
			"the application exited with status 0 in %.2f s; at the peak "
			"%" PRIu64 " VMAs of vm.max_map_count %" PRIu64 " (%" PRIu64
			" left), %" PRIu64 " fds of RLIMIT_NOFILE %s, %" PRIu64 " %s "
			"hugepages (%" PRIu64 " more free now)%s", r->seconds,
			r->peak_vmas, mmc, hp_sat_sub(mmc, r->peak_vmas), r->peak_fds,
			nofs, pages, format_bytes(ps, s1, sizeof(s1)), free_now, first);
	peaks(f, r, ps);
	finding_num(f, "vmas_left", hp_sat_sub(mmc, r->peak_vmas));
	finding_num(f, "hugepages_free", free_now);
	return findings_complete(out) ? 0 : -ENOMEM;
}

/*
 * The program's own need against the limits it started with: RLIMIT_AS
 * below what its objects map, or RLIMIT_DATA below its private data.
 * A program that dies before it runs (the kernel cannot map it, the
 * loader cannot load it) has nothing of its own to say but this.
 */
static enum cause own_cause(const struct snapshot *snap, const struct need *need)
{
	uint64_t as = snap->lim.rlimits[RL_AS].soft, data = snap->lim.rlimits[RL_DATA].soft;

	if (!need->data.known)
		return CAUSE_NONE;
	if (need->data.va_load && as < need->data.va_load)
		return CAUSE_RLIMIT_AS;
	if (data_phase(need, data) != DATA_FITS)
		return CAUSE_RLIMIT_DATA;
	if (need->data.program && as < need->baseline_va)
		return CAUSE_RLIMIT_AS;
	return CAUSE_NONE;
}

static int own_finding(const struct exec_result *r, const struct snapshot *snap,
		       const struct need *need, const struct findings *host,
		       enum cause cause, const char *how, struct findings *out)
{
	const struct trace_exec *x = &r->rec.exec;
	uint64_t as = snap->lim.rlimits[RL_AS].soft, data = snap->lim.rlimits[RL_DATA].soft;
	struct loader_failure lf;
	char s1[32], s2[32], parts[512], when[640];
	const struct finding *h;
	struct finding *f;

	loader_failure_find(r->output ? r->output : "", r->output_len, &lf);
	if (lf.found)
		snprintf(when, sizeof(when), "%s '%s'", lf.at_start ?
			 "before its program ran, the loader said" :
			 "while it loaded its plug-ins:", lf.line);
	else if (x->pending && !r->exited && r->sig == SIGSEGV)
		snprintf(when, sizeof(when), "before its program ran: the kernel could not "
			 "map %s (%s) and killed it at execve, past the point of no return",
			 need->data.program ? need->data.program : x->path,
			 cause == CAUSE_RLIMIT_DATA ? "its .data and .bss" : "its segments");
	else if (x->pending)
		snprintf(when, sizeof(when), "before its program %s ran",
			 need->data.program ? need->data.program : x->path);
	else
		snprintf(when, sizeof(when), "while it started: %s", cause == CAUSE_RLIMIT_DATA ?
			 data_phase_text(data_phase(need, data)) :
			 "a mapping of its own was refused with ENOMEM");
	data_parts(need, parts, sizeof(parts));
	if (cause == CAUSE_RLIMIT_DATA)
		f = finding_add(out, CHECK_EXEC, HP_FAIL, cause, "the application %s %s; "
				"RLIMIT_DATA is %s and the program needs %s of private "
				"writable memory (%s)", how, when,
				format_bytes(data, s1, sizeof(s1)),
				format_bytes(need->data_bytes, s2, sizeof(s2)), parts);
	else
		f = finding_add(out, CHECK_EXEC, HP_FAIL, cause, "the application %s %s; "
				"RLIMIT_AS is %s and the program's own mappings take %s",
				how, when, format_bytes(as, s1, sizeof(s1)),
				format_bytes(need->data.va_load > as ? need->data.va_load :
					     need->baseline_va, s2, sizeof(s2)));
	if (f)
		f->first = true;
	finding_num(f, "limit", cause == CAUSE_RLIMIT_DATA ? data : as);
	finding_num(f, "need", cause == CAUSE_RLIMIT_DATA ? need->data_bytes :
		    need->data.va_load > as ? need->data.va_load : need->baseline_va);
	if (need->data.program)
		finding_str(f, "program", need->data.program);
	if (lf.found && lf.lib[0])
		finding_str(f, "library", lf.lib);
	finding_num(f, "started", !x->pending);
	if ((h = findings_failure(host, cause)) && remedy_given(&h->remedy))
		finding_copy_remedy(f, &h->remedy);
	else if (cause == CAUSE_RLIMIT_DATA)
		remedy_rlimit_data(f, need->data_bytes);
	else
		remedy_rlimit_as(f);
	peaks(f, r, need->page_size);
	return findings_complete(out) ? 0 : -ENOMEM;
}

/* No memory call failed, but the hugetlb cgroup counted refused charges
 * while the application ran: the page faults it caught (DPDK's SIGBUS
 * guard turns them into "Cannot init memory"). */
static int cgroup_refused(const struct exec_result *r, const struct snapshot *snap,
			  const struct need *need, const char *how,
			  const struct findings *host, struct findings *out)
{
	const struct cgroup_limit *cl = cgroup_limit_of(&snap->cg, need->page_size);
	const struct finding *h = findings_failure(host, CAUSE_CGROUP_HUGETLB_LIMIT);
	char s1[32], s2[32], limit[200] = "";
	struct finding *f;

	if (cl && cl->limit != HP_UNLIMITED)
		snprintf(limit, sizeof(limit), " (its hugetlb limit: %s%s%s)",
			 format_bytes(cl->limit, s1, sizeof(s1)),
			 cl->file ? " in " : "", cl->file ? cl->file : "");
	else if (cl && cl->rsvd_limit != HP_UNLIMITED)
		snprintf(limit, sizeof(limit), " (its reservation limit: %s%s%s)",
			 format_bytes(cl->rsvd_limit, s1, sizeof(s1)),
			 cl->rsvd_file ? " in " : "", cl->rsvd_file ? cl->rsvd_file : "");
	f = finding_add(out, CHECK_EXEC, HP_FAIL, CAUSE_CGROUP_HUGETLB_LIMIT,
			"the application %s; no memory call failed, but its cgroup "
			"%s refused %" PRIu64 " charge%s of %s hugepages while it ran%s: "
			"touching a page raised SIGBUS, which the application caught "
			"(DPDK reports 'Cannot init memory')", how,
			snap->cg.path ? snap->cg.path : "", r->cg_hits,
			r->cg_hits == 1 ? "" : "s",
			format_bytes(need->page_size, s2, sizeof(s2)), limit);
	if (f)
		f->first = true;
	finding_num(f, "hits", r->cg_hits);
	if (cl) {
		finding_lim(f, "limit", cl->limit);
		finding_lim(f, "rsvd_limit", cl->rsvd_limit);
	}
	if (h && remedy_given(&h->remedy))
		finding_copy_remedy(f, &h->remedy);
	else if (cl && (cl->file || cl->rsvd_file))
		finding_note(f, "raise %s above the application's peak",
			     cl->file ? cl->file : cl->rsvd_file);
	peaks(f, r, need->page_size);
	return findings_complete(out) ? 0 : -ENOMEM;
}

/* An application that exited 0 and told it ran without hugepages (a JVM's
 * "UseLargePages disabled", PostgreSQL's huge_pages=try at DEBUG1): a
 * degraded start, WARN with explain's cause.  True when it added that. */
static bool ran_degraded(const struct exec_result *r, const struct need *need,
			 const struct explain *ex, const struct findings *host,
			 struct findings *out)
{
	struct explain_answer ans;
	struct findings tmp = { 0 };
	const struct finding *e;
	struct finding *f;

	if (!ex || !ex->nr_events)
		return false;
	explain_reason(ex, host, true, &ans);
	if (ans.outcome != OUTCOME_FALLBACK || explain_finding(ex, &ans, &tmp) < 0 ||
	    !(e = findings_get(&tmp, CHECK_EXPLAIN))) {
		findings_free(&tmp);
		return false;
	}
	f = finding_add(out, CHECK_EXEC, HP_WARN, e->cause, "the application exited with "
			"status 0 in %.2f s, without the hugepages it asked for: its output: %s",
			r->seconds, e->message);
	finding_copy_remedy(f, &e->remedy);
	peaks(f, r, need->page_size);
	findings_free(&tmp);
	return true;
}

int exec_findings(const struct exec_result *r, const struct snapshot *snap,
		  const struct need *need, const struct explain *ex,
		  const struct findings *host, struct findings *out)
{
	const struct trace_failure *tf = &r->rec.first;
	const struct trace_counters *c = &tf->at;
	const struct finding *h;
	char how[64], call[320];
	struct finding *f;
	enum cause cause;

	if (r->exited && r->exit_status == 0)
		return ran_degraded(r, need, ex, host, out) ? 0 :
		       succeeded(r, snap, need, out);
	exit_text(r, how, sizeof(how));
	cause = exec_cause(r, snap, need);
	/* No call failed, yet the cgroup refused charges while it ran. */
	if (cause == CAUSE_CGROUP_HUGETLB_LIMIT && !r->rec.failed)
		return cgroup_refused(r, snap, need, how, host, out);
	/* No call of its own failed (or none that tells): the program's own
	 * need decides when its limits are below it. */
	if (cause == CAUSE_NONE || cause == CAUSE_UNKNOWN) {
		enum cause own = own_cause(snap, need);

		if (own != CAUSE_NONE)
			return own_finding(r, snap, need, host, own, how, out);
	}
	if (cause != CAUSE_NONE) {
		char at[280];
		bool leak = tf->top_object[0] && cause == CAUSE_MAP_COUNT_LIMIT;

		describe_call(tf, call, sizeof(call));
		if (c->max_map_count)
			snprintf(at, sizeof(at), "%" PRIu64 " VMAs of vm.max_map_count %"
				 PRIu64 ", %" PRIu64 " fds, %" PRIu64 " free pages",
				 c->vmas, c->max_map_count, c->fds, c->free_pages);
		else	/* no fd left to read the kernel's files with */
			snprintf(at, sizeof(at), "all %" PRIu64 " fds RLIMIT_NOFILE "
				 "allows were open", c->fds);
		if (cause == CAUSE_CGROUP_HUGETLB_LIMIT && r->cg_hits) {
			size_t l = strlen(at);

			snprintf(at + l, sizeof(at) - l, "; its cgroup refused %" PRIu64
				 " hugepage charge%s while it ran", r->cg_hits,
				 r->cg_hits == 1 ? "" : "s");
		}
		f = finding_add(out, CHECK_EXEC, HP_FAIL, cause,
				"the application %s: %s in process %d; at that "
				"instant %s%s%s%s", how, call, (int)tf->pid, at,
				leak ?
				"; the object mapped most: " : "", leak ? tf->top_object : "",
				leak ? " (a mapping made again and again: a leak)" : "");
		if (f)
			f->first = true;
		finding_str(f, "call", tf->call);
		finding_num(f, "errno", (uint64_t)tf->err);
		/* Counters read at that instant only: with no fd left the
		 * kernel's files could not be read, and 0 would be a lie. */
		if (c->max_map_count) {
			finding_num(f, "vmas", c->vmas);
			finding_num(f, "max_map_count", c->max_map_count);
		}
		finding_num(f, "fds", c->fds);
		if (c->max_map_count)
			finding_num(f, "free_pages", c->free_pages);
		if (leak) {
			finding_str(f, "object", tf->top_object);
			finding_num(f, "object_vmas", tf->top_count);
			finding_note(f, "in the application, munmap each mapping of %s "
				     "when it is done with it; raising vm.max_map_count "
				     "only postpones the failure", tf->top_object);
		} else if ((h = findings_failure(host, cause)) && remedy_given(&h->remedy)) {
			finding_copy_remedy(f, &h->remedy);
		} else if (cause == CAUSE_RLIMIT_AS) {
			remedy_rlimit_as(f);
		} else if (cause == CAUSE_RLIMIT_NOFILE) {
			remedy_nofile(f, snap, hp_sat_add(c->fds, c->fds / 5));
		} else if (cause == CAUSE_MAP_COUNT_LIMIT) {
			remedy_map_count(f, remedy_sudo(snap), c->max_map_count,
					 hp_sat_add(c->vmas, c->vmas / 5), NULL);
		}
		peaks(f, r, need->page_size);
		return findings_complete(out) ? 0 : -ENOMEM;
	}
	/* No call failed: the application stopped on what it read (DPDK
	 * counts the pool in sysfs, looks for a mount) - its output says. */
	if (ex && ex->nr_events) {
		struct findings tmp = { 0 };
		const struct finding *e;
		int rc = explain_diagnose(ex, host, true, &tmp);

		e = rc == 0 ? findings_get(&tmp, CHECK_EXPLAIN) : NULL;
		if (e && e->status != HP_PASS) {
			f = finding_add(out, CHECK_EXEC, e->status, e->cause,
					"the application %s with no memory call failing; "
					"its output: %s", how, e->message);
			if (f && e->status == HP_FAIL)
				f->first = true;
			finding_copy_remedy(f, &e->remedy);
			peaks(f, r, need->page_size);
			findings_free(&tmp);
			return findings_complete(out) ? 0 : -ENOMEM;
		}
		findings_free(&tmp);
	}
	f = finding_add(out, CHECK_EXEC, HP_WARN, CAUSE_NONE,
			"the application %s; no memory call failed and its output "
			"tells of no memory failure: the cause is elsewhere", how);
	peaks(f, r, need->page_size);
	return findings_complete(out) ? 0 : -ENOMEM;
}
