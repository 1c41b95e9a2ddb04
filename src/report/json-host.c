// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json-host.c - the host's state as JSON: the pools (per node), the
 * hugetlbfs mounts with their quotas and files, the limits and the cgroup
 * (keys as in hpdiag-json(5)).
 */
#include <inttypes.h>
#include <json-c/json.h>

#include "lib/num.h"
#include "report/json.h"
#include "report/report.h"

json_object *json_pools(const struct snapshot *snap)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < snap->nr_pools; i++) {
		const struct pool *p = &snap->pools[i];
		json_object *o = json_object_new_object();
		json_object *nodes = json_object_new_array();

		jadd(o, "page_size", jnum(p->page_size));
		jadd(o, "total", jnum(p->total));
		jadd(o, "free", jnum(p->free));
		jadd(o, "reserved", jnum(p->resv));
		jadd(o, "surplus", jnum(p->surplus));
		jadd(o, "overcommit", jnum(p->overcommit));
		for (size_t j = 0; j < p->nr_nodes; j++) {
			json_object *n = json_object_new_object();

			jadd(n, "node", jnum(p->nodes[j].node));
			jadd(n, "total", jnum(p->nodes[j].total));
			jadd(n, "free", jnum(p->nodes[j].free));
			jadd(n, "surplus", jnum(p->nodes[j].surplus));
			json_object_array_add(nodes, n);
		}
		jadd(o, "nodes", nodes);
		json_object_array_add(arr, o);
	}
	return arr;
}

json_object *json_mounts(const struct snapshot *snap)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; i < snap->nr_mounts; i++) {
		const struct mount *m = &snap->mounts[i];
		json_object *o = json_object_new_object();
		json_object *files = json_object_new_array();
		uint64_t stale, pages;

		mount_stale(m, &stale, &pages);
		for (size_t j = 0; j < m->nr_files; j++) {
			json_object *f = json_object_new_object();

			jadd(f, "path", jstr(m->files[j].path));
			jadd(f, "size", jnum(m->files[j].size));
			jadd(f, "pages", jnum(m->files[j].pages));
			jadd(f, "in_use", snap->procs_scanned ?
			    json_object_new_boolean(m->files[j].in_use) : NULL);
			json_object_array_add(files, f);
		}
		jadd(o, "path", jstr(m->path));
		jadd(o, "page_size", jnum(m->page_size));
		jadd(o, "size_limit", jlim(m->size_limit));
		jadd(o, "min_size", jnum(m->min_size));
		jadd(o, "inodes_limit", jlim(m->nr_inodes));
		jadd(o, "uid", jnum(m->uid));
		jadd(o, "gid", jnum(m->gid));
		jadd(o, "mode", jnum(m->mode));
		jadd(o, "read_only", json_object_new_boolean(m->read_only));
		jadd(o, "writable", m->writable < 0 ? NULL :
		    json_object_new_boolean(m->writable));
		jadd(o, "used_pages", m->have_quota_used ? jnum(m->quota_used) :
		    m->have_usage ? jnum(m->used_pages) : NULL);
		jadd(o, "stale_files", m->have_usage && snap->procs_scanned ?
		    jnum(stale) : NULL);
		jadd(o, "files", files);
		json_object_array_add(arr, o);
	}
	return arr;
}

/* The cgroup: each controller's hierarchy and cgroup, its limits (the
 * level with the least room, and where it comes from), and the hugetlb
 * counters of each cgroup read. */
