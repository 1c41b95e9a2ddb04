// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json.c - the JSON renderer (with json-findings.c, the only files that
 * include json-c).
 * One object per invocation, keys as in the man page: sizes in bytes, counts
 * as integers, null for "unlimited" or "not known".
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <string.h>
#include <json-c/json.h>

#include "lib/num.h"
#include "report/json.h"
#include "report/report.h"

static json_object *json_need_data(const struct need_data *d)
{
	json_object *o;

	if (!d->known)
		return NULL;
	o = json_object_new_object();
	jadd(o, "from", jstr(d->from));
	jadd(o, "program", d->program ? jstr(d->program) : NULL);
	jadd(o, "application", d->app ? jstr(d->app) : NULL);
	jadd(o, "recognised_by", d->app_why ? jstr(d->app_why) : NULL);
	jadd(o, "objects", jnum(d->objects));
	jadd(o, "runtime_objects", jnum(d->runtime_objects));
	jadd(o, "plugin_dir", d->plugin_dir ? jstr(d->plugin_dir) : NULL);
	jadd(o, "own_bytes", jnum(d->own));
	jadd(o, "library_bytes", jnum(d->libraries));
	jadd(o, "relro_bytes", jnum(d->relro));
	jadd(o, "runtime_bytes", jnum(d->runtime));
	jadd(o, "tls_bytes", jnum(d->tls));
	jadd(o, "heap_bytes", jnum(d->heap));
	jadd(o, "model_bytes", jnum(d->model));
	jadd(o, "threads", jnum(d->early_threads + d->late_threads));
	jadd(o, "optional_threads", jnum(d->optional_threads));
	jadd(o, "stack_bytes", jnum(d->stack));
	jadd(o, "at_load_bytes", jnum(d->at_load));
	jadd(o, "at_memory_init_bytes", jnum(d->at_memory));
	jadd(o, "load_va_bytes", jnum(d->va_load));
	return o;
}

/* The application of "-- COMMAND" and what its model was made from. */
static json_object *json_need_app(const struct need *need)
{
	const struct app_model *m = need->app;
	const struct need_data *d = &need->data;
	json_object *o, *regions;

	if (!m && !d->program)
		return NULL;
	o = json_object_new_object();
	jadd(o, "name", jstr(m ? m->name : d->app));
	jadd(o, "program", d->program ? jstr(d->program) : NULL);
	jadd(o, "recognised_by", d->app_why ? jstr(d->app_why) : NULL);
	jadd(o, "input", jstr(m ? m->input : "command line"));
	jadd(o, "settings", m && m->settings[0] ? jstr(m->settings) : NULL);
	jadd(o, "note", m && m->note[0] ? jstr(m->note) : NULL);
	jadd(o, "takes_hugepages", json_object_new_boolean(!m || !m->no_hugepages));
	jadd(o, "fallback", json_object_new_boolean(m && m->fallback));
	regions = json_object_new_array();
	for (size_t i = 0; m && i < m->nr_regions; i++) {
		json_object *z = json_object_new_object();

		jadd(z, "name", jstr(m->regions[i].name));
		jadd(z, "bytes", jnum(m->regions[i].bytes));
		json_object_array_add(regions, z);
	}
	jadd(o, "regions", regions);
	return o;
}

