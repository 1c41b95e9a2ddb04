// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * text-cgroup.c - the cgroup lines of the limits table (text.c): which
 * hierarchy each controller is on and the process's cgroup in it, whether
 * it is a container's view, and each limit with the hierarchy and the
 * level it comes from.
 */
#include <inttypes.h>
#include <stdio.h>

#include "lib/num.h"
#include "lib/untrusted.h"
#include "report/text.h"

/* Which hierarchy each controller is on, and each limit with where it
 * comes from: a hybrid host has v1 controllers beside the v2 one. */
void text_cgroup(FILE *o, const struct cgroup *cg)
{
	static const char *const names[2] = { "hugetlb", "memory" };
	char a[32], b[32], safe[1024], safe2[1024];

	for (int k = 0; k < 2; k++) {
		int v = k ? cg->memory_version : cg->version;
		const char *path = k ? cg->memory_path : cg->path;
		const struct cgroup_mnt *m = v == 2 ? &cg->v2 : k ? &cg->v1_memory :
					     &cg->v1_hugetlb;
		char label[32];

		snprintf(label, sizeof(label), "cgroup %s", names[k]);
		if (!v)
			fprintf(o, "%-28s (not found)\n", label);
		else
			fprintf(o, "%-28s v%d %s (%s)%s\n", label, v,
				text_safe(path ? path : "", safe, sizeof(safe)),
				text_safe(m->dir ? m->dir : "", safe2, sizeof(safe2)),
				!k && cg->given ? ", as --cgroup names it" :
				!k && cg->hidden ? ", outside the hierarchy seen here" : "");
	}
	if (cg->container)
		fprintf(o, "%-28s inside a container%s: the node's limits above its "
			"cgroup are not visible\n", "cgroup view", cg->pod ? " (a pod)" : "");
	for (size_t i = 0; i < cg->nr_limits; i++) {
		const struct cgroup_limit *c = &cg->limits[i];
		char name[48], s[32];

		if (c->page_size)
			snprintf(name, sizeof(name), "hugetlb %s",
				 format_bytes(c->page_size, s, sizeof(s)));
		else
			snprintf(name, sizeof(name), "memory");
		fprintf(o, "  %-26s %s (using %s)", name, format_limit(c->limit, a, sizeof(a)),
			format_bytes(c->usage, b, sizeof(b)));
		if (c->cgroup)
			fprintf(o, ", from v%d %s", c->version,
				text_safe(c->cgroup, safe, sizeof(safe)));
		if (c->rsvd_limit != HP_UNLIMITED)
			fprintf(o, "; reservations %s (using %s)",
				format_bytes(c->rsvd_limit, a, sizeof(a)),
				format_bytes(c->rsvd_usage, b, sizeof(b)));
		if (c->have_hits && c->hits)
			fprintf(o, "; %" PRIu64 " charge%s refused", c->hits,
				c->hits == 1 ? "" : "s");
		fputc('\n', o);
	}
}
