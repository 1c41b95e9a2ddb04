// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trial.c - `hpdiag trial`: runs the workload's sequence for real in a
 * child (act/trial.c) - the workload of the options, or of the
 * application's command line after "--", which is not run - and reports
 * where and why it stopped.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "act/trial.h"
#include "cmd/cmd.h"
#include "diagnose/failure.h"
#include "probe/parse.h"

/* No mount for the page files: that is the answer, with nothing to try. */
static int no_mount(struct ctx *c, struct assessment *a)
{
	const struct finding *m = findings_get(&a->fs, CHECK_MOUNT);
	struct findings out = { 0 };
	struct result r = { .snap = &a->snap, .need = &a->need, .findings = &out };
	struct finding *f;
	int status;

	f = finding_add(&out, CHECK_TRIAL, HP_FAIL, CAUSE_NO_MOUNT,
			"%s: there is nowhere to create page files",
			m ? m->message : "no hugetlbfs mount");
	if (f) {
		f->first = true;
		if (m && remedy_given(&m->remedy))
			finding_copy_remedy(f, &m->remedy);
		else
			finding_note(f, "mount hugetlbfs for this page size");
	}
	status = render(c, &r);
	findings_free(&out);
	return status ? status : EXIT_FAIL;
}

/* The files of the hugetlb cgroup the trial runs in: its cgroup.procs,
 * and its usage and reservations of pages of PS. */
static int cgroup_files(const struct cgroup *cg, uint64_t ps, char *procs,
			char *usage, char *rsvd)
{
	char dir[2100], name[16];

	if (cgroup_dir(cg, dir, sizeof(dir)) < 0)
		return -ENOENT;
	format_cgroup_size(ps, name, sizeof(name));
	snprintf(procs, 2300, "%s/cgroup.procs", dir);
	snprintf(usage, 2300, "%s/hugetlb.%s.%s", dir, name,
		 cg->version == 1 ? "usage_in_bytes" : "current");
	snprintf(rsvd, 2300, "%s/hugetlb.%s.%s", dir, name,
		 cg->version == 1 ? "rsvd.usage_in_bytes" : "rsvd.current");
	return 0;
}

