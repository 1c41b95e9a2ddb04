// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * explain-patterns.c - the lines hugepage users print, and what each proves:
 * the causes it is consistent with (likeliest first), whether the
 * application stops, goes on without hugepages, or got its memory.  Lines
 * are compared in lower case with blanks collapsed, so "EAL:  Cannot init
 * memory" and "eal: cannot init memory" are the same line.  Most specific
 * first: a line takes the first pattern it matches.  Each pattern's text
 * comes from a log in tests/logs (its record in tests/logs/corpus names
 * the program, or the source file the message format was taken from).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/explain.h"

/* mmap of a hugetlbfs page file (MAP_SHARED): a quota or the pool refuses
 * the reservation, or the process has run out of mappings. */
#define FILE_MMAP_CAUSES CAUSE_MOUNT_QUOTA, CAUSE_POOL_EXHAUSTED, \
	CAUSE_MAP_COUNT_LIMIT, CAUSE_RLIMIT_AS, CAUSE_CGROUP_HUGETLB_LIMIT
/* Legacy memory maps every free page of the pool first, one mapping
 * each: vm.max_map_count is met first (field report 000). */
#define LEGACY_MMAP_CAUSES CAUSE_MAP_COUNT_LIMIT, CAUSE_MOUNT_QUOTA, \
	CAUSE_POOL_EXHAUSTED, CAUSE_RLIMIT_AS, CAUSE_CGROUP_HUGETLB_LIMIT
/* One MAP_HUGETLB mapping of the whole size (PostgreSQL, a JVM, QEMU):
 * reserved at mmap, so the pool, RLIMIT_AS, or a cgroup's reservation
 * limit (hugetlb.<size>.rsvd.max) refuse it with ENOMEM. */
#define MAPPING_CAUSES CAUSE_POOL_EXHAUSTED, CAUSE_NO_POOL, CAUSE_RLIMIT_AS, \
	CAUSE_CGROUP_HUGETLB_LIMIT
/* Reserving address space: PROT_NONE, no hugepages yet. */
#define VA_CAUSES CAUSE_RLIMIT_AS, CAUSE_MAP_COUNT_LIMIT, CAUSE_VA_SPACE
/* A page touched and refused at fault time. */
#define SIGBUS_CAUSES CAUSE_CGROUP_HUGETLB_LIMIT, CAUSE_POOL_EXHAUSTED
/* The loader maps a library's private writable segments. */
#define LOADER_CAUSES CAUSE_RLIMIT_DATA, CAUSE_RLIMIT_AS

