/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * need.h - how each hugepage consumer maps memory, as numbers: DPDK's
 * memseg lists, page files, fbarrays and VA reservations (22.11, and the
 * pre-18.05 legacy sequence), PostgreSQL's one MAP_HUGETLB mapping and a
 * JVM's SHM_HUGETLB segment; and where the application's pages live.  Pure
 * computation from the snapshot and the workload: no I/O.
 */
#ifndef HPDIAG_MODEL_NEED_H
#define HPDIAG_MODEL_NEED_H

#include <stdbool.h>
#include <stdint.h>

#include "model/workload.h"
#include "probe/snapshot.h"

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
/*
 * DPDK 16.04 applications were linked statically: the l2fwd of
 * tests/fixtures/seed-000 (field report 000 in the README) mapped
 * 3061 pages under vm.max_map_count = 3096, so it held about 35 VMAs.
 */
#define DEFAULT_BASELINE_VMAS_STATIC	35
#define DEFAULT_BASELINE_FDS_STATIC	4
/* A PostgreSQL backend or a JVM: far fewer libraries than DPDK. */
#define DEFAULT_BASELINE_VMAS_OTHER	200

#define NEED_MAX_SIZES DPDK_MAX_HUGEPAGE_SIZES

/* The pages of one size the workload takes, and where their files live. */
struct need_size {
	uint64_t page_size;
	uint64_t pages;			/* kept after init */
	uint64_t pages_per_node[MAX_SOCKETS];
	size_t nr_nodes;		/* entries used in pages_per_node */
	uint64_t lists;			/* DPDK memseg lists of this size */
	uint64_t list_va;		/* bytes one of them reserves */
	uint64_t n_segs;		/* pages one of them holds */
	/* The page files its pages take in the mount, an inode each: one per
	 * page, one per list that holds pages with --single-file-segments,
	 * none without files (measured with dpdk-test against nr_inodes=). */
	uint64_t files;
	const struct mount *mount;	/* its hugetlbfs mount, or NULL */
	const char *app_dir;		/* --huge-dir, or the mount's path, or NULL */
	/* Stale "*map_*" files a DPDK primary deletes at start, taking their
	 * pages: its own to take. */
	uint64_t reclaim_pages;
	uint64_t reclaim_files;
	/* Pages the running instance (--pid, --file-prefix) holds already:
	 * its own again after a restart. */
	uint64_t held_pages;
	uint64_t held_files;
};

/*
 * The program's own private writable memory - what RLIMIT_DATA counts
 * (VmData) - in the order the program takes it: the kernel maps its own
 * .data and .bss, the loader the writable segments of the objects it
 * starts with (then makes their RELRO part read-only), it loads its
 * plug-ins, its start-up allocations, the stacks of its threads, and the
 * private allocations the model knows of (DPDK's fd tables).  Measured on
 * Debian 12 with DPDK 22.11.11: dpdk-test, dpdk-testpmd (see need-data.c).
 */
struct need_data {
	bool known;			/* else no program and no default fits */
	const char *from;		/* "program", "--pid", or the default's words */
	const char *program;		/* the file read, or NULL */
	const char *app;		/* the recogniser ("dpdk"), or NULL */
	const char *app_why;		/* by what it recognised it */
	uint64_t objects;		/* the program and what starts with it */
	uint64_t runtime_objects;	/* loaded later (plug-ins) */
	const char *plugin_dir;
	uint64_t own;			/* the program's .data and .bss */
	uint64_t libraries;		/* the other objects of the start */
	uint64_t relro;			/* of these, read-only once relocated */
	uint64_t runtime;		/* the plug-ins and what they need */
	uint64_t tls;			/* thread-local storage of one thread */
	uint64_t heap;			/* start-up allocations (measured) */
	uint64_t model;			/* private allocations of the model */
	uint64_t stack;			/* bytes of one thread stack */
	uint64_t early_threads;		/* before the memory init (DPDK: the
					   interrupt and multi-process threads) */
	uint64_t late_threads;		/* after it (workers, telemetry) */
	uint64_t optional_threads;	/* started if they can be, else not */
	/* The peaks, in order: what the loader maps, then the plug-ins,
	 * then up to the memory init, then in all. */
	uint64_t at_load, at_plugins, at_memory, total;
	uint64_t va_load;		/* address space the start maps */
};

