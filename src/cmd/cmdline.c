// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmdline.c - the command line, read from the commands' option tables
 * (getopt_long's tables are built from them), and --help printed from the
 * same tables, so the two cannot disagree.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"

/* ---- the tables as getopt's ---------------------------------------------- */

#define MAX_OPTS 64

struct optset {
	struct option longopts[MAX_OPTS + 1];
	const struct option_def *defs[MAX_OPTS];
	char shorts[3 * MAX_OPTS + 2];
	size_t n;
};

static void optset_add(struct optset *s, const struct option_def *d)
{
	size_t sl = strlen(s->shorts);

	/* A leading ':' has getopt tell a missing argument from an unknown
	 * option. */
	if (!sl)
		s->shorts[sl++] = ':';
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->longopts[i].name, d->name))
			return;
	if (s->n >= MAX_OPTS)
		return;
	s->longopts[s->n] = (struct option) {
		d->name, !d->arg ? no_argument : d->arg[0] == '[' ?
		optional_argument : required_argument, NULL, (int)(256 + s->n),
	};
	s->defs[s->n++] = d;
	if (d->key) {
		s->shorts[sl++] = (char)d->key;
		if (d->arg)
			s->shorts[sl++] = ':';
		s->shorts[sl] = '\0';
	}
}

static void optset_groups(struct optset *s, const struct command *cmd)
{
	for (size_t g = 0; cmd->groups && cmd->groups[g]; g++)
		for (const struct option_def *d = cmd->groups[g]->opts; d->name; d++)
			optset_add(s, d);
}

/* The row of what getopt returned: a long option's index, or a short one. */
static const struct option_def *optset_def(const struct optset *s, int opt)
{
	if (opt >= 256 && (size_t)(opt - 256) < s->n)
		return s->defs[opt - 256];
	for (size_t i = 0; i < s->n; i++)
		if (s->defs[i]->key == opt)
			return s->defs[i];
	return NULL;
}

/* ---- help ------------------------------------------------------------------ */

static void print_opts(FILE *o, const struct option_def *d)
{
	for (; d->name; d++) {
		const char *h = d->help;
		char left[64];

		snprintf(left, sizeof(left), "%s%c%s--%s%s%s", d->key ? "-" : "   ",
			 d->key ? d->key : ' ', d->key ? ", " : "", d->name,
			 d->arg && d->arg[0] != '[' ? " " : "", d->arg ? d->arg : "");
		/* A long left side, or help that says so, starts on its own line. */
		if (strlen(left) > 25 || *h == '\n' || !*h) {
			fprintf(o, "  %s\n", left);
			h += *h == '\n';
			if (!*h)
				continue;
			fprintf(o, "%28s", "");
		} else {
			fprintf(o, "  %-26s", left);
		}
		while (*h) {
			size_t len = strcspn(h, "\n");

			fprintf(o, "%.*s\n", (int)len, h);
			h += len;
			if (*h == '\n' && *++h)
				fprintf(o, "%28s", "");
		}
	}
}

static void print_synopsis(FILE *o, const struct command *cmd)
{
	fprintf(o, "Usage: hpdiag %s", cmd->name);
	for (size_t g = 0; cmd->groups && cmd->groups[g]; g++) {
		const struct option_group *gr = cmd->groups[g];

		if (gr->synopsis) {
			fprintf(o, " [%s]", gr->synopsis);
			continue;
		}
		for (const struct option_def *d = gr->opts; d->name; d++) {
			if (d->key)
				fprintf(o, " [-%c%s%s]", d->key, d->arg ? " " : "",
					d->arg ? d->arg : "");
			else
				fprintf(o, " [--%s%s%s]", d->name,
					d->arg && d->arg[0] != '[' ? " " : "",
					d->arg ? d->arg : "");
		}
	}
	fprintf(o, "%s%s\n", cmd->operands ? " " : "", cmd->operands ? cmd->operands : "");
}

void cmdline_help(const struct cmdline *l, FILE *o, const struct command *cmd)
{
	if (cmd) {
		bool options = false;

		print_synopsis(o, cmd);
		fprintf(o, "\n%s.\n\n", cmd->summary);
		/* Untitled groups first, under the command's own heading. */
		for (size_t g = 0; cmd->groups[g]; g++) {
			if (cmd->groups[g]->title)
				continue;
			if (!options)
				fputs("Options:\n", o);
			options = true;
			print_opts(o, cmd->groups[g]->opts);
		}
		for (size_t g = 0; cmd->groups[g]; g++) {
			if (!cmd->groups[g]->title)
				continue;
			fprintf(o, "%s:\n", cmd->groups[g]->title);
			print_opts(o, cmd->groups[g]->opts);
		}
	} else {
		fputs("Usage: hpdiag [OPTIONS] [COMMAND] [COMMAND OPTIONS]\n\n"
		      "Tells whether a hugepage user (DPDK, SPDK, PostgreSQL, a JVM) will\n"
		      "get its memory on this host, and if not, which limit stops it.\n\n"
		      "Commands:\n", o);
		for (size_t i = 0; i < l->nr_commands; i++)
			fprintf(o, "  %-10s %s\n", l->commands[i]->name,
				l->commands[i]->summary);
		fputs("\nWith no command, hpdiag runs 'check'.  "
		      "'hpdiag COMMAND --help' shows a command's options.\n\n", o);
	}
	fputs("Global options:\n", o);
	print_opts(o, l->globals);
	if (!cmd)
		fputs("\nExit status: 0 all pass, 1 warnings, 2 a failure, 3 hpdiag "
		      "could not do its job.\n", o);
	fputs("\nSee hpdiag(8).\n", o);
}

/* ---- the command line -------------------------------------------------------- */

