// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vma.c - who holds the VMAs (see vma.h).  /proc/PID/maps is parsed by hand,
 * one pass, no allocation per line: a process can hold a million VMAs.
 * Groups live in an open-addressing hash table keyed by the backing object;
 * each remembers at most VMA_SHAPES distinct (offset, length) pairs, which
 * is enough to see the leak of field report 001 (README): the same object
 * mapped again and again at the same place.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/pathnames.h"
#include "lib/proc.h"
#include "probe/probe.h"
#include "probe/vma.h"

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
	if (maps_parse_line(line, len, &start, &end, &offset, &path, &plen) < 0) {
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

static int scan_pid(struct probe *p, pid_t pid, bool smaps, struct vma_scan *vs)
{
	struct scan_ctx c = { .vs = vs, .smaps = smaps };
	char path[64];
	int rc;

	memset(vs, 0, sizeof(*vs));
	vs->pid = pid;
	vs->as_root = !p->sr->live || geteuid() == 0;
	proc_path(path, sizeof(path), pid, smaps ? PROC_SMAPS : PROC_MAPS);
	rc = sysroot_lines(p->sr, path, maps_line, &c);
	if (rc == -ENOENT && smaps) {
		/* A snapshot holds maps, not smaps: no RSS then. */
		vma_scan_free(vs);
		return scan_pid(p, pid, false, vs);
	}
	if (rc == -ENOENT)
		return probe_fail(p, ESRCH, path, "no such process");
	if (c.err == -EINVAL)
		return probe_fail(p, EINVAL, path, "line %" PRIu64 " is not a "
				  "maps entry", vs->count + 1);
	if (rc < 0)
		return c.err ? rc : probe_fail_io(p, rc, path);
	for (size_t i = 0; i < vs->cap; i++)
		if (vs->groups[i].object)
			vs->groups[i].leak = vs->groups[i].identical >= VMA_LEAK_IDENTICAL &&
					     vs->groups[i].object[0] == '/';
	return 0;
}

/* A PID that names another process by the end of the read is refused. */
int vma_scan_pid(struct probe *p, pid_t pid, bool smaps, struct vma_scan *vs)
{
	struct proc_guard g;
	int rc;

	proc_guard_take(p->sr, pid, &g);
	rc = scan_pid(p, pid, smaps, vs);
	return rc < 0 ? rc : probe_guard(p, &g);
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

static int cmp_proc(const void *a, const void *b)
{
	const struct vma_proc *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->pid - y->pid;
}

int vma_top_scan(struct probe *p, size_t keep, struct vma_top *top)
{
	size_t n, cap = 0;
	pid_t *pids;
	int rc;

	memset(top, 0, sizeof(*top));
	rc = proc_list(p->sr, &pids, &n);
	if (rc < 0)
		return probe_fail_io(p, rc, "/proc");
	top->as_root = geteuid() == 0;
	for (size_t i = 0; i < n; i++) {
		struct vma_proc vp = { .pid = pids[i] };
		struct proc_guard g;
		char path[64], *comm;
		bool got_comm;

		top->scanned++;
		/* One read of stat gives the guard and the name. */
		rc = proc_guard_take_comm(p->sr, vp.pid, &g, vp.comm, sizeof(vp.comm));
		if (rc == -ENOENT && p->sr->live) {
			top->vanished++;
			continue;
		}
		got_comm = rc == 0;
		rc = proc_count_maps(p->sr, vp.pid, &vp.count);
		/* Gone, or its PID taken by a new process while read. */
		if (rc == -ENOENT || rc == -ESRCH ||
		    (rc == 0 && !proc_guard_holds(p->sr, &g))) {
			top->vanished++;
			continue;
		}
		if (rc < 0) {
			top->unreadable++;
			continue;
		}
		if (!vp.count)
			continue;	/* a kernel thread */
		if (!got_comm &&
		    sysroot_read(p->sr, proc_path(path, sizeof(path), vp.pid, PROC_COMM),
				 &comm, NULL) == 0) {
			comm[strcspn(comm, "\n")] = '\0';
			snprintf(vp.comm, sizeof(vp.comm), "%s", comm);
			free(comm);
		}
		if (top->nr_procs == cap) {
			struct vma_proc *np;

			cap = cap ? cap * 2 : 64;
			np = realloc(top->procs, cap * sizeof(*np));
			if (!np) {
				free(pids);
				return -ENOMEM;
			}
			top->procs = np;
		}
		top->procs[top->nr_procs++] = vp;
	}
	free(pids);
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
