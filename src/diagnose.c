// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * diagnose.c - turns (snapshot, workload) into findings.  Pure: no I/O, no
 * globals, so every rule is unit-tested from fixture trees.  Each finding
 * carries a message a person can act on, its numbers as evidence, and the
 * exact command that clears it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "parse.h"
#include "pathnames.h"

/* Normal memory below this share of a node's RAM starves the kernel. */
#define STARVE_PERCENT		10
/* Sizing a pool back leaves this share of RAM to the kernel. */
#define STARVE_TARGET_PERCENT	15

const char *status_name(enum hp_status st)
{
	return st == HP_FAIL ? "fail" : st == HP_WARN ? "warn" : "pass";
}

static char *vfmt(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static char *vfmt(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

static struct finding *finding_newv(struct findings *fs, const char *check,
				    enum hp_status st, const char *cause,
				    const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

static struct finding *finding_newv(struct findings *fs, const char *check,
				    enum hp_status st, const char *cause,
				    const char *fmt, va_list ap)
{
	struct finding *nv, *f;

	nv = realloc(fs->v, (fs->n + 1) * sizeof(*nv));
	if (!nv)
		return NULL;
	fs->v = nv;
	f = &nv[fs->n];
	memset(f, 0, sizeof(*f));
	f->check = check;
	f->status = st;
	f->cause = cause;
	f->message = vfmt(fmt, ap);
	if (!f->message)
		return NULL;
	fs->n++;
	return f;
}

static struct finding *finding_new(struct findings *fs, const char *check,
				   enum hp_status st, const char *cause,
				   const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static struct finding *finding_new(struct findings *fs, const char *check,
				   enum hp_status st, const char *cause,
				   const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	va_start(ap, fmt);
	f = finding_newv(fs, check, st, cause, fmt, ap);
	va_end(ap);
	return f;
}

struct finding *finding_add(struct findings *fs, const char *check,
			    enum hp_status st, const char *cause,
			    const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	va_start(ap, fmt);
	f = finding_newv(fs, check, st, cause, fmt, ap);
	va_end(ap);
	return f;
}


void finding_remedy(struct finding *f, const char *fmt, ...)
{
	va_list ap;

	if (!f)
		return;
	va_start(ap, fmt);
	free(f->remedy);
	f->remedy = vfmt(fmt, ap);
	va_end(ap);
}

static void ev_num(struct finding *f, const char *key, uint64_t v)
{
	if (!f || f->nr_ev >= FINDING_MAX_EVIDENCE)
		return;
	f->ev[f->nr_ev++] = (struct evidence) { .key = key, .type = EV_NUM, .num = v };
}

/* An unlimited value is shown as null in JSON. */
static void ev_lim(struct finding *f, const char *key, uint64_t v)
{
	if (!f || f->nr_ev >= FINDING_MAX_EVIDENCE)
		return;
	if (v == HP_UNLIMITED)
		f->ev[f->nr_ev++] = (struct evidence) { .key = key, .type = EV_NULL };
	else
		ev_num(f, key, v);
}

static void ev_str(struct finding *f, const char *key, const char *s)
{
	if (!f || f->nr_ev >= FINDING_MAX_EVIDENCE)
		return;
	f->ev[f->nr_ev++] = (struct evidence) {
		.key = key, .type = EV_STR, .str = strdup(s ? s : ""),
	};
}

void finding_num(struct finding *f, const char *key, uint64_t v)
{
	ev_num(f, key, v);
}

void finding_str(struct finding *f, const char *key, const char *s)
{
	ev_str(f, key, s);
}

void findings_free(struct findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		free(fs->v[i].message);
		free(fs->v[i].remedy);
		for (size_t j = 0; j < fs->v[i].nr_ev; j++)
			free(fs->v[i].ev[j].str);
	}
	free(fs->v);
	fs->v = NULL;
	fs->n = 0;
}

enum hp_status findings_verdict(const struct findings *fs)
{
	enum hp_status v = HP_PASS;

	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].status > v)
			v = fs->v[i].status;
	return v;
}

const struct finding *findings_get(const struct findings *fs, const char *check)
{
	for (size_t i = 0; i < fs->n; i++)
		if (!strcmp(fs->v[i].check, check))
			return &fs->v[i];
	return NULL;
}

const struct evidence *finding_evidence(const struct finding *f, const char *key)
{
	for (size_t i = 0; f && i < f->nr_ev; i++)
		if (!strcmp(f->ev[i].key, key))
			return &f->ev[i];
	return NULL;
}

static uint64_t div_up(uint64_t a, uint64_t b)
{
	return b ? a / b + (a % b != 0) : 0;
}

static uint64_t sat_sub(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* True when LIMIT leaves less than 10% above NEED. */
static bool tight(uint64_t need, uint64_t limit)
{
	uint64_t spare;

	if (limit == HP_UNLIMITED || limit < need)
		return false;
	spare = limit - need;
	return spare < UINT64_MAX / 10 && spare * 10 < need;
}

/*
 * When the application meets each limit, in DPDK's order: discovering the
 * pools and mounts, reserving the memseg lists' address space, (legacy) the
 * first pass over the pool, checking the page count, then page by page -
 * where the limit with the least room is the one met first.
 */
enum stage {
	STAGE_DISCOVER = 1,
	STAGE_RESERVE,
	STAGE_LEGACY_MAP,
	STAGE_COUNT,
	STAGE_PAGES,
};

static void set_order(struct finding *f, enum stage st, uint64_t room)
{
	if (!f)
		return;
	f->order = (uint64_t)st << 48 | (room < (1ULL << 48) ? room : (1ULL << 48) - 1);
}

static bool uses_files(enum mode m)
{
	return m == MODE_DYNAMIC || m == MODE_LEGACY || m == MODE_SINGLE_FILE;
}

/* Quotes a path for a shell command line when it needs it. */
static const char *shq(const char *s, char *buf, size_t size)
{
	size_t w = 0;

	if (s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		     "0123456789/._-+,:=@%")] == '\0' && *s)
		return s;
	if (size < 3)
		return "''";
	buf[w++] = '\'';
	for (; *s && w + 5 < size; s++) {
		if (*s == '\'') {
			memcpy(buf + w, "'\\''", 4);
			w += 4;
		} else {
			buf[w++] = *s;
		}
	}
	buf[w++] = '\'';
	buf[w] = '\0';
	return buf;
}

static const char *sz(uint64_t bytes, char *buf, size_t size)
{
	return format_bytes(bytes, buf, size);
}

/* A byte limit for a message: "unlimited" or "8 MiB". */
static const char *szlim(uint64_t bytes, char *buf, size_t size)
{
	return bytes == HP_UNLIMITED ? "unlimited" : sz(bytes, buf, size);
}

