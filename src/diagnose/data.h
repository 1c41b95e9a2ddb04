/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * data.h - how the program's own data need reads (struct need_data):
 * its parts in words, and where under a given RLIMIT_DATA the program
 * stops - the kernel at execve, the loader, a plug-in, a thread, its own
 * allocations - for check's data rule and exec's finding alike.  Pure.
 */
#ifndef HPDIAG_DIAGNOSE_DATA_H
#define HPDIAG_DIAGNOSE_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "model/need.h"

/* Where a program stops for want of private data. */
enum data_phase {
	DATA_FITS,
	DATA_EXEC,		/* the kernel cannot map its .data and .bss */
	DATA_LOADER,		/* ld.so cannot map a library */
	DATA_PLUGINS,		/* a plug-in cannot be loaded */
	DATA_EARLY,		/* an early thread or allocation (before memory) */
	DATA_LATE,		/* a thread after the memory init */
};

/* "218.5 MiB its own .data and .bss + 5.7 MiB of 79 libraries + ..." */
char *data_parts(const struct need *need, char *buf, size_t size);
/* Where the program stops under LIMIT (soft RLIMIT_DATA). */
enum data_phase data_phase(const struct need *need, uint64_t limit);
/* "when the loader maps its libraries", for the phase. */
const char *data_phase_text(enum data_phase ph);

#endif /* HPDIAG_DIAGNOSE_DATA_H */
