/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * eal.h - DPDK's EAL options on an application's command line: what they
 * say of its memory (-m, --socket-mem, --legacy-mem, --single-file-segments,
 * --in-memory, --huge-dir, --file-prefix), of its threads (-l, -c,
 * --lcores, -s, -S, --no-telemetry, --no-shconf) and of the plug-ins it
 * loads (-d).  One parser for every command that reads a command line:
 * check, trial and exec from their "-- COMMAND", explain from a log's.
 * Pure.
 */
#ifndef HPDIAG_MODEL_EAL_H
#define HPDIAG_MODEL_EAL_H

#include "model/workload.h"

/* The highest lcore id the parser counts (DPDK's RTE_MAX_LCORE is 128). */
#define EAL_MAX_LCORE	1024

/*
 * The EAL options of ARGV (ARGC words, the program's name first), up to
 * "--", after which the application's own options come, into H.  Options
 * it does not know are passed over, with their value when they take one.
 */
void eal_args_parse(int argc, char *const *argv, struct workload_hint *h);
/* The lcores a list ("0-3,8"), a mask ("0xf") or an --lcores map
 * ("(0-3)@0,4@(1,2)") names: their number, 0 when it is not one. */
unsigned eal_lcore_list(const char *s);
unsigned eal_lcore_mask(const char *s);
unsigned eal_lcore_map(const char *s);

#endif /* HPDIAG_MODEL_EAL_H */
