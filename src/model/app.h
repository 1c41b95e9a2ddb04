/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * app.h - which application a command line runs, and what its command
 * line says of its workload.  First the wrappers in front of it (env,
 * prlimit, taskset, numactl, nice, ionice, chrt, timeout, stdbuf, setsid,
 * nohup): passed over, with what they change for the application (the
 * rlimits prlimit sets, env's LD_LIBRARY_PATH and LD_PRELOAD).  Then a
 * small table of recognisers, one per kind of application (DPDK,
 * PostgreSQL, a JVM ...): whether the program read from its ELF is one,
 * its options, what else it reads that sets its memory (a configuration
 * file, or the program asked itself) and what it loads at run time that
 * its ELF headers do not name.  A program no recogniser takes is not
 * checked: the caller says which ones are known.  Pure: the program's
 * files were read by probe/program.c, and what a recogniser reads or asks
 * goes through the callbacks of struct app_io that the command gives.
 */
#ifndef HPDIAG_MODEL_APP_H
#define HPDIAG_MODEL_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "model/workload.h"
#include "probe/program.h"

/* What the wrappers of a command line do for the application. */
struct app_command {
	int prog;			/* argv index of the application; argc: none */
	const char *library_path;	/* env LD_LIBRARY_PATH=..., or NULL */
	const char *preload;		/* env LD_PRELOAD=..., or NULL */
	bool env_cleared;		/* env -i: LD_* of hpdiag's environment gone */
	struct workload_rlimit rlimits[RL_COUNT];	/* prlimit's */
};

/* Passes over the wrappers in front of ARGV's application. */
void app_unwrap(int argc, char *const *argv, struct app_command *cmd);

/* What an application loads at run time that its ELF headers do not name. */
struct app_runtime {
	const char *from;		/* the object that loads it: DT_SONAME's start */
	const char *marker;		/* its file names the directory after this */
	const char *suffixes[3];	/* the files of a directory it loads */
	char abi_suffix[24];		/* (".so.23": storage for suffixes) */
	char *const *paths;		/* more files or directories (-d) */
	size_t nr_paths;
};

/*
 * What a recogniser may read or ask beyond the program's own files, given
 * by the command: probe reads the files, act runs the program's own
 * query.  Each returns 0 or -errno.
 */
struct app_io {
	void *ctx;
	/* The text of FILE, NUL-terminated, in *TEXT (the caller frees it). */
	int (*read_file)(void *ctx, const char *path, char **text);
	/* The names in DIR that end in SUFFIX and do not start with ".",
	 * sorted, in *NAMES (the caller frees each and the array); their
	 * number in *N. */
	int (*list_dir)(void *ctx, const char *dir, const char *suffix, char ***names,
			size_t *n);
	/* Runs ARGV (ARGV[0] a path) as the owner of OWNER (a file; NULL:
	 * nobody), never as root, without input, and puts its standard
	 * output in OUT; WHY says what went wrong (it could not run, or
	 * exited with a failure: its first line of standard error). */
	int (*ask)(void *ctx, const char *const *argv, const char *owner, char *out,
		   size_t size, char *why, size_t why_size);
	/* Runs ARGV (ARGV[0] a name found in PATH), a read-only client of
	 * a service only root may reach (ovs-vsctl get), as hpdiag's own
	 * user, without input, its standard output in OUT; WHY as ask's. */
	int (*query)(void *ctx, const char *const *argv, char *out, size_t size, char *why,
		     size_t why_size);
	uint64_t default_page_size;	/* the kernel's default hugepage size */
	uint64_t mem_total;		/* MemTotal, bytes */
};

struct app_recogniser {
	const char *name;		/* "dpdk": JSON and text */
	const char *what;		/* "a DPDK application" */
	const char *programs;		/* what it takes, for the usage error:
					   "programs linking librte_eal" */
	/* Whether PROG is one; WHY says by what ("links librte_eal.so.23"). */
	bool (*match)(const struct program *prog, char *why, size_t size);
	/* Its options (ARGV[0] is the program) into H. */
	void (*options)(int argc, char *const *argv, struct workload_hint *h);
	/* What it loads later, given what its options said; NULL: nothing. */
	void (*runtime)(const struct program *prog, const struct workload_hint *h,
			struct app_runtime *rt);
	/* What else sets its memory, read or asked through IO, into H (its
	 * model in H->app), after its options; NULL: nothing.  0, or -errno
	 * with WHY saying what could not be read. */
	int (*configure)(const struct app_io *io, const struct program *prog, int argc,
			 char *const *argv, struct workload_hint *h, char *why, size_t size);
};

/* Ended by a row without a name. */
extern const struct app_recogniser app_recognisers[];

/* The recogniser of PROG, or NULL when none takes it. */
const struct app_recogniser *app_recognise(const struct program *prog, char *why,
					   size_t size);
/* "dpdk (programs linking librte_eal), postgresql (...)": the usage error's
 * list of the recognised applications. */
void app_recognised(char *buf, size_t size);
/* Adds a region of BYTES, rounded up to pages of PS, to M; also to H's
 * bytes. */
void app_region_add(struct workload_hint *h, const char *name, uint64_t bytes, uint64_t ps);
/* The recogniser named NAME, or NULL. */
const struct app_recogniser *app_recogniser_named(const char *name);
/* A command line as a log shows it (no program read): the wrappers passed
 * over, the application's options into H. */
void app_command_options(int argc, char *const *argv, struct workload_hint *h);

#endif /* HPDIAG_MODEL_APP_H */
