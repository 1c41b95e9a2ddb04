/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model.h - how each hugepage consumer maps memory, as numbers: DPDK's
 * memseg lists, page files, fbarrays and VA reservations (22.11, and the
 * pre-18.05 legacy sequence), PostgreSQL's one MAP_HUGETLB mapping and a
 * JVM's SHM_HUGETLB segment.  Pure computation from the snapshot and the
 * workload: no I/O.
 */
#ifndef HPDIAG_MODEL_H
#define HPDIAG_MODEL_H

#include <stdbool.h>
#include <stdint.h>

enum mode {
	MODE_DYNAMIC,		/* DPDK default: one file and one fd per page */
	MODE_LEGACY,		/* --legacy-mem: every free page mapped first */
	MODE_SINGLE_FILE,	/* --single-file-segments: one file per list */
	MODE_IN_MEMORY,		/* --in-memory: memfd, no files, no shared config */
	MODE_ANON,		/* one mmap(MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB) */
	MODE_SHM,		/* shmget(SHM_HUGETLB) */
	MODE_COUNT
};

/* DPDK's build constants (Debian's 22.11 rte_config.h). */
#define DPDK_MAX_MEMSEG_LISTS		128
#define DPDK_MAX_MEMSEG_PER_LIST	8192
#define DPDK_MAX_MEM_MB_PER_LIST	32768
#define DPDK_MAX_MEMSEG_PER_TYPE	32768
#define DPDK_MAX_MEM_MB_PER_TYPE	65536
#define DPDK_MAX_MEM_MB			524288
#define DPDK_MAX_HUGEPAGE_SIZES		3
/* The shared config (0x7000) and the memzone fbarray (0x2e000). */
#define DPDK_CONFIG_VA			0x35000ULL

/*
 * Baselines, measured on Debian 12 with DPDK 22.11.11: `dpdk-testpmd
 * --no-huge -m 64 -l 0-1 --no-pci --vdev net_null0 -- -i` held 1064 VMAs
 * (--no-huge adds 4), VmSize 174.6 MiB of which 64 MiB is its --no-huge
 * memory, VmData 51.1 MiB; EAL loads every driver plug-in (198 shared
 * objects), so the libraries dominate.  With hugepages and -m 64 the same
 * testpmd held 52 fds: 32 page files, config, memzone and 4 list fbarrays,
 * so 14 before memory init.
 */
#define DEFAULT_BASELINE_VMAS	1060
#define DEFAULT_BASELINE_FDS	14
#define DEFAULT_BASELINE_VA	(110ULL << 20)
#define DEFAULT_BASELINE_DATA	(51ULL << 20)
/*
 * DPDK 16.04 applications were linked statically: seed 000's l2fwd mapped
 * 3061 pages under vm.max_map_count = 3096, so it held about 35 VMAs.
 */
#define DEFAULT_BASELINE_VMAS_STATIC	35
#define DEFAULT_BASELINE_FDS_STATIC	4
/* A PostgreSQL backend or a JVM: far fewer libraries than DPDK. */
#define DEFAULT_BASELINE_VMAS_OTHER	200

const char *mode_name(enum mode m);
int mode_parse(const char *s, enum mode *m);
bool mode_is_dpdk(enum mode m);
/* "22.11" -> 2211; returns -EINVAL for anything else. */
int dpdk_version_parse(const char *s, unsigned *v);

/* One memseg list type (a page size on a node). */
struct memseg_type {
	uint64_t page_size;
	unsigned node;
	uint64_t n_segs;		/* pages one list holds */
	uint64_t n_lists;
	uint64_t list_va;		/* bytes one list reserves */
	uint64_t fbarray_bytes;		/* one list's fbarray */
};

#define MODEL_MAX_TYPES ((size_t)DPDK_MAX_HUGEPAGE_SIZES * 64)

struct memseg_layout {
	struct memseg_type types[MODEL_MAX_TYPES];
	size_t nr_types;
	uint64_t lists;			/* L */
	uint64_t va_bytes;		/* lists + fbarrays + config */
	bool too_many_types;		/* RTE_MAX_MEMSEG_LISTS exceeded */
};

/*
 * DPDK 22.11's memseg lists for these page sizes on these nodes (the nodes
 * that have CPUs): per type min(64 GiB, 512 GiB / types), split in lists of
 * at most 8192 pages and 32 GiB.
 */
void memseg_layout(const uint64_t *sizes, size_t nr_sizes, size_t nr_nodes,
		   const unsigned *nodes, struct memseg_layout *out);

#endif /* HPDIAG_MODEL_H */
