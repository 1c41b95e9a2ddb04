// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * step.c - the steps of a plan: their names (text and JSON), the error a
 * step carries when it was refused or failed, and freeing a plan.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/plan.h"

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

