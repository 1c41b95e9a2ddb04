// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * plan.c - the plan: which host settings clear which failing findings.  The
 * rule that found each problem attached its remedy's actions; the plan
 * selects them, orders them and says what it leaves to a person.  Pure,
 * like diagnose: nothing here reads or writes the host, so every plan is
 * unit-tested from fixtures.
 *
 * Order matters, because fix_apply() writes in plan order and puts values
 * back in reverse: sysctls, then pools, then the mount, then the removal of
 * stale files (which cannot be undone, so nothing follows it but the
 * persist file).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/plan.h"
#include "diagnose/diagnose.h"
#include "diagnose/remedy.h"
#include "lib/pathnames.h"

static bool failing(const struct finding *f)
{
	return f && f->status != HP_PASS;
}

/* Some rules report one finding per node or mount under one check id. */
static const struct finding *first_failing(const struct findings *fs,
					   enum check check)
{
	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].check == check && failing(&fs->v[i]))
			return &fs->v[i];
	return NULL;
}

/* The first action of KIND in F's remedy, or NULL. */
static const struct action *action_of(const struct finding *f, enum action_kind kind)
{
	for (size_t i = 0; f && i < f->remedy.n; i++)
		if (f->remedy.acts[i].kind == kind)
			return &f->remedy.acts[i];
	return NULL;
}

static int plan_sysctl(struct fix_plan *p, const struct finding *f,
		       const struct action *a, const char *reason)
{
	struct fix_step *s;

	if (a->to <= a->from)
		return 0;
	s = plan_step_add(p, FIX_SYSCTL, f->check);
	if (!s)
		return -ENOMEM;
	snprintf(s->setting, sizeof(s->setting), "%s", a->name);
	snprintf(s->path, sizeof(s->path), "%s", a->path);
	snprintf(s->reason, sizeof(s->reason), "%s", reason);
	s->from = a->from;
	s->to = a->to;
	return 0;
}

/* vm.max_map_count, then kernel.shmmax and kernel.shmall. */
static int plan_sysctls(const struct need *need, const struct findings *fs,
			struct fix_plan *p)
{
	const struct finding *f = first_failing(fs, CHECK_MAP_COUNT);
	char why[256];
	int rc = 0;

	snprintf(why, sizeof(why), "%" PRIu64 " VMAs needed at the peak, "
		 "with room to spare", need->vmas);
	for (size_t i = 0; f && i < f->remedy.n && !rc; i++)
		if (f->remedy.acts[i].kind == ACT_SYSCTL)
			rc = plan_sysctl(p, f, &f->remedy.acts[i], why);
	f = first_failing(fs, CHECK_SHM);
	snprintf(why, sizeof(why), "a %" PRIu64 "-byte SHM_HUGETLB segment",
		 need->shm_bytes);
	for (size_t i = 0; f && i < f->remedy.n && !rc; i++)
		if (f->remedy.acts[i].kind == ACT_SYSCTL)
			rc = plan_sysctl(p, f, &f->remedy.acts[i], why);
	return rc;
}

/* Pages held by files nobody maps or holds open, in mounts of size PS. */
static uint64_t stale_pages(const struct snapshot *snap, uint64_t ps)
{
	uint64_t pages = 0, files, mp;

	if (!snap->procs_scanned)
		return 0;
	for (size_t i = 0; i < snap->nr_mounts; i++) {
		if (snap->mounts[i].page_size != ps)
			continue;
		mount_stale(&snap->mounts[i], &files, &mp);
		pages = hp_sat_add(pages, mp);
	}
	return pages;
}

