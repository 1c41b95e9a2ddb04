// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cgroup-files.c - the files of one cgroup, for cgroup.c: a limit or a
 * usage ("max" or bytes), v2's events, v1's and v2's hugetlb files of one
 * page size read into a struct cgroup_stat, where a cgroup's directory is
 * in a hierarchy's mount (a container mounts its own cgroup as the top),
 * and the pure parsers of /proc/PID/cgroup and of an events file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/cgroup.h"
#include "probe/parse.h"

/*
 * A cgroup value file: "max" or a number; v1's huge values are unlimited.
 * -ENOENT when absent; a malformed file is named, unless QUIET (a process
 * of the users scan, which may go away while it is read).
 */
int cg_value(struct probe *p, const char *path, bool quiet, uint64_t *val)
{
	char word[64];
	int rc;

	rc = sysroot_read_word(p->sr, path, word, sizeof(word));
	if (rc == -ENOENT || (rc < 0 && quiet))
		return rc < 0 ? rc : -ENOENT;
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
		*val = HP_UNLIMITED;	/* PAGE_COUNTER_MAX, in bytes */
	return 0;
}

int parse_cgroup_events(const char *buf, const char *key, uint64_t *val)
{
	size_t kl = strlen(key);

	for (const char *line = buf; line && *line; ) {
		const char *end = strchr(line, '\n');
		char num[32];
		size_t nl;

		if (!strncmp(line, key, kl) && line[kl] == ' ') {
			nl = (end ? (size_t)(end - line) : strlen(line)) - kl - 1;
			if (nl == 0 || nl >= sizeof(num))
				return -EINVAL;
			memcpy(num, line + kl + 1, nl);
			num[nl] = '\0';
			return parse_u64(num, val);
		}
		line = end ? end + 1 : NULL;
	}
	return -EINVAL;
}

/* The "max N" line of a v2 hugetlb events file. */
int cg_events(struct probe *p, const char *path, bool quiet, uint64_t *val)
{
	char *buf;
	int rc;

	rc = sysroot_read(p->sr, path, &buf, NULL);
	if (rc == -ENOENT || (rc < 0 && quiet))
		return rc;
	if (rc < 0)
		return probe_fail_io(p, rc, path);
	rc = parse_cgroup_events(buf, "max", val);
	free(buf);
	if (rc < 0 && !quiet)
		return probe_fail(p, EINVAL, path, "expected a 'max N' line");
	return rc;
}

/*
 * The directory of cgroup PATH in hierarchy M, and the cgroup at the top
 * of what M shows: -ENOENT when PATH lies outside the part mounted there
 * (a container sees only its own subtree).
 */
int cg_dir(const struct cgroup_mnt *m, const char *path, char *buf,
		  size_t size)
{
	size_t rl;
	const char *rest;

	if (!m->dir || !m->root)
		return -ENOENT;
	rl = strlen(m->root);
	if (!strcmp(m->root, "/"))
		rest = path;
	else if (!strncmp(path, m->root, rl) && (path[rl] == '/' || !path[rl]))
		rest = path + rl;
	else
		return -ENOENT;
	if (!strcmp(rest, "/"))
		rest = "";
	if ((size_t)snprintf(buf, size, "%s%s", m->dir, rest) >= size)
		return -ENAMETOOLONG;
	return 0;
}

/* Goes up one level: DIR and PATH lose their last component; false at
 * the top of the hierarchy's mount. */
bool cg_up(const struct cgroup_mnt *m, char *dir, char *path)
{
	char *slash;

	if (strlen(dir) <= strlen(m->dir))
		return false;
	slash = strrchr(dir, '/');
	if (!slash || (size_t)(slash - dir) < strlen(m->dir))
		return false;
	*slash = '\0';
	slash = strrchr(path, '/');
	if (slash)
		slash[slash == path ? 1 : 0] = '\0';
	return true;
}

/* One level's own hugetlb files for page size PS: -ENOENT when it has
 * none (the v2 root, or a cgroup without the controller). */
