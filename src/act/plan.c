// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fix.c - the plan: which host settings clear which failing findings, from
 * the snapshot the findings came from.  Pure, like diagnose: nothing here
 * reads or writes the host, so every plan is unit-tested from fixtures.
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

#include "act/fix.h"
#include "probe/parse.h"
#include "lib/pathnames.h"

const char *fix_status_name(enum fix_status st)
{
	static const char *const names[] = {
		[FS_PLANNED] = "planned", [FS_APPLIED] = "applied",
		[FS_VERIFIED] = "verified", [FS_PARTIAL] = "partial",
		[FS_FAILED] = "failed", [FS_REVERTED] = "reverted",
		[FS_UNCHANGED] = "unchanged",
	};

	return names[st];
}

const char *fix_kind_name(enum fix_kind k)
{
	static const char *const names[] = {
		[FIX_SYSCTL] = "sysctl", [FIX_OVERCOMMIT] = "overcommit",
		[FIX_POOL] = "pool", [FIX_NODE_POOL] = "node_pool",
		[FIX_MOUNT] = "mount", [FIX_REMOVE] = "remove",
		[FIX_PERSIST] = "persist",
	};

	return names[k];
}

static struct fix_step *step_add(struct fix_plan *p, enum fix_kind kind,
				 const char *check)
{
	struct fix_step *v = realloc(p->v, (p->n + 1) * sizeof(*v));

	if (!v)
		return NULL;
	p->v = v;
	v = &p->v[p->n++];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->check = check;
	v->status = FS_PLANNED;
	return v;
}

static __attribute__((format(printf, 1, 0)))
char *vstrdupf(const char *fmt, va_list ap)
{
	char *s;

	return vasprintf(&s, fmt, ap) < 0 ? NULL : s;
}

static __attribute__((format(printf, 3, 4)))
struct fix_manual *manual_add(struct fix_plan *p, const char *check,
			      const char *fmt, ...)
{
	struct fix_manual *v = realloc(p->manual, (p->nr_manual + 1) * sizeof(*v));
	va_list ap;

	if (!v)
		return NULL;
	p->manual = v;
	v = &p->manual[p->nr_manual];
	memset(v, 0, sizeof(*v));
	v->check = check;
	va_start(ap, fmt);
	v->why = vstrdupf(fmt, ap);
	va_end(ap);
	if (!v->why)
		return NULL;
	p->nr_manual++;
	return v;
}

static __attribute__((format(printf, 2, 3)))
int manual_line(struct fix_manual *m, const char *fmt, ...)
{
	va_list ap;

	if (!m || m->nr_lines >= sizeof(m->lines) / sizeof(m->lines[0]))
		return -ENOMEM;
	va_start(ap, fmt);
	m->lines[m->nr_lines] = vstrdupf(fmt, ap);
	va_end(ap);
	return m->lines[m->nr_lines++] ? 0 : -ENOMEM;
}

static __attribute__((format(printf, 2, 3)))
int boot_add(struct fix_plan *p, const char *fmt, ...)
{
	va_list ap;

	if (p->nr_boot >= sizeof(p->boot) / sizeof(p->boot[0]))
		return 0;
	va_start(ap, fmt);
	p->boot[p->nr_boot] = vstrdupf(fmt, ap);
	va_end(ap);
	return p->boot[p->nr_boot++] ? 0 : -ENOMEM;
}

static bool failing(const struct finding *f)
{
	return f && f->status != HP_PASS;
}

/* Some rules report one finding per node or mount under one check id. */
static const struct finding *first_failing(const struct findings *fs,
					   const char *check)
{
	for (size_t i = 0; i < fs->n; i++)
		if (!strcmp(fs->v[i].check, check) && failing(&fs->v[i]))
			return &fs->v[i];
	return NULL;
}

static void hp_dir(uint64_t ps, char *buf, size_t size)
{
	snprintf(buf, size, "hugepages-%" PRIu64 "kB", ps >> 10);
}

void fix_pool_file(uint64_t ps, int node, const char *file, char *buf, size_t size)
{
	char dir[40];

	hp_dir(ps, dir, sizeof(dir));
	if (node >= 0)
		snprintf(buf, size, PATH_NODE_HUGEPAGES "/%s/%s", (unsigned)node, dir, file);
	else
		snprintf(buf, size, PATH_HUGEPAGES "/%s/%s", dir, file);
}

