// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * users.c - which files of the hugetlbfs mounts a process maps (its
 * /proc/PID/maps) or holds open (its /proc/PID/fd); the files nobody uses
 * are stale pages.  A process that cannot be read, or that exits while it
 * is read, is skipped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pathnames.h"
#include "lib/proc.h"
#include "probe/probe.h"

struct user_ctx {
	struct snapshot *snap;
	pid_t pid;
};

static void mark_used(struct snapshot *snap, const char *path, pid_t pid)
{
	for (size_t i = 0; i < snap->nr_mounts; i++) {
		struct mount *m = &snap->mounts[i];
		size_t ml = strlen(m->path);
		struct mount_file *f;

		if (!m->nr_files || strncmp(path, m->path, ml) ||
		    (path[ml] != '/' && ml > 1))
			continue;
		f = mount_file_find(m, path);
		if (f && !f->in_use) {
			f->in_use = true;
			f->user = pid;
		}
	}
}

static int maps_line(const char *line, size_t len, void *ctx)
{
	struct user_ctx *uc = ctx;
	uint64_t start, end, offset;
	const char *p;
	char path[4096];
	size_t plen;

	if (maps_parse_line(line, len, &start, &end, &offset, &p, &plen) < 0 ||
	    !plen || *p != '/' || plen >= sizeof(path))
		return 0;
	memcpy(path, p, plen);
	path[plen] = '\0';
	unescape_octal(path);
	mark_used(uc->snap, path, uc->pid);
	return 0;
}

int mount_users_scan(struct probe *p, struct snapshot *snap)
{
	struct sysroot *sr = p->sr;
	size_t nfiles = 0, n;
	pid_t *pids;
	int rc;

	for (size_t i = 0; i < snap->nr_mounts; i++)
		nfiles += snap->mounts[i].nr_files;
	if (!nfiles) {
		snap->procs_scanned = true;
		return 0;
	}
	rc = proc_list(sr, &pids, &n);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return probe_fail_io(p, rc, "/proc");
	for (size_t i = 0; i < n; i++) {
		struct user_ctx uc = { .snap = snap, .pid = pids[i] };
		char path[64], **fds;
		size_t nfd;

		/* A process we cannot read, or that exited, is skipped. */
		(void)sysroot_lines(sr, proc_path(path, sizeof(path), pids[i], PROC_MAPS),
				    maps_line, &uc);
		if (sysroot_list(sr, proc_path(path, sizeof(path), pids[i], PROC_FD),
				 &fds, &nfd) < 0)
			continue;
		for (size_t j = 0; j < nfd; j++) {
			char link[4200], target[4096];

			snprintf(link, sizeof(link), "%s/%s", path, fds[j]);
			if (sysroot_readlink(sr, link, target, sizeof(target)) == 0)
				mark_used(snap, target, uc.pid);
		}
		sysroot_names_free(fds, nfd);
	}
	free(pids);
	snap->procs_scanned = true;
	return 0;
}
