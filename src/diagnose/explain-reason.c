// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * explain-reason.c - steps (b) and (c) of explain.  (b): the causes every
 * telling line of the log agrees on, likeliest first, narrowed by what the
 * log proves (one NUMA node, --in-memory, a modern EAL that prints nothing
 * for some causes).  (c): for each of them, whether this host (or the
 * --sysroot snapshot of the failing one) confirms it, rules it out, or
 * cannot see it because it is a limit of the application's own process.
 * The host never adds a cause the log does not allow; when it cannot
 * decide, the answer is the likeliest cause and where to look for it.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "diagnose/explain.h"
#include "lib/num.h"

/* Which check of the host speaks to each cause, and whether it is a
 * property of the application's process (its rlimits, cgroup, user, its
 * own count of mappings) rather than of the host. */
static const struct {
	enum cause cause;
	enum check check;
	bool per_process;
} cause_checks[] = {
	{ CAUSE_POOL_EXHAUSTED, CHECK_POOL, false },
	{ CAUSE_NO_POOL, CHECK_POOL, false },
	{ CAUSE_NODE_POOL_EXHAUSTED, CHECK_NODE_POOL, false },
	{ CAUSE_NO_MOUNT, CHECK_MOUNT, false },
	{ CAUSE_MOUNT_QUOTA, CHECK_MOUNT_QUOTA, false },
	{ CAUSE_MOUNT_PERMISSION, CHECK_MOUNT, true },
	{ CAUSE_CGROUP_HUGETLB_LIMIT, CHECK_CGROUP_HUGETLB, true },
	{ CAUSE_MAP_COUNT_LIMIT, CHECK_MAP_COUNT, true },
	{ CAUSE_RLIMIT_DATA, CHECK_DATA, true },
	{ CAUSE_RLIMIT_AS, CHECK_ADDRESS_SPACE, true },
	{ CAUSE_RLIMIT_MEMLOCK, CHECK_MEMLOCK, true },
	{ CAUSE_RLIMIT_NOFILE, CHECK_NOFILE, true },
	{ CAUSE_VA_SPACE, CHECK_VA_SPACE, false },
	{ CAUSE_SHM_LIMIT, CHECK_SHM, true },
};

static bool dpdk_family(enum app a)
{
	return a == APP_DPDK || a == APP_SPDK || a == APP_OVS;
}

/* A line that tells of the failure: before memory came up any failure
 * does; after it, only one whose errno or signal says memory. */
static bool counted(const struct log_event *e)
{
	if (e->kind != LINE_FAIL && e->kind != LINE_SOFT)
		return false;
	if (!e->after_up)
		return true;
	return e->err == ENOMEM || e->sig == SIGBUS ||
	       (e->kind == LINE_FAIL && (e->flags & PAT_MEMORY));
}

static enum outcome outcome_of(const struct explain *ex)
{
	bool hard = false, soft = false, fallback = false, other = false;

	for (size_t i = 0; i < ex->nr_events; i++) {
		const struct log_event *e = &ex->events[i];

		/* A summary ("Cannot init EAL") after a failure that is not of
		 * memory (EAL refused its options) is that failure's. */
		if (counted(e) && e->kind == LINE_FAIL && (e->flags & PAT_GENERIC) && other && !hard)
			continue;
		if (counted(e) && e->kind == LINE_FAIL)
			hard = true;
		else if (counted(e))
			soft = true;
		else if (e->kind == LINE_FALLBACK)
			fallback = true;
		else if (e->kind == LINE_OTHER || (e->kind == LINE_FAIL && e->after_up))
			other = true;
	}
	if (hard || (soft && !ex->proof.up_line))
		return OUTCOME_FAILED;
	if (fallback)
		return OUTCOME_FALLBACK;
	if (other)
		return OUTCOME_OTHER;
	return ex->proof.up_line ? OUTCOME_SUCCEEDED : OUTCOME_NONE;
}

static size_t add_cause(enum cause *v, size_t n, enum cause c)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == c)
			return n;
	if (n < EXPLAIN_MAX_CAUSES)
		v[n++] = c;
	return n;
}

static bool has(const enum cause *v, size_t n, enum cause c)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == c)
			return true;
	return false;
}

