// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * probe.c - runs the probes in order and fills one snapshot.  Probes only
 * gather: nothing here decides whether a value is good or bad.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/pathnames.h"
#include "lib/proc.h"
#include "probe/probe.h"

/* Reads a snapshot of PID's view. */
static int probe_pid(struct probe *p, unsigned what, pid_t pid,
		     struct snapshot *snap)
{
	int rc;

	memset(snap, 0, sizeof(*snap));
	if (pid) {
		char dir[32];
		int fd;

		proc_path(dir, sizeof(dir), pid, "");
		fd = sysroot_openat(p->sr, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
			return probe_fail(p, ESRCH, dir, "no such process");
		if (fd < 0)
			return probe_fail_io(p, -errno, dir);
		close(fd);
	}
	if ((rc = meminfo_scan(p, &snap->mem)) < 0 ||
	    (rc = node_scan(p, snap)) < 0)
		return rc;
	if ((what & (PROBE_POOLS | PROBE_LIMITS)) && (rc = pool_scan(p, snap)) < 0)
		return rc;
	if (snap->nr_pools && !snap->mem.hugepagesize)
		return probe_fail(p, EINVAL, PATH_MEMINFO, "no Hugepagesize "
				  "line, yet the kernel has hugepage pools "
				  "(truncated file?)");
	if ((what & (PROBE_MOUNTS | PROBE_LIMITS)) &&
	    (rc = mount_scan(p, pid, snap)) < 0)
		return rc;
	if ((rc = meta_scan(p, snap)) < 0)
		return rc;
	if ((what & PROBE_USERS) && (rc = mount_users_scan(p, snap)) < 0)
		return rc;
	if (what & PROBE_LIMITS) {
		if ((rc = limits_scan(p, pid, what & PROBE_PROCESS, snap)) < 0 ||
		    (rc = cgroup_scan(p, pid, snap, &snap->cg,
				      what & PROBE_CGROUP_USERS)) < 0 ||
		    (rc = host_scan(p, snap)) < 0 ||
		    (rc = vfio_scan(p, pid, &snap->vfio)) < 0)
			return rc;
	}
	return 0;
}

int probe_dirs(struct probe *p, const char *const *paths, size_t n, struct snapshot *snap)
{
	for (size_t i = 0; i < n; i++) {
		struct dir_fact *d, *nd;
		char **names = NULL;
		size_t nn = 0;
		int rc;

		if (!paths[i] || snapshot_dir(snap, paths[i]))
			continue;
		nd = realloc(snap->dirs, (snap->nr_dirs + 1) * sizeof(*nd));
		if (!nd)
			return -ENOMEM;
		snap->dirs = nd;
		d = &nd[snap->nr_dirs];
		memset(d, 0, sizeof(*d));
		d->path = strdup(paths[i]);
		if (!d->path)
			return -ENOMEM;
		snap->nr_dirs++;
		if (!p->sr->live)
			continue;	/* a captured tree does not record it */
		rc = sysroot_list(p->sr, paths[i], &names, &nn);
		if (rc == -ENOENT)
			d->state = DIR_ABSENT;
		else if (rc == -ENOTDIR)
			d->state = DIR_NOT_DIR;
		else if (rc == 0)
			d->state = nn ? DIR_NOT_EMPTY : DIR_EMPTY;
		d->entries = nn;
		sysroot_names_free(names, nn);
	}
	return 0;
}

int probe_snapshot(struct probe *p, unsigned what, pid_t pid,
		   struct snapshot *snap)
{
	struct proc_guard g;
	int rc;

	p->err.msg[0] = '\0';
	proc_guard_take(p->sr, pid, &g);
	rc = probe_pid(p, what, pid, snap);
	return rc < 0 ? rc : probe_guard(p, &g);
}
