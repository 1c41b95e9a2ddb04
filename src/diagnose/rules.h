/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rules.h - shared by the rule files of the diagnosis only: the rules of
 * check's table (check.c runs them in order) and the helpers they build
 * their findings with.  Everything here is pure.
 */
#ifndef HPDIAG_DIAGNOSE_RULES_H
#define HPDIAG_DIAGNOSE_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "diagnose/diagnose.h"
#include "diagnose/remedy.h"

/* When the application meets each limit, in DPDK's order (see check.c). */
enum stage {
	STAGE_LOAD = 1,		/* the program itself: execve, the loader,
				   its plug-ins and first threads */
	STAGE_DISCOVER,
	STAGE_RESERVE,
	STAGE_LEGACY_MAP,
	STAGE_COUNT,
	STAGE_PAGES,
	STAGE_LATE,		/* threads started after the memory init */
	STAGE_DEVICES,
};

/* Whether the workload takes pages of its I-th size (a size DPDK sets
 * lists up for but takes no page of has nothing to check). */
static inline bool dg_takes(const struct need *need, size_t i)
{
	return need->nr_sizes == 1 || need->sizes[i].pages;
}

/* A limit within 10% of the need is tight. */
bool dg_tight(uint64_t need, uint64_t limit);
/* When the application meets a failure: the stage, then the room left. */
void dg_set_order(struct finding *f, enum stage st, uint64_t room);

typedef void rule_fn(const struct snapshot *snap, const struct need *need,
		     struct findings *fs);

rule_fn rule_pool, rule_node_pool, rule_growth;		/* rule-pool.c */
rule_fn rule_mount, rule_mount_quota, rule_stale;	/* rule-mount.c */
rule_fn rule_va, rule_data, rule_shm, rule_map_count,	/* rule-limits.c */
	rule_nofile;
rule_fn rule_cgroup;					/* rule-cgroup.c */
rule_fn rule_starve;					/* rule-host.c */
rule_fn rule_boot_pools;				/* rule-boot.c */
rule_fn rule_vfio_memlock;				/* rule-vfio.c */
rule_fn rule_qemu;					/* rule-qemu.c */
/* rule-app.c: false (with its one finding) when the application of the
 * command line takes no hugepages; then, after the rules, what it does:
 * a fallback turns the failures it survives into a degraded start. */
bool app_takes_hugepages(const struct snapshot *snap, const struct need *need,
			 struct findings *fs);
/* A model that takes transparent huge pages, on a host whose THP is off. */
bool app_thp_off(const struct snapshot *snap, const struct app_model *m);
void app_outcome(const struct snapshot *snap, const struct need *need, struct findings *fs);
/* rule-qemu.c: a QEMU that starts with RAM off hugetlbfs starts degraded. */
void qemu_outcome(const struct need *need, struct findings *fs);

#endif /* HPDIAG_DIAGNOSE_RULES_H */
