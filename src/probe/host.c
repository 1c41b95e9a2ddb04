// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * host.c - facts of the host that bound how pools can grow: the free
 * blocks per order in /proc/buddyinfo, the kernel command line and the
 * pools it asks for at boot, and the transparent hugepage mode.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pathnames.h"
#include "probe/parse.h"
#include "probe/probe.h"

struct buddy_ctx {
	struct probe *p;
	struct snapshot *snap;
	size_t lineno;
};

static int buddy_line(const char *line, size_t len, void *ctx)
{
	struct buddy_ctx *bc = ctx;
	struct buddy_zone z, *nz;
	char copy[512];

	bc->lineno++;
	if (len == 0)
		return 0;
	if (len >= sizeof(copy))
		return probe_fail(bc->p, EINVAL, PATH_BUDDYINFO,
				  "line %zu is too long", bc->lineno);
	memcpy(copy, line, len);
	copy[len] = '\0';
	if (parse_buddy_line(copy, &z) < 0)
		return probe_fail(bc->p, EINVAL, PATH_BUDDYINFO,
				  "line %zu is not 'Node N, zone NAME counts...'",
				  bc->lineno);
	nz = realloc(bc->snap->buddy, (bc->snap->nr_buddy + 1) * sizeof(*nz));
	if (!nz)
		return -ENOMEM;
	bc->snap->buddy = nz;
	nz[bc->snap->nr_buddy++] = z;
	return 0;
}

int host_scan(struct probe *p, struct snapshot *snap)
{
	struct buddy_ctx bc = { .p = p, .snap = snap };
	char *buf;
	int rc;

	rc = probe_lines(p, PATH_BUDDYINFO, buddy_line, &bc);
	if (rc < 0 && rc != -ENOENT)
		return rc;
	rc = probe_read(p, PATH_CMDLINE, false, &buf, NULL);
	if (rc == 0) {
		unsigned online[BOOT_MAX_NODES];
		size_t n = 0;

		buf[strcspn(buf, "\n")] = '\0';
		snap->cmdline = buf;
		for (size_t i = 0; i < snap->nr_nodes && n < BOOT_MAX_NODES; i++)
			online[n++] = snap->nodes[i].id;
		parse_boot_pools(buf, online, n, &snap->boot);
	} else if (rc != -ENOENT) {
		return rc;
	}
	rc = probe_read(p, PATH_THP_ENABLED, false, &buf, NULL);
	if (rc == 0) {
		char *open = strchr(buf, '['), *close = open ? strchr(open, ']') : NULL;

		if (open && close && (size_t)(close - open - 1) < sizeof(snap->thp)) {
			memcpy(snap->thp, open + 1, (size_t)(close - open - 1));
			snap->thp[close - open - 1] = '\0';
		}
		free(buf);
	} else if (rc != -ENOENT) {
		return rc;
	}
	return 0;
}