static void pool_dir(uint64_t ps, char *buf, size_t size)
{
	snprintf(buf, size, "%s/hugepages-%" PRIu64 "kB", PATH_HUGEPAGES, ps >> 10);
}

/* ---- pool ----------------------------------------------------------------- */

static const struct mount *find_mount(const struct snapshot *snap,
				      const struct workload *wl, uint64_t ps,
				      bool *wrong_size);

/* The directory the application keeps its page files in. */
static const char *app_dir(const struct snapshot *snap, const struct workload *wl,
			   uint64_t ps)
{
	const struct mount *m;
	bool wrong;

	if (wl->huge_dir)
		return wl->huge_dir;
	m = find_mount(snap, wl, ps, &wrong);
	return m && !wrong ? m->path : NULL;
}

/*
 * A DPDK primary deletes, at start, every "*map_*" file in its hugepage
 * directory that no process holds locked, whatever its prefix: those pages
 * are the application's to take.  Returns their number of pages.
 */
uint64_t dpdk_reclaimable(const struct snapshot *snap,
			  const struct workload *wl, uint64_t ps, uint64_t *files)
{
	const char *dir = app_dir(snap, wl, ps);
	uint64_t pages = 0;
	size_t dl;

	*files = 0;
	if (!dir || !mode_is_dpdk(wl->mode) || !snap->procs_scanned)
		return 0;
	dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	for (size_t i = 0; i < snap->nr_mounts; i++) {
		const struct mount *m = &snap->mounts[i];

		if (m->page_size != ps)
			continue;
		for (size_t j = 0; j < m->nr_files; j++) {
			const struct mount_file *mf = &m->files[j];
			const char *base = strrchr(mf->path, '/');

			if (mf->in_use || !base || (size_t)(base - mf->path) != dl ||
			    strncmp(mf->path, dir, dl) || !strstr(base, "map_"))
				continue;
			(*files)++;
			pages += mf->pages;
		}
	}
	return pages;
}

static void rule_pool(const struct snapshot *snap, const struct workload *wl,
		      const struct need *need, struct findings *fs)
{
	const struct pool *p = snapshot_pool(snap, need->page_size);
	char s1[32], s2[64], dir[128];
	uint64_t avail, reclaim, rfiles;
	struct finding *f;

	sz(need->page_size, s1, sizeof(s1));
	pool_dir(need->page_size, dir, sizeof(dir));
	if (!need->page_size || !snap->nr_pools) {
		f = finding_new(fs, "pool", HP_FAIL, "no_pool",
				"this kernel offers no hugepages at all "
				"(no %s)", PATH_HUGEPAGES);
		finding_remedy(f, "use a kernel built with CONFIG_HUGETLBFS");
		set_order(f, STAGE_DISCOVER, 0);
		return;
	}
	if (!p) {
		char list[256] = "";

		for (size_t i = 0; i < snap->nr_pools; i++) {
			size_t l = strlen(list);

			snprintf(list + l, sizeof(list) - l, "%s%s", i ? ", " : "",
				 sz(snap->pools[i].page_size, s2, sizeof(s2)));
		}
		f = finding_new(fs, "pool", HP_FAIL, "no_pool",
				"this kernel has no pool of %s pages (it offers %s)",
				s1, list);
		ev_num(f, "page_size", need->page_size);
		format_short_size(need->page_size, s2, sizeof(s2));
		finding_remedy(f, "add 'hugepagesz=%s hugepages=%" PRIu64 "' to the kernel "
		       "command line and reboot", s2, need->pages);
		set_order(f, STAGE_DISCOVER, 0);
		return;
	}
	avail = sat_sub(p->free, p->resv);
	reclaim = dpdk_reclaimable(snap, wl, need->page_size, &rfiles);
	if (p->total == 0 && p->overcommit == 0) {
		f = finding_new(fs, "pool", HP_FAIL, "no_pool",
				"no %s hugepages are configured (nr_hugepages is 0); "
				"%" PRIu64 " needed", s1, need->pages);
		ev_num(f, "page_size", need->page_size);
		ev_num(f, "total", 0);
		ev_num(f, "need", need->pages);
		finding_remedy(f, "echo %" PRIu64 " > %s/nr_hugepages", need->pages, dir);
		set_order(f, STAGE_DISCOVER, 0);
		return;
	}
	if (avail >= need->pages) {
		f = finding_new(fs, "pool", HP_PASS, NULL,
				"%" PRIu64 " of %" PRIu64 " %s hugepages are free, "
				"%" PRIu64 " needed%s", avail, p->total, s1, need->pages,
				need->mode == MODE_LEGACY ? " (legacy mode maps every "
				"free page first, then keeps what it needs)" : "");
	} else if (sat_add(avail, reclaim) >= need->pages) {
		f = finding_new(fs, "pool", HP_WARN, NULL,
				"only %" PRIu64 " %s hugepages are free, %" PRIu64
				" needed: DPDK will take %" PRIu64 " more from %"
				PRIu64 " stale page files it deletes at start",
				avail, s1, need->pages, reclaim, rfiles);
		ev_num(f, "reclaimable_pages", reclaim);
	} else if (sat_add(avail, sat_sub(p->overcommit, p->surplus)) >= need->pages) {
		f = finding_new(fs, "pool", HP_WARN, NULL,
				"only %" PRIu64 " %s hugepages are free, %" PRIu64
				" needed: the rest depends on surplus pages "
				"(nr_overcommit_hugepages = %" PRIu64 ") that the "
				"kernel may fail to allocate", avail, s1,
				need->pages, p->overcommit);
		finding_remedy(f, "echo %" PRIu64 " > %s/nr_hugepages",
		       p->total + need->pages - avail, dir);
	} else {
		f = finding_new(fs, "pool", HP_FAIL, "pool_exhausted",
				"only %" PRIu64 " %s hugepages are free (%" PRIu64
				" in the pool, %" PRIu64 " reserved), %" PRIu64
				" needed", avail, s1, p->total, p->resv, need->pages);
		finding_remedy(f, "echo %" PRIu64 " > %s/nr_hugepages",
		       p->total + need->pages - avail - reclaim, dir);
		set_order(f, mode_is_dpdk(need->mode) ? STAGE_COUNT :
			  STAGE_DISCOVER, 0);
	}
	ev_num(f, "page_size", need->page_size);
	ev_num(f, "total", p->total);
	ev_num(f, "free", p->free);
	ev_num(f, "reserved", p->resv);
	ev_num(f, "surplus", p->surplus);
	ev_num(f, "overcommit", p->overcommit);
	ev_num(f, "need", need->pages);
}

