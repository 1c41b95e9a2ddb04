// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd-explain.c - `hpdiag explain [FILE]`: reads what an application printed,
 * takes its workload from the text, and names the cause by this host's
 * evidence.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "diagnose/explain.h"

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

int cmd_explain(struct ctx *c)
{
	struct findings host = { 0 }, out = { 0 };
	struct workload wl = c->wl;
	struct explain ex;
	struct snapshot snap;
	struct need need;
	char *text;
	int rc, status;

	text = read_input(c->file, &c->rep.source);
	if (!text)
		return EXIT_ERROR;
	rc = explain_parse(text, &ex);
	free(text);
	if (rc < 0) {
		errorx("out of memory");
		return EXIT_ERROR;
	}
	explain_workload(&ex, &wl, c->user_mode,
			 wl.have_mem || wl.have_pages || wl.nr_socket_mem);
	rc = probe_snapshot(&c->sr, probe_for(c, &wl), c->pid, &snap);
	if (rc < 0) {
		snapshot_free(&snap);
		explain_free(&ex);
		return probe_error(c, rc);
	}
	status = EXIT_ERROR;
	if (workload_need(&snap, &wl, &need) == 0 &&
	    diagnose_check(&snap, &wl, &need, &host) == 0 &&
	    explain_diagnose(&ex, &host, &out) == 0) {
		c->rep.explain = &ex;
		c->rep.host = &host;
		if (render(c, &snap, &need, &out, PART_EXPLAIN | PART_NEED) == 0)
			status = exit_for(findings_verdict(&out));
	} else {
		errorx("out of memory");
	}
	findings_free(&out);
	findings_free(&host);
	snapshot_free(&snap);
	explain_free(&ex);
	return status;
}