/* What the workload needs. */
struct need {
	enum mode mode;
	unsigned dpdk_version;
	uint64_t page_size;		/* of sizes[0], the largest taken */
	uint64_t pages;			/* of every size */
	bool pages_default;		/* nothing asked: at least one page */
	/* The sizes it takes pages of: one, unless DPDK spreads -m over
	 * every mounted size, largest first. */
	struct need_size sizes[NEED_MAX_SIZES];
	size_t nr_sizes;
	bool page_size_conflict;	/* --page-size is not --huge-dir's mount's */
	uint64_t pool_pages;		/* taken at the peak (legacy: all free) */
	uint64_t legacy_free;		/* legacy phase 1: free pages mapped */
	uint64_t lists;			/* DPDK memseg lists */
	uint64_t list_va;		/* bytes one list of page_size reserves */
	bool too_many_types;
	uint64_t baseline_vmas;
	const char *baseline_vmas_from;
	uint64_t vmas_before_pages;	/* baseline + config + list reservations */
	uint64_t vmas;			/* peak */
	uint64_t baseline_fds;
	uint64_t fds_before_pages;
	uint64_t fds;			/* peak */
	bool raises_nofile;		/* DPDK sets soft RLIMIT_NOFILE to hard */
	uint64_t baseline_va;
	uint64_t va_bytes;		/* VmSize at the peak: RLIMIT_AS */
	uint64_t data_bytes;		/* private writable: RLIMIT_DATA */
	struct need_data data;		/* its parts (need-data.c) */
	uint64_t locked_bytes;		/* RLIMIT_MEMLOCK */
	bool vfio_dma;			/* DPDK pins its pages for DMA via VFIO */
	uint64_t dma_bytes;		/* the pages it pins, of every size */
	bool memlock_exempt;		/* CAP_IPC_LOCK: nothing is charged */
	uint64_t shm_bytes;		/* shmget size */
	const char *huge_dir;		/* --huge-dir as given, or NULL */
	/* The running instance, when one is named: its pages are its own. */
	pid_t instance_pid;
	const char *file_prefix;
	uint64_t held_pages;		/* of every size */
	/* The application's model (other than DPDK's), or NULL. */
	const struct app_model *app;
	/* QEMU (need-qemu.c): when its pages are taken, and what it runs
	 * on without them. */
	bool late_fault;		/* a backend neither reserves (reserve=off)
					   nor preallocates: pages short kill
					   the guest later, by SIGBUS */
	bool prealloc;			/* every page touched at start */
	const char *unhuge_path;	/* a file backend's mem-path that is not
					   on hugetlbfs: 4 KiB pages there */
	uint64_t unhuge_bytes;		/* the RAM of such backends */
	const char *config_error;	/* what the application refuses
					   before any memory (QEMU's
					   command line, OVS's EAL
					   options), or NULL */
	char config_text[96];		/* config_error's text when the need
					   makes it (a memfd not a multiple
					   of the default hugepage size) */
	const char *missing_path;	/* a file backend's mem-path whose
					   directory does not exist: QEMU
					   cannot open its backing store */
};

/* need-data.c: the program's own data and address space, from its ELF
 * (wl->program), a running process (--pid) or the measured default. */
void need_program(const struct snapshot *snap, const struct workload *wl,
		  struct need *need);
/* The peaks and data_bytes, once need->data.model is known. */
void need_data_total(struct need *need);

/* The need of WL on this host: 0, or -ENOMEM. */
int need_compute(const struct snapshot *snap, const struct workload *wl,
		 struct need *need);
/* sizes.c: the sizes and pages the workload takes (need->sizes), where
 * their files live, and its page size (need->page_size). */
int need_sizes(const struct snapshot *snap, const struct workload *wl,
	       struct need *need);
/* need-qemu.c: QEMU's backends (wl->qemu) as sizes, pages and files. */
void need_qemu(const struct snapshot *snap, const struct workload *wl,
	       struct need *need);
/* The hugetlbfs mount DIR is on (the longest mount point that is DIR or
 * one of its parents), or NULL. */
const struct mount *need_mount_of_dir(const struct snapshot *snap, const char *dir);
/* Whether a DPDK primary of this need deletes the stale file MF (of M) at
 * start and takes its pages (M's users known: snap->procs_scanned). */
bool need_reclaims(const struct need *need, const struct mount *m,
		   const struct mount_file *mf);
/* The need's entry for page size PS, or NULL. */
const struct need_size *need_size_of(const struct need *need, uint64_t ps);
/* CAP_IPC_LOCK, or membership of vm.hugetlb_shm_group. */
bool shm_privileged(const struct snapshot *snap);
/* CAP_IPC_LOCK (without the capabilities known: uid 0), with which the
 * kernel charges nothing the process locks or pins to RLIMIT_MEMLOCK. */
bool memlock_exempt(const struct snapshot *snap);
/* Where hpdiag (and its remedies) mount hugetlbfs for a page size PS when
 * DEF is the kernel's default size: /dev/hugepages, else /dev/hugepages-1G. */
void default_mount_path(uint64_t ps, uint64_t def, char *buf, size_t size);
/*
 * The hugepage user whose page file PATH (in a hugetlbfs mount) is named
 * as - one that makes the file again when it starts, so that removing it
 * stale loses nothing: "DPDK or SPDK" for "*map_*", "QEMU" for
 * "qemu_back_mem.*" and what libvirt keeps under ".../libvirt/qemu/".
 * NULL for any other name.
 */
const char *page_file_owner(const char *path);
/* The place to mount pages of size PS when the default one is taken (not
 * empty, or another filesystem's mount point): /mnt/huge-2M. */
void spare_mount_path(uint64_t ps, char *buf, size_t size);
/* The directories a mount for WL's pages could go on, for probe_dirs():
 * --huge-dir, the default and spare place of each size, and QEMU's file
 * backends' mem-paths with the directory each is in (need-qemu.c tells
 * a missing one).  Their number (at most MAX); BUFS holds their text. */
#define CANDIDATE_TEXT	256
size_t mount_candidates(const struct snapshot *snap, const struct workload *wl,
			const char **paths, char (*bufs)[CANDIDATE_TEXT], size_t max);

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

#endif /* HPDIAG_MODEL_NEED_H */
