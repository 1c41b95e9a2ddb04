/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * apply.h - shared by the files of fix --apply only: the undo log that
 * puts back what a failed plan changed (undo.c), and what a captured tree
 * needs after a step so that it reads as the kernel would (tree.c).
 */
#ifndef HPDIAG_ACT_APPLY_H
#define HPDIAG_ACT_APPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "act/plan.h"

enum undo_kind { U_CONTENT, U_ATOMIC, U_UMOUNT, U_RMDIR };

struct undo {
	enum undo_kind kind;
	struct fix_step *step;
	char *path;
	char *old;		/* U_CONTENT, U_ATOMIC: what was there */
	size_t len;
	bool existed;		/* U_ATOMIC: the file was there before */
};

struct apply {
	struct sysroot *sr;
	const struct fix_opts *o;
	struct undo *log;
	size_t n;
};

struct undo *undo_push(struct apply *a, enum undo_kind kind,
		       struct fix_step *step, const char *path);
/* Remembers PATH's content before it is changed. */
int undo_content(struct apply *a, struct fix_step *step, const char *path,
		 enum undo_kind kind);
/* A write that failed before changing anything leaves nothing to undo. */
void undo_drop_unchanged(struct apply *a);
/* Puts back everything in the log, newest first; returns how many could
 * not be put back (each step says which). */
int rollback(struct apply *a);
void undo_free(struct apply *a);
int write_u64(struct sysroot *sr, const char *path, uint64_t v);
int read_u64(struct sysroot *sr, const char *path, uint64_t *v);

/* tree.c: after a pool step, a mount, a removal in a captured tree. */
int tree_pool(struct apply *a, struct fix_step *s, int64_t delta);
int tree_mount(struct apply *a, struct fix_step *s);
int tree_remove(struct apply *a, struct fix_step *s);

#endif /* HPDIAG_ACT_APPLY_H */
