// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * explain.c - step (a) of explain: what the log proves.  Each line is read
 * for the application and its version, the options it ran with (a pasted
 * command line, SPDK's and OVS-DPDK's echo of the EAL parameters), the
 * numbers it prints (pages requested and available, NUMA nodes, the size
 * of a mapping), and matched against the known lines (explain-patterns.c)
 * for what failed, with which errno or signal, and whether memory came up.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/explain.h"
#include "lib/num.h"
#include "model/app.h"

static void set_app(struct log_proof *pr, enum app a, unsigned lineno)
{
	/* SPDK, OVS-DPDK and VPP print EAL's lines too: they win over DPDK. */
	if (a == APP_UNKNOWN || pr->app == a ||
	    (pr->app != APP_UNKNOWN && a == APP_DPDK))
		return;
	pr->app = a;
	pr->app_line = lineno;
}

static void set_version(struct explain *ex, const char *v, unsigned lineno, bool dpdk)
{
	struct log_proof *pr = &ex->proof;
	char buf[32];
	size_t n = strspn(v, "0123456789.");
	unsigned dv;

	if (!n || n >= sizeof(buf))
		return;
	memcpy(buf, v, n);
	buf[n] = '\0';
	while (n && buf[n - 1] == '.')
		buf[--n] = '\0';
	if (!pr->version[0]) {
		snprintf(pr->version, sizeof(pr->version), "%s", buf);
		pr->version_line = lineno;
	}
	if (dpdk && dpdk_version_parse(buf, &dv) == 0) {
		ex->hint.dpdk_version = dv;
		if (dv >= 1805)
			pr->modern = true;
		else
			pr->pre1805 = true;
	}
}

/* The application, its version, and the DPDK release, from NORM. */
static void note_identity(struct explain *ex, const char *n, unsigned lineno)
{
	static const char *const modern[] = {
		"selected iova mode", "detected cpu lcores", "detected numa nodes",
		"detected shared linkage", "detected static linkage",
		"multi-process socket", "no legacy callbacks",
	};
	struct log_proof *pr = &ex->proof;
	const char *p;

	if ((p = strstr(n, "using dpdk "))) {		/* OVS-DPDK */
		set_app(pr, APP_OVS, lineno);
		set_version(ex, p + 11, lineno, true);
	} else if ((p = strstr(n, "starting spdk v"))) {
		set_app(pr, APP_SPDK, lineno);
		set_version(ex, p + 15, lineno, false);
		if ((p = strstr(n, "/ dpdk ")))
			set_version(ex, p + 7, lineno, true);
	} else if ((p = strstr(n, "rte version: 'dpdk "))) {
		set_version(ex, p + 19, lineno, true);
	} else if ((p = strstr(n, "starting postgresql "))) {
		set_app(pr, APP_POSTGRES, lineno);
		set_version(ex, p + 20, lineno, false);
	} else if ((p = strstr(n, "openjdk version \""))) {
		set_app(pr, APP_JVM, lineno);
		set_version(ex, p + 17, lineno, false);
	} else if ((p = strstr(n, "jre version: ("))) {
		set_app(pr, APP_JVM, lineno);
		set_version(ex, p + 14, lineno, false);
	}
	if (strstr(n, "qemu-system-"))
		set_app(pr, APP_QEMU, lineno);
	else if (strstr(n, "|dpdk|") || strstr(n, "ovs-vswitchd"))
		set_app(pr, APP_OVS, lineno);
	else if (strstr(n, "[ dpdk eal parameters:"))
		set_app(pr, APP_SPDK, lineno);
	else if (strstr(n, "vlib_") || strstr(n, "pmalloc") || strstr(n, "vpp["))
		set_app(pr, APP_VPP, lineno);
	else if (strstr(n, "openjdk") || strstr(n, "java runtime environment"))
		set_app(pr, APP_JVM, lineno);
	else if (!strncmp(n, "eal:", 4) || strstr(n, " eal:"))
		set_app(pr, APP_DPDK, lineno);
	for (size_t i = 0; i < sizeof(modern) / sizeof(modern[0]); i++)
		if (strstr(n, modern[i]))
			pr->modern = true;
}

static uint64_t num_after(const char *n, const char *key, bool *found)
{
	const char *p = strstr(n, key);

	*found = false;
	if (!p)
		return 0;
	p += strlen(key);
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return 0;
	*found = true;
	return strtoull(p, NULL, 10);
}