static json_object *json_need(const struct result *r)
{
	const struct need *need = r->need;
	bool predicted = r->findings && !r->host && !r->trial && !r->exec && !r->explain;
	json_object *o = json_object_new_object();
	json_object *pn = json_object_new_array(), *sizes = json_object_new_array();
	char v[16];

	snprintf(v, sizeof(v), "%u.%02u", need->dpdk_version / 100,
		 need->dpdk_version % 100);
	jadd(o, "mode", jstr(mode_name(need->mode)));
	jadd(o, "dpdk_version", mode_is_dpdk(need->mode) ? jstr(v) : NULL);
	jadd(o, "page_size", jnum(need->page_size));
	jadd(o, "pages", jnum(need->pages));
	for (size_t i = 0; i < MAX_SOCKETS; i++) {
		uint64_t pages = 0;
		bool any = false;

		for (size_t k = 0; k < need->nr_sizes; k++) {
			any |= i < need->sizes[k].nr_nodes;
			if (i < need->sizes[k].nr_nodes)
				pages += need->sizes[k].pages_per_node[i];
		}
		if (!any)
			break;
		json_object_array_add(pn, jnum(pages));
	}
	jadd(o, "pages_per_node", pn);
	for (size_t k = 0; k < need->nr_sizes; k++) {
		json_object *z = json_object_new_object();

		jadd(z, "page_size", jnum(need->sizes[k].page_size));
		jadd(z, "pages", jnum(need->sizes[k].pages));
		jadd(z, "directory", jstr(need->sizes[k].app_dir));
		jadd(z, "held_pages", jnum(need->sizes[k].held_pages));
		json_object_array_add(sizes, z);
	}
	jadd(o, "sizes", sizes);
	jadd(o, "peak_pages", jnum(need->pool_pages));
	jadd(o, "memseg_lists", jnum(need->lists));
	jadd(o, "baseline_vmas", jnum(need->baseline_vmas));
	jadd(o, "vmas", jnum(need->vmas));
	jadd(o, "baseline_fds", jnum(need->baseline_fds));
	jadd(o, "fds", jnum(need->fds));
	jadd(o, "va_bytes", jnum(need->va_bytes));
	jadd(o, "data_bytes", need->data.known ? jnum(need->data_bytes) : NULL);
	jadd(o, "data", json_need_data(&need->data));
	jadd(o, "locked_bytes", jnum(need->locked_bytes));
	jadd(o, "application", json_need_app(need));
	jadd(o, "outcome", predicted ? jstr(run_outcome_name(r->findings->outcome)) : NULL);
	return o;
}

static json_object *json_trial(const struct result *r)
{
	const struct trial_result *t = r->trial;
	const struct trace_counters *at = &t->fail.at;
	const struct need *need = r->need;
	json_object *o = json_object_new_object();

	jadd(o, "mode", jstr(mode_name(need->mode)));
	jadd(o, "page_size", jnum(need->page_size));
	jadd(o, "requested", jnum(t->requested));
	jadd(o, "peak_pages", jnum(t->peak_pages));
	jadd(o, "mapped", jnum(t->mapped));
	jadd(o, "ok", json_object_new_boolean(t->ok));
	jadd(o, "baseline_vmas", jnum(t->baseline_vmas));
	jadd(o, "directory", jstr(r->trial_dir));
	jadd(o, "seconds", json_object_new_double(r->trial_seconds));
	if (t->failed) {
		json_object *f = json_object_new_object();
		json_object *c = json_object_new_object();

		jadd(f, "page", jnum(t->page));
		jadd(f, "call", jstr(t->fail.call));
		jadd(f, "errno", t->fail.err ? jstr(strerrorname_np(t->fail.err)) : NULL);
		jadd(f, "signal", t->fail.sig ? jstr(sigabbrev_np(t->fail.sig)) : NULL);
		jadd(c, "vmas", jnum(at->vmas));
		jadd(c, "max_map_count", jnum(at->max_map_count));
		jadd(c, "fds", jnum(at->fds));
		jadd(c, "vm_size", jnum(at->vm_size));
		jadd(c, "free_pages", jnum(at->free_pages));
		jadd(c, "node", at->node >= 0 ? json_object_new_int(at->node) : NULL);
		jadd(c, "node_free_pages", at->node >= 0 ? jnum(at->node_free_pages) : NULL);
		jadd(c, "quota_free_pages", jlim(at->quota_free));
		jadd(c, "rlimit_as", jlim(at->rlim_as));
		jadd(c, "rlimit_data", jlim(at->rlim_data));
		jadd(c, "rlimit_nofile", jlim(at->rlim_nofile));
		jadd(c, "rlimit_memlock", jlim(at->rlim_memlock));
		jadd(c, "cgroup_usage", at->cg_usage != UINT64_MAX ? jnum(at->cg_usage) : NULL);
		jadd(c, "cgroup_reserved", at->cg_rsvd_usage != UINT64_MAX ?
		    jnum(at->cg_rsvd_usage) : NULL);
		jadd(c, "cgroup_hits", jnum(at->cg_hits));
		jadd(f, "counters", c);
		jadd(o, "failure", f);
	} else {
		jadd(o, "failure", NULL);
	}
	jadd(o, "cause", jstr(cause_name(r->trial_cause)));
	jadd(o, "note", t->note[0] ? jstr(t->note) : NULL);
	/* An application's model: the outcome in check's words, and its
	 * mappings as the trial made them. */
	if (need->app && need->app->known) {
		json_object *regions = json_object_new_array();

		jadd(o, "outcome", r->findings ? jstr(run_outcome_name(r->findings->outcome)) :
		    NULL);
		for (uint32_t i = 0; i < t->nr_regions && i < TRIAL_MAX_REGIONS; i++) {
			const struct trial_region *rg = &t->regions[i];
			json_object *g = json_object_new_object();

			jadd(g, "name", jstr(rg->name));
			jadd(g, "bytes", jnum(rg->bytes));
			jadd(g, "page_size", rg->page_size ? jnum(rg->page_size) : NULL);
			jadd(g, "hugepages", json_object_new_boolean(rg->huge));
			jadd(g, "on_hugetlbfs", json_object_new_boolean(!rg->unhuge));
			jadd(g, "call", rg->call[0] ? jstr(rg->call) : NULL);
			jadd(g, "errno", rg->err ? jstr(strerrorname_np(rg->err)) : NULL);
			json_object_array_add(regions, g);
		}
		jadd(o, "regions", regions);
	}
	return o;
}

