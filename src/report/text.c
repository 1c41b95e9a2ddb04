// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report-text.c - the text renderer: aligned tables for pools, mounts and
 * limits, one PASS/WARN/FAIL line per finding with its evidence and remedy,
 * colour only when asked or on a terminal.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "act/exec.h"
#include "diagnose/data.h"
#include "lib/num.h"
#include "report/report.h"

#define C_RED	"\033[31m"
#define C_YEL	"\033[33m"
#define C_GRN	"\033[32m"
#define C_BOLD	"\033[1m"
#define C_OFF	"\033[0m"

static const char *lim_str(uint64_t v, char *buf, size_t size)
{
	if (v == HP_UNLIMITED)
		return "unlimited";
	snprintf(buf, size, "%" PRIu64, v);
	return buf;
}

static void text_pools(const struct report_opts *opt, const struct result *r)
{
	const struct snapshot *snap = r->snap;
	FILE *o = opt->out;
	char s[32];

	if (!snap->nr_pools) {
		fprintf(o, "no hugepage pools: this kernel has no hugetlb support\n");
		return;
	}
	fprintf(o, "%-10s %8s %8s %8s %8s %10s\n", "SIZE", "TOTAL", "FREE",
		"RESERVED", "SURPLUS", "OVERCOMMIT");
	for (size_t i = 0; i < snap->nr_pools; i++) {
		const struct pool *p = &snap->pools[i];

		fprintf(o, "%-10s %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8"
			PRIu64 " %10" PRIu64 "\n",
			format_bytes(p->page_size, s, sizeof(s)), p->total,
			p->free, p->resv, p->surplus, p->overcommit);
		for (size_t j = 0; j < p->nr_nodes && (snap->nr_nodes > 1 || opt->verbose); j++)
			fprintf(o, "  node%-4u %8" PRIu64 " %8" PRIu64 " %8s %8"
				PRIu64 "\n", p->nodes[j].node, p->nodes[j].total,
				p->nodes[j].free, "-", p->nodes[j].surplus);
	}
	if (opt->verbose) {
		char a[32], b[32];

		fprintf(o, "memory: %s total, %s in hugepage pools\n",
			format_bytes(snap->mem.mem_total, a, sizeof(a)),
			format_bytes(snap->mem.hugetlb, b, sizeof(b)));
	}
}

static void text_mounts(const struct report_opts *opt, const struct result *r)
{
	const struct snapshot *snap = r->snap;
	FILE *o = opt->out;
	char s1[32], s2[32], own[32];

	if (!snap->nr_mounts) {
		fprintf(o, "no hugetlbfs mounts\n");
		return;
	}
	fprintf(o, "%-24s %-8s %-10s %-8s %-10s %-6s %-6s %-11s %s\n", "PATH", "SIZE",
		"QUOTA", "USED", "INODES", "FILES", "STALE", "OWNER", "MODE");
	for (size_t i = 0; i < snap->nr_mounts; i++) {
		const struct mount *m = &snap->mounts[i];
		char used[32] = "-", files[16] = "-", stale[16] = "-", inodes[24] = "unlimited";

		if (m->have_usage) {
			uint64_t n, pages;

			snprintf(used, sizeof(used), "%" PRIu64, m->have_quota_used ?
				 m->quota_used : m->used_pages);
			snprintf(files, sizeof(files), "%zu", m->nr_files);
			mount_stale(m, &n, &pages);
			if (snap->procs_scanned)
				snprintf(stale, sizeof(stale), "%" PRIu64, n);
		}
		if (m->nr_inodes != HP_UNLIMITED)
			snprintf(inodes, sizeof(inodes), "%" PRIu64, m->nr_inodes);
		snprintf(own, sizeof(own), "%u:%u", m->uid, m->gid);
		fprintf(o, "%-24s %-8s %-10s %-8s %-10s %-6s %-6s %-11s %04o%s%s\n",
			m->path, format_bytes(m->page_size, s1, sizeof(s1)),
			format_limit(m->size_limit, s2, sizeof(s2)), used, inodes, files,
			stale, own, m->mode, m->read_only ? " ro" : "",
			m->writable == 0 ? " not-writable" : "");
		for (size_t j = 0; j < m->nr_files && opt->verbose; j++)
			fprintf(o, "  %s  %" PRIu64 " pages%s\n", m->files[j].path,
				m->files[j].pages, !snap->procs_scanned ? "" :
				m->files[j].in_use ? "  in use" : "  stale");
	}
}