/* The numbers a line proves. */
static void note_numbers(struct explain *ex, const char *n)
{
	struct workload_hint *h = &ex->hint;
	struct log_proof *pr = &ex->proof;
	bool f1, f2;
	uint64_t a, b;
	const char *p;

	a = num_after(n, "detected numa nodes:", &f1);
	if (!f1)
		a = num_after(n, "eal: detected", &f1);
	if (f1 && (strstr(n, "numa nodes") || strstr(n, "numa node:")))
		pr->nodes = (unsigned)a;
	a = num_after(n, "requested:", &f1);
	b = num_after(n, "available:", &f2);
	if (f1 && f2) {
		pr->requested_mb = a;
		pr->available_mb = b;
		if ((p = strstr(n, "on socket ")))
			pr->socket = atoi(p + 10);
		if (!h->have_mem && !h->nr_socket_mem) {
			h->have_mem = true;
			h->mem_mb = a;
		}
	}
	/* PostgreSQL: "(currently N bytes)". */
	a = num_after(n, "(currently", &f1);
	if (f1 && strstr(n, "bytes")) {
		pr->size = a;
		h->have_mem = true;
		h->mem_mb = (a + (1 << 20) - 1) >> 20;
	}
	/* PostgreSQL with huge_pages=try: "mmap(N) with MAP_HUGETLB failed". */
	a = num_after(n, "mmap(", &f1);
	if (f1 && strstr(n, "map_hugetlb")) {
		pr->size = a;
		h->have_mem = true;
		h->mem_mb = (a + (1 << 20) - 1) >> 20;
	}
	/* A JVM: "bytes: N page size: P". */
	a = num_after(n, "bytes:", &f1);
	b = num_after(n, "page size:", &f2);
	if (f1 && a > pr->size) {
		pr->size = a;
		if (a >> 20 > h->mem_mb) {
			h->have_mem = true;
			h->mem_mb = a >> 20;
		}
	}
	if (f2 && b >= (1 << 20))
		h->page_size = b;
	/* VPP: "pmalloc_map_pages: failed to mmap N pages". */
	a = num_after(n, "failed to mmap", &f1);
	if (f1 && strstr(n, " pages at ") && !h->have_mem) {
		h->have_mem = true;
		h->mem_mb = a * ((h->page_size ? h->page_size : 2ULL << 20) >> 20);
	}
	a = num_after(n, "attempted to allocate", &f1);
	b = num_after(n, "but only", &f2);
	if (f1 && f2) {
		pr->pages_asked = a;
		pr->pages_got = b;
	}
	/* "Failed to mmap 2 MB hugepages". */
	a = num_after(n, "failed to mmap", &f1);
	if (f1 && strstr(n, "mb hugepages"))
		h->page_size = a << 20;
	a = num_after(n, "exit code", &f1);
	if (!f1)
		a = num_after(n, "exited with code", &f1);
	if (f1) {
		pr->exit_status_seen = true;
		pr->exit_status = (int)a;
	}
}

/* The page size a notice is about: "No free 1048576 kB hugepages",
 * "hugepages-2048kB", "hugepages of size 2097152". */
static uint64_t notice_size(const char *n)
{
	const char *p;
	bool f;
	uint64_t v;

	if ((p = strstr(n, "hugepages-")) && isdigit((unsigned char)p[10]))
		return strtoull(p + 10, NULL, 10) << 10;
	v = num_after(n, "hugepages of size", &f);
	if (f)
		return v;
	for (p = n; *p; p++)
		if (isdigit((unsigned char)*p) && (p == n || p[-1] == ' ')) {
			v = strtoull(p, (char **)&p, 10);
			if (!strncmp(p, " kb hugepages", 13))
				return v << 10;
			if (!*p)
				break;
		}
	return 0;
}

/* Repeats of a line already kept: counted, not kept again. */
static struct log_event *repeated(struct explain *ex, const struct log_event *ev)
{
	for (size_t i = 0; i < ex->nr_events; i++) {
		struct log_event *o = &ex->events[i];

		if (o->what == ev->what && o->kind == ev->kind && o->err == ev->err &&
		    o->page_size == ev->page_size && o->nr_causes == ev->nr_causes &&
		    !memcmp(o->causes, ev->causes, ev->nr_causes * sizeof(*ev->causes)))
			return o;
	}
	return NULL;
}

