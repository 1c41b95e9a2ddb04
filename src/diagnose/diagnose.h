/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diagnose.h - `check`'s diagnosis: the snapshot and the workload's need in,
 * findings out, one ordered table of rules, the failure the application
 * meets first marked.  Pure: no I/O, so every rule is unit-tested from
 * fixture snapshots.
 */
#ifndef HPDIAG_DIAGNOSE_H
#define HPDIAG_DIAGNOSE_H

#include <stdbool.h>
#include <stdint.h>

#include "diagnose/finding.h"
#include "model/need.h"

/* Pools that leave less than this share of RAM to the kernel starve it. */
#define STARVE_PERCENT		10

/* Every rule over (snapshot, need): 0, or -ENOMEM. */
int diagnose_check(const struct snapshot *snap, const struct need *need,
		   struct findings *fs);
/* Would pools GROW bytes larger than now leave the kernel too little? */
bool pools_starve(const struct snapshot *snap, uint64_t grow);
/* vm.max_map_count for NEED VMAs with headroom, never below the default. */
uint64_t suggest_max_map_count(uint64_t need);

#endif /* HPDIAG_DIAGNOSE_H */