static json_object *json_cgroup(const struct cgroup *c)
{
	json_object *cg = json_object_new_object();
	json_object *cgl = json_object_new_array(), *sts = json_object_new_array();

	jadd(cg, "version", c->version ? json_object_new_int(c->version) : NULL);
	jadd(cg, "path", jstr(c->path));
	jadd(cg, "memory_version", c->memory_version ?
	    json_object_new_int(c->memory_version) : NULL);
	jadd(cg, "memory_path", jstr(c->memory_path));
	jadd(cg, "given", json_object_new_boolean(c->given));
	jadd(cg, "container", json_object_new_boolean(c->container));
	jadd(cg, "pod", json_object_new_boolean(c->pod));
	for (size_t i = 0; i < c->nr_limits; i++) {
		const struct cgroup_limit *l = &c->limits[i];
		json_object *x = json_object_new_object();

		jadd(x, "controller", jstr(l->page_size ? "hugetlb" : "memory"));
		jadd(x, "version", json_object_new_int(l->version));
		jadd(x, "page_size", l->page_size ? jnum(l->page_size) : NULL);
		jadd(x, "limit", jlim(l->limit));
		jadd(x, "usage", jnum(l->usage));
		jadd(x, "file", jstr(l->file));
		jadd(x, "cgroup", jstr(l->cgroup));
		if (l->page_size) {
			jadd(x, "rsvd_limit", jlim(l->rsvd_limit));
			jadd(x, "rsvd_usage", jnum(l->rsvd_usage));
			jadd(x, "rsvd_file", jstr(l->rsvd_file));
			jadd(x, "rsvd_cgroup", jstr(l->rsvd_cgroup));
			jadd(x, "hits", l->have_hits ? jnum(l->hits) : NULL);
		}
		json_object_array_add(cgl, x);
	}
	jadd(cg, "limits", cgl);
	for (size_t i = 0; i < c->nr_stats; i++) {
		const struct cgroup_stat *st = &c->stats[i];
		json_object *x = json_object_new_object();

		jadd(x, "cgroup", jstr(st->path));
		jadd(x, "version", json_object_new_int(st->version));
		jadd(x, "page_size", jnum(st->page_size));
		jadd(x, "limit", jlim(st->limit));
		jadd(x, "usage", jnum(st->usage));
		jadd(x, "max_usage", st->version == 1 ? jnum(st->max_usage) : NULL);
		jadd(x, "rsvd_limit", st->have_rsvd ? jlim(st->rsvd_limit) : NULL);
		jadd(x, "rsvd_usage", st->have_rsvd ? jnum(st->rsvd_usage) : NULL);
		jadd(x, "hits", st->have_hits ? jnum(st->hits) : NULL);
		jadd(x, "pid", st->user ? json_object_new_int(st->user) : NULL);
		json_object_array_add(sts, x);
	}
	jadd(cg, "hugetlb_cgroups", sts);
	return cg;
}

json_object *json_limits(const struct snapshot *snap)
{
	const struct limits *l = &snap->lim;
	json_object *o = json_object_new_object();
	json_object *rl = json_object_new_object();
	json_object *sc = json_object_new_object();
	json_object *bd = json_object_new_array();

	jadd(o, "pid", l->pid ? json_object_new_int(l->pid) : NULL);
	jadd(o, "max_map_count", jnum(l->sysctl[SC_MAX_MAP_COUNT].value));
	jadd(o, "vma_count", l->maps_errno ? NULL : jnum(l->vma_count));
	jadd(o, "fd_count", l->have_fd_count ? jnum(l->fd_count) : NULL);
	for (int i = 0; i < RL_COUNT; i++) {
		json_object *r = json_object_new_object();

		jadd(r, "soft", jlim(l->rlimits[i].soft));
		jadd(r, "hard", jlim(l->rlimits[i].hard));
		jadd(rl, rlimit_name(i), r);
	}
	jadd(o, "rlimits", rl);
	for (int i = 0; i < SC_COUNT; i++)
		jadd(sc, sysctl_name(i), l->sysctl[i].present ?
		    jnum(l->sysctl[i].value) : NULL);
	jadd(o, "sysctls", sc);
	jadd(o, "cgroup", json_cgroup(&snap->cg));
	for (size_t i = 0; i < snap->nr_buddy; i++) {
		json_object *z = json_object_new_object();
		json_object *fr = json_object_new_array();

		jadd(z, "node", jnum(snap->buddy[i].node));
		jadd(z, "zone", jstr(snap->buddy[i].zone));
		for (unsigned k = 0; k < snap->buddy[i].nr_orders; k++)
			json_object_array_add(fr, jnum(snap->buddy[i].free[k]));
		jadd(z, "free_blocks", fr);
		json_object_array_add(bd, z);
	}
	jadd(o, "buddyinfo", bd);
	jadd(o, "base_page_size", snap->meta.base_page_size ?
	    jnum(snap->meta.base_page_size) : NULL);
	jadd(o, "cmdline", jstr(snap->cmdline));
	jadd(o, "transparent_hugepage", snap->thp[0] ? jstr(snap->thp) : NULL);
	jadd(o, "cap_eff", l->st.have_caps ? jnum(l->st.cap_eff) : NULL);
	return o;
}

/* The parts of the program's own data need (need.h), null when unknown. */
