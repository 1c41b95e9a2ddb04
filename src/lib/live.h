/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * live.h - readers of the running kernel's files for a process that may
 * have nothing left: a trial child at the limit it hit (no VMA, no fd to
 * spare), or hpdiag sampling an application many times a second.  A
 * buffer on the stack, no allocation, no rooted reader (they only ever
 * read the live host); 0 when the file cannot be read.
 */
#ifndef HPDIAG_LIB_LIVE_H
#define HPDIAG_LIB_LIVE_H

#include <stdint.h>
#include <sys/types.h>

struct proc_status;

/* Lines of a file (/proc/PID/maps: its VMAs). */
uint64_t live_count_lines(const char *path);
/* Entries of a directory (/proc/PID/fd) but "." and "..". */
uint64_t live_count_entries(const char *path);
/* The number a file holds (a sysctl, free_hugepages). */
uint64_t live_read_number(const char *path);
/* /proc/PID/status (pid 0: self); -errno when unreadable. */
int live_status(pid_t pid, struct proc_status *st);

#endif /* HPDIAG_LIB_LIVE_H */