static void text_limits(const struct report_opts *opt, const struct result *r)
{
	const struct snapshot *snap = r->snap;
	const struct limits *l = &snap->lim;
	FILE *o = opt->out;
	char a[32], b[32];

	if (l->pid)
		fprintf(o, "process %d\n", (int)l->pid);
	else
		fprintf(o, "process: this shell's limits (as inherited by hpdiag)\n");
	fprintf(o, "  %-28s %" PRIu64 " of vm.max_map_count %" PRIu64 "\n",
		"VMAs", l->vma_count, l->sysctl[SC_MAX_MAP_COUNT].value);
	if (l->have_fd_count)
		fprintf(o, "  %-28s %" PRIu64 "\n", "open fds", l->fd_count);
	fprintf(o, "rlimits%21s %-14s %s\n", "", "SOFT", "HARD");
	for (int i = 0; i < RL_COUNT; i++) {
		bool bytes = i != RL_NOFILE;

		fprintf(o, "  %-26s %-14s %s\n", rlimit_name(i),
			bytes ? format_limit(l->rlimits[i].soft, a, sizeof(a)) :
				lim_str(l->rlimits[i].soft, a, sizeof(a)),
			bytes ? format_limit(l->rlimits[i].hard, b, sizeof(b)) :
				lim_str(l->rlimits[i].hard, b, sizeof(b)));
	}
	fprintf(o, "sysctls\n");
	for (int i = 0; i < SC_COUNT; i++) {
		if (!l->sysctl[i].present)
			fprintf(o, "  %-26s (absent)\n", sysctl_name(i));
		else
			fprintf(o, "  %-26s %" PRIu64 "\n", sysctl_name(i),
				l->sysctl[i].value);
	}
	fprintf(o, "cgroup");
	if (!snap->cg.version)
		fprintf(o, "%22s (none found)\n", "");
	else
		fprintf(o, " v%d%18s %s\n", snap->cg.version, "",
			snap->cg.path ? snap->cg.path : "");
	for (size_t i = 0; i < snap->cg.nr_limits; i++) {
		const struct cgroup_limit *c = &snap->cg.limits[i];
		char name[48], s[32];

		if (c->page_size)
			snprintf(name, sizeof(name), "hugetlb %s",
				 format_bytes(c->page_size, s, sizeof(s)));
		else
			snprintf(name, sizeof(name), "memory");
		fprintf(o, "  %-26s %s (using %s)\n", name,
			format_limit(c->limit, a, sizeof(a)),
			format_bytes(c->usage, b, sizeof(b)));
	}
	if (snap->nr_buddy) {
		fprintf(o, "free blocks per order (/proc/buddyinfo)\n");
		for (size_t i = 0; i < snap->nr_buddy; i++) {
			const struct buddy_zone *z = &snap->buddy[i];

			fprintf(o, "  node%-3u %-8s", z->node, z->zone);
			for (unsigned k = 0; k < z->nr_orders; k++)
				fprintf(o, " %" PRIu64, z->free[k]);
			fprintf(o, "\n");
		}
	}
	if (snap->thp[0])
		fprintf(o, "%-28s %s\n", "transparent hugepages", snap->thp);
	if (snap->cmdline) {
		bool any = false;

		fprintf(o, "%-28s", "kernel command line");
		for (const char *p = snap->cmdline; *p; ) {
			size_t len = strcspn(p, " ");

			if (len && (!strncmp(p, "hugepage", 8) ||
				    !strncmp(p, "default_hugepagesz", 18) ||
				    !strncmp(p, "hugetlb", 7))) {
				fprintf(o, " %.*s", (int)len, p);
				any = true;
			}
			p += len;
			p += strspn(p, " ");
		}
		fprintf(o, "%s\n", any ? "" : " (no hugepage parameters)");
	}
}

