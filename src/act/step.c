// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * step.c - the steps of a plan: adding them (and the plan's lines for a
 * person: what hpdiag does not change, what keeps a change across
 * reboots), their names (text and JSON), the error a step carries when it
 * was refused or failed, and freeing a plan.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/plan.h"

struct fix_step *plan_step_add(struct fix_plan *p, enum fix_kind kind,
				 enum check check)
{
	struct fix_step *v = realloc(p->v, (p->n + 1) * sizeof(*v));

	if (!v)
		return NULL;
	p->v = v;
	v = &p->v[p->n++];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->check = check;
	v->status = FS_PLANNED;
	return v;
}

static __attribute__((format(printf, 1, 0)))
char *vstrdupf(const char *fmt, va_list ap)
{
	char *s;

	return vasprintf(&s, fmt, ap) < 0 ? NULL : s;
}

struct fix_manual *plan_manual_add(struct fix_plan *p, enum check check,
			      const char *fmt, ...)
{
	struct fix_manual *v = realloc(p->manual, (p->nr_manual + 1) * sizeof(*v));
	va_list ap;

	if (!v)
		return NULL;
	p->manual = v;
	v = &p->manual[p->nr_manual];
	memset(v, 0, sizeof(*v));
	v->check = check;
	va_start(ap, fmt);
	v->why = vstrdupf(fmt, ap);
	va_end(ap);
	if (!v->why)
		return NULL;
	p->nr_manual++;
	return v;
}

int plan_manual_line(struct fix_manual *m, const char *fmt, ...)
{
	va_list ap;

	if (!m || m->nr_lines >= sizeof(m->lines) / sizeof(m->lines[0]))
		return -ENOMEM;
	va_start(ap, fmt);
	m->lines[m->nr_lines] = vstrdupf(fmt, ap);
	va_end(ap);
	return m->lines[m->nr_lines++] ? 0 : -ENOMEM;
}

int plan_boot_add(struct fix_plan *p, const char *fmt, ...)
{
	va_list ap;

	if (p->nr_boot >= sizeof(p->boot) / sizeof(p->boot[0]))
		return 0;
	va_start(ap, fmt);
	p->boot[p->nr_boot] = vstrdupf(fmt, ap);
	va_end(ap);
	return p->boot[p->nr_boot++] ? 0 : -ENOMEM;
}


const char *fix_status_name(enum fix_status st)
{
	static const char *const names[] = {
		[FS_PLANNED] = "planned", [FS_APPLIED] = "applied",
		[FS_VERIFIED] = "verified", [FS_PARTIAL] = "partial",
		[FS_FAILED] = "failed", [FS_REVERTED] = "reverted",
		[FS_UNCHANGED] = "unchanged",
	};

	return names[st];
}

const char *fix_kind_name(enum fix_kind k)
{
	static const char *const names[] = {
		[FIX_SYSCTL] = "sysctl", [FIX_OVERCOMMIT] = "overcommit",
		[FIX_POOL] = "pool", [FIX_NODE_POOL] = "node_pool",
		[FIX_MOUNT] = "mount", [FIX_REMOVE] = "remove",
		[FIX_PERSIST] = "persist",
	};

	return names[k];
}

void step_error(struct fix_step *s, const char *fmt, ...)
{
	va_list ap;

	free(s->error);
	va_start(ap, fmt);
	if (vasprintf(&s->error, fmt, ap) < 0)
		s->error = NULL;
	va_end(ap);
}

void fix_plan_free(struct fix_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].error);
	for (size_t i = 0; i < p->nr_manual; i++) {
		free(p->manual[i].why);
		for (size_t j = 0; j < p->manual[i].nr_lines; j++)
			free(p->manual[i].lines[j]);
	}
	for (size_t i = 0; i < p->nr_boot; i++)
		free(p->boot[i]);
	free(p->manual);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

