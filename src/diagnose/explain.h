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

#include "diagnose/diagnose.h"

#define EXPLAIN_MAX_CAUSES	12
#define EXPLAIN_MAX_EVENTS	32

/* One recognised line. */
struct log_event {
	unsigned lineno;
	char *text;			/* the line as printed */
	const char *what;		/* what it means */
	const char *causes[EXPLAIN_MAX_CAUSES];	/* possible causes, likeliest first */
	size_t nr_causes;
	bool fatal;			/* the line tells of a failure */
};

struct explain {
	struct log_event events[EXPLAIN_MAX_EVENTS];
	size_t nr_events;
	unsigned lines;
	/* The workload, as far as the text tells it. */
	unsigned cmd_lineno;		/* 0: no command line found */
	char *cmd;
	bool have_mode;
	enum mode mode;
	unsigned dpdk_version;		/* 0: not told */
	unsigned version_line;		/* the line that told it */
	bool have_mem;
	uint64_t mem_mb;
	uint64_t socket_mem[MAX_SOCKETS];
	size_t nr_socket_mem;
	char *huge_dir;
	char *file_prefix;
	uint64_t page_size;		/* from "2 MB hugepages" and the like */
};

int explain_parse(const char *text, struct explain *ex);
void explain_free(struct explain *ex);
/* Fills in what the text told and the user did not. */
void explain_workload(const struct explain *ex, struct workload *wl,
		      bool user_mode, bool user_amount);
/* Appends the "explain" finding: the cause, the line, the evidence. */
int explain_diagnose(const struct explain *ex, const struct findings *host,
		     struct findings *out);

#endif /* HPDIAG_EXPLAIN_H */
