/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * text.h - the parts of the text renderer its files share.
 */
#ifndef HPDIAG_REPORT_TEXT_H
#define HPDIAG_REPORT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "report/report.h"

#define C_RED	"\033[31m"
#define C_YEL	"\033[33m"
#define C_GRN	"\033[32m"
#define C_BOLD	"\033[1m"
#define C_OFF	"\033[0m"

/*
 * TEXT at column COL of a line of O, broken at blanks so that no line
 * passes WIDTH columns, each further line indented by INDENT; then a
 * newline.  A word longer than a line is not broken.
 */
void text_wrap(FILE *o, unsigned width, const char *text, size_t col, size_t indent);
/* The same, LEAD ("# ") after the indent of each further line. */
void text_wrap_lead(FILE *o, unsigned width, const char *text, size_t col, size_t indent,
		    const char *lead);
/* The line FMT makes, at column COL (its start counted in), wrapped. */
void text_wrapf(FILE *o, unsigned width, size_t col, size_t indent, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* The findings of FS, then the verdict line when VERDICT. */
void text_findings(const struct report_opts *opt, const struct findings *fs, bool verdict);

/* text-explain.c: explain's (a), (b) and (c). */
void text_explain(const struct report_opts *opt, const struct result *r);

/* text-cgroup.c: the cgroup lines of the limits table. */
void text_cgroup(FILE *o, const struct cgroup *cg);

#endif /* HPDIAG_REPORT_TEXT_H */