static uint64_t page_size_of(const struct explain *ex)
{
	return ex->hint.page_size ? ex->hint.page_size : 2ULL << 20;
}

/* The causes E is consistent with, given the rest of the log. */
static size_t event_causes(const struct explain *ex, const struct log_event *e,
			   enum cause *out)
{
	size_t n = 0;

	if (e->flags & PAT_HUGEINFO) {
		/* Which of DPDK's notices came before: a size with pages but
		 * no mount, or a size with no free page. */
		bool nomount = false, nofree = false;
		uint64_t ps = page_size_of(ex);

		for (size_t i = 0; i < ex->nr_events; i++) {
			const struct log_event *o = &ex->events[i];

			if ((o->flags & PAT_NO_MOUNT) && (!o->page_size || o->page_size == ps))
				nomount = true;
			if ((o->flags & PAT_SIZE_NOTE) && o->page_size == ps)
				nofree = true;
		}
		if (nomount)
			n = add_cause(out, n, CAUSE_NO_MOUNT);
		if (nofree) {
			n = add_cause(out, n, CAUSE_NO_POOL);
			n = add_cause(out, n, CAUSE_POOL_EXHAUSTED);
		}
		if (n)
			return n;
	}
	/* The JVM's test mapping is a shmget with -XX:+UseSHM: a process
	 * without CAP_IPC_LOCK outside vm.hugetlb_shm_group is refused it
	 * by RLIMIT_MEMLOCK. */
	if ((e->flags & PAT_JVM_PROBE) && ex->hint.have_mode && ex->hint.mode == MODE_SHM) {
		memcpy(out, e->causes, e->nr_causes * sizeof(*out));
		return add_cause(out, e->nr_causes, CAUSE_RLIMIT_MEMLOCK);
	}
	/* After EAL came up, memory runs short when the heap grows: the
	 * pool, the mount, the cgroup or the mappings. */
	if (e->after_up && dpdk_family(ex->proof.app) && !e->sig &&
	    (e->err == ENOMEM || (e->flags & PAT_MEMORY))) {
		static const enum cause runtime[] = {
			CAUSE_POOL_EXHAUSTED, CAUSE_NODE_POOL_EXHAUSTED, CAUSE_MOUNT_QUOTA,
			CAUSE_CGROUP_HUGETLB_LIMIT, CAUSE_MAP_COUNT_LIMIT,
		};

		memcpy(out, runtime, sizeof(runtime));
		return sizeof(runtime) / sizeof(runtime[0]);
	}
	if (!e->nr_causes && (e->flags & PAT_MEMORY) && e->err == 0 &&
	    dpdk_family(ex->proof.app)) {
		/* An mbuf pool that could not be made, before EAL came up
		 * or without saying why. */
		static const enum cause pool[] = {
			CAUSE_POOL_EXHAUSTED, CAUSE_NODE_POOL_EXHAUSTED, CAUSE_MOUNT_QUOTA,
			CAUSE_CGROUP_HUGETLB_LIMIT,
		};

		memcpy(out, pool, sizeof(pool));
		return sizeof(pool) / sizeof(pool[0]);
	}
	memcpy(out, e->causes, e->nr_causes * sizeof(*out));
	return e->nr_causes;
}

/* When no line names a cause: what EAL's bare "Cannot init memory" (or an
 * errno alone) allows. */
