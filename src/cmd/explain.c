// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * explain.c - `hpdiag explain [--log-only] [FILE]`: reads what an
 * application printed, reasons from what the log proves to the causes
 * consistent with it, and lets this host (or --sysroot's snapshot of the
 * failing one) confirm or rule them out; --log-only reads no host.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "diagnose/explain.h"
#include "lib/untrusted.h"

/* The largest log explain reads. */
#define EXPLAIN_MAX_INPUT (16u << 20)

/* Reads FILE, or standard input for "-" or none; bounded. */
static char *read_input(const char *file, const char **name)
{
	size_t len = 0, cap = 65536, at;
	FILE *f = stdin;
	char *buf, *clean;

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
	if (!len) {
		errorx("%s: empty: there is no log to read", *name);
		free(buf);
		return NULL;
	}
	if (text_is_binary(buf, len, &at)) {
		errorx("%s: binary data (byte %zu), not an application's log", *name, at);
		free(buf);
		return NULL;
	}
	/* A NUL byte further on ends nothing early. */
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	/* A log is untrusted: none of its bytes reaches a terminal raw. */
	clean = text_untrusted(buf, len);
	free(buf);
	if (!clean)
		errorx("out of memory");
	return clean;
}

/* --log-only: the log alone, no host read.  What the user says of the
 * page size and the directory still makes "where to look" exact. */
static void log_only_hint(const struct ctx *c, struct explain *ex)
{
	if (c->wl.page_size)
		ex->hint.page_size = c->wl.page_size;
	if (c->wl.huge_dir) {
		char *d = strdup(c->wl.huge_dir);

		if (d) {
			free(ex->hint.huge_dir);
			ex->hint.huge_dir = d;
		}
	}
}

static int run_explain(struct ctx *c)
{
	struct findings out = { 0 };
	struct workload wl = c->wl;
	struct explain_answer ans;
	struct assessment a = { 0 };
	struct explain ex;
	const char *source;
	char *text;
	int rc, status = 0;

	text = read_input(c->file, &source);
	if (!text)
		return EXIT_ERROR;
	rc = explain_parse(text, &ex);
	free(text);
	if (rc < 0) {
		errorx("out of memory");
		return EXIT_ERROR;
	}
	if (c->log_only) {
		log_only_hint(c, &ex);
		explain_reason(&ex, NULL, false, &ans);
	} else {
		workload_merge(&wl, &ex.hint);
		status = assess(c, probe_for(c, &wl), c->pid, &wl, &a);
		/* With --pid the host's rlimits and cgroup are the
		 * application's own; with --cgroup, its cgroup. */
		if (!status)
			explain_reason(&ex, &a.fs, c->pid != 0 || c->cgroup, &ans);
	}
	if (!status && explain_finding(&ex, &ans, &out) < 0) {
		errorx("out of memory");
		status = EXIT_ERROR;
	}
	if (!status) {
		struct result r = {
			.findings = &out, .explain = &ex, .answer = &ans, .source = source,
		};

		if (!c->log_only) {
			r.snap = &a.snap;
			r.need = &a.need;
			r.host = &a.fs;
		}
		status = render(c, &r);
		if (!status)
			status = findings_exit(&out);
	}
	findings_free(&out);
	assessment_free(&a);
	explain_free(&ex);
	return status;
}

static int set_log_only(struct ctx *c, const char *arg)
{
	(void)arg;
	c->log_only = true;
	return 0;
}

static const struct option_def explain_opts[] = {
	{ "log-only", 0, NULL, "reason from the log alone: read nothing of this\n"
	  "host (for a log from another host)", set_log_only },
	{ NULL, 0, NULL, NULL, NULL },
};

static const struct option_group explain_group = { NULL, NULL, explain_opts };

static int explain_options(struct ctx *c)
{
	if (c->log_only && (c->pid || c->cgroup || c->sysroot_dir))
		return usage_error("explain: --log-only reads no host: it cannot be "
				   "combined with %s", c->pid ? "--pid" :
				   c->cgroup ? "--cgroup" : "--sysroot");
	return workload_options_check(c);
}

const struct command cmd_explain = {
	.name = "explain",
	.run = run_explain,
	.flags = CMD_FILE_ARG,
	.operands = "[FILE]",
	.summary = "name the cause of a failure from the application's log",
	.groups = (const struct option_group *const[]) {
		&explain_group, &group_workload, &group_pid, &group_report, NULL,
	},
	.check = explain_options,
};
