/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * trace.h - the records of a watched run: the counters of one instant
 * (VMAs, fds, free pages, limits) and the failure they were taken at, as
 * libhpdiag-trace.so writes them inside an application under `hpdiag exec`
 * and as a trial's child writes them inside itself; and what hpdiag makes
 * of each run.  Plain fixed-size fields in memory shared across a process
 * boundary: both sides are C, one machine, one build.
 *
 * For exec, hpdiag creates a small file, names it in HPDIAG_TRACE and maps
 * it; each program image of the application that loads the library maps
 * it too.  The library counts the calls it watches and, at the first
 * memory call that fails (or a SIGBUS), fills in `first`; at each exec
 * call it notes the program and its limits in `exec`.
 */
#ifndef HPDIAG_TRACE_H
#define HPDIAG_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define TRACE_MAGIC	0x54445048u	/* "HPDT" */
#define TRACE_VERSION	3
#define TRACE_ENV	"HPDIAG_TRACE"
#define TRACE_MAX_NODES	8

/* The counters at one instant, read inside the process. */
struct trace_counters {
	uint64_t vmas;			/* lines of /proc/self/maps */
	uint64_t max_map_count;
	uint64_t fds;			/* entries of /proc/self/fd */
	uint64_t vm_size;		/* bytes, VmSize: */
	uint64_t hugetlb_bytes;		/* HugetlbPages: */
	uint64_t page_size;		/* of the mapping; 0 when not known */
	uint64_t free_pages;		/* of that size, whole pool, less reserved */
	uint64_t node_free[TRACE_MAX_NODES];	/* exec: per node */
	uint32_t nr_nodes;
	int32_t node;			/* trial: the node asked for, or -1 */
	uint64_t node_free_pages;	/* trial: free pages on that node */
	uint64_t quota_free;		/* pages left under size=, or UINT64_MAX */
	uint64_t rlim_as, rlim_data, rlim_nofile, rlim_memlock;	/* soft */
	/* The hugetlb cgroup, for pages of page_size: bytes charged at
	 * faults and reserved at that instant (trial; UINT64_MAX when not
	 * read), and the charges it refused during the run (counted by
	 * hpdiag from its events or failcnt before and after). */
	uint64_t cg_usage, cg_rsvd_usage;
	uint64_t cg_hits;
};

/* The first call that failed, and the counters of that instant. */
struct trace_failure {
	char call[24];			/* "mmap", "open", "fault", "mmap (reserve)" */
	uint64_t args[6];		/* exec: the call's arguments */
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

/*
 * The last program an exec call of the application started (hpdiag's own
 * spawn is the first), and the limits it started with.  `pending` stays
 * set from the call until the library runs in the new image: a process
 * that ends while it is set died before its program ran - the kernel could
 * not map it, or the loader could not load it.
 */
struct trace_exec {
	int32_t pid;			/* the caller, 0 for hpdiag's spawn */
	uint32_t pending;
	uint32_t calls;			/* exec calls seen */
	uint32_t untraced;		/* the last one cleared the environment */
	char path[256];			/* as given to execve, execvp ... */
	uint64_t rlim_data, rlim_as, rlim_stack;	/* soft; UINT64_MAX: none */
};

/* What libhpdiag-trace.so writes in the application. */
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
	struct trace_exec exec;
};

/* What a trial's child writes in memory it shares with hpdiag. */
/* One mapping of an application's model as a trial made it: a JVM's code
 * cache, heap or G1 table, PostgreSQL's shared memory, a QEMU backend. */
#define TRIAL_MAX_REGIONS 16
struct trial_region {
	char name[48];
	uint64_t bytes;
	uint64_t page_size;
	bool huge;			/* it got its hugepages */
	bool unhuge;			/* not on hugetlbfs by its configuration
					   (a QEMU mem-path elsewhere): base pages */
	char call[24];			/* else the call that refused them */
	int32_t err;
};

struct trial_result {
	volatile uint64_t mapped;	/* pages mapped so far (progress) */
	uint64_t requested;
	uint64_t peak_pages;		/* legacy: the whole pool */
	uint64_t baseline_vmas;		/* the VMAs the child held first */
	bool ok;
	bool failed;
	uint64_t page;			/* index of the page that failed */
	struct trace_failure fail;	/* call, errno or signal, counters */
	char note[160];
	/* An application's mappings, in its order (trial-app.c).  FELL_BACK:
	 * one was refused and the application goes on without hugepages
	 * for it; FAIL then holds the first refusal and its counters. */
	struct trial_region regions[TRIAL_MAX_REGIONS];
	uint32_t nr_regions;
	bool fell_back;
};

/* What hpdiag saw of an application run under `hpdiag exec`. */
struct exec_result {
	pid_t pid;
	bool exited;			/* else killed by sig */
	int exit_status;
	int sig;
	double seconds;			/* start to exit */
	double cpu_seconds;		/* its user and system time */
	bool traced;			/* the library was loaded */
	struct trace_record rec;	/* as the application left it */
	uint64_t peak_vmas, peak_fds, peak_hugetlb_bytes;
	uint64_t samples;
	/* Charges the hugetlb cgroup refused during the run, for the
	 * workload's page size (its events or failcnt before and after). */
	uint64_t cg_hits;
	bool have_cg_hits;
	char *output;			/* stdout and stderr, as they came */
	size_t output_len;
	bool output_truncated;
	/* Its stdout, passed on, ended inside a line (a prompt): the report
	 * that follows there starts on a line of its own. */
	bool out_mid_line;
};

#endif /* HPDIAG_TRACE_H */
