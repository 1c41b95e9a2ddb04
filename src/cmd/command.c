// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * command.c - the workload of the application's own command line, "--
 * COMMAND [ARGS...]" (check, trial, exec): the wrappers in front of it
 * passed over (model/app.c), its program read from its ELF with what
 * starts with it (probe/program.c), the recogniser that knows it, its
 * options, then what it loads at run time that its ELF does not name.
 * Nothing is run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "act/ask.h"
#include "cmd/cmd.h"

/* What a recogniser reads and asks (model/app.h's struct app_io). */
static int io_read(void *ctx, const char *path, char **text)
{
	return appconf_read(ctx, path, text);
}

static int io_list(void *ctx, const char *dir, const char *suffix, char ***names, size_t *n)
{
	return appconf_list(ctx, dir, suffix, names, n);
}

static int io_ask(void *ctx, const char *const *argv, const char *owner, char *out, size_t size,
		  char *why, size_t why_size)
{
	(void)ctx;
	return app_ask(argv, owner, out, size, why, why_size);
}

static int io_query(void *ctx, const char *const *argv, char *out, size_t size, char *why,
		    size_t why_size)
{
	(void)ctx;
	return app_query(argv, out, size, why, why_size);
}

/* The recogniser's configuration: files, and the program asked (live only). */
static int command_configure(struct ctx *c, struct probe *p, const struct app_recogniser *r,
			     int argc, char *const *argv, struct command_read *cr)
{
	struct meminfo mem = { 0 };
	struct app_io io = { .ctx = p, .read_file = io_read, .list_dir = io_list };
	char why[512] = "";
	int rc;

	if (!r->configure)
		return 0;
	if (meminfo_scan(p, &mem) == 0) {
		io.default_page_size = mem.hugepagesize;
		io.mem_total = mem.mem_total;
	}
	if (c->sr.live) {
		io.ask = io_ask;
		io.query = io_query;
	}
	rc = r->configure(&io, &cr->prog, argc, argv, &cr->hint, why, sizeof(why));
	if (rc < 0) {
		errorx("%s: %s", r->what, why[0] ? why : hp_strerror(rc));
		return EXIT_ERROR;
	}
	return 0;
}

int command_read(struct ctx *c, char *const *argv, const char *exec_path,
		 const char *preload_first, bool required, struct workload *wl,
		 struct command_read *cr)
{
	struct probe p = { .sr = &c->sr };
	const struct app_recogniser *r;
	struct app_runtime rt;
	const char *libpath, *preload;
	char *pre = NULL;
	long ps = sysconf(_SC_PAGESIZE);
	int argc = 0, rc;

	memset(cr, 0, sizeof(*cr));
	while (argv[argc])
		argc++;
	app_unwrap(argc, argv, &cr->wrap);
	if (cr->wrap.prog >= argc && !exec_path)
		return required ? usage_error("no program after the wrappers in '%s'",
					      argv[0]) : 0;
	/* The environment it starts with: ours, as a wrapper changes it. */
	libpath = cr->wrap.library_path ? cr->wrap.library_path :
		  cr->wrap.env_cleared ? NULL : getenv("LD_LIBRARY_PATH");
	preload = cr->wrap.preload ? cr->wrap.preload :
		  cr->wrap.env_cleared ? NULL : getenv("LD_PRELOAD");
	if (preload_first && asprintf(&pre, "%s%s%s", preload_first, preload ? ":" : "",
				      preload ? preload : "") < 0) {
		errorx("out of memory");
		return EXIT_ERROR;
	}
	rc = program_probe(&p, exec_path ? exec_path : argv[cr->wrap.prog], getenv("PATH"),
			   libpath, pre ? pre : preload,
			   c->sr.live && ps > 0 ? (uint64_t)ps : 4096, &cr->prog);
	free(pre);
	cr->have_prog = true;
	if (rc < 0 && !required) {
		/* exec ran it already: what cannot be read is left out. */
		program_free(&cr->prog);
		cr->have_prog = false;
		return 0;
	}
	if (rc < 0) {
		errorx("%s", p.err.msg[0] ? p.err.msg : hp_strerror(rc));
		return EXIT_ERROR;
	}
	r = app_recognise(&cr->prog, cr->why, sizeof(cr->why));
	if (!r) {
		char known[512];

		if (!required) {
			/* exec ran it already: an application it does not know
			 * adds nothing to the workload. */
			program_free(&cr->prog);
			cr->have_prog = false;
			return 0;
		}
		app_recognised(known, sizeof(known));
		return usage_error("'%s' is not an application hpdiag knows; it knows: %s",
				   cr->prog.path, known);
	}
	if (cr->wrap.prog < argc) {
		r->options(argc - cr->wrap.prog, argv + cr->wrap.prog, &cr->hint);
		rc = command_configure(c, &p, r, argc - cr->wrap.prog, argv + cr->wrap.prog, cr);
		if (rc)
			return rc;
	}
	memset(&rt, 0, sizeof(rt));
	if (r->runtime)
		r->runtime(&cr->prog, &cr->hint, &rt);
	if (rt.marker) {
		char dir[4096];

		rc = program_marker(&p, &cr->prog, rt.from, rt.marker, dir, sizeof(dir));
		if (rc == 0)
			rc = program_load(&p, &cr->prog, rt.from, dir, rt.suffixes);
		if (rc < 0 && rc != -ENOENT) {
			errorx("%s", p.err.msg);
			return EXIT_ERROR;
		}
	}
	for (size_t i = 0; i < rt.nr_paths; i++) {
		rc = program_load(&p, &cr->prog, rt.from, rt.paths[i], rt.suffixes);
		if (rc < 0 && rc != -ENOENT) {
			errorx("%s", p.err.msg);
			return EXIT_ERROR;
		}
	}
	workload_merge(wl, &cr->hint);
	wl->program = &cr->prog;
	wl->app = r->name;
	wl->app_why = cr->why;
	memcpy(wl->rlimits, cr->wrap.rlimits, sizeof(wl->rlimits));
	return 0;
}

void command_read_free(struct command_read *cr)
{
	if (cr->have_prog)
		program_free(&cr->prog);
	workload_hint_free(&cr->hint);
	memset(cr, 0, sizeof(*cr));
}
