// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fix.c - `hpdiag fix` and `hpdiag check --fix`: diagnose, plan, and with
 * --apply check every step is permitted, apply, then probe the host again
 * so the findings printed are those of the host as it now is.  The
 * workload may be an application's command line after "--" (not run).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "act/plan.h"
#include "cmd/cmd.h"

/* A page file someone started to use since the plan was made is kept. */
static void recheck_stale(const struct snapshot *now, struct fix_plan *plan)
{
	for (size_t i = 0; i < plan->n; i++) {
		struct fix_step *s = &plan->v[i];
		bool stale = false;

		if (s->kind != FIX_REMOVE)
			continue;
		for (size_t m = 0; m < now->nr_mounts; m++)
			for (size_t f = 0; f < now->mounts[m].nr_files; f++) {
				const struct mount_file *mf = &now->mounts[m].files[f];

				if (!strcmp(mf->path, s->path))
					stale = !mf->in_use;
			}
		if (!stale) {
			s->status = FS_UNCHANGED;
			step_error(s, "kept: a process uses it now, or it is gone");
		}
	}
}

static int show_plan(struct ctx *c, struct assessment *a, struct fix_plan *plan,
		     bool applied)
{
	struct result r = {
		.snap = &a->snap, .need = &a->need, .findings = &a->fs,
		.plan = plan, .applied = applied,
	};

	return render(c, &r);
}

int run_fix(struct ctx *c)
{
	unsigned what = probe_for(c, &c->wl) | PROBE_USERS;
	struct fix_plan plan = { 0 };
	struct assessment a;
	sigset_t block, old;
	char err[256];
	int rc, status;

	const char *bad;

	status = assess(c, what, c->pid, &c->wl, &a);
	if (status)
		goto out;
	if (plan_stale_unknown(&a.fs, &c->fix, &bad) < 0) {
		errorx("--clean-stale=%s: not a file in a hugetlbfs mount that no process "
		       "maps, holds open or locks", bad);
		status = EXIT_ERROR;
		goto out;
	}
	if (fix_plan(&a.snap, &a.need, &a.fs, &c->fix, &plan) < 0) {
		errorx("out of memory");
		status = EXIT_ERROR;
		goto out;
	}
	if (!c->fix.apply || !plan.n) {
		status = show_plan(c, &a, &plan, false);
		if (!status)
			status = findings_exit(&a.fs);
		goto out;
	}
	if (c->sr.live) {
		struct probe p = { .sr = &c->sr };
		struct snapshot now;

		if (probe_snapshot(&p, PROBE_MOUNTS | PROBE_USERS, 0, &now) == 0)
			recheck_stale(&now, &plan);
		snapshot_free(&now);
	}
	if (fix_preflight(&c->sr, &plan, err, sizeof(err)) > 0) {
		for (size_t i = 0; i < plan.n; i++)
			if (plan.v[i].error && plan.v[i].status == FS_PLANNED)
				errorx("cannot apply: %s", plan.v[i].error);
		errorx("nothing was changed");
		show_plan(c, &a, &plan, false);
		status = EXIT_ERROR;
		goto out;
	}
	/* An interrupt waits until the run is complete or put back. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, &old);
	rc = fix_apply(&c->sr, &c->fix, &plan);
	sigprocmask(SIG_SETMASK, &old, NULL);
	for (size_t i = 0; rc && i < plan.n; i++)
		if (plan.v[i].status == FS_FAILED)
			errorx("%s", plan.v[i].error);
	if (rc && plan.rollback_failed)
		errorx("some changes could not be put back: the steps above say which");
	else if (rc)
		errorx("every change made before the failure was put back");
	/* Verify: the findings printed are those of the host now. */
	assessment_free(&a);
	status = assess(c, what, c->pid, &c->wl, &a);
	if (status)
		goto out;
	status = show_plan(c, &a, &plan, true);
	if (!status)
		status = rc ? EXIT_ERROR : findings_exit(&a.fs);
out:
	fix_plan_free(&plan);
	assessment_free(&a);
	return status;
}

/* `hpdiag fix [-- COMMAND [ARGS...]]`: the workload of the application's
 * own command line (not run), as check and trial read it. */
static int run_fix_command(struct ctx *c)
{
	struct command_read cr = { 0 };
	int status = 0;

	if (c->command)
		status = command_read(c, c->command, NULL, NULL, true, &c->wl, &cr);
	if (!status)
		status = run_fix(c);
	command_read_free(&cr);
	return status;
}

const struct command cmd_fix = {
	.name = "fix",
	.run = run_fix_command,
	.flags = CMD_COMMAND,
	.operands = "[-- COMMAND [ARGS...]]",
	.summary = "plan the host changes that clear the failures; with --apply "
		   "make them",
	.groups = (const struct option_group *const[]) {
		&group_workload, &group_instance, &group_pid, &group_fix, &group_report, NULL,
	},
	.check = workload_options_check,
};
