// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * output.c - where a report goes: standard output, or with -o FILE the
 * whole report written to FILE by replacing it (the rooted writer's one
 * replace-by-rename), so a reader such as node_exporter's textfile
 * collector sees the old report or the new one, never half of one.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/rooted.h"
#include "report/report.h"

int report(const struct report_opts *opt, const struct result *r)
{
	int rc;

	if (opt->format == FMT_JSON)
		rc = report_json(opt, r);
	else if (opt->format == FMT_PROM)
		rc = report_prom(opt, r);
	else
		rc = report_text(opt, r);
	if (fflush(opt->out) != 0)
		rc = -1;
	return rc;
}

int report_to_file(const struct report_opts *opt, const struct result *r,
		   const char *file)
{
	struct report_opts to = *opt;
	const char *slash = strrchr(file, '/'), *base = slash ? slash + 1 : file;
	char dir[PATH_MAX], *buf = NULL;
	size_t len = 0;
	int dfd, rc;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - file) : 1,
		 slash ? (slash == file ? "/" : file) : ".");
	to.out = open_memstream(&buf, &len);
	if (!to.out) {
		errorx("cannot write '%s': %s", file, strerror(errno));
		return -1;
	}
	rc = report(&to, r);
	if (fclose(to.out) != 0 || rc < 0) {
		errorx("cannot write the report to %s: %s", file, strerror(errno));
		free(buf);
		return -1;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rc = dfd < 0 ? -errno : replace_file(dfd, base, buf, len, 0644);
	if (dfd >= 0)
		close(dfd);
	free(buf);
	if (rc < 0) {
		errorx("cannot write '%s': %s", file, strerror(-rc));
		return -1;
	}
	return 0;
}