static json_object *json_vma(const struct result *r)
{
	json_object *o = json_object_new_object();

	jadd(o, "limit", jnum(r->vma_limit));
	if (r->top) {
		json_object *a = json_object_new_array();

		for (size_t i = 0; i < r->top->nr_procs; i++) {
			const struct vma_proc *p = &r->top->procs[i];
			json_object *x = json_object_new_object();

			jadd(x, "pid", json_object_new_int(p->pid));
			jadd(x, "comm", jstr(p->comm));
			jadd(x, "count", jnum(p->count));
			jadd(x, "percent", json_object_new_double(r->vma_limit ?
				100.0 * (double)p->count / (double)r->vma_limit : 0));
			json_object_array_add(a, x);
		}
		jadd(o, "processes", a);
		jadd(o, "scanned", jnum(r->top->scanned));
		jadd(o, "unreadable", jnum(r->top->unreadable));
		jadd(o, "vanished", jnum(r->top->vanished));
	}
	if (r->vma) {
		json_object *g = json_object_new_array(), *sm = json_object_new_array();

		jadd(o, "pid", json_object_new_int(r->vma->pid));
		jadd(o, "count", jnum(r->nr_samples ? r->samples[r->nr_samples - 1].count :
				     r->vma->count));
		for (size_t i = 0; i < r->vma->nr_groups; i++) {
			const struct vma_group *v = &r->vma->groups[i];
			json_object *x = json_object_new_object();

			jadd(x, "object", jstr(v->object));
			jadd(x, "vmas", jnum(v->vmas));
			jadd(x, "bytes", jnum(v->bytes));
			jadd(x, "rss", v->have_rss ? jnum(v->rss) : NULL);
			jadd(x, "shared", v->have_rss ? jnum(v->shared) : NULL);
			jadd(x, "identical", jnum(v->identical));
			jadd(x, "leak", json_object_new_boolean(v->leak || v->growing));
			jadd(x, "growth_per_second", r->nr_samples >= 2 ?
			    json_object_new_double(v->rate) : NULL);
			json_object_array_add(g, x);
		}
		jadd(o, "groups", g);
		jadd(o, "growth_per_second", r->nr_samples >= 2 ?
		    json_object_new_double(r->vma_rate) : NULL);
		jadd(o, "seconds_to_limit", r->vma_seconds_to_limit >= 0 ?
		    json_object_new_double(r->vma_seconds_to_limit) : NULL);
		for (size_t i = 0; i < r->nr_samples; i++) {
			json_object *x = json_object_new_object();

			jadd(x, "time", json_object_new_double(r->samples[i].time));
			jadd(x, "count", jnum(r->samples[i].count));
			json_object_array_add(sm, x);
		}
		jadd(o, "samples", sm);
	}
	return o;
}

