// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * need-qemu.c - QEMU's need: the pages of each of its hugepage backends,
 * the page size from the hugetlbfs mount its mem-path is on (a memfd's
 * hugetlbsize, or the kernel's default size), rounded up to whole pages
 * as QEMU rounds a file backend; one file, so one inode, per file backend
 * in its mount; and when the pages are taken - every one reserved at mmap
 * (share=on and share=off alike), touched at start with prealloc=on, or
 * only when the guest first touches it with reserve=off.  A file backend
 * whose mem-path is not on hugetlbfs runs on 4 KiB pages: QEMU 7.2 says
 * nothing of it.  One whose mem-path is missing with its directory maps
 * nothing: QEMU cannot open it (need->missing_path).  What QEMU refuses
 * on its command line (vm->error) is need->config_error.  Pure.
 */
#include <stdio.h>
#include <string.h>

#include "lib/num.h"
#include "model/need.h"
#include "model/qemu.h"

/* The need's entry for page size PS, added when there is none (NULL when
 * the need has sizes enough). */
static struct need_size *size_entry(struct need *need, uint64_t ps)
{
	for (size_t i = 0; i < need->nr_sizes; i++)
		if (need->sizes[i].page_size == ps)
			return &need->sizes[i];
	if (need->nr_sizes == NEED_MAX_SIZES)
		return NULL;
	need->sizes[need->nr_sizes].page_size = ps;
	return &need->sizes[need->nr_sizes++];
}

/* Whether mem-path PATH is missing with the directory it would be made
 * in: QEMU 7.2 makes a file named PATH when only PATH is missing (and
 * keeps it), and says "can't open backing store PATH for guest RAM: No
 * such file or directory" (exit 1) when its directory is missing too.
 * Only the live host knows (snap->dirs, probed for the mem-paths). */
static bool path_missing(const struct snapshot *snap, const char *path)
{
	const struct dir_fact *d = snapshot_dir(snap, path), *pd;
	char parent[QEMU_TEXT];

	if (!d || d->state != DIR_ABSENT)
		return false;
	qemu_parent_dir(path, parent, sizeof(parent));
	pd = snapshot_dir(snap, parent);
	return pd && (pd->state == DIR_ABSENT || pd->state == DIR_NOT_DIR);
}

static void add_backend(const struct snapshot *snap, const struct qemu_backend *b,
			struct need *need)
{
	const struct mount *m = NULL;
	struct need_size *sz;
	uint64_t ps;

	if (b->kind == QEMU_FILE) {
		if (path_missing(snap, b->mem_path)) {
			if (!need->missing_path)
				need->missing_path = b->mem_path;
			return;
		}
		m = need_mount_of_dir(snap, b->mem_path);
		if (!m || !m->page_size) {
			need->unhuge_path = b->mem_path;
			need->unhuge_bytes = hp_sat_add(need->unhuge_bytes, b->size);
			return;
		}
		ps = m->page_size;
	} else if (b->kind == QEMU_MEMFD && b->hugetlb) {
		ps = b->hugetlbsize ? b->hugetlbsize : snap->mem.hugepagesize;
		/* ftruncate of a hugetlb memfd to a part of a page: EINVAL
		 * (app-qemu.c tells it when hugetlbsize is given). */
		if (ps && b->size % ps && !need->config_error) {
			snprintf(need->config_text, sizeof(need->config_text),
				 "failed to resize memfd to %llu: Invalid argument",
				 (unsigned long long)b->size);
			need->config_error = need->config_text;
		}
	} else {
		return;
	}
	sz = ps ? size_entry(need, ps) : NULL;
	if (!sz)
		return;
	sz->pages = hp_sat_add(sz->pages, hp_div_up(b->size, ps));
	if (m) {
		sz->files++;
		if (!sz->mount) {
			sz->mount = m;
			sz->app_dir = b->mem_path;
		}
	}
	if (b->prealloc)
		need->prealloc = true;
	else if (!b->reserve)
		need->late_fault = true;
}

void need_qemu(const struct snapshot *snap, const struct workload *wl,
	       struct need *need)
{
	const struct qemu_vm *vm = wl->qemu;

	if (!vm) {
		/* --mode qemu alone: one file backend of the amount given. */
		need_sizes(snap, wl, need);
		need->sizes[0].files = need->sizes[0].mount ? 1 : 0;
		return;
	}
	memset(need->sizes, 0, sizeof(need->sizes));
	need->nr_sizes = 0;
	for (size_t i = 0; i < vm->nr_backends; i++)
		add_backend(snap, &vm->backends[i], need);
	if (vm->error[0])
		need->config_error = vm->error;
	if (!need->nr_sizes) {
		/* No hugepages at all: nothing to take. */
		need->nr_sizes = 1;
		need->sizes[0].page_size = snap->mem.hugepagesize;
	}
	need->page_size = need->sizes[0].page_size;
	need->pages = 0;
	for (size_t i = need->nr_sizes; i-- > 0; ) {
		need->pages = hp_sat_add(need->pages, need->sizes[i].pages);
		if (need->sizes[i].pages && need->sizes[i].page_size > need->page_size)
			need->page_size = need->sizes[i].page_size;
	}
}
