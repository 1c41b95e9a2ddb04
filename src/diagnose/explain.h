/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * explain.h - reads what a hugepage user printed (DPDK EAL lines from 16.04
 * to 23.x, SPDK, VPP, OVS-DPDK, PostgreSQL, a JVM, QEMU, the dynamic
 * loader, strace) and reasons in three steps kept apart: (a) what the log
 * proves (the application, its version and options, the failing call,
 * errno or signal, sizes and counts, whether memory came up), (b) the
 * causes consistent with that evidence, likeliest first, and (c) what the
 * host shows of each of them; the host only confirms or rules out a
 * candidate of (b), never adds one.  Pure: text and findings in, an answer
 * and a finding out.
 */
#ifndef HPDIAG_EXPLAIN_H
#define HPDIAG_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnose/finding.h"
#include "model/workload.h"

#define EXPLAIN_MAX_CAUSES	16
#define EXPLAIN_MAX_EVENTS	32

/* The program the log comes from, as far as it tells. */
enum app {
	APP_UNKNOWN,
	APP_DPDK,		/* an EAL application: testpmd, l2fwd, dpdk-test... */
	APP_SPDK,
	APP_VPP,
	APP_OVS,		/* OVS-DPDK */
	APP_POSTGRES,
	APP_JVM,
	APP_QEMU,
	APP_COUNT
};

/* What a recognised line is. */
enum line_kind {
	LINE_FAIL,		/* a memory failure; the application stops */
	LINE_SOFT,		/* a memory call failed; the application may go on */
	LINE_FALLBACK,		/* it goes on without hugepages */
	LINE_NOTE,		/* a notice, no failure by itself */
	LINE_UP,		/* memory init completed */
	LINE_OTHER,		/* a failure that is not of hugepage memory */
};

/* A kind of line, and what it means (explain-patterns.c). */
struct explain_pattern {
	const char *needle;		/* lower case, single spaces */
	const char *needle2;		/* must also appear, or NULL */
	enum line_kind kind;
	enum app app;			/* the program it proves, or APP_UNKNOWN */
	const char *what;
	/* Ended by CAUSE_NONE; none at all: the causes of its errno, or,
	 * without one, of the application's memory init as a whole. */
	enum cause causes[EXPLAIN_MAX_CAUSES];
	unsigned flags;			/* PAT_* */
	const char *call;		/* the call that failed, when the line says */
};

enum {
	PAT_LEGACY	= 1 << 0,	/* only DPDK's legacy memory prints it */
	PAT_PRE1805	= 1 << 1,	/* only DPDK before 18.05 prints it */
	PAT_MODERN	= 1 << 2,	/* only DPDK 18.05 and later print it */
	PAT_ANON	= 1 << 3,	/* one MAP_HUGETLB mapping */
	PAT_SHM		= 1 << 4,	/* SHM_HUGETLB */
	PAT_GENERIC	= 1 << 5,	/* EAL's summary: tells no cause itself */
	PAT_SIGBUS	= 1 << 6,	/* the process got SIGBUS */
	PAT_MEMORY	= 1 << 7,	/* memory by nature, errno or not */
	PAT_SIZE_NOTE	= 1 << 8,	/* a page size's notice: "no free ... kB" */
	PAT_NO_MOUNT	= 1 << 9,	/* "reserved, but no mounted hugetlbfs" */
	PAT_HUGEINFO	= 1 << 10,	/* "Cannot get hugepage information" */
	PAT_LOADER	= 1 << 11,	/* the dynamic loader */
	PAT_FAULT	= 1 << 12,	/* a page refused at fault time, no signal */
	PAT_JVM_PROBE	= 1 << 13,	/* the JVM's test mapping: with UseSHM a
					   shmget, which RLIMIT_MEMLOCK refuses too */
	PAT_RTE_ERRNO	= 1 << 14,	/* its errno is EAL's rte_errno for the
					   stage that failed (EACCES: no usable
					   hugepage size), not a call's */
	PAT_SURVIVED	= 1 << 15,	/* the failures before it were survived:
					   the program runs on without hugepages */
};

/* One recognised line. */
struct log_event {
	unsigned lineno;
	char *text;			/* the line as printed */
	const char *what;		/* what it means */
	enum line_kind kind;
	enum cause causes[EXPLAIN_MAX_CAUSES];	/* consistent causes, likeliest first */
	size_t nr_causes;		/* 0: it tells no cause */
	int err;			/* the errno it names, or 0 */
	int sig;			/* the signal it names, or 0 */
	unsigned flags;			/* the pattern's PAT_* */
	uint64_t page_size;		/* PAT_SIZE_NOTE: the size it is about */
	bool after_up;			/* printed after memory came up */
	unsigned repeats;		/* the same line again, N more times */
};

