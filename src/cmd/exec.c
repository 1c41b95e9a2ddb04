// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exec.c - `hpdiag exec [options] -- COMMAND [ARGS]`: refuses a static
 * program (a preload library cannot enter it), runs the command with the
 * trace library (act/exec.c), reads the workload from its command line and
 * the failure from its output (explain), and reports the "exec" finding
 * with the host it ran on.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "act/exec.h"
#include "cmd/cmd.h"
#include "diagnose/explain.h"
#include "diagnose/failure.h"

#define TRACE_LIB	"libhpdiag-trace.so"

/* HPDIAG_TRACE_LIB, else next to the binary (a build tree), else where
 * make install put it. */
static int find_lib(char *buf, size_t size)
{
	const char *env = getenv("HPDIAG_TRACE_LIB");
	char self[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		if (env[0] != '/') {
			errorx("HPDIAG_TRACE_LIB: '%s' is not an absolute path", env);
			return -1;
		}
		snprintf(buf, size, "%s", env);
		if (access(buf, R_OK) == 0)
			return 0;
		errorx("HPDIAG_TRACE_LIB: %s: %s", buf, strerror(errno));
		return -1;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash && (size_t)(slash - self) + sizeof(TRACE_LIB) + 1 < size) {
			memcpy(buf, self, (size_t)(slash - self) + 1);
			memcpy(buf + (slash - self) + 1, TRACE_LIB, sizeof(TRACE_LIB));
			if (access(buf, R_OK) == 0)
				return 0;
		}
	}
	snprintf(buf, size, "%s/%s", PKGLIBEXECDIR, TRACE_LIB);
	if (access(buf, R_OK) == 0)
		return 0;
	errorx("%s: %s (reinstall hpdiag, or set HPDIAG_TRACE_LIB)", buf,
	       strerror(errno));
	return -1;
}

/* "$ COMMAND ARGS" first, as a user pastes a log, then the output. */
static char *log_text(char *const *argv, const struct exec_result *r)
{
	size_t len = 3 + r->output_len, off;
	char *text;

	for (size_t i = 0; argv[i]; i++)
		len += strlen(argv[i]) + 1;
	text = malloc(len);
	if (!text)
		return NULL;
	off = (size_t)sprintf(text, "$");
	for (size_t i = 0; argv[i]; i++)
		off += (size_t)sprintf(text + off, " %s", argv[i]);
	text[off++] = '\n';
	memcpy(text + off, r->output ? r->output : "", r->output_len);
	text[off + r->output_len] = '\0';
	return text;
}

/* The limits the program started with, as the library saw them at the
 * last exec call (a wrapper may have set them): they are the ones to
 * judge its run by. */
static void started_limits(const struct trace_exec *x, struct workload *wl)
{
	const struct {
		enum rlimit_id id;
		uint64_t v;
	} l[] = { { RL_DATA, x->rlim_data }, { RL_AS, x->rlim_as }, { RL_STACK, x->rlim_stack } };

	if (!x->calls)
		return;
	for (size_t i = 0; i < sizeof(l) / sizeof(l[0]); i++) {
		wl->rlimits[l[i].id].soft = l[i].v == UINT64_MAX ? HP_UNLIMITED : l[i].v;
		wl->rlimits[l[i].id].soft_set = true;
	}
}

/* The charges the hugetlb cgroup (hpdiag's, which the application
 * inherits) refused so far, per page size. */
#define HITS_SIZES 8
struct hits {
	uint64_t page_size[HITS_SIZES];
	uint64_t n[HITS_SIZES];
	size_t count;
};

static void hits_before(struct ctx *c, struct hits *hb)
{
	struct probe p = { .sr = &c->sr };
	struct snapshot snap;

	memset(hb, 0, sizeof(*hb));
	if (probe_snapshot(&p, PROBE_POOLS | PROBE_LIMITS, 0, &snap) == 0)
		for (size_t i = 0; i < snap.cg.nr_limits && hb->count < HITS_SIZES; i++)
			if (snap.cg.limits[i].page_size && snap.cg.limits[i].have_hits) {
				hb->page_size[hb->count] = snap.cg.limits[i].page_size;
				hb->n[hb->count++] = snap.cg.limits[i].hits;
			}
	snapshot_free(&snap);
}

/* Those refused while it ran, for the workload's page size. */
static void hits_during(const struct hits *hb, const struct assessment *a,
			struct exec_result *res)
{
	const struct cgroup_limit *cl = cgroup_limit_of(&a->snap.cg, a->need.page_size);

