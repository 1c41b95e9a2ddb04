/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diagnose-rules.h - shared by the files of the diagnosis module only:
 * the helpers every rule uses to build its finding, and the rules kept in
 * diagnose-limits.c (per-process limits) and diagnose-host.c (host-wide
 * warnings).  Everything here is pure.
 */
#ifndef HPDIAG_DIAGNOSE_RULES_H
#define HPDIAG_DIAGNOSE_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "diagnose/diagnose.h"

/* When the application meets each limit, in DPDK's order (see diagnose.c). */
enum stage {
	STAGE_DISCOVER = 1,
	STAGE_RESERVE,
	STAGE_LEGACY_MAP,
	STAGE_COUNT,
	STAGE_PAGES,
};

/* Evidence of a limit: HP_UNLIMITED becomes null in JSON. */
void dg_ev_lim(struct finding *f, const char *key, uint64_t v);
/* A limit within 10% of the need is tight. */
bool dg_tight(uint64_t need, uint64_t limit);
/* When the application meets a failure: the stage, then the room left. */
void dg_set_order(struct finding *f, enum stage st, uint64_t room);
bool dg_uses_files(enum mode m);
/* A path quoted for a shell when it needs it; sizes as "2 MiB". */
const char *dg_shq(const char *s, char *buf, size_t size);
const char *dg_sz(uint64_t bytes, char *buf, size_t size);
const char *dg_szlim(uint64_t bytes, char *buf, size_t size);
void dg_pool_dir(uint64_t ps, char *buf, size_t size);
/* The application's hugepage directory and its mount. */
const char *dg_app_dir(const struct snapshot *snap, const struct workload *wl,
		       uint64_t ps);
const struct pool_node *dg_pool_node(const struct pool *p, unsigned node);
const struct mount *dg_find_mount(const struct snapshot *snap,
				  const struct workload *wl, uint64_t ps,
				  bool *wrong_size);

/* Stale "*map_*" files DPDK deletes at start (dpdk_reclaimable()). */
struct reclaim {
	uint64_t pages;
	uint64_t files;
};

void rule_map_count(const struct snapshot *snap, const struct need *need,
		    struct findings *fs);
void rule_nofile(const struct snapshot *snap, const struct need *need,
		 struct findings *fs);
void rule_va(const struct snapshot *snap, const struct need *need,
	     struct findings *fs);
void rule_data(const struct snapshot *snap, const struct need *need,
	       struct findings *fs);
void rule_shm(const struct snapshot *snap, const struct need *need,
	      struct findings *fs);
void rule_cgroup(const struct snapshot *snap, const struct need *need,
		 struct findings *fs);
void rule_stale(const struct snapshot *snap, const struct workload *wl,
		const struct need *need, const struct reclaim *rc,
		struct findings *fs);
void rule_starve(const struct snapshot *snap, const struct need *need,
		 struct findings *fs);
void rule_growth(const struct snapshot *snap, const struct need *need,
		 struct findings *fs);

#endif /* HPDIAG_DIAGNOSE_RULES_H */