static void text_need(const struct report_opts *opt, const struct need *need)
{
	const struct need_data *d = &need->data;
	char s[32], t[32], u[32];
	uint64_t bytes = 0;

	fprintf(opt->out, "workload: %s", mode_name(need->mode));
	if (mode_is_dpdk(need->mode))
		fprintf(opt->out, " (DPDK %u.%02u)", need->dpdk_version / 100,
			need->dpdk_version % 100);
	if (!need->page_size) {
		fprintf(opt->out, ", no hugepage size: the kernel offers none\n");
	} else {
		fputs(",", opt->out);
		/* Several sizes: DPDK spreads -m over them, largest first. */
		for (size_t i = 0, n = 0; i < need->nr_sizes; i++) {
			const struct need_size *sz = &need->sizes[i];

			if (!sz->pages && need->nr_sizes > 1)
				continue;
			fprintf(opt->out, "%s %" PRIu64 " x %s", n++ ? " +" : "", sz->pages,
				format_bytes(sz->page_size, s, sizeof(s)));
			bytes = hp_sat_add(bytes, hp_sat_mul(sz->pages, sz->page_size));
		}
		fprintf(opt->out, " pages (%s)%s\n", format_bytes(bytes, t, sizeof(t)),
			need->pages_default ? ", no -m/-n given: checking for one page" : "");
	}
	fprintf(opt->out, "needs:    %" PRIu64 " VMAs at the peak (baseline %" PRIu64
		", %s), %" PRIu64 " fds, %s of address space",
		need->vmas, need->baseline_vmas, need->baseline_vmas_from,
		need->fds, format_bytes(need->va_bytes, u, sizeof(u)));
	if (need->lists)
		fprintf(opt->out, " (%" PRIu64 " memseg lists)", need->lists);
	if (need->pool_pages > need->pages)
		fprintf(opt->out, ", %" PRIu64 " pages mapped at the peak",
			need->pool_pages);
	fputc('\n', opt->out);
	/* The program of "-- COMMAND", read from its ELF. */
	if (d->program) {
		char parts[512];

		fprintf(opt->out, "program:  %s (%s, %s), %" PRIu64 " objects at its start",
			d->program, d->app ? d->app : "?", d->app_why ? d->app_why : "",
			d->objects);
		if (d->runtime_objects)
			fprintf(opt->out, ", %" PRIu64 " loaded at run time%s%s",
				d->runtime_objects, d->plugin_dir ? " from " : "",
				d->plugin_dir ? d->plugin_dir : "");
		fprintf(opt->out, "\ndata:     %s of private writable memory (%s)\n",
			format_bytes(need->data_bytes, s, sizeof(s)),
			data_parts(need, parts, sizeof(parts)));
	}
}

static void text_findings(const struct report_opts *opt, const struct findings *fs)
{
	static const char *const label[] = { "PASS", "WARN", "FAIL" };
	static const char *const colour[] = { C_GRN, C_YEL, C_RED };
	unsigned counts[3] = { 0 };
	enum hp_status v;
	FILE *o = opt->out;

	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->v[i];

		counts[f->status]++;
		if (opt->quiet && f->status == HP_PASS)
			continue;
		fprintf(o, "%s%s%s  %-24s %s", opt->color ? colour[f->status] : "",
			label[f->status], opt->color ? C_OFF : "", check_name(f->check),
			f->message);
		if (f->cause != CAUSE_NONE)
			fprintf(o, " [%s%s]", cause_name(f->cause), f->first ?
				", met first: the application reports this one" : "");
		fputc('\n', o);
		if (f->status != HP_PASS || opt->verbose) {
			if (f->nr_ev) {
				fprintf(o, "      evidence:");
				for (size_t j = 0; j < f->nr_ev; j++) {
					const struct evidence *e = &f->ev[j];

					if (e->type == EV_NUM)
						fprintf(o, " %s=%" PRIu64, e->key, e->num);
					else if (e->type == EV_STR)
						fprintf(o, " %s=%s", e->key, e->str);
					else
						fprintf(o, " %s=unlimited", e->key);
				}
				fputc('\n', o);
			}
			if (f->remedy.text)
				fprintf(o, "      remedy:   %s\n", f->remedy.text);
		}
	}
	v = findings_verdict(fs);
	fprintf(o, "%sverdict: %s%s (%u passed, %u warning%s, %u failed)\n",
		opt->color ? C_BOLD : "", label[v], opt->color ? C_OFF : "",
		counts[HP_PASS], counts[HP_WARN], counts[HP_WARN] == 1 ? "" : "s",
		counts[HP_FAIL]);
}

static void text_explain(const struct report_opts *opt, const struct result *r)
{
	const struct explain *ex = r->explain;
	FILE *o = opt->out;

	fprintf(o, "explain: %u lines read from %s, %zu recognised\n", ex->lines,
		r->source, ex->nr_events);
	if (ex->cmd_lineno)
		fprintf(o, "command line (line %u): %s\n", ex->cmd_lineno, ex->cmd);
	if (ex->version_line)
		fprintf(o, "DPDK before 18.05 (legacy memory only): told by line %u\n",
			ex->version_line);
	for (size_t i = 0; i < ex->nr_events; i++) {
		const struct log_event *e = &ex->events[i];

		fprintf(o, "  line %-4u %s\n            %s\n", e->lineno, e->text,
			e->what);
	}
}

