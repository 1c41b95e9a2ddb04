// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * users.c - which files of the hugetlbfs mounts are in use, mapped or held
 * open; the files nobody uses are stale pages.  The cheap questions come
 * first, so that the cost follows the number of page files rather than
 * the number of processes on the host:
 *   - the verdict hpdiag.snapshot recorded, under --sysroot;
 *   - /proc/locks, one read: DPDK and SPDK hold a lock on every page file
 *     they use for as long as they map it;
 *   - on the live host, a write lease on the file (lib/lease.h), which the
 *     kernel grants only when nothing else has the file open or mapped;
 *   - for the files still without an answer, each process's maps and then
 *     its descriptors, until every file has one.
 * The full scan, every process's maps and descriptors for every file, is
 * the reference the fast path is tested against (HPDIAG_USERS_SCAN=full).
 * A process that cannot be read, or that exits while it is read, is
 * skipped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "lib/lease.h"
#include "lib/pathnames.h"
#include "lib/proc.h"
#include "probe/probe.h"

enum { FILE_PENDING, FILE_USED, FILE_UNUSED };

struct users {
	struct snapshot *snap;
	size_t *base;			/* each mount's first file in state[] */
	unsigned char *state;		/* FILE_* per file */
	size_t nfiles;
	size_t pending;			/* files without an answer yet */
	pid_t pid;			/* the process being read */
};

/* A file of a lock, for the search by device and inode. */
struct file_key {
	uint64_t dev, ino;
	size_t mount, file;
};

static unsigned char *state_of(struct users *u, size_t mi, size_t fi)
{
	return &u->state[u->base[mi] + fi];
}

/* A file already answered keeps its answer: a process found later using
 * a file the lease or the snapshot called unused started to since. */
static void set_used(struct users *u, size_t mi, size_t fi, pid_t pid)
{
	struct mount_file *f = &u->snap->mounts[mi].files[fi];
	unsigned char *st = state_of(u, mi, fi);

	if (*st != FILE_PENDING)
		return;
	u->pending--;
	*st = FILE_USED;
	f->in_use = true;
	f->user = pid > 0 ? pid : 0;
}

static void set_unused(struct users *u, size_t mi, size_t fi)
{
	unsigned char *st = state_of(u, mi, fi);

	if (*st == FILE_PENDING) {
		u->pending--;
		*st = FILE_UNUSED;
	}
}

/* PATH (from maps or an fd link) is a file of a mount: it is in use. */
static void mark_path(struct users *u, const char *path)
{
	struct snapshot *snap = u->snap;

	for (size_t i = 0; i < snap->nr_mounts; i++) {
		struct mount *m = &snap->mounts[i];
		size_t ml = strlen(m->path);
		struct mount_file *f;

		if (!m->nr_files || strncmp(path, m->path, ml) ||
		    (path[ml] != '/' && ml > 1))
			continue;
		f = mount_file_find(m, path);
		if (f)
			set_used(u, i, (size_t)(f - m->files), u->pid);
	}
}

static int maps_line(const char *line, size_t len, void *ctx)
{
	struct users *u = ctx;
	uint64_t start, end, offset;
	const char *p;
	char path[4096];
	size_t plen;

	if (maps_parse_line(line, len, &start, &end, &offset, &p, &plen) < 0 ||
	    !plen || *p != '/' || plen >= sizeof(path))
		return 0;
	memcpy(path, p, plen);
	path[plen] = '\0';
	unescape_octal(path);
	mark_path(u, path);
	return u->pending ? 0 : 1;	/* 1: every file has its answer */
}

/* One process: its maps, then, while a file is still without an answer,
 * the targets of its descriptors. */
static void scan_pid(struct sysroot *sr, struct users *u, pid_t pid)
{
	char path[64], **fds;
	size_t nfd;

	u->pid = pid;
	/* A process we cannot read, or that exited, is skipped. */
	(void)sysroot_lines(sr, proc_path(path, sizeof(path), pid, PROC_MAPS),
			    maps_line, u);
	if (!u->pending ||
	    sysroot_list(sr, proc_path(path, sizeof(path), pid, PROC_FD),
			 &fds, &nfd) < 0)
		return;
	for (size_t j = 0; j < nfd && u->pending; j++) {
		char link[4200], target[4096];

		snprintf(link, sizeof(link), "%s/%s", path, fds[j]);
		if (sysroot_readlink(sr, link, target, sizeof(target)) == 0)
			mark_path(u, target);
	}
	sysroot_names_free(fds, nfd);
}

