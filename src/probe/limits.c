// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * limits.c - the limits that bound mapping: sysctls, the rlimits of a
 * process (from /proc/PID/limits, so a captured tree holds them), its VMA and
 * fd counts, the cgroup hugetlb and memory limits that apply to it, the free
 * blocks per order in /proc/buddyinfo, /proc/cmdline and the THP mode.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/snapshot.h"
#include "probe/parse.h"
#include "lib/pathnames.h"
#include "probe/vma.h"

static const struct {
	const char *name;
	const char *path;
} sysctls[SC_COUNT] = {
	[SC_MAX_MAP_COUNT] = { "vm.max_map_count", PATH_MAX_MAP_COUNT },
	[SC_NR_HUGEPAGES] = { "vm.nr_hugepages", PATH_NR_HUGEPAGES },
	[SC_NR_OVERCOMMIT_HUGEPAGES] = { "vm.nr_overcommit_hugepages", PATH_NR_OVERCOMMIT },
	[SC_OVERCOMMIT_MEMORY] = { "vm.overcommit_memory", PATH_OVERCOMMIT_MEMORY },
	[SC_HUGETLB_SHM_GROUP] = { "vm.hugetlb_shm_group", PATH_HUGETLB_SHM_GROUP },
	[SC_SHMMAX] = { "kernel.shmmax", PATH_SHMMAX },
	[SC_SHMALL] = { "kernel.shmall", PATH_SHMALL },
	[SC_MIN_FREE_KBYTES] = { "vm.min_free_kbytes", PATH_MIN_FREE_KBYTES },
};

static const char *const rlimit_names[RL_COUNT] = {
	[RL_DATA] = "data",
	[RL_AS] = "as",
	[RL_MEMLOCK] = "memlock",
	[RL_NOFILE] = "nofile",
};

const char *sysctl_name(enum sysctl_id id)
{
	return sysctls[id].name;
}

const char *sysctl_path(enum sysctl_id id)
{
	return sysctls[id].path;
}

const char *rlimit_name(enum rlimit_id id)
{
	return rlimit_names[id];
}

static void pid_word(pid_t pid, char *buf, size_t size)
{
	if (pid)
		snprintf(buf, size, "%d", (int)pid);
	else
		snprintf(buf, size, "self");
}

