/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd.h - what the command files share with main.c: the context a command
 * runs in, and the one way each reports errors and renders its result.
 * main.c keeps the command table and picks the exit status.
 */
#ifndef HPDIAG_CMD_H
#define HPDIAG_CMD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "diagnose/diagnose.h"
#include "act/fix.h"
#include "probe/snapshot.h"
#include "report/report.h"

#define EXIT_ERROR 3
/* The largest log explain reads. */
#define EXPLAIN_MAX_INPUT (16u << 20)

struct ctx {
	struct sysroot sr;
	struct report rep;
	struct workload wl;
	const char *sysroot_dir;
	const char *output_dir;		/* snapshot -o DIR */
	const char *output_file;	/* every other command's -o FILE */
	const char *file;		/* explain's FILE */
	unsigned timeout;		/* trial */
	uint64_t top;			/* vma */
	double watch, interval;
	bool user_mode;			/* --mode given */
	struct fix_opts fix;		/* fix, check --fix */
	char **command;			/* exec: what follows "--" */
	bool check_fix;
	pid_t pid;
};

void errorx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int exit_for(enum hp_status v);
int probe_error(struct ctx *c, int rc);
int render(struct ctx *c, const struct snapshot *snap, const struct need *need,
	   const struct findings *fs, unsigned parts);
unsigned probe_for(const struct ctx *c, const struct workload *wl);

int cmd_explain(struct ctx *c);
int cmd_exec(struct ctx *c);
int cmd_fix(struct ctx *c);
int cmd_trial(struct ctx *c);
int cmd_vma(struct ctx *c);

#endif /* HPDIAG_CMD_H */