static int plan_sysctl(struct fix_plan *p, const char *check, const char *name,
		       const char *path, uint64_t from, uint64_t to,
		       const char *reason)
{
	struct fix_step *s;

	if (to <= from)
		return 0;
	s = step_add(p, FIX_SYSCTL, check);
	if (!s)
		return -ENOMEM;
	snprintf(s->setting, sizeof(s->setting), "%s", name);
	snprintf(s->path, sizeof(s->path), "%s", path);
	snprintf(s->reason, sizeof(s->reason), "%s", reason);
	s->from = from;
	s->to = to;
	return 0;
}

static int plan_limits(const struct snapshot *snap, const struct need *need,
		       const struct findings *fs, struct fix_plan *p)
{
	const struct limits *l = &snap->lim;
	uint64_t base = snap->meta.base_page_size ? snap->meta.base_page_size : 4096;
	char why[256];
	int rc = 0;

	if (first_failing(fs, "map_count")) {
		snprintf(why, sizeof(why), "%" PRIu64 " VMAs needed at the peak, "
			 "with room to spare", need->vmas);
		rc = plan_sysctl(p, "map_count", "vm.max_map_count",
				 PATH_MAX_MAP_COUNT, l->sysctl[SC_MAX_MAP_COUNT].value,
				 suggest_max_map_count(need->vmas), why);
	}
	if (!rc && first_failing(fs, "shm")) {
		snprintf(why, sizeof(why), "a %" PRIu64 "-byte SHM_HUGETLB segment",
			 need->shm_bytes);
		if (l->sysctl[SC_SHMMAX].present)
			rc = plan_sysctl(p, "shm", "kernel.shmmax", PATH_SHMMAX,
					 l->sysctl[SC_SHMMAX].value,
					 need->shm_bytes, why);
		if (!rc && l->sysctl[SC_SHMALL].present)
			rc = plan_sysctl(p, "shm", "kernel.shmall", PATH_SHMALL,
					 l->sysctl[SC_SHMALL].value,
					 hp_div_up(need->shm_bytes, base), why);
	}
	return rc;
}

/* Pages held by files nobody maps or holds open, in mounts of size PS. */
static uint64_t stale_pages(const struct snapshot *snap, uint64_t ps)
{
	uint64_t pages = 0;

	if (!snap->procs_scanned)
		return 0;
	for (size_t i = 0; i < snap->nr_mounts; i++) {
		const struct mount *m = &snap->mounts[i];

		for (size_t j = 0; m->page_size == ps && j < m->nr_files; j++)
			if (!m->files[j].in_use)
				pages = hp_sat_add(pages, m->files[j].pages);
	}
	return pages;
}

/* Would pools of GROW more bytes leave the kernel too little memory? */
static bool starves(const struct snapshot *snap, uint64_t grow)
{
	uint64_t total = snap->mem.mem_total, huge = grow;

	for (size_t i = 0; i < snap->nr_pools; i++)
		huge = hp_sat_add(huge, snap->pools[i].total * snap->pools[i].page_size);
	return total && hp_sat_sub(total, huge) * 100 < total * STARVE_PERCENT;
}

static int plan_pool_step(const struct snapshot *snap, struct fix_plan *p,
			  enum fix_kind kind, const char *check, uint64_t ps,
			  unsigned node, uint64_t from, uint64_t to,
			  const char *reason)
{
	char dir[40], s1[32], s2[32];
	struct fix_step *s;
	struct fix_manual *m;

	hp_dir(ps, dir, sizeof(dir));
	if (starves(snap, (to - from) * ps)) {
		m = manual_add(p, check, "growing the %s pool to %" PRIu64 " pages "
			       "would leave less than %d%% of %s RAM to the kernel: "
			       "hpdiag does not do that", format_bytes(ps, s1, sizeof(s1)),
			       to, STARVE_PERCENT,
			       format_bytes(snap->mem.mem_total, s2, sizeof(s2)));
		return m && !manual_line(m, "free memory or add RAM, or ask for "
					 "less (-m, --socket-mem)") ? 0 : -ENOMEM;
	}
	s = step_add(p, kind, check);
	if (!s)
		return -ENOMEM;
	s->page_size = ps;
	s->node = node;
	s->from = from;
	s->to = to;
	snprintf(s->reason, sizeof(s->reason), "%s", reason);
	if (kind == FIX_NODE_POOL) {
		snprintf(s->setting, sizeof(s->setting), "node%u/%s/nr_hugepages",
			 node, dir);
		fix_pool_file(ps, (int)node, "nr_hugepages", s->path, sizeof(s->path));
	} else {
		snprintf(s->setting, sizeof(s->setting), "%s/nr_hugepages", dir);
		fix_pool_file(ps, -1, "nr_hugepages", s->path, sizeof(s->path));
	}
	return 0;
}