static int scan_procs(struct probe *p, struct users *u)
{
	size_t n;
	pid_t *pids;
	int rc;

	rc = proc_list(p->sr, &pids, &n);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return probe_fail_io(p, rc, PATH_PROC);
	for (size_t i = 0; i < n && u->pending; i++)
		scan_pid(p->sr, u, pids[i]);
	free(pids);
	return 0;
}

static int key_cmp(const void *a, const void *b)
{
	const struct file_key *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

struct lock_ctx {
	struct users *u;
	struct file_key *keys;
	size_t nkeys;
};

static int lock_line(const char *line, size_t len, void *ctx)
{
	struct lock_ctx *lc = ctx;
	struct lock_entry e;
	struct file_key key = { 0 }, *k;

	/* A line we do not understand names no file we know. */
	if (locks_parse_line(line, len, &e) < 0)
		return 0;
	key.dev = (uint64_t)makedev(e.major, e.minor);
	key.ino = e.ino;
	k = bsearch(&key, lc->keys, lc->nkeys, sizeof(key), key_cmp);
	if (k)
		set_used(lc->u, k->mount, k->file, (pid_t)e.pid);
	return lc->u->pending ? 0 : 1;
}

/* Every lock, lease or waiting lock on a file holds that file open. */
static int users_from_locks(struct probe *p, struct users *u)
{
	struct lock_ctx lc = { .u = u };

	lc.keys = calloc(u->pending, sizeof(*lc.keys));
	if (!lc.keys)
		return -ENOMEM;
	for (size_t i = 0; i < u->snap->nr_mounts; i++) {
		struct mount *m = &u->snap->mounts[i];

		for (size_t j = 0; j < m->nr_files; j++)
			if (*state_of(u, i, j) == FILE_PENDING && m->files[j].ino)
				lc.keys[lc.nkeys++] = (struct file_key) {
					m->files[j].dev, m->files[j].ino, i, j,
				};
	}
	if (lc.nkeys) {
		qsort(lc.keys, lc.nkeys, sizeof(*lc.keys), key_cmp);
		/* No /proc/locks (a kernel without file locking, an older
		 * snapshot): the other questions answer. */
		(void)sysroot_lines(p->sr, PATH_LOCKS, lock_line, &lc);
	}
	free(lc.keys);
	return 0;
}

static void users_from_leases(struct probe *p, struct users *u)
{
	for (size_t i = 0; i < u->snap->nr_mounts && u->pending; i++) {
		struct mount *m = &u->snap->mounts[i];

		for (size_t j = 0; j < m->nr_files; j++) {
			struct mount_file *f = &m->files[j];
			int rc;

			if (*state_of(u, i, j) != FILE_PENDING || !f->ino)
				continue;
			rc = file_open_elsewhere(p->sr, f->path, f->dev, f->ino);
			if (rc == 1)
				set_used(u, i, j, 0);
			else if (rc == 0)
				set_unused(u, i, j);
		}
	}
}

enum users_method users_method_env(void)
{
	const char *v = getenv("HPDIAG_USERS_SCAN");

	if (v && !strcmp(v, "full"))
		return USERS_FULL;
	if (v && !strcmp(v, "procs"))
		return USERS_PROCS;
	return USERS_FAST;
}

int mount_users_find(struct probe *p, struct snapshot *snap,
		     enum users_method how)
{
	struct users u = { .snap = snap };
	int rc = 0;

	for (size_t i = 0; i < snap->nr_mounts; i++)
		u.nfiles += snap->mounts[i].nr_files;
	if (!u.nfiles) {
		snap->procs_scanned = true;
		return 0;
	}
	u.base = calloc(snap->nr_mounts, sizeof(*u.base));
	u.state = calloc(u.nfiles, 1);
	if (!u.base || !u.state) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0, k = 0; i < snap->nr_mounts; i++) {
		struct mount *m = &snap->mounts[i];

		u.base[i] = k;
		for (size_t j = 0; j < m->nr_files; j++, k++) {
			struct mount_file *f = &m->files[j];

			if (how != USERS_FULL && f->recorded) {
				u.state[k] = f->in_use ? FILE_USED : FILE_UNUSED;
				continue;
			}
			f->in_use = false;
			f->user = 0;
			u.pending++;
		}
	}
	if (how == USERS_FAST && u.pending)
		rc = users_from_locks(p, &u);
	if (rc == 0 && how == USERS_FAST && u.pending && p->sr->live)
		users_from_leases(p, &u);
	if (rc == 0 && u.pending)
		rc = scan_procs(p, &u);
	if (rc == 0)
		snap->procs_scanned = true;
out:
	free(u.base);
	free(u.state);
	return rc;
}

int mount_users_scan(struct probe *p, struct snapshot *snap)
{
	return mount_users_find(p, snap, users_method_env());
}
