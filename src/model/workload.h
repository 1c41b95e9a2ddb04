/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * workload.h - the workload a user describes (-m, --socket-mem, --mode,
 * --huge-dir ...), and what a log or a command line adds to it: explain
 * and exec read the application's own options from its output, and they
 * fill in what the user did not say.  Pure.
 */
#ifndef HPDIAG_MODEL_WORKLOAD_H
#define HPDIAG_MODEL_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe/snapshot.h"

#define MAX_SOCKETS		64
#define HINT_MAX_PLUGINS	16

struct program;
struct qemu_vm;

/*
 * What an application's model says beyond its pages (model/app.h): which
 * application, from what input, its settings as it reads them, and what
 * it does when its hugepages cannot be had.  Filled by its recogniser.
 */
#define APP_TEXT 512
#define APP_MAX_REGIONS 8

/* One mapping the application makes of hugepages, in the order it makes
 * them: with a fallback, each that cannot have its pages takes base pages
 * and the next is tried. */
struct app_region {
	char name[40];			/* "heap", "code cache" */
	uint64_t bytes;			/* whole pages of the size */
};

struct app_model {
	bool known;			/* a recogniser (other than DPDK's) filled it */
	const char *name;		/* "postgresql", "jvm": JSON */
	const char *what;		/* "PostgreSQL", "a JVM (OpenJDK 17)": text */
	char input[APP_TEXT];		/* "postgres -C shared_memory_size_in_huge_pages" */
	char settings[APP_TEXT];	/* "huge_pages=on, shared_buffers=128MB" */
	char note[APP_TEXT];		/* why the input is not the best one, or "" */
	/* It takes no hugetlbfs pages (huge_pages=off, transparent huge
	 * pages): NONE_WHY says so, and nothing is checked. */
	bool no_hugepages;
	char none_why[APP_TEXT];
	/* ... though it asked for them: its own settings turn them off (a
	 * JVM's -XX:+UseLargePages -XX:-UseSHM), a degraded start. */
	bool none_lost;
	/* ... and it takes transparent huge pages instead (a JVM's
	 * -XX:+UseTransparentHugePages): the host's THP mode decides. */
	bool thp;
	/* When its mapping fails at map time it runs without hugepages (a
	 * degraded start): LOSS says what is lost ("PostgreSQL will run
	 * without hugepages (huge_pages=try)"). */
	bool fallback;
	char loss[APP_TEXT];
	/* It refuses its own options before it takes any memory (EAL's
	 * "Option -c is ignored, because (-l) is set!"): what it says, or "". */
	char refused[APP_TEXT];
	struct app_region regions[APP_MAX_REGIONS];
	size_t nr_regions;
};

enum mode {
	MODE_DYNAMIC,		/* DPDK default: one file and one fd per page */
	MODE_LEGACY,		/* --legacy-mem: every free page mapped first */
	MODE_SINGLE_FILE,	/* --single-file-segments: one file per list */
	MODE_IN_MEMORY,		/* --in-memory: memfd, no files, no shared config */
	MODE_ANON,		/* one mmap(MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB) */
	MODE_SHM,		/* shmget(SHM_HUGETLB) */
	MODE_QEMU,		/* QEMU's memory backends (model/qemu.h) */
	MODE_COUNT
};

struct workload {
	uint64_t page_size;		/* 0: the kernel's default size */
	bool have_page_size;		/* --page-size was given */
	uint64_t pages;			/* -n */
	uint64_t mem_bytes;		/* -m MB */
	bool have_pages;
	bool have_mem;
	uint64_t socket_mem[MAX_SOCKETS];	/* MiB per node */
	size_t nr_socket_mem;
	const char *huge_dir;
	const char *file_prefix;	/* DPDK's --file-prefix: names a running instance */
	uint64_t baseline_vmas;
	bool have_baseline_vmas;
	pid_t pid;
	enum mode mode;			/* default: dynamic */
	bool have_mode;			/* --mode was given */
	unsigned dpdk_version;		/* 2211 for 22.11; 0: the default */
	int node;			/* --node: every page there */
	bool have_node;
	/* From the application's command line (check/trial/exec -- COMMAND). */
	const struct program *program;	/* read from its ELF, or NULL */
	const char *app;		/* the recogniser that took it ("dpdk") */
	const char *app_why;		/* by what ("links librte_eal.so.23") */
	const struct app_model *app_model;	/* its model, or NULL */
	unsigned lcores;		/* EAL lcores, service lcores included */
	bool have_lcores;		/* else every CPU (DPDK's default) */
	bool no_telemetry;		/* --no-telemetry */
	bool no_shconf;			/* --no-shconf, --in-memory: no mp thread */
	const struct qemu_vm *qemu;	/* QEMU's guest RAM, or NULL */
	/* Limits a wrapper sets (prlimit --data=...): they replace the
	 * host's for the application. */
	struct workload_rlimit {
		bool soft_set, hard_set;
		uint64_t soft, hard;	/* HP_UNLIMITED for unlimited */
	} rlimits[RL_COUNT];
};

/* What an application's output or command line told of its workload. */
struct workload_hint {
	bool have_mode;
	enum mode mode;
	unsigned dpdk_version;		/* 0: not told */
	bool have_mem;
	uint64_t mem_mb;
	uint64_t socket_mem[MAX_SOCKETS];
	size_t nr_socket_mem;
	char *huge_dir;
	char *file_prefix;
	uint64_t page_size;		/* from "2 MB hugepages" and the like */
	bool have_pages;		/* pages: a count the application asks for */
	uint64_t pages;
	bool have_bytes;		/* bytes: an amount, rounded up to pages */
	uint64_t bytes;
	struct app_model app;		/* a recogniser's model, or not known */
	/* EAL's threads and plug-ins: -l/-c/--lcores with -s/-S, the
	 * telemetry and multi-process threads, -d. */
	unsigned lcores;		/* 0: not told */
	bool no_telemetry;
	bool no_shconf;
	char *plugins[HINT_MAX_PLUGINS];
	size_t nr_plugins;
	struct qemu_vm *qemu;		/* QEMU's guest RAM (allocated), or NULL */
};

/* The mode a log or a command line tells. */
void workload_hint_mode(struct workload_hint *h, enum mode m);
/* Fills in WL what the hint told and the user did not say.  The hint
 * must outlive WL (huge_dir is shared, not copied). */
void workload_merge(struct workload *wl, const struct workload_hint *h);
/* Frees what a hint holds (its strings). */
void workload_hint_free(struct workload_hint *h);
/* Whether the user gave an amount: -m, -n or --socket-mem. */
bool workload_has_amount(const struct workload *wl);

const char *mode_name(enum mode m);
int mode_parse(const char *s, enum mode *m);
bool mode_is_dpdk(enum mode m);
/* Whether the mode keeps page files in a hugetlbfs mount. */
bool mode_uses_files(enum mode m);
/* "22.11" -> 2211; returns -EINVAL for anything else. */
int dpdk_version_parse(const char *s, unsigned *v);
/* DPDK's --socket-mem list "1024,0,512" into MB[] (at most MAX_SOCKETS
 * fields): 0, or -EINVAL for an empty field, a field that is not a number
 * of MiB, or too many fields (DPDK rejects "1,,2" and "2,"). */
int socket_mem_parse(const char *s, uint64_t *mb, size_t *n);

#endif /* HPDIAG_MODEL_WORKLOAD_H */