/* (a): what the log proves. */
struct log_proof {
	enum app app;
	unsigned app_line;
	char version[32];		/* "22.11.11", "15.18", "17.0.15" */
	unsigned version_line;
	bool modern;			/* DPDK 18.05 or later, by its messages */
	bool pre1805;			/* DPDK before 18.05 */
	unsigned nodes;			/* "Detected NUMA nodes: N", 0: not said */
	/* The failure the most telling line names. */
	unsigned fail_line;
	char call[32];			/* "mmap", "open", "shmget", ... or "" */
	int err;
	int sig;
	bool fault;			/* a page was refused at fault time */
	uint64_t requested_mb, available_mb;	/* "Requested: N MB, available: M MB" */
	int socket;			/* its socket, -1: none */
	uint64_t size;			/* bytes of the mapping that failed */
	uint64_t pages_asked, pages_got;	/* "attempted to allocate N segments, but only K" */
	unsigned up_line;		/* memory came up: the first line that shows it */
	bool exit_status_seen;
	int exit_status;		/* "exit code 135", "# exit 255" */
};

struct explain {
	struct log_event events[EXPLAIN_MAX_EVENTS];
	size_t nr_events;
	unsigned lines;
	unsigned cmd_lineno;		/* 0: no command line found */
	char *cmd;
	enum app cmd_app;		/* the program the command line runs */
	char pg_huge_pages;		/* PostgreSQL's -c huge_pages: 'o'n, 't'ry,
					   'f' off, 0 not given */
	unsigned version_line;		/* the line that told DPDK before 18.05 */
	struct log_proof proof;
	struct workload_hint hint;	/* the workload, as far as the text tells it */
};

/* What the log comes to. */
enum outcome {
	OUTCOME_NONE,		/* no line tells of a failure or a success */
	OUTCOME_SUCCEEDED,	/* memory came up, nothing failed after */
	OUTCOME_FALLBACK,	/* it runs, without hugepages */
	OUTCOME_FAILED,		/* a memory failure */
	OUTCOME_OTHER,		/* a failure that is not of hugepage memory */
};

/* (c): what the host shows of a candidate. */
enum host_view {
	VIEW_NOT_CHECKED,	/* --log-only */
	VIEW_CONFIRMED,		/* a finding of the host fails with it */
	VIEW_RULED_OUT,		/* the host's check for it passes */
	VIEW_UNSEEN,		/* a limit of the application's process: not visible here */
	VIEW_NOT_SHOWN,		/* nothing on the host speaks to it */
};

/* How the answer was reached. */
enum basis {
	BASIS_NONE,
	BASIS_LOG,		/* the log leaves one cause */
	BASIS_HOST,		/* the host confirms it */
	BASIS_ELIMINATION,	/* the host rules out the others */
	BASIS_LIKELIEST,	/* the likeliest of those left */
};

struct explain_answer {
	enum outcome outcome;
	const struct log_event *event;	/* the most telling line, or NULL */
	enum cause cands[EXPLAIN_MAX_CAUSES];	/* (b), likeliest first */
	enum host_view view[EXPLAIN_MAX_CAUSES];
	const struct finding *host[EXPLAIN_MAX_CAUSES];	/* the host's finding */
	size_t nr_cands;
	bool log_only;
	enum cause cause;		/* the answer, CAUSE_NONE for a pass */
	bool certain;
	enum basis basis;
	enum hp_status status;
};

extern const struct explain_pattern explain_patterns[];
extern const size_t explain_nr_patterns;

/* LINE in lower case with runs of blanks made one space, into BUF. */
void explain_normalize(const char *line, char *buf, size_t size);
/* The errno a message names ("Cannot allocate memory", "errno = 12",
 * "error 12"), or 0. */
int explain_errno(const char *norm);
/* The causes of a failure by its errno alone (and the call, if known). */
size_t explain_errno_causes(int err, const char *call, enum cause *out);
/* An strace line of a failed call or a signal: fills EV and CALL. */
bool explain_match_strace(const char *line, struct log_event *ev, char *call,
			  size_t size);
/* Where to look for CAUSE when the host cannot show it; PAGE_SIZE and
 * DIR (or 0 and NULL) make it exact. */
void explain_where(enum cause cause, uint64_t page_size, const char *dir,
		   char *buf, size_t size);
const char *app_name(enum app a);
const char *outcome_name(enum outcome o);
const char *host_view_name(enum host_view v);
const char *basis_name(enum basis b);
const char *line_kind_name(enum line_kind k);

/* Whether LINE is a shell prompt running a hugepage user; *CMD: the
 * command (explain-cmdline.c). */
bool explain_command_line(const char *line, const char **cmd);
/* The workload CMD's options tell, into EX's hint. */
void explain_parse_command(struct explain *ex, const char *cmd);
/* The EAL arguments a line echoes (SPDK, OVS-DPDK), or NULL. */
const char *explain_eal_args(const char *line);

int explain_parse(const char *text, struct explain *ex);
void explain_free(struct explain *ex);
/* (b) and (c): the candidates the log leaves and the answer.  HOST is
 * the host's findings for the workload the log describes, or NULL to
 * reason from the log alone; APP_VIEW: the host's rlimits and cgroup are
 * the application's own (--pid, or exec, which ran it). */
void explain_reason(const struct explain *ex, const struct findings *host,
		    bool app_view, struct explain_answer *ans);
/* Appends the "explain" finding of ANS. */
int explain_finding(const struct explain *ex, const struct explain_answer *ans,
		    struct findings *out);
/* Both at once. */
int explain_diagnose(const struct explain *ex, const struct findings *host,
		     bool app_view, struct findings *out);

#endif /* HPDIAG_EXPLAIN_H */
