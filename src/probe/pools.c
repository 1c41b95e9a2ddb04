// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pools.c - probes for memory and the hugepage pools: /proc/meminfo, every
 * page size under /sys/kernel/mm/hugepages (never assumed: 64 KiB, 2 MiB,
 * 32 MiB, 512 MiB, 1 GiB and 16 GiB all exist), and each NUMA node's share.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pathnames.h"
#include "probe/parse.h"
#include "probe/probe.h"

#define MAX_NODES 1024

int meminfo_scan(struct probe *p, struct meminfo *mem)
{
	char bad[128];
	char *buf;
	int rc;

	rc = probe_read(p, PATH_MEMINFO, true, &buf, NULL);
	if (rc < 0)
		return rc;
	rc = parse_meminfo(buf, mem, bad, sizeof(bad));
	free(buf);
	if (rc < 0)
		return probe_fail(p, EINVAL, PATH_MEMINFO, "%s", bad);
	return 0;
}

/* DIR/FILE, a count; an optional one that is absent is 0. */
static int read_count(struct probe *p, const char *dir, const char *file,
		      uint64_t *val, bool required)
{
	char path[1024];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	rc = probe_u64(p, path, required, val);
	if (rc == -ENOENT && !required) {
		*val = 0;
		return 0;
	}
	return rc;
}

