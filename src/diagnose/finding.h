/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * finding.h - what diagnosis produces: findings with a status, a cause from
 * one fixed vocabulary, a message, evidence, and a remedy.  A remedy is
 * built once, by the rule that found the problem: the text a person reads,
 * and the actions behind it (a sysctl to raise, a pool to grow, a mount to
 * make, a file to remove, an rlimit to set) that `hpdiag fix` selects and
 * orders without computing them again.
 */
#ifndef HPDIAG_DIAGNOSE_FINDING_H
#define HPDIAG_DIAGNOSE_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/snapshot.h"

enum hp_status { HP_PASS, HP_WARN, HP_FAIL };

/* The causes of a failure: hpdiag(8) lists them; JSON and metrics carry
 * their names. */
enum cause {
	CAUSE_NONE,
	CAUSE_POOL_EXHAUSTED,
	CAUSE_NODE_POOL_EXHAUSTED,
	CAUSE_NO_POOL,
	CAUSE_NO_MOUNT,
	CAUSE_MOUNT_QUOTA,
	CAUSE_MOUNT_PERMISSION,
	CAUSE_CGROUP_HUGETLB_LIMIT,
	CAUSE_MAP_COUNT_LIMIT,
	CAUSE_RLIMIT_DATA,
	CAUSE_RLIMIT_AS,
	CAUSE_RLIMIT_MEMLOCK,
	CAUSE_RLIMIT_NOFILE,
	CAUSE_VA_SPACE,
	CAUSE_SHM_LIMIT,
	CAUSE_MEMSEG_LIMIT,	/* DPDK's build-time memseg lists (explain) */
	CAUSE_THP_DISABLED,	/* transparent hugepages off (explain: a JVM) */
	CAUSE_UNKNOWN,
	CAUSE_COUNT
};

/* The checks: stable ids, one or more findings each. */
enum check {
	CHECK_POOL,
	CHECK_NODE_POOL,
	CHECK_MOUNT,
	CHECK_MOUNT_QUOTA,
	CHECK_ADDRESS_SPACE,
	CHECK_VA_SPACE,
	CHECK_DATA,
	CHECK_SHM,
	CHECK_MEMLOCK,
	CHECK_MAP_COUNT,
	CHECK_NOFILE,
	CHECK_CGROUP_HUGETLB,
	CHECK_STALE_FILES,
	CHECK_STARVE_KERNEL,
	CHECK_BOOT_TIME_ONLY,
	CHECK_FRAGMENTATION,
	CHECK_BOOT_POOL_SHORT,
	CHECK_VMA_LEAK,
	CHECK_TRIAL,
	CHECK_EXEC,
	CHECK_EXPLAIN,
	CHECK_APPLICATION,	/* what the application does: start, degraded */
	CHECK_COUNT
};

const char *status_name(enum hp_status st);
/* NULL for CAUSE_NONE. */
const char *cause_name(enum cause c);
const char *check_name(enum check c);
/* -EINVAL for a name not in the table. */
int cause_parse(const char *name, enum cause *c);
int check_parse(const char *name, enum check *c);

/* What a remedy changes. */
enum action_kind {
	ACT_SYSCTL,		/* a /proc/sys file, never lowered */
	ACT_POOL,		/* nr_hugepages of a size, or of a size on a node */
	ACT_MOUNT,		/* hugetlbfs pagesize= mounted at a directory */
	ACT_REMOVE,		/* a page file no process uses */
	ACT_RLIMIT,		/* an rlimit, set where the application starts */
};

struct action {
	enum action_kind kind;
	char *path;		/* the file written, the mount point, the file removed */
	const char *name;	/* ACT_SYSCTL: "vm.max_map_count" */
	uint64_t from;		/* the value now; ACT_REMOVE: the pages it frees */
	uint64_t to;		/* the value wanted; ACT_RLIMIT: HP_UNLIMITED or a count */
	uint64_t page_size;
	int node;		/* ACT_POOL: -1 for the whole pool */
	enum rlimit_id rlimit;	/* ACT_RLIMIT */
	const struct mount *mount;	/* ACT_REMOVE: the file's mount */
	bool named_only;		/* ACT_REMOVE: when --clean-stale=FILE names it */
};

#define REMEDY_MAX_COMMANDS 64	/* a command a NUMA node at most */

/*
 * What to do about a finding: shell commands, each one that can be pasted
 * as it is (run in order), and a note in prose for what no command can say
 * (a kernel command line, an application's own option, why).  A remedy
 * with neither is none: nothing to do.
 */
struct remedy {
	char *commands[REMEDY_MAX_COMMANDS];
	size_t nr_commands;
	char *note;
	struct action *acts;
	size_t n;
};

enum evidence_type { EV_NUM, EV_STR, EV_NULL };

struct evidence {
	const char *key;
	enum evidence_type type;
	uint64_t num;
	char *str;
};

#define FINDING_MAX_EVIDENCE 16

struct finding {
	enum check check;
	enum hp_status status;
	enum cause cause;		/* CAUSE_NONE for a pass or a warning */
	uint64_t order;			/* when the application meets it */
	bool first;			/* the failure the application reports */
	char *message;
	struct remedy remedy;
	struct evidence ev[FINDING_MAX_EVIDENCE];
	size_t nr_ev;
	bool nomem;			/* part of it could not be allocated */
};

/* What the application does on this host, as check predicts it. */
enum run_outcome {
	RUN_START,		/* it starts with its hugepages */
	RUN_DEGRADED,		/* it starts without (some of) them: a WARN says what is lost */
	RUN_FAIL,		/* it fails: the first failure says why */
};

const char *run_outcome_name(enum run_outcome o);

struct findings {
	struct finding *v;
	size_t n;
	bool nomem;			/* a finding could not be added */
	enum run_outcome outcome;	/* check's prediction */
};

struct finding *finding_add(struct findings *fs, enum check check,
			    enum hp_status st, enum cause cause,
			    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Adds a command to the remedy: one a person can paste into a shell, no
 * prose after it. */
void finding_remedy(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The remedy's note (replacing one set before): prose, no command. */
void finding_note(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Whether R says anything to do. */
bool remedy_given(const struct remedy *r);
/* Adds an action to the remedy; PATH is copied. */
struct action *finding_action(struct finding *f, enum action_kind kind,
			      const char *path);
void finding_num(struct finding *f, const char *key, uint64_t v);
/* HP_UNLIMITED becomes null in JSON. */
void finding_lim(struct finding *f, const char *key, uint64_t v);
void finding_str(struct finding *f, const char *key, const char *s);
/* Copies SRC's remedy (commands, note and actions) to F. */
void finding_copy_remedy(struct finding *f, const struct remedy *src);

/* False when any part of FS could not be allocated (-ENOMEM). */
bool findings_complete(const struct findings *fs);
enum hp_status findings_verdict(const struct findings *fs);
/* 0, 1 or 2: the exit status for the verdict. */
int findings_exit(const struct findings *fs);
void findings_free(struct findings *fs);
/* The first finding of CHECK, or NULL. */
const struct finding *findings_get(const struct findings *fs, enum check check);
const struct evidence *finding_evidence(const struct finding *f, const char *key);
/* A host finding that fails with CAUSE (the one met first when several). */
const struct finding *findings_failure(const struct findings *fs, enum cause cause);

#endif /* HPDIAG_DIAGNOSE_FINDING_H */
