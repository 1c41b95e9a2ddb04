// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd-vma.c - `hpdiag vma`: who holds a process's VMAs and whether they
 * leak (vma.c), or which processes are closest to vm.max_map_count.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "probe/vma.h"

static double now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int cmd_vma(struct ctx *c)
{
	struct findings fs = { 0 };
	struct vma_sample *samples = NULL;
	struct vma_scan vs = { 0 }, first = { 0 };
	struct vma_top top = { 0 };
	double t_first = 0;
	uint64_t limit;
	size_t n = 0;
	int rc, status = EXIT_ERROR;

	rc = sysroot_read_u64(&c->sr, sysctl_path(SC_MAX_MAP_COUNT), &limit);
	if (rc < 0)
		return probe_error(c, rc);
	c->rep.vma_limit = limit;
	if (c->interval > 0 && !(c->watch > 0))
		return usage_error("vma: --interval goes with --watch");
	if (c->pid && c->top)
		return usage_error("vma: --top lists processes; with --pid there is one");
	if (!c->pid) {
		if (c->watch > 0)
			return usage_error("vma: --watch needs --pid");
		rc = vma_top_scan(&c->sr, c->top ? c->top : 10, &top);
		if (rc < 0)
			return probe_error(c, rc);
		c->rep.top = &top;
		for (size_t i = 0; i < top.nr_procs; i++) {
			const struct vma_proc *p = &top.procs[i];
			double pct = limit ? 100.0 * (double)p->count / (double)limit : 0;
			struct finding *f = NULL;

			if (vma_at_limit(p->count, limit))
				f = finding_add(&fs, "map_count", HP_FAIL, "map_count_limit",
						"process %d (%s) is at vm.max_map_count: "
						"%" PRIu64 " VMAs", (int)p->pid, p->comm, p->count);
			else if (vma_near_limit(p->count, limit))
				f = finding_add(&fs, "map_count", HP_WARN, NULL,
						"process %d (%s) holds %.1f%% of vm.max_map_count",
						(int)p->pid, p->comm, pct);
			if (f) {
				finding_num(f, "pid", (uint64_t)p->pid);
				finding_num(f, "count", p->count);
				finding_remedy(f, "hpdiag vma --pid %d --watch 10", (int)p->pid);
			}
		}
		if (render(c, NULL, NULL, &fs, PART_VMA) == 0)
			status = exit_for(findings_verdict(&fs));
		findings_free(&fs);
		vma_top_free(&top);
		return status;
	}
	if (c->watch > 0) {
		double interval = c->interval > 0 ? c->interval : 1.0;
		double t0 = now_seconds(), next = t0;

		t_first = t0;
		size_t cap = (size_t)(c->watch / interval) + 2;

		samples = calloc(cap, sizeof(*samples));
		if (!samples)
			goto out;
		for (;;) {
			rc = n == 0 ? vma_scan_pid(&c->sr, c->pid, false, &first) :
			     vma_count(&c->sr, c->pid, &samples[n].count);
			if (rc < 0) {
				probe_error(c, rc);
				goto out;
			}
			if (n == 0)
				samples[0].count = first.count;
			samples[n].time = now_seconds() - t0;
			n++;
			next += interval;
			if (n >= cap || next - t0 > c->watch + 1e-9)
				break;
			while (now_seconds() < next)
				usleep(10000);
		}
	}
	rc = vma_scan_pid(&c->sr, c->pid, c->rep.verbose > 0, &vs);
	if (rc < 0) {
		probe_error(c, rc);
		goto out;
	}
	if (n) {
		double elapsed = now_seconds() - t_first;

		/* Which objects grew while watched, and how fast. */
		for (size_t i = 0; i < vs.cap; i++) {
			struct vma_group *g = &vs.groups[i];

			if (!g->object)
				continue;
			g->first_vmas = 0;
			for (size_t j = 0; j < first.cap; j++)
				if (first.groups[j].object &&
				    !strcmp(first.groups[j].object, g->object))
					g->first_vmas = first.groups[j].vmas;
			g->growing = g->vmas > g->first_vmas + 1 && g->object[0] == '/';
			if (elapsed > 0)
				g->rate = ((double)g->vmas - (double)g->first_vmas) / elapsed;
		}
	}
	vma_scan_sort(&vs);
	c->rep.vma = &vs;
	c->rep.samples = samples;
	c->rep.nr_samples = n;
	if (vma_findings(&vs, limit, samples, n, &c->rep.vma_rate,
			 &c->rep.vma_seconds_to_limit, &fs) < 0) {
		errorx("out of memory");
		goto out;
	}
	if (render(c, NULL, NULL, &fs, PART_VMA) == 0)
		status = exit_for(findings_verdict(&fs));
out:
	findings_free(&fs);
	vma_scan_free(&vs);
	vma_scan_free(&first);
	free(samples);
	return status;
}

