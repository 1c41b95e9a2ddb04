// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rule-app.c - what the application of "-- COMMAND" does with what the
 * rules found (its model: model/app.h's struct app_model).  One that
 * takes no hugepages (PostgreSQL's huge_pages=off, a JVM without large
 * pages or with transparent ones) has nothing to check.  One with a
 * fallback (huge_pages=try, a JVM) survives a failure at map time: it
 * starts on base pages, a degraded start; its failures become warnings
 * that say what is lost, and it is said which of its mappings get their
 * pages (in the order it makes them).  A failure after the mapping - a
 * hugetlb cgroup that charges at fault time: SIGBUS - no fallback
 * catches.  Pure.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/remedy.h"
#include "diagnose/rules.h"
#include "lib/num.h"
#include "lib/pathnames.h"

bool app_thp_off(const struct snapshot *snap, const struct app_model *m)
{
	return m && m->thp && !strcmp(snap->thp, "never");
}

bool app_takes_hugepages(const struct snapshot *snap, const struct need *need,
			 struct findings *fs)
{
	const struct app_model *m = need->app;
	struct finding *f;

	fs->outcome = RUN_START;
	if (!m || !m->no_hugepages)
		return true;
	if (app_thp_off(snap, m)) {
		/* OpenJDK 17 warns "UseTransparentHugePages disabled, transparent
		 * huge pages are not supported by the operating system." and
		 * runs on base pages (measured, THP mode never). */
		fs->outcome = RUN_DEGRADED;
		f = finding_add(fs, CHECK_APPLICATION, HP_WARN, CAUSE_THP_DISABLED, "%s; "
				"transparent huge pages are off on this host ([never] in %s): "
				"%s warns \"UseTransparentHugePages disabled\" and runs on base "
				"pages", m->none_why, PATH_THP_ENABLED, m->what);
		finding_str(f, "transparent_hugepage", snap->thp);
		finding_remedy(f, "echo madvise | %stee %s", remedy_sudo(snap), PATH_THP_ENABLED);
		finding_note(f, "madvise turns them on for what asks, as the JVM does; "
			     "transparent_hugepage=madvise on the kernel command line keeps it "
			     "across reboots");
		return false;
	}
	if (m->none_lost)
		fs->outcome = RUN_DEGRADED;
	finding_add(fs, CHECK_APPLICATION, m->none_lost ? HP_WARN : HP_PASS, CAUSE_NONE, "%s",
		    m->none_why);
	return false;
}

/* Whether the application's fallback survives F: a failure of the mapping. */
static bool caught(const struct finding *f)
{
	const struct evidence *ev = finding_evidence(f, "charged_at");

	return f->status == HP_FAIL &&
	       !(f->cause == CAUSE_CGROUP_HUGETLB_LIMIT && ev && ev->str &&
		 !strcmp(ev->str, "fault"));
}

/* Which of M's mappings get their pages from AVAIL, in order, into GOT
 * and LOST ("heap (256 MiB)"). */
static void regions_split(const struct app_model *m, uint64_t ps, uint64_t avail, char *got,
			  size_t gsize, char *lost, size_t lsize)
{
	size_t gl = 0, ll = 0;

	got[0] = lost[0] = 0;
	for (size_t i = 0; i < m->nr_regions; i++) {
		const struct app_region *r = &m->regions[i];
		uint64_t pages = ps ? hp_div_up(r->bytes, ps) : 0;
		char s[32];
		bool fits = pages <= avail;

		if (fits)
			avail -= pages;
		format_bytes(r->bytes, s, sizeof(s));
		if (fits && gl < gsize)
			gl += (size_t)snprintf(got + gl, gsize - gl, "%s%s (%s)", gl ? ", " : "",
					       r->name, s);
		else if (!fits && ll < lsize)
			ll += (size_t)snprintf(lost + ll, lsize - ll, "%s%s (%s)", ll ? ", " : "",
					       r->name, s);
	}
}

void app_outcome(const struct snapshot *snap, const struct need *need, struct findings *fs)
{
	const struct app_model *m = need->app;
	const struct pool *p = need->page_size ? snapshot_pool(snap, need->page_size) : NULL;
	/* A rule may have found a degraded start already (rule-qemu.c). */
	bool degraded = fs->outcome == RUN_DEGRADED, failed = false, pool_only = true;
	char got[APP_TEXT], lost[APP_TEXT], s[32];
	uint64_t avail = p ? hp_sat_sub(p->free, p->resv) : 0;
	struct finding *f;

	for (size_t i = 0; i < fs->n; i++) {
		struct finding *g = &fs->v[i];
		char *msg;

		if (g->status != HP_FAIL)
			continue;
		if (!m || !m->fallback || !caught(g)) {
			failed = true;
			continue;
		}
		/* A warning now, that keeps its cause: what degrades it. */
		if (asprintf(&msg, "%s; %s", g->message, m->loss) >= 0) {
			free(g->message);
			g->message = msg;
		}
		g->status = HP_WARN;
		degraded = true;
		pool_only &= g->check == CHECK_POOL || g->check == CHECK_NODE_POOL;
	}
	fs->outcome = failed ? RUN_FAIL : degraded ? RUN_DEGRADED : RUN_START;
	if (!m || failed)
		return;
	if (!degraded) {
		finding_add(fs, CHECK_APPLICATION, HP_PASS, CAUSE_NONE, "%s gets the %" PRIu64
			    " hugepages of %s it maps (%s)", m->what, need->pages,
			    format_bytes(need->page_size, s, sizeof(s)), m->settings);
		return;
	}
	/* No mappings of its own to name (ovs-vswitchd with dpdk-init=try:
	 * DPDK's memory, or none): what it loses is all there is to say. */
	if (!m->nr_regions) {
		f = finding_add(fs, CHECK_APPLICATION, HP_WARN, CAUSE_NONE, "%s starts degraded: %s",
				m->what, m->loss);
		if (f)
			finding_num(f, "pages", need->pages);
		return;
	}
	/* Only the pool short: the first mappings may still get theirs. */
	regions_split(m, need->page_size, pool_only ? avail : 0, got, sizeof(got), lost,
		      sizeof(lost));
	f = finding_add(fs, CHECK_APPLICATION, HP_WARN, CAUSE_NONE, "%s starts degraded: "
			"%s on base pages%s%s", m->what, lost[0] ? lost : "its memory",
			got[0] ? "; on hugepages: " : "", got);
	if (f) {
		finding_num(f, "pages", need->pages);
		finding_num(f, "available", avail);
	}
}