static const struct pool_node *pool_node(const struct pool *p, unsigned node)
{
	for (size_t i = 0; p && i < p->nr_nodes; i++)
		if (p->nodes[i].node == node)
			return &p->nodes[i];
	return NULL;
}

static void rule_node_pool(const struct snapshot *snap, const struct need *need,
			   struct findings *fs)
{
	const struct pool *p = snapshot_pool(snap, need->page_size);
	char s1[32];

	if (!p)
		return;
	sz(need->page_size, s1, sizeof(s1));
	for (size_t i = 0; i < need->nr_nodes; i++) {
		const struct pool_node *pn;
		struct finding *f;
		uint64_t want = need->pages_per_node[i];

		if (!want)
			continue;
		pn = pool_node(p, (unsigned)i);
		if (!pn) {
			f = finding_new(fs, "node_pool", HP_FAIL,
					"node_pool_exhausted",
					"%" PRIu64 " %s hugepages asked for on NUMA "
					"node %zu, which has no memory or does not "
					"exist (%zu node%s)", want, s1, i,
					snap->nr_nodes, snap->nr_nodes == 1 ? "" : "s");
			ev_num(f, "node", i);
			ev_num(f, "need", want);
			finding_remedy(f, "give --socket-mem only for nodes 0-%zu",
			       snap->nr_nodes ? snap->nr_nodes - 1 : 0);
			set_order(f, STAGE_COUNT, 0);
			continue;
		}
		if (pn->free >= want) {
			f = finding_new(fs, "node_pool", HP_PASS, NULL,
					"node %u has %" PRIu64 " free %s hugepages, "
					"%" PRIu64 " needed", pn->node, pn->free,
					s1, want);
		} else {
			f = finding_new(fs, "node_pool", HP_FAIL,
					"node_pool_exhausted",
					"node %u has only %" PRIu64 " free %s "
					"hugepages, %" PRIu64 " needed there%s",
					pn->node, pn->free, s1, want,
					sat_sub(p->free, p->resv) >= need->pages ?
					" (the pool as a whole has enough: they "
					"are on other nodes)" : "");
			finding_remedy(f, "echo %" PRIu64 " > " PATH_NODES
			       "/node%u/hugepages/hugepages-%" PRIu64
			       "kB/nr_hugepages", pn->total + want - pn->free,
			       pn->node, need->page_size >> 10);
			set_order(f, STAGE_COUNT, 0);
		}
		ev_num(f, "node", pn->node);
		ev_num(f, "total", pn->total);
		ev_num(f, "free", pn->free);
		ev_num(f, "need", want);
	}
}

/* ---- mounts --------------------------------------------------------------- */

/* The mount the application will use: --huge-dir's, else the first one. */
static const struct mount *find_mount(const struct snapshot *snap,
				      const struct workload *wl, uint64_t ps,
				      bool *wrong_size)
{
	const struct mount *best = NULL;
	size_t best_len = 0;

	*wrong_size = false;
	if (!wl->huge_dir) {
		for (size_t i = 0; i < snap->nr_mounts; i++)
			if (snap->mounts[i].page_size == ps)
				return &snap->mounts[i];
		return NULL;
	}
	for (size_t i = 0; i < snap->nr_mounts; i++) {
		const struct mount *m = &snap->mounts[i];
		size_t ml = strlen(m->path);

		while (ml > 1 && m->path[ml - 1] == '/')
			ml--;
		if (strncmp(wl->huge_dir, m->path, ml) ||
		    (wl->huge_dir[ml] != '/' && wl->huge_dir[ml] != '\0' && ml > 1))
			continue;
		if (ml >= best_len) {
			best = m;
			best_len = ml;
		}
	}
	if (best && best->page_size != ps) {
		*wrong_size = true;
		return best;
	}
	return best;
}

static void default_mount_path(uint64_t ps, uint64_t def, char *buf, size_t size)
{
	char s[16];

	if (ps == def)
		snprintf(buf, size, "/dev/hugepages");
	else
		snprintf(buf, size, "/dev/hugepages-%s",
			 format_short_size(ps, s, sizeof(s)));
}

static void rule_mount(const struct snapshot *snap, const struct workload *wl,
		       const struct need *need, struct findings *fs)
{
	char s1[32], s2[16], path[128];
	const struct mount *m;
	struct finding *f;
	bool wrong;

	if (!need->page_size || !uses_files(need->mode))
		return;
	sz(need->page_size, s1, sizeof(s1));
	format_short_size(need->page_size, s2, sizeof(s2));
	m = find_mount(snap, wl, need->page_size, &wrong);
	default_mount_path(need->page_size, snap->mem.hugepagesize, path, sizeof(path));
	if (!m || wrong) {
		if (wl->huge_dir && !m)
			f = finding_new(fs, "mount", HP_FAIL, "no_mount",
					"--huge-dir %s is not on a hugetlbfs mount",
					wl->huge_dir);
		else if (wrong)
			f = finding_new(fs, "mount", HP_FAIL, "no_mount",
					"--huge-dir %s is on a hugetlbfs mount of "
					"%s pages (%s), not %s", wl->huge_dir,
					sz(m->page_size, path, sizeof(path)),
					m->path, s1);
		else
			f = finding_new(fs, "mount", HP_FAIL, "no_mount",
					"no hugetlbfs is mounted for %s pages "
					"(%zu hugetlbfs mount%s)", s1,
					snap->nr_mounts,
					snap->nr_mounts == 1 ? "" : "s");
		default_mount_path(need->page_size, snap->mem.hugepagesize,
				   path, sizeof(path));
		ev_num(f, "page_size", need->page_size);
		ev_num(f, "mounts", snap->nr_mounts);
		{
			char q[512];
			const char *dir = shq(wl->huge_dir && !wrong ?
					      wl->huge_dir : path, q, sizeof(q));

			finding_remedy(f, "mkdir -p %s && mount -t hugetlbfs -o "
			       "pagesize=%s nodev %s", dir, s2, dir);
		}
		set_order(f, STAGE_DISCOVER, 0);
		return;
	}
	if (m->read_only || m->writable == 0) {
		char q[512], mode[8];

		snprintf(mode, sizeof(mode), "%04o", m->mode);
		f = finding_new(fs, "mount", HP_FAIL, "mount_permission",
				"%s (hugetlbfs, %s pages) is %s: page files "
				"cannot be created there", m->path, s1,
				m->read_only ? "mounted read-only" :
				"not writable by this user");
		ev_str(f, "path", m->path);
		ev_num(f, "uid", m->uid);
		ev_num(f, "gid", m->gid);
		ev_str(f, "mode", mode);
		if (m->read_only)
			finding_remedy(f, "mount -o remount,rw %s", shq(m->path, q, sizeof(q)));
		else if (snap->meta.have_euid)
			finding_remedy(f, "chown %u %s (or run the application as "
			       "uid %u)", snap->meta.euid,
			       shq(m->path, q, sizeof(q)), m->uid);
		else
			finding_remedy(f, "chown USER %s", shq(m->path, q, sizeof(q)));
		set_order(f, STAGE_DISCOVER, 0);
		return;
	}
	f = finding_new(fs, "mount", HP_PASS, NULL,
			"%s is a hugetlbfs mount for %s pages%s", m->path, s1,
			m->writable < 0 ? " (write access unknown: the "
			"captured tree does not record it)" : " and writable");
	ev_str(f, "path", m->path);
	ev_num(f, "page_size", m->page_size);
}

