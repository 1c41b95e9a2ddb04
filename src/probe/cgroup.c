// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cgroup.c - the cgroup hugetlb and memory limits that bound a process:
 * which hierarchy each controller is on (cgroup v1, the v2 unified
 * hierarchy at /sys/fs/cgroup, or both on a hybrid host), the process's
 * cgroup in each (/proc/PID/cgroup, or --cgroup PATH before anything runs
 * there), and every level from it up to the top of the hierarchy, since a
 * parent's limit binds its children too.  Per page size: the fault-time
 * limit and usage, the reservation (rsvd) limit and usage, and how often
 * the kernel refused a charge.  With the users probed, the same for the
 * cgroups of every process that holds hugepages, for the fleet's metrics.
 * Where the hierarchies are mounted comes from mounts.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/pathnames.h"
#include "lib/proc.h"
#include "probe/cgroup.h"
#include "probe/parse.h"

/* The most cgroups of hugepage users read for the metrics. */
#define MAX_USER_CGROUPS	256

static int stat_add(struct cgroup *cg, const struct cgroup_stat *st,
		    const char *path, const char *dir, pid_t user)
{
	struct cgroup_stat *ns;

	for (size_t i = 0; i < cg->nr_stats; i++)
		if (cg->stats[i].page_size == st->page_size &&
		    !strcmp(cg->stats[i].dir, dir)) {
			if (!cg->stats[i].user)
				cg->stats[i].user = user;
			return 0;
		}
	ns = realloc(cg->stats, (cg->nr_stats + 1) * sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	cg->stats = ns;
	ns[cg->nr_stats] = *st;
	ns[cg->nr_stats].path = strdup(path);
	ns[cg->nr_stats].dir = strdup(dir);
	ns[cg->nr_stats].user = user;
	if (!ns[cg->nr_stats].path || !ns[cg->nr_stats].dir) {
		free(ns[cg->nr_stats].path);
		free(ns[cg->nr_stats].dir);
		return -ENOMEM;
	}
	cg->nr_stats++;
	return 0;
}

static int limit_add(struct cgroup *cg, const struct cgroup_limit *l)
{
	struct cgroup_limit *nl;

	nl = realloc(cg->limits, (cg->nr_limits + 1) * sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	cg->limits = nl;
	nl[cg->nr_limits++] = *l;
	return 0;
}

/* Copies S into *DST, replacing what was there. */
static int set_str(char **dst, const char *s)
{
	char *n = strdup(s);

	if (!n)
		return -ENOMEM;
	free(*dst);
	*dst = n;
	return 0;
}

/*
 * The hugetlb levels of cgroup PATH for page size PS, from it up to the
 * top of hierarchy M: each kept in the stats (the cgroup itself, and
 * every level that sets a limit); into L (when not NULL) the level with
 * the least room for faults and for reservations.  *SEEN: a level had
 * the files.
 */
static int hugetlb_walk(struct probe *p, struct cgroup *cg, const struct cgroup_mnt *m,
			int version, const char *cgpath, uint64_t ps, pid_t user,
			bool quiet, struct cgroup_limit *l, bool *seen)
{
	char dir[2048], path[2048];
	uint64_t room = HP_UNLIMITED, rsvd_room = HP_UNLIMITED;
	bool leaf = true;
	int rc;

	*seen = false;
	if (cg_dir(m, cgpath, dir, sizeof(dir)) < 0)
		return 0;
	snprintf(path, sizeof(path), "%s", cgpath);
	do {
		struct cgroup_stat st;

		rc = cg_stat_read(p, version, dir, ps, quiet, &st);
		if (rc == -ENOENT || (rc < 0 && quiet))
			continue;
		if (rc < 0)
			return rc;
		if (version == 2 && m->dir && !strcmp(dir, m->dir))
			cg->container = true;	/* the v2 root has no such files */
		if ((leaf || st.limit != HP_UNLIMITED ||
		     (st.have_rsvd && st.rsvd_limit != HP_UNLIMITED)) &&
		    (rc = stat_add(cg, &st, path, dir, leaf ? user : 0)) < 0)
			return rc;
		if (!*seen && l) {
			/* The refusals: v2 counts them in the events of the
			 * cgroup whose process was refused (and its parents);
			 * v1 at the level whose limit refused. */
			l->hits = st.hits;
			l->have_hits = st.have_hits;
			l->usage = st.usage;
			l->rsvd_usage = st.rsvd_usage;
		} else if (l && version == 1) {
			l->hits += st.hits;
		}
		*seen = true;
		if (!l)
			continue;
		if (st.limit != HP_UNLIMITED && hp_sat_sub(st.limit, st.usage) < room) {
			room = hp_sat_sub(st.limit, st.usage);
			l->limit = st.limit;
			l->usage = st.usage;
			if ((rc = set_str(&l->cgroup, path)) < 0 ||
			    (rc = set_str(&l->file, dir)) < 0)
				return rc;
		}
		if (st.have_rsvd && st.rsvd_limit != HP_UNLIMITED &&
		    hp_sat_sub(st.rsvd_limit, st.rsvd_usage) < rsvd_room) {
			rsvd_room = hp_sat_sub(st.rsvd_limit, st.rsvd_usage);
			l->rsvd_limit = st.rsvd_limit;
			l->rsvd_usage = st.rsvd_usage;
			if ((rc = set_str(&l->rsvd_file, dir)) < 0 ||
			    (rc = set_str(&l->rsvd_cgroup, path)) < 0)
				return rc;
		}
	} while ((leaf = false, cg_up(m, dir, path)));
	return 0;
}

/* The names of the files hugetlb_walk() found the limits in. */
static int limit_files(struct cgroup_limit *l, int version)
{
	char name[16], buf[2400];

	format_cgroup_size(l->page_size, name, sizeof(name));
	if (l->file) {
		snprintf(buf, sizeof(buf), "%s/hugetlb.%s.%s", l->file, name,
			 version == 1 ? "limit_in_bytes" : "max");
		if (set_str(&l->file, buf) < 0)
			return -ENOMEM;
	}
	if (l->rsvd_file) {
		snprintf(buf, sizeof(buf), "%s/hugetlb.%s.%s", l->rsvd_file, name,
			 version == 1 ? "rsvd.limit_in_bytes" : "rsvd.max");
		if (set_str(&l->rsvd_file, buf) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* The memory controller's limit with the least room on the path up. */
static int memory_walk(struct probe *p, struct cgroup *cg, const struct cgroup_mnt *m,
		       int version, const char *cgpath)
{
	const char *lf = version == 1 ? "memory.limit_in_bytes" : "memory.max";
	const char *uf = version == 1 ? "memory.usage_in_bytes" : "memory.current";
	struct cgroup_limit l = { .version = version, .limit = HP_UNLIMITED,
				  .rsvd_limit = HP_UNLIMITED };
	char dir[2048], path[2048], file[2400];
	uint64_t room = HP_UNLIMITED;
	bool seen = false;
	int rc = 0;

	if (cg_dir(m, cgpath, dir, sizeof(dir)) < 0)
		return 0;
	snprintf(path, sizeof(path), "%s", cgpath);
	do {
		uint64_t v = HP_UNLIMITED, u = 0;

		snprintf(file, sizeof(file), "%s/%s", dir, lf);
		rc = cg_value(p, file, false, &v);
		if (rc == -ENOENT)
			continue;
		if (rc < 0)
			goto fail;
		if (version == 2 && m->dir && !strcmp(dir, m->dir))
			cg->container = true;
		snprintf(file, sizeof(file), "%s/%s", dir, uf);
		if ((rc = cg_value(p, file, false, &u)) < 0 && rc != -ENOENT)
			goto fail;
		if (u == HP_UNLIMITED)
			u = 0;
		if (!seen || (v != HP_UNLIMITED && hp_sat_sub(v, u) < room)) {
			if (v != HP_UNLIMITED)
				room = hp_sat_sub(v, u);
			l.limit = v;
			l.usage = u;
			snprintf(file, sizeof(file), "%s/%s", dir, lf);
			if ((rc = set_str(&l.file, file)) < 0 ||
			    (rc = set_str(&l.cgroup, path)) < 0)
				goto fail;
		}
		seen = true;
	} while (cg_up(m, dir, path));
	if (!seen)
		return 0;
	if ((rc = limit_add(cg, &l)) == 0)
		return 0;
fail:
	free(l.file);
	free(l.cgroup);
	return rc;
}

/* Whether the v2 hierarchy offers CONTROLLER: its top's cgroup.controllers
 * (a tree captured without that file: assumed). */
static bool v2_offers(struct probe *p, const struct cgroup *cg, const char *controller)
{
	char path[2100], *buf;
	bool yes;

	snprintf(path, sizeof(path), "%s/cgroup.controllers", cg->v2.dir);
	if (sysroot_read(p->sr, path, &buf, NULL) < 0)
		return true;
	buf[strcspn(buf, "\n")] = '\0';
	for (char *c = buf; *c; c++)
		if (*c == ' ')
			*c = ',';
	yes = has_controller(buf, controller);
	free(buf);
	return yes;
}

/*
 * --cgroup PATH: a cgroup as /proc/PID/cgroup names it ("/kubepods/pod1"),
 * or its directory under a hierarchy's mount; into BUF, as the former.
 */
static int given_path(struct probe *p, const struct cgroup *cg, const char *arg,
		      char *buf, size_t size)
{
	const struct cgroup_mnt *ms[] = { &cg->v2, &cg->v1_hugetlb, &cg->v1_memory };

	if (arg[0] != '/')
		return hp_fail(&p->err, EINVAL, "--cgroup %s: not an absolute path", arg);
	for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		size_t dl = ms[i]->dir ? strlen(ms[i]->dir) : 0;
		const char *rest;

		if (!dl || strncmp(arg, ms[i]->dir, dl) || (arg[dl] != '/' && arg[dl]))
			continue;
		rest = arg + dl;
		if (strcmp(ms[i]->root, "/"))
			snprintf(buf, size, "%s%s", ms[i]->root, rest);
		else
			snprintf(buf, size, "%s", *rest ? rest : "/");
		return 0;
	}
	snprintf(buf, size, "%s", arg);
	/* Strip a trailing slash: "/kubepods/" is "/kubepods". */
	for (size_t l = strlen(buf); l > 1 && buf[l - 1] == '/'; l--)
		buf[l - 1] = '\0';
	return 0;
}

/* The given cgroup must exist in a hierarchy hpdiag reads. */
static int given_exists(struct probe *p, const struct cgroup *cg, const char *cgpath)
{
	const struct cgroup_mnt *ms[] = { &cg->v2, &cg->v1_hugetlb, &cg->v1_memory };
	char dir[2100];
	bool any = false;

	for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		int fd;

		if (!ms[i]->dir)
			continue;
		any = true;
		if (cg_dir(ms[i], cgpath, dir, sizeof(dir)) < 0)
			continue;
		fd = sysroot_openat(p->sr, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
	}
	return hp_fail(&p->err, ENOENT, "--cgroup %s: no such cgroup %s%s%s%s%s%s",
		       cgpath, any ? "in the hierarchies mounted at " :
		       "(no cgroup hierarchy is mounted)", cg->v2.dir ? cg->v2.dir : "",
		       cg->v2.dir && cg->v1_hugetlb.dir ? ", " : "",
		       cg->v1_hugetlb.dir ? cg->v1_hugetlb.dir : "",
		       (cg->v2.dir || cg->v1_hugetlb.dir) && cg->v1_memory.dir ? ", " : "",
		       cg->v1_memory.dir ? cg->v1_memory.dir : "");
}

/* The hugetlb and memory limits of CG's cgroups (paths set). */
static int cgroup_limits(struct probe *p, const struct snapshot *snap,
			 struct cgroup *cg)
{
	const struct cgroup_mnt *hm = cg->version == 1 ? &cg->v1_hugetlb : &cg->v2;
	const struct cgroup_mnt *mm = cg->memory_version == 1 ? &cg->v1_memory : &cg->v2;
	char dir[2100];
	int rc;

	if (cg->version && cg_dir(hm, cg->path, dir, sizeof(dir)) < 0)
		cg->hidden = true;
	for (size_t i = 0; cg->version && i < snap->nr_pools; i++) {
		struct cgroup_limit l = {
			.page_size = snap->pools[i].page_size, .version = cg->version,
			.limit = HP_UNLIMITED, .rsvd_limit = HP_UNLIMITED,
		};
		bool seen;

		rc = hugetlb_walk(p, cg, hm, cg->version, cg->path, l.page_size,
				  0, false, &l, &seen);
		if (rc == 0 && seen)
			rc = limit_files(&l, cg->version);
		if (rc == 0 && seen && (rc = limit_add(cg, &l)) == 0)
			continue;
		free(l.file);
		free(l.cgroup);
		free(l.rsvd_file);
		free(l.rsvd_cgroup);
		if (rc < 0)
			return rc;
	}
	if (cg->memory_version)
		return memory_walk(p, cg, mm, cg->memory_version, cg->memory_path);
	return 0;
}

/* The cgroups of the processes that hold hugepages, for the metrics. */
static int cgroup_users(struct probe *p, const struct snapshot *snap, struct cgroup *cg)
{
	const struct cgroup_mnt *hm = cg->version == 1 ? &cg->v1_hugetlb : &cg->v2;
	size_t n, found = 0;
	pid_t *pids;
	int rc;

	if (!cg->version)
		return 0;
	rc = proc_list(p->sr, &pids, &n);
	if (rc < 0)
		return rc == -ENOMEM ? rc : 0;
	for (size_t i = 0; i < n && found < MAX_USER_CGROUPS; i++) {
		char path[64], v2path[2048], v1path[2048], *buf;
		struct proc_status st;
		const char *cgpath;

		if (sysroot_read(p->sr, proc_path(path, sizeof(path), pids[i],
						  PROC_STATUS), &buf, NULL) < 0)
			continue;
		memset(&st, 0, sizeof(st));
		proc_status_parse(buf, &st);
		free(buf);
		if (!st.have_hugetlb || !st.hugetlb_bytes)
			continue;
		if (sysroot_read(p->sr, proc_path(path, sizeof(path), pids[i],
						  PROC_CGROUP), &buf, NULL) < 0)
			continue;
		rc = parse_cgroup_file(buf, "hugetlb", v2path, sizeof(v2path),
				       v1path, sizeof(v1path));
		free(buf);
		cgpath = cg->version == 1 ? v1path : v2path;
		if (rc < 0 || !*cgpath)
			continue;
		found++;
		for (size_t k = 0; k < snap->nr_pools; k++) {
			bool seen;

			rc = hugetlb_walk(p, cg, hm, cg->version, cgpath,
					  snap->pools[k].page_size, pids[i], true,
					  NULL, &seen);
			if (rc == -ENOMEM) {
				free(pids);
				return rc;
			}
		}
	}
	free(pids);
	return 0;
}

int cgroup_scan(struct probe *p, pid_t pid, const struct snapshot *snap,
		struct cgroup *cg, bool users)
{
	char path[64], v2path[2048] = "", hpath[2048] = "", mpath[2048] = "";
	char given[2048];
	char dir[2100];
	char *buf = NULL;
	int rc;

	if (p->cgroup) {
		rc = given_path(p, cg, p->cgroup, given, sizeof(given));
		if (rc == 0)
			rc = given_exists(p, cg, given);
		if (rc < 0)
			return rc;
		cg->given = true;
		snprintf(v2path, sizeof(v2path), "%s", given);
		snprintf(hpath, sizeof(hpath), "%s", given);
		snprintf(mpath, sizeof(mpath), "%s", given);
	} else {
		rc = probe_read(p, proc_path(path, sizeof(path), pid, PROC_CGROUP),
				false, &buf, NULL);
		if (rc == -ENOENT)
			return 0;
		if (rc < 0)
			return rc;
		rc = parse_cgroup_file(buf, "hugetlb", v2path, sizeof(v2path),
				       hpath, sizeof(hpath));
		if (rc == 0)
			rc = parse_cgroup_file(buf, "memory", v2path, sizeof(v2path),
					       mpath, sizeof(mpath));
		free(buf);
		if (rc < 0)
			return probe_fail(p, -rc, path, "expected 'ID:CONTROLLERS:/PATH' "
					  "lines");
	}
	/* A controller is on a v1 hierarchy when one is mounted with it;
	 * else on v2 if the unified hierarchy offers it (and hugetlb only on
	 * a kernel with hugetlb). */
	if (cg->v1_hugetlb.dir && hpath[0]) {
		cg->version = 1;
		cg->path = strdup(hpath);
	} else if (cg->v2.dir && v2path[0] && snap->nr_pools &&
		   v2_offers(p, cg, "hugetlb")) {
		cg->version = 2;
		cg->path = strdup(v2path);
	}
	if (cg->v1_memory.dir && mpath[0]) {
		cg->memory_version = 1;
		cg->memory_path = strdup(mpath);
	} else if (cg->v2.dir && v2path[0] && v2_offers(p, cg, "memory")) {
		cg->memory_version = 2;
		cg->memory_path = strdup(v2path);
	}
	if ((cg->version && !cg->path) || (cg->memory_version && !cg->memory_path))
		return -ENOMEM;
	/* A cgroup mounted as the top of a hierarchy: a container's view. */
	if ((cg->v2.dir && strcmp(cg->v2.root, "/")) ||
	    (cg->v1_hugetlb.dir && strcmp(cg->v1_hugetlb.root, "/")) ||
	    (cg->v1_memory.dir && strcmp(cg->v1_memory.root, "/")))
		cg->container = true;
	if (cg->v2.dir) {
		snprintf(dir, sizeof(dir), "%s/cgroup.events", cg->v2.dir);
		if (sysroot_read(p->sr, dir, &buf, NULL) == 0) {
			cg->container = true;	/* only a cgroup below the root has it */
			free(buf);
		}
	}
	if ((cg->path && strstr(cg->path, "/kubepods")) ||
	    (cg->memory_path && strstr(cg->memory_path, "/kubepods")))
		cg->pod = true;
	rc = cgroup_limits(p, snap, cg);
	if (rc == 0 && users)
		rc = cgroup_users(p, snap, cg);
	return rc;
}

int cgroup_hits(struct probe *p, const struct cgroup *cg, uint64_t page_size,
		uint64_t *hits)
{
	const struct cgroup_mnt *hm = cg->version == 1 ? &cg->v1_hugetlb : &cg->v2;
	char dir[2048], path[2048];
	int rc;

	*hits = 0;
	if (!cg->version || !cg->path || cg_dir(hm, cg->path, dir, sizeof(dir)) < 0)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s", cg->path);
	do {
		struct cgroup_stat st;

		rc = cg_stat_read(p, cg->version, dir, page_size, true, &st);
		if (rc < 0 || !st.have_hits)
			continue;
		*hits += st.hits;
		if (cg->version == 2)
			return 0;	/* the subtree's count is in its events */
	} while (cg_up(hm, dir, path));
	return 0;
}

int cgroup_dir(const struct cgroup *cg, char *buf, size_t size)
{
	const struct cgroup_mnt *hm = cg->version == 1 ? &cg->v1_hugetlb : &cg->v2;

	if (!cg->version || !cg->path)
		return -ENOENT;
	return cg_dir(hm, cg->path, buf, size);
}
