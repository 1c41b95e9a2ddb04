// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * options.c - the option groups several commands share: the workload
 * (check, trial, explain, exec, fix), --pid, -o FILE and fix's options,
 * each row with its help line and the function that takes its value, and
 * the checks of the workload's options together.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "lib/num.h"

int opt_count(const char *opt, const char *arg, uint64_t min, uint64_t *val)
{
	if (parse_u64(arg, val) < 0 || *val < min)
		return usage_error("%s: '%s' is not a number%s", opt, arg,
				   min ? " of at least 1" : "");
	return 0;
}

static int set_mem(struct ctx *c, const char *arg)
{
	uint64_t v;

	if (opt_count("-m", arg, 1, &v))
		return EXIT_ERROR;
	if (v > (UINT64_MAX >> 21))
		return usage_error("-m: '%s' is too large", arg);
	c->wl.mem_bytes = v << 20;
	c->wl.have_mem = true;
	return 0;
}

static int set_pages(struct ctx *c, const char *arg)
{
	if (opt_count("-n", arg, 1, &c->wl.pages))
		return EXIT_ERROR;
	c->wl.have_pages = true;
	return 0;
}

static int set_socket_mem(struct ctx *c, const char *arg)
{
	struct workload *wl = &c->wl;
	uint64_t total = 0;

	if (socket_mem_parse(arg, wl->socket_mem, &wl->nr_socket_mem) < 0)
		return usage_error("--socket-mem: '%s' is not a list of MiB per node "
				   "such as 1024,1024 (no empty field, at most %d)",
				   arg, MAX_SOCKETS);
	for (size_t i = 0; i < wl->nr_socket_mem; i++)
		total += wl->socket_mem[i];
	if (!total)
		return usage_error("--socket-mem: '%s' asks for no memory on any node", arg);
	return 0;
}

static int set_node(struct ctx *c, const char *arg)
{
	uint64_t v;

	if (opt_count("--node", arg, 0, &v))
		return EXIT_ERROR;
	if (v >= MAX_SOCKETS)
		return usage_error("--node: '%s' is not a node below %d", arg, MAX_SOCKETS);
	c->wl.node = (int)v;
	c->wl.have_node = true;
	return 0;
}

static int set_page_size(struct ctx *c, const char *arg)
{
	uint64_t ps;

	if (parse_size(arg, &ps) < 0 || ps < 4096 || (ps & (ps - 1)))
		return usage_error("--page-size: '%s' is not a page size such as "
				   "2M or 1G", arg);
	c->wl.page_size = ps;
	c->wl.have_page_size = true;
	return 0;
}

static int set_huge_dir(struct ctx *c, const char *arg)
{
	if (arg[0] != '/')
		return usage_error("--huge-dir: '%s' is not an absolute path", arg);
	c->wl.huge_dir = arg;
	return 0;
}

static int set_mode(struct ctx *c, const char *arg)
{
	if (mode_parse(arg, &c->wl.mode) < 0)
		return usage_error("--mode: '%s' is not one of dynamic, legacy, "
				   "single-file, in-memory, anon, shm, qemu", arg);
	c->wl.have_mode = true;
	return 0;
}

static int set_dpdk_version(struct ctx *c, const char *arg)
{
	if (dpdk_version_parse(arg, &c->wl.dpdk_version) < 0)
		return usage_error("--dpdk-version: '%s' is not a release such "
				   "as 22.11", arg);
	return 0;
}

static int set_file_prefix(struct ctx *c, const char *arg)
{
	if (!*arg || strchr(arg, '/') || strchr(arg, '%'))
		return usage_error("--file-prefix: '%s' is not a DPDK file prefix", arg);
	c->wl.file_prefix = arg;
	return 0;
}

static int set_baseline_vmas(struct ctx *c, const char *arg)
{
	if (opt_count("--baseline-vmas", arg, 0, &c->wl.baseline_vmas))
		return EXIT_ERROR;
	c->wl.have_baseline_vmas = true;
	return 0;
}

