// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * apply.c - the only code in hpdiag that writes to the host.
 *
 * Once fix_preflight() (preflight.c) has found every step permitted,
 * fix_apply() writes in plan order, reads each value back, and on a failed
 * step puts back every value it changed, newest first, from an undo log.
 *
 * Every path resolves below the sysroot's directory fd without following a
 * symbolic link (the rooted writer), so under --sysroot DIR each write
 * lands in DIR; there tree.c keeps the captured tree as a kernel would.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "act/apply.h"
#include "lib/caps.h"
#include "lib/pathnames.h"
#include "lib/proc.h"

static int apply_value(struct apply *a, struct fix_step *s)
{
	uint64_t got = 0;
	int rc;

	rc = undo_content(a, s, s->path, U_CONTENT);
	if (rc)
		return rc;
	rc = write_u64(a->sr, s->path, s->to);
	if (rc) {
		undo_drop_unchanged(a);
		return rc;
	}
	if (!a->sr->live && (s->kind == FIX_POOL || s->kind == FIX_NODE_POOL))
		rc = tree_pool(a, s, (int64_t)(s->to - s->from));
	if (rc)
		return rc;
	s->status = FS_APPLIED;
	rc = read_u64(a->sr, s->path, &got);
	if (rc)
		return rc;
	s->obtained = got;
	if (got == s->to) {
		s->status = FS_VERIFIED;
		return 0;
	}
	if (s->kind != FIX_POOL && s->kind != FIX_NODE_POOL) {
		step_error(s, "wrote %" PRIu64 ", reads back %"
			 PRIu64, s->to, got);
		return -EIO;
	}
	/* The kernel gave fewer pages than asked: memory is fragmented. */
	if (a->o->compact && a->sr->live &&
	    sysroot_write(a->sr, PATH_COMPACT_MEMORY, "1\n", 2) == 0) {
		s->compacted = true;
		if (write_u64(a->sr, s->path, s->to) == 0 &&
		    read_u64(a->sr, s->path, &got) == 0)
			s->obtained = got;
	}
	s->status = s->obtained >= s->to ? FS_VERIFIED : FS_PARTIAL;
	if (s->status == FS_PARTIAL)
		step_error(s, "the kernel gave %" PRIu64
			 " of the %" PRIu64 " page%s asked for%s", hp_sat_sub(s->obtained,
			 s->from), s->to - s->from, PL(s->to - s->from), s->compacted ?
			 ", after compacting memory" : "");
	return 0;
}

