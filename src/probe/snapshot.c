// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * snapshot.c - freeing a snapshot, and the questions several stages ask of
 * it (a pool, a node's share, a mount, its stale files, a pool's sysfs
 * file), each answered here once.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pathnames.h"
#include "probe/snapshot.h"

static void cgroup_mnt_free(struct cgroup_mnt *m)
{
	free(m->dir);
	free(m->root);
}

void cgroup_free(struct cgroup *cg)
{
	for (size_t i = 0; i < cg->nr_limits; i++) {
		free(cg->limits[i].file);
		free(cg->limits[i].cgroup);
		free(cg->limits[i].rsvd_file);
		free(cg->limits[i].rsvd_cgroup);
	}
	free(cg->limits);
	for (size_t i = 0; i < cg->nr_stats; i++) {
		free(cg->stats[i].path);
		free(cg->stats[i].dir);
	}
	free(cg->stats);
	free(cg->path);
	free(cg->memory_path);
	cgroup_mnt_free(&cg->v2);
	cgroup_mnt_free(&cg->v1_hugetlb);
	cgroup_mnt_free(&cg->v1_memory);
	memset(cg, 0, sizeof(*cg));
}

void snapshot_free(struct snapshot *snap)
{
	for (size_t i = 0; i < snap->nr_pools; i++)
		free(snap->pools[i].nodes);
	free(snap->pools);
	free(snap->nodes);
	for (size_t i = 0; i < snap->nr_mounts; i++) {
		struct mount *m = &snap->mounts[i];

		for (size_t j = 0; j < m->nr_files; j++)
			free(m->files[j].path);
		free(m->files);
		free(m->path);
	}
	free(snap->mounts);
	cgroup_free(&snap->cg);
	free(snap->buddy);
	free(snap->cmdline);
	free(snap->vfio.devs);
	for (size_t i = 0; i < snap->nr_mount_points; i++)
		free(snap->mount_points[i]);
	free(snap->mount_points);
	for (size_t i = 0; i < snap->nr_dirs; i++)
		free(snap->dirs[i].path);
	free(snap->dirs);
	memset(snap, 0, sizeof(*snap));
}

const struct cgroup_limit *cgroup_limit_of(const struct cgroup *cg, uint64_t page_size)
{
	for (size_t i = 0; page_size && i < cg->nr_limits; i++)
		if (cg->limits[i].page_size == page_size)
			return &cg->limits[i];
	return NULL;
}

const struct pool *snapshot_pool(const struct snapshot *snap, uint64_t page_size)
{
	for (size_t i = 0; i < snap->nr_pools; i++)
		if (snap->pools[i].page_size == page_size)
			return &snap->pools[i];
	return NULL;
}

char *pool_file(char *buf, size_t size, uint64_t ps, int node, const char *file)
{
	char dir[64];

	if (node >= 0)
		snprintf(dir, sizeof(dir), PATH_NODE_HUGEPAGES, (unsigned)node);
	else
		snprintf(dir, sizeof(dir), "%s", PATH_HUGEPAGES);
	snprintf(buf, size, "%s/hugepages-%" PRIu64 "kB%s%s", dir, ps >> 10,
		 *file ? "/" : "", file);
	return buf;
}

const struct pool_node *pool_node(const struct pool *p, unsigned node)
{
	for (size_t i = 0; p && i < p->nr_nodes; i++)
		if (p->nodes[i].node == node)
			return &p->nodes[i];
	return NULL;
}

const struct mount *snapshot_mount_at(const struct snapshot *snap, const char *path)
{
	for (size_t i = 0; i < snap->nr_mounts; i++)
		if (!strcmp(snap->mounts[i].path, path))
			return &snap->mounts[i];
	return NULL;
}

bool snapshot_is_mount_point(const struct snapshot *snap, const char *path)
{
	for (size_t i = 0; i < snap->nr_mount_points; i++)
		if (!strcmp(snap->mount_points[i], path))
			return true;
	return false;
}

const struct dir_fact *snapshot_dir(const struct snapshot *snap, const char *path)
{
	for (size_t i = 0; i < snap->nr_dirs; i++)
		if (!strcmp(snap->dirs[i].path, path))
			return &snap->dirs[i];
	return NULL;
}

void mount_stale(const struct mount *m, uint64_t *files, uint64_t *pages)
{
	*files = *pages = 0;
	for (size_t j = 0; j < m->nr_files; j++)
		if (!m->files[j].in_use) {
			(*files)++;
			*pages = hp_sat_add(*pages, m->files[j].pages);
		}
}
