// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * explain-patterns.c - the lines of applications' output that tell of a
 * memory failure, and what each means: the causes it is consistent with,
 * likeliest first, and what it implies of the workload (legacy mode, DPDK
 * before 18.05).  Most specific first: a line takes the first pattern it
 * matches.  strace lines name the call and errno exactly.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "diagnose/explain.h"

#define ENOMEM_CAUSES CAUSE_MAP_COUNT_LIMIT, CAUSE_MOUNT_QUOTA, CAUSE_POOL_EXHAUSTED, \
		      CAUSE_RLIMIT_AS, CAUSE_RLIMIT_DATA, CAUSE_CGROUP_HUGETLB_LIMIT

/* Most specific first: a line takes the first pattern it matches. */
const struct explain_pattern explain_patterns[] = {
	{ "Not enough memory available on socket", NULL,
	  "DPDK counted too few free hugepages on that NUMA node",
	  { CAUSE_NODE_POOL_EXHAUSTED, CAUSE_POOL_EXHAUSTED }, true, -1, 0 },
	{ "Not enough memory available", NULL,
	  "DPDK counted too few free hugepages for -m",
	  { CAUSE_POOL_EXHAUSTED, CAUSE_MOUNT_QUOTA }, true, -1, 0 },
	{ "no mounted hugetlbfs found for that size", NULL,
	  "hugepages are reserved but no hugetlbfs is mounted for their size",
	  { CAUSE_NO_MOUNT }, true, -1, 0 },
	{ "Cannot get hugepage information", NULL,
	  "DPDK found no usable hugepage size (no pages, or no mount for them)",
	  { CAUSE_NO_MOUNT, CAUSE_NO_POOL, CAUSE_MOUNT_PERMISSION }, true, -1, 0 },
	{ "hugepages reported", "No available",
	  "no free hugepages of a size", { CAUSE_NO_POOL, CAUSE_POOL_EXHAUSTED }, true, -1, 0 },
	{ "hugepages reported on node", "No free",
	  "no free hugepages on a node", { CAUSE_NODE_POOL_EXHAUSTED }, false, -1, 0 },
	{ "Cannot get a virtual area", NULL,
	  "reserving address space for the memseg lists failed",
	  { CAUSE_RLIMIT_AS, CAUSE_VA_SPACE, CAUSE_MAP_COUNT_LIMIT }, true, -1, 0 },
	{ "Cannot allocate VA space for memseg list", NULL,
	  "reserving address space for the memseg lists failed",
	  { CAUSE_RLIMIT_AS, CAUSE_VA_SPACE, CAUSE_MAP_COUNT_LIMIT }, true, -1, 0 },
	{ "Cannot preallocate VA space", NULL,
	  "reserving address space for hugepage memory failed",
	  { CAUSE_RLIMIT_AS, CAUSE_VA_SPACE, CAUSE_MAP_COUNT_LIMIT }, true, -1, 0 },
	{ "Cannot reserve memory", NULL,
	  "reserving address space failed",
	  { CAUSE_RLIMIT_AS, CAUSE_VA_SPACE, CAUSE_MAP_COUNT_LIMIT }, true, -1, 0 },
	{ "Can't mmap holes in our virtual address space", NULL,
	  "DPDK could not re-reserve address space after a failed page: out of VMAs",
	  { CAUSE_MAP_COUNT_LIMIT }, true, -1, 0 },
	{ "failed to map segment from shared object", NULL,
	  "loading a driver plug-in failed: out of VMAs",
	  { CAUSE_MAP_COUNT_LIMIT, CAUSE_RLIMIT_AS }, true, -1, 0 },
	{ "Couldn't get fd on hugepage file", NULL,
	  "DPDK could not open a page file",
	  { CAUSE_RLIMIT_NOFILE, CAUSE_MOUNT_PERMISSION, CAUSE_MOUNT_QUOTA }, true, -1, 0 },
	{ "Too many open files", NULL,
	  "the process ran out of file descriptors (one per hugepage)",
	  { CAUSE_RLIMIT_NOFILE }, true, -1, 0 },
	{ "SIGBUS: Cannot mmap more hugepages", NULL,
	  "touching a mapped hugepage raised SIGBUS: the charge was refused at fault time",
	  { CAUSE_CGROUP_HUGETLB_LIMIT, CAUSE_POOL_EXHAUSTED }, true, -1, 0 },
	{ "Failed to create shared memory", NULL,
	  "legacy memory init could not map its page table: out of VMAs or fds",
	  { CAUSE_MAP_COUNT_LIMIT, CAUSE_RLIMIT_NOFILE, CAUSE_RLIMIT_AS }, true, MODE_LEGACY, 0 },
	{ "map_all_hugepages(): mmap failed", NULL,
	  "legacy memory init: mmap of a hugepage failed",
	  { ENOMEM_CAUSES }, true, MODE_LEGACY, 0 },
	{ "MB hugepages", "Failed to mmap",
	  "legacy memory init: mapping the pool failed (DPDK before 18.05 stops here)",
	  { ENOMEM_CAUSES }, true, MODE_LEGACY, 1805 },
	{ "alloc_seg(): mmap() failed", NULL,
	  "mmap of a hugepage failed",
	  { CAUSE_MAP_COUNT_LIMIT, CAUSE_MOUNT_QUOTA, CAUSE_POOL_EXHAUSTED, CAUSE_CGROUP_HUGETLB_LIMIT },
	  true, -1, 0 },
	{ "could not map anonymous shared memory", NULL,
	  "PostgreSQL's huge_pages mapping (MAP_HUGETLB) was refused",
	  { CAUSE_POOL_EXHAUSTED, CAUSE_RLIMIT_AS, CAUSE_CGROUP_HUGETLB_LIMIT }, true, MODE_ANON, 0 },
	{ "Failed to reserve shared memory", "error = 1)",
	  "the JVM's SHM_HUGETLB segment was refused with EPERM",
	  { CAUSE_RLIMIT_MEMLOCK }, true, MODE_SHM, 0 },
	{ "Failed to reserve shared memory", "error = 12)",
	  "the JVM's SHM_HUGETLB segment was refused with ENOMEM",
	  { CAUSE_POOL_EXHAUSTED, CAUSE_SHM_LIMIT }, true, MODE_SHM, 0 },
	{ "Failed to reserve shared memory", "error = 22)",
	  "the JVM's SHM_HUGETLB segment was refused with EINVAL",
	  { CAUSE_SHM_LIMIT }, true, MODE_SHM, 0 },
	{ "no large pages configured and available", NULL,
	  "the JVM found no hugepages", { CAUSE_NO_POOL, CAUSE_POOL_EXHAUSTED }, true, -1, 0 },
	{ "Failed to reserve large pages memory", NULL,
	  "the JVM could not map hugepages",
	  { CAUSE_POOL_EXHAUSTED, CAUSE_CGROUP_HUGETLB_LIMIT }, true, -1, 0 },
	{ "PANIC in rte_eal_init", NULL,
	  "EAL gave up (DPDK before 18.05 panics here)",
	  { CAUSE_POOL_EXHAUSTED, CAUSE_NODE_POOL_EXHAUSTED, CAUSE_NO_POOL, CAUSE_NO_MOUNT,
	    CAUSE_MOUNT_QUOTA, CAUSE_MOUNT_PERMISSION, CAUSE_MAP_COUNT_LIMIT, CAUSE_RLIMIT_AS,
	    CAUSE_RLIMIT_NOFILE, CAUSE_CGROUP_HUGETLB_LIMIT, CAUSE_VA_SPACE }, true, -1, 1805 },
	{ "Cannot init memory", NULL,
	  "EAL's memory init failed",
	  { CAUSE_POOL_EXHAUSTED, CAUSE_NODE_POOL_EXHAUSTED, CAUSE_NO_POOL, CAUSE_NO_MOUNT,
	    CAUSE_MOUNT_QUOTA, CAUSE_MOUNT_PERMISSION, CAUSE_MAP_COUNT_LIMIT, CAUSE_RLIMIT_AS,
	    CAUSE_RLIMIT_NOFILE, CAUSE_CGROUP_HUGETLB_LIMIT, CAUSE_VA_SPACE }, true, -1, 0 },
	{ "errno 12", NULL, "a call failed with ENOMEM", { ENOMEM_CAUSES }, true, -1, 0 },
	{ "errno 24", NULL, "a call failed with EMFILE", { CAUSE_RLIMIT_NOFILE }, true, -1, 0 },
	{ "Cannot allocate memory", NULL, "a call failed with ENOMEM",
	  { ENOMEM_CAUSES }, true, -1, 0 },
};

