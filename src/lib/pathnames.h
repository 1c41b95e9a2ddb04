/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pathnames.h - every kernel path hpdiag reads, in one list.  The man page's
 * FILES section mirrors it.  "%s" stands for "self" or a process id, "%u" for
 * a NUMA node, "%s" in hugepage paths for a "hugepages-<n>kB" directory.
 */
#ifndef HPDIAG_PATHNAMES_H
#define HPDIAG_PATHNAMES_H

#define PATH_MEMINFO		"/proc/meminfo"
#define PATH_BUDDYINFO		"/proc/buddyinfo"
#define PATH_CMDLINE		"/proc/cmdline"
#define PATH_PROC		"/proc"
#define PATH_PROC_LIMITS	"/proc/%s/limits"
#define PATH_PROC_MAPS		"/proc/%s/maps"
#define PATH_PROC_FD		"/proc/%s/fd"
#define PATH_PROC_MOUNTINFO	"/proc/%s/mountinfo"
#define PATH_PROC_CGROUP	"/proc/%s/cgroup"
#define PATH_PROC_STATUS	"/proc/%s/status"
#define PATH_PROC_SMAPS		"/proc/%s/smaps"
#define PATH_PROC_COMM		"/proc/%s/comm"

#define PATH_HUGEPAGES		"/sys/kernel/mm/hugepages"
#define PATH_NODES		"/sys/devices/system/node"
#define PATH_NODE_HUGEPAGES	"/sys/devices/system/node/node%u/hugepages"
#define PATH_NODE_MEMINFO	"/sys/devices/system/node/node%u/meminfo"
#define PATH_NODE_CPULIST	"/sys/devices/system/node/node%u/cpulist"
#define PATH_THP_ENABLED	"/sys/kernel/mm/transparent_hugepage/enabled"

#define PATH_MAX_MAP_COUNT	"/proc/sys/vm/max_map_count"
#define PATH_NR_HUGEPAGES	"/proc/sys/vm/nr_hugepages"
#define PATH_NR_OVERCOMMIT	"/proc/sys/vm/nr_overcommit_hugepages"
#define PATH_OVERCOMMIT_MEMORY	"/proc/sys/vm/overcommit_memory"
#define PATH_HUGETLB_SHM_GROUP	"/proc/sys/vm/hugetlb_shm_group"
#define PATH_SHMMAX		"/proc/sys/kernel/shmmax"
#define PATH_SHMALL		"/proc/sys/kernel/shmall"
#define PATH_MIN_FREE_KBYTES	"/proc/sys/vm/min_free_kbytes"

/* Written by `hpdiag snapshot` at the top of a captured tree. */
#define PATH_SNAPSHOT_META	"/hpdiag.snapshot"

#endif /* HPDIAG_PATHNAMES_H */
