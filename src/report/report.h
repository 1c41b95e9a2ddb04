/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.h - renderers.  They only format: the findings and the snapshot are
 * decided before any of these runs, and only main.c picks the exit status.
 */
#ifndef HPDIAG_REPORT_H
#define HPDIAG_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "diagnose/diagnose.h"
#include "act/exec.h"
#include "diagnose/explain.h"
#include "act/fix.h"
#include "act/trial.h"
#include "probe/vma.h"
#include "probe/snapshot.h"

enum report_format { FMT_TEXT, FMT_JSON, FMT_PROM };

struct report {
	FILE *out;
	enum report_format format;
	bool color;
	bool quiet;
	int verbose;
	const char *command;
	/* explain: what was read, and the host's own findings. */
	const struct explain *explain;
	const char *source;		/* the file read, or "standard input" */
	const struct findings *host;
	/* trial */
	const struct trial_result *trial;
	const char *trial_cause;
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
	const char *exec_cause;
	/* fix */
	const struct fix_plan *plan;
	bool applied;			/* --apply ran: findings are after it */
};

/* What the command shows besides its findings. */
enum report_part {
	PART_POOLS	= 1 << 0,
	PART_MOUNTS	= 1 << 1,
	PART_LIMITS	= 1 << 2,
	PART_NEED	= 1 << 3,
	PART_EXPLAIN	= 1 << 4,
	PART_TRIAL	= 1 << 5,
	PART_VMA	= 1 << 6,
	PART_FIX	= 1 << 7,
	PART_EXEC	= 1 << 8,
};

int report_text(const struct report *r, const struct snapshot *snap,
		const struct need *need, const struct findings *fs,
		unsigned parts);
int report_json(const struct report *r, const struct snapshot *snap,
		const struct need *need, const struct findings *fs,
		unsigned parts);
int report_prom(const struct report *r, const struct snapshot *snap,
		const struct need *need, const struct findings *fs,
		unsigned parts);
/* The result of `snapshot`: where it was written. */
int report_json_snapshot(const struct report *r, const char *dir);

#endif /* HPDIAG_REPORT_H */
