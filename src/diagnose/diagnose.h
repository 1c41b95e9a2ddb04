/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diagnose.h - the workload a user describes, what it needs, and the
 * findings: pure functions of (snapshot, workload), no I/O, so every rule is
 * unit-tested from fixture snapshots.
 */
#ifndef HPDIAG_DIAGNOSE_H
#define HPDIAG_DIAGNOSE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe/snapshot.h"
#include "model/model.h"

#define MAX_SOCKETS		64

enum hp_status { HP_PASS, HP_WARN, HP_FAIL };

struct workload {
	uint64_t page_size;		/* 0: the kernel's default size */
	uint64_t pages;			/* -n */
	uint64_t mem_bytes;		/* -m MB */
	bool have_pages;
	bool have_mem;
	uint64_t socket_mem[MAX_SOCKETS];	/* MiB per node */
	size_t nr_socket_mem;
	const char *huge_dir;
	uint64_t baseline_vmas;
	bool have_baseline_vmas;
	pid_t pid;
	enum mode mode;			/* default: dynamic */
	unsigned dpdk_version;		/* 2211 for 22.11; 0: the default */
	int node;			/* --node: every page there; -1: none */
	bool have_node;
};

/* What the workload needs, from model.c. */
struct need {
	enum mode mode;
	unsigned dpdk_version;
	uint64_t page_size;
	uint64_t pages;			/* kept after init */
	bool pages_default;		/* nothing asked: at least one page */
	uint64_t pages_per_node[MAX_SOCKETS];
	size_t nr_nodes;		/* entries used in pages_per_node */
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
	uint64_t baseline_data;
	uint64_t data_bytes;		/* private writable: RLIMIT_DATA */
	uint64_t locked_bytes;		/* RLIMIT_MEMLOCK */
	uint64_t shm_bytes;		/* shmget size */
};

enum evidence_type { EV_NUM, EV_STR, EV_NULL };

struct evidence {
	const char *key;
	enum evidence_type type;
	uint64_t num;
	char *str;
};

#define FINDING_MAX_EVIDENCE 16

struct finding {
	const char *check;		/* stable id */
	enum hp_status status;
	const char *cause;		/* DESIGN.md vocabulary, or NULL */
	uint64_t order;			/* when the application hits it */
	bool first;			/* the failure the application reports */
	char *message;
	char *remedy;			/* NULL when there is nothing to do */
	struct evidence ev[FINDING_MAX_EVIDENCE];
	size_t nr_ev;
};

struct findings {
	struct finding *v;
	size_t n;
};

/* model.c */
int workload_need(const struct snapshot *snap, const struct workload *wl,
		  struct need *need);
bool snap_has_pool(const struct snapshot *snap, uint64_t page_size);
bool shm_privileged(const struct snapshot *snap);
int diagnose_check(const struct snapshot *snap, const struct workload *wl,
		   const struct need *need, struct findings *fs);
/* Pages of stale "*map_*" files a DPDK primary deletes at start. */
uint64_t dpdk_reclaimable(const struct snapshot *snap, const struct workload *wl,
			  uint64_t ps, uint64_t *files);
/* Where hpdiag (and its remedies) mount hugetlbfs for a page size PS when
 * DEF is the kernel's default size: /dev/hugepages, else /dev/hugepages-1G. */
void default_mount_path(uint64_t ps, uint64_t def, char *buf, size_t size);
/* Pools that leave less than this share of RAM to the kernel starve it. */
#define STARVE_PERCENT		10
/* The remedy lines for RLIMIT_NOFILE of WANT fds (never lowers a limit). */
void remedy_nofile(struct finding *f, const struct snapshot *snap, uint64_t want);
/* vm.max_map_count for NEED VMAs with headroom, never below the default. */
uint64_t suggest_max_map_count(uint64_t need);
/* For other modules that report findings (explain). */
struct finding *finding_add(struct findings *fs, const char *check,
			    enum hp_status st, const char *cause,
			    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void finding_remedy(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void finding_num(struct finding *f, const char *key, uint64_t v);
void finding_str(struct finding *f, const char *key, const char *s);
enum hp_status findings_verdict(const struct findings *fs);
void findings_free(struct findings *fs);
const char *status_name(enum hp_status st);
/* The finding with this check id, or NULL (for tests and callers). */
const struct finding *findings_get(const struct findings *fs, const char *check);
const struct evidence *finding_evidence(const struct finding *f, const char *key);

#endif /* HPDIAG_DIAGNOSE_H */
