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

#include "hpdiag.h"

/*
 * Measured on Debian 12 with DPDK 22.11: `dpdk-testpmd --no-huge -l 0-1
 * --no-pci --vdev net_null0 -- -i` holds 1064 VMAs (991 of them from 198
 * shared objects: EAL loads every driver plug-in) and 20 fds; --no-huge adds
 * 4 of each.  The man page says how to measure your own.
 */
#define DEFAULT_BASELINE_VMAS	1060
#define DEFAULT_BASELINE_FDS	16
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
};

struct need {
	uint64_t page_size;
	uint64_t pages;
	bool pages_default;		/* nothing asked: at least one page */
	uint64_t pages_per_node[MAX_SOCKETS];
	size_t nr_nodes;		/* entries used in pages_per_node */
	uint64_t baseline_vmas;
	const char *baseline_vmas_from;	/* "--baseline-vmas", "--pid", "default" */
	uint64_t vmas;
	uint64_t baseline_fds;
	uint64_t fds;
};

enum evidence_type { EV_NUM, EV_STR, EV_NULL };

struct evidence {
	const char *key;
	enum evidence_type type;
	uint64_t num;
	char *str;
};

#define FINDING_MAX_EVIDENCE 12

struct finding {
	const char *check;		/* stable id */
	enum hp_status status;
	const char *cause;		/* DESIGN.md vocabulary, or NULL */
	char *message;
	char *remedy;			/* NULL when there is nothing to do */
	struct evidence ev[FINDING_MAX_EVIDENCE];
	size_t nr_ev;
};

struct findings {
	struct finding *v;
	size_t n;
};

int workload_need(const struct snapshot *snap, const struct workload *wl,
		  struct need *need);
int diagnose_check(const struct snapshot *snap, const struct workload *wl,
		   const struct need *need, struct findings *fs);
enum hp_status findings_verdict(const struct findings *fs);
void findings_free(struct findings *fs);
const char *status_name(enum hp_status st);
/* The finding with this check id, or NULL (for tests and callers). */
const struct finding *findings_get(const struct findings *fs, const char *check);
const struct evidence *finding_evidence(const struct finding *f, const char *key);

#endif /* HPDIAG_DIAGNOSE_H */