static size_t generic_causes(const struct explain *ex, enum outcome oc, enum cause *out)
{
	static const enum cause modern[] = {
		/* DPDK 18.05 and later say so for the pool ("Not enough
		 * memory"), the mount ("no mounted hugetlbfs"), address
		 * space ("Cannot get a virtual area"), fds and permissions
		 * ("get_seg_fd()") and mappings ("Can't mmap holes"): with
		 * none of those, a page's mmap or its first touch was
		 * refused, which EAL logs only at debug level. */
		CAUSE_MOUNT_QUOTA, CAUSE_CGROUP_HUGETLB_LIMIT, CAUSE_POOL_EXHAUSTED,
	};
	static const enum cause any[] = {
		CAUSE_POOL_EXHAUSTED, CAUSE_NO_POOL, CAUSE_NO_MOUNT, CAUSE_MOUNT_QUOTA,
		CAUSE_MAP_COUNT_LIMIT, CAUSE_CGROUP_HUGETLB_LIMIT, CAUSE_RLIMIT_NOFILE,
		CAUSE_RLIMIT_AS, CAUSE_MOUNT_PERMISSION, CAUSE_NODE_POOL_EXHAUSTED,
		CAUSE_VA_SPACE,
	};
	int err = 0;

	if (oc == OUTCOME_FAILED && dpdk_family(ex->proof.app)) {
		if (ex->proof.modern && !ex->proof.pre1805) {
			memcpy(out, modern, sizeof(modern));
			return sizeof(modern) / sizeof(modern[0]);
		}
		memcpy(out, any, sizeof(any));
		return sizeof(any) / sizeof(any[0]);
	}
	for (size_t i = 0; i < ex->nr_events && !err; i++)
		err = ex->events[i].err;
	return err ? explain_errno_causes(err, ex->proof.call[0] ? ex->proof.call : NULL,
					  out) : 0;
}

/* (b): the causes the lines of kind KIND agree on, the most telling first. */
static size_t candidates(const struct explain *ex, enum outcome oc, enum cause *out,
			 const struct log_event **telling)
{
	enum cause sets[EXPLAIN_MAX_EVENTS][EXPLAIN_MAX_CAUSES];
	size_t sizes[EXPLAIN_MAX_EVENTS] = { 0 }, best = SIZE_MAX, n = 0;

	*telling = NULL;
	for (size_t i = 0; i < ex->nr_events; i++) {
		const struct log_event *e = &ex->events[i];
		bool mine = oc == OUTCOME_FALLBACK ? e->kind == LINE_FALLBACK : counted(e);

		sizes[i] = mine ? event_causes(ex, e, sets[i]) : 0;
		if (!mine)
			continue;
		if (!*telling && e->kind == LINE_FAIL)
			*telling = e;
		if (sizes[i] && (best == SIZE_MAX || sizes[i] < sizes[best] ||
				 (sizes[i] == sizes[best] &&
				  e->kind == LINE_FAIL && ex->events[best].kind != LINE_FAIL)))
			best = i;
	}
	if (best == SIZE_MAX) {
		if (!*telling)
			for (size_t i = 0; i < ex->nr_events && !*telling; i++)
				if (oc == OUTCOME_FALLBACK ? ex->events[i].kind == LINE_FALLBACK :
				    counted(&ex->events[i]))
					*telling = &ex->events[i];
		n = generic_causes(ex, oc, out);
	} else {
		*telling = &ex->events[best];
		/* Those of the most telling line that every other agrees on. */
		for (size_t c = 0; c < sizes[best]; c++) {
			bool all = true;

			for (size_t i = 0; i < ex->nr_events && all; i++)
				if (sizes[i] && !has(sets[i], sizes[i], sets[best][c]))
					all = false;
			if (all)
				n = add_cause(out, n, sets[best][c]);
		}
		if (!n)
			for (size_t c = 0; c < sizes[best]; c++)
				n = add_cause(out, n, sets[best][c]);
	}
	return n;
}

/* What the log proves beyond the lines: one NUMA node makes a node's
 * pool the pool; --in-memory keeps no page file in a mount. */
static size_t narrow(const struct explain *ex, enum cause *v, size_t n)
{
	enum cause keep[EXPLAIN_MAX_CAUSES] = { CAUSE_NONE };
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		enum cause c = v[i];

		if (c == CAUSE_NODE_POOL_EXHAUSTED && ex->proof.nodes == 1)
			c = CAUSE_POOL_EXHAUSTED;
		if (ex->hint.have_mode && ex->hint.mode == MODE_IN_MEMORY &&
		    (c == CAUSE_MOUNT_QUOTA || c == CAUSE_MOUNT_PERMISSION ||
		     c == CAUSE_NO_MOUNT) && n > 1)
			continue;
		k = add_cause(keep, k, c);
	}
	memcpy(v, keep, k * sizeof(*v));
	return k;
}

/* The causes whose check depends on how much memory the workload needs:
 * after memory came up the log does not tell how much more the
 * application asked for, so a check that passes for the amount of -m
 * rules nothing out. */
