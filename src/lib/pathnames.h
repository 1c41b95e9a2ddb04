/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pathnames.h - every kernel path hpdiag reads or writes, in one list.  The
 * man page's FILES section mirrors it.  The files of a process are named
 * below /proc/PID (proc_path() in proc.h puts them there, "self" for
 * hpdiag itself); "%u" stands for a NUMA node.
 */
#ifndef HPDIAG_PATHNAMES_H
#define HPDIAG_PATHNAMES_H

#define PATH_MEMINFO		"/proc/meminfo"
#define PATH_BUDDYINFO		"/proc/buddyinfo"
#define PATH_CMDLINE		"/proc/cmdline"
#define PATH_PROC		"/proc"
#define PATH_LOCKS		"/proc/locks"

/* Below /proc/PID. */
#define PROC_LIMITS		"limits"
#define PROC_MAPS		"maps"
#define PROC_SMAPS		"smaps"
#define PROC_FD			"fd"
#define PROC_MOUNTINFO		"mountinfo"
#define PROC_CGROUP		"cgroup"
#define PROC_STATUS		"status"
#define PROC_STAT		"stat"
#define PROC_COMM		"comm"

#define PATH_HUGEPAGES		"/sys/kernel/mm/hugepages"
#define PATH_NODES		"/sys/devices/system/node"
#define PATH_NODE_HUGEPAGES	"/sys/devices/system/node/node%u/hugepages"
#define PATH_NODE_MEMINFO	"/sys/devices/system/node/node%u/meminfo"
#define PATH_NODE_CPULIST	"/sys/devices/system/node/node%u/cpulist"
#define PATH_THP_ENABLED	"/sys/kernel/mm/transparent_hugepage/enabled"
/* VFIO: the devices bound to vfio-pci, their IOMMU groups ("%s" a PCI
 * address, "%u" a group), and the group devices a process opens. */
#define PATH_VFIO_PCI		"/sys/bus/pci/drivers/vfio-pci"
#define PATH_PCI_IOMMU_GROUP	"/sys/bus/pci/devices/%s/iommu_group"
#define PATH_IOMMU_GROUP_NAME	"/sys/kernel/iommu_groups/%u/name"
#define PATH_DEV_VFIO		"/dev/vfio"

#define PATH_MAX_MAP_COUNT	"/proc/sys/vm/max_map_count"
#define PATH_NR_HUGEPAGES	"/proc/sys/vm/nr_hugepages"
#define PATH_NR_OVERCOMMIT	"/proc/sys/vm/nr_overcommit_hugepages"
#define PATH_OVERCOMMIT_MEMORY	"/proc/sys/vm/overcommit_memory"
#define PATH_HUGETLB_SHM_GROUP	"/proc/sys/vm/hugetlb_shm_group"
#define PATH_SHMMAX		"/proc/sys/kernel/shmmax"
#define PATH_SHMALL		"/proc/sys/kernel/shmall"
#define PATH_MIN_FREE_KBYTES	"/proc/sys/vm/min_free_kbytes"
#define PATH_COMPACT_MEMORY	"/proc/sys/vm/compact_memory"

/* Written by `hpdiag snapshot` at the top of a captured tree. */
#define PATH_SNAPSHOT_META	"/hpdiag.snapshot"

#endif /* HPDIAG_PATHNAMES_H */