static int plan_pool_step(const struct snapshot *snap, struct fix_plan *p,
			  enum check check, const struct action *a, uint64_t to,
			  const char *reason)
{
	char dir[40], s1[32], s2[32];
	enum fix_kind kind = a->node >= 0 ? FIX_NODE_POOL : FIX_POOL;
	uint64_t ps = a->page_size;
	struct fix_step *s;
	struct fix_manual *m;

	snprintf(dir, sizeof(dir), "hugepages-%" PRIu64 "kB", ps >> 10);
	if (pools_starve(snap, (to - a->from) * ps)) {
		m = plan_manual_add(p, check, "growing the %s pool to %" PRIu64 " pages "
			       "would leave less than %d%% of %s RAM to the kernel: "
			       "hpdiag does not do that", format_bytes(ps, s1, sizeof(s1)),
			       to, STARVE_PERCENT,
			       format_bytes(snap->mem.mem_total, s2, sizeof(s2)));
		return m && !plan_manual_line(m, "free memory or add RAM, or ask for "
					 "less (-m, --socket-mem)") ? 0 : -ENOMEM;
	}
	s = plan_step_add(p, kind, check);
	if (!s)
		return -ENOMEM;
	s->page_size = ps;
	s->node = a->node >= 0 ? (unsigned)a->node : 0;
	s->from = a->from;
	s->to = to;
	snprintf(s->reason, sizeof(s->reason), "%s", reason);
	snprintf(s->path, sizeof(s->path), "%s", a->path);
	if (kind == FIX_NODE_POOL)
		snprintf(s->setting, sizeof(s->setting), "node%d/%s/nr_hugepages",
			 a->node, dir);
	else
		snprintf(s->setting, sizeof(s->setting), "%s/nr_hugepages", dir);
	return 0;
}

static int plan_pools(const struct snapshot *snap, const struct need *need,
		      const struct findings *fs, const struct fix_opts *o,
		      struct fix_plan *p)
{
	uint64_t ps = need->page_size, avail, extra, to;
	const struct pool *pool = snapshot_pool(snap, ps);
	const struct finding *f;
	const struct action *a;
	bool nodes = false;
	char why[256];
	int rc;

	if (!ps || !pool)
		return 0;
	if (o->have_overcommit && o->overcommit != pool->overcommit) {
		struct fix_step *s = plan_step_add(p, FIX_OVERCOMMIT, CHECK_POOL);

		if (!s)
			return -ENOMEM;
		s->page_size = ps;
		s->from = pool->overcommit;
		s->to = o->overcommit;
		snprintf(s->setting, sizeof(s->setting),
			 "hugepages-%" PRIu64 "kB/nr_overcommit_hugepages", ps >> 10);
		pool_file(s->path, sizeof(s->path), ps, -1, "nr_overcommit_hugepages");
		snprintf(s->reason, sizeof(s->reason), "asked for with --overcommit");
	}
	/* Per node first: growing a node's pool grows the total too. */
	for (size_t i = 0; i < fs->n; i++) {
		const struct need_size *sz;

		f = &fs->v[i];
		if (f->check != CHECK_NODE_POOL || !failing(f) ||
		    !(a = action_of(f, ACT_POOL)) || !(sz = need_size_of(need, a->page_size)))
			continue;
		snprintf(why, sizeof(why), "%" PRIu64 " page%s needed on node %d, %"
			 PRIu64 " free there", sz->pages_per_node[a->node],
			 PL(sz->pages_per_node[a->node]), a->node,
			 pool_node(snapshot_pool(snap, a->page_size), (unsigned)a->node)->free);
		rc = plan_pool_step(snap, p, CHECK_NODE_POOL, a, a->to, why);
		if (rc)
			return rc;
		nodes = true;
	}
	if (nodes)
		return 0;
	/* Then each size's pool that falls short. */
	for (size_t i = 0; i < fs->n; i++) {
		const struct need_size *sz;
		const struct pool *sp;

		f = &fs->v[i];
		if (f->check != CHECK_POOL || !failing(f) ||
		    !(a = action_of(f, ACT_POOL)) || !(sz = need_size_of(need, a->page_size)) ||
		    !(sp = snapshot_pool(snap, a->page_size)))
			continue;
		avail = hp_sat_sub(sp->free, sp->resv);
		/* DPDK takes back its own stale files (the rule counted them);
		 * --clean-stale frees them all. */
		extra = o->clean_stale ? stale_pages(snap, a->page_size) : sz->reclaim_pages;
		to = hp_sat_sub(hp_sat_add(a->to, sz->reclaim_pages), extra);
		if (to <= a->from)
			continue;
		snprintf(why, sizeof(why), "%" PRIu64 " page%s needed, %" PRIu64
			 " free%s", sz->pages, PL(sz->pages), avail,
			 extra ? " counting stale files" : "");
		rc = plan_pool_step(snap, p, CHECK_POOL, a, to, why);
		if (rc)
			return rc;
	}
	return 0;
}