static bool amount_dependent(enum cause c)
{
	return c == CAUSE_POOL_EXHAUSTED || c == CAUSE_NODE_POOL_EXHAUSTED ||
	       c == CAUSE_MOUNT_QUOTA;
}

/* PostgreSQL's log tells its size only when the mapping fails ("currently
 * N bytes", "mmap(N)"): a pool that holds one page rules nothing out. */
static bool unsized(const struct explain *ex)
{
	return ex->proof.app == APP_POSTGRES && !ex->hint.have_mem;
}

/* (c): what HOST shows of CAUSE. */
static enum host_view view_of(const struct explain *ex, const struct explain_answer *ans,
			      const struct findings *host, bool app_view, enum cause cause,
			      const struct finding **f)
{
	bool runtime = ans->event && ans->event->after_up;

	*f = findings_failure(host, cause);
	if (*f)
		return VIEW_CONFIRMED;
	for (size_t i = 0; i < sizeof(cause_checks) / sizeof(cause_checks[0]); i++) {
		const struct finding *c, *m;

		if (cause_checks[i].cause != cause)
			continue;
		c = findings_get(host, cause_checks[i].check);
		/* A page refused at fault time and a hugetlb limit on the
		 * process's cgroup: that limit is the one, whatever the
		 * workload the log tells. */
		if (cause == CAUSE_CGROUP_HUGETLB_LIMIT && ex->proof.fault && c &&
		    finding_evidence(c, "limit") &&
		    finding_evidence(c, "limit")->type == EV_NUM) {
			*f = c;
			return VIEW_CONFIRMED;
		}
		if (cause_checks[i].per_process && !app_view)
			return VIEW_UNSEEN;
		if ((runtime || unsized(ex)) && amount_dependent(cause))
			return VIEW_NOT_SHOWN;
		if (c && c->status == HP_PASS)
			return VIEW_RULED_OUT;
		/* No hugetlb limit at all on the process's cgroup. */
		if (cause == CAUSE_CGROUP_HUGETLB_LIMIT && !c)
			return VIEW_RULED_OUT;
		/* The application's mount has neither size= nor nr_inodes=. */
		m = findings_get(host, CHECK_MOUNT);
		if (cause == CAUSE_MOUNT_QUOTA && !c && m && m->status == HP_PASS)
			return VIEW_RULED_OUT;
		return VIEW_NOT_SHOWN;
	}
	return VIEW_NOT_SHOWN;
}

void explain_reason(const struct explain *ex, const struct findings *host,
		    bool app_view, struct explain_answer *ans)
{
	size_t pick = SIZE_MAX, left = 0, first_left = SIZE_MAX;

	memset(ans, 0, sizeof(*ans));
	ans->log_only = host == NULL;
	ans->outcome = outcome_of(ex);
	for (size_t i = 0; i < ex->nr_events && ans->outcome != OUTCOME_FAILED &&
	     ans->outcome != OUTCOME_FALLBACK; i++)
		if ((ans->outcome == OUTCOME_OTHER && (ex->events[i].kind == LINE_OTHER ||
						       ex->events[i].kind == LINE_FAIL)) ||
		    (ans->outcome == OUTCOME_SUCCEEDED && ex->events[i].kind == LINE_UP)) {
			ans->event = &ex->events[i];
			break;
		}
	switch (ans->outcome) {
	case OUTCOME_SUCCEEDED:
		ans->status = HP_PASS;
		return;
	case OUTCOME_OTHER:
		ans->status = ex->proof.up_line ? HP_PASS : HP_WARN;
		return;
	case OUTCOME_NONE:
		ans->status = HP_WARN;
		ans->cause = CAUSE_UNKNOWN;
		return;
	case OUTCOME_FALLBACK:
		ans->status = HP_WARN;
		break;
	case OUTCOME_FAILED:
		ans->status = HP_FAIL;
		break;
	}
	ans->nr_cands = narrow(ex, ans->cands, candidates(ex, ans->outcome, ans->cands,
							   &ans->event));
	if (!ans->nr_cands) {
		ans->cause = CAUSE_UNKNOWN;
		return;
	}
	for (size_t i = 0; i < ans->nr_cands; i++) {
		ans->view[i] = host ? view_of(ex, ans, host, app_view, ans->cands[i],
					      &ans->host[i]) :
			       VIEW_NOT_CHECKED;
		if (ans->view[i] == VIEW_CONFIRMED && ans->host[i] &&
		    (pick == SIZE_MAX || (ans->host[i]->first && !ans->host[pick]->first)))
			pick = i;
		if (ans->view[i] != VIEW_RULED_OUT) {
			left++;
			if (first_left == SIZE_MAX)
				first_left = i;
		}
	}
	if (ans->nr_cands == 1) {
		ans->cause = ans->cands[0];
		ans->certain = true;
		ans->basis = BASIS_LOG;
	} else if (pick != SIZE_MAX) {
		ans->cause = ans->cands[pick];
		ans->certain = true;
		ans->basis = BASIS_HOST;
	} else if (left == 1) {
		ans->cause = ans->cands[first_left];
		ans->basis = BASIS_ELIMINATION;
	} else {
		ans->cause = ans->cands[left ? first_left : 0];
		ans->basis = BASIS_LIKELIEST;
	}
}