static void rule_mount_quota(const struct snapshot *snap,
			     const struct workload *wl, const struct need *need,
			     struct findings *fs)
{
	uint64_t quota, left, inodes_left, used, rfiles, rpages;
	const struct mount *m;
	char s1[32], s2[32], qbuf[512];
	const char *q;
	struct finding *f;
	bool wrong;

	if (!uses_files(need->mode))
		return;
	m = find_mount(snap, wl, need->page_size, &wrong);
	if (!m || wrong || !need->page_size)
		return;
	q = shq(m->path, qbuf, sizeof(qbuf));
	if (m->size_limit == HP_UNLIMITED && m->nr_inodes == HP_UNLIMITED)
		return;
	quota = m->size_limit == HP_UNLIMITED ? HP_UNLIMITED :
		m->size_limit / need->page_size;
	used = m->have_quota_used ? m->quota_used : m->used_pages;
	/* DPDK deletes its stale page files at start: their pages go back
	 * to the quota before it maps anything. */
	rpages = dpdk_reclaimable(snap, wl, need->page_size, &rfiles);
	used = sat_sub(used, rpages);
	left = quota == HP_UNLIMITED ? HP_UNLIMITED : sat_sub(quota, used);
	inodes_left = m->nr_inodes == HP_UNLIMITED ? HP_UNLIMITED :
		      sat_sub(m->nr_inodes, m->nr_files + 1);
	if (left != HP_UNLIMITED && left < need->pages) {
		f = finding_new(fs, "mount_quota", HP_FAIL, "mount_quota",
				"%s has size=%s: room for %" PRIu64 " more pages "
				"(%" PRIu64 " used), %" PRIu64 " needed; mmap "
				"fails with ENOMEM past it", m->path,
				sz(m->size_limit, s1, sizeof(s1)), left,
				used, need->pages);
		finding_remedy(f, "mount -o remount,size=%s %s",
		       format_short_size(sat_add(used, need->pages) *
					 need->page_size, s2, sizeof(s2)), q);
		set_order(f, need->mode == MODE_LEGACY ? STAGE_COUNT : STAGE_PAGES, left);
	} else if (inodes_left != HP_UNLIMITED && inodes_left < need->pages) {
		f = finding_new(fs, "mount_quota", HP_FAIL, "mount_quota",
				"%s has nr_inodes=%" PRIu64 ": room for %" PRIu64
				" more files, one per page needs %" PRIu64,
				m->path, m->nr_inodes, inodes_left, need->pages);
		finding_remedy(f, "mount -o remount,nr_inodes=%" PRIu64 " %s",
		       m->nr_inodes + need->pages - inodes_left, q);
		set_order(f, need->mode == MODE_LEGACY ? STAGE_COUNT : STAGE_PAGES,
			  inodes_left);
	} else if ((left != HP_UNLIMITED && tight(need->pages, left)) ||
		   (inodes_left != HP_UNLIMITED && tight(need->pages, inodes_left))) {
		f = finding_new(fs, "mount_quota", HP_WARN, NULL,
				"%s's quota leaves less than 10%% headroom: room "
				"for %" PRIu64 " more pages, %" PRIu64 " needed",
				m->path, left, need->pages);
		finding_remedy(f, "mount -o remount,size=%s %s",
		       format_short_size(sat_add(used, need->pages +
						 need->pages / 5 + 1) *
					 need->page_size, s2, sizeof(s2)), q);
	} else {
		f = finding_new(fs, "mount_quota", HP_PASS, NULL,
				"%s's quota has room for %" PRIu64 " more pages, "
				"%" PRIu64 " needed", m->path,
				left == HP_UNLIMITED ? inodes_left : left,
				need->pages);
	}
	ev_str(f, "path", m->path);
	ev_lim(f, "size_limit", m->size_limit);
	ev_lim(f, "inodes_limit", m->nr_inodes);
	ev_num(f, "used_pages", used);
	ev_num(f, "need", need->pages);
}

/* ---- per-process limits ------------------------------------------------------ */

uint64_t suggest_max_map_count(uint64_t need)
{
	uint64_t v = sat_add(need, need / 5);

	v = (v + 1023) & ~(uint64_t)1023;
	return v < 65530 ? 65530 : v;
}

/* "1060 held before [default] + 10 for DPDK's lists + 32 pages" */
static void vma_breakdown(const struct need *need, char *buf, size_t size)
{
	uint64_t lists = need->vmas_before_pages - need->baseline_vmas;
	uint64_t pages = need->vmas - need->vmas_before_pages;

	if (need->mode == MODE_LEGACY && need->dpdk_version < 1805)
		snprintf(buf, size, "%" PRIu64 " the process holds [%s] + %" PRIu64
			 " free pages mapped twice: DPDK before 18.05 maps the "
			 "whole pool, whatever -m asks", need->baseline_vmas,
			 need->baseline_vmas_from, need->pool_pages);
	else if (need->mode == MODE_LEGACY)
		snprintf(buf, size, "%" PRIu64 " the process holds [%s] + %" PRIu64
			 " for the shared config and %" PRIu64 " memseg lists + %"
			 PRIu64 " for every free page, which legacy mode maps "
			 "first whatever -m asks", need->baseline_vmas,
			 need->baseline_vmas_from, lists, need->lists, pages);
	else if (mode_is_dpdk(need->mode))
		snprintf(buf, size, "%" PRIu64 " the process holds [%s] + %" PRIu64
			 " for the shared config and %" PRIu64 " memseg lists + %"
			 PRIu64 " hugepage mappings", need->baseline_vmas,
			 need->baseline_vmas_from, lists, need->lists, pages);
	else
		snprintf(buf, size, "%" PRIu64 " the process holds [%s] + 1 "
			 "mapping", need->baseline_vmas, need->baseline_vmas_from);
}

static void rule_map_count(const struct snapshot *snap, const struct need *need,
			   struct findings *fs)
{
	uint64_t limit = snap->lim.sysctl[SC_MAX_MAP_COUNT].value;
	struct finding *f;
	char why[400];