static int plan_pools(const struct snapshot *snap, const struct workload *wl,
		      const struct need *need, const struct findings *fs,
		      const struct fix_opts *o, struct fix_plan *p)
{
	uint64_t ps = need->page_size, avail, extra, files;
	const struct pool *pool = snapshot_pool(snap, ps);
	char why[256], dir[40], ss[16];
	bool nodes = false;
	int rc;

	if (!ps)
		return 0;
	hp_dir(ps, dir, sizeof(dir));
	format_short_size(ps, ss, sizeof(ss));
	if (pool && o->have_overcommit && o->overcommit != pool->overcommit) {
		struct fix_step *s = step_add(p, FIX_OVERCOMMIT, "pool");

		if (!s)
			return -ENOMEM;
		s->page_size = ps;
		s->from = pool->overcommit;
		s->to = o->overcommit;
		snprintf(s->setting, sizeof(s->setting),
			 "%s/nr_overcommit_hugepages", dir);
		fix_pool_file(ps, -1, "nr_overcommit_hugepages", s->path,
			      sizeof(s->path));
		snprintf(s->reason, sizeof(s->reason), "asked for with --overcommit");
	}
	if (!pool) {
		const struct finding *f = first_failing(fs, "pool");

		if (!f)
			return 0;
		struct fix_manual *m = manual_add(p, "pool", "%s", f->message);

		if (!m || manual_line(m, "add 'hugepagesz=%s hugepages=%" PRIu64
				      "' to the kernel command line and reboot",
				      ss, need->pages))
			return -ENOMEM;
		return 0;
	}
	/* Per node first: growing a node's pool grows the total too. */
	if (first_failing(fs, "node_pool")) {
		for (size_t i = 0; i < need->nr_nodes; i++) {
			uint64_t want = need->pages_per_node[i];
			const struct pool_node *pn = NULL;

			for (size_t j = 0; j < pool->nr_nodes; j++)
				if (pool->nodes[j].node == i)
					pn = &pool->nodes[j];
			if (!want || !pn || pn->free >= want)
				continue;
			snprintf(why, sizeof(why), "%" PRIu64 " pages needed on "
				 "node %zu, %" PRIu64 " free there", want, i, pn->free);
			rc = plan_pool_step(snap, p, FIX_NODE_POOL, "node_pool", ps,
					    pn->node, pn->total,
					    pn->total + want - pn->free, why);
			if (rc)
				return rc;
			nodes = true;
		}
	}
	if (nodes || !first_failing(fs, "pool"))
		return 0;
	avail = hp_sat_sub(pool->free, pool->resv);
	/* DPDK takes back its own stale files; --clean-stale frees them all. */
	extra = o->clean_stale ? stale_pages(snap, ps) :
		dpdk_reclaimable(snap, wl, ps, &files);
	if (hp_sat_add(avail, extra) >= need->pages)
		return 0;
	snprintf(why, sizeof(why), "%" PRIu64 " pages needed, %" PRIu64
		 " free%s", need->pages, avail, extra ? " counting stale files" : "");
	return plan_pool_step(snap, p, FIX_POOL, "pool", ps, 0, pool->total,
			      pool->total + need->pages - avail - extra, why);
}

static const struct mount *mount_at(const struct snapshot *snap, const char *path)
{
	for (size_t i = 0; i < snap->nr_mounts; i++)
		if (!strcmp(snap->mounts[i].path, path))
			return &snap->mounts[i];
	return NULL;
}

static int plan_mount(const struct snapshot *snap, const struct workload *wl,
		      const struct need *need, const struct findings *fs,
		      struct fix_plan *p)
{
	const struct finding *f = first_failing(fs, "mount");
	const struct mount *other;
	struct fix_step *s;
	char path[PATH_MAX], ss[16];

