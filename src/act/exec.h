/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exec.h - `hpdiag exec -- COMMAND`: runs the application itself with
 * libhpdiag-trace.so preloaded (trace.h), passes its output through while
 * keeping a copy, samples its VMAs, fds and hugepages from outside, and
 * then names the cause of its failure from the call that failed inside it
 * (or, for a failure with no failing call, from its output).
 */
#ifndef HPDIAG_EXEC_H
#define HPDIAG_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "diagnose/diagnose.h"
#include "diagnose/explain.h"
#include "trace/trace.h"

#define EXEC_SAMPLE_MS	20
#define EXEC_MAPS_EVERY	10	/* samples between two counts of the VMAs */
#define EXEC_MAX_OUTPUT	(16u << 20)

struct exec_opts {
	char *const *argv;		/* COMMAND and its arguments */
	const char *lib;		/* libhpdiag-trace.so */
	int out_fd;			/* where the application's stdout goes */
	int err_fd;			/* and its stderr */
};

struct exec_result {
	pid_t pid;
	bool exited;			/* else killed by sig */
	int exit_status;
	int sig;
	double seconds;			/* fork to exit */
	double cpu_seconds;		/* its user and system time */
	bool traced;			/* the library was loaded */
	struct trace_record rec;	/* as the application left it */
	uint64_t peak_vmas, peak_fds, peak_hugetlb_bytes;
	uint64_t samples;
	char *output;			/* stdout and stderr, as they came */
	size_t output_len;
	bool output_truncated;
};

/* 1 when PATH is an ELF executable without an interpreter (static), 0 when
 * dynamic or not ELF (a script), -errno when it cannot be read. */
int exec_is_static(const char *path);
/* The file execvp() would run for NAME, in BUF; -ENOENT when none. */
int exec_resolve(const char *name, char *buf, size_t size);
/* Runs the command; 0 when it ran (whatever it did), -errno with ERR set. */
int exec_run(const struct exec_opts *o, struct exec_result *r, char *err,
	     size_t errsz);
void exec_result_free(struct exec_result *r);

/* exec-diagnose.c, pure: the "exec" finding, from the result, the host's
 * snapshot and findings, and the application's output read by explain. */
int exec_findings(const struct exec_result *r, const struct snapshot *snap,
		  const struct need *need, const struct explain *ex,
		  const struct findings *host, struct findings *out);
/* The cause of the recorded failure, or NULL when nothing failed. */
const char *exec_cause(const struct exec_result *r, const struct snapshot *snap,
		       const struct need *need);

#endif /* HPDIAG_EXEC_H */
