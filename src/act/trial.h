/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trial.h - maps hugepages for real, in a child process, with the sequence
 * of the workload's consumer (DPDK's dynamic, legacy, single-file and
 * in-memory modes, PostgreSQL's MAP_HUGETLB, a JVM's SHM_HUGETLB), stops at
 * the first failure and records the counters of that instant.  Nothing is
 * left behind: page files are unlinked as soon as they are opened, and the
 * child dies with its parent.
 */
#ifndef HPDIAG_TRIAL_H
#define HPDIAG_TRIAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "diagnose/diagnose.h"

/* What the trial did, written by the child into shared memory. */
struct trial_counters {
	uint64_t vmas;			/* lines of /proc/self/maps */
	uint64_t max_map_count;
	uint64_t fds;			/* entries of /proc/self/fd */
	uint64_t vm_size;		/* bytes */
	uint64_t free_pages;		/* of that size, whole pool */
	uint64_t node_free_pages;	/* on the node asked for */
	int node;			/* -1: none asked */
	uint64_t quota_free;		/* pages left under size=, or UINT64_MAX */
	uint64_t rlim_as, rlim_data, rlim_nofile, rlim_memlock;	/* soft */
};

struct trial_result {
	volatile uint64_t mapped;	/* pages mapped so far (progress) */
	uint64_t requested;
	uint64_t peak_pages;		/* legacy: the whole pool */
	uint64_t baseline_vmas;		/* the VMAs the child held first */
	bool ok;
	bool failed;
	uint64_t page;			/* index of the page that failed */
	char call[24];			/* "open", "mmap", "fault", ... */
	int err;			/* errno, 0 for a signal */
	int sig;			/* SIGBUS, or 0 */
	struct trial_counters at;	/* at the failure */
	char note[160];
};

struct trial_opts {
	const struct need *need;	/* the model's numbers: mode, pages, lists,
					   baselines, legacy_free, raises_nofile */
	const char *dir;		/* where page files go, or NULL */
	unsigned timeout;		/* seconds */
	bool progress;			/* a progress line on stderr */
};

/* Lines of a live kernel file (/proc/PID/maps), read with a buffer on the
 * stack and no allocation: safe with no VMA left.  0 if unreadable. */
uint64_t live_count_lines(const char *path);

/* Entries of a live directory (/proc/PID/fd) but "." and ".."; 0 if
 * unreadable. */
uint64_t live_count_entries(const char *path);
/* A number in a live kernel file, or the kB field KEY ("VmSize:") of a
 * /proc status file in bytes; 0 when unreadable.  No allocation. */
uint64_t live_read_number(const char *path, const char *key);

/* Runs the trial; returns 0 when it ran (passed or not), -errno if not. */
int trial_run(const struct trial_opts *o, struct trial_result *res);
/* The cause of a failed trial, from the counters at its instant. */
const char *trial_cause(const struct trial_result *r, const struct snapshot *snap,
			const struct need *need);

/* "ENOMEM" for ENOMEM, "an error" for 0 or one glibc has no name for. */
const char *errname(int err);
/* The remedy the host's own findings give for CAUSE, or NULL. */
const char *host_remedy(const struct findings *host, const char *cause);

/* The "trial" finding: what happened, its cause and the remedy the host's
 * own findings give.  RECLAIMABLE: pages of stale files DPDK would delete. */
int trial_findings(const struct trial_result *r, const struct snapshot *snap,
		   const struct need *need, uint64_t reclaimable,
		   const struct findings *host, struct findings *out);

#endif /* HPDIAG_TRIAL_H */
