// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - the global options, the command table, dispatch and the exit
 * status a command returns: 0 every finding passes, 1 warnings only, 2 a
 * failure, 3 hpdiag could not do its job.  Each command owns its options
 * (cmd/); the command line is read from their tables and --help printed
 * from them (cmd/cmdline.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"

static const struct command *const commands[] = {
	&cmd_check, &cmd_pools, &cmd_mounts, &cmd_limits, &cmd_vma, &cmd_trial,
	&cmd_explain, &cmd_exec, &cmd_fix, &cmd_snapshot,
};
#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static int set_sysroot(struct ctx *c, const char *arg)
{
	c->sysroot_dir = arg;
	return 0;
}

static int set_json(struct ctx *c, const char *arg)
{
	(void)arg;
	c->rep.format = FMT_JSON;
	return 0;
}

static int set_format(struct ctx *c, const char *arg)
{
	if (!strcmp(arg, "json"))
		c->rep.format = FMT_JSON;
	else if (!strcmp(arg, "text"))
		c->rep.format = FMT_TEXT;
	else if (!strcmp(arg, "prometheus"))
		c->rep.format = FMT_PROM;
	else
		return usage_error("--format: '%s' is not one of text, json, "
				   "prometheus", arg);
	return 0;
}

static int set_color(struct ctx *c, const char *arg)
{
	if (strcmp(arg, "auto") && strcmp(arg, "always") && strcmp(arg, "never"))
		return usage_error("--color: '%s' is not one of auto, always, never",
				   arg);
	c->color = arg;
	return 0;
}

static int set_verbose(struct ctx *c, const char *arg)
{
	(void)arg;
	c->rep.verbose++;
	return 0;
}

static int set_help(struct ctx *c, const char *arg)
{
	(void)arg;
	c->help = true;
	return 0;
}

static int set_version(struct ctx *c, const char *arg)
{
	(void)c;
	(void)arg;
	printf("hpdiag %s\n", PACKAGE_VERSION);
	exit(EXIT_PASS);
}

/* The global options: every command takes them. */
static const struct option_def global_opts[] = {
	{ "sysroot", 0, "DIR", "read /proc and /sys under DIR (a snapshot)", set_sysroot },
	{ "json", 0, NULL, "the same as --format json", set_json },
	{ "format", 0, "text|json|prometheus", "\noutput format (default text)",
	  set_format },
	{ "color", 0, "auto|always|never", "", set_color },
	{ "verbose", 'v', NULL, "more detail: the evidence of passing checks,\n"
	  "per-node rows, each page file", set_verbose },
	{ "help", 'h', NULL, "print this help", set_help },
	{ "version", 'V', NULL, "print the version", set_version },
	{ NULL, 0, NULL, NULL, NULL },
};

static const struct cmdline line = {
	.commands = commands, .nr_commands = NR_COMMANDS,
	.globals = global_opts, .default_command = &cmd_check,
};

int main(int argc, char **argv)
{
	const struct command *cmd = NULL;
	struct ctx c;
	int rc;

	/* Installed setuid or setgid, any user could write to the host. */
	if (getuid() != geteuid() || getgid() != getegid()) {
		fputs("hpdiag: refusing to run setuid or setgid: it writes to the "
		      "host with fix and runs commands with exec; run it as root "
		      "(sudo hpdiag ...) and remove the bit (chmod u-s,g-s)\n", stderr);
		return EXIT_ERROR;
	}
	memset(&c, 0, sizeof(c));
	c.rep.out = stdout;
	c.rep.format = FMT_TEXT;
	/* Everything after "--" is a command's, never hpdiag's options. */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			c.command = argv + i + 1;
			argv[i] = NULL;
			argc = i;
			break;
		}
	}
	rc = cmdline_parse(&line, argc, argv, &c, &cmd);
	if (rc)
		return rc;
	if (c.help) {
		cmdline_help(&line, stdout, cmd);
		return EXIT_PASS;
	}
	c.rep.command = cmd->name;
	rc = sysroot_init(&c.sr, c.sysroot_dir);
	if (rc < 0) {
		errorx("%s: cannot open sysroot: %s", c.sysroot_dir ? c.sysroot_dir : "/",
		       hp_strerror(rc));
		sysroot_release(&c.sr);
		return EXIT_ERROR;
	}
	rc = cmd->run(&c);
	sysroot_release(&c.sr);
	return rc;
}
