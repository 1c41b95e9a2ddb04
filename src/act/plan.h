/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plan.h - the changes that clear failing findings.  fix_plan() (plan.c) is
 * pure: it selects and orders the remedies the findings carry into steps.
 * apply.c writes them: it checks every step is permitted before the first
 * write, writes, reads each value back, and puts back every value it
 * changed when a step fails.
 */
#ifndef HPDIAG_FIX_H
#define HPDIAG_FIX_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "diagnose/finding.h"
#include "lib/rooted.h"
#include "model/need.h"

/* Where --persist writes without a FILE, below the root. */
#define FIX_PERSIST_FILE	"/etc/sysctl.d/60-hpdiag.conf"

enum fix_kind {
	FIX_SYSCTL,		/* a /proc/sys file: never lowered */
	FIX_OVERCOMMIT,		/* nr_overcommit_hugepages of a size (asked) */
	FIX_POOL,		/* nr_hugepages of a size */
	FIX_NODE_POOL,		/* nr_hugepages of a size on one node */
	FIX_MOUNT,		/* mount hugetlbfs pagesize= at a directory */
	FIX_REMOVE,		/* unlink a page file nobody uses */
	FIX_PERSIST,		/* write the sysctl.d file */
};

enum fix_status {
	FS_PLANNED,
	FS_APPLIED,
	FS_VERIFIED,
	FS_PARTIAL,
	FS_FAILED,
	FS_REVERTED,
	FS_UNCHANGED,
};

struct fix_step {
	enum fix_kind kind;
	char setting[128];	/* "vm.max_map_count", "hugepages-2048kB/nr_hugepages" */
	char path[PATH_MAX];	/* the file written, the mount point, the file removed */
	uint64_t from, to;	/* values; FIX_REMOVE: pages the file holds, 0 */
	uint64_t obtained;	/* pools: the value read back */
	uint64_t page_size;
	unsigned node;
	enum check check;	/* the finding it clears */
	char reason[256];
	enum fix_status status;
	char *error;		/* why it was refused, failed or is partial */
	bool made_dir;		/* FIX_MOUNT created its directory */
	bool compacted;		/* a pool step ran vm.compact_memory */
};

/* What a person has to change, because it is not a host setting. */
struct fix_manual {
	enum check check;
	char *why;
	char *lines[4];
	size_t nr_lines;
};

#define FIX_MAX_NAMED 64

struct fix_opts {
	bool apply;
	bool compact;		/* compact memory once if a pool grows short */
	bool clean_stale;
	/* --clean-stale=FILE: files no hugepage user makes again, removed
	 * only when named. */
	const char *stale_named[FIX_MAX_NAMED];
	size_t nr_stale_named;
	bool persist;
	const char *persist_file;	/* absolute, below the root */
	bool have_overcommit;
	uint64_t overcommit;	/* pages, for the workload's page size */
};

struct fix_plan {
	struct fix_step *v;
	size_t n;
	struct fix_manual *manual;
	size_t nr_manual;
	/* Lines that keep a change across reboots that is not a sysctl. */
	char *boot[8];
	size_t nr_boot;
	uint64_t default_size;	/* the kernel's: its pool is vm.nr_hugepages */
	bool rolled_back;
	bool rollback_failed;	/* some change could not be put back */
	bool refused;		/* the pre-flight check found a missing right */
	char persist_path[PATH_MAX];
};

/* The plan's builders (step.c): a step of KIND for CHECK, NULL when out
 * of memory; a line of what hpdiag does not change, and a line under it;
 * a line of what keeps a change across reboots. */
struct fix_step *plan_step_add(struct fix_plan *p, enum fix_kind kind,
			       enum check check);
struct fix_manual *plan_manual_add(struct fix_plan *p, enum check check, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int plan_manual_line(struct fix_manual *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int plan_boot_add(struct fix_plan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* -ENOENT, with *BAD, when --clean-stale=FILE names a file that is not
 * stale in a hugetlbfs mount (FS's findings); else 0. */
int plan_stale_unknown(const struct findings *fs, const struct fix_opts *o, const char **bad);
int fix_plan(const struct snapshot *snap, const struct need *need,
	     const struct findings *fs, const struct fix_opts *o,
	     struct fix_plan *plan);
void fix_plan_free(struct fix_plan *plan);
/* Sets a step's error (replacing one set before). */
void step_error(struct fix_step *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *fix_status_name(enum fix_status st);
const char *fix_kind_name(enum fix_kind k);

/* apply.c.  Errors: 0, or -errno with a one-line message in ERR. */
int fix_preflight(struct sysroot *sr, struct fix_plan *plan,
		  char *err, size_t size);
int fix_apply(struct sysroot *sr, const struct fix_opts *o,
	      struct fix_plan *plan);

/* persist.c: the sysctl.d editor, for fix_apply and its tests: KEYS[i] = VALS[i] set
 * in place in OLD (NULL: a new file), every other line kept.  A key hpdiag
 * never lowers (NEVER_LOWER[i]) keeps a larger value already there.
 * Returns a malloc'd text or NULL when out of memory. */
char *fix_persist_text(const char *old, size_t len, const char *const *keys,
		       const uint64_t *vals, const bool *never_lower, size_t n);

#endif /* HPDIAG_FIX_H */