static const struct option_def workload_opts[] = {
	{ "mem", 'm', "MB", "memory the application takes, in MiB", set_mem },
	{ "pages", 'n', "N", "hugepages the application takes", set_pages },
	{ "socket-mem", 0, "MB,...", "MiB per NUMA node, as DPDK's option",
	  set_socket_mem },
	{ "node", 0, "N", "every page of -m/-n on NUMA node N", set_node },
	{ "page-size", 0, "SIZE", "2M, 1G, ... (default: the kernel's default)",
	  set_page_size },
	{ "huge-dir", 0, "PATH", "the hugetlbfs directory it uses", set_huge_dir },
	{ "mode", 0, "MODE", "dynamic (DPDK's default), legacy, single-file,\n"
	  "in-memory, anon (PostgreSQL), shm (JVM), qemu", set_mode },
	{ "dpdk-version", 0, "V", "DPDK release (default 22.11; 16.04 for the\n"
	  "pre-18.05 sequence)", set_dpdk_version },
	{ "baseline-vmas", 0, "N", "VMAs it holds before mapping memory",
	  set_baseline_vmas },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct option_group group_workload = {
	"Workload", "workload options", workload_opts,
};

/* The running instance of the workload, when there is one: its pages are
 * its own (check and fix; a trial cannot map them). */
static const struct option_def instance_opts[] = {
	{ "file-prefix", 0, "PREFIX", "DPDK's --file-prefix of the running instance:\n"
	  "the pages it holds are its own", set_file_prefix },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct option_group group_instance = { NULL, NULL, instance_opts };

static int set_pid(struct ctx *c, const char *arg)
{
	uint64_t v;

	if (opt_count("--pid", arg, 1, &v))
		return EXIT_ERROR;
	if (v > 0x7fffffff)
		return usage_error("--pid: '%s' is not a process id", arg);
	c->pid = (pid_t)v;
	c->wl.pid = c->pid;
	return 0;
}

static int set_cgroup(struct ctx *c, const char *arg)
{
	if (arg[0] != '/')
		return usage_error("--cgroup: '%s' is not an absolute path (a cgroup "
				   "such as /kubepods/pod1, or its directory)", arg);
	/* trial writes to its cgroup.procs: no way out of the hierarchy. */
	if (strstr(arg, "/../") || strstr(arg, "/./") ||
	    (strlen(arg) >= 3 && !strcmp(arg + strlen(arg) - 3, "/..")) ||
	    (strlen(arg) >= 2 && !strcmp(arg + strlen(arg) - 2, "/.")))
		return usage_error("--cgroup: '%s' has a '.' or '..' component", arg);
	c->cgroup = arg;
	return 0;
}

static const struct option_def pid_only_opts[] = {
	{ "pid", 0, "PID", "the process whose mappings or mounts to read\n"
	  "(a container's process too)", set_pid },
	{ NULL, 0, NULL, NULL, NULL },
};

static const struct option_def pid_opts[] = {
	{ "pid", 0, "PID", "take rlimits, VMA and fd counts, cgroup and\n"
	  "mounts from PID (a container's process too)", set_pid },
	{ "cgroup", 0, "PATH", "check against cgroup PATH (as /proc/PID/cgroup\n"
	  "names it, or its directory) before anything runs in it", set_cgroup },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct option_group group_pid = { NULL, NULL, pid_opts };

/* vma and mounts read a process's mappings and mounts: no cgroup. */
const struct option_group group_pid_only = { NULL, NULL, pid_only_opts };

static const struct option_def cgroup_opts[] = {
	{ "cgroup", 0, "PATH", "run the trial in cgroup PATH (as /proc/PID/cgroup\n"
	  "names it, or its directory)", set_cgroup },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct option_group group_cgroup = { NULL, NULL, cgroup_opts };

static int set_output(struct ctx *c, const char *arg)
{
	c->output = arg;
	return 0;
}

static const struct option_def report_file_opts[] = {
	{ "output", 'o', "FILE", "write the report to FILE, atomically (a\n"
	  "temporary file renamed over it)", set_output },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct option_group group_report_file = { "Output", NULL, report_file_opts };

static int set_quiet(struct ctx *c, const char *arg)
{
	(void)arg;
	c->rep.quiet = true;
	return 0;
}

/* The commands that make findings: -q keeps the failing ones. */
static const struct option_def report_opts[] = {
	{ "output", 'o', "FILE", "write the report to FILE, atomically (a\n"
	  "temporary file renamed over it)", set_output },
	{ "quiet", 'q', NULL, "print only warnings, failures and the verdict", set_quiet },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct option_group group_report = { "Output", NULL, report_opts };

static const struct option_def quiet_opts[] = {
	{ "quiet", 'q', NULL, "print no replay hint", set_quiet },
	{ NULL, 0, NULL, NULL, NULL },
};

/* snapshot's -q: the hint is all it prints. */
const struct option_group group_quiet = { NULL, NULL, quiet_opts };

/* The first fix option given: check says it needs --fix. */
static void fix_used(struct ctx *c, const char *opt)
{
	if (!c->fix_given)
		c->fix_given = opt;
}

static int set_apply(struct ctx *c, const char *arg)
{
	(void)arg;
	c->fix.apply = true;
	fix_used(c, "--apply");
	return 0;
}

static int set_compact(struct ctx *c, const char *arg)
{
	(void)arg;
	c->fix.compact = true;
	fix_used(c, "--compact");
	return 0;
}

static int set_clean_stale(struct ctx *c, const char *arg)
{
	c->fix.clean_stale = true;
	fix_used(c, "--clean-stale");
	if (!arg)
		return 0;
	if (*arg != '/')
		return usage_error("--clean-stale=%s: give the file's absolute path", arg);
	if (c->fix.nr_stale_named >= FIX_MAX_NAMED)
		return usage_error("--clean-stale=FILE: at most %d files", FIX_MAX_NAMED);
	c->fix.stale_named[c->fix.nr_stale_named++] = arg;
	return 0;
}

static int set_overcommit(struct ctx *c, const char *arg)
{
	if (opt_count("--overcommit", arg, 0, &c->fix.overcommit))
		return EXIT_ERROR;
	c->fix.have_overcommit = true;
	fix_used(c, "--overcommit");
	return 0;
}

static int set_persist(struct ctx *c, const char *arg)
{
	if (arg && arg[0] != '/')
		return usage_error("--persist: '%s' is not an absolute path", arg);
	c->fix.persist = true;
	c->fix.persist_file = arg;
	fix_used(c, "--persist");
	return 0;
}

static const struct option_def fix_opts[] = {
	{ "apply", 'y', NULL, "make the changes (without it: print the plan)",
	  set_apply },
	{ "compact", 0, NULL, "compact memory once if a pool grows short",
	  set_compact },
	{ "clean-stale", 0, "[=FILE]", "remove the stale page files of hugepage users;\n"
	  "=FILE (again and again) another file, named", set_clean_stale },
	{ "overcommit", 0, "PAGES", "set nr_overcommit_hugepages of the page size",
	  set_overcommit },
	{ "persist", 0, "[=FILE]", "keep the sysctls in FILE (default\n"
	  FIX_PERSIST_FILE ")", set_persist },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct option_group group_fix = { "Fix", "fix options", fix_opts };
/* The same, in check: they take effect with --fix only. */
const struct option_group group_check_fix = { "Fix, with --fix", "fix options", fix_opts };

/* Options of the workload that exclude each other. */
int workload_options_check(struct ctx *c)
{
	const struct workload *wl = &c->wl;

	if ((wl->have_mem + wl->have_pages + (wl->nr_socket_mem > 0)) > 1)
		return usage_error("-m, -n and --socket-mem exclude each other");
	if (wl->have_node && wl->nr_socket_mem)
		return usage_error("--node and --socket-mem exclude each other");
	return 0;
}
