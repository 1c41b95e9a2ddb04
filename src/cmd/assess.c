// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * assess.c - what every diagnosing command does first (probe the host,
 * compute the workload's need, diagnose it), and the one way a command
 * reports a probe's error and renders its result.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "lib/num.h"

int probe_error(const struct probe *p, int rc)
{
	if (p->err.msg[0])
		errorx("%s", p->err.msg);
	else
		errorx("cannot read the system: %s", hp_strerror(rc));
	return EXIT_ERROR;
}

unsigned probe_for(const struct ctx *c, const struct workload *wl)
{
	unsigned what = c->pid || wl->mode == MODE_SHM ? PROBE_ALL : PROBE_ALL & ~PROBE_PROCESS;

	/* Every hugepage user's cgroup is for the fleet's metrics only. */
	return c->rep.format == FMT_PROM ? what : what & ~PROBE_CGROUP_USERS;
}

int assess(struct ctx *c, unsigned what, pid_t pid, const struct workload *wl,
	   struct assessment *a)
{
	struct probe p = { .sr = &c->sr, .cgroup = c->cgroup };
	const char *dirs[24];
	char dirbuf[24][CANDIDATE_TEXT];
	int rc;

	memset(a, 0, sizeof(*a));
	rc = probe_snapshot(&p, what, pid, &a->snap);
	a->have_snap = true;
	/* Where a mount for the workload could go: a remedy never mounts
	 * over a directory that holds something. */
	if (rc == 0)
		rc = probe_dirs(&p, dirs, mount_candidates(&a->snap, wl, dirs, dirbuf, 24),
				&a->snap);
	if (rc < 0)
		return probe_error(&p, rc);
	/* What a wrapper sets (prlimit) is what the application runs with. */
	for (int i = 0; i < RL_COUNT; i++) {
		if (wl->rlimits[i].soft_set)
			a->snap.lim.rlimits[i].soft = wl->rlimits[i].soft;
		if (wl->rlimits[i].hard_set)
			a->snap.lim.rlimits[i].hard = wl->rlimits[i].hard;
	}
	if (need_compute(&a->snap, wl, &a->need) < 0) {
		errorx("out of memory");
		return EXIT_ERROR;
	}
	if (a->need.page_size_conflict) {
		char s1[32], s2[32];

		return usage_error("--page-size %s contradicts --huge-dir %s, a "
				   "hugetlbfs mount of %s pages",
				   format_short_size(wl->page_size, s1, sizeof(s1)),
				   wl->huge_dir, format_short_size(a->need.page_size,
								   s2, sizeof(s2)));
	}
	if (diagnose_check(&a->snap, &a->need, &a->fs) < 0) {
		errorx("out of memory");
		return EXIT_ERROR;
	}
	return 0;
}

bool cgroup_hits_now(struct ctx *c, const struct snapshot *snap, uint64_t ps,
		     uint64_t *hits)
{
	struct probe p = { .sr = &c->sr };

	return cgroup_hits(&p, &snap->cg, ps, hits) == 0;
}

void assessment_free(struct assessment *a)
{
	findings_free(&a->fs);
	if (a->have_snap)
		snapshot_free(&a->snap);
	a->have_snap = false;
}

int render(struct ctx *c, const struct result *r)
{
	if (c->output)
		return report_to_file(&c->rep, r, c->output) < 0 ? EXIT_ERROR : 0;
	if (report(&c->rep, r) < 0) {
		errorx("cannot write the report: %s", strerror(errno));
		return EXIT_ERROR;
	}
	return 0;
}
