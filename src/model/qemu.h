/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu.h - QEMU's guest RAM as its command line describes it: the memory
 * backends (-object memory-backend-file/-memfd/-ram), the legacy -m with
 * -mem-path and -mem-prealloc, and which backend is the machine's RAM.
 * What each one maps, as measured with QEMU 7.2 on Debian 12: a file
 * backend creates one file in mem-path (qemu_back_mem.XXXXXX, unlinked
 * at once, so one inode of the mount while QEMU runs; a mem-path that
 * names a file keeps that file), mmaps it with MAP_SHARED (share=on) or
 * MAP_PRIVATE (share=off) and the kernel reserves every page at mmap
 * either way, unless reserve=off (MAP_NORESERVE); a memfd backend with
 * hugetlb=on is a hugetlbfs file without a mount.  prealloc=on touches
 * every page at start.  Pure.
 */
#ifndef HPDIAG_MODEL_QEMU_H
#define HPDIAG_MODEL_QEMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QEMU_MAX_BACKENDS	16
#define QEMU_TEXT		256
/* QEMU's default RAM size without -m (mc->default_ram_size of pc/q35). */
#define QEMU_DEFAULT_RAM	(128ULL << 20)

enum qemu_kind {
	QEMU_FILE,		/* memory-backend-file, or -mem-path */
	QEMU_MEMFD,		/* memory-backend-memfd */
	QEMU_RAM,		/* memory-backend-ram, or -m alone: anonymous */
};

struct qemu_backend {
	enum qemu_kind kind;
	char id[64];
	uint64_t size;			/* bytes, as given */
	char mem_path[QEMU_TEXT];	/* file: the directory or file */
	bool share;			/* MAP_SHARED (memfd's default) */
	bool prealloc;			/* every page touched at start */
	bool reserve;			/* else MAP_NORESERVE (reserve=off) */
	bool hugetlb;			/* memfd: hugetlb=on */
	uint64_t hugetlbsize;		/* memfd: 0 for the kernel's default */
	bool legacy;			/* made from -m and -mem-path */
};

struct qemu_vm {
	struct qemu_backend backends[QEMU_MAX_BACKENDS];
	size_t nr_backends;
	uint64_t ram;			/* -m, bytes */
	bool have_ram;
	char mem_path[QEMU_TEXT];	/* -mem-path */
	bool mem_prealloc;		/* -mem-prealloc */
	char machine_type[64];		/* -machine TYPE ("none"), or "" */
	char machine_backend[64];	/* -machine memory-backend=ID */
	bool numa_memdev;		/* -numa node,memdev=ID: RAM from backends */
	/* What QEMU refuses before it maps anything, or "". */
	char error[QEMU_TEXT];
};

/*
 * QEMU's size syntax: a number (a fraction too) with an optional suffix
 * B, K, M, G, T, P, E (either case); without one, UNIT bytes per unit
 * (1 for -object sizes, 1 MiB for -m).  0, or -EINVAL.
 */
int qemu_size_parse(const char *s, uint64_t unit, uint64_t *bytes);
/* ARGV's options (ARGV[0] the program) into VM: 0, or -EINVAL when none
 * names guest RAM in hugepages or files (VM->error may say why). */
int qemu_parse(int argc, char *const *argv, struct qemu_vm *vm);
/* The directory PATH is in ("/" for "/x", "." for "x"), into BUF. */
void qemu_parent_dir(const char *path, char *buf, size_t size);
/* Whether B takes its pages from hugetlbfs, given that PATH_ON_HUGETLBFS
 * says whether its mem-path is on a hugetlbfs mount. */
bool qemu_backend_huge(const struct qemu_backend *b, bool path_on_hugetlbfs);
/* One line on what VM maps, for the text output: "memory-backend-file m
 * 256 MiB in /dev/hugepages share=on" ... */
void qemu_describe(const struct qemu_vm *vm, char *buf, size_t size);

/* The recogniser of app.c's table: a program named qemu-system-*, its
 * options into H->qemu (MODE_QEMU) and its model into H->app. */
struct program;
struct workload_hint;
bool qemu_match(const struct program *prog, char *why, size_t size);
void qemu_options(int argc, char *const *argv, struct workload_hint *h);

#endif /* HPDIAG_MODEL_QEMU_H */