const struct explain_pattern explain_patterns[] = {
	/* ---- DPDK EAL ------------------------------------------------- */
	{ "not enough memory available on socket", NULL, LINE_FAIL, APP_DPDK,
	  "DPDK counted too few free hugepages on that NUMA node",
	  { CAUSE_NODE_POOL_EXHAUSTED, CAUSE_POOL_EXHAUSTED }, PAT_MEMORY, NULL },
	{ "not enough memory available", NULL, LINE_FAIL, APP_DPDK,
	  "DPDK counted too few free hugepages for the memory asked",
	  { CAUSE_POOL_EXHAUSTED }, PAT_MEMORY, NULL },
	{ "no mounted hugetlbfs found for that size", NULL, LINE_NOTE, APP_DPDK,
	  "that size has hugepages but no hugetlbfs mount: DPDK skips it "
	  "(except with --in-memory)", { CAUSE_NO_MOUNT }, PAT_NO_MOUNT, NULL },
	{ "cannot get hugepage information", NULL, LINE_FAIL, APP_DPDK,
	  "DPDK found no hugepage size it can use: no free pages, or no mount",
	  { CAUSE_NO_POOL, CAUSE_NO_MOUNT, CAUSE_POOL_EXHAUSTED,
	    CAUSE_MOUNT_PERMISSION }, PAT_HUGEINFO, NULL },
	{ "hugepages reported", "no free", LINE_NOTE, APP_DPDK,
	  "no free hugepages of that size (a notice about one size)",
	  { CAUSE_NONE }, PAT_SIZE_NOTE, NULL },
	{ "hugepages reported", "no available", LINE_NOTE, APP_DPDK,
	  "no free hugepages of that size (a notice about one size)",
	  { CAUSE_NONE }, PAT_SIZE_NOTE, NULL },
	{ "failed to lock hugepage directory", NULL, LINE_FAIL, APP_DPDK,
	  "DPDK could not lock the hugetlbfs directory",
	  { CAUSE_MOUNT_PERMISSION }, 0, NULL },
	{ "unable to open hugepage directory", NULL, LINE_FAIL, APP_DPDK,
	  "DPDK could not open the hugetlbfs directory",
	  { CAUSE_MOUNT_PERMISSION, CAUSE_NO_MOUNT }, 0, NULL },
	{ "can't mmap holes in our virtual address space", NULL, LINE_FAIL, APP_DPDK,
	  "DPDK could not put back the address space of a page it gave up: "
	  "the process has no mapping left", { CAUSE_MAP_COUNT_LIMIT }, PAT_MEMORY, NULL },
	{ "cannot get a virtual area at requested address", NULL, LINE_FAIL, APP_DPDK,
	  "a secondary process could not map the primary's memory at the same "
	  "address", { CAUSE_VA_SPACE }, PAT_MEMORY, "mmap" },
	{ "in /dev/zero to requested address", NULL, LINE_FAIL, APP_DPDK,
	  "a secondary process could not map the primary's memory at the same "
	  "address", { CAUSE_VA_SPACE }, PAT_MEMORY, "mmap" },
	{ "please use '--base-virtaddr' option", NULL, LINE_FAIL, APP_DPDK,
	  "a secondary process could not map the primary's memory at the same "
	  "address", { CAUSE_VA_SPACE }, PAT_MEMORY, NULL },
	{ "cannot get a virtual area", NULL, LINE_SOFT, APP_DPDK,
	  "reserving address space failed", { VA_CAUSES }, PAT_MEMORY, "mmap" },
	{ "cannot allocate va space for memseg list", NULL, LINE_FAIL, APP_DPDK,
	  "reserving address space for the memseg lists failed",
	  { VA_CAUSES }, PAT_MEMORY | PAT_MODERN, NULL },
	{ "cannot preallocate va space", NULL, LINE_FAIL, APP_DPDK,
	  "reserving address space for hugepage memory failed",
	  { CAUSE_VA_SPACE, CAUSE_RLIMIT_AS, CAUSE_MAP_COUNT_LIMIT }, PAT_MEMORY, NULL },
	{ "cannot allocate memseg list", NULL, LINE_FAIL, APP_DPDK,
	  "reserving a memseg list failed", { VA_CAUSES }, PAT_MEMORY | PAT_MODERN, NULL },
	{ "cannot reserve memory", NULL, LINE_FAIL, APP_DPDK,
	  "reserving address space failed", { VA_CAUSES }, PAT_MEMORY, NULL },
	{ "could not find space for memseg", NULL, LINE_FAIL, APP_DPDK,
	  "more page segments than DPDK's build-time memseg lists hold",
	  { CAUSE_MEMSEG_LIMIT }, PAT_MEMORY, NULL },
	{ "config_rte_max_memseg", NULL, LINE_FAIL, APP_DPDK,
	  "more page segments than DPDK's build-time CONFIG_RTE_MAX_MEMSEG",
	  { CAUSE_MEMSEG_LIMIT }, PAT_MEMORY | PAT_PRE1805, NULL },
	{ "no more space in memseg lists", NULL, LINE_FAIL, APP_DPDK,
	  "more memory types than DPDK's build-time memseg lists",
	  { CAUSE_MEMSEG_LIMIT }, PAT_MEMORY | PAT_MODERN, NULL },
	{ "cannot accommodate all memory types", NULL, LINE_FAIL, APP_DPDK,
	  "more memory types than DPDK's build-time memseg lists",
	  { CAUSE_MEMSEG_LIMIT }, PAT_MEMORY | PAT_MODERN, NULL },
	{ "couldn't find suitable memseg_list", NULL, LINE_SOFT, APP_DPDK,
	  "no memseg list had room for the pages, or no page could be had",
	  { CAUSE_POOL_EXHAUSTED, CAUSE_NODE_POOL_EXHAUSTED, CAUSE_MOUNT_QUOTA,
	    CAUSE_CGROUP_HUGETLB_LIMIT, CAUSE_MEMSEG_LIMIT }, PAT_MEMORY | PAT_MODERN, NULL },
	{ "get_seg_fd(): open", NULL, LINE_SOFT, APP_DPDK,
	  "DPDK could not create a page file", { CAUSE_NONE }, PAT_MODERN, "open" },
	{ "get_seg_memfd(): memfd create failed", NULL, LINE_SOFT, APP_DPDK,
	  "DPDK could not create a page memfd", { CAUSE_NONE }, PAT_MODERN, "memfd_create" },
	{ "couldn't get fd on hugepage file", NULL, LINE_SOFT, APP_DPDK,
	  "DPDK could not create a page file",
	  { CAUSE_RLIMIT_NOFILE, CAUSE_MOUNT_PERMISSION, CAUSE_MOUNT_QUOTA },
	  PAT_MODERN, "open" },
	{ "cannot open /proc/self/pagemap: too many open files", NULL, LINE_SOFT,
	  APP_DPDK, "the page files took every file descriptor, none was "
	  "left to read a page's address", { CAUSE_RLIMIT_NOFILE }, 0, "open" },
	{ "sigbus: cannot mmap more hugepages", NULL, LINE_SOFT, APP_DPDK,
	  "touching a mapped hugepage raised SIGBUS: the page was refused at "
	  "fault time", { SIGBUS_CAUSES }, PAT_SIGBUS | PAT_MEMORY, NULL },
	{ "failed to create shared memory", NULL, LINE_FAIL, APP_DPDK,
	  "legacy memory init could not map its page table after mapping the "
	  "pool: out of mappings", { CAUSE_MAP_COUNT_LIMIT, CAUSE_RLIMIT_AS,
				      CAUSE_RLIMIT_NOFILE }, PAT_LEGACY | PAT_MEMORY, NULL },
	{ "map_all_hugepages(): mmap failed", NULL, LINE_SOFT, APP_DPDK,
	  "legacy memory init: mmap of a hugepage failed",
	  { LEGACY_MMAP_CAUSES }, PAT_LEGACY | PAT_MEMORY, "mmap" },
	{ "mb hugepages", "failed to mmap", LINE_FAIL, APP_DPDK,
	  "legacy memory init: mapping the pool failed (DPDK before 18.05 "
	  "stops here)", { LEGACY_MMAP_CAUSES }, PAT_LEGACY | PAT_PRE1805 | PAT_MEMORY, "mmap" },
	{ "alloc_seg(): mmap() failed", NULL, LINE_SOFT, APP_DPDK,
	  "mmap of a hugepage failed", { CAUSE_MOUNT_QUOTA, CAUSE_POOL_EXHAUSTED,
					 CAUSE_MAP_COUNT_LIMIT, CAUSE_CGROUP_HUGETLB_LIMIT },
	  PAT_MODERN | PAT_MEMORY, "mmap" },
	{ "cannot set up dma remapping", NULL, LINE_FAIL, APP_DPDK,
	  "VFIO could not map memory for DMA (the pages it maps are pinned, "
	  "and counted against RLIMIT_MEMLOCK)", { CAUSE_NONE }, PAT_MEMORY, "ioctl" },
	{ "dma remapping failed", NULL, LINE_FAIL, APP_DPDK,
	  "a device could not map memory for DMA", { CAUSE_NONE }, PAT_MEMORY, "ioctl" },
	{ "couldn't map new region for dma", NULL, LINE_FAIL, APP_DPDK,
	  "VFIO could not map new memory for DMA", { CAUSE_NONE }, PAT_MEMORY, "ioctl" },
	{ "cannot init plugins", NULL, LINE_FAIL, APP_DPDK,
	  "EAL could not load its driver plug-ins",
	  { CAUSE_MAP_COUNT_LIMIT, CAUSE_RLIMIT_DATA, CAUSE_RLIMIT_AS }, PAT_MEMORY, NULL },
	{ "for rte_mem_config", "cannot open", LINE_OTHER, APP_DPDK,
	  "a secondary process found no primary's shared config: start the "
	  "primary first, with the same --file-prefix", { CAUSE_NONE }, 0, NULL },
	{ "is another primary process running", NULL, LINE_OTHER, APP_DPDK,
	  "another primary process holds this --file-prefix", { CAUSE_NONE }, 0, NULL },
	/* EAL refuses its options before memory (OVS-DPDK's dpdk-lcore-mask
	 * after a -l in dpdk-extra: tests/logs/ovs-lcore-conflict.log). */
	{ "is ignored, because (", NULL, LINE_OTHER, APP_DPDK,
	  "EAL refuses a second of -c, -l and --lcores", { CAUSE_NONE }, 0, NULL },
	{ "cannot be specified at the same time", NULL, LINE_OTHER, APP_DPDK,
	  "EAL refuses two options that exclude each other", { CAUSE_NONE }, 0, NULL },
	{ "invalid 'command line' arguments", NULL, LINE_OTHER, APP_DPDK,
	  "EAL refused its options: not a memory failure", { CAUSE_NONE }, 0, NULL },
	{ "cannot init config", NULL, LINE_OTHER, APP_DPDK,
	  "EAL could not set up its shared config", { CAUSE_NONE }, 0, NULL },
	{ "panic in rte_eal_init", NULL, LINE_FAIL, APP_DPDK,
	  "EAL gave up (DPDK before 18.05 panics here)", { CAUSE_NONE },
	  PAT_PRE1805 | PAT_GENERIC, NULL },
	{ "cannot init memory", NULL, LINE_FAIL, APP_DPDK,
	  "EAL's memory init failed", { CAUSE_NONE }, PAT_GENERIC, NULL },
	/* OVS prints rte_errno, which EAL sets for the stage: EACCES when it
	 * found no hugepage size it can use, ENOMEM when memory init failed. */
	{ "unable to initialize dpdk", NULL, LINE_FAIL, APP_OVS,
	  "OVS could not initialise DPDK", { CAUSE_NONE }, PAT_GENERIC | PAT_RTE_ERRNO, NULL },
	{ "cannot init eal", NULL, LINE_FAIL, APP_DPDK,
	  "the application could not initialise EAL", { CAUSE_NONE },
	  PAT_GENERIC | PAT_RTE_ERRNO, NULL },
	{ "failed to initialize dpdk", NULL, LINE_FAIL, APP_SPDK,
	  "SPDK could not initialise DPDK", { CAUSE_NONE }, PAT_GENERIC, NULL },
	{ "unable to initialize spdk env", NULL, LINE_FAIL, APP_SPDK,
	  "the SPDK application could not start its environment", { CAUSE_NONE },
	  PAT_GENERIC, NULL },
	{ "mbuf pool", "fail", LINE_FAIL, APP_DPDK,
	  "creating a packet buffer pool failed", { CAUSE_NONE }, PAT_MEMORY, NULL },
	{ "cannot init mbuf pool", NULL, LINE_FAIL, APP_DPDK,
	  "creating a packet buffer pool failed", { CAUSE_NONE }, PAT_MEMORY, NULL },
	{ "cannot create mbuf pool", NULL, LINE_FAIL, APP_DPDK,
	  "creating a packet buffer pool failed", { CAUSE_NONE }, PAT_MEMORY, NULL },
	{ "mempool", "cannot allocate memory", LINE_FAIL, APP_DPDK,
	  "creating a memory pool failed", { CAUSE_NONE }, PAT_MEMORY, NULL },
	/* ---- the dynamic loader --------------------------------------- */
	{ "cannot apply additional memory protection after relocation", NULL,
	  LINE_SOFT, APP_UNKNOWN, "the dynamic loader could not split a library's "
	  "mapping: the process has no mapping left",
	  { CAUSE_MAP_COUNT_LIMIT, CAUSE_RLIMIT_DATA }, PAT_LOADER, "mprotect" },
	{ "error while loading shared libraries", "failed to map segment", LINE_FAIL,
	  APP_UNKNOWN, "the dynamic loader could not map a library",
	  { LOADER_CAUSES }, PAT_LOADER, "mmap" },
	{ "error while loading shared libraries", "zero-fill pages", LINE_FAIL,
	  APP_UNKNOWN, "the dynamic loader could not map a library's zeroed data",
	  { LOADER_CAUSES }, PAT_LOADER, "mmap" },
	{ "error while loading shared libraries", "cannot allocate memory", LINE_FAIL,
	  APP_UNKNOWN, "the dynamic loader ran out of memory",
	  { LOADER_CAUSES }, PAT_LOADER, NULL },
	{ "failed to map segment from shared object", NULL, LINE_SOFT, APP_UNKNOWN,
	  "loading a driver plug-in failed",
	  { CAUSE_MAP_COUNT_LIMIT, CAUSE_RLIMIT_DATA, CAUSE_RLIMIT_AS }, PAT_LOADER, "mmap" },
	/* ---- SPDK, VPP, OVS-DPDK -------------------------------------- */
	{ "falling back to non-hugepage backed buffer pool", NULL, LINE_FALLBACK,
	  APP_VPP, "VPP runs its buffers without hugepages",
	  { MAPPING_CAUSES }, PAT_MEMORY, "mmap" },
	{ "pmalloc_map_pages: failed to mmap", NULL, LINE_SOFT, APP_VPP,
	  "VPP could not map hugepages", { CAUSE_NONE }, PAT_MEMORY | PAT_ANON, "mmap" },
	{ "not enough free huge pages", NULL, LINE_FAIL, APP_VPP,
	  "VPP found too few free hugepages",
	  { CAUSE_POOL_EXHAUSTED, CAUSE_NO_POOL }, PAT_MEMORY, NULL },
	/* dpdk-init=try: EAL's failure is logged, the daemon runs on
	 * (dpdk_initialized=false, no DPDK ports). */
	{ "dpdk initialization failed", NULL, LINE_FALLBACK, APP_OVS,
	  "OVS (dpdk-init=try) runs on without DPDK and its hugepages",
	  { CAUSE_NONE }, PAT_SURVIVED, NULL },
	{ "dpdk enabled - initialized", NULL, LINE_UP, APP_OVS,
	  "OVS initialised DPDK: its memory came up", { CAUSE_NONE }, 0, NULL },
	{ "reactor started on core", NULL, LINE_UP, APP_SPDK,
	  "SPDK's environment came up", { CAUSE_NONE }, 0, NULL },
	{ "total cores available", NULL, LINE_UP, APP_SPDK,
	  "SPDK's environment came up", { CAUSE_NONE }, 0, NULL },
	/* ---- PostgreSQL ------------------------------------------------ */
	{ "could not map anonymous shared memory", NULL, LINE_FAIL, APP_POSTGRES,
	  "PostgreSQL's one MAP_HUGETLB mapping was refused",
	  { MAPPING_CAUSES }, PAT_ANON | PAT_MEMORY, "mmap" },
	{ "with map_hugetlb failed, huge pages disabled", NULL, LINE_FALLBACK,
	  APP_POSTGRES, "PostgreSQL (huge_pages=try) runs without hugepages",
	  { MAPPING_CAUSES }, PAT_ANON | PAT_MEMORY, "mmap" },
	{ "could not create shared memory segment", NULL, LINE_FAIL, APP_POSTGRES,
	  "PostgreSQL's System V segment was refused", { CAUSE_NONE }, PAT_SHM, "shmget" },
	/* PostgreSQL 15, huge_pages=on with shared_memory_type=sysv. */
	{ "huge pages not supported with the current shared_memory_type", NULL,
	  LINE_OTHER, APP_POSTGRES, "PostgreSQL refuses huge_pages=on with "
	  "shared_memory_type=sysv: hugepages need shared_memory_type=mmap (the "
	  "default); a setting, not a limit of the host", { CAUSE_NONE }, 0, NULL },
	/* PostgreSQL built without MAP_HUGETLB (src/backend/port/sysv_shmem.c). */
	{ "huge pages not supported on this platform", NULL, LINE_OTHER, APP_POSTGRES,
	  "this PostgreSQL build cannot use hugepages: huge_pages=on cannot work "
	  "with it", { CAUSE_NONE }, 0, NULL },
	/* Measured, PostgreSQL 15 in a cgroup with hugetlb.2MB.max below its
	 * shared memory: the mapping is reserved at start, so only the
	 * cgroup's fault-time limit refuses a page later.  A backend that
	 * touches a new buffer gets SIGBUS and the postmaster restarts every
	 * process; crash recovery's redo gets it and the server shuts down. */
	{ "startup process", "terminated by signal 7", LINE_FAIL, APP_POSTGRES,
	  "PostgreSQL's startup process (crash recovery, which fills the shared "
	  "buffers) was killed by SIGBUS: a hugepage of its shared memory was "
	  "refused when first touched, and the server shuts down",
	  { CAUSE_CGROUP_HUGETLB_LIMIT, CAUSE_POOL_EXHAUSTED }, PAT_SIGBUS, NULL },
	{ "server process", "terminated by signal 7", LINE_FAIL, APP_POSTGRES,
	  "a PostgreSQL backend was killed by SIGBUS: a hugepage of its shared "
	  "memory was refused when first touched, and the postmaster restarts "
	  "every process",
	  { CAUSE_CGROUP_HUGETLB_LIMIT, CAUSE_POOL_EXHAUSTED }, PAT_SIGBUS, NULL },
	/* Measured: read(2) into a shared buffer whose hugepage the cgroup
	 * refuses stops short (EFAULT after the bytes before the page).  A
	 * relation file cut short reads 0 bytes of the block instead. */
	{ "could not read block", "read only 0 of", LINE_OTHER, APP_POSTGRES,
	  "the relation file ends before the block: storage, not memory",
	  { CAUSE_NONE }, 0, NULL },
	{ "could not read block", "read only", LINE_FAIL, APP_POSTGRES,
	  "a PostgreSQL backend's read into a shared buffer stopped short: the "
	  "buffer's hugepage was refused when first touched (the statement fails, "
	  "the server goes on)",
	  { CAUSE_CGROUP_HUGETLB_LIMIT }, PAT_FAULT | PAT_MEMORY, "read" },
	{ "terminated by signal 7", NULL, LINE_FAIL, APP_UNKNOWN,
	  "a process was killed by SIGBUS: a page was refused at fault time",
	  { SIGBUS_CAUSES }, PAT_SIGBUS, NULL },
	{ "database system is ready to accept connections", NULL, LINE_UP,
	  APP_POSTGRES, "PostgreSQL started: its shared memory came up",
	  { CAUSE_NONE }, 0, NULL },
	/* ---- JVM ------------------------------------------------------- */
	{ "sigbus (0x7) at pc=", NULL, LINE_FAIL, APP_JVM,
	  "the JVM was killed by SIGBUS: a page was refused at fault time",
	  { SIGBUS_CAUSES }, PAT_SIGBUS, NULL },
	{ "failed to reserve shared memory", NULL, LINE_FALLBACK, APP_JVM,
	  "the JVM's SHM_HUGETLB segment was refused: it runs that part "
	  "without hugepages", { CAUSE_NONE }, PAT_SHM | PAT_MEMORY, "shmget" },
	{ "large pages using useshm are not configured", NULL, LINE_FALLBACK,
	  APP_JVM, "the JVM's test SHM_HUGETLB segment was refused",
	  { CAUSE_NO_POOL, CAUSE_RLIMIT_MEMLOCK, CAUSE_POOL_EXHAUSTED },
	  PAT_SHM | PAT_MEMORY, "shmget" },
	{ "no large pages configured and available", NULL, LINE_FALLBACK, APP_JVM,
	  "the JVM found no hugepage it could map: it runs without them",
	  { CAUSE_NO_POOL, CAUSE_POOL_EXHAUSTED, CAUSE_CGROUP_HUGETLB_LIMIT },
	  PAT_MEMORY | PAT_JVM_PROBE, NULL },
	{ "failed to reserve and commit memory", NULL, LINE_FALLBACK, APP_JVM,
	  "the JVM could not map a region with hugepages: it maps it with "
	  "small pages", { MAPPING_CAUSES }, PAT_ANON | PAT_MEMORY, "mmap" },
	{ "failed to reserve large pages memory", NULL, LINE_FALLBACK, APP_JVM,
	  "the JVM could not map a region with hugepages: it maps it with "
	  "small pages", { MAPPING_CAUSES }, PAT_ANON | PAT_MEMORY, "mmap" },
	/* Measured, OpenJDK 17 with THP "never". */
	{ "usetransparenthugepages disabled", NULL, LINE_FALLBACK, APP_JVM,
	  "transparent hugepages are off on the host: the JVM runs without them",
	  { CAUSE_THP_DISABLED }, 0, NULL },
	{ "openjdk version", NULL, LINE_UP, APP_JVM,
	  "the JVM started", { CAUSE_NONE }, 0, NULL },
	/* ---- QEMU ------------------------------------------------------ */
	{ "unable to map backing store for guest ram", NULL, LINE_FAIL, APP_QEMU,
	  "QEMU's mapping of the guest's memory file was refused",
	  { CAUSE_POOL_EXHAUSTED, CAUSE_NO_POOL, CAUSE_MOUNT_QUOTA, CAUSE_RLIMIT_AS,
	    CAUSE_CGROUP_HUGETLB_LIMIT }, PAT_MEMORY, "mmap" },
	/* Measured with QEMU 7.2: ENOSPC creating the file in mem-path is the
	 * mount's nr_inodes (its root takes one; a file per backend). */
	{ "can't open backing store", "no space left on device", LINE_FAIL, APP_QEMU,
	  "QEMU could not create the guest's memory file: the hugetlbfs mount's "
	  "nr_inodes= quota has no inode left", { CAUSE_MOUNT_QUOTA }, 0, "open" },
	/* Measured: a mem-path missing with its directory. */
	{ "can't open backing store", "no such file or directory", LINE_FAIL, APP_QEMU,
	  "QEMU could not create the guest's memory file: the directory of its "
	  "mem-path does not exist", { CAUSE_NO_MOUNT }, 0, "open" },
	{ "can't open backing store", NULL, LINE_FAIL, APP_QEMU,
	  "QEMU could not create the guest's memory file", { CAUSE_NONE }, 0, "open" },
	/* Measured: command lines QEMU 7.2 refuses before it maps anything. */
	{ "failed to resize memfd", NULL, LINE_FAIL, APP_QEMU,
	  "QEMU refused the memfd backend's size, not a multiple of its hugepage "
	  "size, before it mapped anything", { CAUSE_NONE }, 0, NULL },
	{ "parameter 'size' is missing", NULL, LINE_FAIL, APP_QEMU,
	  "QEMU refused a memory backend without size=, before it mapped anything",
	  { CAUSE_NONE }, 0, NULL },
	{ "memory backend '", "not found", LINE_FAIL, APP_QEMU,
	  "QEMU refused -machine memory-backend= naming no backend, before it "
	  "mapped anything", { CAUSE_NONE }, 0, NULL },
	{ "preallocating memory failed", NULL, LINE_FAIL, APP_QEMU,
	  "QEMU touched the guest's hugepages and the kernel refused them",
	  { SIGBUS_CAUSES }, PAT_FAULT | PAT_MEMORY, "madvise" },
	{ "insufficient free host memory pages available", NULL, LINE_FAIL, APP_QEMU,
	  "QEMU touched the guest's hugepages and the kernel refused them",
	  { SIGBUS_CAUSES }, PAT_FAULT | PAT_MEMORY, NULL },
	/* ---- a bare SIGBUS --------------------------------------------- */
	{ "bus error", NULL, LINE_FAIL, APP_UNKNOWN,
	  "the process was killed by SIGBUS: a page was refused at fault time",
	  { SIGBUS_CAUSES }, PAT_SIGBUS, NULL },
	{ "killed by sigbus", NULL, LINE_FAIL, APP_UNKNOWN,
	  "the process was killed by SIGBUS: a page was refused at fault time",
	  { SIGBUS_CAUSES }, PAT_SIGBUS, NULL },
	{ "exit code 135", NULL, LINE_FAIL, APP_UNKNOWN,
	  "exit code 135 is 128 + 7: killed by SIGBUS",
	  { SIGBUS_CAUSES }, PAT_SIGBUS, NULL },
	/* ---- DPDK applications that came up ---------------------------- */
	{ "rte>>", NULL, LINE_UP, APP_DPDK, "the application's prompt: EAL came up",
	  { CAUSE_NONE }, 0, NULL },
	{ "create a new mbuf pool", NULL, LINE_UP, APP_DPDK,
	  "testpmd creates its buffers: EAL came up", { CAUSE_NONE }, 0, NULL },
	{ "lcore 0 is ready", NULL, LINE_UP, APP_DPDK, "EAL came up", { CAUSE_NONE }, 0, NULL },
	{ "interactive-mode selected", NULL, LINE_UP, APP_DPDK,
	  "testpmd is running: EAL came up", { CAUSE_NONE }, 0, NULL },
	{ "entering main loop on lcore", NULL, LINE_UP, APP_DPDK,
	  "the application runs its main loop: EAL came up", { CAUSE_NONE }, 0, NULL },
	{ "checking link statuses", NULL, LINE_UP, APP_DPDK,
	  "the application is running: EAL came up", { CAUSE_NONE }, 0, NULL },
	/* ---- generic: an errno alone ----------------------------------- */
	{ "cause:", NULL, LINE_OTHER, APP_DPDK,
	  "the application exits", { CAUSE_NONE }, 0, NULL },
	{ "errno 12", NULL, LINE_FAIL, APP_UNKNOWN, "a call failed with ENOMEM",
	  { CAUSE_NONE }, 0, NULL },
	{ "errno 24", NULL, LINE_FAIL, APP_UNKNOWN, "a call failed with EMFILE",
	  { CAUSE_RLIMIT_NOFILE }, 0, NULL },
	{ "too many open files", NULL, LINE_FAIL, APP_UNKNOWN,
	  "a call failed with EMFILE: out of file descriptors",
	  { CAUSE_RLIMIT_NOFILE }, 0, NULL },
	{ "cannot allocate memory", NULL, LINE_FAIL, APP_UNKNOWN,
	  "a call failed with ENOMEM", { CAUSE_NONE }, 0, NULL },
};