	vma_breakdown(need, why, sizeof(why));
	if (need->vmas > limit) {
		f = finding_new(fs, "map_count", HP_FAIL, "map_count_limit",
				"vm.max_map_count is %" PRIu64 ": %" PRIu64
				" VMAs needed (%s); mmap fails with ENOMEM at the "
				"limit", limit, need->vmas, why);
		finding_remedy(f, "sysctl -w vm.max_map_count=%" PRIu64,
		       suggest_max_map_count(need->vmas));
		if (need->vmas_before_pages >= limit)
			set_order(f, STAGE_RESERVE, 0);
		else if (need->mode == MODE_LEGACY)
			set_order(f, STAGE_LEGACY_MAP, 0);
		else
			set_order(f, STAGE_PAGES, limit - need->vmas_before_pages);
	} else if (tight(need->vmas, limit)) {
		f = finding_new(fs, "map_count", HP_WARN, NULL,
				"vm.max_map_count is %" PRIu64 ", within 10%% of "
				"the %" PRIu64 " VMAs needed (%s)", limit,
				need->vmas, why);
		finding_remedy(f, "sysctl -w vm.max_map_count=%" PRIu64,
		       suggest_max_map_count(need->vmas));
	} else {
		f = finding_new(fs, "map_count", HP_PASS, NULL,
				"vm.max_map_count %" PRIu64 " leaves room for the "
				"%" PRIu64 " VMAs needed", limit, need->vmas);
	}
	ev_num(f, "max_map_count", limit);
	ev_num(f, "baseline_vmas", need->baseline_vmas);
	ev_num(f, "lists", need->lists);
	ev_num(f, "pages", need->vmas - need->vmas_before_pages);
	ev_num(f, "need", need->vmas);
}

static void rule_nofile(const struct snapshot *snap, const struct need *need,
			struct findings *fs)
{
	const struct rlim *rl = &snap->lim.rlimits[RL_NOFILE];
	/* DPDK raises the soft limit to the hard one; others live with soft. */
	uint64_t limit = need->raises_nofile ? rl->hard : rl->soft;
	uint64_t want = need->fds + need->fds / 5;
	struct finding *f;

	if (need->fds > limit) {
		f = finding_new(fs, "nofile", HP_FAIL, "rlimit_nofile",
				"RLIMIT_NOFILE %s limit is %" PRIu64 ": %" PRIu64
				" fds needed (%" PRIu64 " before the first page, "
				"then %s); open fails with EMFILE",
				need->raises_nofile ? "hard" : "soft", limit,
				need->fds, need->fds_before_pages,
				need->mode == MODE_SINGLE_FILE ? "one per memseg list" :
				need->mode == MODE_IN_MEMORY ? "one memfd per page" :
				"one per page file");
		finding_remedy(f, "ulimit -Hn %" PRIu64 " && ulimit -n %" PRIu64
		       " (systemd: LimitNOFILE=%" PRIu64 ")", want, want, want);
		set_order(f, STAGE_PAGES, sat_sub(limit, need->fds_before_pages));
	} else if (need->fds > rl->soft) {
		f = finding_new(fs, "nofile", HP_WARN, NULL,
				"RLIMIT_NOFILE soft limit is %" PRIu64 ", %" PRIu64
				" fds needed: DPDK raises the soft limit to the hard "
				"limit (%" PRIu64 "), other programs may not",
				rl->soft, need->fds, rl->hard);
		finding_remedy(f, "ulimit -n %" PRIu64, rl->hard);
	} else if (tight(need->fds, limit)) {
		f = finding_new(fs, "nofile", HP_WARN, NULL,
				"RLIMIT_NOFILE limit %" PRIu64 " is within 10%% "
				"of the %" PRIu64 " fds needed", limit, need->fds);
		finding_remedy(f, "ulimit -Hn %" PRIu64 " && ulimit -n %" PRIu64, want, want);
	} else if (limit == HP_UNLIMITED) {
		f = finding_new(fs, "nofile", HP_PASS, NULL, "RLIMIT_NOFILE is unlimited");
	} else {
		f = finding_new(fs, "nofile", HP_PASS, NULL,
				"RLIMIT_NOFILE (soft %" PRIu64 ", hard %" PRIu64
				") allows the %" PRIu64 " fds needed",
				rl->soft, rl->hard, need->fds);
	}
	ev_lim(f, "soft", rl->soft);
	ev_lim(f, "hard", rl->hard);
	ev_num(f, "baseline_fds", need->baseline_fds);
	ev_num(f, "need", need->fds);
}

/* RLIMIT_AS against the address space the model reserves, and the CPU's. */
static void rule_va(const struct snapshot *snap, const struct need *need,
		    struct findings *fs)
{
	const struct rlim *rl = &snap->lim.rlimits[RL_AS];
	uint64_t space = snap->meta.va_bits ? 1ULL << snap->meta.va_bits : 0;
	char s1[32], s2[32], s3[32];
	struct finding *f;

	if (space && need->va_bytes > space) {
		f = finding_new(fs, "va_space", HP_FAIL, "va_space",
				"the workload reserves %s of address space, more "
				"than the %s a process has here", sz(need->va_bytes,
				s1, sizeof(s1)), sz(space, s2, sizeof(s2)));
		ev_num(f, "need", need->va_bytes);
		ev_num(f, "address_space", space);
		finding_remedy(f, "use fewer page sizes or NUMA nodes (DPDK reserves "
		       "lists for each mounted size on each node)");
		set_order(f, STAGE_RESERVE, 0);
	}
	if (need->va_bytes > rl->soft) {
		f = finding_new(fs, "address_space", HP_FAIL, "rlimit_as",
				"RLIMIT_AS (ulimit -v) is %s: the workload needs %s "
				"of address space (%s%s); mmap fails with ENOMEM",
				sz(rl->soft, s1, sizeof(s1)),
				sz(need->va_bytes, s2, sizeof(s2)),
				mode_is_dpdk(need->mode) && need->lists ?
				"DPDK reserves its memseg lists up front: " : "",
				mode_is_dpdk(need->mode) && need->lists ?
				sz(need->va_bytes - need->baseline_va, s3, sizeof(s3)) :
				"its mappings");
		finding_remedy(f, "ulimit -v unlimited (systemd: LimitAS=infinity)");
		set_order(f, STAGE_RESERVE, 0);
	} else if (tight(need->va_bytes, rl->soft)) {
		f = finding_new(fs, "address_space", HP_WARN, NULL,
				"RLIMIT_AS %s is within 10%% of the %s of address "
				"space needed", sz(rl->soft, s1, sizeof(s1)),
				sz(need->va_bytes, s2, sizeof(s2)));
		finding_remedy(f, "ulimit -v unlimited");
	} else {
		f = finding_new(fs, "address_space", HP_PASS, NULL,
				"RLIMIT_AS (%s) allows the %s of address space needed",
				szlim(rl->soft, s1, sizeof(s1)),
				sz(need->va_bytes, s2, sizeof(s2)));
	}
	ev_lim(f, "soft", rl->soft);
	ev_num(f, "need", need->va_bytes);
}

