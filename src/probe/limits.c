// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * limits.c - the limits that bound mapping: sysctls, and the rlimits of a
 * process (from /proc/PID/limits, so a captured tree holds them), its VMA
 * and fd counts and its status (capabilities, ids, VmSize).  Its cgroup's
 * limits: cgroup.c; the host's free blocks, command line, THP: host.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pathnames.h"
#include "lib/proc.h"
#include "probe/parse.h"
#include "probe/probe.h"

static const struct {
	const char *name;
	const char *path;
} sysctls[SC_COUNT] = {
	[SC_MAX_MAP_COUNT] = { "vm.max_map_count", PATH_MAX_MAP_COUNT },
	[SC_NR_HUGEPAGES] = { "vm.nr_hugepages", PATH_NR_HUGEPAGES },
	[SC_NR_OVERCOMMIT_HUGEPAGES] = { "vm.nr_overcommit_hugepages", PATH_NR_OVERCOMMIT },
	[SC_OVERCOMMIT_MEMORY] = { "vm.overcommit_memory", PATH_OVERCOMMIT_MEMORY },
	[SC_HUGETLB_SHM_GROUP] = { "vm.hugetlb_shm_group", PATH_HUGETLB_SHM_GROUP },
	[SC_SHMMAX] = { "kernel.shmmax", PATH_SHMMAX },
	[SC_SHMALL] = { "kernel.shmall", PATH_SHMALL },
	[SC_MIN_FREE_KBYTES] = { "vm.min_free_kbytes", PATH_MIN_FREE_KBYTES },
};

static const char *const rlimit_names[RL_COUNT] = {
	[RL_DATA] = "data",
	[RL_AS] = "as",
	[RL_MEMLOCK] = "memlock",
	[RL_NOFILE] = "nofile",
	[RL_STACK] = "stack",
};

const char *sysctl_name(enum sysctl_id id)
{
	return sysctls[id].name;
}

const char *sysctl_path(enum sysctl_id id)
{
	return sysctls[id].path;
}

const char *rlimit_name(enum rlimit_id id)
{
	return rlimit_names[id];
}

/* A line of the maps of the process --pid names: counted, and a page file
 * of a hugetlbfs mount it maps is the running instance's own. */
struct maps_ctx {
	struct snapshot *snap;
	uint64_t lines;
};

static int own_maps_line(const char *line, size_t len, void *arg)
{
	struct maps_ctx *c = arg;
	uint64_t start, end, off;
	const char *p;
	char path[4096];
	size_t plen;

	c->lines++;
	if (!c->snap->nr_mounts ||
	    maps_parse_line(line, len, &start, &end, &off, &p, &plen) < 0 ||
	    !plen || *p != '/' || plen >= sizeof(path))
		return 0;
	memcpy(path, p, plen);
	path[plen] = '\0';
	unescape_octal(path);
	for (size_t i = 0; i < c->snap->nr_mounts; i++) {
		struct mount *m = &c->snap->mounts[i];
		struct mount_file *f = mount_file_find(m, path);

		if (f) {
			c->snap->lim.hugetlb_vmas++;
			f->held = true;
			break;
		}
	}
	return 0;
}

int limits_scan(struct probe *p, pid_t pid, bool process, struct snapshot *snap)
{
	struct limits *lim = &snap->lim;
	struct maps_ctx mc = { .snap = snap };
	char path[64], bad[128], *buf;
	char **fds;
	size_t nfd;
	int rc;

	lim->pid = pid;
	for (int i = 0; i < SC_COUNT; i++) {
		bool required = i == SC_MAX_MAP_COUNT;

		rc = probe_u64(p, sysctls[i].path, required, &lim->sysctl[i].value);
		if (rc == -ENOENT && !required)
			continue;
		if (rc < 0)
			return rc;
		lim->sysctl[i].present = true;
	}

	proc_path(path, sizeof(path), pid, PROC_LIMITS);
	rc = sysroot_read(p->sr, path, &buf, NULL);
	if (rc == -ENOENT)
		return probe_fail(p, ENOENT, path, pid ? "missing: no process %d" :
				  "missing", (int)pid);
	if (rc < 0)
		return probe_fail_io(p, rc, path);
	rc = parse_limits(buf, lim->rlimits, bad, sizeof(bad));
	free(buf);
	if (rc < 0)
		return probe_fail(p, EINVAL, path, "%s", bad);

	if (!process)
		return 0;
	rc = probe_read(p, proc_path(path, sizeof(path), pid, PROC_STATUS), false,
			&buf, NULL);
	if (rc == 0) {
		proc_status_parse(buf, &lim->st);
		free(buf);
	} else if (rc != -ENOENT) {
		return rc;
	}

	/* The same count `hpdiag vma` makes; with --pid, the page files the
	 * process maps too. */
	proc_path(path, sizeof(path), pid, PROC_MAPS);
	rc = pid ? sysroot_lines(p->sr, path, own_maps_line, &mc) :
	     proc_count_maps(p->sr, pid, &mc.lines);
	if (pid && (rc == -EACCES || rc == -EPERM))
		lim->maps_errno = -rc;
	else if (rc < 0)
		return probe_fail_io(p, rc, path);
	lim->vma_count = mc.lines;

	proc_path(path, sizeof(path), pid, PROC_FD);
	rc = sysroot_list(p->sr, path, &fds, &nfd);
	if (rc == -EACCES || rc == -EPERM)
		lim->fd_errno = -rc;
	if (rc == 0) {
		lim->fd_count = nfd;
		lim->have_fd_count = true;
		/* A snapshot keeps the links, so a replay counts the same fds. */
		for (size_t i = 0; i < nfd && p->sr->recordfd >= 0; i++) {
			char link[128], target[4096];

			snprintf(link, sizeof(link), "%s/%s", path, fds[i]);
			sysroot_readlink(p->sr, link, target, sizeof(target));
		}
		sysroot_names_free(fds, nfd);
	}
	/* Unreadable fds are not fatal. */
	return 0;
}
