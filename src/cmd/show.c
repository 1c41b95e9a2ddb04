// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * show.c - `hpdiag pools`, `mounts` and `limits`: what the probes found,
 * as tables, without a workload or findings.
 */
#include "cmd/cmd.h"

/* The snapshot's tables, without a workload or findings. */
static int show(struct ctx *c, unsigned what, bool pools, bool mounts, bool limits)
{
	struct probe p = { .sr = &c->sr, .cgroup = c->cgroup };
	struct snapshot snap;
	int rc;

	rc = probe_snapshot(&p, what, c->pid, &snap);
	if (rc < 0) {
		snapshot_free(&snap);
		return probe_error(&p, rc);
	}
	{
		struct result r = {
			.snap = &snap, .pools = pools, .mounts = mounts, .limits = limits,
		};

		rc = render(c, &r);
	}
	snapshot_free(&snap);
	return rc;
}

static int run_pools(struct ctx *c)
{
	return show(c, PROBE_POOLS, true, false, false);
}

static int run_mounts(struct ctx *c)
{
	return show(c, PROBE_MOUNTS | PROBE_USERS, false, true, false);
}

static int run_limits(struct ctx *c)
{
	return show(c, PROBE_LIMITS | PROBE_PROCESS, false, false, true);
}

const struct command cmd_pools = {
	.name = "pools",
	.run = run_pools,
	.summary = "hugepage pools per page size and NUMA node",
	.groups = (const struct option_group *const[]) { &group_report_file, NULL },
};

const struct command cmd_mounts = {
	.name = "mounts",
	.run = run_mounts,
	.summary = "hugetlbfs mounts: page size, quotas, owner, usage, stale files",
	.groups = (const struct option_group *const[]) {
		&group_pid_only, &group_report_file, NULL,
	},
};

const struct command cmd_limits = {
	.name = "limits",
	.run = run_limits,
	.summary = "sysctls, rlimits, cgroup limits and VMA count that bound mapping",
	.groups = (const struct option_group *const[]) {
		&group_pid, &group_report_file, NULL,
	},
};
