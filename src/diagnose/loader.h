/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loader.h - the dynamic loader's refusals in what a program printed: at
 * its start ("PROG: error while loading shared libraries: LIB: failed to
 * map segment from shared object") and at a dlopen() it reports itself
 * (DPDK's "EAL: LIB: cannot map zero-fill pages"), or an allocation of
 * the loader's own ("cannot allocate symbol search list: Cannot allocate
 * memory").  These are the
 * messages of a mapping refused for want of memory - RLIMIT_DATA or
 * RLIMIT_AS when the program's own need is above them.  Pure.
 */
#ifndef HPDIAG_DIAGNOSE_LOADER_H
#define HPDIAG_DIAGNOSE_LOADER_H

#include <stdbool.h>
#include <stddef.h>

struct loader_failure {
	bool found;
	bool at_start;			/* ld.so at the start, else a dlopen() */
	char lib[256];			/* the object it could not map, or "" when
					   the loader's own allocation failed */
	char line[256];			/* the line, as printed */
	const char *what;		/* "failed to map segment from shared object" */
};

/* The first such line of TEXT (LEN bytes) into F; false when none. */
bool loader_failure_find(const char *text, size_t len, struct loader_failure *f);

#endif /* HPDIAG_DIAGNOSE_LOADER_H */