static void keep(struct explain *ex, struct log_event *ev, char *line)
{
	struct log_event *o = repeated(ex, ev);

	if (o) {
		o->repeats++;
		free(line);
		return;
	}
	if (ex->nr_events == EXPLAIN_MAX_EVENTS) {
		size_t i = ex->nr_events;

		/* Full: a failure or a success outweighs the last notice. */
		if (ev->kind == LINE_SOFT || ev->kind == LINE_NOTE) {
			free(line);
			return;
		}
		while (i > 0 && ex->events[i - 1].kind != LINE_SOFT &&
		       ex->events[i - 1].kind != LINE_NOTE)
			i--;
		if (!i) {
			free(line);
			return;
		}
		free(ex->events[i - 1].text);
		memmove(&ex->events[i - 1], &ex->events[i],
			(ex->nr_events - i) * sizeof(*ev));
		ex->nr_events--;
	}
	ev->lineno = ex->lines;
	ev->text = line;
	ex->events[ex->nr_events++] = *ev;
}

/* The pattern LINE (normalized: N) matches, made an event. */
static bool match_line(struct explain *ex, const char *line, const char *n,
		       struct log_event *ev)
{
	char call[32] = "";

	if (explain_match_strace(line, ev, call, sizeof(call))) {
		if (!ex->proof.call[0] || ev->kind == LINE_FAIL)
			snprintf(ex->proof.call, sizeof(ex->proof.call), "%s", call);
		return true;
	}
	for (size_t i = 0; i < explain_nr_patterns; i++) {
		const struct explain_pattern *pt = &explain_patterns[i];

		if (!strstr(n, pt->needle) || (pt->needle2 && !strstr(n, pt->needle2)))
			continue;
		ev->what = pt->what;
		ev->kind = pt->kind;
		ev->flags = pt->flags;
		ev->sig = (pt->flags & PAT_SIGBUS) ? SIGBUS : 0;
		ev->err = ev->sig || (pt->flags & PAT_RTE_ERRNO) ? 0 : explain_errno(n);
		for (size_t c = 0; c < EXPLAIN_MAX_CAUSES && pt->causes[c] != CAUSE_NONE; c++)
			ev->causes[ev->nr_causes++] = pt->causes[c];
		if (!ev->nr_causes && ev->err)
			ev->nr_causes = explain_errno_causes(ev->err, pt->call, ev->causes);
		/* "Cause: ...: Cannot allocate memory" is a memory failure. */
		if (ev->kind == LINE_OTHER && ev->err == ENOMEM) {
			ev->kind = LINE_FAIL;
			ev->flags |= PAT_MEMORY;
			ev->what = "the application exits: a call failed with ENOMEM";
		}
		if (pt->flags & (PAT_SIZE_NOTE | PAT_NO_MOUNT))
			ev->page_size = notice_size(n);
		if (pt->call && (ev->kind == LINE_FAIL || ev->kind == LINE_SOFT ||
				 ev->kind == LINE_FALLBACK))
			snprintf(ex->proof.call, sizeof(ex->proof.call), "%s", pt->call);
		set_app(&ex->proof, pt->app, ex->lines);
		if (pt->flags & PAT_LEGACY)
			workload_hint_mode(&ex->hint, MODE_LEGACY);
		if (pt->flags & PAT_ANON && !ex->hint.have_mode)
			workload_hint_mode(&ex->hint, MODE_ANON);
		if (pt->flags & PAT_SHM)
			workload_hint_mode(&ex->hint, MODE_SHM);
		if ((pt->flags & PAT_PRE1805) && !ex->proof.modern) {
			ex->proof.pre1805 = true;
			if (!ex->hint.dpdk_version || ex->hint.dpdk_version >= 1805) {
				ex->hint.dpdk_version = 1604;
				ex->version_line = ex->lines;
			}
		}
		if (pt->flags & PAT_MODERN)
			ex->proof.modern = true;
		/* What failed before it did not stop the program. */
		if (pt->flags & PAT_SURVIVED)
			for (size_t k = 0; k < ex->nr_events; k++)
				if (ex->events[k].kind == LINE_FAIL || ex->events[k].kind == LINE_SOFT)
					ex->events[k].kind = LINE_FALLBACK;
		return true;
	}
	return false;
}

/* PostgreSQL with huge_pages=try tells of its fallback to small pages
 * only at DEBUG1: a log that came up, at the default level, with no line
 * of hugepages at all cannot show that its shared memory is on them.  The
 * command line that says try is the telling line then. */
