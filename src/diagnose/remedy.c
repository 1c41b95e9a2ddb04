// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * remedy.c - the remedies several kinds of finding share (see remedy.h).
 */
#include <inttypes.h>
#include <stdio.h>

#include "diagnose/diagnose.h"
#include "diagnose/remedy.h"
#include "lib/pathnames.h"

void remedy_map_count(struct finding *f, uint64_t limit, uint64_t vmas,
		      const char *prefix, const char *suffix)
{
	uint64_t want = suggest_max_map_count(vmas);
	struct action *a;

	finding_remedy(f, "%ssysctl -w vm.max_map_count=%" PRIu64 "%s",
		       prefix ? prefix : "", want, suffix ? suffix : "");
	a = finding_action(f, ACT_SYSCTL, PATH_MAX_MAP_COUNT);
	if (a) {
		a->name = sysctl_name(SC_MAX_MAP_COUNT);
		a->from = limit;
		a->to = want;
	}
}

void remedy_rlimit_action(struct finding *f, enum rlimit_id id, uint64_t want)
{
	struct action *a = finding_action(f, ACT_RLIMIT, NULL);

	if (a) {
		a->rlimit = id;
		a->to = want;
	}
}

void remedy_nofile(struct finding *f, const struct snapshot *snap, uint64_t want)
{
	uint64_t hard = snap->lim.rlimits[RL_NOFILE].hard;

	if (hard == HP_UNLIMITED)
		finding_remedy(f, "ulimit -n %" PRIu64 " (systemd: LimitNOFILE=%"
			       PRIu64 ":infinity)", want, want);
	else if (hard >= want)
		finding_remedy(f, "ulimit -n %" PRIu64 " (systemd: LimitNOFILE=%"
			       PRIu64 ":%" PRIu64 ")", want, want, hard);
	else
		finding_remedy(f, "ulimit -Hn %" PRIu64 " && ulimit -n %" PRIu64
			       " (systemd: LimitNOFILE=%" PRIu64 ")", want, want, want);
	remedy_rlimit_action(f, RL_NOFILE, want);
}

void remedy_rlimit_as(struct finding *f)
{
	finding_remedy(f, "ulimit -v unlimited (systemd: LimitAS=infinity)");
	remedy_rlimit_action(f, RL_AS, HP_UNLIMITED);
}

void remedy_rlimit_data(struct finding *f, uint64_t need)
{
	/* A tenth more, in whole MiB: ulimit -d counts KiB. */
	uint64_t want = hp_div_up(hp_sat_add(need, need / 10), 1ULL << 20) << 20;

	finding_remedy(f, "ulimit -d unlimited, or at least ulimit -d %" PRIu64
		       " (systemd: LimitDATA=infinity, or at least LimitDATA=%" PRIu64 "M)",
		       want >> 10, want >> 20);
	remedy_rlimit_action(f, RL_DATA, HP_UNLIMITED);
}
