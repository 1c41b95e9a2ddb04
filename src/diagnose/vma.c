// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vma.c - the findings of `hpdiag vma` for one process: its headroom under
 * vm.max_map_count, the objects it maps again and again (a leak), and its
 * growth while watched.  Pure.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "diagnose/diagnose.h"
#include "diagnose/remedy.h"
#include "diagnose/vma.h"

bool vma_at_limit(uint64_t lines, uint64_t limit)
{
	return limit && lines + 2 >= limit;
}

bool vma_near_limit(uint64_t lines, uint64_t limit)
{
	return limit && lines * 100 >= limit * VMA_WARN_PERCENT;
}

int vma_findings(const struct vma_scan *vs, uint64_t limit,
		 const struct vma_sample *samples, size_t nr_samples,
		 double *rate, double *seconds_to_limit, struct findings *fs)
{
	uint64_t count = nr_samples ? samples[nr_samples - 1].count : vs->count;
	double pct = limit ? 100.0 * (double)count / (double)limit : 0;
	char growth[160] = "", dur[32];
	struct finding *f;

	*rate = 0;
	*seconds_to_limit = -1;
	if (nr_samples >= 2) {
		double dt = samples[nr_samples - 1].time - samples[0].time;

		if (dt > 0)
			*rate = ((double)samples[nr_samples - 1].count -
				 (double)samples[0].count) / dt;
		if (*rate > 0 && limit > count)
			*seconds_to_limit = (double)(limit - count) / *rate;
		if (*rate > 0) {
			double left = *seconds_to_limit > 0 ? *seconds_to_limit : 0;
			char secs[32] = "";

			/* "4 min (223 s)", but "42 s" once. */
			if (left >= 89.5)
				snprintf(secs, sizeof(secs), " (%.0f s)", left);
			snprintf(growth, sizeof(growth), "; growing by %.1f VMAs/s, "
				 "it reaches the limit in %s%s", *rate,
				 format_duration(left, dur, sizeof(dur)), secs);
		}
	}
	if (vma_at_limit(count, limit)) {
		f = finding_add(fs, CHECK_MAP_COUNT, HP_FAIL, CAUSE_MAP_COUNT_LIMIT,
				"process %d holds %" PRIu64 " VMAs, at vm.max_map_count "
				"%" PRIu64 ": its next mmap fails with ENOMEM%s",
				(int)vs->pid, count, limit, growth);
		remedy_map_count(f, vs->as_root ? "" : "sudo ", limit, count,
				 "raising the limit only buys time: find what the process "
				 "maps again and again (below)");
	} else if (vma_near_limit(count, limit) || *rate > 0) {
		f = finding_add(fs, CHECK_MAP_COUNT, HP_WARN, CAUSE_NONE,
				"process %d holds %" PRIu64 " of %" PRIu64 " VMAs "
				"(%.1f%%)%s", (int)vs->pid, count, limit, pct, growth);
	} else {
		f = finding_add(fs, CHECK_MAP_COUNT, HP_PASS, CAUSE_NONE,
				"process %d holds %" PRIu64 " of %" PRIu64 " VMAs (%.1f%%)",
				(int)vs->pid, count, limit, pct);
	}
	finding_num(f, "pid", (uint64_t)vs->pid);
	finding_num(f, "count", count);
	finding_num(f, "limit", limit);
	for (size_t i = 0; i < vs->nr_groups && i < vs->cap; i++) {
		const struct vma_group *g = &vs->groups[i];

		if (!g->leak && !g->growing)
			continue;
		char grows[48] = "";

		if (g->rate > 0)
			snprintf(grows, sizeof(grows), ", growing by %.1f VMAs/s", g->rate);
		if (g->leak)
			f = finding_add(fs, CHECK_VMA_LEAK, HP_WARN, CAUSE_NONE,
					"%s is mapped %" PRIu64 " times at the same "
					"offset and length (%" PRIu64 " VMAs of it in "
					"all%s): a mapping made again and again and "
					"never unmapped; raising vm.max_map_count only "
					"postpones the failure", g->object, g->identical,
					g->vmas, grows);
		else
			f = finding_add(fs, CHECK_VMA_LEAK, HP_WARN, CAUSE_NONE,
					"%s grew from %" PRIu64 " to %" PRIu64 " VMAs "
					"while watched (%.1f VMAs/s)", g->object,
					g->first_vmas, g->vmas, g->rate);
		finding_str(f, "object", g->object);
		finding_num(f, "vmas", g->vmas);
		finding_num(f, "identical", g->identical);
		finding_num(f, "bytes", g->bytes);
		finding_remedy(f, "pmap -x %d", (int)vs->pid);
		finding_note(f, "in the application, munmap each mapping of %s when "
			     "it is done with it (the command lists them)", g->object);
	}
	return findings_complete(fs) ? 0 : -ENOMEM;
}

int vma_top_findings(const struct vma_top *top, uint64_t limit, struct findings *fs)
{
	for (size_t i = 0; i < top->nr_procs; i++) {
		const struct vma_proc *p = &top->procs[i];
		double pct = limit ? 100.0 * (double)p->count / (double)limit : 0;
		struct finding *f = NULL;

		if (vma_at_limit(p->count, limit))
			f = finding_add(fs, CHECK_MAP_COUNT, HP_FAIL, CAUSE_MAP_COUNT_LIMIT,
					"process %d (%s) is at vm.max_map_count: "
					"%" PRIu64 " VMAs", (int)p->pid, p->comm, p->count);
		else if (vma_near_limit(p->count, limit))
			f = finding_add(fs, CHECK_MAP_COUNT, HP_WARN, CAUSE_NONE,
					"process %d (%s) holds %.1f%% of vm.max_map_count",
					(int)p->pid, p->comm, pct);
		if (f) {
			finding_num(f, "pid", (uint64_t)p->pid);
			finding_num(f, "count", p->count);
			finding_remedy(f, "hpdiag vma --pid %d --watch 10", (int)p->pid);
		}
	}
	return findings_complete(fs) ? 0 : -ENOMEM;
}
