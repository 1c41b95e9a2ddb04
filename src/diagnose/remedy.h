/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * remedy.h - the remedies more than one kind of finding gives (check's
 * rules, a trial's, exec's, vma's), each built in one place: its text and
 * its action together.
 */
#ifndef HPDIAG_DIAGNOSE_REMEDY_H
#define HPDIAG_DIAGNOSE_REMEDY_H

#include <stdint.h>

#include "diagnose/finding.h"

/* "sysctl -w vm.max_map_count=N" for VMAS VMAs with room to spare, LIMIT
 * being the value now; PREFIX, when not NULL, goes before it and SUFFIX
 * after it. */
void remedy_map_count(struct finding *f, uint64_t limit, uint64_t vmas,
		      const char *prefix, const char *suffix);
/* ulimit and systemd lines for WANT fds: the soft limit raised, the hard
 * one too only when it is short - never lowered. */
void remedy_nofile(struct finding *f, const struct snapshot *snap, uint64_t want);
/* "ulimit -v unlimited (systemd: LimitAS=infinity)". */
void remedy_rlimit_as(struct finding *f);
/* RLIMIT_DATA: unlimited, or at least the program's need with room. */
void remedy_rlimit_data(struct finding *f, uint64_t need);
/* The action that sets rlimit ID to WANT (a count, or HP_UNLIMITED) where
 * the application starts: hpdiag fix prints how, it does not write it. */
void remedy_rlimit_action(struct finding *f, enum rlimit_id id, uint64_t want);

#endif /* HPDIAG_DIAGNOSE_REMEDY_H */
