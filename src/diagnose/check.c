// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check.c - turns (snapshot, need) into findings: the ordered table of
 * rules, and the failure the application meets first.  Pure: no I/O, no
 * globals.  Each finding carries a message a person can act on, its
 * numbers as evidence, and the remedy that clears it.
 */
#include <errno.h>
#include <string.h>

#include "diagnose/rules.h"

/* In the order of the report. */
static rule_fn *const rules[] = {
	rule_pool,
	rule_node_pool,
	rule_qemu,
	rule_mount,
	rule_mount_quota,
	rule_va,
	rule_data,
	rule_shm,
	rule_vfio_memlock,
	rule_map_count,
	rule_nofile,
	rule_cgroup,
	rule_stale,
	rule_starve,
	rule_growth,
	rule_boot_pools,
};

/* The rules of the pages themselves, with nothing to check when QEMU's
 * file backends are all off hugetlbfs (rule-qemu.c says so). */
static bool skipped(const struct need *need, rule_fn *r)
{
	return need->mode == MODE_QEMU && !need->pages &&
	       (need->unhuge_path || need->missing_path) &&
	       (r == rule_pool || r == rule_node_pool || r == rule_mount ||
		r == rule_mount_quota || r == rule_cgroup || r == rule_growth);
}

/* The application stops at its options before it maps anything (QEMU
 * 7.2's option errors, model/app-qemu.c; OVS's EAL options that EAL
 * refuses, model/ovs.c): that alone is the answer, no limit of the host
 * is met.  The cause vocabulary has no word for a command line: unknown. */
static void refused(const struct need *need, struct findings *fs)
{
	const char *what = need->app && need->app->what ? need->app->what : "the application";
	struct finding *f;

	f = finding_add(fs, CHECK_APPLICATION, HP_FAIL, CAUSE_UNKNOWN, "%s stops at its "
			"options before it maps anything: \"%s\"", what,
			need->config_error);
	if (!f)
		return;
	finding_str(f, "error", need->config_error);
	finding_note(f, "fix the option it names; no hugepage is taken");
	f->first = true;
	fs->outcome = RUN_FAIL;
}

int diagnose_check(const struct snapshot *snap, const struct need *need,
		   struct findings *fs)
{
	struct finding *first = NULL;

	memset(fs, 0, sizeof(*fs));
	/* A command line the application refuses: nothing is mapped. */
	if (need->config_error) {
		refused(need, fs);
		return findings_complete(fs) ? 0 : -ENOMEM;
	}
	/* An application that takes no hugepages has nothing to check. */
	if (!app_takes_hugepages(snap, need, fs))
		return findings_complete(fs) ? 0 : -ENOMEM;
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!skipped(need, rules[i]))
			rules[i](snap, need, fs);
	app_outcome(snap, need, fs);
	if (!findings_complete(fs))
		return -ENOMEM;
	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].status == HP_FAIL &&
		    (!first || fs->v[i].order < first->order))
			first = &fs->v[i];
	/* Of several failures, the one the application meets first. */
	if (first)
		first->first = true;
	return 0;
}
