// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd-fix.c - `hpdiag fix` and `hpdiag check --fix`: diagnose, plan, and
 * with --apply check every step is permitted, apply, then probe the host
 * again so the findings printed are those of the host as it now is.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "act/fix.h"

struct state {
	struct snapshot snap;
	struct need need;
	struct findings fs;
	bool have_snap;
};

static void state_free(struct state *st)
{
	findings_free(&st->fs);
	if (st->have_snap)
		snapshot_free(&st->snap);
	st->have_snap = false;
}

static int diagnose(struct ctx *c, struct state *st)
{
	int rc;

	memset(st, 0, sizeof(*st));
	rc = probe_snapshot(&c->sr, probe_for(c, &c->wl) | PROBE_USERS, c->pid,
			    &st->snap);
	st->have_snap = true;
	if (rc < 0)
		return probe_error(c, rc);
	workload_need(&st->snap, &c->wl, &st->need);
	if (diagnose_check(&st->snap, &c->wl, &st->need, &st->fs) < 0) {
		errorx("out of memory");
		return EXIT_ERROR;
	}
	return 0;
}

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

int cmd_fix(struct ctx *c)
{
	struct state st;
	struct fix_plan plan;
	sigset_t block, old;
	char err[256];
	int rc, status;

	rc = diagnose(c, &st);
	if (rc) {
		state_free(&st);
		return rc;
	}
	if (fix_plan(&st.snap, &c->wl, &st.need, &st.fs, &c->fix, &plan) < 0) {
		fix_plan_free(&plan);
		state_free(&st);
		errorx("out of memory");
		return EXIT_ERROR;
	}
	c->rep.plan = &plan;
	if (!c->fix.apply || !plan.n) {
		status = render(c, &st.snap, &st.need, &st.fs, PART_NEED | PART_FIX) < 0 ?
			 EXIT_ERROR : exit_for(findings_verdict(&st.fs));
		goto out;
	}
	if (c->sr.live) {
		struct snapshot now;

		if (probe_snapshot(&c->sr, PROBE_MOUNTS | PROBE_USERS, 0, &now) == 0)
			recheck_stale(&now, &plan);
		c->sr.err[0] = '\0';
		snapshot_free(&now);
	}
	if (fix_preflight(&c->sr, &plan, err, sizeof(err)) > 0) {
		for (size_t i = 0; i < plan.n; i++)
			if (plan.v[i].error && plan.v[i].status == FS_PLANNED)
				errorx("cannot apply: %s", plan.v[i].error);
		errorx("nothing was changed");
		render(c, &st.snap, &st.need, &st.fs, PART_NEED | PART_FIX);
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
	c->rep.applied = true;
	for (size_t i = 0; rc && i < plan.n; i++)
		if (plan.v[i].status == FS_FAILED)
			errorx("%s", plan.v[i].error);
	if (rc && plan.rollback_failed)
		errorx("some changes could not be put back: the steps above say which");
	else if (rc)
		errorx("every change made before the failure was put back");
	/* Verify: the findings printed are those of the host now. */
	state_free(&st);
	status = diagnose(c, &st);
	if (status)
		goto out;
	if (render(c, &st.snap, &st.need, &st.fs, PART_NEED | PART_FIX) < 0)
		status = EXIT_ERROR;
	else
		status = rc ? EXIT_ERROR : exit_for(findings_verdict(&st.fs));
out:
	c->rep.plan = NULL;
	fix_plan_free(&plan);
	state_free(&st);
	return status;
}
