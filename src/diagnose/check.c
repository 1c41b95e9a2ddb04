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

#include "diagnose/diagnose.h"
#include "diagnose/rules.h"
#include "probe/parse.h"
#include "lib/pathnames.h"


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

void finding_num(struct finding *f, const char *key, uint64_t v)
{
	if (!f || f->nr_ev >= FINDING_MAX_EVIDENCE)
		return;
	f->ev[f->nr_ev++] = (struct evidence) { .key = key, .type = EV_NUM, .num = v };
}

/* An unlimited value is shown as null in JSON. */
void dg_ev_lim(struct finding *f, const char *key, uint64_t v)
{
	if (!f || f->nr_ev >= FINDING_MAX_EVIDENCE)
		return;
	if (v == HP_UNLIMITED)
		f->ev[f->nr_ev++] = (struct evidence) { .key = key, .type = EV_NULL };
	else
		finding_num(f, key, v);
}

void finding_str(struct finding *f, const char *key, const char *s)
{
	if (!f || f->nr_ev >= FINDING_MAX_EVIDENCE)
		return;
	f->ev[f->nr_ev++] = (struct evidence) {
		.key = key, .type = EV_STR, .str = strdup(s ? s : ""),
	};
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

/* True when LIMIT leaves less than 10% above NEED. */
bool dg_tight(uint64_t need, uint64_t limit)
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
void dg_set_order(struct finding *f, enum stage st, uint64_t room)
{
	if (!f)
		return;
	f->order = (uint64_t)st << 48 | (room < (1ULL << 48) ? room : (1ULL << 48) - 1);
}

bool dg_uses_files(enum mode m)
{
	return m == MODE_DYNAMIC || m == MODE_LEGACY || m == MODE_SINGLE_FILE;
}

/* Quotes a path for a shell command line when it needs it. */
const char *dg_shq(const char *s, char *buf, size_t size)
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

const char *dg_sz(uint64_t bytes, char *buf, size_t size)
{
	return format_bytes(bytes, buf, size);
}

/* A byte limit for a message: "unlimited" or "8 MiB". */
const char *dg_szlim(uint64_t bytes, char *buf, size_t size)
{
	return bytes == HP_UNLIMITED ? "unlimited" : dg_sz(bytes, buf, size);
}

void dg_pool_dir(uint64_t ps, char *buf, size_t size)
{
	snprintf(buf, size, "%s/hugepages-%" PRIu64 "kB", PATH_HUGEPAGES, ps >> 10);
}

/* ---- pool ----------------------------------------------------------------- */


/* The directory the application keeps its page files in. */
const char *dg_app_dir(const struct snapshot *snap, const struct workload *wl,
			   uint64_t ps)
{
	const struct mount *m;
	bool wrong;

	if (wl->huge_dir)
		return wl->huge_dir;
	m = dg_find_mount(snap, wl, ps, &wrong);
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
	const char *dir = dg_app_dir(snap, wl, ps);
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

static void rule_pool(const struct snapshot *snap, const struct need *need,
		      const struct reclaim *rc, struct findings *fs)
{
	const struct pool *p = snapshot_pool(snap, need->page_size);
	char s1[32], s2[64], dir[128];
	uint64_t avail, reclaim = rc->pages;
	struct finding *f;

	dg_sz(need->page_size, s1, sizeof(s1));
	dg_pool_dir(need->page_size, dir, sizeof(dir));
	if (!need->page_size || !snap->nr_pools) {
		f = finding_add(fs, "pool", HP_FAIL, "no_pool",
				"this kernel offers no hugepages at all "
				"(no %s)", PATH_HUGEPAGES);
		finding_remedy(f, "use a kernel built with CONFIG_HUGETLBFS");
		dg_set_order(f, STAGE_DISCOVER, 0);
		return;
	}
	if (!p) {
		char list[256] = "";

		for (size_t i = 0; i < snap->nr_pools; i++) {
			size_t l = strlen(list);

			snprintf(list + l, sizeof(list) - l, "%s%s", i ? ", " : "",
				 dg_sz(snap->pools[i].page_size, s2, sizeof(s2)));
		}
		f = finding_add(fs, "pool", HP_FAIL, "no_pool",
				"this kernel has no pool of %s pages (it offers %s)",
				s1, list);
		finding_num(f, "page_size", need->page_size);
		format_short_size(need->page_size, s2, sizeof(s2));
		finding_remedy(f, "add 'hugepagesz=%s hugepages=%" PRIu64 "' to the kernel "
		       "command line and reboot", s2, need->pages);
		dg_set_order(f, STAGE_DISCOVER, 0);
		return;
	}
	avail = hp_sat_sub(p->free, p->resv);
	if (p->total == 0 && p->overcommit == 0) {
		f = finding_add(fs, "pool", HP_FAIL, "no_pool",
				"no %s hugepages are configured (nr_hugepages is 0); "
				"%" PRIu64 " needed", s1, need->pages);
		finding_num(f, "page_size", need->page_size);
		finding_num(f, "total", 0);
		finding_num(f, "need", need->pages);
		finding_remedy(f, "echo %" PRIu64 " > %s/nr_hugepages", need->pages, dir);
		dg_set_order(f, STAGE_DISCOVER, 0);
		return;
	}
	if (avail >= need->pages) {
		f = finding_add(fs, "pool", HP_PASS, NULL,
				"%" PRIu64 " of %" PRIu64 " %s hugepages are free, "
				"%" PRIu64 " needed%s", avail, p->total, s1, need->pages,
				need->mode == MODE_LEGACY ? " (legacy mode maps every "
				"free page first, then keeps what it needs)" : "");
	} else if (hp_sat_add(avail, reclaim) >= need->pages) {
		f = finding_add(fs, "pool", HP_WARN, NULL,
				"only %" PRIu64 " %s hugepages are free, %" PRIu64
				" needed: DPDK will take %" PRIu64 " more from %"
				PRIu64 " stale page files it deletes at start",
				avail, s1, need->pages, reclaim, rc->files);
		finding_num(f, "reclaimable_pages", reclaim);
	} else if (hp_sat_add(avail, hp_sat_sub(p->overcommit, p->surplus)) >= need->pages) {
		f = finding_add(fs, "pool", HP_WARN, NULL,
				"only %" PRIu64 " %s hugepages are free, %" PRIu64
				" needed: the rest depends on surplus pages "
				"(nr_overcommit_hugepages = %" PRIu64 ") that the "
				"kernel may fail to allocate", avail, s1,
				need->pages, p->overcommit);
		finding_remedy(f, "echo %" PRIu64 " > %s/nr_hugepages",
		       p->total + need->pages - avail, dir);
	} else {
		f = finding_add(fs, "pool", HP_FAIL, "pool_exhausted",
				"only %" PRIu64 " %s hugepages are free (%" PRIu64
				" in the pool, %" PRIu64 " reserved), %" PRIu64
				" needed", avail, s1, p->total, p->resv, need->pages);
		finding_remedy(f, "echo %" PRIu64 " > %s/nr_hugepages",
		       p->total + need->pages - avail - reclaim, dir);
		dg_set_order(f, mode_is_dpdk(need->mode) ? STAGE_COUNT :
			  STAGE_DISCOVER, 0);
	}
	finding_num(f, "page_size", need->page_size);
	finding_num(f, "total", p->total);
	finding_num(f, "free", p->free);
	finding_num(f, "reserved", p->resv);
	finding_num(f, "surplus", p->surplus);
	finding_num(f, "overcommit", p->overcommit);
	finding_num(f, "need", need->pages);
}

const struct pool_node *dg_pool_node(const struct pool *p, unsigned node)
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
	dg_sz(need->page_size, s1, sizeof(s1));
	for (size_t i = 0; i < need->nr_nodes; i++) {
		const struct pool_node *pn;
		struct finding *f;
		uint64_t want = need->pages_per_node[i];

		if (!want)
			continue;
		pn = dg_pool_node(p, (unsigned)i);
		if (!pn) {
			f = finding_add(fs, "node_pool", HP_FAIL,
					"node_pool_exhausted",
					"%" PRIu64 " %s hugepages asked for on NUMA "
					"node %zu, which has no memory or does not "
					"exist (%zu node%s)", want, s1, i,
					snap->nr_nodes, snap->nr_nodes == 1 ? "" : "s");
			finding_num(f, "node", i);
			finding_num(f, "need", want);
			finding_remedy(f, "give --socket-mem only for nodes 0-%zu",
			       snap->nr_nodes ? snap->nr_nodes - 1 : 0);
			dg_set_order(f, STAGE_COUNT, 0);
			continue;
		}
		if (pn->free >= want) {
			f = finding_add(fs, "node_pool", HP_PASS, NULL,
					"node %u has %" PRIu64 " free %s hugepages, "
					"%" PRIu64 " needed", pn->node, pn->free,
					s1, want);
		} else {
			f = finding_add(fs, "node_pool", HP_FAIL,
					"node_pool_exhausted",
					"node %u has only %" PRIu64 " free %s "
					"hugepages, %" PRIu64 " needed there%s",
					pn->node, pn->free, s1, want,
					hp_sat_sub(p->free, p->resv) >= need->pages ?
					" (the pool as a whole has enough: they "
					"are on other nodes)" : "");
			finding_remedy(f, "echo %" PRIu64 " > " PATH_NODES
			       "/node%u/hugepages/hugepages-%" PRIu64
			       "kB/nr_hugepages", pn->total + want - pn->free,
			       pn->node, need->page_size >> 10);
			dg_set_order(f, STAGE_COUNT, 0);
		}
		finding_num(f, "node", pn->node);
		finding_num(f, "total", pn->total);
		finding_num(f, "free", pn->free);
		finding_num(f, "need", want);
	}
}

/* ---- mounts --------------------------------------------------------------- */

/* The mount the application will use: --huge-dir's, else the first one. */
const struct mount *dg_find_mount(const struct snapshot *snap,
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

void default_mount_path(uint64_t ps, uint64_t def, char *buf, size_t size)
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

	if (!need->page_size || !dg_uses_files(need->mode))
		return;
	dg_sz(need->page_size, s1, sizeof(s1));
	format_short_size(need->page_size, s2, sizeof(s2));
	m = dg_find_mount(snap, wl, need->page_size, &wrong);
	default_mount_path(need->page_size, snap->mem.hugepagesize, path, sizeof(path));
	if (!m || wrong) {
		if (wl->huge_dir && !m)
			f = finding_add(fs, "mount", HP_FAIL, "no_mount",
					"--huge-dir %s is not on a hugetlbfs mount",
					wl->huge_dir);
		else if (wrong && m)
			f = finding_add(fs, "mount", HP_FAIL, "no_mount",
					"--huge-dir %s is on a hugetlbfs mount of "
					"%s pages (%s), not %s", wl->huge_dir,
					dg_sz(m->page_size, path, sizeof(path)),
					m->path, s1);
		else
			f = finding_add(fs, "mount", HP_FAIL, "no_mount",
					"no hugetlbfs is mounted for %s pages "
					"(%zu hugetlbfs mount%s)", s1,
					snap->nr_mounts,
					snap->nr_mounts == 1 ? "" : "s");
		default_mount_path(need->page_size, snap->mem.hugepagesize,
				   path, sizeof(path));
		finding_num(f, "page_size", need->page_size);
		finding_num(f, "mounts", snap->nr_mounts);
		{
			char q[512];
			const char *dir = dg_shq(wl->huge_dir && !wrong ?
					      wl->huge_dir : path, q, sizeof(q));

			finding_remedy(f, "mkdir -p %s && mount -t hugetlbfs -o "
			       "pagesize=%s nodev %s", dir, s2, dir);
		}
		dg_set_order(f, STAGE_DISCOVER, 0);
		return;
	}
	if (m->read_only || m->writable == 0) {
		char q[512], mode[8];

		snprintf(mode, sizeof(mode), "%04o", m->mode);
		f = finding_add(fs, "mount", HP_FAIL, "mount_permission",
				"%s (hugetlbfs, %s pages) is %s: page files "
				"cannot be created there", m->path, s1,
				m->read_only ? "mounted read-only" :
				"not writable by this user");
		finding_str(f, "path", m->path);
		finding_num(f, "uid", m->uid);
		finding_num(f, "gid", m->gid);
		finding_str(f, "mode", mode);
		if (m->read_only)
			finding_remedy(f, "mount -o remount,rw %s", dg_shq(m->path, q, sizeof(q)));
		else if (snap->meta.have_euid)
			finding_remedy(f, "chown %u %s (or run the application as "
			       "uid %u)", snap->meta.euid,
			       dg_shq(m->path, q, sizeof(q)), m->uid);
		else
			finding_remedy(f, "chown USER %s", dg_shq(m->path, q, sizeof(q)));
		dg_set_order(f, STAGE_DISCOVER, 0);
		return;
	}
	f = finding_add(fs, "mount", HP_PASS, NULL,
			"%s is a hugetlbfs mount for %s pages%s", m->path, s1,
			m->writable < 0 ? " (write access unknown: the "
			"captured tree does not record it)" : " and writable");
	finding_str(f, "path", m->path);
	finding_num(f, "page_size", m->page_size);
}

static void rule_mount_quota(const struct snapshot *snap,
			     const struct workload *wl, const struct need *need,
			     const struct reclaim *rc, struct findings *fs)
{
	uint64_t quota, left, inodes_left, used;
	const struct mount *m;
	char s1[32], s2[32], qbuf[512];
	const char *q;
	struct finding *f;
	bool wrong;

	if (!dg_uses_files(need->mode))
		return;
	m = dg_find_mount(snap, wl, need->page_size, &wrong);
	if (!m || wrong || !need->page_size)
		return;
	q = dg_shq(m->path, qbuf, sizeof(qbuf));
	if (m->size_limit == HP_UNLIMITED && m->nr_inodes == HP_UNLIMITED)
		return;
	quota = m->size_limit == HP_UNLIMITED ? HP_UNLIMITED :
		m->size_limit / need->page_size;
	used = m->have_quota_used ? m->quota_used : m->used_pages;
	/* DPDK deletes its stale page files at start: their pages go back
	 * to the quota before it maps anything. */
	used = hp_sat_sub(used, rc->pages);
	left = quota == HP_UNLIMITED ? HP_UNLIMITED : hp_sat_sub(quota, used);
	inodes_left = m->nr_inodes == HP_UNLIMITED ? HP_UNLIMITED :
		      hp_sat_sub(m->nr_inodes, m->nr_files + 1);
	if (left != HP_UNLIMITED && left < need->pages) {
		f = finding_add(fs, "mount_quota", HP_FAIL, "mount_quota",
				"%s has size=%s: room for %" PRIu64 " more pages "
				"(%" PRIu64 " used), %" PRIu64 " needed; mmap "
				"fails with ENOMEM past it", m->path,
				dg_sz(m->size_limit, s1, sizeof(s1)), left,
				used, need->pages);
		finding_remedy(f, "mount -o remount,size=%s %s",
		       format_short_size(hp_sat_add(used, need->pages) *
					 need->page_size, s2, sizeof(s2)), q);
		dg_set_order(f, need->mode == MODE_LEGACY ? STAGE_COUNT : STAGE_PAGES, left);
	} else if (inodes_left != HP_UNLIMITED && inodes_left < need->pages) {
		f = finding_add(fs, "mount_quota", HP_FAIL, "mount_quota",
				"%s has nr_inodes=%" PRIu64 ": room for %" PRIu64
				" more files, one per page needs %" PRIu64,
				m->path, m->nr_inodes, inodes_left, need->pages);
		finding_remedy(f, "mount -o remount,nr_inodes=%" PRIu64 " %s",
		       m->nr_inodes + need->pages - inodes_left, q);
		dg_set_order(f, need->mode == MODE_LEGACY ? STAGE_COUNT : STAGE_PAGES,
			  inodes_left);
	} else if ((left != HP_UNLIMITED && dg_tight(need->pages, left)) ||
		   (inodes_left != HP_UNLIMITED && dg_tight(need->pages, inodes_left))) {
		f = finding_add(fs, "mount_quota", HP_WARN, NULL,
				"%s's quota leaves less than 10%% headroom: room "
				"for %" PRIu64 " more pages, %" PRIu64 " needed",
				m->path, left, need->pages);
		finding_remedy(f, "mount -o remount,size=%s %s",
		       format_short_size(hp_sat_add(used, need->pages +
						 need->pages / 5 + 1) *
					 need->page_size, s2, sizeof(s2)), q);
	} else {
		f = finding_add(fs, "mount_quota", HP_PASS, NULL,
				"%s's quota has room for %" PRIu64 " more pages, "
				"%" PRIu64 " needed", m->path,
				left == HP_UNLIMITED ? inodes_left : left,
				need->pages);
	}
	finding_str(f, "path", m->path);
	dg_ev_lim(f, "size_limit", m->size_limit);
	dg_ev_lim(f, "inodes_limit", m->nr_inodes);
	finding_num(f, "used_pages", used);
	finding_num(f, "need", need->pages);
}

int diagnose_check(const struct snapshot *snap, const struct workload *wl,
		   const struct need *need, struct findings *fs)
{
	struct finding *first = NULL;
	struct reclaim rc;

	fs->v = NULL;
	fs->n = 0;
	/* The stale files DPDK would reclaim: counted once, used thrice. */
	rc.pages = dpdk_reclaimable(snap, wl, need->page_size, &rc.files);
	rule_pool(snap, need, &rc, fs);
	rule_node_pool(snap, need, fs);
	rule_mount(snap, wl, need, fs);
	rule_mount_quota(snap, wl, need, &rc, fs);
	rule_va(snap, need, fs);
	rule_data(snap, need, fs);
	rule_shm(snap, need, fs);
	rule_map_count(snap, need, fs);
	rule_nofile(snap, need, fs);
	rule_cgroup(snap, need, fs);
	rule_stale(snap, wl, need, &rc, fs);
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
