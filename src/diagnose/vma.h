/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vma.h - judging VMA counts against vm.max_map_count, and the findings of
 * `hpdiag vma` from a scan (probe/vma.h) and samples taken while watched.
 */
#ifndef HPDIAG_DIAGNOSE_VMA_H
#define HPDIAG_DIAGNOSE_VMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnose/finding.h"
#include "probe/vma.h"

/* Holding this share of vm.max_map_count or more is a warning. */
#define VMA_WARN_PERCENT 80

/*
 * Whether a process whose maps file has LINES lines is at the limit: the
 * file has a line the kernel does not count ([vsyscall]) and the kernel
 * lets the count reach the limit plus one.
 */
bool vma_at_limit(uint64_t lines, uint64_t limit);
bool vma_near_limit(uint64_t lines, uint64_t limit);

struct vma_sample {
	double time;			/* seconds since the first sample */
	uint64_t count;
};

/* Findings for one process: headroom, leaks, growth. */
int vma_findings(const struct vma_scan *vs, uint64_t limit,
		 const struct vma_sample *samples, size_t nr_samples,
		 double *rate, double *seconds_to_limit, struct findings *fs);

/* Findings for the processes closest to vm.max_map_count (vma --top). */
int vma_top_findings(const struct vma_top *top, uint64_t limit, struct findings *fs);

#endif /* HPDIAG_DIAGNOSE_VMA_H */