	if (!f || !f->cause || strcmp(f->cause, "no_mount"))
		return 0;
	if (wl->huge_dir)
		snprintf(path, sizeof(path), "%s", wl->huge_dir);
	else
		default_mount_path(need->page_size, snap->mem.hugepagesize,
				   path, sizeof(path));
	other = mount_at(snap, path);
	/* --huge-dir inside a mount of another size: not hpdiag's to move. */
	for (size_t i = 0; !other && wl->huge_dir && i < snap->nr_mounts; i++) {
		size_t ml = strlen(snap->mounts[i].path);

		if (!strncmp(path, snap->mounts[i].path, ml) && path[ml] == '/')
			other = &snap->mounts[i];
	}
	if (other) {
		struct fix_manual *m = manual_add(p, "mount", "%s", f->message);

		return m && (!f->remedy || !manual_line(m, "%s", f->remedy)) ? 0 : -ENOMEM;
	}
	s = step_add(p, FIX_MOUNT, "mount");
	if (!s)
		return -ENOMEM;
	s->page_size = need->page_size;
	snprintf(s->setting, sizeof(s->setting), "mount");
	snprintf(s->path, sizeof(s->path), "%s", path);
	snprintf(s->reason, sizeof(s->reason), "no hugetlbfs mount for %s pages",
		 format_short_size(need->page_size, ss, sizeof(ss)));
	return 0;
}

static int plan_stale(const struct snapshot *snap, const struct findings *fs,
		      const struct fix_opts *o, struct fix_plan *p)
{
	const struct finding *f = first_failing(fs, "stale_hugepage_files");

	if (!o->clean_stale) {
		struct fix_manual *m;

		if (!f)
			return 0;
		m = manual_add(p, "stale_hugepage_files", "%s", f->message);
		return m && !manual_line(m, "hpdiag fix --apply --clean-stale "
					 "(removes each file no process maps or "
					 "holds open)") ? 0 : -ENOMEM;
	}
	if (!snap->procs_scanned) {
		struct fix_manual *m = manual_add(p, "stale_hugepage_files",
						  "--clean-stale: this tree does "
						  "not record which processes use "
						  "the page files");

		return m ? 0 : -ENOMEM;
	}
	for (size_t i = 0; i < snap->nr_mounts; i++) {
		const struct mount *m = &snap->mounts[i];

		for (size_t j = 0; j < m->nr_files; j++) {
			const struct mount_file *mf = &m->files[j];
			struct fix_step *s;

			if (mf->in_use)
				continue;
			s = step_add(p, FIX_REMOVE, "stale_hugepage_files");
			if (!s)
				return -ENOMEM;
			s->page_size = m->page_size;
			s->from = mf->pages;
			snprintf(s->setting, sizeof(s->setting), "remove");
			snprintf(s->path, sizeof(s->path), "%s", mf->path);
			snprintf(s->reason, sizeof(s->reason), "no process maps or "
				 "holds it open; frees %" PRIu64 " page%s", mf->pages,
				 mf->pages == 1 ? "" : "s");
		}
	}
	return 0;
}

/* pam_limits' domain for the application's user: a uid range, or "*". */
static void limits_domain(const struct snapshot *snap, char *buf, size_t size)
{
	if (snap->lim.pid && snap->lim.have_uid)
		snprintf(buf, size, "%u:%u", snap->lim.uid, snap->lim.uid);
	else
		snprintf(buf, size, "*");
}

static int plan_rlimit(const struct snapshot *snap, const struct need *need,
		       const struct finding *f, struct fix_plan *p)
{
	static const struct {
		const char *check, *ulimit, *unit, *pam;
	} rl[] = {
		{ "nofile", "n", "LimitNOFILE", "nofile" },
		{ "address_space", "v", "LimitAS", "as" },
		{ "data", "d", "LimitDATA", "data" },
		{ "memlock", "l", "LimitMEMLOCK", "memlock" },
	};
	struct fix_manual *m;
	char dom[32], val[32], unit[32];
	size_t i;

	for (i = 0; i < sizeof(rl) / sizeof(rl[0]); i++)
		if (!strcmp(f->check, rl[i].check))
			break;
	if (i == sizeof(rl) / sizeof(rl[0]))
		return 1;
	limits_domain(snap, dom, sizeof(dom));
	m = manual_add(p, f->check, "%s (an rlimit: set it where the "
		       "application starts, hpdiag does not)", f->message);
	if (!m)
		return -ENOMEM;
	if (i == 0) {
		uint64_t want = need->fds + need->fds / 5;
		uint64_t hard = snap->lim.rlimits[RL_NOFILE].hard;

		/* Raise the soft limit; the hard one only when it is short. */
		if (hard == HP_UNLIMITED || hard >= want) {
			char h[32];

			if (hard == HP_UNLIMITED)
				snprintf(h, sizeof(h), "infinity");
			else
				snprintf(h, sizeof(h), "%" PRIu64, hard);
			if (manual_line(m, "shell: ulimit -Sn %" PRIu64, want) ||
			    manual_line(m, "systemd unit, [Service]: LimitNOFILE=%"
					PRIu64 ":%s", want, h) ||
			    manual_line(m, "/etc/security/limits.d/60-hpdiag.conf: "
					"%s soft nofile %" PRIu64, dom, want))
				return -ENOMEM;
			return 0;
		}
		snprintf(val, sizeof(val), "%" PRIu64, want);
		snprintf(unit, sizeof(unit), "%s", val);
	} else {
		snprintf(val, sizeof(val), "unlimited");
		snprintf(unit, sizeof(unit), "infinity");
	}
	if (manual_line(m, "shell: ulimit -H%s %s && ulimit -S%s %s",
			rl[i].ulimit, val, rl[i].ulimit, val) ||
	    manual_line(m, "systemd unit, [Service]: %s=%s", rl[i].unit, unit) ||
	    manual_line(m, "/etc/security/limits.d/60-hpdiag.conf: %s - %s %s",
			dom, rl[i].pam, val))
		return -ENOMEM;
	return 0;
}