/* Appends ", WORD" (or WORD first) to a list. */
static void append(char *buf, size_t size, const char *word)
{
	size_t l = strlen(buf);

	if (l < size)
		snprintf(buf + l, size - l, "%s%s", l ? ", " : "", word);
}

static const char *dir_of(const struct explain *ex)
{
	return ex->hint.huge_dir;
}

/* "line 7 'EAL: ...': what it means" */
static void quote(const struct log_event *e, char *buf, size_t size)
{
	char shown[200];

	snprintf(shown, sizeof(shown), "%s", e->text);
	snprintf(buf, size, "line %u '%s': %s", e->lineno, shown, e->what);
}

static int finding_failed(const struct explain *ex, const struct explain_answer *ans,
			  struct findings *out)
{
	char head[600] = "", all[300] = "", out_l[300] = "", unseen[300] = "";
	char where[600], msg[4096];
	const struct finding *hf = NULL;
	struct finding *f;

	if (ans->event)
		quote(ans->event, head, sizeof(head));
	else
		snprintf(head, sizeof(head), "the log");
	for (size_t i = 0; i < ans->nr_cands; i++) {
		append(all, sizeof(all), cause_name(ans->cands[i]));
		if (ans->view[i] == VIEW_RULED_OUT)
			append(out_l, sizeof(out_l), cause_name(ans->cands[i]));
		if (ans->view[i] == VIEW_UNSEEN)
			append(unseen, sizeof(unseen), cause_name(ans->cands[i]));
		if (ans->cands[i] == ans->cause)
			hf = ans->host[i];
	}
	explain_where(ans->cause, page_size_of(ex), dir_of(ex), where, sizeof(where));
	if (ans->cause == CAUSE_UNKNOWN) {
		snprintf(msg, sizeof(msg), "%s; no known cause fits it", head);
	} else if (ans->basis == BASIS_LOG) {
		char hp[1200] = "";

		if (ans->log_only)
			;
		else if (hf)
			snprintf(hp, sizeof(hp), "; this host shows it: %s", hf->message);
		else if (ans->view[0] == VIEW_UNSEEN)
			snprintf(hp, sizeof(hp), "; it depends on the application's own "
				 "process, not visible from here: look at %s", where);
		else
			snprintf(hp, sizeof(hp), "; this host does not show it now (it "
				 "has changed since, or the log comes from another host)");
		snprintf(msg, sizeof(msg), "%s: the log leaves one cause, %s%s", head,
			 cause_name(ans->cause), hp);
	} else if (ans->basis == BASIS_HOST && hf->status != HP_FAIL) {
		/* A page refused at fault time, and a hugetlb limit on the
		 * process's cgroup, whatever room it leaves the workload the
		 * log tells of. */
		const struct evidence *l = finding_evidence(hf, "limit");
		const struct evidence *u = finding_evidence(hf, "usage");
		char s1[32], s2[32];

		snprintf(msg, sizeof(msg), "%s; consistent with %s; this host shows %s: "
			 "the process's cgroup limits its hugepages to %s (%s in use), "
			 "and the kernel refuses a page past it at fault time", head, all,
			 cause_name(ans->cause),
			 format_bytes(l && l->type == EV_NUM ? l->num : 0, s1, sizeof(s1)),
			 format_bytes(u && u->type == EV_NUM ? u->num : 0, s2, sizeof(s2)));
	} else if (ans->basis == BASIS_HOST) {
		snprintf(msg, sizeof(msg), "%s; consistent with %s; this host shows %s: %s",
			 head, all, cause_name(ans->cause), hf->message);
	} else {
		char tail[900] = "";
		size_t l;

		if (out_l[0])
			snprintf(tail, sizeof(tail), "; this host rules out %s", out_l);
		l = strlen(tail);
		if (unseen[0])
			snprintf(tail + l, sizeof(tail) - l, "; not visible from here, "
				 "as %s on the application's own process: %s",
				 strchr(unseen, ',') ? "they depend" : "it depends", unseen);
		snprintf(msg, sizeof(msg), "%s; consistent with %s%s; %s %s; look at %s",
			 head, all, tail,
			 ans->basis == BASIS_ELIMINATION ? "the one left is" : "most likely",
			 cause_name(ans->cause), where);
	}
	f = finding_add(out, CHECK_EXPLAIN, ans->status, ans->cause, "%s", msg);
	if (hf && remedy_given(&hf->remedy))
		finding_copy_remedy(f, &hf->remedy);
	else
		finding_note(f, "look at %s", where);
	if (hf)
		finding_str(f, "decided_by", check_name(hf->check));
	if (ans->event)
		finding_num(f, "line", ans->event->lineno);
	finding_num(f, "candidates", ans->nr_cands);
	if (ex->cmd_lineno)
		finding_num(f, "command_line", ex->cmd_lineno);
	if (ans->cause == CAUSE_CGROUP_HUGETLB_LIMIT && hf) {
		const struct evidence *l = finding_evidence(hf, "limit");
		const struct evidence *u = finding_evidence(hf, "usage");

		if (l && l->type == EV_NUM)
			finding_num(f, "limit", l->num);
		if (u && u->type == EV_NUM)
			finding_num(f, "usage", u->num);
	}
	return 0;
}