int limits_scan(struct sysroot *sr, pid_t pid, bool process, struct limits *lim)
{
	char who[24], path[64], bad[128], *buf;
	char **fds;
	size_t nfd;
	int rc;

	lim->pid = pid;
	for (int i = 0; i < SC_COUNT; i++) {
		rc = sysroot_read_u64(sr, sysctls[i].path, &lim->sysctl[i].value);
		if (rc == -ENOENT)
			continue;
		if (rc < 0)
			return rc;
		lim->sysctl[i].present = true;
	}
	if (!lim->sysctl[SC_MAX_MAP_COUNT].present)
		return sysroot_fail(sr, ENOENT, PATH_MAX_MAP_COUNT, "missing");

	pid_word(pid, who, sizeof(who));
	snprintf(path, sizeof(path), PATH_PROC_LIMITS, who);
	rc = sysroot_read(sr, path, &buf, NULL);
	if (rc == -ENOENT)
		return sysroot_fail(sr, ENOENT, path, pid ?
				    "missing: no process %d" : "missing", (int)pid);
	if (rc < 0)
		return rc;
	rc = parse_limits(buf, lim->rlimits, bad, sizeof(bad));
	free(buf);
	if (rc < 0)
		return sysroot_fail(sr, EINVAL, path, "%s", bad);

	if (!process)
		return 0;
	snprintf(path, sizeof(path), PATH_PROC_STATUS, who);
	rc = sysroot_read(sr, path, &buf, NULL);
	if (rc == 0) {
		const char *cap = strstr(buf, "\nCapEff:");
		const char *uid = strstr(buf, "\nUid:");
		const char *gid = strstr(buf, "\nGid:");
		const char *groups = strstr(buf, "\nGroups:");
		const char *vms = strstr(buf, "\nVmSize:");
		const char *vmd = strstr(buf, "\nVmData:");
		unsigned long long v, d;
		unsigned r, e;

		if (cap && sscanf(cap + 8, " %llx", &v) == 1) {
			lim->cap_eff = v;
			lim->have_caps = true;
		}
		if (uid && sscanf(uid + 5, " %u %u", &r, &e) == 2) {
			lim->uid = e;
			lim->have_uid = true;
		}
		if (gid && sscanf(gid + 5, " %u %u", &r, &e) == 2) {
			lim->gid = e;
			lim->have_gid = true;
		}
		if (groups) {
			const char *p = groups + 8;
			int used;

			while (lim->nr_groups < 64 &&
			       sscanf(p, " %u%n", &r, &used) == 1 && *p != '\n') {
				lim->groups[lim->nr_groups++] = r;
				p += used;
			}
		}
		if (vms && vmd && sscanf(vms + 8, " %llu", &v) == 1 &&
		    sscanf(vmd + 8, " %llu", &d) == 1) {
			lim->vm_size = v << 10;
			lim->vm_data = d << 10;
			lim->have_vm = true;
		}
		free(buf);
	} else if (rc != -ENOENT) {
		return rc;
	}


	/* The same count `hpdiag vma` makes. */
	rc = vma_count(sr, pid, &lim->vma_count);
	if (rc == -ENOENT) {
		snprintf(path, sizeof(path), PATH_PROC_MAPS, who);
		return sysroot_fail(sr, ENOENT, path, "missing");
	}
	if (rc < 0)
		return rc;

	snprintf(path, sizeof(path), PATH_PROC_FD, who);
	rc = sysroot_list(sr, path, &fds, &nfd);
	if (rc == 0) {
		lim->fd_count = nfd;
		lim->have_fd_count = true;
		/* A snapshot keeps the links, so a replay counts the same fds. */
		for (size_t i = 0; i < nfd && sr->recordfd >= 0; i++) {
			char link[128], target[4096];

			snprintf(link, sizeof(link), "%s/%s", path, fds[i]);
			sysroot_readlink(sr, link, target, sizeof(target));
		}
		sysroot_names_free(fds, nfd);
	} else if (rc != -ENOENT && rc != -EACCES) {
		sr->err[0] = '\0';	/* unreadable fds are not fatal */
	}
	return 0;
}

/* --- cgroups --------------------------------------------------------------- */

