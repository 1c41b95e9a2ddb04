// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proc.c - the /proc/PID helpers (see proc.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/num.h"
#include "lib/pathnames.h"
#include "lib/proc.h"
#include "lib/rooted.h"

char *proc_path(char *buf, size_t size, pid_t pid, const char *file)
{
	char who[16];

	if (pid)
		snprintf(who, sizeof(who), "%d", (int)pid);
	else
		snprintf(who, sizeof(who), "self");
	snprintf(buf, size, "/proc/%s%s%s", who, *file ? "/" : "", file);
	return buf;
}

int parse_stat_start(const char *stat, uint64_t *start)
{
	/* "PID (comm) S ppid ...": comm may hold spaces and ')'. */
	const char *p = strrchr(stat, ')');
	unsigned field = 2;

	if (!p)
		return -EINVAL;
	for (p++; *p && field < 22; ) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (++field == 22) {
			char num[24];
			size_t len = strcspn(p, " \n");

			if (!len || len >= sizeof(num))
				return -EINVAL;
			memcpy(num, p, len);
			num[len] = '\0';
			return parse_u64(num, start);
		}
		p += strcspn(p, " ");
	}
	return -EINVAL;
}

int proc_start_time(struct sysroot *sr, pid_t pid, uint64_t *start)
{
	char path[48], *buf;
	int rc;

	rc = sysroot_read(sr, proc_path(path, sizeof(path), pid, PROC_STAT), &buf, NULL);
	if (rc < 0)
		return rc;
	rc = parse_stat_start(buf, start);
	free(buf);
	return rc;
}

void proc_guard_take(struct sysroot *sr, pid_t pid, struct proc_guard *g)
{
	g->pid = pid;
	g->have = pid && proc_start_time(sr, pid, &g->start) == 0;
}

int proc_guard_take_comm(struct sysroot *sr, pid_t pid, struct proc_guard *g,
			 char *comm, size_t size)
{
	char path[48], *buf;
	const char *open_paren, *close_paren;
	int rc;

	g->pid = pid;
	g->have = false;
	if (size)
		comm[0] = '\0';
	rc = sysroot_read(sr, proc_path(path, sizeof(path), pid, PROC_STAT), &buf, NULL);
	if (rc < 0)
		return rc;
	/* "PID (comm) S ...": the name may hold spaces and ')'. */
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (open_paren && close_paren > open_paren && size) {
		size_t len = (size_t)(close_paren - open_paren - 1);

		if (len >= size)
			len = size - 1;
		memcpy(comm, open_paren + 1, len);
		comm[len] = '\0';
	}
	g->have = pid && parse_stat_start(buf, &g->start) == 0;
	free(buf);
	return 0;
}

bool proc_guard_holds(struct sysroot *sr, const struct proc_guard *g)
{
	uint64_t now;

	return !g->have || (proc_start_time(sr, g->pid, &now) == 0 && now == g->start);
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return x < y ? -1 : x > y;
}

int proc_list(struct sysroot *sr, pid_t **pidsp, size_t *np)
{
	char **names;
	size_t n, k = 0;
	pid_t *pids;
	int rc;

	*pidsp = NULL;
	*np = 0;
	rc = sysroot_list(sr, "/proc", &names, &n);
	if (rc < 0)
		return rc;
	pids = calloc(n ? n : 1, sizeof(*pids));
	if (!pids) {
		sysroot_names_free(names, n);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t pid;

		if (parse_u64(names[i], &pid) == 0 && pid && pid <= 0x7fffffff)
			pids[k++] = (pid_t)pid;
	}
	sysroot_names_free(names, n);
	qsort(pids, k, sizeof(*pids), cmp_pid);
	*pidsp = pids;
	*np = k;
	return 0;
}

/* The first number after KEY at the start of a line of TEXT, or false. */
static bool status_field(const char *text, const char *key, unsigned long long *v)
{
	size_t kl = strlen(key);

	for (const char *p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, kl))
			return sscanf(p + kl, " %llu", v) == 1;
	return false;
}

void proc_status_parse(const char *buf, struct proc_status *st)
{
	unsigned long long v, d;
	const char *p;
	unsigned r, e;
	int used;

	memset(st, 0, sizeof(*st));
	for (p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, "CapEff:", 7) && sscanf(p + 7, " %llx", &v) == 1) {
			st->cap_eff = v;
			st->have_caps = true;
		} else if (!strncmp(p, "Uid:", 4) && sscanf(p + 4, " %u %u", &r, &e) == 2) {
			st->uid = e;
			st->have_uid = true;
		} else if (!strncmp(p, "Gid:", 4) && sscanf(p + 4, " %u %u", &r, &e) == 2) {
			st->gid = e;
			st->have_gid = true;
		} else if (!strncmp(p, "Groups:", 7)) {
			const char *g = p + 7;

			while (st->nr_groups < PROC_MAX_GROUPS && *g != '\n' &&
			       sscanf(g, " %u%n", &r, &used) == 1) {
				st->groups[st->nr_groups++] = r;
				g += used;
			}
		}
	}
	if (status_field(buf, "VmSize:", &v) &&
	    status_field(buf, "VmData:", &d)) {
		st->vm_size = (uint64_t)v << 10;
		st->vm_data = (uint64_t)d << 10;
		st->have_vm = true;
	}
	if (status_field(buf, "HugetlbPages:", &v)) {
		st->hugetlb_bytes = (uint64_t)v << 10;
		st->have_hugetlb = true;
	}
	if (status_field(buf, "Threads:", &v))
		st->threads = (unsigned)v;
}