static bool planned_for(const struct fix_plan *p, const char *check)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].check, check))
			return true;
	for (size_t i = 0; i < p->nr_manual; i++)
		if (!strcmp(p->manual[i].check, check))
			return true;
	return false;
}

/* Every other finding that is not a pass: what hpdiag says to do instead. */
static int plan_manual(const struct snapshot *snap, const struct need *need,
		       const struct findings *fs, struct fix_plan *p)
{
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->v[i];
		struct fix_manual *m;
		int rc;

		if (!failing(f) || planned_for(p, f->check))
			continue;
		/* Growing the nodes' pools grows the whole pool. */
		if (!strcmp(f->check, "pool") && planned_for(p, "node_pool"))
			continue;
		rc = plan_rlimit(snap, need, f, p);
		if (rc <= 0) {
			if (rc < 0)
				return rc;
			continue;
		}
		/* A pool that needs no growth has nothing left to do. */
		if (!f->remedy)
			continue;
		m = manual_add(p, f->check, "%s", f->message);
		if (!m || manual_line(m, "%s", f->remedy))
			return -ENOMEM;
		if (!strcmp(f->check, "pool_fragmentation") &&
		    manual_line(m, "hpdiag fix --apply --compact compacts memory "
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
			    boot_add(p, "kernel command line: hugepagesz=%s hugepages=%" PRIu64,
				     format_short_size(s->page_size, ss, sizeof(ss)), s->to))
				return -ENOMEM;
			break;
		case FIX_NODE_POOL:
			snprintf(nodes + l, sizeof(nodes) - l, "%s%u:%" PRIu64,
				 l ? "," : "", s->node, s->to);
			break;
		case FIX_MOUNT:
			format_short_size(s->page_size, ss, sizeof(ss));
			if (boot_add(p, "/etc/fstab: nodev %s hugetlbfs pagesize=%s 0 0",
				     s->path, ss))
				return -ENOMEM;
			break;
		case FIX_REMOVE:
		case FIX_PERSIST:
			break;
		}
	}
	if (nodes[0]) {
		/* The node form gives pages only to the nodes it lists. */
		const struct fix_step *s = NULL;
		const struct pool *pool;

		for (size_t i = 0; i < n && !s; i++)
			if (p->v[i].kind == FIX_NODE_POOL)
				s = &p->v[i];
		pool = s ? snapshot_pool(snap, s->page_size) : NULL;
		nodes[0] = '\0';
		for (size_t j = 0; pool && j < pool->nr_nodes; j++) {
			uint64_t v = pool->nodes[j].total;
			size_t l = strlen(nodes);

			for (size_t i = 0; i < n; i++)
				if (p->v[i].kind == FIX_NODE_POOL &&
				    p->v[i].node == pool->nodes[j].node)
					v = p->v[i].to;
			snprintf(nodes + l, sizeof(nodes) - l, "%s%u:%" PRIu64,
				 l ? "," : "", pool->nodes[j].node, v);
		}
		if (s && boot_add(p, "kernel command line: hugepagesz=%s hugepages=%s",
				  format_short_size(s->page_size, ss, sizeof(ss)), nodes))
			return -ENOMEM;
	}
	if (!o->persist && settings &&
	    boot_add(p, "sysctl: --persist writes the %zu setting%s to %s", settings,
		     settings == 1 ? "" : "s", FIX_PERSIST_FILE))
		return -ENOMEM;
	if (o->persist && settings) {
		struct fix_step *s = step_add(p, FIX_PERSIST, "persist");

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

int fix_plan(const struct snapshot *snap, const struct workload *wl,
	     const struct need *need, const struct findings *fs,
	     const struct fix_opts *o, struct fix_plan *p)
{
	int rc;

	memset(p, 0, sizeof(*p));
	p->default_size = snap->mem.hugepagesize;
	rc = plan_limits(snap, need, fs, p);
	if (!rc)
		rc = plan_pools(snap, wl, need, fs, o, p);
	if (!rc)
		rc = plan_mount(snap, wl, need, fs, p);
	if (!rc)
		rc = plan_stale(snap, fs, o, p);
	if (!rc)
		rc = plan_manual(snap, need, fs, p);
	if (!rc)
		rc = plan_persist(snap, o, p);
	return rc;
}

void step_error(struct fix_step *s, const char *fmt, ...)
{
	va_list ap;

	free(s->error);
	va_start(ap, fmt);
	s->error = vstrdupf(fmt, ap);
	va_end(ap);
}

void fix_plan_free(struct fix_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].error);
	for (size_t i = 0; i < p->nr_manual; i++) {
		free(p->manual[i].why);
		for (size_t j = 0; j < p->manual[i].nr_lines; j++)
			free(p->manual[i].lines[j]);
	}
	for (size_t i = 0; i < p->nr_boot; i++)
		free(p->boot[i]);
	free(p->manual);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* ---- the sysctl.d file ------------------------------------------------------ */

