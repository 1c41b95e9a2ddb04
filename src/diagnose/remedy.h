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
#include "model/need.h"

/* "sudo " where the commands of a remedy need root and hpdiag runs (or the
 * tree was captured) as another user; "" for root. */
const char *remedy_sudo(const struct snapshot *snap);
/* The command that writes VALUE to FILE: "echo V > FILE" for root, "echo V
 * | sudo tee FILE" for anyone else. */
void remedy_write(struct finding *f, const struct snapshot *snap, const char *file,
		  uint64_t value);
/*
 * The kernel command line parameters that reserve the pages of pool P at
 * boot, into BUF: "hugepagesz=1G hugepages=TOTAL", or with NODE_TO (the
 * pages wanted on each node of P->nodes, in its order) the node form
 * "hugepagesz=1G hugepages=0:8,1:8", which gives pages only to the nodes it
 * lists and so lists them all.  One form for every remedy and fix's plan.
 */
char *remedy_boot_param(const struct pool *p, uint64_t total, const uint64_t *node_to,
			char *buf, size_t size);
/* The pages node PN of pool P needs for the workload's SZ: its pool now,
 * grown by what the node lacks. */
uint64_t remedy_node_target(const struct pool_node *pn, const struct need_size *sz);

/* "sysctl -w vm.max_map_count=N" for VMAS VMAs with room to spare, after
 * SUDO (remedy_sudo()), LIMIT being the value now; NOTE, when not NULL, is
 * the remedy's note. */
void remedy_map_count(struct finding *f, const char *sudo, uint64_t limit,
		      uint64_t vmas, const char *note);
/* "ulimit -n N" for WANT fds, the soft limit raised, the hard one too only
 * when it is short - never lowered; the systemd setting in the note. */
void remedy_nofile(struct finding *f, const struct snapshot *snap, uint64_t want);
/* "ulimit -v unlimited", LimitAS=infinity in the note. */
void remedy_rlimit_as(struct finding *f);
/* RLIMIT_DATA: unlimited, or at least the program's need with room. */
void remedy_rlimit_data(struct finding *f, uint64_t need);
/* The action that sets rlimit ID to WANT (a count, or HP_UNLIMITED) where
 * the application starts: hpdiag fix prints how, it does not write it. */
void remedy_rlimit_action(struct finding *f, enum rlimit_id id, uint64_t want);

#endif /* HPDIAG_DIAGNOSE_REMEDY_H */
