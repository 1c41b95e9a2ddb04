// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * finding.c - findings, their remedies, and the one table of cause and
 * check names (see finding.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/finding.h"
#include "lib/err.h"

static const char *const cause_names[CAUSE_COUNT] = {
	[CAUSE_NONE] = NULL,
	[CAUSE_POOL_EXHAUSTED] = "pool_exhausted",
	[CAUSE_NODE_POOL_EXHAUSTED] = "node_pool_exhausted",
	[CAUSE_NO_POOL] = "no_pool",
	[CAUSE_NO_MOUNT] = "no_mount",
	[CAUSE_MOUNT_QUOTA] = "mount_quota",
	[CAUSE_MOUNT_PERMISSION] = "mount_permission",
	[CAUSE_CGROUP_HUGETLB_LIMIT] = "cgroup_hugetlb_limit",
	[CAUSE_MAP_COUNT_LIMIT] = "map_count_limit",
	[CAUSE_RLIMIT_DATA] = "rlimit_data",
	[CAUSE_RLIMIT_AS] = "rlimit_as",
	[CAUSE_RLIMIT_MEMLOCK] = "rlimit_memlock",
	[CAUSE_RLIMIT_NOFILE] = "rlimit_nofile",
	[CAUSE_VA_SPACE] = "va_space",
	[CAUSE_SHM_LIMIT] = "shm_limit",
	[CAUSE_MEMSEG_LIMIT] = "memseg_limit",
	[CAUSE_THP_DISABLED] = "thp_disabled",
	[CAUSE_UNKNOWN] = "unknown",
};

static const char *const check_names[CHECK_COUNT] = {
	[CHECK_POOL] = "pool",
	[CHECK_NODE_POOL] = "node_pool",
	[CHECK_MOUNT] = "mount",
	[CHECK_MOUNT_QUOTA] = "mount_quota",
	[CHECK_ADDRESS_SPACE] = "address_space",
	[CHECK_VA_SPACE] = "va_space",
	[CHECK_DATA] = "data",
	[CHECK_SHM] = "shm",
	[CHECK_MEMLOCK] = "memlock",
	[CHECK_MAP_COUNT] = "map_count",
	[CHECK_NOFILE] = "nofile",
	[CHECK_CGROUP_HUGETLB] = "cgroup_hugetlb",
	[CHECK_STALE_FILES] = "stale_hugepage_files",
	[CHECK_STARVE_KERNEL] = "hugepages_starve_kernel",
	[CHECK_BOOT_TIME_ONLY] = "boot_time_only",
	[CHECK_FRAGMENTATION] = "pool_fragmentation",
	[CHECK_BOOT_POOL_SHORT] = "boot_pool_short",
	[CHECK_VMA_LEAK] = "vma_leak",
	[CHECK_TRIAL] = "trial",
	[CHECK_EXEC] = "exec",
	[CHECK_EXPLAIN] = "explain",
	[CHECK_APPLICATION] = "application",
};

const char *run_outcome_name(enum run_outcome o)
{
	return o == RUN_FAIL ? "fail" : o == RUN_DEGRADED ? "degraded" : "start";
}

const char *status_name(enum hp_status st)
{
	return st == HP_FAIL ? "fail" : st == HP_WARN ? "warn" : "pass";
}

const char *cause_name(enum cause c)
{
	return c < CAUSE_COUNT ? cause_names[c] : NULL;
}

const char *check_name(enum check c)
{
	return c < CHECK_COUNT ? check_names[c] : "?";
}

int cause_parse(const char *name, enum cause *c)
{
	for (int i = CAUSE_NONE + 1; i < CAUSE_COUNT; i++)
		if (!strcmp(name, cause_names[i])) {
			*c = (enum cause)i;
			return 0;
		}
	return -EINVAL;
}

int check_parse(const char *name, enum check *c)
{
	for (int i = 0; i < CHECK_COUNT; i++)
		if (!strcmp(name, check_names[i])) {
			*c = (enum check)i;
			return 0;
		}
	return -EINVAL;
}

struct finding *finding_add(struct findings *fs, enum check check,
			    enum hp_status st, enum cause cause,
			    const char *fmt, ...)
{
	struct finding *nv, *f;
	va_list ap;
	int rc;

	nv = realloc(fs->v, (fs->n + 1) * sizeof(*nv));
	if (!nv) {
		fs->nomem = true;
		return NULL;
	}
	fs->v = nv;
	f = &nv[fs->n];
	memset(f, 0, sizeof(*f));
	f->check = check;
	f->status = st;
	f->cause = cause;
	va_start(ap, fmt);
	rc = vasprintf(&f->message, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		fs->nomem = true;
		return NULL;
	}
	fs->n++;
	return f;
}

void finding_remedy(struct finding *f, const char *fmt, ...)
{
	struct remedy *r;
	va_list ap;
	int rc;

	if (!f)
		return;
	r = &f->remedy;
	if (r->nr_commands >= REMEDY_MAX_COMMANDS) {
		f->nomem = true;
		return;
	}
	va_start(ap, fmt);
	rc = vasprintf(&r->commands[r->nr_commands], fmt, ap);
	va_end(ap);
	if (rc < 0)
		f->nomem = true;
	else
		r->nr_commands++;
}

void finding_note(struct finding *f, const char *fmt, ...)
{
	va_list ap;

	if (!f)
		return;
	free(f->remedy.note);
	va_start(ap, fmt);
	if (vasprintf(&f->remedy.note, fmt, ap) < 0) {
		f->remedy.note = NULL;
		f->nomem = true;
	}
	va_end(ap);
}

bool remedy_given(const struct remedy *r)
{
	return r && (r->nr_commands || r->note);
}

struct action *finding_action(struct finding *f, enum action_kind kind,
			      const char *path)
{
	struct remedy *r;
	struct action *na, *a;

	if (!f)
		return NULL;
	r = &f->remedy;
	na = realloc(r->acts, (r->n + 1) * sizeof(*na));
	if (!na) {
		f->nomem = true;
		return NULL;
	}
	r->acts = na;
	a = &na[r->n];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->node = -1;
	if (path && !(a->path = strdup(path))) {
		f->nomem = true;
		return NULL;
	}
	r->n++;
	return a;
}

void finding_copy_remedy(struct finding *f, const struct remedy *src)
{
	if (!f || !src)
		return;
	for (size_t i = 0; i < src->nr_commands; i++)
		finding_remedy(f, "%s", src->commands[i]);
	if (src->note)
		finding_note(f, "%s", src->note);
	for (size_t i = 0; i < src->n; i++) {
		struct action *a = finding_action(f, src->acts[i].kind,
						  src->acts[i].path);

		if (a) {
			char *path = a->path;

			*a = src->acts[i];
			a->path = path;
		}
	}
}

void finding_num(struct finding *f, const char *key, uint64_t v)
{
	if (!f || f->nr_ev >= FINDING_MAX_EVIDENCE)
		return;
	f->ev[f->nr_ev++] = (struct evidence) { .key = key, .type = EV_NUM, .num = v };
}

void finding_lim(struct finding *f, const char *key, uint64_t v)
{
	if (!f || f->nr_ev >= FINDING_MAX_EVIDENCE)
		return;
	if (v == HP_UNLIMITED)
		f->ev[f->nr_ev++] = (struct evidence) { .key = key, .type = EV_NULL };
	else
		finding_num(f, key, v);
}

void finding_str(struct finding *f, const char *key, const char *s)
{
	if (!f || f->nr_ev >= FINDING_MAX_EVIDENCE)
		return;
	f->ev[f->nr_ev] = (struct evidence) {
		.key = key, .type = EV_STR, .str = strdup(s ? s : ""),
	};
	if (f->ev[f->nr_ev].str)
		f->nr_ev++;
	else
		f->nomem = true;
}

void findings_free(struct findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		struct finding *f = &fs->v[i];

		free(f->message);
		for (size_t j = 0; j < f->remedy.nr_commands; j++)
			free(f->remedy.commands[j]);
		free(f->remedy.note);
		for (size_t j = 0; j < f->remedy.n; j++)
			free(f->remedy.acts[j].path);
		free(f->remedy.acts);
		for (size_t j = 0; j < f->nr_ev; j++)
			free(f->ev[j].str);
	}
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}