/* exec: the command, how it ended, its first failing call, its peaks. */
static json_object *json_exec(const struct result *r)
{
	const struct need *need = r->need;
	const struct exec_result *x = r->exec;
	const struct trace_failure *f = &x->rec.first;
	const struct trace_counters *c = &f->at;
	json_object *o = json_object_new_object(), *cmd = json_object_new_array();
	json_object *peak = json_object_new_object();
	uint64_t ps = need ? need->page_size : 0;

	for (size_t i = 0; r->exec_argv && r->exec_argv[i]; i++)
		json_object_array_add(cmd, jstr(r->exec_argv[i]));
	jadd(o, "command", cmd);
	jadd(o, "pid", json_object_new_int(x->pid));
	jadd(o, "exit_status", x->exited ? json_object_new_int(x->exit_status) : NULL);
	jadd(o, "signal", x->sig ? jstr(sigabbrev_np(x->sig)) : NULL);
	jadd(o, "seconds", json_object_new_double(x->seconds));
	jadd(o, "cpu_seconds", json_object_new_double(x->cpu_seconds));
	jadd(o, "traced", json_object_new_boolean(x->traced));
	jadd(o, "calls", jnum(x->rec.calls));
	jadd(o, "failed_calls", jnum(x->rec.failures));
	if (x->rec.failed) {
		json_object *fo = json_object_new_object(), *args = json_object_new_array();
		json_object *co = json_object_new_object(), *nodes = json_object_new_array();

		for (int i = 0; i < f->nr_args && i < 6; i++)
			json_object_array_add(args, jnum(f->args[i]));
		for (uint32_t i = 0; i < c->nr_nodes && i < TRACE_MAX_NODES; i++)
			json_object_array_add(nodes, jnum(c->node_free[i]));
		jadd(fo, "call", jstr(f->call));
		jadd(fo, "args", args);
		jadd(fo, "path", jstr(f->path[0] ? f->path : NULL));
		jadd(fo, "errno", f->err ? jstr(strerrorname_np(f->err)) : NULL);
		jadd(fo, "signal", f->sig ? jstr(sigabbrev_np(f->sig)) : NULL);
		jadd(fo, "pid", json_object_new_int(f->pid));
		jadd(co, "vmas", jnum(c->vmas));
		jadd(co, "max_map_count", jnum(c->max_map_count));
		jadd(co, "fds", jnum(c->fds));
		jadd(co, "vm_size", jnum(c->vm_size));
		jadd(co, "hugetlb_bytes", jnum(c->hugetlb_bytes));
		jadd(co, "page_size", jnum(c->page_size));
		jadd(co, "free_pages", jnum(c->free_pages));
		jadd(co, "node_free_pages", nodes);
		jadd(co, "quota_free_pages", jlim(c->quota_free));
		jadd(co, "rlimit_as", jlim(c->rlim_as));
		jadd(co, "rlimit_data", jlim(c->rlim_data));
		jadd(co, "rlimit_nofile", jlim(c->rlim_nofile));
		jadd(co, "rlimit_memlock", jlim(c->rlim_memlock));
		jadd(fo, "counters", co);
		jadd(fo, "object", jstr(f->top_object[0] ? f->top_object : NULL));
		jadd(fo, "object_vmas", f->top_object[0] ? jnum(f->top_count) : NULL);
		jadd(o, "failure", fo);
	} else {
		jadd(o, "failure", NULL);
	}
	jadd(o, "cause", jstr(cause_name(r->exec_cause)));
	jadd(o, "cgroup_hits", x->have_cg_hits ? jnum(x->cg_hits) : NULL);
	jadd(peak, "vmas", jnum(x->peak_vmas));
	jadd(peak, "fds", jnum(x->peak_fds));
	jadd(peak, "hugepages", jnum(ps ? x->peak_hugetlb_bytes / ps : 0));
	jadd(o, "peak", peak);
	return o;
}