	for (size_t i = 0; cl && cl->have_hits && i < hb->count; i++)
		if (hb->page_size[i] == cl->page_size) {
			res->cg_hits = cl->hits > hb->n[i] ? cl->hits - hb->n[i] : 0;
			res->have_cg_hits = true;
			res->rec.first.at.cg_hits = res->cg_hits;
		}
}

static int run_exec(struct ctx *c)
{
	struct command_read cr = { 0 };
	struct findings out = { 0 };
	struct exec_opts o = { 0 };
	struct workload wl = c->wl;
	struct exec_result res;
	struct assessment a = { 0 };
	struct explain ex;
	char path[PATH_MAX], lib[PATH_MAX], err[PATH_MAX + 128], *text = NULL;
	struct hits hb;
	bool have_ex = false;
	int rc, status = EXIT_ERROR;

	if (!c->command || !c->command[0])
		return usage_error("exec: give the command after '--': "
				   "hpdiag exec [options] -- COMMAND [ARGS...]");
	rc = exec_resolve(c->command[0], path, sizeof(path));
	if (rc < 0) {
		errorx("exec: cannot run '%s': %s", c->command[0], strerror(-rc));
		return EXIT_ERROR;
	}
	rc = exec_is_static(path);
	if (rc < 0) {
		errorx("exec: %s: %s", path, strerror(-rc));
		return EXIT_ERROR;
	}
	if (rc == 1) {
		errorx("exec: %s is statically linked: a preload library cannot watch "
		       "it; 'hpdiag trial' with the same workload maps the same "
		       "pages in a child of its own", path);
		return EXIT_ERROR;
	}
	if (find_lib(lib, sizeof(lib)) < 0)
		return EXIT_ERROR;
	o.argv = c->command;
	o.path = path;
	o.lib = lib;
	/* With JSON or metrics on stdout, the application's stdout goes to
	 * stderr, unless the report goes to a file. */
	o.out_fd = c->rep.format != FMT_TEXT && !c->output ? STDERR_FILENO :
		   STDOUT_FILENO;
	o.err_fd = STDERR_FILENO;
	hits_before(c, &hb);
	fflush(NULL);
	if (exec_run(&o, &res, err, sizeof(err)) < 0) {
		errorx("exec: %s", err);
		exec_result_free(&res);
		return EXIT_ERROR;
	}
	/* The program that ran last (a wrapper's exec is followed), read
	 * from its ELF with what it loads, and the limits it ran with. */
	res.rec.exec.path[sizeof(res.rec.exec.path) - 1] = '\0';
	status = command_read(c, c->command, res.rec.exec.path[0] ? res.rec.exec.path : NULL,
			      lib, false, &wl, &cr);
	if (status)
		goto out;
	status = EXIT_ERROR;
	started_limits(&res.rec.exec, &wl);
	text = log_text(c->command, &res);
	if (!text || explain_parse(text, &ex) < 0) {
		errorx("out of memory");
		goto out;
	}
	have_ex = true;
	/* What the output tells fills in a DPDK application's workload; an
	 * application modelled from its own command line (PostgreSQL, a
	 * JVM, QEMU) keeps its model: explain reads QEMU's backends as a
	 * single-file DPDK would map them. */
	if (!wl.app_model && !wl.qemu)
		workload_merge(&wl, &ex.hint);
	status = assess(c, probe_for(c, &wl), 0, &wl, &a);
	if (status)
		goto out;
	hits_during(&hb, &a, &res);
	if (exec_findings(&res, &a.snap, &a.need, &ex, &a.fs, &out) < 0) {
		errorx("out of memory");
		status = EXIT_ERROR;
		goto out;
	}
	{
		struct result r = {
			.snap = &a.snap, .need = &a.need, .findings = &out,
			.host = &a.fs, .exec = &res, .exec_argv = c->command,
			.exec_cause = exec_cause(&res, &a.snap, &a.need),
		};

		/* Not after its prompt ("RTE>>"): on a line of its own. */
		if (res.out_mid_line && !c->output)
			fputc('\n', stdout);
		status = render(c, &r);
		if (!status)
			status = findings_exit(&out);
	}
out:
	free(text);
	if (have_ex)
		explain_free(&ex);
	assessment_free(&a);
	findings_free(&out);
	exec_result_free(&res);
	command_read_free(&cr);
	return status;
}

const struct command cmd_exec = {
	.name = "exec",
	.run = run_exec,
	.flags = CMD_LIVE_ONLY | CMD_COMMAND,
	.operands = "-- COMMAND [ARGS...]",
	.summary = "run the application itself and catch its first failing memory call",
	.groups = (const struct option_group *const[]) {
		&group_workload, &group_report, NULL,
	},
	.check = workload_options_check,
};
