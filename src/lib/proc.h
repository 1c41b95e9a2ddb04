/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc.h - the /proc/PID helpers: naming (pid 0 is "self"), the start time
 * that tells a PID reused by another process from the one first read, the
 * processes of the host, /proc/PID/status and one line of /proc/PID/maps;
 * and one line of /proc/locks, the file locks of the whole host.  The
 * parsers are pure and allocate nothing, so the live readers (live.h) use
 * them in a process that has no memory left to allocate.
 */
#ifndef HPDIAG_LIB_PROC_H
#define HPDIAG_LIB_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sysroot;

/* "/proc/self/FILE" for pid 0, else "/proc/PID/FILE"; "/proc/PID" for "". */
char *proc_path(char *buf, size_t size, pid_t pid, const char *file);

/* Field 22 of /proc/PID/stat: when the process started. */
int parse_stat_start(const char *stat, uint64_t *start);
int proc_start_time(struct sysroot *sr, pid_t pid, uint64_t *start);

/*
 * The guard against a reused PID: taken before reading a process and
 * checked after; a process that exited, or whose PID now names another,
 * fails the check.  Pid 0 (hpdiag itself) always passes.
 */
struct proc_guard {
	pid_t pid;
	uint64_t start;
	bool have;
};

void proc_guard_take(struct sysroot *sr, pid_t pid, struct proc_guard *g);
/* The same, from one read of /proc/PID/stat that also gives the process's
 * name (field 2, "" when the file cannot be read): 0 or -errno. */
int proc_guard_take_comm(struct sysroot *sr, pid_t pid, struct proc_guard *g,
			 char *comm, size_t size);
bool proc_guard_holds(struct sysroot *sr, const struct proc_guard *g);

/* The processes of the host (numeric entries of /proc), ascending. */
int proc_list(struct sysroot *sr, pid_t **pids, size_t *n);

/* The fields of /proc/PID/status hpdiag uses; have_* when present. */
#define PROC_MAX_GROUPS 64
struct proc_status {
	uint64_t cap_eff;		/* CapEff: */
	bool have_caps;
	unsigned uid, gid;		/* effective, from Uid: and Gid: */
	bool have_uid, have_gid;
	unsigned groups[PROC_MAX_GROUPS];	/* Groups: */
	size_t nr_groups;
	uint64_t vm_size, vm_data;	/* VmSize:, VmData:, bytes */
	bool have_vm;
	uint64_t hugetlb_bytes;		/* HugetlbPages: */
	bool have_hugetlb;
	unsigned threads;		/* Threads: */
};

void proc_status_parse(const char *buf, struct proc_status *st);

/* One line of /proc/PID/maps: 0, or -EINVAL if it is not one.  PATH points
 * into LINE (not terminated), its escapes not undone. */
int maps_parse_line(const char *line, size_t len, uint64_t *start, uint64_t *end,
		    uint64_t *offset, const char **path, size_t *path_len);
/* Lines of /proc/PID/maps (its VMAs), read fast: 0 or -errno. */
int proc_count_maps(struct sysroot *sr, pid_t pid, uint64_t *n);

/*
 * One line of /proc/locks: a lock (flock, POSIX, OFD), a lease, or with
 * BLOCKED a request waiting for one ("1: -> FLOCK ...").  Each names the
 * file by its device (MAJOR:MINOR in hex, as the kernel prints it) and
 * inode number, and the process that took it: 0 when that process is gone
 * or not visible from here, -1 for an OFD lock (which belongs to an open
 * file, not a process).
 */
struct lock_entry {
	unsigned major, minor;
	uint64_t ino;
	long pid;
	bool blocked;
};

/* 0; -ENOENT for a lock on no inode ("<none>"); -EINVAL if LINE is not a
 * /proc/locks line. */
int locks_parse_line(const char *line, size_t len, struct lock_entry *e);

#endif /* HPDIAG_LIB_PROC_H */
