// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * text.c - the text renderer: aligned tables for pools, mounts and limits,
 * the workload, trial, exec, vma and fix; explain's three steps are
 * text-explain.c's, the findings text-findings.c's.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/exec.h"
#include "diagnose/data.h"
#include "lib/num.h"
#include "lib/untrusted.h"
#include "report/report.h"
#include "report/text.h"


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
		char a[32], b[32], c[32];

		/* Rounded as check's hugepages_starve_kernel rounds them. */
		format_parts(snap->mem.mem_total, snap->mem.hugetlb, a, b, c, sizeof(a));
		fprintf(o, "memory: %s total, %s in hugepage pools, %s left\n", a, b, c);
	}
}

static void text_mounts(const struct report_opts *opt, const struct result *r)
{
	const struct snapshot *snap = r->snap;
	FILE *o = opt->out;
	char s1[32], s2[32], own[32], safe[4096];

	if (!snap->nr_mounts) {
		fprintf(o, "no hugetlbfs mounts\n");
		return;
	}
	fprintf(o, "%-20s %-7s %-9s %-7s %-9s %-5s %-5s %-9s %s\n", "PATH", "SIZE",
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
		/* size= in pages, as USED counts them. */
		if (m->size_limit == HP_UNLIMITED || !m->page_size)
			snprintf(s2, sizeof(s2), "unlimited");
		else
			snprintf(s2, sizeof(s2), "%" PRIu64, m->size_limit / m->page_size);
		snprintf(own, sizeof(own), "%u:%u", m->uid, m->gid);
		fprintf(o, "%-20s %-7s %-9s %-7s %-9s %-5s %-5s %-9s %04o%s%s\n",
			m->path, format_bytes(m->page_size, s1, sizeof(s1)),
			s2, used, inodes, files,
			stale, own, m->mode, m->read_only ? " ro" : "",
			m->writable == 0 ? " not-writable" : "");
		for (size_t j = 0; j < m->nr_files && opt->verbose; j++)
			fprintf(o, "  %s  %" PRIu64 " page%s%s\n",
				text_safe(m->files[j].path, safe, sizeof(safe)),
				m->files[j].pages, PL(m->files[j].pages), !snap->procs_scanned ? "" :
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
	else if (snap->meta.captured)
		fprintf(o, "process: the limits hpdiag had when the tree was captured\n");
	else
		fprintf(o, "process: this shell's limits (as inherited by hpdiag)\n");
	if (l->maps_errno)
		fprintf(o, "  %-28s unknown: /proc/%d/maps cannot be read (%s)\n", "VMAs",
			(int)l->pid, strerror(l->maps_errno));
	else
		fprintf(o, "  %-28s %" PRIu64 " of vm.max_map_count %" PRIu64 "\n",
			"VMAs", l->vma_count, l->sysctl[SC_MAX_MAP_COUNT].value);
	if (l->have_fd_count)
		fprintf(o, "  %-28s %" PRIu64 "\n", "open fds", l->fd_count);
	else if (l->fd_errno)
		fprintf(o, "  %-28s unknown: /proc/%d/fd cannot be read (%s)\n", "open fds",
			(int)l->pid, strerror(l->fd_errno));
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
	text_cgroup(o, &snap->cg);
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

/* The application of "-- COMMAND": what was modelled, from what, and
 * what check predicts it does. */
static bool text_app(const struct report_opts *opt, const struct result *r)
{
	const struct app_model *m = r->need->app;
	bool predicted = r->findings && !r->host && !r->trial && !r->exec && !r->explain;
	static const char *const said[] = {
		[RUN_START] = "it starts", [RUN_DEGRADED] = "it starts degraded",
		[RUN_FAIL] = "it fails",
	};

	if (!m)
		return true;
	text_wrapf(opt->out, opt->width, 0, 13, "application: %s (%s) from %s%s%s", m->what,
		   m->settings, m->input, predicted ? "; predicted: " : "",
		   predicted ? said[r->findings->outcome] : "");
	if (m->note[0])
		text_wrapf(opt->out, opt->width, 0, 13, "             %s", m->note);
	return !m->no_hugepages;
}

static void text_need(const struct report_opts *opt, const struct result *r)
{
	const struct need *need = r->need;
	const struct need_data *d = &need->data;
	char s[32], t[32], u[32], line[1024], more[128] = "";
	uint64_t bytes = 0;
	size_t l;

	if (!text_app(opt, r))
		return;

	l = (size_t)snprintf(line, sizeof(line), "workload: %s", mode_name(need->mode));
	if (mode_is_dpdk(need->mode) && l < sizeof(line))
		l += (size_t)snprintf(line + l, sizeof(line) - l, " (DPDK %u.%02u)",
				      need->dpdk_version / 100, need->dpdk_version % 100);
	if (!need->page_size) {
		if (l < sizeof(line))
			snprintf(line + l, sizeof(line) - l,
				 ", no hugepage size: the kernel offers none");
	} else {
		/* Several sizes: DPDK spreads -m over them, largest first. */
		for (size_t i = 0, n = 0; i < need->nr_sizes && l < sizeof(line); i++) {
			const struct need_size *sz = &need->sizes[i];

			if (!sz->pages && need->nr_sizes > 1)
				continue;
			l += (size_t)snprintf(line + l, sizeof(line) - l, "%s %" PRIu64 " x %s",
					      n++ ? " +" : ",", sz->pages,
					      format_bytes(sz->page_size, s, sizeof(s)));
			bytes = hp_sat_add(bytes, hp_sat_mul(sz->pages, sz->page_size));
		}
		if (l < sizeof(line))
			snprintf(line + l, sizeof(line) - l, " pages (%s)%s",
				 format_bytes(bytes, t, sizeof(t)), need->pages_default ?
				 ", no -m/-n given: checking for one page" : "");
	}
	text_wrap(opt->out, opt->width, line, 0, 10);
	if (need->lists)
		snprintf(more, sizeof(more), " (%" PRIu64 " memseg lists)", need->lists);
	if (need->pool_pages > need->pages) {
		l = strlen(more);
		snprintf(more + l, sizeof(more) - l, ", %" PRIu64 " pages mapped at the peak",
			 need->pool_pages);
	}
	text_wrapf(opt->out, opt->width, 0, 10, "needs:    %" PRIu64 " VMAs at the peak "
		   "(baseline %" PRIu64 ", %s), %" PRIu64 " fds, %s of address space%s",
		   need->vmas, need->baseline_vmas, need->baseline_vmas_from, need->fds,
		   format_bytes(need->va_bytes, u, sizeof(u)), more);
	/* The program of "-- COMMAND", read from its ELF. */
	if (d->program) {
		char parts[512], rt[PATH_MAX + 64] = "";

		if (d->runtime_objects)
			snprintf(rt, sizeof(rt), ", %" PRIu64 " loaded at run time%s%s",
				 d->runtime_objects, d->plugin_dir ? " from " : "",
				 d->plugin_dir ? d->plugin_dir : "");
		text_wrapf(opt->out, opt->width, 0, 10, "program:  %s (%s, %s), %" PRIu64
			   " objects at its start%s", d->program, d->app ? d->app : "?",
			   d->app_why ? d->app_why : "", d->objects, rt);
		text_wrapf(opt->out, opt->width, 0, 10, "data:     %s of private writable "
			   "memory (%s)", format_bytes(need->data_bytes, s, sizeof(s)),
			   data_parts(need, parts, sizeof(parts)));
	}
}

static void text_trial(const struct report_opts *opt, const struct result *r)
{
	const struct trial_result *t = r->trial;

	text_wrapf(opt->out, opt->width, 0, 10, "trial:    %s, baseline %" PRIu64 " VMAs "
		   "taken first; %" PRIu64 " of %" PRIu64 " page%s mapped in %.2f s",
		   r->trial_dir ? r->trial_dir : "no page files", t->baseline_vmas,
		   (uint64_t)t->mapped, t->peak_pages, PL(t->peak_pages), r->trial_seconds);
	if (t->note[0])
		text_wrapf(opt->out, opt->width, 0, 10, "note:     %s", t->note);
	if (r->need && r->need->app && r->need->app->known && r->findings) {
		static const char *const said[] = {
			[RUN_START] = "it starts", [RUN_DEGRADED] = "it starts degraded",
			[RUN_FAIL] = "it fails",
		};

		text_wrapf(opt->out, opt->width, 0, 10, "outcome:  %s (%s, mapped as it maps)",
			   said[r->findings->outcome], r->need->app->what);
	}
}

static void text_exec(const struct report_opts *opt, const struct result *r)
{
	const struct need *need = r->need;
	const struct exec_result *x = r->exec;
	FILE *o = opt->out;
	uint64_t ps = need ? need->page_size : 0;

	char argv[4096] = "", calls[160];
	size_t l = 0;

	for (size_t i = 0; r->exec_argv && r->exec_argv[i] && l < sizeof(argv); i++)
		l += (size_t)snprintf(argv + l, sizeof(argv) - l, " %s", r->exec_argv[i]);
	text_wrapf(o, opt->width, 0, 10, "exec:    %s", argv);
	if (x->traced)
		snprintf(calls, sizeof(calls), "; %" PRIu64 " memory calls watched, %" PRIu64
			 " failed", x->rec.calls, x->rec.failures);
	else
		snprintf(calls, sizeof(calls), "; the trace library was not loaded (a setuid "
			 "program, or LD_PRELOAD ignored): only the output was read");
	if (x->exited)
		text_wrapf(o, opt->width, 0, 10, "          pid %d exited with status %d after "
			   "%.2f s%s", (int)x->pid, x->exit_status, x->seconds, calls);
	else
		text_wrapf(o, opt->width, 0, 10, "          pid %d was killed by %s after %.2f "
			   "s%s", (int)x->pid, sigabbrev_np(x->sig) ? sigabbrev_np(x->sig) :
			   "a signal", x->seconds, calls);
	fprintf(o, "peak:     %" PRIu64 " VMAs, %" PRIu64 " fds, %" PRIu64
		" hugepages (sampled every %d ms)\n", x->peak_vmas, x->peak_fds,
		ps ? x->peak_hugetlb_bytes / ps : 0, EXEC_SAMPLE_MS);
}

/* "N processes scanned, ..." wrapped. */
static void text_top_footer(const struct report_opts *opt, const struct vma_top *top)
{
	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);

	if (!m)
		return;
	fprintf(m, "%" PRIu64 " processes scanned", top->scanned);
	if (top->unreadable)
		fprintf(m, ", %" PRIu64 " not readable%s", top->unreadable,
			top->as_root ? " (the kernel guards them, even from root)" :
			" (run as root)");
	if (top->vanished)
		fprintf(m, ", %" PRIu64 " exited during the scan", top->vanished);
	if (!fclose(m) && line)
		text_wrap(opt->out, opt->width, line, 0, 2);
	free(line);
}

static void text_vma(const struct report_opts *opt, const struct result *r)
{
	FILE *o = opt->out;
	char s[32], safe[64];

	if (r->top) {
		fprintf(o, "%-8s %-16s %10s %8s   of vm.max_map_count %" PRIu64 "\n",
			"PID", "COMMAND", "VMAS", "PERCENT", r->vma_limit);
		for (size_t i = 0; i < r->top->nr_procs; i++) {
			const struct vma_proc *p = &r->top->procs[i];

			fprintf(o, "%-8d %-16s %10" PRIu64 " %7.1f%%\n", (int)p->pid,
				text_safe(p->comm, safe, sizeof(safe)), p->count,
				r->vma_limit ? 100.0 *
				(double)p->count / (double)r->vma_limit : 0.0);
		}
		text_top_footer(opt, r->top);
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
		/* The step, then why, on a line of its own. */
		text_wrapf(o, opt->width, 0, 12, "  %-9s %s  %s", fix_status_name(s->status),
			   what, val);
		text_wrapf(o, opt->width, 0, 12, "            %s: %s", s->check < CHECK_COUNT ?
			   check_name(s->check) : "persist", s->reason);
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

			text_wrapf(o, opt->width, 0, 27, "  %-24s %s", check_name(m->check),
				   m->why);
			/* Commands whole, to be pasted; notes as comments, each
			 * line of them too. */
			for (size_t k = 0; k < m->nr_lines; k++) {
				fputs("      ", o);
				if (!strncmp(m->lines[k], "# ", 2))
					text_wrap_lead(o, opt->width, m->lines[k], 6, 6, "# ");
				else
					fprintf(o, "%s\n", m->lines[k]);
			}
		}
	}
	if (p->nr_boot) {
		fprintf(o, "to keep across reboots:\n");
		/* fstab and kernel command line entries whole (they are
		 * pasted); prose wrapped. */
		for (size_t i = 0; i < p->nr_boot; i++)
			if (!strncmp(p->boot[i], "sysctl: ", 8))
				text_wrapf(o, opt->width, 0, 4, "  %s", p->boot[i]);
			else
				fprintf(o, "  %s\n", p->boot[i]);
	}
	if (p->rolled_back && p->rollback_failed)
		text_wrap(o, opt->width, "a step failed, and some changes could not be "
			  "put back (see the steps above)", 0, 2);
	else if (p->rolled_back)
		text_wrap(o, opt->width, "a step failed: every change made before it was "
			  "put back", 0, 2);
	else if (p->refused)
		fprintf(o, "refused: nothing was changed\n");
	else if (!r->applied && p->n)
		text_wrap(o, opt->width, "nothing was changed: 'hpdiag fix --apply' (or "
			  "'hpdiag check --fix') applies this plan", 0, 2);
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
		text_need(opt, r);
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
		/* One verdict only: the explanation's, below. */
		text_findings(&sub, r->host, false);
		fprintf(opt->out, "explanation:\n");
	}
	if (fs && (fs->n || r->need))
		text_findings(opt, fs, true);
	return ferror(opt->out) ? -1 : 0;
}
