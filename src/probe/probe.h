/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probe.h - the probes: they read the kernel through the rooted reader into
 * one snapshot (snapshot.h) and judge nothing.  A probe returns 0 or
 * -errno; when a file it needs is missing or malformed it says so once, in
 * p->err, naming the file ("DIR/proc/meminfo: line 3: ...") - an optional
 * file that is absent says nothing.
 */
#ifndef HPDIAG_PROBE_H
#define HPDIAG_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/err.h"
#include "lib/proc.h"
#include "lib/rooted.h"
#include "probe/snapshot.h"

struct probe {
	struct sysroot *sr;
	struct hp_error err;
	const char *cgroup;		/* --cgroup PATH: read that cgroup's
					   limits, not the process's */
};

/* What to probe: the `pools` command needs less than `check`. */
enum probe_what {
	PROBE_POOLS	= 1 << 0,
	PROBE_MOUNTS	= 1 << 1,
	PROBE_LIMITS	= 1 << 2,
	PROBE_USERS	= 1 << 3,	/* who maps or holds mount files */
	PROBE_PROCESS	= 1 << 4,	/* the process's VMAs, fds, capabilities */
	PROBE_CGROUP_USERS = 1 << 5,	/* the hugetlb cgroups of every process
					   that holds hugepages (the metrics) */
	PROBE_ALL	= 0xff,
};

/* Reads PID's view (0: hpdiag's own); a PID that ends up naming another
 * process while it is read is refused. */
int probe_snapshot(struct probe *p, unsigned what, pid_t pid,
		   struct snapshot *snap);

/* ---- for the probes: read, and name the file when it is wrong ------------ */
int probe_fail(struct probe *p, int code, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The failure RC of the rooted reader on PATH, in words. */
int probe_fail_io(struct probe *p, int rc, const char *path);
/* As the rooted reader, but any error but -ENOENT is named; with REQUIRED
 * an absent file is named too ("missing"). */
int probe_read(struct probe *p, const char *path, bool required, char **buf,
	       size_t *len);
int probe_u64(struct probe *p, const char *path, bool required, uint64_t *val);
int probe_list(struct probe *p, const char *dir, char ***names, size_t *n);
int probe_lines(struct probe *p, const char *path,
		int (*fn)(const char *line, size_t len, void *ctx), void *ctx);

/* 0 when the PID the guard G was taken for still names that process,
 * else names it: it exited, or its PID names another one now. */
int probe_guard(struct probe *p, const struct proc_guard *g);

/* What is at each of the N directories PATHS that a mount could go on
 * (snap->dirs): on the live host, whether it exists, is a directory and
 * holds entries; under --sysroot, unknown. */
int probe_dirs(struct probe *p, const char *const *paths, size_t n, struct snapshot *snap);

/* The individual probes. */
int meminfo_scan(struct probe *p, struct meminfo *mem);
int node_scan(struct probe *p, struct snapshot *snap);
int pool_scan(struct probe *p, struct snapshot *snap);
int mount_scan(struct probe *p, pid_t pid, struct snapshot *snap);
/*
 * Which files of the mounts a process maps or holds open (snap->files'
 * in_use): USERS_FAST asks the cheap questions first (a verdict recorded
 * in hpdiag.snapshot, /proc/locks, on the live host a lease on the file)
 * and reads processes only for the files they leave open; USERS_PROCS
 * reads processes for every file without a recorded verdict; USERS_FULL,
 * the reference, reads every process for every file and nothing else.
 * mount_users_scan() takes the method from HPDIAG_USERS_SCAN ("full",
 * "procs"; else USERS_FAST).
 */
enum users_method { USERS_FAST, USERS_PROCS, USERS_FULL };
enum users_method users_method_env(void);
int mount_users_find(struct probe *p, struct snapshot *snap,
		     enum users_method how);
int mount_users_scan(struct probe *p, struct snapshot *snap);
void mount_files_sort(struct mount *m);
/* The file of M at PATH (M's files sorted), or NULL. */
struct mount_file *mount_file_find(struct mount *m, const char *path);
int limits_scan(struct probe *p, pid_t pid, bool process, struct snapshot *snap);
/* The limits of PID's cgroup (or p->cgroup's); with USERS, also the
 * cgroups of the processes that hold hugepages (into cg->stats). */
int cgroup_scan(struct probe *p, pid_t pid, const struct snapshot *snap,
		struct cgroup *cg, bool users);
/* How often a charge of PAGE_SIZE pages was refused in CG's cgroup, now:
 * v2 hugetlb.<size>.events "max", v1 failcnt summed up the path. */
int cgroup_hits(struct probe *p, const struct cgroup *cg, uint64_t page_size,
		uint64_t *hits);
/* The directory of CG's hugetlb cgroup; -ENOENT when none is visible. */
int cgroup_dir(const struct cgroup *cg, char *buf, size_t size);
/* Pure parsers of cgroup.c: /proc/PID/cgroup (the v2 path, and the path
 * in the v1 hierarchy of CONTROLLER; "" when absent), and one "KEY N"
 * line of an events file. */
int parse_cgroup_file(const char *buf, const char *controller, char *v2path,
		      size_t v2size, char *path, size_t size);
int parse_cgroup_events(const char *buf, const char *key, uint64_t *val);
int host_scan(struct probe *p, struct snapshot *snap);
/* appconf.c: an application's configuration file PATH, NUL-terminated in
 * *TEXT; the names in DIR ending in SUFFIX, not hidden, sorted. */
int appconf_read(struct probe *p, const char *path, char **text);
int appconf_list(struct probe *p, const char *dir, const char *suffix, char ***names,
		 size_t *n);
int vfio_scan(struct probe *p, pid_t pid, struct vfio *v);
int meta_scan(struct probe *p, struct snapshot *snap);
int meta_write(int dirfd, const struct snapshot *snap);

#endif /* HPDIAG_PROBE_H */
