/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * explain.h - reads what a hugepage user printed (DPDK EAL lines from 16.04
 * to 23.x, strace lines, PostgreSQL and JVM messages), recognises the lines
 * that tell of a memory failure, takes the workload from a command line in
 * the text, and ranks the possible causes by this host's findings.  Pure:
 * text and findings in, findings out.
 */
#ifndef HPDIAG_EXPLAIN_H
#define HPDIAG_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "diagnose/finding.h"
#include "model/workload.h"

#define EXPLAIN_MAX_CAUSES	12
#define EXPLAIN_MAX_EVENTS	32

/* One recognised line. */
struct log_event {
	unsigned lineno;
	char *text;			/* the line as printed */
	const char *what;		/* what it means */
	enum cause causes[EXPLAIN_MAX_CAUSES];	/* possible causes, likeliest first */
	size_t nr_causes;
	bool fatal;			/* the line tells of a failure */
};

struct explain {
	struct log_event events[EXPLAIN_MAX_EVENTS];
	size_t nr_events;
	unsigned lines;
	unsigned cmd_lineno;		/* 0: no command line found */
	char *cmd;
	unsigned version_line;		/* the line that told the DPDK release */
	struct workload_hint hint;	/* the workload, as far as the text tells it */
};

/* A kind of line, and what it means (explain-patterns.c). */
struct explain_pattern {
	const char *needle;
	const char *needle2;		/* must also appear, or NULL */
	const char *what;
	enum cause causes[EXPLAIN_MAX_CAUSES];	/* ended by CAUSE_NONE */
	bool fatal;
	int mode;			/* the mode the line implies, or -1 */
	unsigned before;		/* implies a DPDK release before this */
};

extern const struct explain_pattern explain_patterns[];
extern const size_t explain_nr_patterns;
/* An strace line of a failed call: fills EV's meaning and causes. */
bool explain_match_strace(const char *line, struct log_event *ev);

int explain_parse(const char *text, struct explain *ex);
void explain_free(struct explain *ex);
/* Appends the "explain" finding: the cause, the line, the evidence. */
int explain_diagnose(const struct explain *ex, const struct findings *host,
		     struct findings *out);

#endif /* HPDIAG_EXPLAIN_H */
