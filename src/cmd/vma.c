// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vma.c - `hpdiag vma`: who holds a process's VMAs and whether they leak
 * (probe/vma.c, diagnose/vma.c), or which processes are closest to
 * vm.max_map_count.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "diagnose/vma.h"
#include "lib/pathnames.h"
#include "lib/proc.h"

static double now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int run_vma(struct ctx *c)
{
	struct probe p = { .sr = &c->sr };
	struct result r = { 0 };
	struct findings fs = { 0 };
	struct vma_sample *samples = NULL;
	struct vma_scan vs = { 0 }, first = { 0 };
	struct vma_top top = { 0 };
	double t_first = 0;
	uint64_t limit;
	size_t n = 0;
	int rc, status = EXIT_ERROR;

	p.err.msg[0] = '\0';
	rc = probe_u64(&p, sysctl_path(SC_MAX_MAP_COUNT), true, &limit);
	if (rc < 0)
		return probe_error(&p, rc);
	r.vma_limit = limit;
	if (c->interval > 0 && !(c->watch > 0))
		return usage_error("vma: --interval goes with --watch");
	if (c->pid && c->top)
		return usage_error("vma: --top lists processes; with --pid there is one");
	if (!c->pid) {
		if (c->watch > 0)
			return usage_error("vma: --watch needs --pid");
		rc = vma_top_scan(&p, c->top ? c->top : 10, &top);
		if (rc < 0)
			return probe_error(&p, rc);
		r.top = &top;
		if (vma_top_findings(&top, limit, &fs) < 0) {
			errorx("out of memory");
			vma_top_free(&top);
			return EXIT_ERROR;
		}
		r.findings = &fs;
		status = render(c, &r);
		if (!status)
			status = findings_exit(&fs);
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
			rc = n == 0 ? vma_scan_pid(&p, c->pid, false, &first) :
			     proc_count_maps(&c->sr, c->pid, &samples[n].count);
			if (rc < 0) {
				char path[64];

				if (n)
					probe_fail_io(&p, rc, proc_path(path, sizeof(path),
									 c->pid, PROC_MAPS));
				probe_error(&p, rc);
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
	rc = vma_scan_pid(&p, c->pid, c->rep.verbose > 0, &vs);
	if (rc < 0) {
		probe_error(&p, rc);
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
	r.vma = &vs;
	r.samples = samples;
	r.nr_samples = n;
	if (vma_findings(&vs, limit, samples, n, &r.vma_rate,
			 &r.vma_seconds_to_limit, &fs) < 0) {
		errorx("out of memory");
		goto out;
	}
	r.findings = &fs;
	status = render(c, &r);
	if (!status)
		status = findings_exit(&fs);
out:
	findings_free(&fs);
	vma_scan_free(&vs);
	vma_scan_free(&first);
	free(samples);
	return status;
}


static int set_top(struct ctx *c, const char *arg)
{
	return opt_count("--top", arg, 1, &c->top) ? EXIT_ERROR : 0;
}

static int set_seconds(const char *opt, const char *arg, double *val)
{
	char *end;
	double d = strtod(arg, &end);

	if (*end || !(d > 0) || d > 86400)
		return usage_error("%s: '%s' is not a number of seconds", opt, arg);
	*val = d;
	return 0;
}

static int set_watch(struct ctx *c, const char *arg)
{
	return set_seconds("--watch", arg, &c->watch);
}

static int set_interval(struct ctx *c, const char *arg)
{
	return set_seconds("--interval", arg, &c->interval);
}

static const struct option_def vma_opts[] = {
	{ "top", 0, "N", "without --pid: the N processes with most VMAs (10)", set_top },
	{ "watch", 0, "SECONDS", "sample for this long: growth and time to the limit",
	  set_watch },
	{ "interval", 0, "SECONDS", "between samples (default 1, fractions allowed)",
	  set_interval },
	{ NULL, 0, NULL, NULL, NULL },
};

static const struct option_group vma_group = { NULL, NULL, vma_opts };

const struct command cmd_vma = {
	.name = "vma",
	.run = run_vma,
	.summary = "who holds a process's VMAs, is it a leak, when does it hit "
		   "vm.max_map_count",
	.groups = (const struct option_group *const[]) {
		&group_pid_only, &vma_group, &group_report, NULL,
	},
};
