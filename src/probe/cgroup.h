/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cgroup.h - shared by cgroup.c and cgroup-files.c only: reading one
 * cgroup's files.  A malformed file is named in p->err unless QUIET (a
 * process of the users scan, which may exit while it is read); -ENOENT is
 * an absent file.
 */
#ifndef HPDIAG_PROBE_CGROUP_H
#define HPDIAG_PROBE_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/probe.h"

/* "max" or a number of bytes; v1's PAGE_COUNTER_MAX is unlimited. */
int cg_value(struct probe *p, const char *path, bool quiet, uint64_t *val);
/* The "max N" line of a v2 hugetlb events file. */
int cg_events(struct probe *p, const char *path, bool quiet, uint64_t *val);
/* The directory of cgroup PATH in hierarchy M: -ENOENT when PATH lies
 * outside the part mounted there. */
int cg_dir(const struct cgroup_mnt *m, const char *path, char *buf, size_t size);
/* DIR and PATH one level up; false at the top of M's mount. */
bool cg_up(const struct cgroup_mnt *m, char *dir, char *path);
/* One level's hugetlb files for page size PS: -ENOENT when it has none. */
int cg_stat_read(struct probe *p, int version, const char *dir, uint64_t ps,
		 bool quiet, struct cgroup_stat *st);
/* True when the comma-separated CONTROLLERS name WHICH. */
bool has_controller(const char *controllers, const char *which);

#endif /* HPDIAG_PROBE_CGROUP_H */
