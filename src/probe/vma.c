// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vma.c - who holds the VMAs (see vma.h).  /proc/PID/maps is parsed by hand,
 * one pass, no allocation per line: a process can hold a million VMAs.
 * Groups live in an open-addressing hash table keyed by the backing object;
 * each remembers at most VMA_SHAPES distinct (offset, length) pairs, which
 * is enough to see the seed 001 signature: the same object mapped again and
 * again at the same place.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/parse.h"
#include "lib/pathnames.h"
#include "probe/vma.h"

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

int vma_parse_line(const char *line, size_t len, uint64_t *start, uint64_t *end,
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

void vma_object(const char *path, size_t len, char *out, size_t size)
{
	while (len && path[len - 1] == ' ')
		len--;
	if (!len) {
		memcpy(out, "[anon]", 7);
		return;
	}
	if (len >= size)
		len = size - 1;
	memcpy(out, path, len);
	out[len] = '\0';
	/* The kernel writes a newline in a name as \012. */
	if (memchr(out, '\\', len))
		unescape_octal(out);
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int groups_grow(struct vma_scan *vs)
{
	size_t cap = vs->cap ? vs->cap * 2 : 64;
	struct vma_group *ng = calloc(cap, sizeof(*ng));

	if (!ng)
		return -ENOMEM;
	for (size_t i = 0; i < vs->cap; i++) {
		size_t j;

		if (!vs->groups[i].object)
			continue;
		for (j = hash(vs->groups[i].object) & (cap - 1); ng[j].object;
		     j = (j + 1) & (cap - 1))
			;
		ng[j] = vs->groups[i];
	}
	free(vs->groups);
	vs->groups = ng;
	vs->cap = cap;
	return 0;
}

static struct vma_group *group_get(struct vma_scan *vs, const char *object)
{
	size_t i;

	if ((vs->nr_groups + 1) * 10 >= vs->cap * 7 && groups_grow(vs) < 0)
		return NULL;
	for (i = hash(object) & (vs->cap - 1); vs->groups[i].object;
	     i = (i + 1) & (vs->cap - 1))
		if (!strcmp(vs->groups[i].object, object))
			return &vs->groups[i];
	vs->groups[i].object = strdup(object);
	if (!vs->groups[i].object)
		return NULL;
	vs->nr_groups++;
	return &vs->groups[i];
}

static void add_shape(struct vma_group *g, uint64_t offset, uint64_t length)
{
	for (size_t i = 0; i < g->nr_shapes; i++) {
		struct vma_shape *s = &g->shapes[i];

		if (s->offset == offset && s->length == length) {
			if (++s->count > g->identical)
				g->identical = s->count;
			return;
		}
	}
	if (g->nr_shapes < VMA_SHAPES) {
		g->shapes[g->nr_shapes++] = (struct vma_shape) { offset, length, 1 };
		if (!g->identical)
			g->identical = 1;
	}
}

struct scan_ctx {
	struct vma_scan *vs;
	struct vma_group *cur;		/* smaps: the VMA being read */
	bool smaps;
	int err;
	/* The previous line's raw path and group: neighbours often share. */
	char last[4200];
	size_t last_len;
	size_t last_cap;		/* the table's size then: a grow moves it */
};

static int maps_line(const char *line, size_t len, void *arg)
{
	struct scan_ctx *c = arg;
	uint64_t start, end, offset;
	char object[4200];
	const char *path;
	size_t plen;

	if (c->smaps && len && !(line[0] >= '0' && line[0] <= '9') &&
	    !(line[0] >= 'a' && line[0] <= 'f')) {
		/* An smaps field of the current VMA: "Rss:  12 kB". */
		unsigned long long kb;

		if (!c->cur)
			return 0;
		if (!strncmp(line, "Rss:", 4) && sscanf(line + 4, "%llu", &kb) == 1) {
			c->cur->rss += kb << 10;
			c->cur->have_rss = true;
		} else if (!strncmp(line, "Shared_Clean:", 13) ||
			   !strncmp(line, "Shared_Dirty:", 13)) {
			const char *colon = memchr(line, ':', len);

			if (colon && sscanf(colon + 1, "%llu", &kb) == 1)
				c->cur->shared += kb << 10;
		}
		return 0;
	}
	if (vma_parse_line(line, len, &start, &end, &offset, &path, &plen) < 0) {
		/* A line of smaps that starts with a hex digit but is not a
		 * header ("VmFlags" does not) cannot occur; in maps it is
		 * an error. */
		c->err = -EINVAL;
		return -EINVAL;
	}
	if (!c->cur || plen != c->last_len || c->last_cap != c->vs->cap ||
	    memcmp(path, c->last, plen)) {
		vma_object(path, plen, object, sizeof(object));
		c->cur = group_get(c->vs, object);
		if (!c->cur) {
			c->err = -ENOMEM;
			return -ENOMEM;
		}
		c->last_cap = c->vs->cap;
		c->last_len = plen < sizeof(c->last) ? plen : 0;
		memcpy(c->last, path, c->last_len);
	}
	c->vs->count++;
	c->cur->vmas++;
	c->cur->bytes += end - start;
	add_shape(c->cur, offset, end - start);
	return 0;
}

static int scan_pid(struct sysroot *sr, pid_t pid, bool smaps, struct vma_scan *vs);

/* A PID that names another process by the end of the read is refused. */
int vma_scan_pid(struct sysroot *sr, pid_t pid, bool smaps, struct vma_scan *vs)
{
	uint64_t t0 = 0, t1 = 0;
	bool have_t0 = pid && proc_start_time(sr, pid, &t0) == 0;
	int rc;

	sr->err[0] = '\0';
	rc = scan_pid(sr, pid, smaps, vs);
	if (rc == 0 && have_t0 && (proc_start_time(sr, pid, &t1) < 0 || t1 != t0)) {
		char dir[32];

		snprintf(dir, sizeof(dir), "/proc/%d", (int)pid);
		return sysroot_fail(sr, ESRCH, dir, "the process exited while hpdiag "
				    "read it (the PID may now name another process)");
	}
	return rc;
}

static int scan_pid(struct sysroot *sr, pid_t pid, bool smaps, struct vma_scan *vs)
{
	struct scan_ctx c = { .vs = vs, .smaps = smaps };
	char who[24], path[64];
	int rc;

	memset(vs, 0, sizeof(*vs));
	vs->pid = pid;
	if (pid)
		snprintf(who, sizeof(who), "%d", (int)pid);
	else
		snprintf(who, sizeof(who), "self");
	snprintf(path, sizeof(path), smaps ? PATH_PROC_SMAPS : PATH_PROC_MAPS, who);
	rc = sysroot_lines(sr, path, maps_line, &c);
	if (rc == -ENOENT && smaps) {
		/* A snapshot holds maps, not smaps: no RSS then. */
		vma_scan_free(vs);
		return scan_pid(sr, pid, false, vs);
	}
	if (rc == -ENOENT)
		return sysroot_fail(sr, ESRCH, path, "no such process");
	if (c.err == -EINVAL)
		return sysroot_fail(sr, EINVAL, path, "line %" PRIu64 " is not a "
				    "maps entry", vs->count + 1);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < vs->cap; i++)
		if (vs->groups[i].object)
			vs->groups[i].leak = vs->groups[i].identical >= VMA_LEAK_IDENTICAL &&
					     vs->groups[i].object[0] == '/';
	return 0;
}

static int cmp_group(const void *a, const void *b)
{
	const struct vma_group *x = a, *y = b;

	if (x->vmas != y->vmas)
		return x->vmas < y->vmas ? 1 : -1;
	return strcmp(x->object, y->object);
}

void vma_scan_sort(struct vma_scan *vs)
{
	size_t n = 0;

	for (size_t i = 0; i < vs->cap; i++)
		if (vs->groups[i].object)
			vs->groups[n++] = vs->groups[i];
	vs->cap = n;	/* no longer a hash table */
	if (n)
		qsort(vs->groups, n, sizeof(*vs->groups), cmp_group);
}

void vma_scan_free(struct vma_scan *vs)
{
	for (size_t i = 0; i < vs->cap; i++)
		free(vs->groups[i].object);
	free(vs->groups);
	memset(vs, 0, sizeof(*vs));
}

static int count_line(const char *line, size_t len, void *ctx)
{
	(void)line;
	(void)len;
	(*(uint64_t *)ctx)++;
	return 0;
}

int vma_count(struct sysroot *sr, pid_t pid, uint64_t *n)
{
	char path[64], who[24];

	*n = 0;

	if (pid)
		snprintf(who, sizeof(who), "%d", (int)pid);
	else
		snprintf(who, sizeof(who), "self");
	snprintf(path, sizeof(path), PATH_PROC_MAPS, who);
	return sysroot_lines(sr, path, count_line, n);
}

static int cmp_proc(const void *a, const void *b)
{
	const struct vma_proc *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->pid - y->pid;
}

int vma_top_scan(struct sysroot *sr, size_t keep, struct vma_top *top)
{
	char **names;
	size_t n, cap = 0;
	int rc;

	memset(top, 0, sizeof(*top));
	rc = sysroot_list(sr, PATH_PROC, &names, &n);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct vma_proc p = { 0 };
		char path[64], *comm;
		uint64_t pid, t0 = 0, t1 = 0;
		bool have_t0;

		if (parse_u64(names[i], &pid) < 0 || !pid || pid > 0x7fffffff)
			continue;
		top->scanned++;
		p.pid = (pid_t)pid;
		have_t0 = proc_start_time(sr, p.pid, &t0) == 0;
		rc = vma_count(sr, p.pid, &p.count);
		/* Gone, or its PID taken by a new process while read. */
		if (rc == -ENOENT || rc == -ESRCH ||
		    (rc == 0 && have_t0 && (proc_start_time(sr, p.pid, &t1) < 0 ||
					    t1 != t0))) {
			top->vanished++;
			continue;
		}
		if (rc < 0) {
			top->unreadable++;
			continue;
		}
		if (!p.count)
			continue;	/* a kernel thread */
		snprintf(path, sizeof(path), PATH_PROC_COMM, names[i]);
		if (sysroot_read(sr, path, &comm, NULL) == 0) {
			comm[strcspn(comm, "\n")] = '\0';
			snprintf(p.comm, sizeof(p.comm), "%s", comm);
			free(comm);
		}
		if (top->nr_procs == cap) {
			struct vma_proc *np;

			cap = cap ? cap * 2 : 64;
			np = realloc(top->procs, cap * sizeof(*np));
			if (!np) {
				sysroot_names_free(names, n);
				return -ENOMEM;
			}
			top->procs = np;
		}
		top->procs[top->nr_procs++] = p;
	}
	sysroot_names_free(names, n);
	sr->err[0] = '\0';
	if (top->nr_procs)
		qsort(top->procs, top->nr_procs, sizeof(*top->procs), cmp_proc);
	if (keep && top->nr_procs > keep)
		top->nr_procs = keep;
	return 0;
}

