/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trial.h - maps hugepages for real, in a child process, with the sequence
 * of the workload's consumer (DPDK's dynamic, legacy, single-file and
 * in-memory modes, PostgreSQL's MAP_HUGETLB, a JVM's regions, QEMU's
 * memory backends), stops at
 * the first failure and records the counters of that instant (a struct
 * trial_result, trace.h).  Nothing is left behind: page files are unlinked
 * as soon as they are opened, and the child dies with its parent.
 */
#ifndef HPDIAG_TRIAL_H
#define HPDIAG_TRIAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/need.h"
#include "model/qemu.h"
#include "trace/trace.h"

struct trial_opts {
	const struct need *need;	/* the model's numbers: mode, pages, lists,
					   baselines, legacy_free, raises_nofile */
	const char *dir;		/* where page files go, or NULL (shown; each
					   size's own: need->sizes[].app_dir) */
	/* The limits the application runs with (a wrapper's), RL_COUNT of
	 * them, or NULL: set in the child only. */
	const struct workload_rlimit *rlimits;
	unsigned timeout;		/* seconds */
	bool own_only;			/* take the program's own memory, no page */
	bool progress;			/* a progress line on stderr */
	/* The hugetlb cgroup: the child first joins it when CG_PROCS is set
	 * (its cgroup.procs: --cgroup), and reads its usage and reservations
	 * at the failure from these files (NULL: not read). */
	const char *cg_procs;
	const char *cg_usage;
	const char *cg_rsvd_usage;
	/* QEMU's guest RAM (its backends), or NULL. */
	const struct qemu_vm *qemu;
};

/* Runs the trial; returns 0 when it ran (passed or not), -EINTR when it
 * was interrupted, -errno when it could not start. */
int trial_run(const struct trial_opts *o, struct trial_result *res);

/* trial-own.c, for the child: what the application is and holds before
 * its memory init - the limits a wrapper sets, its own data (private,
 * writable, never touched) and the rest of its address space. */
struct trial_own {
	void *data;
	uint64_t len;
};

/* RL (RL_COUNT of them, or NULL): 0, or -1 with errno. */
int trial_set_limits(const struct workload_rlimit *rl);
/* Maps what the process lacks of DATA bytes of private writable memory
 * and VA bytes of address space: 0, or -errno with *CALL ("mmap (data)",
 * "mmap (program)") and *LEN the mapping refused. */
int trial_take_own(uint64_t data, uint64_t va, struct trial_own *own,
		   const char **call, uint64_t *len);
/* Gives the data back (at a failure, so that the counters can be read). */
void trial_drop_own(struct trial_own *own);


#endif /* HPDIAG_TRIAL_H */