static const struct command *find_command(const struct cmdline *l, const char *name)
{
	for (size_t i = 0; i < l->nr_commands; i++)
		if (!strcmp(l->commands[i]->name, name))
			return l->commands[i];
	return NULL;
}

static int unknown_option(int argc, char **argv)
{
	(void)argc;
	if (optopt && optopt < 256)
		return usage_error("unknown option '-%c' (hpdiag --help lists them)", optopt);
	return usage_error("unknown option '%s' (hpdiag --help lists them)", argv[optind - 1]);
}

/* getopt said ':': the option it was reading needs its argument. */
static int missing_argument(const struct optset *s, char **argv)
{
	bool is_short = optopt && optopt < 256;
	const char *name = is_short ? NULL : argv[optind - 1];

	for (size_t i = 0; i < s->n; i++) {
		const struct option_def *d = s->defs[i];

		if (is_short ? d->key == optopt :
		    !strncmp(name, "--", 2) && !strcmp(name + 2, d->name)) {
			if (is_short)
				return usage_error("option '-%c' needs an argument (%s)",
						   optopt, d->arg);
			return usage_error("option '--%s' needs an argument (%s)",
					   d->name, d->arg);
		}
	}
	if (is_short)
		return usage_error("option '-%c' needs an argument", optopt);
	return usage_error("option '%s' needs an argument", name);
}

/*
 * Options may come before or after the command: a first pass with every
 * command's options finds the command word, the second takes the options
 * with the command's table (an option of another command does not apply).
 */
int cmdline_parse(const struct cmdline *l, int argc, char **argv, struct ctx *c,
		  const struct command **cmdp)
{
	static struct optset all, set;
	const struct command *cmd = NULL;
	int opt;

	for (const struct option_def *d = l->globals; d->name; d++)
		optset_add(&all, d);
	for (size_t i = 0; i < l->nr_commands; i++)
		optset_groups(&all, l->commands[i]);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, all.shorts, all.longopts, NULL)) != -1) {
		const struct option_def *d = optset_def(&all, opt);

		if (opt == ':')
			return missing_argument(&all, argv);
		if (!d)
			return unknown_option(argc, argv);
		/* --version and --help whatever else is there. */
		if (d->key == 'V' || d->key == 'h')
			d->set(c, NULL);
	}
	if (optind < argc && !(cmd = find_command(l, argv[optind])))
		return usage_error("unknown command '%s'", argv[optind]);
	*cmdp = cmd;
	if (c->help)
		return 0;
	if (!cmd)
		cmd = *cmdp = l->default_command;

	c->color = "auto";
	for (const struct option_def *d = l->globals; d->name; d++)
		optset_add(&set, d);
	optset_groups(&set, cmd);
	optind = 0;
	while ((opt = getopt_long(argc, argv, set.shorts, set.longopts, NULL)) != -1) {
		const struct option_def *d = optset_def(&set, opt);
		/* getopt gives every required argument; optional ones may be NULL. */
		const char *arg = optarg ? optarg : "";
		int rc;

		if (opt == ':')
			return missing_argument(&set, argv);
		if (!d) {
			const char *name = optopt && optopt < 256 ? NULL : argv[optind - 1];
			char shopt[4] = { '-', (char)optopt, '\0', '\0' };
			bool known = false;

			for (size_t i = 0; i < all.n; i++)
				known |= name ? !strncmp(name + 2, all.longopts[i].name,
							 strcspn(name + 2, "=")) &&
						!all.longopts[i].name[strcspn(name + 2, "=")] :
					 all.defs[i]->key == optopt;
			if (!known)
				return unknown_option(argc, argv);
			return usage_error("%s: option '%s' does not apply to this "
					   "command", cmd->name, name ? name : shopt);
		}
		rc = d->set(c, d->arg && d->arg[0] == '[' ? optarg : arg);
		if (rc)
			return EXIT_ERROR;
	}
	if (optind < argc && !strcmp(argv[optind], cmd->name))
		optind++;
	if (optind < argc && (cmd->flags & CMD_FILE_ARG))
		c->file = argv[optind++];
	if (optind < argc)
		return usage_error("%s: unexpected argument '%s'%s", cmd->name,
				   argv[optind], (cmd->flags & CMD_COMMAND) ?
				   " (the command goes after '--')" : "");
	/* After "--" a FILE may start with '-' (explain -- -odd.log). */
	if (c->command && !(cmd->flags & CMD_COMMAND) && (cmd->flags & CMD_FILE_ARG) &&
	    !c->file && c->command[0] && !c->command[1]) {
		c->file = c->command[0];
		c->command = NULL;
	}
	if (c->command && !(cmd->flags & CMD_COMMAND))
		return usage_error("%s: unexpected '--' and arguments after it",
				   cmd->name);
	if (cmd->check && cmd->check(c))
		return EXIT_ERROR;
	if ((cmd->flags & CMD_LIVE_ONLY) && c->sysroot_dir)
		return usage_error("%s reads the running host; it cannot be "
				   "combined with --sysroot", cmd->name);
	if (!strcmp(c->color, "always")) {
		c->rep.color = true;
	} else if (!strcmp(c->color, "auto")) {
		const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

		c->rep.color = !c->output && isatty(STDOUT_FILENO) && !(nc && nc[0]) &&
			       !(term && !strcmp(term, "dumb"));
	}
	/* 100 columns, or $COLUMNS where the user set it (40 at least). */
	c->rep.width = TEXT_COLUMNS;
	if (getenv("COLUMNS")) {
		uint64_t w;

		if (parse_u64(getenv("COLUMNS"), &w) == 0 && w >= 40)
			c->rep.width = w > 100000 ? 100000 : (unsigned)w;
	}
	return 0;
}

