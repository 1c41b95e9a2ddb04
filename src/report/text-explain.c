// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * text-explain.c - explain's report as text: (a) what the log proves, its
 * lines and the options it shows, (b) the causes consistent with it,
 * likeliest first, (c) what this host shows of each.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/num.h"
#include "lib/untrusted.h"
#include "report/report.h"
#include "report/text.h"

static const char *view_text(enum host_view v)
{
	switch (v) {
	case VIEW_CONFIRMED:
		return "this host shows it";
	case VIEW_RULED_OUT:
		return "ruled out by this host";
	case VIEW_UNSEEN:
		return "not visible from here: the application's own process";
	case VIEW_NOT_SHOWN:
		return "neither shown nor ruled out by this host";
	default:
		return "";
	}
}

/* The workload's options the log shows. */
static void text_hint(FILE *o, unsigned width, const struct workload_hint *h)
{
	char s[32], *line = NULL;
	size_t len = 0;
	FILE *m;

	if (!h->have_mode && !h->have_mem && !h->nr_socket_mem && !h->huge_dir &&
	    !h->file_prefix && !h->page_size)
		return;
	/* The line whole, then wrapped. */
	m = open_memstream(&line, &len);
	if (!m)
		return;
	fputs("  options:", m);
	if (h->have_mode)
		fprintf(m, " mode %s;", mode_name(h->mode));
	if (h->have_mem)
		fprintf(m, " %" PRIu64 " MiB;", h->mem_mb);
	for (size_t i = 0; i < h->nr_socket_mem; i++)
		fprintf(m, "%s%" PRIu64 "%s", i ? "," : " --socket-mem ", h->socket_mem[i],
			i + 1 == h->nr_socket_mem ? ";" : "");
	if (h->huge_dir)
		fprintf(m, " --huge-dir %s;", h->huge_dir);
	if (h->file_prefix)
		fprintf(m, " --file-prefix %s;", h->file_prefix);
	if (h->page_size)
		fprintf(m, " page size %s;", format_bytes(h->page_size, s, sizeof(s)));
	if (!fclose(m) && line)
		text_wrap(o, width, line, 0, 4);
	free(line);
}

/* (a) what the log proves, (b) the causes consistent with it, (c) what
 * the host shows of each. */
void text_explain(const struct report_opts *opt, const struct result *r)
{
	const struct explain *ex = r->explain;
	const struct explain_answer *ans = r->answer;
	const struct log_proof *pr = &ex->proof;
	FILE *o = opt->out;

	fprintf(o, "explain: %u line%s read from %s, %zu recognised\n", ex->lines,
		ex->lines == 1 ? "" : "s", r->source, ex->nr_events);
	fputs("(a) the log proves:\n", o);
	if (pr->app != APP_UNKNOWN)
		fprintf(o, "  application: %s%s%s (line %u)\n", app_name(pr->app),
			pr->version[0] ? " " : "", pr->version, pr->app_line);
	if (ex->cmd_lineno)
		text_wrapf(o, opt->width, 0, 4, "  command line (line %u): %s", ex->cmd_lineno,
			   ex->cmd);
	if (ex->version_line)
		fprintf(o, "  DPDK before 18.05 (legacy memory only): told by line %u\n",
			ex->version_line);
	text_hint(o, opt->width, &ex->hint);
	if (pr->fail_line || pr->call[0] || pr->err || pr->sig || pr->fault) {
		const char *sep = " ";

		fputs("  failure:", o);
		if (pr->fail_line) {
			fprintf(o, "%sline %u", sep, pr->fail_line);
			sep = ", ";
		}
		if (pr->call[0]) {
			fprintf(o, "%s%s", sep, pr->call);
			sep = ", ";
		}
		if (pr->err) {
			fprintf(o, "%s%s", sep, strerrorname_np(pr->err) ?
				strerrorname_np(pr->err) : "an error");
			sep = ", ";
		}
		if (pr->sig || pr->fault)
			fprintf(o, "%sa page refused at fault time%s", sep,
				pr->sig ? " (SIGBUS)" : "");
		fputc('\n', o);
	}
	if (pr->requested_mb || pr->available_mb)
		fprintf(o, "  requested: %" PRIu64 " MiB, available: %" PRIu64 " MiB%s\n",
			pr->requested_mb, pr->available_mb, pr->nodes == 1 ?
			" (one NUMA node)" : "");
	for (size_t i = 0; i < ex->nr_events; i++) {
		const struct log_event *e = &ex->events[i];

		char rep[48] = "";

		text_wrapf(o, opt->width, 0, 12, "  line %-4u %s", e->lineno, e->text);
		if (e->repeats)
			snprintf(rep, sizeof(rep), " (%u more time%s)", e->repeats,
				 e->repeats == 1 ? "" : "s");
		text_wrapf(o, opt->width, 0, 12, "            %s%s%s", e->what, rep,
			   e->after_up ? " [after memory came up]" : "");
	}
	if (!ans)
		return;
	fprintf(o, "  outcome: %s", outcome_name(ans->outcome));
	if (pr->up_line)
		fprintf(o, " (memory came up at line %u)", pr->up_line);
	fputc('\n', o);
	if (!ans->nr_cands)
		return;
	text_wrapf(o, opt->width, 0, 4, "(b) consistent causes, likeliest first; %s",
		   ans->log_only ? "(c) --log-only: nothing of this host is read" :
		   "(c) what this host shows:");
	for (size_t i = 0; i < ans->nr_cands; i++) {
		enum host_view w = ans->view[i];
		char where[600];

		where[0] = '\0';
		/* Where to look, for what the host cannot settle. */
		if (w != VIEW_CONFIRMED && w != VIEW_RULED_OUT)
			explain_where(ans->cands[i], ex->hint.page_size, ex->hint.huge_dir,
				      where, sizeof(where));
		text_wrapf(o, opt->width, 0, 25, "  %-22s %s%s%s", cause_name(ans->cands[i]),
			   view_text(w), !where[0] ? "" : w == VIEW_NOT_CHECKED ? "look at " :
			   "; look at ", where);
	}
}
