// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * numa.c - the only file that includes <numa.h>.  libnuma reads fixed /sys
 * paths and runs a constructor when it is loaded, so it serves live-only
 * work (memory policy for per-node placement); the probes read the nodes
 * from sysfs, live or captured, and a unit test checks both agree.
 */
#include <errno.h>
#include <stddef.h>
#include <numa.h>

#include "hpdiag.h"

/* libnuma prints to stderr on its own unless these weak hooks are replaced. */
void numa_warn(int num, char *fmt, ...)
{
	(void)num;
	(void)fmt;
}

void numa_error(char *where)
{
	(void)where;
}

int numa_live_nodes(unsigned *ids, size_t max, size_t *n)
{
	struct bitmask *mems;
	int maxnode;

	*n = 0;
	if (numa_available() < 0)
		return -ENOSYS;
	mems = numa_get_mems_allowed();
	maxnode = numa_max_node();
	for (int i = 0; i <= maxnode && *n < max; i++) {
		/* Nodes this process may not use still hold pools: list every
		 * configured node, as sysfs does. */
		if (numa_bitmask_isbitset(numa_nodes_ptr, (unsigned)i) ||
		    (mems && numa_bitmask_isbitset(mems, (unsigned)i)))
			ids[(*n)++] = (unsigned)i;
	}
	if (mems)
		numa_bitmask_free(mems);
	return 0;
}
