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

		add(o, "page_size", jnum(p->page_size));
		add(o, "total", jnum(p->total));
		add(o, "free", jnum(p->free));
		add(o, "reserved", jnum(p->resv));
		add(o, "surplus", jnum(p->surplus));
		add(o, "overcommit", jnum(p->overcommit));
		for (size_t j = 0; j < p->nr_nodes; j++) {
			json_object *n = json_object_new_object();

			add(n, "node", jnum(p->nodes[j].node));
			add(n, "total", jnum(p->nodes[j].total));
			add(n, "free", jnum(p->nodes[j].free));
			add(n, "surplus", jnum(p->nodes[j].surplus));
			json_object_array_add(nodes, n);
		}
		add(o, "nodes", nodes);
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

			add(f, "path", jstr(m->files[j].path));
			add(f, "size", jnum(m->files[j].size));
			add(f, "pages", jnum(m->files[j].pages));
			add(f, "in_use", snap->procs_scanned ?
			    json_object_new_boolean(m->files[j].in_use) : NULL);
			json_object_array_add(files, f);
		}
		add(o, "path", jstr(m->path));
		add(o, "page_size", jnum(m->page_size));
		add(o, "size_limit", jlim(m->size_limit));
		add(o, "min_size", jnum(m->min_size));
		add(o, "inodes_limit", jlim(m->nr_inodes));
		add(o, "uid", jnum(m->uid));
		add(o, "gid", jnum(m->gid));
		add(o, "mode", jnum(m->mode));
		add(o, "read_only", json_object_new_boolean(m->read_only));
		add(o, "writable", m->writable < 0 ? NULL :
		    json_object_new_boolean(m->writable));
		add(o, "used_pages", m->have_quota_used ? jnum(m->quota_used) :
		    m->have_usage ? jnum(m->used_pages) : NULL);
		add(o, "stale_files", m->have_usage && snap->procs_scanned ?
		    jnum(stale) : NULL);
		add(o, "files", files);
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

	add(cg, "version", c->version ? json_object_new_int(c->version) : NULL);
	add(cg, "path", jstr(c->path));
	add(cg, "memory_version", c->memory_version ?
	    json_object_new_int(c->memory_version) : NULL);
	add(cg, "memory_path", jstr(c->memory_path));
	add(cg, "given", json_object_new_boolean(c->given));
	add(cg, "container", json_object_new_boolean(c->container));
	add(cg, "pod", json_object_new_boolean(c->pod));
	for (size_t i = 0; i < c->nr_limits; i++) {
		const struct cgroup_limit *l = &c->limits[i];
		json_object *x = json_object_new_object();

		add(x, "controller", jstr(l->page_size ? "hugetlb" : "memory"));
		add(x, "version", json_object_new_int(l->version));
		add(x, "page_size", l->page_size ? jnum(l->page_size) : NULL);
		add(x, "limit", jlim(l->limit));
		add(x, "usage", jnum(l->usage));
		add(x, "file", jstr(l->file));
		add(x, "cgroup", jstr(l->cgroup));
		if (l->page_size) {
			add(x, "rsvd_limit", jlim(l->rsvd_limit));
			add(x, "rsvd_usage", jnum(l->rsvd_usage));
			add(x, "rsvd_file", jstr(l->rsvd_file));
			add(x, "rsvd_cgroup", jstr(l->rsvd_cgroup));
			add(x, "hits", l->have_hits ? jnum(l->hits) : NULL);
		}
		json_object_array_add(cgl, x);
	}
	add(cg, "limits", cgl);
	for (size_t i = 0; i < c->nr_stats; i++) {
		const struct cgroup_stat *st = &c->stats[i];
		json_object *x = json_object_new_object();

		add(x, "cgroup", jstr(st->path));
		add(x, "version", json_object_new_int(st->version));
		add(x, "page_size", jnum(st->page_size));
		add(x, "limit", jlim(st->limit));
		add(x, "usage", jnum(st->usage));
		add(x, "max_usage", st->version == 1 ? jnum(st->max_usage) : NULL);
		add(x, "rsvd_limit", st->have_rsvd ? jlim(st->rsvd_limit) : NULL);
		add(x, "rsvd_usage", st->have_rsvd ? jnum(st->rsvd_usage) : NULL);
		add(x, "hits", st->have_hits ? jnum(st->hits) : NULL);
		add(x, "pid", st->user ? json_object_new_int(st->user) : NULL);
		json_object_array_add(sts, x);
	}
	add(cg, "hugetlb_cgroups", sts);
	return cg;
}

json_object *json_limits(const struct snapshot *snap)
{
	const struct limits *l = &snap->lim;
	json_object *o = json_object_new_object();
	json_object *rl = json_object_new_object();
	json_object *sc = json_object_new_object();
	json_object *bd = json_object_new_array();

	add(o, "pid", l->pid ? json_object_new_int(l->pid) : NULL);
	add(o, "max_map_count", jnum(l->sysctl[SC_MAX_MAP_COUNT].value));
	add(o, "vma_count", l->maps_errno ? NULL : jnum(l->vma_count));
	add(o, "fd_count", l->have_fd_count ? jnum(l->fd_count) : NULL);
	for (int i = 0; i < RL_COUNT; i++) {
		json_object *r = json_object_new_object();

		add(r, "soft", jlim(l->rlimits[i].soft));
		add(r, "hard", jlim(l->rlimits[i].hard));
		add(rl, rlimit_name(i), r);
	}
	add(o, "rlimits", rl);
	for (int i = 0; i < SC_COUNT; i++)
		add(sc, sysctl_name(i), l->sysctl[i].present ?
		    jnum(l->sysctl[i].value) : NULL);
	add(o, "sysctls", sc);
	add(o, "cgroup", json_cgroup(&snap->cg));
	for (size_t i = 0; i < snap->nr_buddy; i++) {
		json_object *z = json_object_new_object();
		json_object *fr = json_object_new_array();

		add(z, "node", jnum(snap->buddy[i].node));
		add(z, "zone", jstr(snap->buddy[i].zone));
		for (unsigned k = 0; k < snap->buddy[i].nr_orders; k++)
			json_object_array_add(fr, jnum(snap->buddy[i].free[k]));
		add(z, "free_blocks", fr);
		json_object_array_add(bd, z);
	}
	add(o, "buddyinfo", bd);
	add(o, "base_page_size", snap->meta.base_page_size ?
	    jnum(snap->meta.base_page_size) : NULL);
	add(o, "cmdline", jstr(snap->cmdline));
	add(o, "transparent_hugepage", snap->thp[0] ? jstr(snap->thp) : NULL);
	add(o, "cap_eff", l->st.have_caps ? jnum(l->st.cap_eff) : NULL);
	return o;
}

/* The parts of the program's own data need (need.h), null when unknown. */
