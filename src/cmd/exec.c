// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd-exec.c - `hpdiag exec [options] -- COMMAND [ARGS]`: refuses a static
 * program (a preload library cannot enter it), runs the command with the
 * trace library (exec-run.c), reads the workload from its command line and
 * the failure from its output (explain.c), and reports the "exec" finding
 * with the host it ran on.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "act/exec.h"

#define TRACE_LIB	"libhpdiag-trace.so"

/* HPDIAG_TRACE_LIB, else next to the binary (a build tree), else where
 * make install put it. */
static int find_lib(char *buf, size_t size)
{
	const char *env = getenv("HPDIAG_TRACE_LIB");
	char self[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		if (env[0] != '/') {
			errorx("HPDIAG_TRACE_LIB: '%s' is not an absolute path", env);
			return -1;
		}
		snprintf(buf, size, "%s", env);
		if (access(buf, R_OK) == 0)
			return 0;
		errorx("HPDIAG_TRACE_LIB: %s: %s", buf, strerror(errno));
		return -1;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash && (size_t)(slash - self) + sizeof(TRACE_LIB) + 1 < size) {
			memcpy(buf, self, (size_t)(slash - self) + 1);
			memcpy(buf + (slash - self) + 1, TRACE_LIB, sizeof(TRACE_LIB));
			if (access(buf, R_OK) == 0)
				return 0;
		}
	}
	snprintf(buf, size, "%s/%s", PKGLIBEXECDIR, TRACE_LIB);
	if (access(buf, R_OK) == 0)
		return 0;
	errorx("%s: %s (reinstall hpdiag, or set HPDIAG_TRACE_LIB)", buf,
	       strerror(errno));
	return -1;
}

/* "$ COMMAND ARGS" first, as a user pastes a log, then the output. */
static char *log_text(char *const *argv, const struct exec_result *r)
{
	size_t len = 3 + r->output_len, off;
	char *text;

	for (size_t i = 0; argv[i]; i++)
		len += strlen(argv[i]) + 1;
	text = malloc(len);
	if (!text)
		return NULL;
	off = (size_t)sprintf(text, "$");
	for (size_t i = 0; argv[i]; i++)
		off += (size_t)sprintf(text + off, " %s", argv[i]);
	text[off++] = '\n';
	memcpy(text + off, r->output ? r->output : "", r->output_len);
	text[off + r->output_len] = '\0';
	return text;
}

int cmd_exec(struct ctx *c)
{
	struct findings host = { 0 }, out = { 0 };
	struct exec_opts o = { 0 };
	struct exec_result res;
	struct explain ex;
	struct snapshot snap;
	struct need need;
	struct workload wl = c->wl;
	char path[PATH_MAX], lib[PATH_MAX], err[PATH_MAX + 128], *text;
	bool have_snap = false, have_ex = false;
	int rc, status = EXIT_ERROR;

	if (!c->command || !c->command[0])
		return usage_error("exec: give the command after '--': "
				   "hpdiag exec [options] -- COMMAND [ARGS...]");
	rc = exec_resolve(c->command[0], path, sizeof(path));
	if (rc < 0) {
		errorx("exec: cannot run '%s': %s", c->command[0], strerror(-rc));
		return EXIT_ERROR;
	}
	rc = exec_is_static(path);
	if (rc < 0) {
		errorx("exec: %s: %s", path, strerror(-rc));
		return EXIT_ERROR;
	}
	if (rc == 1) {
		errorx("exec: %s is statically linked: a preload library cannot watch "
		       "it; 'hpdiag trial' with the same workload maps the same "
		       "pages in a child of its own", path);
		return EXIT_ERROR;
	}
	if (find_lib(lib, sizeof(lib)) < 0)
		return EXIT_ERROR;
	o.argv = c->command;
	o.lib = lib;
	/* With JSON or metrics on stdout, the application's stdout goes to
	 * stderr, unless the report goes to a file. */
	o.out_fd = c->rep.format != FMT_TEXT && !c->output_file ? STDERR_FILENO :
		   STDOUT_FILENO;
	o.err_fd = STDERR_FILENO;
	fflush(NULL);
	if (exec_run(&o, &res, err, sizeof(err)) < 0) {
		errorx("exec: %s", err);
		exec_result_free(&res);
		return EXIT_ERROR;
	}
	text = log_text(c->command, &res);
	if (!text || explain_parse(text, &ex) < 0) {
		errorx("out of memory");
		goto out;
	}
	have_ex = true;
	explain_workload(&ex, &wl, c->user_mode,
			 wl.have_mem || wl.have_pages || wl.nr_socket_mem);
	rc = probe_snapshot(&c->sr, probe_for(c, &wl), 0, &snap);
	have_snap = true;
	if (rc < 0) {
		status = probe_error(c, rc);
		goto out;
	}
	if (workload_need(&snap, &wl, &need) < 0 ||
	    diagnose_check(&snap, &wl, &need, &host) < 0 ||
	    exec_findings(&res, &snap, &need, &ex, &host, &out) < 0) {
		errorx("out of memory");
		goto out;
	}
	c->rep.exec = &res;
	c->rep.exec_argv = c->command;
	c->rep.exec_cause = exec_cause(&res, &snap, &need);
	c->rep.host = &host;
	if (render(c, &snap, &need, &out, PART_NEED | PART_EXEC) == 0)
		status = exit_for(findings_verdict(&out));
out:
	c->rep.exec = NULL;
	c->rep.host = NULL;
	free(text);
	if (have_ex)
		explain_free(&ex);
	if (have_snap)
		snapshot_free(&snap);
	findings_free(&host);
	findings_free(&out);
	exec_result_free(&res);
	return status;
}