static int plan_mount(const struct findings *fs, struct fix_plan *p)
{
	const struct finding *f = first_failing(fs, CHECK_MOUNT);
	const struct action *a = action_of(f, ACT_MOUNT);
	struct fix_step *s;
	char ss[16];

	if (!a)
		return 0;
	s = plan_step_add(p, FIX_MOUNT, CHECK_MOUNT);
	if (!s)
		return -ENOMEM;
	s->page_size = a->page_size;
	snprintf(s->setting, sizeof(s->setting), "mount");
	snprintf(s->path, sizeof(s->path), "%s", a->path);
	snprintf(s->reason, sizeof(s->reason), "no hugetlbfs mount for %s pages",
		 format_short_size(a->page_size, ss, sizeof(ss)));
	return 0;
}

/* Removal steps in the order of the mounts, then of the paths. */
static int cmp_remove(const void *x, const void *y)
{
	const struct action *a = x, *b = y;

	if (a->mount != b->mount)
		return a->mount < b->mount ? -1 : 1;
	return strcmp(a->path, b->path);
}

/* Whether --clean-stale=FILE names PATH. */
static bool named(const struct fix_opts *o, const char *path)
{
	for (size_t i = 0; i < o->nr_stale_named; i++)
		if (!strcmp(o->stale_named[i], path))
			return true;
	return false;
}

int plan_stale_unknown(const struct findings *fs, const struct fix_opts *o, const char **bad)
{
	for (size_t k = 0; k < o->nr_stale_named; k++) {
		bool found = false;

		for (size_t i = 0; i < fs->n && !found; i++)
			for (size_t j = 0; fs->v[i].check == CHECK_STALE_FILES &&
			     j < fs->v[i].remedy.n && !found; j++)
				found = fs->v[i].remedy.acts[j].kind == ACT_REMOVE &&
					!strcmp(fs->v[i].remedy.acts[j].path, o->stale_named[k]);
		if (!found) {
			*bad = o->stale_named[k];
			return -ENOENT;
		}
	}
	return 0;
}

static int plan_stale(const struct snapshot *snap, const struct findings *fs,
		      const struct fix_opts *o, struct fix_plan *p)
{
	const struct finding *f = first_failing(fs, CHECK_STALE_FILES);
	struct action *rm;
	size_t n = 0, cap = 0;

	if (!o->clean_stale) {
		struct fix_manual *m;

		if (!f)
			return 0;
		m = plan_manual_add(p, CHECK_STALE_FILES, "%s", f->message);
		return m && !plan_manual_line(m, "hpdiag fix --apply --clean-stale") &&
		       !plan_manual_line(m, "# removes the stale page files of hugepage users, "
				    "each after checking again that no process uses it") ?
		       0 : -ENOMEM;
	}
	if (!snap->procs_scanned) {
		struct fix_manual *m = plan_manual_add(p, CHECK_STALE_FILES,
						  "--clean-stale: this tree does "
						  "not record which processes use "
						  "the page files");

		return m ? 0 : -ENOMEM;
	}
	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].check == CHECK_STALE_FILES)
			cap += fs->v[i].remedy.n;
	rm = calloc(cap ? cap : 1, sizeof(*rm));
	if (!rm)
		return -ENOMEM;
	for (size_t i = 0; i < fs->n; i++)
		for (size_t j = 0; fs->v[i].check == CHECK_STALE_FILES &&
		     j < fs->v[i].remedy.n; j++) {
			const struct action *a = &fs->v[i].remedy.acts[j];

			/* A file no hugepage user makes again: only when named. */
			if (a->kind == ACT_REMOVE && (!a->named_only || named(o, a->path)))
				rm[n++] = *a;
		}
	qsort(rm, n, sizeof(*rm), cmp_remove);
	for (size_t i = 0; i < n; i++) {
		struct fix_step *s = plan_step_add(p, FIX_REMOVE, CHECK_STALE_FILES);

		if (!s) {
			free(rm);
			return -ENOMEM;
		}
		s->page_size = rm[i].page_size;
		s->from = rm[i].from;
		snprintf(s->setting, sizeof(s->setting), "remove");
		snprintf(s->path, sizeof(s->path), "%s", rm[i].path);
		snprintf(s->reason, sizeof(s->reason), "no process maps, holds open or "
			 "locks it; frees %" PRIu64 " page%s", rm[i].from,
			 rm[i].from == 1 ? "" : "s");
	}
	free(rm);
	return 0;
}

