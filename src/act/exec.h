/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exec.h - `hpdiag exec -- COMMAND`: runs the application itself with
 * libhpdiag-trace.so preloaded (trace.h), passes its output through while
 * keeping a copy, and samples its VMAs, fds and hugepages from outside;
 * what it saw is a struct exec_result (trace.h), which diagnosis judges.
 */
#ifndef HPDIAG_EXEC_H
#define HPDIAG_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "trace/trace.h"

#define EXEC_SAMPLE_MS	20
#define EXEC_MAPS_EVERY	10	/* samples between two counts of the VMAs */
#define EXEC_MAX_OUTPUT	(16u << 20)

struct exec_opts {
	char *const *argv;		/* COMMAND and its arguments */
	const char *path;		/* the file argv[0] names, or NULL */
	const char *lib;		/* libhpdiag-trace.so */
	int out_fd;			/* where the application's stdout goes */
	int err_fd;			/* and its stderr */
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

#endif /* HPDIAG_EXEC_H */
