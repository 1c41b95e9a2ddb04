/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trial-child.h - what the parts of a trial's child share (local to
 * src/act): the result it writes into, the size being mapped, and the
 * helpers that record a failure and fault a page in.  trial-child.c is
 * the common part, trial-dpdk.c DPDK's sequences, trial-app.c those of
 * the other applications' models; trial.c forks and picks the sequence.
 */
#ifndef HPDIAG_ACT_TRIAL_CHILD_H
#define HPDIAG_ACT_TRIAL_CHILD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "act/trial.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#ifndef SHM_HUGE_SHIFT
#define SHM_HUGE_SHIFT 26
#endif

struct trial_child {
	struct trial_result *r;		/* shared with hpdiag */
	const struct trial_opts *o;
	const struct need_size *s;	/* the size being mapped */
	const char *quota_dir;		/* the mount whose quota the counters
					   read, or NULL: s->app_dir */
};

extern struct trial_child tc;

/* The child's start: it dies with PARENT, sets the limits and the timeout,
 * takes the program's own memory and the baseline VMAs and fds; with
 * O->own_only it ends there. */
void tc_start(pid_t parent, const struct trial_opts *o, struct trial_result *r);
/* Every mapping made: records the peak and ends the child. */
void tc_done(void) __attribute__((noreturn));

/* Records the first failure at PAGE (the call, its errno or signal, the
 * counters of that instant) and ends the child. */
void tc_fail(uint64_t page, const char *call, int err, int sig)
	__attribute__((noreturn));
/* The counters of this instant into C; RELEASE gives back what the child
 * took for the application's baseline first (at a failure: the reading
 * itself needs room). */
void tc_counters(struct trace_counters *c, bool release);
/* Faults the page at P in: false when the kernel refused it (SIGBUS). */
bool tc_touch(volatile char *p);
/* A page file in DIR with no name (O_TMPFILE, or unlinked at once). */
int tc_page_file(const char *dir);
/* The node the workload's page I should land on, or -1. */
int tc_node_of_page(uint64_t i);

/* trial-dpdk.c: dynamic, single-file and in-memory; legacy. */
void trial_dpdk_pages(void);
void trial_dpdk_legacy(void);
/* trial-app.c: one MAP_HUGETLB or SHM_HUGETLB mapping (PostgreSQL, --mode
 * anon/shm), a JVM's regions, QEMU's backends. */
void trial_app(void);

#endif /* HPDIAG_ACT_TRIAL_CHILD_H */
