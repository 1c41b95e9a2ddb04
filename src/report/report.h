/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.h - renderers.  They only format: the findings and the snapshot
 * are decided before any of these runs.  What to show is a struct result,
 * each part of it set or not; how to show it is a struct report_opts.
 */
#ifndef HPDIAG_REPORT_H
#define HPDIAG_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "act/plan.h"
#include "diagnose/explain.h"
#include "diagnose/finding.h"
#include "diagnose/vma.h"
#include "model/need.h"
#include "probe/snapshot.h"
#include "trace/trace.h"

enum report_format { FMT_TEXT, FMT_JSON, FMT_PROM };

/* The columns text output fits in unless $COLUMNS says otherwise. */
#define TEXT_COLUMNS 100

struct report_opts {
	FILE *out;
	enum report_format format;
	bool color;
	bool quiet;
	int verbose;
	const char *command;
	/* Text lines are broken at blanks to fit this many columns. */
	unsigned width;
};

/* What a command shows: every part that is set. */
struct result {
	const struct snapshot *snap;
	bool pools, mounts, limits;	/* the snapshot's tables */
	const struct need *need;
	const struct findings *findings;
	/* explain and exec: the host's own findings for the workload */
	const struct findings *host;
	/* explain */
	const struct explain *explain;
	const struct explain_answer *answer;
	const char *source;		/* the file read, or "standard input" */
	/* trial */
	const struct trial_result *trial;
	enum cause trial_cause;
	const char *trial_dir;
	double trial_seconds;
	/* vma */
	const struct vma_scan *vma;
	const struct vma_top *top;
	uint64_t vma_limit;
	const struct vma_sample *samples;
	size_t nr_samples;
	double vma_rate, vma_seconds_to_limit;
	/* exec */
	const struct exec_result *exec;
	char *const *exec_argv;
	enum cause exec_cause;
	/* fix */
	const struct fix_plan *plan;
	bool applied;			/* --apply ran: findings are after it */
	/* snapshot */
	const char *snapshot_dir;
};

/* R in the format OPT asks for, to OPT->out; 0 or -1 (errno set). */
int report(const struct report_opts *opt, const struct result *r);
/* The same, written whole to FILE (a temporary file renamed over it, so a
 * reader sees the old report or the new one); 0, or -1 with the error
 * said on standard error. */
int report_to_file(const struct report_opts *opt, const struct result *r,
		   const char *file);

int report_text(const struct report_opts *opt, const struct result *r);
int report_json(const struct report_opts *opt, const struct result *r);
int report_prom(const struct report_opts *opt, const struct result *r);

#endif /* HPDIAG_REPORT_H */