int explain_finding(const struct explain *ex, const struct explain_answer *ans,
		    struct findings *out)
{
	struct finding *f = NULL;
	char head[600] = "";

	if (ans->event)
		quote(ans->event, head, sizeof(head));
	switch (ans->outcome) {
	case OUTCOME_NONE:
		f = finding_add(out, CHECK_EXPLAIN, HP_WARN, CAUSE_UNKNOWN,
				"no line of the %u read tells of a hugepage memory "
				"failure, or of a success, that hpdiag knows", ex->lines);
		finding_num(f, "lines", ex->lines);
		finding_note(f, "run hpdiag check with the application's options "
			     "(-m, --socket-mem, --mode) on the host where it ran");
		break;
	case OUTCOME_SUCCEEDED: {
		unsigned soft = 0;

		for (size_t i = 0; i < ex->nr_events; i++)
			if (ex->events[i].kind == LINE_SOFT)
				soft += 1 + ex->events[i].repeats;
		f = finding_add(out, CHECK_EXPLAIN, HP_PASS, CAUSE_NONE,
				"the application's hugepage memory came up: %s%s", head,
				soft ? "; the memory calls that failed before it were "
				"recovered from" : "");
		break;
	}
	case OUTCOME_OTHER:
		f = finding_add(out, CHECK_EXPLAIN, ans->status, CAUSE_NONE,
				"%s: not a failure of hugepage memory%s", head,
				ex->proof.up_line ? " (its memory came up first)" : "");
		break;
	case OUTCOME_FALLBACK:
	case OUTCOME_FAILED:
		finding_failed(ex, ans, out);
		break;
	}
	if (f && ans->event)
		finding_num(f, "line", ans->event->lineno);
	return findings_complete(out) ? 0 : -ENOMEM;
}

int explain_diagnose(const struct explain *ex, const struct findings *host,
		     bool app_view, struct findings *out)
{
	struct explain_answer ans;

	explain_reason(ex, host, app_view, &ans);
	return explain_finding(ex, &ans, out);
}
