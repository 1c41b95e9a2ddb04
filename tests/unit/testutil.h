/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * testutil.h - helpers shared by the unit tests: load a fixture tree through
 * the same rooted reader and probes the binary uses, and run a test suite.
 */
#ifndef HPDIAG_TESTUTIL_H
#define HPDIAG_TESTUTIL_H

#include <check.h>

#include "diagnose/diagnose.h"
#include "probe/probe.h"

/* Probes tests/fixtures/NAME; returns probe_snapshot()'s result. */
int load_fixture(const char *name, unsigned what, struct snapshot *snap,
		 char *err, size_t errsz);
/* Probes NAME and diagnoses the workload; fails the test on probe errors. */
void diagnose_fixture(const char *name, const struct workload *wl,
		      struct snapshot *snap, struct need *need,
		      struct findings *fs);
/* The first finding of the check named CHECK, or NULL. */
const struct finding *fget(const struct findings *fs, const char *check);
/* A cause's name, "" for none. */
const char *cname(enum cause c);
/* The cause of the finding CHECK, "" if it has none, NULL if absent. */
const char *cause_of(const struct findings *fs, const char *check);
int status_of(const struct findings *fs, const char *check);
uint64_t evidence_num(const struct findings *fs, const char *check,
		      const char *key);
/* F's remedy as one string: its commands joined by " ; ", then " # " and
 * its note when it has one; "" for none.  In a static buffer. */
const char *remedy_text(const struct finding *f);
/* Writes FILE (relative to DIR, parents created) with TEXT. */
void write_file(const char *dir, const char *file, const char *text);
/* A temporary copy of a fixture tree, for tests that break it. */
char *copy_fixture(const char *name);
void remove_tree(const char *dir);
/* The text of tests/logs/NAME (a static buffer, until the next call). */
char *test_log(const char *name);
int run_suite(Suite *s);
/* Frees what diagnose_fixture() made. */
void done_fixture(struct snapshot *snap, struct findings *fs);

#endif /* HPDIAG_TESTUTIL_H */