const size_t explain_nr_patterns = sizeof(explain_patterns) / sizeof(explain_patterns[0]);

/* strace: "[pid N] call(args) = -1 ERRNO (text)" */
bool explain_match_strace(const char *line, struct log_event *ev)
{
	static const struct {
		const char *call, *err, *what;
		enum cause causes[EXPLAIN_MAX_CAUSES];
	} calls[] = {
		{ "mmap", "ENOMEM", "mmap failed with ENOMEM", { ENOMEM_CAUSES } },
		{ "mmap", "EACCES", "mmap of a page file was refused",
		  { CAUSE_MOUNT_PERMISSION } },
		{ "open", "EMFILE", "open failed with EMFILE", { CAUSE_RLIMIT_NOFILE } },
		{ "open", "EACCES", "a page file could not be created",
		  { CAUSE_MOUNT_PERMISSION } },
		{ "open", "ENOSPC", "a page file could not be created: no inodes left",
		  { CAUSE_MOUNT_QUOTA } },
		{ "memfd_create", "EMFILE", "memfd_create failed with EMFILE",
		  { CAUSE_RLIMIT_NOFILE } },
		{ "memfd_create", "ENOMEM", "memfd_create failed with ENOMEM",
		  { CAUSE_POOL_EXHAUSTED } },
		{ "ftruncate", "ENOSPC", "a page file could not grow", { CAUSE_MOUNT_QUOTA } },
		{ "fallocate", "ENOSPC", "a page file could not grow",
		  { CAUSE_MOUNT_QUOTA, CAUSE_POOL_EXHAUSTED } },
		{ "fallocate", "ENOMEM", "a page file could not grow",
		  { CAUSE_POOL_EXHAUSTED, CAUSE_MOUNT_QUOTA } },
		{ "shmget", "EPERM", "shmget(SHM_HUGETLB) was refused with EPERM",
		  { CAUSE_RLIMIT_MEMLOCK } },
		{ "shmget", "ENOMEM", "shmget(SHM_HUGETLB) failed with ENOMEM",
		  { CAUSE_POOL_EXHAUSTED } },
		{ "shmget", "EINVAL", "shmget failed with EINVAL", { CAUSE_SHM_LIMIT } },
		{ "shmget", "ENOSPC", "shmget failed with ENOSPC", { CAUSE_SHM_LIMIT } },
	};
	const char *p = line, *ret;
	char call[32], err[16];
	size_t len;

	while (isspace((unsigned char)*p))
		p++;
	if (!strncmp(p, "[pid", 4)) {
		p = strchr(p, ']');
		if (!p)
			return false;
		p++;
		while (isspace((unsigned char)*p))
			p++;
	}
	len = strspn(p, "abcdefghijklmnopqrstuvwxyz_0123456789");
	if (!len || len >= sizeof(call) || p[len] != '(')
		return false;
	memcpy(call, p, len);
	call[len] = '\0';
	ret = strstr(p, ") = -1 ");
	if (!ret || sscanf(ret + 7, "%15[A-Z]", err) != 1)
		return false;
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		size_t cl = strlen(calls[i].call);

		if (strncmp(call, calls[i].call, cl) ||
		    (call[cl] && strcmp(call + cl, "64") && strcmp(call + cl, "at") &&
		     strcmp(call + cl, "2")) || strcmp(err, calls[i].err))
			continue;
		ev->what = calls[i].what;
		for (size_t c = 0; c < EXPLAIN_MAX_CAUSES && calls[i].causes[c] != CAUSE_NONE; c++)
			ev->causes[ev->nr_causes++] = calls[i].causes[c];
		ev->fatal = true;
		return true;
	}
	return false;
}

