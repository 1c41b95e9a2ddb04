// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tree.c - fix --apply on a captured tree (--sysroot DIR).  A tree has no
 * kernel behind it: after each step hpdiag keeps the tree as the kernel
 * would (free pages follow nr_hugepages, a mount appears in mountinfo, a
 * removed file leaves the snapshot's metadata and gives its pages back),
 * so probing it again verifies the plan as on a live host.  Each change
 * goes through the undo log like any other.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/apply.h"
#include "lib/pathnames.h"
#include "lib/proc.h"

/* In a captured tree: add DELTA to the number in FILE. */
static int tree_adjust(struct apply *a, struct fix_step *s, const char *file,
		       int64_t delta)
{
	uint64_t v;
	int rc;

	if (read_u64(a->sr, file, &v) < 0)
		return 0;		/* the tree does not have it */
	rc = undo_content(a, s, file, U_CONTENT);
	if (rc)
		return rc;
	return write_u64(a->sr, file, delta < 0 ? hp_sat_sub(v, (uint64_t)-delta) :
			 hp_sat_add(v, (uint64_t)delta));
}

int tree_pool(struct apply *a, struct fix_step *s, int64_t delta)
{
	int node = s->kind == FIX_NODE_POOL ? (int)s->node : -1;
	char file[PATH_MAX];
	int rc;

	pool_file(file, sizeof(file), s->page_size, node, "free_hugepages");
	rc = tree_adjust(a, s, file, delta);
	if (rc || node < 0)
		return rc;
	/* A node's pages are the whole pool's too. */
	pool_file(file, sizeof(file), s->page_size, -1, "nr_hugepages");
	rc = tree_adjust(a, s, file, delta);
	pool_file(file, sizeof(file), s->page_size, -1, "free_hugepages");
	return rc ? rc : tree_adjust(a, s, file, delta);
}

/* A mountinfo line for a captured tree, the path escaped as the kernel does. */
int tree_mount(struct apply *a, struct fix_step *s)
{
	char info[64], line[PATH_MAX * 4 + 128], esc[PATH_MAX * 4], ss[16];
	char *old = NULL, *text;
	size_t len = 0, e = 0;
	int rc;

	for (const char *p = s->path; *p && e + 5 < sizeof(esc); p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\\')
			e += (size_t)snprintf(esc + e, sizeof(esc) - e, "\\%03o",
					      (unsigned char)*p);
		else
			esc[e++] = *p;
	}
	esc[e] = '\0';
	proc_path(info, sizeof(info), 0, PROC_MOUNTINFO);
	rc = sysroot_read(a->sr, info, &old, &len);
	if (rc < 0)
		return rc;
	rc = undo_content(a, s, info, U_CONTENT);
	if (rc) {
		free(old);
		return rc;
	}
	snprintf(line, sizeof(line), "9%03zu 1 0:9%03zu / %s rw,nodev,relatime - "
		 "hugetlbfs nodev rw,pagesize=%s\n", a->n, a->n, esc,
		 format_short_size(s->page_size, ss, sizeof(ss)));
	if (asprintf(&text, "%.*s%s%s", (int)len, old,
		     len && old[len - 1] != '\n' ? "\n" : "", line) < 0) {
		free(old);
		return -ENOMEM;
	}
	free(old);
	rc = sysroot_write(a->sr, info, text, strlen(text));
	free(text);
	return rc;
}

/* In a captured tree the page files are lines of the metadata file. */
static int tree_forget_file(struct apply *a, struct fix_step *s)
{
	char *old = NULL, *out;
	size_t len = 0, o = 0, pl = strlen(s->path);
	int rc = sysroot_read(a->sr, PATH_SNAPSHOT_META, &old, &len);

	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	out = malloc(len + 1);
	rc = out ? undo_content(a, s, PATH_SNAPSHOT_META, U_CONTENT) : -ENOMEM;
	for (size_t i = 0; !rc && i < len; ) {
		const char *nl = memchr(old + i, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - (old + i)) + 1 : len - i;
		const char *sp = ll > 5 && !strncmp(old + i, "file ", 5) ?
				 memchr(old + i + 5, ' ', ll - 5) : NULL;

		/* "file MOUNT PATH size=..." */
		if (!sp || (size_t)(old + i + ll - sp) < pl + 2 ||
		    strncmp(sp + 1, s->path, pl) || (sp[1 + pl] != ' ' &&
						      sp[1 + pl] != '\n')) {
			memcpy(out + o, old + i, ll);
			o += ll;
		}
		i += ll;
	}
	if (!rc)
		rc = sysroot_write(a->sr, PATH_SNAPSHOT_META, out, o);
	free(out);
	free(old);
	return rc;
}

int tree_remove(struct apply *a, struct fix_step *s)
{
	char file[PATH_MAX];
	int rc = tree_forget_file(a, s);

	if (rc || !s->from)
		return rc;
	/* The kernel gives the file's pages back to the pool. */
	pool_file(file, sizeof(file), s->page_size, -1, "free_hugepages");
	return tree_adjust(a, s, file, (int64_t)s->from);
}
