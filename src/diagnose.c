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

static struct finding *finding_new(struct findings *fs, const char *check,
				   enum hp_status st, const char *cause,
				   const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static struct finding *finding_new(struct findings *fs, const char *check,
				   enum hp_status st, const char *cause,
				   const char *fmt, ...)
{
	struct finding *nv, *f;
	va_list ap;

	nv = realloc(fs->v, (fs->n + 1) * sizeof(*nv));
	if (!nv)
		return NULL;
	fs->v = nv;
	f = &nv[fs->n];
	memset(f, 0, sizeof(*f));
	f->check = check;
	f->status = st;
	f->cause = cause;
	va_start(ap, fmt);
	f->message = vfmt(fmt, ap);
	va_end(ap);
	if (!f->message)
		return NULL;
	fs->n++;
	return f;
}

static void remedy(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void remedy(struct finding *f, const char *fmt, ...)
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

int workload_need(const struct snapshot *snap, const struct workload *wl,
		  struct need *need)
{
	uint64_t ps;

	memset(need, 0, sizeof(*need));
	ps = wl->page_size ? wl->page_size : snap->mem.hugepagesize;
	need->page_size = ps;
	if (wl->nr_socket_mem) {
		need->nr_nodes = wl->nr_socket_mem;
		for (size_t i = 0; i < wl->nr_socket_mem; i++) {
			uint64_t bytes = wl->socket_mem[i] << 20;

			need->pages_per_node[i] = ps ? div_up(bytes, ps) : 0;
			need->pages = sat_add(need->pages, need->pages_per_node[i]);
		}
	} else if (wl->have_pages) {
		need->pages = wl->pages;
	} else if (wl->have_mem) {
		need->pages = ps ? div_up(wl->mem_bytes, ps) : 0;
	} else {
		need->pages = 1;
		need->pages_default = true;
	}
	if (wl->have_baseline_vmas) {
		need->baseline_vmas = wl->baseline_vmas;
		need->baseline_vmas_from = "--baseline-vmas";
	} else if (wl->pid) {
		need->baseline_vmas = snap->lim.vma_count;
		need->baseline_vmas_from = "--pid";
	} else {
		need->baseline_vmas = DEFAULT_BASELINE_VMAS;
		need->baseline_vmas_from = "default";
	}
	need->baseline_fds = wl->pid && snap->lim.have_fd_count ?
			     snap->lim.fd_count : DEFAULT_BASELINE_FDS;
	need->vmas = sat_add(need->baseline_vmas, need->pages);
	need->fds = sat_add(need->baseline_fds, need->pages);
	return 0;
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

static void pool_dir(uint64_t ps, char *buf, size_t size)
{
	snprintf(buf, size, "%s/hugepages-%" PRIu64 "kB", PATH_HUGEPAGES, ps >> 10);
}

/* ---- pool ----------------------------------------------------------------- */

static void rule_pool(const struct snapshot *snap, const struct need *need,
		      struct findings *fs)
{
	const struct pool *p = snapshot_pool(snap, need->page_size);
	char s1[32], s2[64], dir[128];
	struct finding *f;
	uint64_t avail;

	sz(need->page_size, s1, sizeof(s1));
	pool_dir(need->page_size, dir, sizeof(dir));
	if (!need->page_size || !snap->nr_pools) {
		f = finding_new(fs, "pool", HP_FAIL, "no_pool",
				"this kernel offers no hugepages at all "
				"(no %s)", PATH_HUGEPAGES);
		remedy(f, "use a kernel built with CONFIG_HUGETLBFS");
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
		remedy(f, "add 'hugepagesz=%s hugepages=%" PRIu64 "' to the kernel "
		       "command line and reboot", s2, need->pages);
		return;
	}
	avail = sat_sub(p->free, p->resv);
	if (p->total == 0 && p->overcommit == 0) {
		f = finding_new(fs, "pool", HP_FAIL, "no_pool",
				"no %s hugepages are configured (nr_hugepages is 0); "
				"%" PRIu64 " needed", s1, need->pages);
		ev_num(f, "page_size", need->page_size);
		ev_num(f, "total", 0);
		ev_num(f, "need", need->pages);
		remedy(f, "echo %" PRIu64 " > %s/nr_hugepages", need->pages, dir);
		return;
	}
	if (avail >= need->pages) {
		f = finding_new(fs, "pool", HP_PASS, NULL,
				"%" PRIu64 " of %" PRIu64 " %s hugepages are free, "
				"%" PRIu64 " needed", avail, p->total, s1, need->pages);
	} else if (sat_add(avail, sat_sub(p->overcommit, p->surplus)) >= need->pages) {
		f = finding_new(fs, "pool", HP_WARN, NULL,
				"only %" PRIu64 " %s hugepages are free, %" PRIu64
				" needed: the rest depends on surplus pages "
				"(nr_overcommit_hugepages = %" PRIu64 ") that the "
				"kernel may fail to allocate", avail, s1,
				need->pages, p->overcommit);
		remedy(f, "echo %" PRIu64 " > %s/nr_hugepages",
		       p->total + need->pages - avail, dir);
	} else {
		f = finding_new(fs, "pool", HP_FAIL, "pool_exhausted",
				"only %" PRIu64 " %s hugepages are free (%" PRIu64
				" in the pool, %" PRIu64 " reserved), %" PRIu64
				" needed", avail, s1, p->total, p->resv, need->pages);
		remedy(f, "echo %" PRIu64 " > %s/nr_hugepages",
		       p->total + need->pages - avail, dir);
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
			remedy(f, "give --socket-mem only for nodes 0-%zu",
			       snap->nr_nodes ? snap->nr_nodes - 1 : 0);
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
			remedy(f, "echo %" PRIu64 " > " PATH_NODES
			       "/node%u/hugepages/hugepages-%" PRIu64
			       "kB/nr_hugepages", pn->total + want - pn->free,
			       pn->node, need->page_size >> 10);
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

	if (!need->page_size)
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

			remedy(f, "mkdir -p %s && mount -t hugetlbfs -o "
			       "pagesize=%s nodev %s", dir, s2, dir);
		}
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
			remedy(f, "mount -o remount,rw %s", shq(m->path, q, sizeof(q)));
		else if (snap->meta.have_euid)
			remedy(f, "chown %u %s (or run the application as "
			       "uid %u)", snap->meta.euid,
			       shq(m->path, q, sizeof(q)), m->uid);
		else
			remedy(f, "chown USER %s", shq(m->path, q, sizeof(q)));
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
	uint64_t quota, left, inodes_left, used;
	const struct mount *m;
	char s1[32], s2[32], q[512];
	struct finding *f;
	bool wrong;

	m = find_mount(snap, wl, need->page_size, &wrong);
	if (!m || wrong || !need->page_size)
		return;
	shq(m->path, q, sizeof(q));
	if (m->size_limit == HP_UNLIMITED && m->nr_inodes == HP_UNLIMITED)
		return;
	quota = m->size_limit == HP_UNLIMITED ? HP_UNLIMITED :
		m->size_limit / need->page_size;
	used = m->have_quota_used ? m->quota_used : m->used_pages;
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
		remedy(f, "mount -o remount,size=%s %s",
		       format_short_size(sat_add(used, need->pages) *
					 need->page_size, s2, sizeof(s2)), q);
	} else if (inodes_left != HP_UNLIMITED && inodes_left < need->pages) {
		f = finding_new(fs, "mount_quota", HP_FAIL, "mount_quota",
				"%s has nr_inodes=%" PRIu64 ": room for %" PRIu64
				" more files, one per page needs %" PRIu64,
				m->path, m->nr_inodes, inodes_left, need->pages);
		remedy(f, "mount -o remount,nr_inodes=%" PRIu64 " %s",
		       m->nr_inodes + need->pages - inodes_left, q);
	} else if ((left != HP_UNLIMITED && tight(need->pages, left)) ||
		   (inodes_left != HP_UNLIMITED && tight(need->pages, inodes_left))) {
		f = finding_new(fs, "mount_quota", HP_WARN, NULL,
				"%s's quota leaves less than 10%% headroom: room "
				"for %" PRIu64 " more pages, %" PRIu64 " needed",
				m->path, left, need->pages);
		remedy(f, "mount -o remount,size=%s %s",
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

static uint64_t suggest_map_count(uint64_t need)
{
	uint64_t v = sat_add(need, need / 5);

	v = (v + 1023) & ~(uint64_t)1023;
	return v < 65530 ? 65530 : v;
}

static void rule_map_count(const struct snapshot *snap, const struct need *need,
			   struct findings *fs)
{
	uint64_t limit = snap->lim.sysctl[SC_MAX_MAP_COUNT].value;
	struct finding *f;

	if (need->vmas > limit) {
		f = finding_new(fs, "map_count", HP_FAIL, "map_count_limit",
				"vm.max_map_count is %" PRIu64 ": %" PRIu64
				" VMAs needed (%" PRIu64 " the process holds "
				"[%s] + %" PRIu64 " hugepage mappings); mmap "
				"fails with ENOMEM at the limit", limit,
				need->vmas, need->baseline_vmas,
				need->baseline_vmas_from, need->pages);
		remedy(f, "sysctl -w vm.max_map_count=%" PRIu64,
		       suggest_map_count(need->vmas));
	} else if (tight(need->vmas, limit)) {
		f = finding_new(fs, "map_count", HP_WARN, NULL,
				"vm.max_map_count is %" PRIu64 ", within 10%% of "
				"the %" PRIu64 " VMAs needed", limit, need->vmas);
		remedy(f, "sysctl -w vm.max_map_count=%" PRIu64,
		       suggest_map_count(need->vmas));
	} else {
		f = finding_new(fs, "map_count", HP_PASS, NULL,
				"vm.max_map_count %" PRIu64 " leaves room for the "
				"%" PRIu64 " VMAs needed", limit, need->vmas);
	}
	ev_num(f, "max_map_count", limit);
	ev_num(f, "baseline_vmas", need->baseline_vmas);
	ev_num(f, "pages", need->pages);
	ev_num(f, "need", need->vmas);
}

static void rule_nofile(const struct snapshot *snap, const struct need *need,
			struct findings *fs)
{
	const struct rlim *rl = &snap->lim.rlimits[RL_NOFILE];
	struct finding *f;

	if (need->fds > rl->hard) {
		f = finding_new(fs, "nofile", HP_FAIL, "rlimit_nofile",
				"RLIMIT_NOFILE hard limit is %" PRIu64 ": one fd "
				"per page needs %" PRIu64 " (%" PRIu64 " + %"
				PRIu64 " pages); open fails with EMFILE",
				rl->hard, need->fds, need->baseline_fds, need->pages);
		remedy(f, "ulimit -Hn %" PRIu64 " && ulimit -n %" PRIu64
		       " (systemd: LimitNOFILE=%" PRIu64 ")", need->fds + need->fds / 5,
		       need->fds + need->fds / 5, need->fds + need->fds / 5);
	} else if (need->fds > rl->soft) {
		f = finding_new(fs, "nofile", HP_WARN, NULL,
				"RLIMIT_NOFILE soft limit is %" PRIu64 ", %" PRIu64
				" fds needed: DPDK raises the soft limit to the hard "
				"limit (%" PRIu64 "), other programs may not",
				rl->soft, need->fds, rl->hard);
		remedy(f, "ulimit -n %" PRIu64, rl->hard);
	} else if (tight(need->fds, rl->hard)) {
		f = finding_new(fs, "nofile", HP_WARN, NULL,
				"RLIMIT_NOFILE hard limit %" PRIu64 " is within 10%% "
				"of the %" PRIu64 " fds needed", rl->hard, need->fds);
		remedy(f, "ulimit -Hn %" PRIu64, need->fds + need->fds / 5);
	} else {
		f = finding_new(fs, "nofile", HP_PASS, NULL,
				"RLIMIT_NOFILE (soft %s%" PRIu64 ", hard %s%" PRIu64
				") allows the %" PRIu64 " fds needed",
				"", rl->soft, "", rl->hard, need->fds);
		if (rl->soft == HP_UNLIMITED || rl->hard == HP_UNLIMITED) {
			free(f->message);
			f->message = strdup("RLIMIT_NOFILE is unlimited");
		}
	}
	ev_lim(f, "soft", rl->soft);
	ev_lim(f, "hard", rl->hard);
	ev_num(f, "baseline_fds", need->baseline_fds);
	ev_num(f, "need", need->fds);
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
			remedy(f, "echo %" PRIu64 " > %s", cl->usage + want,
			       cl->file ? cl->file : "hugetlb limit file");
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

static void rule_stale(const struct snapshot *snap, struct findings *fs)
{
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
		remedy(f, "rm -f%s%s", list, files > 4 ? " ..." : "");
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
	remedy(f, "shrink the pools on those nodes: echo N > "
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
		remedy(f, "echo %" PRIu64 " > %s/nr_hugepages (size the pool to "
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
		remedy(f, "add 'hugepagesz=%s hugepages=%" PRIu64 "' to the kernel "
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
	remedy(f, "echo 1 > /proc/sys/vm/compact_memory, then grow the pool; or "
	       "add 'hugepagesz=%s hugepages=%" PRIu64 "' to the kernel command line",
	       s2, p->total + shortfall);
}

int diagnose_check(const struct snapshot *snap, const struct workload *wl,
		   const struct need *need, struct findings *fs)
{
	fs->v = NULL;
	fs->n = 0;
	rule_pool(snap, need, fs);
	rule_node_pool(snap, need, fs);
	rule_mount(snap, wl, need, fs);
	rule_mount_quota(snap, wl, need, fs);
	rule_map_count(snap, need, fs);
	rule_nofile(snap, need, fs);
	rule_cgroup(snap, need, fs);
	rule_stale(snap, fs);
	rule_starve(snap, need, fs);
	rule_growth(snap, need, fs);
	for (size_t i = 0; i < fs->n; i++)
		if (!fs->v[i].message)
			return -ENOMEM;
	return 0;
}