static void rule_data(const struct snapshot *snap, const struct need *need,
		      struct findings *fs)
{
	const struct rlim *rl = &snap->lim.rlimits[RL_DATA];
	char s1[32], s2[32];
	struct finding *f;

	if (rl->soft == HP_UNLIMITED)
		return;
	if (need->data_bytes > rl->soft) {
		f = finding_new(fs, "data", HP_FAIL, "rlimit_data",
				"RLIMIT_DATA (ulimit -d) is %s: %s of private "
				"writable memory needed; mmap and brk fail with ENOMEM",
				sz(rl->soft, s1, sizeof(s1)),
				sz(need->data_bytes, s2, sizeof(s2)));
		finding_remedy(f, "ulimit -d unlimited (systemd: LimitDATA=infinity)");
		set_order(f, STAGE_RESERVE, 0);
	} else {
		f = finding_new(fs, "data", tight(need->data_bytes, rl->soft) ?
				HP_WARN : HP_PASS, NULL,
				"RLIMIT_DATA %s, %s of private writable memory needed",
				sz(rl->soft, s1, sizeof(s1)),
				sz(need->data_bytes, s2, sizeof(s2)));
		if (f && f->status == HP_WARN)
			finding_remedy(f, "ulimit -d unlimited");
	}
	ev_num(f, "soft", rl->soft);
	ev_num(f, "need", need->data_bytes);
}

/* shmget(SHM_HUGETLB): kernel.shmmax/shmall, and RLIMIT_MEMLOCK unless the
 * process may lock (CAP_IPC_LOCK or vm.hugetlb_shm_group). */
static void rule_shm(const struct snapshot *snap, const struct need *need,
		     struct findings *fs)
{
	const struct limits *l = &snap->lim;
	uint64_t shmmax = l->sysctl[SC_SHMMAX].value;
	uint64_t shmall = l->sysctl[SC_SHMALL].value;
	uint64_t base = snap->meta.base_page_size ? snap->meta.base_page_size : 4096;
	const struct rlim *ml = &l->rlimits[RL_MEMLOCK];
	char s1[32], s2[32];
	struct finding *f;

	if (need->mode != MODE_SHM)
		return;
	if (l->sysctl[SC_SHMMAX].present && need->shm_bytes > shmmax) {
		f = finding_new(fs, "shm", HP_FAIL, "shm_limit",
				"kernel.shmmax is %s: a %s segment is refused "
				"(shmget fails with EINVAL)", sz(shmmax, s1, sizeof(s1)),
				sz(need->shm_bytes, s2, sizeof(s2)));
		finding_remedy(f, "sysctl -w kernel.shmmax=%" PRIu64, need->shm_bytes);
		set_order(f, STAGE_DISCOVER, 0);
		ev_num(f, "shmmax", shmmax);
		ev_num(f, "need", need->shm_bytes);
	} else if (l->sysctl[SC_SHMALL].present && shmall < UINT64_MAX / base &&
		   need->shm_bytes > shmall * base) {
		f = finding_new(fs, "shm", HP_FAIL, "shm_limit",
				"kernel.shmall is %" PRIu64 " pages (%s): a %s "
				"segment is refused (shmget fails with ENOSPC)",
				shmall, sz(shmall * base, s1, sizeof(s1)),
				sz(need->shm_bytes, s2, sizeof(s2)));
		finding_remedy(f, "sysctl -w kernel.shmall=%" PRIu64,
		       div_up(need->shm_bytes, base));
		set_order(f, STAGE_DISCOVER, 0);
		ev_num(f, "shmall", shmall);
		ev_num(f, "need", need->shm_bytes);
	} else {
		f = finding_new(fs, "shm", HP_PASS, NULL, "kernel.shmmax and "
				"kernel.shmall allow a %s segment",
				sz(need->shm_bytes, s1, sizeof(s1)));
	}
	if (!need->locked_bytes)
		return;
	if (need->locked_bytes > ml->soft) {
		f = finding_new(fs, "memlock", HP_FAIL, "rlimit_memlock",
				"RLIMIT_MEMLOCK is %s and the process has neither "
				"CAP_IPC_LOCK nor the group vm.hugetlb_shm_group (%"
				PRIu64 "): the kernel charges the %s SHM_HUGETLB "
				"segment to it and shmget fails with EPERM",
				sz(ml->soft, s1, sizeof(s1)),
				l->sysctl[SC_HUGETLB_SHM_GROUP].value,
				sz(need->locked_bytes, s2, sizeof(s2)));
		if (l->have_gid)
			finding_remedy(f, "sysctl -w vm.hugetlb_shm_group=%u (the "
			       "application's group), or ulimit -l unlimited "
			       "(systemd: LimitMEMLOCK=infinity)", l->gid);
		else
			finding_remedy(f, "sysctl -w vm.hugetlb_shm_group=GID (the "
			       "application's group), or ulimit -l unlimited "
			       "(systemd: LimitMEMLOCK=infinity)");
		set_order(f, STAGE_DISCOVER, 1);
	} else {
		f = finding_new(fs, "memlock", HP_PASS, NULL,
				"RLIMIT_MEMLOCK (%s) covers the %s segment",
				szlim(ml->soft, s1, sizeof(s1)),
				sz(need->locked_bytes, s2, sizeof(s2)));
	}
	ev_lim(f, "soft", ml->soft);
	ev_num(f, "need", need->locked_bytes);
}

static void rule_cgroup(const struct snapshot *snap, const struct need *need,
			struct findings *fs)
{
	char s1[32], s2[32], s3[32], s4[32];