const size_t explain_nr_patterns = sizeof(explain_patterns) / sizeof(explain_patterns[0]);

void explain_normalize(const char *line, char *buf, size_t size)
{
	size_t n = 0;
	bool blank = true;	/* leading blanks go too */

	if (!size)
		return;
	for (const char *p = line; *p && n + 1 < size; p++) {
		unsigned char c = (unsigned char)*p;

		if (isspace(c)) {
			if (!blank)
				buf[n++] = ' ';
			blank = true;
			continue;
		}
		blank = false;
		buf[n++] = (char)tolower(c);
	}
	while (n && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
}

/* The messages of strerror(3) that hugepage failures print, and the
 * numbers some programs print instead. */
static const struct {
	const char *text;
	int err;
} errtexts[] = {
	{ "cannot allocate memory", ENOMEM },
	{ "out of memory", ENOMEM },
	{ "too many open files", EMFILE },
	{ "permission denied", EACCES },
	{ "operation not permitted", EPERM },
	{ "no space left on device", ENOSPC },
	{ "read-only file system", EROFS },
	{ "invalid argument", EINVAL },
	{ "bad address", EFAULT },
	{ "resource temporarily unavailable", EAGAIN },
	{ "no such file or directory", ENOENT },
	{ "file exists", EEXIST },
};

int explain_errno(const char *norm)
{
	static const char *const numbered[] = {
		"errno = ", "error = ", "errno ", "error ", "errno: ", "errno=",
	};

	for (size_t i = 0; i < sizeof(errtexts) / sizeof(errtexts[0]); i++)
		if (strstr(norm, errtexts[i].text))
			return errtexts[i].err;
	for (size_t i = 0; i < sizeof(numbered) / sizeof(numbered[0]); i++) {
		const char *p = strstr(norm, numbered[i]);

		if (p) {
			p += strlen(numbered[i]);
			if (isdigit((unsigned char)*p)) {
				long v = strtol(p, NULL, 10);

				if (v > 0 && v < 200)
					return (int)v;
			}
		}
	}
	return 0;
}

static size_t put(enum cause *out, const enum cause *list, size_t n)
{
	memcpy(out, list, n * sizeof(*list));
	return n;
}

#define PUT(...) do { \
	static const enum cause l_[] = { __VA_ARGS__ }; \
	return put(out, l_, sizeof(l_) / sizeof(l_[0])); \
} while (0)