/* "vm.max_map_count" for "-vm/max_map_count " and the like. */
static void norm_key(const char *s, size_t len, char *out, size_t size)
{
	size_t o = 0;

	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	if (len && *s == '-') {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	for (size_t i = 0; i < len && o + 1 < size; i++)
		out[o++] = s[i] == '/' ? '.' : s[i];
	out[o] = '\0';
}

static int append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (!*buf || *len + n + 1 > *cap) {
		size_t ncap = (*len + n + 1) * 2;
		char *nb = realloc(*buf, ncap);

		if (!nb)
			return -ENOMEM;
		*buf = nb;
		*cap = ncap;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return 0;
}

char *fix_persist_text(const char *old, size_t len, const char *const *keys,
		       const uint64_t *vals, const bool *never_lower, size_t n)
{
	static const char header[] =
		"# Written by hpdiag fix --persist: the settings hugepage users need.\n"
		"# hpdiag updates its own keys in place and keeps every other line.\n";
	bool seen[16] = { false };
	size_t olen = 0, cap = 0;
	char *out = NULL, line[128];
	int rc = 0;

	if (n > 16)
		return NULL;
	if (!old)
		rc = append(&out, &olen, &cap, header, sizeof(header) - 1);
	for (size_t i = 0; !rc && old && i < len; ) {
		const char *p = old + i, *nl = memchr(p, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - p) + 1 : len - i;
		const char *eq = memchr(p, '=', ll);
		size_t k = n;
		char key[128], *end;

		if (eq && p[strspn(p, " \t")] != '#' && p[strspn(p, " \t")] != ';') {
			norm_key(p, (size_t)(eq - p), key, sizeof(key));
			for (k = 0; k < n && strcmp(key, keys[k]); k++)
				;
		}
		if (k < n) {
			char num[32];
			size_t vl = ll - (size_t)(eq + 1 - p);
			uint64_t have = 0;
			bool keep;

			seen[k] = true;
			snprintf(num, sizeof(num), "%.*s", (int)(vl < 31 ? vl : 31), eq + 1);
			have = strtoull(num + strspn(num, " \t"), &end, 10);
			end += strspn(end, " \t\n");
			keep = never_lower[k] && !*end && have >= vals[k];
			if (!keep) {
				snprintf(line, sizeof(line), "%s = %" PRIu64 "\n",
					 keys[k], vals[k]);
				rc = append(&out, &olen, &cap, line, strlen(line));
				i += ll;
				continue;
			}
		}
		rc = append(&out, &olen, &cap, p, ll);
		if (!rc && !nl)
			rc = append(&out, &olen, &cap, "\n", 1);
		i += ll;
	}
	for (size_t k = 0; !rc && k < n; k++) {
		if (seen[k])
			continue;
		snprintf(line, sizeof(line), "%s = %" PRIu64 "\n", keys[k], vals[k]);
		rc = append(&out, &olen, &cap, line, strlen(line));
	}
	if (!rc && !out)
		rc = append(&out, &olen, &cap, "", 0);
	if (rc) {
		free(out);
		return NULL;
	}
	return out;
}