void vma_top_free(struct vma_top *top)
{
	free(top->procs);
	memset(top, 0, sizeof(*top));
}

bool vma_at_limit(uint64_t lines, uint64_t limit)
{
	return limit && lines + 2 >= limit;
}

bool vma_near_limit(uint64_t lines, uint64_t limit)
{
	return limit && lines * 100 >= limit * VMA_WARN_PERCENT;
}

int vma_findings(const struct vma_scan *vs, uint64_t limit,
		 const struct vma_sample *samples, size_t nr_samples,
		 double *rate, double *seconds_to_limit, struct findings *fs)
{
	uint64_t count = nr_samples ? samples[nr_samples - 1].count : vs->count;
	double pct = limit ? 100.0 * (double)count / (double)limit : 0;
	char growth[160] = "";
	struct finding *f;

	*rate = 0;
	*seconds_to_limit = -1;
	if (nr_samples >= 2) {
		double dt = samples[nr_samples - 1].time - samples[0].time;

		if (dt > 0)
			*rate = ((double)samples[nr_samples - 1].count -
				 (double)samples[0].count) / dt;
		if (*rate > 0 && limit > count)
			*seconds_to_limit = (double)(limit - count) / *rate;
		if (*rate > 0)
			snprintf(growth, sizeof(growth), "; growing by %.1f VMAs/s, "
				 "it reaches the limit in %.0f s", *rate,
				 *seconds_to_limit > 0 ? *seconds_to_limit : 0);
	}
	if (vma_at_limit(count, limit)) {
		f = finding_add(fs, "map_count", HP_FAIL, "map_count_limit",
				"process %d holds %" PRIu64 " VMAs, at vm.max_map_count "
				"%" PRIu64 ": its next mmap fails with ENOMEM%s",
				(int)vs->pid, count, limit, growth);
		finding_remedy(f, "find what it maps again and again (below); "
			       "sysctl -w vm.max_map_count=%" PRIu64 " only buys time",
			       suggest_max_map_count(count));
	} else if (vma_near_limit(count, limit) || *rate > 0) {
		f = finding_add(fs, "map_count", HP_WARN, NULL,
				"process %d holds %" PRIu64 " of %" PRIu64 " VMAs "
				"(%.1f%%)%s", (int)vs->pid, count, limit, pct, growth);
	} else {
		f = finding_add(fs, "map_count", HP_PASS, NULL,
				"process %d holds %" PRIu64 " of %" PRIu64 " VMAs (%.1f%%)",
				(int)vs->pid, count, limit, pct);
	}
	finding_num(f, "pid", (uint64_t)vs->pid);
	finding_num(f, "count", count);
	finding_num(f, "limit", limit);
	for (size_t i = 0; i < vs->nr_groups && i < vs->cap; i++) {
		const struct vma_group *g = &vs->groups[i];

		if (!g->leak && !g->growing)
			continue;
		char grows[48] = "";

		if (g->rate > 0)
			snprintf(grows, sizeof(grows), ", growing by %.1f VMAs/s", g->rate);
		if (g->leak)
			f = finding_add(fs, "vma_leak", HP_WARN, NULL,
					"%s is mapped %" PRIu64 " times at the same "
					"offset and length (%" PRIu64 " VMAs of it in "
					"all%s): a mapping made again and again and "
					"never unmapped; raising vm.max_map_count only "
					"postpones the failure", g->object, g->identical,
					g->vmas, grows);
		else
			f = finding_add(fs, "vma_leak", HP_WARN, NULL,
					"%s grew from %" PRIu64 " to %" PRIu64 " VMAs "
					"while watched (%.1f VMAs/s)", g->object,
					g->first_vmas, g->vmas, g->rate);
		finding_str(f, "object", g->object);
		finding_num(f, "vmas", g->vmas);
		finding_num(f, "identical", g->identical);
		finding_num(f, "bytes", g->bytes);
		finding_remedy(f, "in the application, munmap each mapping of %s "
			       "when it is done with it (pmap -x %d lists them)",
			       g->object, (int)vs->pid);
	}
	for (size_t i = 0; i < fs->n; i++)
		if (!fs->v[i].message)
			return -ENOMEM;
	return 0;
}