static int apply_mount(struct apply *a, struct fix_step *s)
{
	char opts[64], ss[16], target[64];
	const char *base;
	struct statfs sf;
	int dfd, fd, rc;

	dfd = sysroot_dir_of(a->sr, s->path, &base);
	if (dfd < 0)
		return dfd;
	if (mkdirat(dfd, base, 0755) == 0) {
		s->made_dir = true;
		if (!undo_push(a, U_RMDIR, s, s->path)) {
			close(dfd);
			return -ENOMEM;
		}
	} else if (errno != EEXIST) {
		rc = -errno;
		close(dfd);
		return rc;
	}
	/* Mount on the directory just checked, not on whatever the path
	 * names by then: through its fd, never following a symlink. */
	fd = openat(dfd, base, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	rc = fd < 0 ? -errno : 0;
	close(dfd);
	if (rc)
		return rc;
	if (!a->sr->live) {
		close(fd);
		rc = tree_mount(a, s);
		if (!rc)
			s->status = FS_VERIFIED;
		return rc;
	}
	snprintf(opts, sizeof(opts), "pagesize=%s",
		 format_short_size(s->page_size, ss, sizeof(ss)));
	snprintf(target, sizeof(target), "/proc/self/fd/%d", fd);
	rc = mount("nodev", target, "hugetlbfs", MS_NODEV, opts) < 0 ? -errno : 0;
	close(fd);
	if (rc)
		return rc;
	if (!undo_push(a, U_UMOUNT, s, s->path))
		return -ENOMEM;
	s->status = FS_APPLIED;
	if (statfs(s->path, &sf) < 0)
		return -errno;
	if ((unsigned long)sf.f_type != HUGETLBFS_MAGIC ||
	    (uint64_t)sf.f_bsize != s->page_size) {
		step_error(s, "%s: after the mount it is not hugetlbfs of %s pages",
			   s->path, ss);
		return -EIO;
	}
	s->status = FS_VERIFIED;
	return 0;
}

static int apply_remove(struct apply *a, struct fix_step *s)
{
	const char *base;
	int dfd, rc = 0;

	dfd = sysroot_dir_of(a->sr, s->path, &base);
	if (dfd >= 0) {
		if (unlinkat(dfd, base, 0) < 0 && (errno != ENOENT || a->sr->live))
			rc = -errno;
		else if (faccessat(dfd, base, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			rc = -EEXIST;
		close(dfd);
	} else if (dfd != -ENOENT || a->sr->live) {
		rc = dfd;
	}
	if (!rc && !a->sr->live)
		rc = tree_remove(a, s);
	if (!rc)
		s->status = FS_VERIFIED;
	return rc;
}

static void persist_key(const struct fix_step *s, uint64_t def, const char **key)
{
	*key = NULL;
	if (s->kind == FIX_SYSCTL)
		*key = s->setting;
	else if (s->kind == FIX_POOL && s->page_size == def)
		*key = "vm.nr_hugepages";
	else if (s->kind == FIX_OVERCOMMIT && s->page_size == def)
		*key = "vm.nr_overcommit_hugepages";
}

static int apply_persist(struct apply *a, struct fix_plan *plan, struct fix_step *s)
{
	const char *keys[16], *base;
	uint64_t vals[16];
	bool never[16];
	size_t n = 0, len = 0;
	char *old = NULL, *text;
	int dfd, rc;

	for (size_t i = 0; i < plan->n && n < 16; i++) {
		const struct fix_step *t = &plan->v[i];

		persist_key(t, plan->default_size, &keys[n]);
		if (!keys[n] || (t->status != FS_VERIFIED && t->status != FS_PARTIAL))
			continue;
		vals[n] = t->to;
		never[n] = t->kind == FIX_SYSCTL;
		n++;
	}
	dfd = sysroot_dir_of(a->sr, s->path, &base);
	if (dfd == -ENOENT) {
		char dir[PATH_MAX];
		const char *pbase;
		int pfd;

		snprintf(dir, sizeof(dir), "%.*s", (int)(base - 1 - s->path), s->path);
		pfd = sysroot_dir_of(a->sr, dir, &pbase);
		if (pfd < 0)
			return pfd;
		rc = mkdirat(pfd, pbase, 0755) < 0 ? -errno : 0;
		close(pfd);
		if (rc)
			return rc;
		if (!undo_push(a, U_RMDIR, s, dir))
			return -ENOMEM;
		dfd = sysroot_dir_of(a->sr, s->path, &base);
	}
	if (dfd < 0)
		return dfd;
	rc = sysroot_read(a->sr, s->path, &old, &len);
	if (rc < 0 && rc != -ENOENT) {
		close(dfd);
		return rc;
	}
	rc = undo_content(a, s, s->path, U_ATOMIC);
	text = rc ? NULL : fix_persist_text(old, len, keys, vals, never, n);
	if (!rc && !text)
		rc = -ENOMEM;
	if (!rc)
		rc = replace_file(dfd, base, text, strlen(text), 0644);
	close(dfd);
	free(text);
	free(old);
	if (!rc) {
		s->status = FS_VERIFIED;
		snprintf(plan->persist_path, sizeof(plan->persist_path), "%s%s",
			 a->sr->root, s->path);
	}
	return rc;
}

int fix_apply(struct sysroot *sr, const struct fix_opts *o, struct fix_plan *plan)
{
	struct apply a = { .sr = sr, .o = o };
	size_t i;
	int rc = 0;

	for (i = 0; i < plan->n && !rc; i++) {
		struct fix_step *s = &plan->v[i];

		if (s->status != FS_PLANNED)
			continue;
		switch (s->kind) {
		case FIX_SYSCTL:
		case FIX_OVERCOMMIT:
		case FIX_POOL:
		case FIX_NODE_POOL:
			rc = apply_value(&a, s);
			break;
		case FIX_MOUNT:
			rc = apply_mount(&a, s);
			break;
		case FIX_REMOVE:
			rc = apply_remove(&a, s);
			break;
		case FIX_PERSIST:
			rc = apply_persist(&a, plan, s);
			break;
		}
		if (rc) {
			if (!s->error)
				step_error(s, "%s%s: %s",
					 sr->root, s->path, strerror(-rc));
			s->status = FS_FAILED;
		}
	}
	if (rc) {
		for (; i < plan->n; i++)
			if (plan->v[i].status == FS_PLANNED)
				plan->v[i].status = FS_UNCHANGED;
		plan->rollback_failed = rollback(&a) > 0;
		plan->rolled_back = true;
	}
	undo_free(&a);
	return rc;
}
