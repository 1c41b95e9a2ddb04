/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * app.h - which application a command line runs, and what its command
 * line says of its workload.  First the wrappers in front of it (env,
 * prlimit, taskset, numactl, nice, ionice, chrt, timeout, stdbuf, setsid,
 * nohup): passed over, with what they change for the application (the
 * rlimits prlimit sets, env's LD_LIBRARY_PATH and LD_PRELOAD).  Then a
 * small table of recognisers, one per kind of application (DPDK today):
 * whether the program read from its ELF is one, its options, and what it
 * loads at run time that its ELF headers do not name.  A program no
 * recogniser takes is read as a DPDK application for now.  Pure: the
 * program's files were read by probe/program.c.
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

struct app_recogniser {
	const char *name;		/* "dpdk": JSON and text */
	const char *what;		/* "a DPDK application" */
	/* Whether PROG is one; WHY says by what ("links librte_eal.so.23"). */
	bool (*match)(const struct program *prog, char *why, size_t size);
	/* Its options (ARGV[0] is the program) into H. */
	void (*options)(int argc, char *const *argv, struct workload_hint *h);
	/* What it loads later, given what its options said. */
	void (*runtime)(const struct program *prog, const struct workload_hint *h,
			struct app_runtime *rt);
};

extern const struct app_recogniser app_recognisers[];

/* The recogniser of PROG; with none, the first (DPDK) and *ASSUMED. */
const struct app_recogniser *app_recognise(const struct program *prog, char *why,
					   size_t size, bool *assumed);
/* A command line as a log shows it (no program read): the wrappers passed
 * over, the application's options into H. */
void app_command_options(int argc, char *const *argv, struct workload_hint *h);

#endif /* HPDIAG_MODEL_APP_H */