/* pam_limits' domain for the application's user: a uid range, or "*". */
static void limits_domain(const struct snapshot *snap, char *buf, size_t size)
{
	if (snap->lim.pid && snap->lim.st.have_uid)
		snprintf(buf, size, "%u:%u", snap->lim.st.uid, snap->lim.st.uid);
	else
		snprintf(buf, size, "*");
}

/* How to set an rlimit where the application starts: not a host setting,
 * so hpdiag prints the lines and writes none of them. */
static int plan_rlimit(const struct snapshot *snap, const struct finding *f,
		       const struct action *a, struct fix_plan *p)
{
	static const struct {
		const char *ulimit, *unit, *pam;
	} rl[RL_COUNT] = {
		[RL_NOFILE] = { "n", "LimitNOFILE", "nofile" },
		[RL_AS] = { "v", "LimitAS", "as" },
		[RL_DATA] = { "d", "LimitDATA", "data" },
		[RL_MEMLOCK] = { "l", "LimitMEMLOCK", "memlock" },
	};
	uint64_t hard = snap->lim.rlimits[a->rlimit].hard, want = a->to;
	struct fix_manual *m;
	char dom[32], val[32], unit[32];

	limits_domain(snap, dom, sizeof(dom));
	m = plan_manual_add(p, f->check, "%s (an rlimit: set it where the "
		       "application starts, hpdiag does not)", f->message);
	if (!m)
		return -ENOMEM;
	if (want != HP_UNLIMITED && (hard == HP_UNLIMITED || hard >= want)) {
		/* Raise the soft limit; the hard one only when it is short. */
		char h[32];

		if (hard == HP_UNLIMITED)
			snprintf(h, sizeof(h), "infinity");
		else
			snprintf(h, sizeof(h), "%" PRIu64, hard);
		if (plan_manual_line(m, "shell: ulimit -S%s %" PRIu64, rl[a->rlimit].ulimit,
				want) ||
		    plan_manual_line(m, "systemd unit, [Service]: %s=%" PRIu64 ":%s",
				rl[a->rlimit].unit, want, h) ||
		    plan_manual_line(m, "/etc/security/limits.d/60-hpdiag.conf: "
				"%s soft %s %" PRIu64, dom, rl[a->rlimit].pam, want))
			return -ENOMEM;
		return 0;
	}
	if (want == HP_UNLIMITED) {
		snprintf(val, sizeof(val), "unlimited");
		snprintf(unit, sizeof(unit), "infinity");
	} else {
		snprintf(val, sizeof(val), "%" PRIu64, want);
		snprintf(unit, sizeof(unit), "%s", val);
	}
	if (plan_manual_line(m, "shell: ulimit -H%s %s && ulimit -S%s %s",
			rl[a->rlimit].ulimit, val, rl[a->rlimit].ulimit, val) ||
	    plan_manual_line(m, "systemd unit, [Service]: %s=%s", rl[a->rlimit].unit, unit) ||
	    plan_manual_line(m, "/etc/security/limits.d/60-hpdiag.conf: %s - %s %s",
			dom, rl[a->rlimit].pam, val))
		return -ENOMEM;
	return 0;
}

static bool planned_for(const struct fix_plan *p, enum check check)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].check == check)
			return true;
	for (size_t i = 0; i < p->nr_manual; i++)
		if (p->manual[i].check == check)
			return true;
	return false;
}

/* Every other finding that is not a pass: what hpdiag says to do instead. */
static int plan_manual(const struct snapshot *snap, const struct findings *fs,
		       struct fix_plan *p)
{
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->v[i];
		const struct action *a = action_of(f, ACT_RLIMIT);
		struct fix_manual *m;

		if (!failing(f) || planned_for(p, f->check))
			continue;
		/* Growing the nodes' pools grows the whole pool. */
		if (f->check == CHECK_POOL && planned_for(p, CHECK_NODE_POOL))
			continue;
		if (a) {
			if (plan_rlimit(snap, f, a, p) < 0)
				return -ENOMEM;
			continue;
		}
		/* A pool that needs no growth has nothing left to do. */
		if (!remedy_given(&f->remedy))
			continue;
		m = plan_manual_add(p, f->check, "%s", f->message);
		if (!m)
			return -ENOMEM;
		for (size_t j = 0; j < f->remedy.nr_commands; j++)
			if (plan_manual_line(m, "%s", f->remedy.commands[j]))
				return -ENOMEM;
		if (f->remedy.note && plan_manual_line(m, "# %s", f->remedy.note))
			return -ENOMEM;
		if (f->check == CHECK_FRAGMENTATION &&
		    plan_manual_line(m, "hpdiag fix --apply --compact compacts memory "
				"once if the pool grows short"))
			return -ENOMEM;
	}
	return 0;
}

