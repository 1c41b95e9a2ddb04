/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * parse.h - pure parsers for the kernel's text formats.  No I/O: each takes
 * a buffer and fills a struct, returning 0 or -EINVAL/-ERANGE, so every one
 * of them is unit-tested from strings.  (Numbers and sizes: lib/num.h.)
 */
#ifndef HPDIAG_PARSE_H
#define HPDIAG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/num.h"

struct meminfo;
struct rlim;
struct buddy_zone;
struct boot_pools;

int parse_hugepages_dir(const char *name, uint64_t *page_size);
int parse_node_dir(const char *name, unsigned *node);
/* "0000:03:00.0": a PCI device's address (domain:bus:device.function). */
bool parse_pci_addr(const char *name);

/* "/proc/meminfo" or "nodeN/meminfo" ("Node 0 MemTotal: ... kB"). */
int parse_meminfo(const char *buf, struct meminfo *mem, char *bad, size_t badsz);
int parse_node_meminfo(const char *buf, uint64_t *total, uint64_t *free,
		       char *bad, size_t badsz);
/* "/proc/PID/limits": the rlimits hpdiag uses (the stack's 0 when absent). */
int parse_limits(const char *buf, struct rlim *rl, char *bad, size_t badsz);
/* One line of /proc/buddyinfo. */
int parse_buddy_line(const char *line, struct buddy_zone *z);
/* The hugepage pools the kernel command line (/proc/cmdline) asks for at
 * boot, read as the kernel reads them: what it ignores is not there.
 * ONLINE are the host's NUMA nodes, for hugepages=NODE:N. */
void parse_boot_pools(const char *cmdline, const unsigned *online,
		      size_t nr_online, struct boot_pools *bp);

/* The kernel's short names: "2MB", "1GB", "64KB" (hugetlb cgroup files). */
char *format_cgroup_size(uint64_t bytes, char *buf, size_t size);
#endif /* HPDIAG_PARSE_H */