static void text_trial(const struct report_opts *opt, const struct result *r)
{
	const struct trial_result *t = r->trial;

	fprintf(opt->out, "trial:    %s, baseline %" PRIu64 " VMAs taken first; %"
		PRIu64 " of %" PRIu64 " pages mapped in %.2f s\n",
		r->trial_dir ? r->trial_dir : "no page files", t->baseline_vmas,
		(uint64_t)t->mapped, t->peak_pages, r->trial_seconds);
	if (t->note[0])
		fprintf(opt->out, "note:     %s\n", t->note);
}

static void text_exec(const struct report_opts *opt, const struct result *r)
{
	const struct need *need = r->need;
	const struct exec_result *x = r->exec;
	FILE *o = opt->out;
	uint64_t ps = need ? need->page_size : 0;

	fputs("exec:    ", o);
	for (size_t i = 0; r->exec_argv && r->exec_argv[i]; i++)
		fprintf(o, " %s", r->exec_argv[i]);
	fputc('\n', o);
	if (x->exited)
		fprintf(o, "          pid %d exited with status %d after %.2f s", (int)x->pid,
			x->exit_status, x->seconds);
	else
		fprintf(o, "          pid %d was killed by %s after %.2f s", (int)x->pid,
			sigabbrev_np(x->sig) ? sigabbrev_np(x->sig) : "a signal", x->seconds);
	if (x->traced)
		fprintf(o, "; %" PRIu64 " memory calls watched, %" PRIu64 " failed\n",
			x->rec.calls, x->rec.failures);
	else
		fputs("; the trace library was not loaded (a setuid program, or "
		      "LD_PRELOAD ignored): only the output was read\n", o);
	fprintf(o, "peak:     %" PRIu64 " VMAs, %" PRIu64 " fds, %" PRIu64
		" hugepages (sampled every %d ms)\n", x->peak_vmas, x->peak_fds,
		ps ? x->peak_hugetlb_bytes / ps : 0, EXEC_SAMPLE_MS);
}

static void text_vma(const struct report_opts *opt, const struct result *r)
{
	FILE *o = opt->out;
	char s[32];

	if (r->top) {
		fprintf(o, "%-8s %-16s %10s %8s   of vm.max_map_count %" PRIu64 "\n",
			"PID", "COMMAND", "VMAS", "PERCENT", r->vma_limit);
		for (size_t i = 0; i < r->top->nr_procs; i++) {
			const struct vma_proc *p = &r->top->procs[i];

			fprintf(o, "%-8d %-16s %10" PRIu64 " %7.1f%%\n", (int)p->pid,
				p->comm, p->count, r->vma_limit ? 100.0 *
				(double)p->count / (double)r->vma_limit : 0.0);
		}
		fprintf(o, "%" PRIu64 " processes scanned", r->top->scanned);
		if (r->top->unreadable)
			fprintf(o, ", %" PRIu64 " not readable (run as root)",
				r->top->unreadable);
		if (r->top->vanished)
			fprintf(o, ", %" PRIu64 " exited during the scan", r->top->vanished);
		fputc('\n', o);
		return;
	}
	fprintf(o, "process %d: %" PRIu64 " VMAs of vm.max_map_count %" PRIu64 "\n",
		(int)r->vma->pid, r->nr_samples ? r->samples[r->nr_samples - 1].count :
		r->vma->count, r->vma_limit);
	fprintf(o, "%8s %10s %9s %10s  %s\n", "VMAS", "SIZE", "IDENTICAL",
		r->vma->nr_groups && r->vma->groups[0].have_rss ? "RSS" : "", "OBJECT");
	for (size_t i = 0; i < r->vma->nr_groups && (i < 20 || opt->verbose); i++) {
		const struct vma_group *g = &r->vma->groups[i];
		char rss[32] = "";

		if (g->have_rss)
			format_bytes(g->rss, rss, sizeof(rss));
		fprintf(o, "%8" PRIu64 " %10s %9" PRIu64 " %10s  %s%s\n", g->vmas,
			format_bytes(g->bytes, s, sizeof(s)), g->identical, rss,
			g->object, g->leak || g->growing ? "  [leak]" : "");
	}
	if (r->vma->nr_groups > 20 && !opt->verbose)
		fprintf(o, "(%zu more objects: -v lists them all)\n",
			r->vma->nr_groups - 20);
}

