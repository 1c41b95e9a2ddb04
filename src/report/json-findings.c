// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json-findings.c - the JSON renderer's findings, and the reasoning behind
 * explain's one finding: what the log proves, the lines recognised, the
 * candidates with what the host shows of each and where to look, and the
 * answer (keys as in the man page).
 */
#include <string.h>
#include <json-c/json.h>

#include "report/json.h"
#include "report/report.h"

/* A remedy: {"commands": [...], "note": "..."}, or null when there is
 * nothing to do. */
static json_object *json_remedy(const struct remedy *r)
{
	json_object *o, *cmds;

	if (!remedy_given(r))
		return NULL;
	o = json_object_new_object();
	cmds = json_object_new_array();
	for (size_t i = 0; i < r->nr_commands; i++)
		json_object_array_add(cmds, jstr(r->commands[i]));
	jadd(o, "commands", cmds);
	jadd(o, "note", jstr(r->note));
	return o;
}

json_object *json_findings(const struct findings *fs)
{
	json_object *arr = json_object_new_array();

	for (size_t i = 0; fs && i < fs->n; i++) {
		const struct finding *f = &fs->v[i];
		json_object *o = json_object_new_object();
		json_object *ev = json_object_new_object();

		jadd(o, "check", jstr(check_name(f->check)));
		jadd(o, "status", jstr(status_name(f->status)));
		jadd(o, "cause", jstr(cause_name(f->cause)));
		jadd(o, "first", json_object_new_boolean(f->first));
		jadd(o, "message", jstr(f->message));
		for (size_t j = 0; j < f->nr_ev; j++) {
			const struct evidence *e = &f->ev[j];

			jadd(ev, e->key, e->type == EV_NUM ? jnum(e->num) :
			    e->type == EV_STR ? jstr(e->str) : NULL);
		}
		jadd(o, "evidence", ev);
		jadd(o, "remedy", json_remedy(&f->remedy));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* explain's (a): what the log proves. */
static json_object *json_proves(const struct explain *ex)
{
	const struct log_proof *pr = &ex->proof;
	const struct workload_hint *h = &ex->hint;
	json_object *o = json_object_new_object();
	json_object *sm = json_object_new_array(), *f = NULL;
	bool req = pr->requested_mb || pr->available_mb;
	char dv[16];

	jadd(o, "application", jstr(app_name(pr->app)));
	jadd(o, "version", pr->version[0] ? jstr(pr->version) : NULL);
	snprintf(dv, sizeof(dv), "%u.%02u", h->dpdk_version / 100, h->dpdk_version % 100);
	jadd(o, "dpdk_version", h->dpdk_version ? jstr(dv) : NULL);
	jadd(o, "mode", h->have_mode ? jstr(mode_name(h->mode)) : NULL);
	jadd(o, "mem_bytes", h->have_mem ? jnum(h->mem_mb << 20) : NULL);
	for (size_t i = 0; i < h->nr_socket_mem; i++)
		json_object_array_add(sm, jnum(h->socket_mem[i] << 20));
	jadd(o, "socket_mem_bytes", sm);
	jadd(o, "huge_dir", jstr(h->huge_dir));
	jadd(o, "page_size", h->page_size ? jnum(h->page_size) : NULL);
	jadd(o, "numa_nodes", pr->nodes ? jnum(pr->nodes) : NULL);
	jadd(o, "memory_came_up", pr->up_line ? jnum(pr->up_line) : NULL);
	if (req || pr->call[0] || pr->size || pr->err || pr->fault) {
		f = json_object_new_object();
		jadd(f, "line", pr->fail_line ? jnum(pr->fail_line) : NULL);
		jadd(f, "call", pr->call[0] ? jstr(pr->call) : NULL);
		jadd(f, "errno", pr->err ? jstr(strerrorname_np(pr->err)) : NULL);
		jadd(f, "fault", json_object_new_boolean(pr->fault));
		jadd(f, "requested_bytes", req ? jnum(pr->requested_mb << 20) : NULL);
		jadd(f, "available_bytes", req ? jnum(pr->available_mb << 20) : NULL);
		jadd(f, "socket", pr->socket >= 0 ? jnum((uint64_t)pr->socket) : NULL);
		jadd(f, "size", pr->size ? jnum(pr->size) : NULL);
	}
	jadd(o, "failure", f);
	return o;
}

json_object *json_explain(const struct result *r)
{
	const struct explain *ex = r->explain;
	const struct explain_answer *ans = r->answer;
	json_object *o = json_object_new_object();
	json_object *lines = json_object_new_array();
	json_object *cands = json_object_new_array();
	json_object *a = json_object_new_object();
	char where[600];

	jadd(o, "source", jstr(r->source));
	jadd(o, "log_only", json_object_new_boolean(ans && ans->log_only));
	jadd(o, "lines_read", jnum(ex->lines));
	jadd(o, "command_line", ex->cmd_lineno ? jnum(ex->cmd_lineno) : NULL);
	jadd(o, "command", jstr(ex->cmd));
	jadd(o, "file_prefix", jstr(ex->hint.file_prefix));
	jadd(o, "proves", json_proves(ex));
	for (size_t i = 0; i < ex->nr_events; i++) {
		const struct log_event *e = &ex->events[i];
		json_object *l = json_object_new_object();
		json_object *c = json_object_new_array();

		jadd(l, "line", jnum(e->lineno));
		jadd(l, "text", jstr(e->text));
		jadd(l, "meaning", jstr(e->what));
		jadd(l, "failure", json_object_new_boolean(e->kind <= LINE_SOFT));
		jadd(l, "kind", jstr(line_kind_name(e->kind)));
		jadd(l, "errno", e->err ? jstr(strerrorname_np(e->err)) : NULL);
		jadd(l, "signal", e->sig ? jstr(sigabbrev_np(e->sig)) : NULL);
		jadd(l, "after_memory_came_up", json_object_new_boolean(e->after_up));
		jadd(l, "repeats", jnum(e->repeats));
		for (size_t k = 0; k < e->nr_causes; k++)
			json_object_array_add(c, jstr(cause_name(e->causes[k])));
		jadd(l, "causes", c);
		json_object_array_add(lines, l);
	}
	jadd(o, "recognised", lines);
	jadd(o, "outcome", ans ? jstr(outcome_name(ans->outcome)) : NULL);
	for (size_t i = 0; ans && i < ans->nr_cands; i++) {
		json_object *c = json_object_new_object();

		jadd(c, "cause", jstr(cause_name(ans->cands[i])));
		jadd(c, "host", jstr(host_view_name(ans->view[i])));
		explain_where(ans->cands[i], ex->hint.page_size, ex->hint.huge_dir,
			      where, sizeof(where));
		jadd(c, "where", jstr(where));
		json_object_array_add(cands, c);
	}
	jadd(o, "candidates", cands);
	jadd(a, "cause", ans ? jstr(cause_name(ans->cause)) : NULL);
	jadd(a, "certain", json_object_new_boolean(ans && ans->certain));
	jadd(a, "basis", ans ? jstr(basis_name(ans->basis)) : NULL);
	jadd(o, "answer", a);
	jadd(o, "host_findings", json_findings(r->host));
	return o;
}
