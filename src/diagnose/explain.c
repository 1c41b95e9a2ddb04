// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * explain.c - recognises what a hugepage user printed when its memory init
 * failed and names the cause by this host's evidence (see explain.h).  A
 * line such as "Cannot init memory" fits many causes; the host's findings
 * for the workload the text describes decide between them, and when none
 * does the answer is "unknown" with the checks that would tell.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/explain.h"
#include "lib/num.h"
#include "model/app.h"

static bool is_command_line(const char *line, const char **cmd)
{
	const char *p = line;

	while (*p == ' ' || *p == '\t')
		p++;
	/* A prompt: "# ", "$ ", "root@host:~# ". */
	for (const char *q = p; *q && *q != ' '; q++) {
		if ((*q == '#' || *q == '$') && q[1] == ' ') {
			p = q + 2;
			while (*p == ' ')
				p++;
			if (!*p || !strncmp(p, "echo ", 5) || !strncmp(p, "ulimit", 6) ||
			    !strncmp(p, "cat ", 4) || !strncmp(p, "sysctl", 6))
				return false;
			if (strstr(p, " -m") || strstr(p, "--socket-mem") ||
			    strstr(p, "--legacy-mem") || strstr(p, "--in-memory") ||
			    strstr(p, "testpmd") || strstr(p, "dpdk-") ||
			    strstr(p, "l2fwd") || strstr(p, "l3fwd") ||
			    strstr(p, "-XX:") || strstr(p, "postgres") ||
			    strstr(p, " -l ") || strstr(p, " -c ")) {
				*cmd = p;
				return true;
			}
			return false;
		}
	}
	return false;
}

/* The command line's words: the wrappers passed over, the application's
 * options read by the parser check, trial and exec use (model/app.c). */
static void parse_command(struct explain *ex, const char *cmd)
{
	char *copy = strdup(cmd), *save = NULL, *tok, **argv;
	int argc = 0;

	argv = calloc(strlen(cmd) / 2 + 2, sizeof(*argv));
	if (!copy || !argv) {
		free(copy);
		free(argv);
		return;
	}
	for (tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (!strncmp(tok, "-XX:+UseSHM", 11)) {
			ex->hint.have_mode = true;
			ex->hint.mode = MODE_SHM;
		}
		argv[argc++] = tok;
	}
	app_command_options(argc, argv, &ex->hint);
	free(argv);
	free(copy);
}

static void note_line(struct explain *ex, const char *line)
{
	const char *p;
	unsigned long mb;

	/* "Failed to mmap 2 MB hugepages", "hugepages of size 2097152". */
	p = strstr(line, " MB hugepages");
	if (p) {
		while (p > line && isdigit((unsigned char)p[-1]))
			p--;
		mb = strtoul(p, NULL, 10);
		if (mb)
			ex->hint.page_size = (uint64_t)mb << 20;
	}
	p = strstr(line, "(currently ");
	if (p && strstr(line, "bytes")) {
		unsigned long long bytes = strtoull(p + 11, NULL, 10);

		if (bytes) {
			ex->hint.have_mem = true;
			ex->hint.mem_mb = (bytes + (1 << 20) - 1) >> 20;
		}
	}
}

int explain_parse(const char *text, struct explain *ex)
{
	const char *p = text;

	memset(ex, 0, sizeof(*ex));
	while (*p) {
		size_t len = strcspn(p, "\n");
		struct log_event ev = { 0 };
		const char *cmd;
		char *line;
		bool hit = false;

		ex->lines++;
		line = strndup(p, len);
		if (!line)
			return -ENOMEM;
		p += len;
		if (*p == '\n')
			p++;
		if (!ex->cmd_lineno && is_command_line(line, &cmd)) {
			ex->cmd_lineno = ex->lines;
			ex->cmd = strdup(cmd);
			parse_command(ex, cmd);
			free(line);
			continue;
		}
		note_line(ex, line);
		/* A syscall line says exactly which call failed: it comes first. */
		hit = explain_match_strace(line, &ev);
		for (size_t i = 0; i < explain_nr_patterns && !hit; i++) {
			const struct explain_pattern *pt = &explain_patterns[i];

			if (!strstr(line, pt->needle) ||
			    (pt->needle2 && !strstr(line, pt->needle2)))
				continue;
			hit = true;
			ev.what = pt->what;
			ev.fatal = pt->fatal;
			for (size_t c = 0; c < EXPLAIN_MAX_CAUSES && pt->causes[c] != CAUSE_NONE; c++)
				ev.causes[ev.nr_causes++] = pt->causes[c];
			if (pt->mode >= 0 && (!ex->hint.have_mode || pt->mode != MODE_LEGACY ||
					      ex->hint.mode == MODE_DYNAMIC)) {
				ex->hint.have_mode = true;
				ex->hint.mode = (enum mode)pt->mode;
			}
			if (pt->before && (!ex->hint.dpdk_version || ex->hint.dpdk_version >= pt->before)) {
				ex->hint.dpdk_version = 1604;
				ex->version_line = ex->lines;
			}
		}
		if (hit && ex->nr_events < EXPLAIN_MAX_EVENTS) {
			ev.lineno = ex->lines;
			ev.text = line;
			ex->events[ex->nr_events++] = ev;
		} else {
			free(line);
		}
	}
	/* 16.04 knew only the legacy sequence. */
	if (ex->hint.dpdk_version && ex->hint.dpdk_version < 1805) {
		ex->hint.have_mode = true;
		ex->hint.mode = MODE_LEGACY;
	}
	return 0;
}