	for (size_t i = 0; i < snap->cg.nr_limits; i++) {
		const struct cgroup_limit *cl = &snap->cg.limits[i];
		uint64_t want, left;
		struct finding *f;

		if (cl->page_size != need->page_size || cl->limit == HP_UNLIMITED)
			continue;
		want = need->pages * need->page_size;
		left = sat_sub(cl->limit, cl->usage);
		if (left < want) {
			f = finding_new(fs, "cgroup_hugetlb", HP_FAIL,
					"cgroup_hugetlb_limit",
					"the cgroup allows %s more of %s hugepages "
					"(limit %s), %s needed: the kernel charges "
					"at fault time, so the process gets SIGBUS "
					"when it touches a page, not ENOMEM from mmap",
					sz(left, s1, sizeof(s1)),
					sz(need->page_size, s3, sizeof(s3)),
					sz(cl->limit, s2, sizeof(s2)),
					sz(want, s4, sizeof(s4)));
			finding_remedy(f, "echo %" PRIu64 " > %s", cl->usage + want,
			       cl->file ? cl->file : "hugetlb limit file");
			set_order(f, need->mode == MODE_LEGACY ? STAGE_COUNT :
				  mode_is_dpdk(need->mode) ? STAGE_PAGES :
				  STAGE_DISCOVER, left / need->page_size);
		} else {
			f = finding_new(fs, "cgroup_hugetlb", HP_PASS, NULL,
					"the cgroup's hugetlb limit (%s) leaves "
					"room for %s", sz(cl->limit, s1, sizeof(s1)),
					sz(want, s2, sizeof(s2)));
		}
		ev_num(f, "limit", cl->limit);
		ev_num(f, "usage", cl->usage);
		ev_num(f, "need", want);
		if (cl->file)
			ev_str(f, "file", cl->file);
	}
}

/* ---- host-wide warnings ----------------------------------------------------- */

static void rule_stale(const struct snapshot *snap, const struct workload *wl,
		       const struct need *need, struct findings *fs)
{
	uint64_t rfiles = 0, rpages;

	/* Files the DPDK primary will delete at start: their pages are its. */
	rpages = dpdk_reclaimable(snap, wl, need->page_size, &rfiles);
	if (rfiles) {
		char s1[32];
		struct finding *f;

		f = finding_new(fs, "stale_hugepage_files", HP_WARN, NULL,
				"%s holds %" PRIu64 " stale DPDK page file%s "
				"(%" PRIu64 " hugepages, %s) that no process uses: "
				"DPDK deletes them when it starts and takes their "
				"pages", app_dir(snap, wl, need->page_size), rfiles,
				rfiles == 1 ? "" : "s", rpages,
				sz(rpages * need->page_size, s1, sizeof(s1)));
		ev_num(f, "files", rfiles);
		ev_num(f, "pages", rpages);
		ev_num(f, "bytes", rpages * need->page_size);
		ev_num(f, "reclaimable", 1);
	}
	for (size_t i = 0; i < snap->nr_mounts; i++) {
		const struct mount *m = &snap->mounts[i];
		uint64_t files = 0, pages = 0;
		char list[600] = "", s1[32];
		struct finding *f;

		if (!m->have_usage || !snap->procs_scanned)
			continue;
		for (size_t j = 0; j < m->nr_files; j++) {
			const struct mount_file *mf = &m->files[j];
			size_t l = strlen(list);

			if (mf->in_use)
				continue;
			files++;
			pages += mf->pages;
			if (files <= 4 && l + strlen(mf->path) * 4 + 4 < sizeof(list)) {
				char q[512];

				snprintf(list + l, sizeof(list) - l, " %s",
					 shq(mf->path, q, sizeof(q)));
			}
		}
		/* Those DPDK reclaims were reported above. */
		if (m->page_size == need->page_size && rfiles) {
			files -= rfiles;
			pages -= rpages;
			if (!files)
				continue;
		}
		if (!files)
			continue;
		f = finding_new(fs, "stale_hugepage_files", HP_WARN, NULL,
				"%s holds %" PRIu64 " file%s that no process maps "
				"or holds open, keeping %" PRIu64 " hugepages (%s) "
				"out of the pool", m->path, files,
				files == 1 ? "" : "s", pages,
				sz(pages * m->page_size, s1, sizeof(s1)));
		ev_str(f, "path", m->path);
		ev_num(f, "files", files);
		ev_num(f, "pages", pages);
		ev_num(f, "bytes", pages * m->page_size);
		finding_remedy(f, "rm -f%s%s", list, files > 4 ? " ..." : "");
	}
}

static uint64_t pool_bytes(const struct snapshot *snap)
{
	uint64_t b = 0;

	for (size_t i = 0; i < snap->nr_pools; i++)
		b = sat_add(b, snap->pools[i].total * snap->pools[i].page_size);
	return b;
}

static uint64_t pool_free_bytes(const struct snapshot *snap)
{
	uint64_t b = 0;

	for (size_t i = 0; i < snap->nr_pools; i++)
		b = sat_add(b, sat_sub(snap->pools[i].free, snap->pools[i].resv) *
			    snap->pools[i].page_size);
	return b;
}

static const struct pool *largest_pool(const struct snapshot *snap)
{
	const struct pool *best = NULL;

	for (size_t i = 0; i < snap->nr_pools; i++)
		if (!best || snap->pools[i].total * snap->pools[i].page_size >
			     best->total * best->page_size)
			best = &snap->pools[i];
	return best;
}

/* One warning for all nodes that pools leave short of normal memory. */
static void rule_starve_nodes(const struct snapshot *snap, struct findings *fs,
			      bool *any)
{
	uint64_t worst_left = UINT64_MAX, worst_total = 0, count = 0;
	char list[512] = "", s1[32], s2[32];
	unsigned worst = 0;
	struct finding *f;

	*any = false;
	for (size_t n = 0; n < snap->nr_nodes && snap->nr_nodes > 1; n++) {
		const struct node *nd = &snap->nodes[n];
		uint64_t nhuge = 0, left;
		size_t l = strlen(list);

		if (!nd->have_meminfo || !nd->mem_total)
			continue;
		for (size_t i = 0; i < snap->nr_pools; i++) {
			const struct pool_node *pn = pool_node(&snap->pools[i], nd->id);

			if (pn)
				nhuge = sat_add(nhuge, pn->total * snap->pools[i].page_size);
		}
		left = sat_sub(nd->mem_total, nhuge);
		if (left * 100 >= nd->mem_total * STARVE_PERCENT)
			continue;
		count++;
		if (left < worst_left) {
			worst_left = left;
			worst_total = nd->mem_total;
			worst = nd->id;
		}
		if (l + 48 < sizeof(list))
			snprintf(list + l, sizeof(list) - l, "%snode %u %s", l ? ", " : "",
				 nd->id, sz(left, s1, sizeof(s1)));
		else if (!strstr(list, ", ..."))
			snprintf(list + l, sizeof(list) - l, ", ...");
	}
	if (!count)
		return;
	*any = true;
	f = finding_new(fs, "hugepages_starve_kernel", HP_WARN, NULL,
			"on %" PRIu64 " of %zu NUMA nodes hugepage pools leave under "
			"%d%% of the node's memory for the kernel (left: %s); the "
			"worst, node %u, keeps %s of %s", count, snap->nr_nodes,
			STARVE_PERCENT, list, worst, sz(worst_left, s1, sizeof(s1)),
			sz(worst_total, s2, sizeof(s2)));
	ev_num(f, "nodes", count);
	ev_num(f, "worst_node", worst);
	ev_num(f, "worst_node_mem_total", worst_total);
	ev_num(f, "worst_node_normal_bytes", worst_left);
	finding_remedy(f, "shrink the pools on those nodes: echo N > "
	       PATH_NODES "/nodeK/hugepages/hugepages-SIZEkB/nr_hugepages");
}