/* fix: the plan's steps; the rest of the plan is the "fix" object. */
static json_object *json_steps(const struct result *r)
{
	const struct fix_plan *p = r->plan;
	json_object *steps = json_object_new_array();

	for (size_t i = 0; i < p->n; i++) {
		const struct fix_step *s = &p->v[i];
		json_object *j = json_object_new_object();
		bool value = s->kind != FIX_MOUNT && s->kind != FIX_PERSIST;

		jadd(j, "action", jstr(fix_kind_name(s->kind)));
		jadd(j, "setting", jstr(s->setting));
		jadd(j, "path", jstr(s->path));
		jadd(j, "from", value ? jnum(s->from) : NULL);
		jadd(j, "to", jnum(s->kind == FIX_MOUNT ? s->page_size : s->to));
		jadd(j, "obtained", (s->kind == FIX_POOL || s->kind == FIX_NODE_POOL) &&
		    r->applied && s->status != FS_UNCHANGED ? jnum(s->obtained) : NULL);
		jadd(j, "check", jstr(s->check < CHECK_COUNT ? check_name(s->check) :
				     "persist"));
		jadd(j, "reason", jstr(s->reason));
		jadd(j, "status", jstr(fix_status_name(s->status)));
		jadd(j, "error", jstr(s->error));
		json_object_array_add(steps, j);
	}
	return steps;
}

static json_object *json_fix(const struct result *r)
{
	const struct fix_plan *p = r->plan;
	json_object *o = json_object_new_object();
	json_object *manual = json_object_new_array(), *boot = json_object_new_array();

	for (size_t i = 0; i < p->nr_manual; i++) {
		const struct fix_manual *m = &p->manual[i];
		json_object *j = json_object_new_object(), *lines = json_object_new_array();

		for (size_t k = 0; k < m->nr_lines; k++)
			json_object_array_add(lines, jstr(m->lines[k]));
		jadd(j, "check", jstr(check_name(m->check)));
		jadd(j, "why", jstr(m->why));
		jadd(j, "lines", lines);
		json_object_array_add(manual, j);
	}
	for (size_t i = 0; i < p->nr_boot; i++)
		json_object_array_add(boot, jstr(p->boot[i]));
	jadd(o, "applied", json_object_new_boolean(r->applied));
	jadd(o, "refused", json_object_new_boolean(p->refused));
	jadd(o, "rolled_back", json_object_new_boolean(p->rolled_back));
	jadd(o, "rollback_failed", json_object_new_boolean(p->rollback_failed));
	jadd(o, "manual", manual);
	jadd(o, "reboot", boot);
	jadd(o, "persist_file", jstr(p->persist_path[0] ? p->persist_path : NULL));
	return o;
}

/* The header every JSON object starts with. */
static json_object *json_header(const struct report_opts *opt, const struct findings *fs)
{
	json_object *root = json_object_new_object();

	jadd(root, "hpdiag", jstr(PACKAGE_VERSION));
	jadd(root, "command", jstr(opt->command));
	jadd(root, "verdict", jstr(status_name(findings_verdict(fs))));
	jadd(root, "findings", json_findings(fs));
	return root;
}

int report_json(const struct report_opts *opt, const struct result *r)
{
	json_object *root = json_header(opt, r->findings);
	const char *s;
	int rc = 0;

	if (r->need)
		jadd(root, "need", json_need(r));
	if (r->pools)
		jadd(root, "pools", json_pools(r->snap));
	if (r->mounts)
		jadd(root, "mounts", json_mounts(r->snap));
	if (r->limits)
		jadd(root, "limits", json_limits(r->snap));
	if (r->explain)
		jadd(root, "explain", json_explain(r));
	if (r->vma || r->top)
		jadd(root, "vma", json_vma(r));
	if (r->trial && r->need)
		jadd(root, "trial", json_trial(r));
	if (r->exec)
		jadd(root, "exec", json_exec(r));
	if (r->plan) {
		jadd(root, "plan", json_steps(r));
		jadd(root, "fix", json_fix(r));
	}
	if (r->snapshot_dir) {
		json_object *o = json_object_new_object();

		jadd(o, "directory", jstr(r->snapshot_dir));
		jadd(root, "snapshot", o);
	}
	s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					   JSON_C_TO_STRING_SPACED |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s || fprintf(opt->out, "%s\n", s) < 0)
		rc = -1;
	json_object_put(root);
	return rc;
}