static int cmp_u(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

int node_scan(struct probe *p, struct snapshot *snap)
{
	unsigned ids[MAX_NODES];
	size_t n = 0;
	int rc;

	/*
	 * The nodes come from sysfs on the live host too, not from libnuma:
	 * one code path that a snapshot captures, and libnuma's constructor
	 * would cost this read-only command more than everything else it
	 * does.  numa.c (libnuma) serves the live-only work, and a test
	 * checks that both agree.
	 */
	{
		char **names;
		size_t nn;

		rc = probe_list(p, PATH_NODES, &names, &nn);
		if (rc < 0 && rc != -ENOENT)
			return rc;
		if (rc == 0) {
			for (size_t i = 0; i < nn && n < MAX_NODES; i++)
				if (parse_node_dir(names[i], &ids[n]) == 0)
					n++;
			sysroot_names_free(names, nn);
			qsort(ids, n, sizeof(ids[0]), cmp_u);
		}
	}
	if (n == 0) {
		/* A kernel without NUMA: one node holding all memory. */
		snap->nodes = calloc(1, sizeof(*snap->nodes));
		if (!snap->nodes)
			return -ENOMEM;
		snap->nr_nodes = 1;
		snap->nodes[0].mem_total = snap->mem.mem_total;
		snap->nodes[0].mem_free = snap->mem.mem_free;
		snap->nodes[0].have_meminfo = true;
		snap->nodes[0].has_cpus = true;
		return 0;
	}
	snap->nodes = calloc(n, sizeof(*snap->nodes));
	if (!snap->nodes)
		return -ENOMEM;
	snap->nr_nodes = n;
	for (size_t i = 0; i < n; i++) {
		struct node *nd = &snap->nodes[i];
		char path[256], bad[128], *buf;

		nd->id = ids[i];
		snprintf(path, sizeof(path), PATH_NODE_MEMINFO, nd->id);
		rc = probe_read(p, path, false, &buf, NULL);
		if (rc == 0) {
			rc = parse_node_meminfo(buf, &nd->mem_total,
						&nd->mem_free, bad, sizeof(bad));
			free(buf);
			if (rc < 0)
				return probe_fail(p, EINVAL, path, "%s", bad);
			nd->have_meminfo = true;
		} else if (rc != -ENOENT) {
			return rc;
		}
		snprintf(path, sizeof(path), PATH_NODE_CPULIST, nd->id);
		rc = probe_read(p, path, false, &buf, NULL);
		if (rc == 0) {
			unsigned cpus[4096];
			size_t ncpu;

			if (parse_list(buf, cpus, 4096, &ncpu) < 0) {
				free(buf);
				return probe_fail(p, EINVAL, path, "not a CPU list");
			}
			free(buf);
			nd->has_cpus = ncpu > 0;
			nd->nr_cpus = (unsigned)ncpu;
		} else if (rc == -ENOENT) {
			nd->has_cpus = true;
		} else {
			return rc;
		}
	}
	return 0;
}

static int pool_cmp(const void *a, const void *b)
{
	const struct pool *x = a, *y = b;

	return x->page_size < y->page_size ? -1 : x->page_size > y->page_size;
}

static int pool_scan_nodes(struct probe *pr, struct snapshot *snap,
			   struct pool *p, const char *dirname)
{
	p->nodes = calloc(snap->nr_nodes, sizeof(*p->nodes));
	if (!p->nodes)
		return -ENOMEM;
	for (size_t i = 0; i < snap->nr_nodes; i++) {
		char dir[512], nodedir[256], path[600];
		struct pool_node *pn;
		uint64_t total;
		int rc;

		snprintf(nodedir, sizeof(nodedir), PATH_NODE_HUGEPAGES,
			 snap->nodes[i].id);
		snprintf(dir, sizeof(dir), "%s/%s", nodedir, dirname);
		/* A kernel without per-node pools (no NUMA) has no such file. */
		snprintf(path, sizeof(path), "%s/nr_hugepages", dir);
		rc = probe_u64(pr, path, false, &total);
		if (rc == -ENOENT)
			continue;
		if (rc < 0)
			return rc;
		pn = &p->nodes[p->nr_nodes++];
		pn->node = snap->nodes[i].id;
		pn->total = total;
		if ((rc = read_count(pr, dir, "free_hugepages", &pn->free, true)) < 0 ||
		    (rc = read_count(pr, dir, "surplus_hugepages", &pn->surplus, false)) < 0)
			return rc;
	}
	return 0;
}

int pool_scan(struct probe *pr, struct snapshot *snap)
{
	char **names;
	size_t n;
	int rc;

	rc = probe_list(pr, PATH_HUGEPAGES, &names, &n);
	if (rc == -ENOENT)
		return 0;	/* a kernel without hugetlbfs: no pools */
	if (rc < 0)
		return rc;
	snap->pools = calloc(n ? n : 1, sizeof(*snap->pools));
	if (!snap->pools) {
		sysroot_names_free(names, n);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct pool *p = &snap->pools[snap->nr_pools];
		char dir[256];

		rc = parse_hugepages_dir(names[i], &p->page_size);
		if (rc == -ERANGE) {
			rc = probe_fail(pr, EINVAL, PATH_HUGEPAGES, "%s: not a "
					"page size (a power of two)", names[i]);
			goto out;
		}
		if (rc < 0)
			continue;
		snap->nr_pools++;
		snprintf(dir, sizeof(dir), "%s/%s", PATH_HUGEPAGES, names[i]);
		if ((rc = read_count(pr, dir, "nr_hugepages", &p->total, true)) < 0 ||
		    (rc = read_count(pr, dir, "free_hugepages", &p->free, true)) < 0 ||
		    (rc = read_count(pr, dir, "resv_hugepages", &p->resv, true)) < 0 ||
		    (rc = read_count(pr, dir, "surplus_hugepages", &p->surplus, true)) < 0 ||
		    (rc = read_count(pr, dir, "nr_overcommit_hugepages", &p->overcommit, false)) < 0 ||
		    (rc = pool_scan_nodes(pr, snap, p, names[i])) < 0)
			goto out;
		if (p->free > p->total + p->surplus) {
			char path[600];

			snprintf(path, sizeof(path), "%s/free_hugepages", dir);
			rc = probe_fail(pr, EINVAL, path, "%llu free pages "
					"exceed nr_hugepages (%llu)",
					(unsigned long long)p->free,
					(unsigned long long)p->total);
			goto out;
		}
	}
	qsort(snap->pools, snap->nr_pools, sizeof(*snap->pools), pool_cmp);
	rc = 0;
out:
	sysroot_names_free(names, n);
	return rc;
}