void explain_free(struct explain *ex)
{
	for (size_t i = 0; i < ex->nr_events; i++)
		free(ex->events[i].text);
	free(ex->cmd);
	workload_hint_free(&ex->hint);
	memset(ex, 0, sizeof(*ex));
}

static bool has_cause(const struct log_event *ev, enum cause cause)
{
	for (size_t i = 0; i < ev->nr_causes; i++)
		if (ev->causes[i] == cause)
			return true;
	return false;
}

/* Appends ", WORD" (or WORD first) to a list. */
static void append(char *buf, size_t size, const char *word)
{
	size_t l = strlen(buf);

	if (l < size)
		snprintf(buf + l, size - l, "%s%s", l ? ", " : "", word);
}

int explain_diagnose(const struct explain *ex, const struct findings *host,
		     struct findings *out)
{
	enum cause cands[EXPLAIN_MAX_CAUSES];
	const struct finding *decided = NULL;
	const struct log_event *ev = NULL;
	char list[512] = "", shown[200];
	size_t nc = 0;
	struct finding *f;

	/* The most telling failure line: the fewest possible causes. */
	for (size_t i = 0; i < ex->nr_events; i++) {
		const struct log_event *e = &ex->events[i];

		if (e->fatal && (!ev || e->nr_causes < ev->nr_causes))
			ev = e;
	}
	if (!ev) {
		f = finding_add(out, CHECK_EXPLAIN, HP_WARN, CAUSE_UNKNOWN,
				"no line of the %u read tells of a hugepage memory "
				"failure that hpdiag knows", ex->lines);
		finding_num(f, "lines", ex->lines);
		finding_remedy(f, "run hpdiag check with the application's options "
			       "(-m, --socket-mem, --mode) on the host where it ran");
		return findings_complete(out) ? 0 : -ENOMEM;
	}
	/* Causes every failure line agrees on, in the telling line's order. */
	for (size_t c = 0; c < ev->nr_causes; c++) {
		bool all = true;

		for (size_t i = 0; i < ex->nr_events; i++)
			if (ex->events[i].fatal && !has_cause(&ex->events[i], ev->causes[c]))
				all = false;
		if (all)
			cands[nc++] = ev->causes[c];
	}
	if (!nc)
		for (size_t c = 0; c < ev->nr_causes; c++)
			cands[nc++] = ev->causes[c];
	for (size_t c = 0; c < nc; c++) {
		const struct finding *h = findings_failure(host, cands[c]);

		append(list, sizeof(list), cause_name(cands[c]));
		if (h && (!decided || (h->first && !decided->first)))
			decided = h;
	}
	snprintf(shown, sizeof(shown), "%s", ev->text);
	if (decided) {
		f = finding_add(out, CHECK_EXPLAIN, HP_FAIL, decided->cause,
				"line %u '%s': %s; of its possible causes (%s) this "
				"host shows %s: %s", ev->lineno, shown, ev->what, list,
				cause_name(decided->cause), decided->message);
		finding_copy_remedy(f, &decided->remedy);
		finding_str(f, "decided_by", check_name(decided->check));
	} else {
		f = finding_add(out, CHECK_EXPLAIN, HP_FAIL, CAUSE_UNKNOWN,
				"line %u '%s': %s; its possible causes (%s) do not "
				"show on this host now for the workload the text "
				"describes: the host may have changed since, or the "
				"application ran with other limits", ev->lineno, shown,
				ev->what, list);
		finding_remedy(f, "run hpdiag check with the application's exact "
			       "options and limits (same user, ulimits, cgroup) on "
			       "the host where it failed");
	}
	finding_num(f, "line", ev->lineno);
	finding_num(f, "candidates", nc);
	if (ex->cmd_lineno)
		finding_num(f, "command_line", ex->cmd_lineno);
	return findings_complete(out) ? 0 : -ENOMEM;
}
