// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cgroup.c - the cgroup hugetlb and memory limits that apply to a process:
 * its cgroup from /proc/PID/cgroup, the hierarchies' mount points from
 * mountinfo (mounts.c), and the tightest limit on the path up to the root.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pathnames.h"
#include "lib/proc.h"
#include "probe/parse.h"
#include "probe/probe.h"

/* Reads a cgroup limit file: "max" or a number; huge v1 values = unlimited. */
static int cg_value(struct probe *p, const char *path, bool quiet, uint64_t *val)
{
	char word[64];
	int rc;

	rc = sysroot_read_word(p->sr, path, word, sizeof(word));
	if (rc == -ENOENT || (rc < 0 && quiet))
		return rc;
	if (rc < 0)
		return probe_fail_io(p, rc, path);
	if (!strcmp(word, "max")) {
		*val = HP_UNLIMITED;
		return 0;
	}
	if (parse_u64(word, val) < 0)
		return quiet ? -EINVAL :
		       probe_fail(p, EINVAL, path, "not a number: '%s'", word);
	if (*val >= (1ULL << 62))
		*val = HP_UNLIMITED;	/* v1's PAGE_COUNTER_MAX */
	return 0;
}

static int cg_add(struct cgroup *cg, uint64_t page_size, uint64_t limit,
		  uint64_t usage, const char *file)
{
	struct cgroup_limit *nl;

	nl = realloc(cg->limits, (cg->nr_limits + 1) * sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	cg->limits = nl;
	nl[cg->nr_limits] = (struct cgroup_limit) {
		.page_size = page_size, .limit = limit, .usage = usage,
		.file = file ? strdup(file) : NULL,
	};
	cg->nr_limits++;
	return 0;
}

/*
 * The tightest limit on the path from the process's cgroup up to the root:
 * a parent's limit binds its children too.
 */
static int cg_walk(struct probe *p, struct cgroup *cg, const char *mnt,
		   const char *cgpath, const char *limit_file,
		   const char *usage_file, uint64_t page_size)
{
	char dir[2048], path[2300], best_file[2300] = "";
	uint64_t best = HP_UNLIMITED, usage = 0;
	bool seen = false, have_usage = false;
	int rc;

	if (!mnt)
		return 0;
	snprintf(dir, sizeof(dir), "%s%s", mnt, cgpath && strcmp(cgpath, "/") ? cgpath : "");
	for (;;) {
		uint64_t v = HP_UNLIMITED;
		char *slash;

		snprintf(path, sizeof(path), "%s/%s", dir, limit_file);
		rc = cg_value(p, path, false, &v);
		if (rc == 0) {
			seen = true;
			if (v < best) {
				best = v;
				snprintf(best_file, sizeof(best_file), "%s", path);
			}
			if (!have_usage) {
				snprintf(path, sizeof(path), "%s/%s", dir, usage_file);
				have_usage = cg_value(p, path, true, &usage) == 0;
			}
		} else if (rc != -ENOENT) {
			return rc;
		}
		if (strlen(dir) <= strlen(mnt))
			break;
		slash = strrchr(dir, '/');
		if (!slash || (size_t)(slash - dir) < strlen(mnt))
			break;
		*slash = '\0';
	}
	if (!seen)
		return 0;
	return cg_add(cg, page_size, best, have_usage ? usage : 0,
		      best_file[0] ? best_file : NULL);
}

int cgroup_scan(struct probe *p, pid_t pid, const struct snapshot *snap,
		struct cgroup *cg)
{
	char path[64], *buf, *line, *save = NULL;
	char *v2path = NULL, *hugetlb_path = NULL, *memory_path = NULL;
	int rc;

	rc = probe_read(p, proc_path(path, sizeof(path), pid, PROC_CGROUP), false,
			&buf, NULL);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2;

		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c1 || !c2) {
			free(buf);
			return probe_fail(p, EINVAL, path,
					  "expected 'ID:CONTROLLERS:PATH' lines");
		}
		*c1 = *c2 = '\0';
		if (!strcmp(line, "0") && !c1[1])
			v2path = c2 + 1;
		else if (strstr(c1 + 1, "hugetlb"))
			hugetlb_path = c2 + 1;
		else if (strstr(c1 + 1, "memory"))
			memory_path = c2 + 1;
	}
	if (hugetlb_path && cg->v1_hugetlb) {
		cg->version = 1;
		cg->path = strdup(hugetlb_path);
	} else if (v2path && cg->v2_mount) {
		cg->version = 2;
		cg->path = strdup(v2path);
	}
	rc = 0;
	for (size_t i = 0; i < snap->nr_pools && rc == 0; i++) {
		char name[16], lf[64], uf[64];

		format_cgroup_size(snap->pools[i].page_size, name, sizeof(name));
		if (cg->version == 1) {
			snprintf(lf, sizeof(lf), "hugetlb.%s.limit_in_bytes", name);
			snprintf(uf, sizeof(uf), "hugetlb.%s.usage_in_bytes", name);
			rc = cg_walk(p, cg, cg->v1_hugetlb, hugetlb_path, lf, uf,
				     snap->pools[i].page_size);
		} else if (cg->version == 2) {
			snprintf(lf, sizeof(lf), "hugetlb.%s.max", name);
			snprintf(uf, sizeof(uf), "hugetlb.%s.current", name);
			rc = cg_walk(p, cg, cg->v2_mount, v2path, lf, uf,
				     snap->pools[i].page_size);
		}
	}
	if (rc == 0 && v2path && cg->v2_mount)
		rc = cg_walk(p, cg, cg->v2_mount, v2path, "memory.max",
			     "memory.current", 0);
	else if (rc == 0 && memory_path && cg->v1_memory)
		rc = cg_walk(p, cg, cg->v1_memory, memory_path,
			     "memory.limit_in_bytes", "memory.usage_in_bytes", 0);
	free(buf);
	return rc;
}
