// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * snapshot.c - `hpdiag snapshot -o DIR`: every kernel file the probes read,
 * copied into DIR as they read it, and the facts no file holds written to
 * DIR/hpdiag.snapshot, so `hpdiag --sysroot DIR` diagnoses that host
 * offline.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"

static int dir_is_empty(const char *dir)
{
	struct sysroot tmp;
	char **names;
	size_t n;
	int rc;

	if (sysroot_init(&tmp, dir) < 0) {
		sysroot_release(&tmp);
		return -1;
	}
	rc = sysroot_list(&tmp, "/", &names, &n);
	sysroot_release(&tmp);
	if (rc < 0)
		return -1;
	sysroot_names_free(names, n);
	return n == 0;
}

static int run_snapshot(struct ctx *c)
{
	struct probe p = { .sr = &c->sr, .cgroup = c->cgroup };
	struct snapshot snap;
	struct stat st;
	int rc;

	if (!c->output)
		return usage_error("snapshot: -o DIR is required");
	if (c->rep.format == FMT_PROM)
		return usage_error("snapshot: --format prometheus: a snapshot is a "
				   "directory, not metrics");
	if (stat(c->output, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			errorx("'%s' exists and is not a directory", c->output);
			return EXIT_ERROR;
		}
		if (dir_is_empty(c->output) != 1) {
			errorx("'%s' is not empty: refusing to write a snapshot "
			       "into it", c->output);
			return EXIT_ERROR;
		}
	} else if (mkdir(c->output, 0755) < 0) {
		errorx("cannot create '%s': %s", c->output, strerror(errno));
		return EXIT_ERROR;
	}
	c->sr.recordfd = open(c->output, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->sr.recordfd < 0) {
		errorx("cannot open '%s': %s", c->output, strerror(errno));
		return EXIT_ERROR;
	}
	rc = probe_snapshot(&p, PROBE_ALL, c->pid, &snap);
	if (rc < 0) {
		snapshot_free(&snap);
		return probe_error(&p, rc);
	}
	rc = meta_write(c->sr.recordfd, &snap);
	snapshot_free(&snap);
	if (rc < 0) {
		errorx("cannot write '%s/hpdiag.snapshot': %s", c->output,
		       strerror(-rc));
		return EXIT_ERROR;
	}
	if (!c->rep.quiet && c->rep.format == FMT_TEXT) {
		char pid[32] = "", q[1024];

		/* The tree holds the process's view (its mounts, its limits),
		 * under its own PID. */
		if (c->pid)
			snprintf(pid, sizeof(pid), " --pid %d", (int)c->pid);
		fprintf(c->rep.out, "snapshot written to %s\n"
			"replay it with: hpdiag --sysroot %s check%s\n",
			c->output, shell_quote(c->output, q, sizeof(q)), pid);
	} else if (c->rep.format == FMT_JSON) {
		struct result r = { .snapshot_dir = c->output };

		if (report(&c->rep, &r) < 0)
			return EXIT_ERROR;
	}
	return 0;
}

static int set_dir(struct ctx *c, const char *arg)
{
	c->output = arg;
	return 0;
}

static const struct option_def snapshot_opts[] = {
	{ "output", 'o', "DIR", "the directory to write (must not exist or be empty)",
	  set_dir },
	{ NULL, 0, NULL, NULL, NULL },
};

static const struct option_group snapshot_group = { NULL, NULL, snapshot_opts };

const struct command cmd_snapshot = {
	.name = "snapshot",
	.run = run_snapshot,
	.flags = CMD_LIVE_ONLY,
	.summary = "copy every kernel file hpdiag reads into DIR, for --sysroot DIR",
	.groups = (const struct option_group *const[]) {
		&snapshot_group, &group_pid, &group_quiet, NULL,
	},
};