static void step_values(const struct fix_step *s, char *buf, size_t size)
{
	char ss[16];

	switch (s->kind) {
	case FIX_MOUNT:
		snprintf(buf, size, "hugetlbfs pagesize=%s",
			 format_short_size(s->page_size, ss, sizeof(ss)));
		break;
	case FIX_REMOVE:
		snprintf(buf, size, "%" PRIu64 " page%s freed", s->from,
			 s->from == 1 ? "" : "s");
		break;
	case FIX_PERSIST:
		snprintf(buf, size, "%" PRIu64 " setting%s", s->to,
			 s->to == 1 ? "" : "s");
		break;
	default:
		snprintf(buf, size, "%" PRIu64 " -> %" PRIu64, s->from, s->to);
		break;
	}
}

static void text_fix(const struct report_opts *opt, const struct result *r)
{
	const struct fix_plan *p = r->plan;
	FILE *o = opt->out;
	size_t changes = 0;

	for (size_t i = 0; i < p->n; i++)
		changes += p->v[i].kind != FIX_PERSIST;
	if (!p->n)
		fprintf(o, "plan:     nothing to change on this host\n");
	else
		fprintf(o, "plan:     %zu change%s%s\n", changes, changes == 1 ? "" : "s",
			r->applied ? "" : " (nothing is written without --apply)");
	for (size_t i = 0; i < p->n; i++) {
		const struct fix_step *s = &p->v[i];
		char what[PATH_MAX + 80], val[64];

		if (s->kind == FIX_MOUNT || s->kind == FIX_REMOVE || s->kind == FIX_PERSIST)
			snprintf(what, sizeof(what), "%s %s", fix_kind_name(s->kind),
				 s->path);
		else
			snprintf(what, sizeof(what), "%s", s->setting);
		step_values(s, val, sizeof(val));
		fprintf(o, "  %-9s %-40s %-22s %s: %s\n", fix_status_name(s->status),
			what, val, s->check < CHECK_COUNT ? check_name(s->check) :
			"persist", s->reason);
		if (s->error)
			fprintf(o, "            %s\n", s->error);
		else if ((s->kind == FIX_POOL || s->kind == FIX_NODE_POOL) &&
			 s->compacted)
			fprintf(o, "            memory was compacted first\n");
	}
	if (p->nr_manual) {
		fprintf(o, "not changed by hpdiag:\n");
		for (size_t i = 0; i < p->nr_manual; i++) {
			const struct fix_manual *m = &p->manual[i];

			fprintf(o, "  %-24s %s\n", check_name(m->check), m->why);
			for (size_t k = 0; k < m->nr_lines; k++)
				fprintf(o, "      %s\n", m->lines[k]);
		}
	}
	if (p->nr_boot) {
		fprintf(o, "to keep across reboots:\n");
		for (size_t i = 0; i < p->nr_boot; i++)
			fprintf(o, "  %s\n", p->boot[i]);
	}
	if (p->rolled_back && p->rollback_failed)
		fprintf(o, "a step failed, and some changes could not be put back "
			"(see the steps above)\n");
	else if (p->rolled_back)
		fprintf(o, "a step failed: every change made before it was put back\n");
	else if (p->refused)
		fprintf(o, "refused: nothing was changed\n");
	else if (!r->applied && p->n)
		fprintf(o, "nothing was changed: 'hpdiag fix --apply' (or 'hpdiag "
			"check --fix') applies this plan\n");
	if (r->applied && !opt->quiet)
		fprintf(o, "after the changes:\n");
}

int report_text(const struct report_opts *opt, const struct result *r)
{
	const struct findings *fs = r->findings;

	if (r->pools)
		text_pools(opt, r);
	if (r->mounts)
		text_mounts(opt, r);
	if (r->limits)
		text_limits(opt, r);
	if (r->explain && !opt->quiet)
		text_explain(opt, r);
	if (r->need && !opt->quiet)
		text_need(opt, r->need);
	if ((r->vma || r->top) && !opt->quiet)
		text_vma(opt, r);
	if (r->trial && !opt->quiet)
		text_trial(opt, r);
	if (r->exec && !opt->quiet)
		text_exec(opt, r);
	if (r->plan)
		text_fix(opt, r);
	if ((r->explain || r->exec) && r->host && opt->verbose) {
		struct report_opts sub = *opt;

		fprintf(opt->out, "this host, for that workload:\n");
		sub.verbose = 0;
		text_findings(&sub, r->host);
		fprintf(opt->out, "explanation:\n");
	}
	if (fs && (fs->n || r->need))
		text_findings(opt, fs);
	return ferror(opt->out) ? -1 : 0;
}