static int run_trial(struct ctx *c)
{
	struct command_read cr = { 0 };
	struct findings out = { 0 };
	struct trial_opts o = { 0 };
	struct trial_result res;
	struct timespec t0, t1;
	struct assessment a = { 0 };
	char procs[2300], usage[2300], rsvd[2300];
	uint64_t hits0 = 0, hits1 = 0;
	bool have_hits;
	int rc, status;

	if (c->command) {
		status = command_read(c, c->command, NULL, NULL, true, &c->wl, &cr);
		if (status)
			goto out;
	}
	status = assess(c, PROBE_ALL, 0, &c->wl, &a);
	if (status)
		goto out;
	status = EXIT_ERROR;
	o.need = &a.need;
	o.qemu = a.need.mode == MODE_QEMU ? c->wl.qemu : NULL;
	o.rlimits = c->wl.rlimits;
	o.timeout = c->timeout;
	o.progress = !c->rep.quiet && isatty(STDERR_FILENO);
	if (a.need.config_error || (a.need.app && a.need.app->no_hugepages)) {
		/* A command line the application refuses, or one that takes
		 * no hugetlbfs pages: nothing to map (trial-finding.c). */
		memset(&res, 0, sizeof(res));
		res.ok = true;
		t0 = t1 = (struct timespec){ 0, 0 };
		goto report;
	}
	if (!a.need.page_size || !snapshot_pool(&a.snap, a.need.page_size)) {
		const struct finding *f = findings_get(&a.fs, CHECK_POOL);

		errorx("trial: no pool of that page size%s%s", f ? ": " : "",
		       f ? f->message : "");
		goto out;
	}
	if (o.qemu) {
		/* Each backend's own mem-path (act/trial-app.c). */
		const struct need_size *ns = need_size_of(&a.need, a.need.page_size);

		o.dir = ns ? ns->app_dir : NULL;
	} else if (mode_uses_files(a.need.mode)) {
		const struct finding *m = findings_get(&a.fs, CHECK_MOUNT);

		o.dir = need_size_of(&a.need, a.need.page_size)->app_dir;
		if (!o.dir || (m && m->cause == CAUSE_NO_MOUNT)) {
			/* The program's own memory comes first: the child
			 * tries it; only when it fits is the mount the answer. */
			o.own_only = true;
			o.dir = NULL;
			rc = trial_run(&o, &res);
			if (rc < 0 || !res.failed) {
				status = no_mount(c, &a);
				goto out;
			}
			t0 = t1 = (struct timespec){ 0, 0 };
			goto report;
		}
	} else if (a.need.mode == MODE_IN_MEMORY) {
		o.dir = need_size_of(&a.need, a.need.page_size)->app_dir;
	}
	have_hits = cgroup_hits_now(c, &a.snap, a.need.page_size, &hits0);
	if (cgroup_files(&a.snap.cg, a.need.page_size, procs, usage, rsvd) == 0) {
		o.cg_procs = c->cgroup ? procs : NULL;
		o.cg_usage = usage;
		o.cg_rsvd_usage = rsvd;
	} else if (c->cgroup) {
		errorx("trial: cgroup %s has no hugetlb controller to run in",
		       c->cgroup);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = trial_run(&o, &res);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc == 0 && res.failed && !strcmp(res.fail.call, "cgroup")) {
		errorx("trial: cannot run in cgroup %s (%s): %s", c->cgroup,
		       procs, strerror(res.fail.err));
		goto out;
	}
	/* The refusals the cgroup counted while the trial ran. */
	if (rc == 0 && have_hits && cgroup_hits_now(c, &a.snap, a.need.page_size, &hits1))
		res.fail.at.cg_hits = hits1 > hits0 ? hits1 - hits0 : 0;
	if (rc == -EINTR) {
		errorx("trial interrupted: the child was stopped, nothing is left behind");
		status = 130;
		goto out;
	}
	if (rc < 0) {
		errorx("trial: cannot start: %s", strerror(-rc));
		goto out;
	}
report:
	if (trial_findings(&res, &a.snap, &a.need, &a.fs, &out) < 0) {
		errorx("out of memory");
		goto out;
	}
	{
		struct result r = {
			.snap = &a.snap, .need = &a.need, .findings = &out,
			.trial = &res, .trial_dir = o.dir,
			/* A warning (stale files DPDK would reclaim) names no
			 * cause; an application's degraded start does. */
			.trial_cause = out.n && (out.v[0].status == HP_FAIL ||
						 (a.need.app && a.need.app->known)) ?
				       out.v[0].cause : CAUSE_NONE,
			.trial_seconds = (double)(t1.tv_sec - t0.tv_sec) +
					 (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		};

		status = render(c, &r);
		if (!status)
			status = findings_exit(&out);
	}
out:
	findings_free(&out);
	assessment_free(&a);
	command_read_free(&cr);
	return status;
}

static int set_timeout(struct ctx *c, const char *arg)
{
	uint64_t v;

	if (opt_count("--timeout", arg, 1, &v))
		return EXIT_ERROR;
	c->timeout = v > 86400 ? 86400 : (unsigned)v;
	return 0;
}

static const struct option_def trial_opts[] = {
	{ "timeout", 0, "SECONDS", "stop a trial after this long (default 300)",
	  set_timeout },
	{ NULL, 0, NULL, NULL, NULL },
};

static const struct option_group trial_group = { NULL, NULL, trial_opts };

const struct command cmd_trial = {
	.name = "trial",
	.run = run_trial,
	.flags = CMD_LIVE_ONLY | CMD_COMMAND,
	.operands = "[-- COMMAND [ARGS...]]",
	.summary = "map the workload's hugepages for real in a child process, "
		   "name what stops it",
	.groups = (const struct option_group *const[]) {
		&group_workload, &group_cgroup, &trial_group, &group_report, NULL,
	},
	.check = workload_options_check,
};
