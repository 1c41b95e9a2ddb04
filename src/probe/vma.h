/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vma.h - who holds a process's VMAs: /proc/PID/maps grouped by backing
 * object, with the shapes that show a leak (field report 001 in the
 * README, reproduced by tests/leaker.c: many VMAs mapping the same object
 * at the same offset and length), and the processes holding the most VMAs
 * on the host.  Memory grows with the number of distinct objects, never
 * with the number of VMAs.
 */
#ifndef HPDIAG_VMA_H
#define HPDIAG_VMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe/probe.h"

/* Identical (offset, length) mappings remembered per object, at most. */
#define VMA_SHAPES 16
/* This many VMAs mapping one object at one offset and length is a leak. */
#define VMA_LEAK_IDENTICAL 32

struct vma_shape {
	uint64_t offset, length, count;
};

struct vma_group {
	char *object;			/* path, "[anon]", "[heap]", ... */
	uint64_t vmas;
	uint64_t bytes;
	uint64_t rss;			/* from smaps, with --verbose */
	uint64_t shared;
	bool have_rss;
	struct vma_shape shapes[VMA_SHAPES];
	size_t nr_shapes;
	uint64_t identical;		/* the most VMAs of one shape */
	uint64_t first_vmas;		/* --watch: at the first sample */
	double rate;			/* --watch: VMAs per second */
	bool leak;			/* identical >= VMA_LEAK_IDENTICAL */
	bool growing;			/* --watch: more at the end */
};

struct vma_scan {
	pid_t pid;
	bool as_root;			/* read as root: a remedy needs no sudo */
	uint64_t count;
	struct vma_group *groups;	/* hash table, then sorted by vmas */
	size_t nr_groups, cap;
};

/* The group name of a maps path ("" is "[anon]"; "(deleted)" kept). */
void vma_object(const char *path, size_t len, char *out, size_t size);

int vma_scan_pid(struct probe *p, pid_t pid, bool smaps, struct vma_scan *vs);
void vma_scan_sort(struct vma_scan *vs);
void vma_scan_free(struct vma_scan *vs);
struct vma_proc {
	pid_t pid;
	char comm[32];
	uint64_t count;
};

struct vma_top {
	struct vma_proc *procs;		/* sorted, most VMAs first */
	size_t nr_procs;
	uint64_t scanned, unreadable, vanished;
	bool as_root;			/* the scan ran as root: root cannot read them either */
};

int vma_top_scan(struct probe *p, size_t keep, struct vma_top *top);
void vma_top_free(struct vma_top *top);

#endif /* HPDIAG_VMA_H */