static int pg_try_silent(struct explain *ex)
{
	struct log_event ev = {
		.kind = LINE_FALLBACK,
		.what = "PostgreSQL (huge_pages=try) started, and it logs a fallback "
			"to small pages only at log_min_messages=debug1: this log "
			"cannot show that its shared memory is on hugepages",
		.causes = { CAUSE_POOL_EXHAUSTED, CAUSE_NO_POOL, CAUSE_RLIMIT_AS,
			    CAUSE_CGROUP_HUGETLB_LIMIT },
		.nr_causes = 4,
		.flags = PAT_ANON | PAT_MEMORY,
	};

	if (ex->proof.app != APP_POSTGRES || ex->pg_huge_pages != 't' ||
	    !ex->proof.up_line || !ex->cmd_lineno || ex->nr_events == EXPLAIN_MAX_EVENTS)
		return 0;
	for (size_t i = 0; i < ex->nr_events; i++)
		if (ex->events[i].kind != LINE_UP && ex->events[i].kind != LINE_NOTE)
			return 0;
	ev.lineno = ex->cmd_lineno;
	ev.text = strdup(ex->cmd);
	if (!ev.text)
		return -ENOMEM;
	memmove(&ex->events[1], &ex->events[0], ex->nr_events * sizeof(ev));
	ex->events[0] = ev;
	ex->nr_events++;
	return 0;
}

int explain_parse(const char *text, struct explain *ex)
{
	const char *p = text;

	memset(ex, 0, sizeof(*ex));
	ex->proof.socket = -1;
	while (*p) {
		size_t len = strcspn(p, "\n");
		struct log_event ev = { 0 };
		const char *cmd;
		char *line, *norm;

		ex->lines++;
		line = strndup(p, len);
		norm = malloc(len + 1);
		if (!line || !norm) {
			free(line);
			free(norm);
			return -ENOMEM;
		}
		p += len;
		if (*p == '\n')
			p++;
		explain_normalize(line, norm, len + 1);
		note_identity(ex, norm, ex->lines);
		if (!ex->cmd_lineno && explain_command_line(line, &cmd)) {
			ex->cmd_lineno = ex->lines;
			ex->cmd = strdup(cmd);
			explain_parse_command(ex, cmd);
			if (ex->cmd_app == APP_POSTGRES || ex->cmd_app == APP_JVM)
				set_app(&ex->proof, ex->cmd_app, ex->lines);
			free(line);
			free(norm);
			continue;
		}
		if ((cmd = explain_eal_args(line))) {
			if (!ex->cmd_lineno) {
				ex->cmd_lineno = ex->lines;
				ex->cmd = strndup(cmd + strspn(cmd, " "),
						  strcspn(cmd + strspn(cmd, " "), "]"));
			}
			explain_parse_command(ex, cmd);
		}
		note_numbers(ex, norm);
		if (match_line(ex, line, norm, &ev))
			keep(ex, &ev, line);
		else
			free(line);
		free(norm);
	}
	for (size_t i = 0; i < ex->nr_events; i++)
		if (ex->events[i].kind == LINE_UP) {
			ex->proof.up_line = ex->events[i].lineno;
			break;
		}
	if (pg_try_silent(ex) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < ex->nr_events; i++) {
		struct log_event *e = &ex->events[i];
		struct log_proof *pr = &ex->proof;

		e->after_up = pr->up_line && e->lineno > pr->up_line;
		if (e->kind != LINE_FAIL && e->kind != LINE_SOFT && e->kind != LINE_FALLBACK)
			continue;
		if (!pr->fail_line && e->kind == LINE_FAIL)
			pr->fail_line = e->lineno;
		if (!pr->err && e->err)
			pr->err = e->err;
		if (!pr->sig && e->sig)
			pr->sig = e->sig;
		if (e->flags & (PAT_SIGBUS | PAT_FAULT))
			pr->fault = true;
	}
	/* Before 18.05 DPDK knew only the legacy sequence. */
	if (ex->hint.dpdk_version && ex->hint.dpdk_version < 1805)
		workload_hint_mode(&ex->hint, MODE_LEGACY);
	return 0;
}

void explain_free(struct explain *ex)
{
	for (size_t i = 0; i < ex->nr_events; i++)
		free(ex->events[i].text);
	free(ex->cmd);
	workload_hint_free(&ex->hint);
	memset(ex, 0, sizeof(*ex));
}
