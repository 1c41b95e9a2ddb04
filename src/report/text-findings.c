// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * text-findings.c - one finding as text: the check and its message, no
 * line past 100 columns; the evidence; the remedy's commands, one a line
 * and never broken (they are pasted); its note.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/untrusted.h"
#include "report/text.h"

/* A number is never split from its unit: "64.1 GiB", "284.3 VMAs/s" and
 * "223 s" each stay on one line. */
static int glued(const char *p, size_t at)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "kB", "VMAs",
						 "pages", "fds", "s", "min", "days" };
	size_t i, l;

	if (!at || p[at - 1] < '0' || p[at - 1] > '9')
		return 0;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		l = strlen(units[i]);
		if (!strncmp(p + at + 1, units[i], l) && strchr(" ,;:)]/", p[at + 1 + l]))
			return 1;
	}
	return 0;
}

void text_wrap_lead(FILE *o, unsigned width, const char *text, size_t col, size_t indent,
		    const char *lead)
{
	const char *p = text;
	size_t ll = lead ? strlen(lead) : 0;

	if (!width)
		width = TEXT_COLUMNS;
	while (*p) {
		size_t room = col < width ? width - col : 0, n = strlen(p), cut;

		if (n <= room) {
			fputs(p, o);
			break;
		}
		/* The last blank that leaves the line within the width. */
		for (cut = room; cut > 0 && (p[cut] != ' ' || glued(p, cut)); cut--)
			;
		if (!cut) {	/* one long word: to its end */
			cut = strcspn(p, " ");
			if (!p[cut]) {
				fputs(p, o);
				break;
			}
		}
		fprintf(o, "%.*s\n%*s%s", (int)cut, p, (int)indent, "", lead ? lead : "");
		p += cut + 1;
		col = indent + ll;
	}
	fputc('\n', o);
}

void text_wrap(FILE *o, unsigned width, const char *text, size_t col, size_t indent)
{
	text_wrap_lead(o, width, text, col, indent, NULL);
}

void text_wrapf(FILE *o, unsigned width, size_t col, size_t indent, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	text_wrap(o, width, buf, col, indent);
}

/* "evidence: key=value ...", wrapped like a message. */
static void text_evidence(FILE *o, unsigned width, const struct finding *f)
{
	char line[8192], safe[4096];
	size_t l = 0;

	line[0] = '\0';
	for (size_t j = 0; j < f->nr_ev && l < sizeof(line); j++) {
		const struct evidence *e = &f->ev[j];
		int n;

		if (e->type == EV_NUM)
			n = snprintf(line + l, sizeof(line) - l, "%s%s=%" PRIu64,
				     j ? " " : "", e->key, e->num);
		else if (e->type == EV_STR)
			n = snprintf(line + l, sizeof(line) - l, "%s%s=%s", j ? " " : "",
				     e->key, text_safe(e->str, safe, sizeof(safe)));
		else
			n = snprintf(line + l, sizeof(line) - l, "%s%s=unlimited",
				     j ? " " : "", e->key);
		if (n < 0)
			break;
		l += (size_t)n;
	}
	fputs("      evidence: ", o);
	text_wrap(o, width, line, 16, 16);
}

void text_findings(const struct report_opts *opt, const struct findings *fs, bool verdict)
{
	static const char *const label[] = { "PASS", "WARN", "FAIL" };
	static const char *const colour[] = { C_GRN, C_YEL, C_RED };
	unsigned counts[3] = { 0 };
	enum hp_status v;
	FILE *o = opt->out;
	/* A message or evidence may quote a log line or a file name. */
	char safe[4096], msg[4200];

	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->v[i];
		const struct remedy *r = &f->remedy;
		size_t name = strlen(check_name(f->check));

		counts[f->status]++;
		if (opt->quiet && f->status == HP_PASS)
			continue;
		/* "FAIL  check_name               message" */
		fprintf(o, "%s%s%s  %-24s ", opt->color ? colour[f->status] : "",
			label[f->status], opt->color ? C_OFF : "", check_name(f->check));
		snprintf(msg, sizeof(msg), "%s%s%s%s", text_safe(f->message, safe, sizeof(safe)),
			 f->cause != CAUSE_NONE ? " [" : "",
			 f->cause != CAUSE_NONE ? cause_name(f->cause) : "",
			 f->cause == CAUSE_NONE ? "" : f->first ? ", met first]" : "]");
		text_wrap(o, opt->width, msg, 7 + (name > 24 ? name : 24), 31);
		if (f->status == HP_PASS && !opt->verbose)
			continue;
		if (f->nr_ev)
			text_evidence(o, opt->width, f);
		/* A line each, never broken: each is pasted whole. */
		for (size_t j = 0; j < r->nr_commands; j++)
			fprintf(o, "      remedy:   %s\n",
				text_safe(r->commands[j], safe, sizeof(safe)));
		if (r->note) {
			fputs("      note:     ", o);
			text_wrap(o, opt->width, text_safe(r->note, safe, sizeof(safe)), 16, 16);
		}
	}
	if (!verdict)
		return;
	v = findings_verdict(fs);
	fprintf(o, "%sverdict: %s%s (%u passed, %u warning%s, %u failed)\n",
		opt->color ? C_BOLD : "", label[v], opt->color ? C_OFF : "",
		counts[HP_PASS], counts[HP_WARN], counts[HP_WARN] == 1 ? "" : "s",
		counts[HP_FAIL]);
}
