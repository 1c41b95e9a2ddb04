/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * failure.h - the failure classifier shared by trial and exec: a call that
 * failed (or a SIGBUS), with the counters of that instant, becomes one
 * cause.  ENOMEM alone means little (mmap(2) lists three reasons, hugetlbfs
 * adds two); the counters tell them apart.  Then the "trial" and "exec"
 * findings.  Pure.
 */
#ifndef HPDIAG_DIAGNOSE_FAILURE_H
#define HPDIAG_DIAGNOSE_FAILURE_H

#include "diagnose/explain.h"
#include "diagnose/finding.h"
#include "model/need.h"
#include "trace/trace.h"

enum cause failure_cause(const struct trace_failure *f, const struct snapshot *snap,
			 const struct need *need);
/* The cause of a failed trial, CAUSE_NONE when it passed. */
enum cause trial_cause(const struct trial_result *r, const struct snapshot *snap,
		       const struct need *need);
/* The cause of exec's recorded failure, CAUSE_NONE when no call failed. */
enum cause exec_cause(const struct exec_result *r, const struct snapshot *snap,
		      const struct need *need);
/* "ENOMEM" for ENOMEM, "an error" for 0 or one glibc has no name for. */
const char *errname(int err);

/* The "trial" finding: what happened, its cause and the remedy the host's
 * own findings give. */
int trial_findings(const struct trial_result *r, const struct snapshot *snap,
		   const struct need *need, const struct findings *host,
		   struct findings *out);
/* The "exec" finding, from the result, the host's snapshot and findings,
 * and the application's output read by explain. */
int exec_findings(const struct exec_result *r, const struct snapshot *snap,
		  const struct need *need, const struct explain *ex,
		  const struct findings *host, struct findings *out);

#endif /* HPDIAG_DIAGNOSE_FAILURE_H */