static int plan_persist(const struct snapshot *snap, const struct fix_opts *o,
			struct fix_plan *p)
{
	size_t n = p->n, settings = 0;
	char ss[16], nodes[256] = "";
	uint64_t def = snap->mem.hugepagesize;

	for (size_t i = 0; i < n; i++) {
		const struct fix_step *s = &p->v[i];
		size_t l = strlen(nodes);

		switch (s->kind) {
		case FIX_SYSCTL:
			settings++;
			break;
		case FIX_POOL:
		case FIX_OVERCOMMIT:
			if (s->page_size == def) {
				settings++;
				break;
			}
			if (s->kind == FIX_POOL &&
			    plan_boot_add(p, "kernel command line: hugepagesz=%s hugepages=%" PRIu64,
				     format_short_size(s->page_size, ss, sizeof(ss)), s->to))
				return -ENOMEM;
			break;
		case FIX_NODE_POOL:
			snprintf(nodes + l, sizeof(nodes) - l, "%s%u:%" PRIu64,
				 l ? "," : "", s->node, s->to);
			break;
		case FIX_MOUNT:
			format_short_size(s->page_size, ss, sizeof(ss));
			if (plan_boot_add(p, "/etc/fstab: nodev %s hugetlbfs pagesize=%s 0 0",
				     s->path, ss))
				return -ENOMEM;
			break;
		case FIX_REMOVE:
		case FIX_PERSIST:
			break;
		}
	}
	if (nodes[0]) {
		/* The node form gives pages only to the nodes it lists: each
		 * node's pool as planned, or as it is. */
		const struct fix_step *s = NULL;
		const struct pool *pool;
		uint64_t to[MAX_SOCKETS];
		char param[512];

		for (size_t i = 0; i < n && !s; i++)
			if (p->v[i].kind == FIX_NODE_POOL)
				s = &p->v[i];
		pool = s ? snapshot_pool(snap, s->page_size) : NULL;
		for (size_t j = 0; pool && j < pool->nr_nodes && j < MAX_SOCKETS; j++) {
			to[j] = pool->nodes[j].total;
			for (size_t i = 0; i < n; i++)
				if (p->v[i].kind == FIX_NODE_POOL &&
				    p->v[i].node == pool->nodes[j].node &&
				    p->v[i].page_size == pool->page_size)
					to[j] = p->v[i].to;
		}
		if (pool && pool->nr_nodes <= MAX_SOCKETS &&
		    plan_boot_add(p, "kernel command line: %s",
			     remedy_boot_param(pool, pool->total, to, param, sizeof(param))))
			return -ENOMEM;
	}
	if (!o->persist && settings &&
	    plan_boot_add(p, "sysctl: --persist writes the %zu setting%s to %s", settings,
		     settings == 1 ? "" : "s", FIX_PERSIST_FILE))
		return -ENOMEM;
	if (o->persist && settings) {
		struct fix_step *s = plan_step_add(p, FIX_PERSIST, CHECK_COUNT);

		if (!s)
			return -ENOMEM;
		snprintf(s->setting, sizeof(s->setting), "persist");
		snprintf(s->path, sizeof(s->path), "%s",
			 o->persist_file ? o->persist_file : FIX_PERSIST_FILE);
		snprintf(s->reason, sizeof(s->reason), "%zu sysctl setting%s kept "
			 "across reboots", settings, settings == 1 ? "" : "s");
		s->to = settings;
	}
	return 0;
}

int fix_plan(const struct snapshot *snap, const struct need *need,
	     const struct findings *fs, const struct fix_opts *o,
	     struct fix_plan *p)
{
	int rc;

	memset(p, 0, sizeof(*p));
	p->default_size = snap->mem.hugepagesize;
	rc = plan_sysctls(need, fs, p);
	if (!rc)
		rc = plan_pools(snap, need, fs, o, p);
	if (!rc)
		rc = plan_mount(fs, p);
	if (!rc)
		rc = plan_stale(snap, fs, o, p);
	if (!rc)
		rc = plan_manual(snap, fs, p);
	if (!rc)
		rc = plan_persist(snap, o, p);
	return rc;
}
