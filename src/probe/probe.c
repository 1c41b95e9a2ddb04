// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * probe.c - runs the probes in order and fills one snapshot.  Probes only
 * gather; nothing here decides whether a value is good or bad.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe/snapshot.h"
#include "probe/parse.h"
#include "lib/pathnames.h"

int parse_stat_start(const char *stat, uint64_t *start)
{
	/* "PID (comm) S ppid ...": comm may hold spaces and ')'. */
	const char *p = strrchr(stat, ')');
	unsigned field = 2;

	if (!p)
		return -EINVAL;
	for (p++; *p && field < 22; ) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (++field == 22) {
			char num[24];
			size_t len = strcspn(p, " \n");

			if (!len || len >= sizeof(num))
				return -EINVAL;
			memcpy(num, p, len);
			num[len] = '\0';
			return parse_u64(num, start);
		}
		p += strcspn(p, " ");
	}
	return -EINVAL;
}

int proc_start_time(struct sysroot *sr, pid_t pid, uint64_t *start)
{
	char path[48], *buf;
	int rc;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	rc = sysroot_read(sr, path, &buf, NULL);
	if (rc < 0)
		return rc;
	rc = parse_stat_start(buf, start);
	free(buf);
	return rc;
}

/* Reads a snapshot of PID's view; a PID that ends up naming another
 * process (it exited, the PID was reused) while it was read is refused. */
static int probe_pid(struct sysroot *sr, unsigned what, pid_t pid,
		     struct snapshot *snap);

int probe_snapshot(struct sysroot *sr, unsigned what, pid_t pid,
		   struct snapshot *snap)
{
	uint64_t t0 = 0, t1 = 0;
	bool have_t0;
	int rc;

	if (!pid)
		return probe_pid(sr, what, pid, snap);
	have_t0 = proc_start_time(sr, pid, &t0) == 0;
	sr->err[0] = '\0';
	rc = probe_pid(sr, what, pid, snap);
	if (rc < 0 || !have_t0)
		return rc;
	if (proc_start_time(sr, pid, &t1) < 0 || t1 != t0) {
		char dir[32];

		snprintf(dir, sizeof(dir), "/proc/%d", (int)pid);
		return sysroot_fail(sr, ESRCH, dir, "the process exited while hpdiag "
				    "read it (the PID may now name another process)");
	}
	return 0;
}

static int probe_pid(struct sysroot *sr, unsigned what, pid_t pid,
		     struct snapshot *snap)
{
	int rc;

	memset(snap, 0, sizeof(*snap));
	if (pid) {
		char dir[32];
		int fd;

		snprintf(dir, sizeof(dir), "/proc/%d", (int)pid);
		fd = sysroot_openat(sr, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
			return sysroot_fail(sr, ESRCH, dir, "no such process");
		if (fd < 0)
			return sysroot_fail(sr, errno, dir, "cannot open: %s",
					    strerror(errno));
		close(fd);
	}
	if ((rc = meminfo_scan(sr, &snap->mem)) < 0 ||
	    (rc = node_scan(sr, snap)) < 0)
		return rc;
	if ((what & (PROBE_POOLS | PROBE_LIMITS)) && (rc = pool_scan(sr, snap)) < 0)
		return rc;
	if (snap->nr_pools && !snap->mem.hugepagesize)
		return sysroot_fail(sr, EINVAL, PATH_MEMINFO, "no Hugepagesize "
				    "line, yet the kernel has hugepage pools "
				    "(truncated file?)");
	if ((what & (PROBE_MOUNTS | PROBE_LIMITS)) &&
	    (rc = mount_scan(sr, pid, snap)) < 0)
		return rc;
	if ((rc = meta_scan(sr, snap)) < 0)
		return rc;
	if ((what & PROBE_USERS) && (rc = mount_users_scan(sr, snap)) < 0)
		return rc;
	if (what & PROBE_LIMITS) {
		if ((rc = limits_scan(sr, pid, what & PROBE_PROCESS, &snap->lim)) < 0 ||
		    (rc = cgroup_scan(sr, pid, snap, &snap->cg)) < 0 ||
		    (rc = buddy_scan(sr, snap)) < 0)
			return rc;
	}
	return 0;
}

void snapshot_free(struct snapshot *snap)
{
	for (size_t i = 0; i < snap->nr_pools; i++)
		free(snap->pools[i].nodes);
	free(snap->pools);
	free(snap->nodes);
	for (size_t i = 0; i < snap->nr_mounts; i++) {
		struct mount *m = &snap->mounts[i];

		for (size_t j = 0; j < m->nr_files; j++)
			free(m->files[j].path);
		free(m->files);
		free(m->path);
	}
	free(snap->mounts);
	for (size_t i = 0; i < snap->cg.nr_limits; i++)
		free(snap->cg.limits[i].file);
	free(snap->cg.limits);
	free(snap->cg.path);
	free(snap->cg.v2_mount);
	free(snap->cg.v1_hugetlb);
	free(snap->cg.v1_memory);
	free(snap->buddy);
	free(snap->cmdline);
	memset(snap, 0, sizeof(*snap));
}
