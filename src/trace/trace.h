/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace.h - the record `hpdiag exec` shares with libhpdiag-trace.so, the
 * preload library inside the application.  hpdiag creates a small file,
 * names it in HPDIAG_TRACE, and maps it; each program image of the
 * application that loads the library maps it too.  The library counts the
 * calls it watches and, at the first memory call that fails (or a SIGBUS),
 * fills in `first` with the call, its arguments and the counters of that
 * instant.  Plain fixed-size fields only: both sides are C, one machine.
 */
#ifndef HPDIAG_TRACE_H
#define HPDIAG_TRACE_H

#include <stdint.h>

#define TRACE_MAGIC	0x54445048u	/* "HPDT" */
#define TRACE_VERSION	1
#define TRACE_ENV	"HPDIAG_TRACE"
#define TRACE_MAX_NODES	8

struct trace_counters {
	uint64_t vmas;			/* lines of /proc/self/maps */
	uint64_t max_map_count;
	uint64_t fds;			/* entries of /proc/self/fd */
	uint64_t vm_size;		/* bytes, VmSize: */
	uint64_t hugetlb_bytes;		/* HugetlbPages: */
	uint64_t page_size;		/* of the mapping; 0 when not known */
	uint64_t free_pages;		/* of that size, whole pool */
	uint64_t node_free[TRACE_MAX_NODES];
	uint32_t nr_nodes;
	uint32_t pad;
	uint64_t quota_free;		/* pages left under size=, or UINT64_MAX */
	uint64_t rlim_as, rlim_data, rlim_nofile, rlim_memlock;	/* soft */
};

struct trace_failure {
	char call[16];			/* "mmap", "open", "ftruncate", "fault" */
	uint64_t args[6];
	int32_t nr_args;
	int32_t err;			/* errno, 0 for a signal */
	int32_t sig;			/* SIGBUS, or 0 */
	int32_t pid;
	uint64_t addr;			/* the fault address of a SIGBUS */
	char path[256];			/* the file the call was about, or "" */
	/* The object most often mapped, when the VMAs ran out (a leak). */
	char top_object[256];
	uint64_t top_count;
	struct trace_counters at;
};

struct trace_record {
	uint32_t magic;
	uint32_t version;
	uint32_t failed;		/* 0, then 1 once `first` is written */
	uint32_t processes;		/* program images that loaded the library */
	uint64_t calls;			/* memory calls watched */
	uint64_t failures;		/* of them, how many failed */
	/* Counted by each program image as it exits (the largest kept). */
	uint64_t exit_vmas, exit_fds, exit_hugetlb_bytes;
	struct trace_failure first;
};

#endif /* HPDIAG_TRACE_H */