bool findings_complete(const struct findings *fs)
{
	if (fs->nomem)
		return false;
	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].nomem)
			return false;
	return true;
}

enum hp_status findings_verdict(const struct findings *fs)
{
	enum hp_status v = HP_PASS;

	for (size_t i = 0; fs && i < fs->n; i++)
		if (fs->v[i].status > v)
			v = fs->v[i].status;
	return v;
}

int findings_exit(const struct findings *fs)
{
	enum hp_status v = findings_verdict(fs);

	return v == HP_FAIL ? EXIT_FAIL : v == HP_WARN ? EXIT_WARN : EXIT_PASS;
}

const struct finding *findings_get(const struct findings *fs, enum check check)
{
	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].check == check)
			return &fs->v[i];
	return NULL;
}

const struct evidence *finding_evidence(const struct finding *f, const char *key)
{
	for (size_t i = 0; f && i < f->nr_ev; i++)
		if (!strcmp(f->ev[i].key, key))
			return &f->ev[i];
	return NULL;
}

const struct finding *findings_failure(const struct findings *fs, enum cause cause)
{
	const struct finding *best = NULL;

	for (size_t i = 0; fs && i < fs->n; i++) {
		const struct finding *f = &fs->v[i];

		if (f->status == HP_FAIL && f->cause == cause && (!best || f->first))
			best = f;
	}
	return best;
}