static const char *hex(const char *p, const char *end, uint64_t *v)
{
	uint64_t x = 0;
	const char *start = p;

	for (; p < end; p++) {
		unsigned c = (unsigned char)*p, d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			break;
		x = x << 4 | d;
	}
	*v = x;
	return p == start || p - start > 16 ? NULL : p;
}

static const char *skip_field(const char *p, const char *end)
{
	while (p < end && *p != ' ')
		p++;
	while (p < end && *p == ' ')
		p++;
	return p;
}

int maps_parse_line(const char *line, size_t len, uint64_t *start, uint64_t *end,
		    uint64_t *offset, const char **path, size_t *path_len)
{
	const char *p = line, *e = line + len;

	p = hex(p, e, start);
	if (!p || p >= e || *p != '-')
		return -EINVAL;
	p = hex(p + 1, e, end);
	if (!p || p >= e || *p != ' ' || *end < *start)
		return -EINVAL;
	p = skip_field(p + 1, e);	/* perms */
	p = hex(p, e, offset);
	if (!p)
		return -EINVAL;
	p = skip_field(p, e);		/* the rest of the offset field */
	p = skip_field(p, e);		/* dev */
	p = skip_field(p, e);		/* inode */
	*path = p;
	*path_len = (size_t)(e - p);
	return 0;
}

static int count_line(const char *line, size_t len, void *ctx)
{
	(void)line;
	(void)len;
	(*(uint64_t *)ctx)++;
	return 0;
}

int proc_count_maps(struct sysroot *sr, pid_t pid, uint64_t *n)
{
	char path[64];

	*n = 0;
	return sysroot_lines(sr, proc_path(path, sizeof(path), pid, PROC_MAPS),
			     count_line, n);
}

/* A field of LINE: skips blanks from *P, returns the field's length. */
static size_t next_field(const char **p, const char *end)
{
	const char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	*p = s;
	while (s < end && *s != ' ' && *s != '\t')
		s++;
	return (size_t)(s - *p);
}

/* "MAJOR:MINOR:INODE", the first two in hex, the inode in decimal. */
static int parse_dev_ino(const char *s, size_t len, struct lock_entry *e)
{
	const char *end = s + len, *p;
	uint64_t v;

	p = hex(s, end, &v);
	if (!p || p >= end || *p != ':' || v > 0xfff)
		return -EINVAL;
	e->major = (unsigned)v;
	p = hex(p + 1, end, &v);
	if (!p || p >= end || *p != ':' || v > 0xfffff)
		return -EINVAL;
	e->minor = (unsigned)v;
	if (++p >= end)
		return -EINVAL;
	for (e->ino = 0; p < end; p++) {
		if (*p < '0' || *p > '9' || e->ino > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		e->ino = e->ino * 10 + (uint64_t)(*p - '0');
	}
	return 0;
}

int locks_parse_line(const char *line, size_t len, struct lock_entry *e)
{
	const char *p = line, *end = line + len, *prev = NULL;
	size_t fl, prev_len = 0;
	unsigned fields = 0;

	memset(e, 0, sizeof(*e));
	/* "N:", the lock's number in the list. */
	fl = next_field(&p, end);
	if (fl < 2 || p[fl - 1] != ':' || strspn(p, "0123456789") != fl - 1)
		return -EINVAL;
	p += fl;
	/*
	 * The words between the number and the file vary with the kind of
	 * lock and the kernel ("FLOCK  ADVISORY  WRITE", "LEASE  BREAKING
	 * READ"): the file is the first field that reads as one, and the
	 * process the field before it.
	 */
	while ((fl = next_field(&p, end)) > 0) {
		if (fields == 0 && fl == 2 && !memcmp(p, "->", 2)) {
			e->blocked = true;
		} else if (fields >= 2 && prev && parse_dev_ino(p, fl, e) == 0) {
			char num[24];
			char *nend;

			if (prev_len >= sizeof(num))
				return -EINVAL;
			memcpy(num, prev, prev_len);
			num[prev_len] = '\0';
			errno = 0;
			e->pid = strtol(num, &nend, 10);
			if (*nend || errno || e->pid < -1)
				return -EINVAL;
			return 0;
		} else if (fl >= 6 && !memcmp(p, "<none>", 6)) {
			return -ENOENT;
		} else {
			fields++;
		}
		prev = p;
		prev_len = fl;
		p += fl;
	}
	return -EINVAL;
}
