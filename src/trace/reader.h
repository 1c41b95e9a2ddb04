/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reader.h - the allocation-free readers inside libhpdiag-trace.so
 * (reader.c); hidden, like everything of the library but its wrappers.
 */
#ifndef HPDIAG_TRACE_READER_H
#define HPDIAG_TRACE_READER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct trace_failure;

size_t tr_u64_str(uint64_t v, char *buf);
/* dst = a + b + c (any may be ""), bounded. */
void tr_cat3(char *dst, size_t size, const char *a, const char *b, const char *c);
int tr_open(const char *path, int flags);
/* Reads the start of a small file; returns the length or -1. */
ssize_t tr_read_small(const char *path, char *buf, size_t size);
/* "Key:   123 kB" in a /proc file: the number times UNIT. */
uint64_t tr_field(const char *text, const char *key, uint64_t unit);
uint64_t tr_count_fds(void);
/* The soft limit of resource RES (RLIMIT_DATA ...), UINT64_MAX: none. */
uint64_t tr_soft_limit(int res);
/* Lines of /proc/self/maps; with WANT_TOP the object mapped most, in F. */
uint64_t tr_scan_maps(struct trace_failure *f, int want_top);
/* The counters of this instant into F->at (FD: the file of the call, or
 * -1; FLAG_SIZE: the page size its flags asked for, or 0). */
void trace_take_counters(struct trace_failure *f, int fd, uint64_t flag_size);

#endif /* HPDIAG_TRACE_READER_H */
