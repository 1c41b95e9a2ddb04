// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * explain.c - `hpdiag explain [FILE]`: reads what an application printed,
 * takes its workload from the text, and names the cause by this host's
 * evidence.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "diagnose/explain.h"

/* The largest log explain reads. */
#define EXPLAIN_MAX_INPUT (16u << 20)

/* Reads FILE, or standard input for "-" or none; bounded. */
static char *read_input(const char *file, const char **name)
{
	size_t len = 0, cap = 65536;
	FILE *f = stdin;
	char *buf;

	*name = "standard input";
	if (file && strcmp(file, "-")) {
		f = fopen(file, "r");
		if (!f) {
			errorx("cannot read '%s': %s", file, strerror(errno));
			return NULL;
		}
		*name = file;
	} else if (isatty(STDIN_FILENO)) {
		fputs("hpdiag: paste the application's output, then Ctrl-D\n", stderr);
	}
	buf = malloc(cap);
	while (buf) {
		size_t n;

		if (len > EXPLAIN_MAX_INPUT) {
			errorx("'%s': more than %u MiB of log: give the part "
			       "around the failure", *name, EXPLAIN_MAX_INPUT >> 20);
			free(buf);
			buf = NULL;
			break;
		}
		if (cap - len < 2) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				errorx("out of memory");
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0) {
			if (ferror(f)) {
				errorx("cannot read '%s': %s", *name, strerror(errno));
				free(buf);
				buf = NULL;
			}
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	if (!buf)
		return NULL;
	buf[len] = '\0';
	/* NUL bytes end a line's text early; they never make it a crash. */
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	return buf;
}

static int run_explain(struct ctx *c)
{
	struct findings out = { 0 };
	struct workload wl = c->wl;
	struct assessment a;
	struct explain ex;
	const char *source;
	char *text;
	int rc, status;

	text = read_input(c->file, &source);
	if (!text)
		return EXIT_ERROR;
	rc = explain_parse(text, &ex);
	free(text);
	if (rc < 0) {
		errorx("out of memory");
		return EXIT_ERROR;
	}
	workload_merge(&wl, &ex.hint);
	status = assess(c, probe_for(c, &wl), c->pid, &wl, &a);
	if (!status && explain_diagnose(&ex, &a.fs, &out) < 0) {
		errorx("out of memory");
		status = EXIT_ERROR;
	}
	if (!status) {
		struct result r = {
			.snap = &a.snap, .need = &a.need, .findings = &out,
			.host = &a.fs, .explain = &ex, .source = source,
		};

		status = render(c, &r);
		if (!status)
			status = findings_exit(&out);
	}
	findings_free(&out);
	assessment_free(&a);
	explain_free(&ex);
	return status;
}

const struct command cmd_explain = {
	.name = "explain",
	.run = run_explain,
	.flags = CMD_FILE_ARG,
	.operands = "[FILE]",
	.summary = "name the cause of a failure from the application's log, on this host",
	.groups = (const struct option_group *const[]) {
		&group_workload, &group_pid, &group_report, NULL,
	},
	.check = workload_options_check,
};