size_t explain_errno_causes(int err, const char *call, enum cause *out)
{
	bool shm = call && !strcmp(call, "shmget");
	bool open = call && (!strcmp(call, "open") || !strcmp(call, "memfd_create"));

	switch (err) {
	case EMFILE:
	case ENFILE:
		PUT(CAUSE_RLIMIT_NOFILE);
	case EACCES:
	case EROFS:
		if (shm)
			PUT(CAUSE_RLIMIT_MEMLOCK);
		PUT(CAUSE_MOUNT_PERMISSION);
	case EPERM:
		if (open)
			PUT(CAUSE_MOUNT_PERMISSION);
		if (shm)
			PUT(CAUSE_RLIMIT_MEMLOCK);
		PUT(CAUSE_RLIMIT_MEMLOCK, CAUSE_MOUNT_PERMISSION);
	case ENOSPC:
		if (shm)
			PUT(CAUSE_SHM_LIMIT);
		PUT(CAUSE_MOUNT_QUOTA);
	case EINVAL:
		if (shm)
			PUT(CAUSE_SHM_LIMIT);
		return 0;
	case EFAULT:
		/* madvise(MADV_POPULATE_WRITE) of a page the kernel refused. */
		PUT(CAUSE_CGROUP_HUGETLB_LIMIT, CAUSE_POOL_EXHAUSTED);
	case ENOMEM:
		/* VFIO's DMA map pins the pages: RLIMIT_MEMLOCK. */
		if (call && !strcmp(call, "ioctl"))
			PUT(CAUSE_RLIMIT_MEMLOCK);
		if (shm)
			PUT(CAUSE_POOL_EXHAUSTED, CAUSE_NO_POOL, CAUSE_SHM_LIMIT);
		if (call && !strcmp(call, "memfd_create"))
			PUT(CAUSE_POOL_EXHAUSTED);
		PUT(CAUSE_POOL_EXHAUSTED, CAUSE_MOUNT_QUOTA, CAUSE_MAP_COUNT_LIMIT,
		    CAUSE_CGROUP_HUGETLB_LIMIT, CAUSE_RLIMIT_AS, CAUSE_NO_POOL,
		    CAUSE_RLIMIT_DATA);
	default:
		return 0;
	}
}