int cg_stat_read(struct probe *p, int version, const char *dir,
			uint64_t ps, bool quiet, struct cgroup_stat *st)
{
	char name[16], path[2400];
	uint64_t v = 0;
	int rc;

	format_cgroup_size(ps, name, sizeof(name));
	memset(st, 0, sizeof(*st));
	st->version = version;
	st->page_size = ps;
	st->rsvd_limit = HP_UNLIMITED;
#define CG_FILE(fmt) (snprintf(path, sizeof(path), "%s/hugetlb.%s." fmt, dir, name), path)
	if (version == 1)
		rc = cg_value(p, CG_FILE("limit_in_bytes"), quiet, &st->limit);
	else
		rc = cg_value(p, CG_FILE("max"), quiet, &st->limit);
	if (rc < 0)
		return rc;
	rc = cg_value(p, version == 1 ? CG_FILE("usage_in_bytes") : CG_FILE("current"),
		      quiet, &st->usage);
	if (rc < 0 && rc != -ENOENT)
		return rc;
	if (st->usage == HP_UNLIMITED)
		st->usage = 0;
	if (version == 1 && (rc = cg_value(p, CG_FILE("max_usage_in_bytes"), quiet,
					   &st->max_usage)) < 0 && rc != -ENOENT)
		return rc;
	/* Reservation limits: Linux 5.7 and later. */
	rc = cg_value(p, version == 1 ? CG_FILE("rsvd.limit_in_bytes") :
		      CG_FILE("rsvd.max"), quiet, &st->rsvd_limit);
	if (rc == 0) {
		st->have_rsvd = true;
		rc = cg_value(p, version == 1 ? CG_FILE("rsvd.usage_in_bytes") :
			      CG_FILE("rsvd.current"), quiet, &st->rsvd_usage);
		if (st->rsvd_usage == HP_UNLIMITED)
			st->rsvd_usage = 0;
	}
	if (rc < 0 && rc != -ENOENT)
		return rc;
	if (version == 2) {
		rc = cg_events(p, CG_FILE("events"), quiet, &st->hits);
		st->have_hits = rc == 0;
	} else {
		rc = cg_value(p, CG_FILE("failcnt"), quiet, &st->hits);
		st->have_hits = rc == 0;
		if (rc == 0 && (rc = cg_value(p, CG_FILE("rsvd.failcnt"), quiet, &v)) == 0)
			st->hits += v;
	}
#undef CG_FILE
	return rc < 0 && rc != -ENOENT ? rc : 0;
}

/* True when the comma-separated CONTROLLERS name WHICH. */
bool has_controller(const char *controllers, const char *which)
{
	size_t wl = strlen(which);

	for (const char *c = controllers; c && *c; ) {
		size_t len = strcspn(c, ",");

		if (len == wl && !strncmp(c, which, wl))
			return true;
		c += len + (c[len] == ',');
	}
	return false;
}

int parse_cgroup_file(const char *buf, const char *controller, char *v2path,
		      size_t v2size, char *path, size_t size)
{
	bool v2 = false, v1 = false;

	v2path[0] = path[0] = '\0';
	for (const char *line = buf; line && *line; ) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		const char *c1 = memchr(line, ':', len), *c2;
		size_t plen;

		c2 = c1 ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line)) : NULL;
		if (len && (!c1 || !c2 || c2[1] != '/'))
			return -EINVAL;
		if (len) {
			char ctl[256];
			size_t cl = (size_t)(c2 - c1 - 1);

			plen = len - (size_t)(c2 + 1 - line);
			if (cl >= sizeof(ctl))
				return -EINVAL;
			memcpy(ctl, c1 + 1, cl);
			ctl[cl] = '\0';
			if (c1 - line == 1 && line[0] == '0' && !cl && !v2) {
				if (plen >= v2size)
					return -ENAMETOOLONG;
				memcpy(v2path, c2 + 1, plen);
				v2path[plen] = '\0';
				v2 = true;
			} else if (controller && has_controller(ctl, controller) && !v1) {
				if (plen >= size)
					return -ENAMETOOLONG;
				memcpy(path, c2 + 1, plen);
				path[plen] = '\0';
				v1 = true;
			}
		}
		line = end ? end + 1 : NULL;
	}
	return 0;
}
