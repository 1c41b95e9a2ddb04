/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc.h - the /proc/PID helpers: naming (pid 0 is "self"), the start time
 * that tells a PID reused by another process from the one first read, the
 * processes of the host, /proc/PID/status and one line of /proc/PID/maps.
 * The parsers are pure and allocate nothing, so the live readers (live.h)
 * use them in a process that has no memory left to allocate.
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

#endif /* HPDIAG_LIB_PROC_H */