/* The flags argument of an strace mmap line: "PROT_...", "MAP_...". */
static size_t mmap_causes(const char *args, enum cause *out)
{
	if (strstr(args, "MAP_HUGETLB"))
		PUT(MAPPING_CAUSES);
	if (strstr(args, "PROT_NONE") && strstr(args, "MAP_ANONYMOUS"))
		PUT(VA_CAUSES);
	/* A page file mapped where the kernel chooses is DPDK's legacy
	 * first pass over the whole pool; since 18.05 the dynamic mode
	 * maps each page MAP_FIXED into its reserved lists. */
	if (strstr(args, "MAP_SHARED") && !strstr(args, "MAP_ANONYMOUS") &&
	    strstr(args, "MAP_POPULATE") && !strstr(args, "MAP_FIXED"))
		PUT(LEGACY_MMAP_CAUSES);
	if (strstr(args, "MAP_SHARED") && !strstr(args, "MAP_ANONYMOUS"))
		PUT(FILE_MMAP_CAUSES);
	return explain_errno_causes(ENOMEM, "mmap", out);
}

static const struct {
	const char *name;
	int err;
} errnames[] = {
	{ "ENOMEM", ENOMEM }, { "EMFILE", EMFILE }, { "ENFILE", ENFILE },
	{ "EACCES", EACCES }, { "EPERM", EPERM }, { "ENOSPC", ENOSPC },
	{ "EINVAL", EINVAL }, { "EROFS", EROFS }, { "EFAULT", EFAULT },
};

