// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * undo.c - the undo log of fix --apply: what each step changed (a file's
 * old content, a mount, a directory made), put back newest first when a
 * later step fails; and the numbers steps write and read back.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "act/apply.h"

struct undo *undo_push(struct apply *a, enum undo_kind kind,
			      struct fix_step *step, const char *path)
{
	struct undo *v = realloc(a->log, (a->n + 1) * sizeof(*v));

	if (!v)
		return NULL;
	a->log = v;
	v = &a->log[a->n];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->step = step;
	v->path = strdup(path);
	if (!v->path)
		return NULL;
	a->n++;
	return v;
}

int undo_content(struct apply *a, struct fix_step *step, const char *path,
			enum undo_kind kind)
{
	struct undo *u;
	char *buf = NULL;
	size_t len = 0;
	int rc = sysroot_read(a->sr, path, &buf, &len);

	if (rc < 0 && rc != -ENOENT)
		return rc;
	u = undo_push(a, kind, step, path);
	if (!u) {
		free(buf);
		return -ENOMEM;
	}
	u->old = buf;
	u->len = len;
	u->existed = rc == 0;
	return 0;
}

/* A write that failed before changing anything leaves nothing to undo. */
void undo_drop_unchanged(struct apply *a)
{
	struct undo *u = a->n ? &a->log[a->n - 1] : NULL;
	char *now = NULL;
	size_t len = 0;

	if (!u || u->kind != U_CONTENT || sysroot_read(a->sr, u->path, &now, &len) < 0)
		return;
	if (len == u->len && (!len || !memcmp(now, u->old, len))) {
		free(u->path);
		free(u->old);
		a->n--;
	}
	free(now);
}

static int undo_one(struct apply *a, struct undo *u)
{
	const char *base;
	int dfd, rc;

	switch (u->kind) {
	case U_CONTENT:
		return sysroot_write(a->sr, u->path, u->old ? u->old : "", u->len);
	case U_ATOMIC:
		dfd = sysroot_dir_of(a->sr, u->path, &base);
		if (dfd < 0)
			return dfd;
		if (u->existed)
			rc = replace_file(dfd, base, u->old ? u->old : "", u->len, 0644);
		else
			rc = unlinkat(dfd, base, 0) < 0 ? -errno : 0;
		close(dfd);
		return rc;
	case U_UMOUNT:
		return umount2(u->path, UMOUNT_NOFOLLOW) < 0 ? -errno : 0;
	case U_RMDIR:
		dfd = sysroot_dir_of(a->sr, u->path, &base);
		if (dfd < 0)
			return dfd;
		rc = unlinkat(dfd, base, AT_REMOVEDIR) < 0 ? -errno : 0;
		close(dfd);
		return rc;
	}
	return -EINVAL;
}

/* Puts back everything in the log, newest first; returns how many could
 * not be put back (each step says which). */
int rollback(struct apply *a)
{
	int failed = 0;

	for (size_t i = a->n; i-- > 0; ) {
		struct undo *u = &a->log[i];
		struct fix_step *s = u->step;
		int rc = undo_one(a, u);

		if (rc < 0) {
			failed++;
			/* Keep what failed first; add what could not be undone. */
			if (s->status == FS_FAILED && s->error)
				step_error(s, "%s; could not put back %s: %s", s->error,
					   u->path, strerror(-rc));
			else
				step_error(s, "could not put back %s: %s", u->path,
					   strerror(-rc));
			s->status = FS_FAILED;
		} else if (s->status != FS_FAILED) {
			s->status = FS_REVERTED;
		}
	}
	return failed;
}

void undo_free(struct apply *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->log[i].path);
		free(a->log[i].old);
	}
	free(a->log);
	a->log = NULL;
	a->n = 0;
}

int write_u64(struct sysroot *sr, const char *path, uint64_t v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%" PRIu64 "\n", v);

	return sysroot_write(sr, path, buf, (size_t)n);
}

int read_u64(struct sysroot *sr, const char *path, uint64_t *v)
{
	return sysroot_read_u64(sr, path, v, NULL, 0);
}

