// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check.c - `hpdiag check` (the default command): every probe, the
 * workload's need (from the options, or from the application's own
 * command line after "--", not run), the findings; `check --fix` is
 * `fix --apply`.
 */
#include <stdio.h>

#include "cmd/cmd.h"

static int run_check(struct ctx *c)
{
	struct command_read cr = { 0 };
	struct assessment a = { 0 };
	int status;

	/* The workload of "-- COMMAND", read from its program and options. */
	if (c->command) {
		status = command_read(c, c->command, NULL, NULL, true, &c->wl, &cr);
		if (status)
			goto out;
	}
	/* check --fix is fix --apply. */
	if (c->check_fix) {
		c->fix.apply = true;
		status = run_fix(c);
		goto out;
	}
	status = assess(c, probe_for(c, &c->wl), c->pid, &c->wl, &a);
	if (!status) {
		struct result r = { .snap = &a.snap, .need = &a.need, .findings = &a.fs };

		status = render(c, &r);
		if (!status)
			status = findings_exit(&a.fs);
	}
	assessment_free(&a);
out:
	command_read_free(&cr);
	return status;
}

static int set_fix(struct ctx *c, const char *arg)
{
	(void)arg;
	c->check_fix = true;
	return 0;
}

static const struct option_def check_opts[] = {
	{ "fix", 0, NULL, "apply the fix plan (as 'hpdiag fix --apply')", set_fix },
	{ NULL, 0, NULL, NULL, NULL },
};

static const struct option_group check_group = { NULL, NULL, check_opts };

static int check_options(struct ctx *c)
{
	if (c->fix_given && !c->check_fix)
		return usage_error("check: option '%s' needs --fix", c->fix_given);
	return workload_options_check(c);
}

const struct command cmd_check = {
	.name = "check",
	.run = run_check,
	.flags = CMD_COMMAND,
	.operands = "[-- COMMAND [ARGS...]]",
	.summary = "predict whether the workload's hugepage setup will succeed",
	.groups = (const struct option_group *const[]) {
		&group_workload, &group_instance, &group_pid, &group_report, &check_group,
		&group_check_fix, NULL,
	},
	.check = check_options,
};