/* strace: "[pid N] call(args) = -1 ERRNO (text)", "--- SIGBUS {...} ---",
 * "+++ killed by SIGBUS +++". */
bool explain_match_strace(const char *line, struct log_event *ev, char *callbuf,
			  size_t size)
{
	const char *p = line, *ret;
	char call[32], err[16];
	size_t len;
	int e = 0;

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
	if (!strncmp(p, "--- SIGBUS", 10) || !strncmp(p, "+++ killed by SIGBUS", 20)) {
		static const enum cause c[] = { SIGBUS_CAUSES };

		ev->what = "the process got SIGBUS: a page was refused at fault time";
		ev->kind = p[0] == '+' ? LINE_FAIL : LINE_SOFT;
		ev->sig = 7;
		ev->flags = PAT_SIGBUS;
		ev->nr_causes = put(ev->causes, c, sizeof(c) / sizeof(c[0]));
		snprintf(callbuf, size, "%s", "fault");
		return true;
	}
	len = strspn(p, "abcdefghijklmnopqrstuvwxyz_0123456789");
	if (!len || len >= sizeof(call) || p[len] != '(')
		return false;
	memcpy(call, p, len);
	call[len] = '\0';
	ret = strstr(p, ") = -1 ");
	if (!ret || sscanf(ret + 7, "%15[A-Z]", err) != 1)
		return false;
	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (!strcmp(err, errnames[i].name))
			e = errnames[i].err;
	if (!e)
		return false;
	/* mmap2, openat, fallocate64 ... are the same calls. */
	if (!strcmp(call, "mmap2"))
		call[4] = '\0';
	else if (!strcmp(call, "openat") || !strcmp(call, "open64"))
		snprintf(call, sizeof(call), "open");
	if (strcmp(call, "mmap") && strcmp(call, "open") && strcmp(call, "shmget") &&
	    strcmp(call, "memfd_create") && strcmp(call, "ftruncate") &&
	    strcmp(call, "fallocate") && strcmp(call, "shmat") && strcmp(call, "madvise") &&
	    strcmp(call, "mlock"))
		return false;
	/* open(2) of a file that does not exist is how programs probe. */
	if (e == EINVAL && strcmp(call, "shmget"))
		return false;
	snprintf(callbuf, size, "%s", call);
	ev->err = e;
	ev->kind = LINE_SOFT;
	ev->flags = PAT_MEMORY;
	if (!strcmp(call, "mmap") && e == ENOMEM) {
		ev->what = "mmap failed with ENOMEM";
		ev->nr_causes = mmap_causes(p, ev->causes);
	} else {
		ev->what = e == ENOMEM ? "a call failed with ENOMEM" :
			   e == EMFILE ? "a call failed with EMFILE: out of file descriptors" :
			   e == EACCES || e == EPERM || e == EROFS ?
			   "a call was refused permission" :
			   e == ENOSPC ? "a call found no space left" :
			   "a memory call failed";
		ev->nr_causes = explain_errno_causes(e, call, ev->causes);
	}
	return true;
}
