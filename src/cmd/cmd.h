/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd.h - the commands.  Each command is a row (struct command) that owns
 * its options: groups of option rows, each with its argument, its help
 * line and the function that takes its value.  main.c parses the command
 * line from these tables, prints --help from them, and runs the command;
 * a command returns its exit status.  assess() is the pipeline every
 * diagnosing command runs: probe, need, findings.
 */
#ifndef HPDIAG_CMD_H
#define HPDIAG_CMD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "act/plan.h"
#include "diagnose/diagnose.h"
#include "lib/err.h"
#include "model/app.h"
#include "model/need.h"
#include "probe/probe.h"
#include "report/report.h"

/* What a command runs with: the global options, the host to read, and
 * the values its options took. */
struct ctx {
	struct sysroot sr;
	struct report_opts rep;
	const char *sysroot_dir;
	const char *output;		/* -o: snapshot's DIR, every report's FILE */
	const char *file;		/* explain's FILE */
	bool log_only;			/* explain --log-only */
	char **command;			/* what follows "--" */
	pid_t pid;			/* --pid */
	const char *cgroup;		/* --cgroup */
	struct workload wl;
	struct fix_opts fix;		/* fix, check --fix */
	const char *fix_given;		/* the first fix option given */
	bool check_fix;			/* check --fix */
	unsigned timeout;		/* trial */
	uint64_t top;			/* vma */
	double watch, interval;
	const char *color;		/* --color */
	bool help;			/* --help */
};

/* One option: its names, its argument, its help, and what takes it. */
struct option_def {
	const char *name;		/* long name */
	int key;			/* its short letter, or 0 */
	const char *arg;		/* the argument's name, NULL for none;
					   "[=FILE]" for an optional one */
	const char *help;		/* its line of --help ("\n" continues it) */
	int (*set)(struct ctx *c, const char *arg);	/* 0, or EXIT_ERROR */
};

/* A named group of options ("Workload"), several commands share. */
struct option_group {
	const char *title;		/* "Workload": a --help heading; NULL: none */
	const char *synopsis;		/* "workload options", or NULL: list them */
	const struct option_def *opts;	/* ended by a row without a name */
};

enum {
	CMD_LIVE_ONLY	= 1 << 0,	/* reads the running host, not --sysroot */
	CMD_FILE_ARG	= 1 << 1,	/* takes one optional FILE argument */
	CMD_COMMAND	= 1 << 2,	/* takes a command after "--" */
};

struct command {
	const char *name;
	int (*run)(struct ctx *c);
	unsigned flags;
	const char *operands;		/* the synopsis after the options, or NULL */
	const char *summary;
	const struct option_group *const *groups;	/* ended by NULL */
	/* Checks the options together, after they are all taken; NULL: none. */
	int (*check)(struct ctx *c);
};

/* The command line: the commands, the global options (main.c). */
struct cmdline {
	const struct command *const *commands;
	size_t nr_commands;
	const struct option_def *globals;
	const struct command *default_command;
};

/* Reads ARGV (up to "--") into C and the command; 0, or the exit status
 * of a usage error (said on standard error). */
int cmdline_parse(const struct cmdline *l, int argc, char **argv, struct ctx *c,
		  const struct command **cmd);
/* --help: of CMD, or of hpdiag (CMD NULL). */
void cmdline_help(const struct cmdline *l, FILE *o, const struct command *cmd);

/* The groups the commands share (options.c). */
extern const struct option_group group_workload, group_instance, group_pid,
	group_pid_only, group_cgroup, group_report_file, group_report, group_quiet,
	group_fix, group_check_fix;

/* The commands (one file each). */
extern const struct command cmd_check, cmd_pools, cmd_mounts, cmd_limits,
	cmd_vma, cmd_trial, cmd_explain, cmd_exec, cmd_fix, cmd_snapshot;

/* ---- for the commands ----------------------------------------------------- */

/* Probed, modelled and diagnosed: what check, fix, trial, explain and exec
 * start from. */
struct assessment {
	struct snapshot snap;
	struct need need;
	struct findings fs;
	bool have_snap;
};

/* Probes the host (WHAT, from the view of PID), computes WL's need and
 * diagnoses it; prints the error and returns EXIT_ERROR when it cannot. */
int assess(struct ctx *c, unsigned what, pid_t pid, const struct workload *wl,
	   struct assessment *a);
void assessment_free(struct assessment *a);
/* What to probe for WL: the process's own VMAs, fds and status matter
 * only for --pid's baseline and for shm's privileges; the cgroups of every
 * hugepage user only for the metrics. */
unsigned probe_for(const struct ctx *c, const struct workload *wl);
/* The charges the hugetlb cgroup of SNAP refused so far, for pages of PS;
 * false when it cannot tell. */
bool cgroup_hits_now(struct ctx *c, const struct snapshot *snap, uint64_t ps,
		     uint64_t *hits);
/* Prints a probe's error; returns EXIT_ERROR. */
int probe_error(const struct probe *p, int rc);

/* What "-- COMMAND" gave (command.c): its wrappers, its program and what
 * its options said; it must outlive the workload that points into it. */
struct command_read {
	struct app_command wrap;
	struct program prog;
	bool have_prog;
	struct workload_hint hint;
	char why[128];			/* why the recogniser took it */
};

/* Reads the application of ARGV without running it - EXEC_PATH instead of
 * its argv[0] when exec saw which program ran, PRELOAD_FIRST loaded before
 * its LD_PRELOAD - and puts its workload in WL.  0, or EXIT_ERROR said;
 * unless REQUIRED, a program that cannot be read is left out, silently. */
int command_read(struct ctx *c, char *const *argv, const char *exec_path,
		 const char *preload_first, bool required, struct workload *wl,
		 struct command_read *cr);
void command_read_free(struct command_read *cr);

/* fix, with --apply as check --fix runs it. */
int run_fix(struct ctx *c);

/* The report of R, to stdout or -o FILE; 0 or EXIT_ERROR. */
int render(struct ctx *c, const struct result *r);

/* Option parsing helpers shared by the tables. */
int opt_count(const char *opt, const char *arg, uint64_t min, uint64_t *val);
/* -m, -n and --socket-mem, --node and --socket-mem exclude each other. */
int workload_options_check(struct ctx *c);

#endif /* HPDIAG_CMD_H */