static void rule_starve(const struct snapshot *snap, const struct need *need,
			struct findings *fs)
{
	uint64_t total = snap->mem.mem_total, huge = pool_bytes(snap);
	uint64_t normal = sat_sub(total, huge), unused = pool_free_bytes(snap);
	const struct pool *big = largest_pool(snap);
	char s1[32], s2[32], s3[32], s4[32], dir[128];
	struct finding *f;
	bool any_node = false;

	if (!total)
		return;
	rule_starve_nodes(snap, fs, &any_node);
	if (normal * 100 >= total * STARVE_PERCENT) {
		if (!any_node) {
			f = finding_new(fs, "hugepages_starve_kernel", HP_PASS, NULL,
					"hugepage pools take %s of %s: %s is left "
					"for the kernel", sz(huge, s1, sizeof(s1)),
					sz(total, s2, sizeof(s2)),
					sz(normal, s3, sizeof(s3)));
			ev_num(f, "mem_total", total);
			ev_num(f, "hugepages_bytes", huge);
			ev_num(f, "normal_bytes", normal);
		}
		return;
	}
	f = finding_new(fs, "hugepages_starve_kernel", HP_WARN, NULL,
			"hugepage pools take %s of %s RAM, leaving %s (under "
			"%d%%) for the kernel and every other process; %s of "
			"the pools is reserved but unused", sz(huge, s1, sizeof(s1)),
			sz(total, s2, sizeof(s2)), sz(normal, s3, sizeof(s3)),
			STARVE_PERCENT, sz(unused, s4, sizeof(s4)));
	ev_num(f, "mem_total", total);
	ev_num(f, "hugepages_bytes", huge);
	ev_num(f, "hugepages_unused_bytes", unused);
	ev_num(f, "normal_bytes", normal);
	if (big) {
		/* Shrink the biggest pool until 15% of RAM is normal memory,
		 * but never below what is in use or what the workload needs. */
		uint64_t others = huge - big->total * big->page_size;
		uint64_t cap = sat_sub(total / 100 * (100 - STARVE_TARGET_PERCENT),
				       others) / big->page_size;
		uint64_t used = sat_sub(big->total, big->free);
		uint64_t floor = used + (big->page_size == need->page_size ?
					 need->pages : 0);

		pool_dir(big->page_size, dir, sizeof(dir));
		finding_remedy(f, "echo %" PRIu64 " > %s/nr_hugepages (size the pool to "
		       "what its users need)", cap > floor ? cap : floor, dir);
	}
}

static unsigned page_order(uint64_t page_size, uint64_t base)
{
	unsigned order = 0;

	while (base && (base << order) < page_size && order < 63)
		order++;
	return order;
}

static void rule_growth(const struct snapshot *snap, const struct need *need,
			struct findings *fs)
{
	const struct pool *p = snapshot_pool(snap, need->page_size);
	uint64_t base = snap->meta.base_page_size, avail, shortfall, grow = 0;
	unsigned order, max_order = 0;
	char s1[32], s2[16];
	struct finding *f;

	if (!p || !base || !snap->nr_buddy)
		return;
	avail = sat_sub(p->free, p->resv);
	if (avail >= need->pages)
		return;
	shortfall = need->pages - avail;
	order = page_order(need->page_size, base);
	for (size_t i = 0; i < snap->nr_buddy; i++) {
		const struct buddy_zone *z = &snap->buddy[i];

		if (z->nr_orders && z->nr_orders - 1 > max_order)
			max_order = z->nr_orders - 1;
		for (unsigned k = order; k < z->nr_orders; k++)
			grow = sat_add(grow, z->free[k] << (k - order));
	}
	sz(need->page_size, s1, sizeof(s1));
	format_short_size(need->page_size, s2, sizeof(s2));
	if (order > max_order) {
		f = finding_new(fs, "boot_time_only", HP_WARN, NULL,
				"%s pages are larger than the biggest free block "
				"the page allocator manages (order %u > %u): the "
				"pool can only grow at run time if a contiguous "
				"%s range happens to be free; reserve them at boot",
				s1, order, max_order, s1);
		ev_num(f, "page_order", order);
		ev_num(f, "max_order", max_order);
		ev_num(f, "shortfall", shortfall);
		finding_remedy(f, "add 'hugepagesz=%s hugepages=%" PRIu64 "' to the kernel "
		       "command line and reboot", s2, p->total + shortfall);
		return;
	}
	if (grow >= shortfall)
		return;
	f = finding_new(fs, "pool_fragmentation", HP_WARN, NULL,
			"growing the %s pool by %" PRIu64 " pages needs free "
			"blocks of order %u; /proc/buddyinfo has room for only %"
			PRIu64 " such pages now (memory is fragmented or in use)",
			s1, shortfall, order, grow);
	ev_num(f, "page_order", order);
	ev_num(f, "growable_pages", grow);
	ev_num(f, "shortfall", shortfall);
	finding_remedy(f, "echo 1 > /proc/sys/vm/compact_memory, then grow the pool; or "
	       "add 'hugepagesz=%s hugepages=%" PRIu64 "' to the kernel command line",
	       s2, p->total + shortfall);
}

int diagnose_check(const struct snapshot *snap, const struct workload *wl,
		   const struct need *need, struct findings *fs)
{
	struct finding *first = NULL;

	fs->v = NULL;
	fs->n = 0;
	rule_pool(snap, wl, need, fs);
	rule_node_pool(snap, need, fs);
	rule_mount(snap, wl, need, fs);
	rule_mount_quota(snap, wl, need, fs);
	rule_va(snap, need, fs);
	rule_data(snap, need, fs);
	rule_shm(snap, need, fs);
	rule_map_count(snap, need, fs);
	rule_nofile(snap, need, fs);
	rule_cgroup(snap, need, fs);
	rule_stale(snap, wl, need, fs);
	rule_starve(snap, need, fs);
	rule_growth(snap, need, fs);
	for (size_t i = 0; i < fs->n; i++) {
		if (!fs->v[i].message)
			return -ENOMEM;
		if (fs->v[i].status == HP_FAIL &&
		    (!first || fs->v[i].order < first->order))
			first = &fs->v[i];
	}
	/* Of several failures, the one the application meets first. */
	if (first)
		first->first = true;
	return 0;
}
