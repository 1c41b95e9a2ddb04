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
		    (rc = cgroup_scan(p, pid, snap, &snap->cg)) < 0 ||
		    (rc = host_scan(p, snap)) < 0 ||
		    (rc = vfio_scan(p, pid, &snap->vfio)) < 0)
			return rc;
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