/* Reads a cgroup limit file: "max" or a number; huge v1 values = unlimited. */
static int cg_value(struct sysroot *sr, const char *path, uint64_t *val)
{
	char word[64];
	int rc;

	rc = sysroot_read_word(sr, path, word, sizeof(word));
	if (rc < 0)
		return rc;
	if (!strcmp(word, "max")) {
		*val = HP_UNLIMITED;
		return 0;
	}
	if (parse_u64(word, val) < 0)
		return sysroot_fail(sr, EINVAL, path, "not a number: '%s'", word);
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
static int cg_walk(struct sysroot *sr, struct cgroup *cg, const char *mnt,
		   const char *cgpath, const char *limit_file,
		   const char *usage_file, uint64_t page_size)
{
	char dir[2048], path[2300], best_file[2300] = "";
	uint64_t best = HP_UNLIMITED, usage = 0;
	bool seen = false, have_usage = false;
	int rc;

	snprintf(dir, sizeof(dir), "%s%s", mnt, cgpath && strcmp(cgpath, "/") ? cgpath : "");
	for (;;) {
		uint64_t v;
		char *slash;

		snprintf(path, sizeof(path), "%s/%s", dir, limit_file);
		rc = cg_value(sr, path, &v);
		if (rc == 0) {
			seen = true;
			if (v < best) {
				best = v;
				snprintf(best_file, sizeof(best_file), "%s", path);
			}
			if (!have_usage) {
				snprintf(path, sizeof(path), "%s/%s", dir, usage_file);
				have_usage = cg_value(sr, path, &usage) == 0;
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
	sr->err[0] = '\0';
	if (!seen)
		return 0;
	return cg_add(cg, page_size, best, have_usage ? usage : 0,
		      best_file[0] ? best_file : NULL);
}

int cgroup_scan(struct sysroot *sr, pid_t pid, const struct snapshot *snap,
		struct cgroup *cg)
{
	char who[24], path[64], *buf, *line, *save = NULL;
	char *v2path = NULL, *hugetlb_path = NULL, *memory_path = NULL;
	int rc;

	pid_word(pid, who, sizeof(who));
	snprintf(path, sizeof(path), PATH_PROC_CGROUP, who);
	rc = sysroot_read(sr, path, &buf, NULL);
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
			return sysroot_fail(sr, EINVAL, path,
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
			rc = cg_walk(sr, cg, cg->v1_hugetlb, hugetlb_path, lf, uf,
				     snap->pools[i].page_size);
		} else if (cg->version == 2) {
			snprintf(lf, sizeof(lf), "hugetlb.%s.max", name);
			snprintf(uf, sizeof(uf), "hugetlb.%s.current", name);
			rc = cg_walk(sr, cg, cg->v2_mount, v2path, lf, uf,
				     snap->pools[i].page_size);
		}
	}
	if (rc == 0 && v2path && cg->v2_mount)
		rc = cg_walk(sr, cg, cg->v2_mount, v2path, "memory.max",
			     "memory.current", 0);
	else if (rc == 0 && memory_path && cg->v1_memory)
		rc = cg_walk(sr, cg, cg->v1_memory, memory_path,
			     "memory.limit_in_bytes", "memory.usage_in_bytes", 0);
	free(buf);
	return rc;
}

/* --- buddyinfo, cmdline, THP ------------------------------------------------ */

struct buddy_ctx {
	struct sysroot *sr;
	struct snapshot *snap;
	size_t lineno;
};

static int buddy_line(const char *line, size_t len, void *ctx)
{
	struct buddy_ctx *bc = ctx;
	struct buddy_zone z, *nz;
	char copy[512];

	bc->lineno++;
	if (len == 0)
		return 0;
	if (len >= sizeof(copy))
		return sysroot_fail(bc->sr, EINVAL, PATH_BUDDYINFO,
				    "line %zu is too long", bc->lineno);
	memcpy(copy, line, len);
	copy[len] = '\0';
	if (parse_buddy_line(copy, &z) < 0)
		return sysroot_fail(bc->sr, EINVAL, PATH_BUDDYINFO,
				    "line %zu is not 'Node N, zone NAME counts...'",
				    bc->lineno);
	nz = realloc(bc->snap->buddy, (bc->snap->nr_buddy + 1) * sizeof(*nz));
	if (!nz)
		return -ENOMEM;
	bc->snap->buddy = nz;
	nz[bc->snap->nr_buddy++] = z;
	return 0;
}

int buddy_scan(struct sysroot *sr, struct snapshot *snap)
{
	struct buddy_ctx bc = { .sr = sr, .snap = snap };
	char *buf;
	int rc;

	rc = sysroot_lines(sr, PATH_BUDDYINFO, buddy_line, &bc);
	if (rc < 0 && rc != -ENOENT)
		return rc;
	rc = sysroot_read(sr, PATH_CMDLINE, &buf, NULL);
	if (rc == 0) {
		buf[strcspn(buf, "\n")] = '\0';
		snap->cmdline = buf;
	} else if (rc != -ENOENT) {
		return rc;
	}
	rc = sysroot_read(sr, PATH_THP_ENABLED, &buf, NULL);
	if (rc == 0) {
		char *open = strchr(buf, '['), *close = open ? strchr(open, ']') : NULL;

		if (open && close && (size_t)(close - open - 1) < sizeof(snap->thp)) {
			memcpy(snap->thp, open + 1, (size_t)(close - open - 1));
			snap->thp[close - open - 1] = '\0';
		}
		free(buf);
	} else if (rc != -ENOENT) {
		return rc;
	}
	return 0;
}
