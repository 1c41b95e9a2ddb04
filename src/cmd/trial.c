// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd-trial.c - `hpdiag trial`: runs the workload's sequence for real in a
 * child (trial.c) and reports where and why it stopped.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "act/trial.h"

static bool mode_uses_files(enum mode m)
{
	return m == MODE_DYNAMIC || m == MODE_LEGACY || m == MODE_SINGLE_FILE;
}

/* The directory page files go to: --huge-dir, else the size's mount. */
static const char *trial_dir(const struct snapshot *snap, const struct workload *wl,
			     uint64_t ps)
{
	if (wl->huge_dir)
		return wl->huge_dir;
	for (size_t i = 0; i < snap->nr_mounts; i++)
		if (snap->mounts[i].page_size == ps)
			return snap->mounts[i].path;
	return NULL;
}

int cmd_trial(struct ctx *c)
{
	struct findings host = { 0 }, out = { 0 };
	struct trial_opts o = { 0 };
	struct trial_result res;
	struct timespec t0, t1;
	struct snapshot snap;
	struct need need;
	uint64_t rfiles = 0, reclaim;
	int rc, status = EXIT_ERROR;

	rc = probe_snapshot(&c->sr, PROBE_ALL, 0, &snap);
	if (rc < 0) {
		snapshot_free(&snap);
		return probe_error(c, rc);
	}
	if (workload_need(&snap, &c->wl, &need) < 0 ||
	    diagnose_check(&snap, &c->wl, &need, &host) < 0) {
		errorx("out of memory");
		goto out;
	}
	o.need = &need;
	o.timeout = c->timeout;
	o.progress = !c->rep.quiet && isatty(STDERR_FILENO);
	if (!need.page_size || !snapshot_pool(&snap, need.page_size)) {
		const struct finding *f = findings_get(&host, "pool");

		errorx("trial: no pool of that page size%s%s", f ? ": " : "",
		       f ? f->message : "");
		goto out;
	}
	if (mode_uses_files(need.mode)) {
		const struct finding *m = findings_get(&host, "mount");

		o.dir = trial_dir(&snap, &c->wl, need.page_size);
		if (!o.dir || (m && m->cause && !strcmp(m->cause, "no_mount"))) {
			/* Nothing to try: no mount is the answer. */
			memset(&res, 0, sizeof(res));
			struct finding *f = finding_add(&out, "trial", HP_FAIL,
				"no_mount", "%s: there is nowhere to create page "
				"files", m ? m->message : "no hugetlbfs mount");

			if (f) {
				f->first = true;
				finding_remedy(f, "%s", m && m->remedy ? m->remedy :
					       "mount hugetlbfs for this page size");
			}
			if (render(c, &snap, &need, &out, PART_NEED) == 0)
				status = 2;
			goto out;
		}
	} else if (need.mode == MODE_IN_MEMORY) {
		o.dir = trial_dir(&snap, &c->wl, need.page_size);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = trial_run(&o, &res);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc == -EINTR) {
		errorx("trial interrupted: the child was stopped, nothing is left behind");
		status = 130;
		goto out;
	}
	if (rc < 0) {
		errorx("trial: cannot start: %s", strerror(-rc));
		goto out;
	}
	reclaim = dpdk_reclaimable(&snap, &c->wl, need.page_size, &rfiles);
	if (trial_findings(&res, &snap, &need, reclaim, &host, &out) < 0) {
		errorx("out of memory");
		goto out;
	}
	c->rep.trial = &res;
	/* A warning (stale files DPDK would reclaim) names no cause. */
	c->rep.trial_cause = out.n && out.v[0].status == HP_FAIL ? out.v[0].cause : NULL;
	c->rep.trial_dir = o.dir;
	c->rep.trial_seconds = (double)(t1.tv_sec - t0.tv_sec) +
			       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (render(c, &snap, &need, &out, PART_NEED | PART_TRIAL) == 0)
		status = exit_for(findings_verdict(&out));
out:
	findings_free(&out);
	findings_free(&host);
	snapshot_free(&snap);
	return status;
}

