// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - the command table, option parsing, and the one place that picks
 * the exit status: 0 every finding passes, 1 warnings only, 2 a failure,
 * 3 hpdiag could not do its job.  Commands are rows; help and usage are
 * printed from the table, and the table's flags are enforced here before a
 * command runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "diagnose/diagnose.h"
#include "probe/snapshot.h"
#include "probe/parse.h"
#include "report/report.h"
#include "act/trial.h"


/* Option groups a command accepts, beyond the global options. */
enum {
	OPTG_WORKLOAD	= 1 << 0,
	OPTG_PID	= 1 << 1,
	OPTG_OUTPUT	= 1 << 2,
	OPTG_TIMEOUT	= 1 << 3,
	OPTG_VMA	= 1 << 4,
	OPTG_FIX	= 1 << 5,
	OPTG_CHECK_FIX	= 1 << 6,	/* check's --fix */
	OPTG_OUTFILE	= 1 << 7,	/* -o FILE: the report, written atomically */
};

/* Command flags the runner enforces. */
enum {
	CMD_LIVE_ONLY	= 1 << 0,	/* reads the running host, not --sysroot */
	CMD_FILE_ARG	= 1 << 1,	/* takes one optional FILE argument */
	CMD_COMMAND	= 1 << 2,	/* runs the command given after "--" */
};




struct command {
	const char *name;
	int (*fn)(struct ctx *c);
	unsigned flags;
	unsigned opts;
	const char *synopsis;
	const char *summary;
};

static int cmd_check(struct ctx *c);
static int cmd_pools(struct ctx *c);
static int cmd_mounts(struct ctx *c);
static int cmd_limits(struct ctx *c);
static int cmd_snapshot(struct ctx *c);

static const struct command commands[] = {
	{ "check", cmd_check, 0, OPTG_WORKLOAD | OPTG_PID | OPTG_FIX | OPTG_CHECK_FIX | OPTG_OUTFILE,
	  "[-m MB | -n PAGES | --socket-mem MB,...] [--page-size SIZE] "
	  "[--huge-dir PATH] [--mode MODE] [--dpdk-version V] [--baseline-vmas N] "
	  "[--pid PID] [-o FILE] [--fix [fix options]]",
	  "predict whether the workload's hugepage setup will succeed" },
	{ "pools", cmd_pools, 0, OPTG_OUTFILE, "[-o FILE]",
	  "hugepage pools per page size and NUMA node" },
	{ "mounts", cmd_mounts, 0, OPTG_OUTFILE, "[-o FILE]",
	  "hugetlbfs mounts: page size, quotas, owner, usage, stale files" },
	{ "limits", cmd_limits, 0, OPTG_PID | OPTG_OUTFILE, "[--pid PID] [-o FILE]",
	  "sysctls, rlimits, cgroup limits and VMA count that bound mapping" },
	{ "vma", cmd_vma, 0, OPTG_PID | OPTG_VMA | OPTG_OUTFILE,
	  "[--pid PID [--watch SECONDS [--interval SECONDS]]] [--top N] [-o FILE]",
	  "who holds a process's VMAs, is it a leak, when does it hit vm.max_map_count" },
	{ "trial", cmd_trial, CMD_LIVE_ONLY, OPTG_WORKLOAD | OPTG_TIMEOUT | OPTG_OUTFILE,
	  "[-m MB | -n PAGES | --socket-mem MB,...] [--node N] [--page-size SIZE] "
	  "[--mode MODE] [--dpdk-version V] [--huge-dir PATH] [--baseline-vmas N] "
	  "[--timeout SECONDS] [-o FILE]",
	  "map the workload's hugepages for real in a child process, name what stops it" },
	{ "explain", cmd_explain, CMD_FILE_ARG, OPTG_WORKLOAD | OPTG_PID | OPTG_OUTFILE,
	  "[FILE] [workload options] [--pid PID] [-o REPORT]",
	  "name the cause of a failure from the application's log, on this host" },
	{ "exec", cmd_exec, CMD_LIVE_ONLY | CMD_COMMAND, OPTG_WORKLOAD | OPTG_OUTFILE,
	  "[workload options] [-o FILE] -- COMMAND [ARGS...]",
	  "run the application itself and catch its first failing memory call" },
	{ "fix", cmd_fix, 0, OPTG_WORKLOAD | OPTG_PID | OPTG_FIX | OPTG_OUTFILE,
	  "[workload options] [--pid PID] [-y | --apply] [--compact] "
	  "[--clean-stale] [--overcommit PAGES] [--persist[=FILE]] [-o REPORT]",
	  "plan the host changes that clear the failures; with --apply make them" },
	{ "snapshot", cmd_snapshot, CMD_LIVE_ONLY, OPTG_OUTPUT | OPTG_PID,
	  "-o DIR [--pid PID]",
	  "copy every kernel file hpdiag reads into DIR, for --sysroot DIR" },
};

enum {
	OPT_SYSROOT = 256, OPT_JSON, OPT_FORMAT, OPT_COLOR, OPT_SOCKET_MEM,
	OPT_PAGE_SIZE, OPT_HUGE_DIR, OPT_BASELINE_VMAS, OPT_PID, OPT_MODE,
	OPT_DPDK_VERSION, OPT_TIMEOUT, OPT_NODE, OPT_TOP, OPT_WATCH, OPT_INTERVAL,
	OPT_APPLY, OPT_FIX, OPT_COMPACT, OPT_CLEAN_STALE, OPT_OVERCOMMIT,
	OPT_PERSIST,
};

static const struct option longopts[] = {
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "mem", required_argument, NULL, 'm' },
	{ "pages", required_argument, NULL, 'n' },
	{ "socket-mem", required_argument, NULL, OPT_SOCKET_MEM },
	{ "page-size", required_argument, NULL, OPT_PAGE_SIZE },
	{ "huge-dir", required_argument, NULL, OPT_HUGE_DIR },
	{ "baseline-vmas", required_argument, NULL, OPT_BASELINE_VMAS },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "dpdk-version", required_argument, NULL, OPT_DPDK_VERSION },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "output", required_argument, NULL, 'o' },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "node", required_argument, NULL, OPT_NODE },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "watch", required_argument, NULL, OPT_WATCH },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "apply", no_argument, NULL, OPT_APPLY },
	{ "fix", no_argument, NULL, OPT_FIX },
	{ "compact", no_argument, NULL, OPT_COMPACT },
	{ "clean-stale", no_argument, NULL, OPT_CLEAN_STALE },
	{ "overcommit", required_argument, NULL, OPT_OVERCOMMIT },
	{ "persist", optional_argument, NULL, OPT_PERSIST },
	{ NULL, 0, NULL, 0 },
};

void errorx(const char *fmt, ...)
{
	va_list ap;

	fputs("hpdiag: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("hpdiag: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'hpdiag --help' for more information.\n", stderr);
	return EXIT_ERROR;
}

static void print_option_help(FILE *o, unsigned groups)
{
	if (groups & OPTG_WORKLOAD)
		fputs("Workload:\n"
		      "  -m, --mem MB              memory the application takes, in MiB\n"
		      "  -n, --pages N             hugepages the application takes\n"
		      "      --socket-mem MB,...   MiB per NUMA node, as DPDK's option\n"
		      "      --node N              every page of -m/-n on NUMA node N\n"
		      "      --page-size SIZE      2M, 1G, ... (default: the kernel's default)\n"
		      "      --huge-dir PATH       the hugetlbfs directory it uses\n"
		      "      --mode MODE           dynamic (DPDK's default), legacy, single-file,\n"
		      "                            in-memory, anon (PostgreSQL), shm (JVM)\n"
		      "      --dpdk-version V      DPDK release (default 22.11; 16.04 for the\n"
		      "                            pre-18.05 sequence)\n"
		      "      --baseline-vmas N     VMAs it holds before mapping memory\n", o);
	if (groups & OPTG_PID)
		fputs("      --pid PID             take rlimits, VMA and fd counts from PID\n", o);
	if (groups & OPTG_VMA)
		fputs("      --top N               without --pid: the N processes with most VMAs (10)\n"
		      "      --watch SECONDS       sample for this long: growth and time to the limit\n"
		      "      --interval SECONDS    between samples (default 1, fractions allowed)\n", o);
	if (groups & OPTG_CHECK_FIX)
		fputs("      --fix                 apply the fix plan (as 'hpdiag fix --apply')\n", o);
	if (groups & OPTG_FIX)
		fputs("Fix:\n"
		      "  -y, --apply               make the changes (without it: print the plan)\n"
		      "      --compact             compact memory once if a pool grows short\n"
		      "      --clean-stale         remove page files no process maps or holds open\n"
		      "      --overcommit PAGES    set nr_overcommit_hugepages of the page size\n"
		      "      --persist[=FILE]      keep the sysctls in FILE (default\n"
		      "                            " FIX_PERSIST_FILE ")\n", o);
	if (groups & OPTG_TIMEOUT)
		fputs("      --timeout SECONDS     stop a trial after this long (default 300)\n", o);
	if (groups & OPTG_OUTPUT)
		fputs("  -o, --output DIR          the directory to write (must not exist or be empty)\n", o);
	if (groups & OPTG_OUTFILE)
		fputs("Output:\n"
		      "  -o, --output FILE         write the report to FILE, atomically (a\n"
		      "                            temporary file renamed over it)\n", o);
	fputs("Global options:\n"
	      "      --sysroot DIR         read /proc and /sys under DIR (a snapshot)\n"
	      "      --json                the same as --format json\n"
	      "      --format text|json|prometheus\n"
	      "                            output format (default text)\n"
	      "      --color auto|always|never\n"
	      "  -q, --quiet               print only warnings, failures and the verdict\n"
	      "  -v, --verbose             print evidence for passing checks too\n"
	      "  -h, --help                print this help\n"
	      "  -V, --version             print the version\n", o);
}

static void print_help(FILE *o, const struct command *cmd)
{
	if (cmd) {
		fprintf(o, "Usage: hpdiag %s %s\n\n%s.\n\n", cmd->name,
			cmd->synopsis, cmd->summary);
		print_option_help(o, cmd->opts);
		fputs("\nSee hpdiag(8).\n", o);
		return;
	}
	fputs("Usage: hpdiag [OPTIONS] [COMMAND] [COMMAND OPTIONS]\n\n"
	      "Tells whether a hugepage user (DPDK, SPDK, PostgreSQL, a JVM) will\n"
	      "get its memory on this host, and if not, which limit stops it.\n\n"
	      "Commands:\n", o);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(o, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nWith no command, hpdiag runs 'check'.  "
	      "'hpdiag COMMAND --help' shows a command's options.\n\n", o);
	print_option_help(o, OPTG_WORKLOAD | OPTG_PID | OPTG_OUTPUT | OPTG_TIMEOUT |
			  OPTG_VMA | OPTG_FIX);
	fputs("\nExit status: 0 all pass, 1 warnings, 2 a failure, 3 hpdiag "
	      "could not do its job.\nSee hpdiag(8).\n", o);
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int exit_for(enum hp_status v)
{
	return v == HP_FAIL ? 2 : v == HP_WARN ? 1 : 0;
}

int probe_error(struct ctx *c, int rc)
{
	if (c->sr.err[0])
		errorx("%s", c->sr.err);
	else
		errorx("cannot read the system: %s", strerror(-rc));
	return EXIT_ERROR;
}

/*
 * -o FILE: the report goes to a temporary file in FILE's directory, synced
 * and renamed over FILE, so a reader (node_exporter's textfile collector)
 * sees the old report or the new one, never half of one.
 */
static FILE *open_atomic(const char *file, char *tmp, size_t size)
{
	const char *slash = strrchr(file, '/');
	FILE *f;
	int fd;

	if (slash)
		snprintf(tmp, size, "%.*s/.%s.XXXXXX", (int)(slash - file), file, slash + 1);
	else
		snprintf(tmp, size, ".%s.XXXXXX", file);
	fd = mkstemp(tmp);
	if (fd < 0) {
		errorx("cannot write '%s': %s", file, strerror(errno));
		return NULL;
	}
	if (fchmod(fd, 0644) < 0 || !(f = fdopen(fd, "w"))) {
		errorx("cannot write '%s': %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return NULL;
	}
	return f;
}

/* The rename itself reaches the disk with its directory. */
static void sync_dir_of(const char *file)
{
	const char *slash = strrchr(file, '/');
	char dir[PATH_MAX];
	int fd;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - file) : 1,
		 slash ? (slash == file ? "/" : file) : ".");
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static int close_atomic(FILE *f, const char *tmp, const char *file)
{
	int err = 0;

	if (fflush(f) != 0 || fsync(fileno(f)) < 0)
		err = errno;
	if (fclose(f) != 0 && !err)
		err = errno;
	if (!err && rename(tmp, file) < 0)
		err = errno;
	if (err) {
		unlink(tmp);
		errorx("cannot write '%s': %s", file, strerror(err));
		return -1;
	}
	sync_dir_of(file);
	return 0;
}

int render(struct ctx *c, const struct snapshot *snap,
		  const struct need *need, const struct findings *fs,
		  unsigned parts)
{
	int rc;

	char tmp[PATH_MAX];
	FILE *out = NULL;

	if (c->output_file) {
		out = open_atomic(c->output_file, tmp, sizeof(tmp));
		if (!out)
			return -1;
		c->rep.out = out;
	}
	if (c->rep.format == FMT_JSON)
		rc = report_json(&c->rep, snap, need, fs, parts);
	else if (c->rep.format == FMT_PROM)
		rc = report_prom(&c->rep, snap, need, fs, parts);
	else
		rc = report_text(&c->rep, snap, need, fs, parts);
	if (rc < 0 || fflush(c->rep.out) != 0) {
		errorx("cannot write the report%s%s: %s", out ? " to " : "",
		       out ? c->output_file : "", strerror(errno));
		if (out) {
			fclose(out);
			unlink(tmp);
			c->rep.out = stdout;
		}
		return -1;
	}
	if (out) {
		c->rep.out = stdout;
		return close_atomic(out, tmp, c->output_file);
	}
	return 0;
}

/*
 * The process's own VMAs, fds and status matter only for --pid's baseline
 * and for shm's privileges; hpdiag's own would say nothing of the workload.
 */
unsigned probe_for(const struct ctx *c, const struct workload *wl)
{
	return c->pid || wl->mode == MODE_SHM ? PROBE_ALL : PROBE_ALL & ~PROBE_PROCESS;
}

static int cmd_check(struct ctx *c)
{
	struct findings fs = { 0 };
	struct snapshot snap;
	struct need need;
	int rc, status;

	/* check --fix is fix --apply. */
	if (c->check_fix) {
		c->fix.apply = true;
		return cmd_fix(c);
	}
	rc = probe_snapshot(&c->sr, probe_for(c, &c->wl), c->pid, &snap);
	if (rc < 0) {
		snapshot_free(&snap);
		return probe_error(c, rc);
	}
	workload_need(&snap, &c->wl, &need);
	if (diagnose_check(&snap, &c->wl, &need, &fs) < 0) {
		errorx("out of memory");
		status = EXIT_ERROR;
	} else if (render(c, &snap, &need, &fs, PART_NEED) < 0) {
		status = EXIT_ERROR;
	} else {
		status = exit_for(findings_verdict(&fs));
	}
	findings_free(&fs);
	snapshot_free(&snap);
	return status;
}

static int cmd_show(struct ctx *c, unsigned what, unsigned parts)
{
	struct findings fs = { 0 };
	struct snapshot snap;
	int rc;

	rc = probe_snapshot(&c->sr, what, c->pid, &snap);
	if (rc < 0) {
		snapshot_free(&snap);
		return probe_error(c, rc);
	}
	rc = render(c, &snap, NULL, &fs, parts);
	snapshot_free(&snap);
	return rc < 0 ? EXIT_ERROR : 0;
}

static int cmd_pools(struct ctx *c)
{
	return cmd_show(c, PROBE_POOLS, PART_POOLS);
}

static int cmd_mounts(struct ctx *c)
{
	return cmd_show(c, PROBE_MOUNTS | PROBE_USERS, PART_MOUNTS);
}

static int cmd_limits(struct ctx *c)
{
	return cmd_show(c, PROBE_LIMITS | PROBE_PROCESS, PART_LIMITS);
}

static int dir_is_empty(const char *dir)
{
	char **names;
	struct sysroot tmp;
	size_t n;
	int rc;

	if (sysroot_init(&tmp, dir) < 0) {
		sysroot_release(&tmp);
		return -1;
	}
	rc = sysroot_list(&tmp, "/", &names, &n);
	sysroot_release(&tmp);
	if (rc < 0)
		return -1;
	sysroot_names_free(names, n);
	return n == 0;
}

static int cmd_snapshot(struct ctx *c)
{
	struct snapshot snap;
	struct stat st;
	int rc;

	if (!c->output_dir)
		return usage_error("snapshot: -o DIR is required");
	if (c->rep.format == FMT_PROM)
		return usage_error("snapshot: --format prometheus: a snapshot is a "
				   "directory, not metrics");
	if (stat(c->output_dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			errorx("'%s' exists and is not a directory", c->output_dir);
			return EXIT_ERROR;
		}
		if (dir_is_empty(c->output_dir) != 1) {
			errorx("'%s' is not empty: refusing to write a snapshot "
			       "into it", c->output_dir);
			return EXIT_ERROR;
		}
	} else if (mkdir(c->output_dir, 0755) < 0) {
		errorx("cannot create '%s': %s", c->output_dir, strerror(errno));
		return EXIT_ERROR;
	}
	c->sr.recordfd = open(c->output_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->sr.recordfd < 0) {
		errorx("cannot open '%s': %s", c->output_dir, strerror(errno));
		return EXIT_ERROR;
	}
	rc = probe_snapshot(&c->sr, PROBE_ALL, c->pid, &snap);
	if (rc < 0) {
		snapshot_free(&snap);
		return probe_error(c, rc);
	}
	rc = meta_write(c->sr.recordfd, &snap);
	snapshot_free(&snap);
	if (rc < 0) {
		errorx("cannot write '%s/hpdiag.snapshot': %s", c->output_dir,
		       strerror(-rc));
		return EXIT_ERROR;
	}
	if (!c->rep.quiet && c->rep.format == FMT_TEXT)
		fprintf(c->rep.out, "snapshot written to %s\n"
			"replay it with: hpdiag --sysroot %s check\n",
			c->output_dir, c->output_dir);
	else if (c->rep.format == FMT_JSON &&
		 report_json_snapshot(&c->rep, c->output_dir) < 0)
		return EXIT_ERROR;
	return 0;
}

static int parse_count(const char *opt, const char *arg, uint64_t min,
		       uint64_t *val)
{
	if (parse_u64(arg, val) < 0 || *val < min)
		return usage_error("%s: '%s' is not a number%s", opt, arg,
				   min ? " of at least 1" : "");
	return 0;
}

static int parse_socket_mem(struct workload *wl, const char *arg)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	int rc = 0;

	if (!copy)
		return EXIT_ERROR;
	wl->nr_socket_mem = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint64_t mb;

		if (wl->nr_socket_mem >= MAX_SOCKETS || parse_u64(tok, &mb) < 0 ||
		    mb > (UINT64_MAX >> 21)) {
			rc = usage_error("--socket-mem: '%s' is not a list of MiB "
					 "per node such as 1024,1024", arg);
			break;
		}
		wl->socket_mem[wl->nr_socket_mem++] = mb;
	}
	if (!rc && !wl->nr_socket_mem)
		rc = usage_error("--socket-mem: empty list");
	free(copy);
	return rc;
}

static bool group_ok(unsigned have, unsigned group)
{
	return (have & group) != 0;
}

int main(int argc, char **argv)
{
	const struct command *cmd = NULL;
	const char *color = "auto", *bad_opt = NULL, *fix_opt = NULL;
	unsigned used = 0;
	struct ctx c;
	bool help = false;
	int opt, rc;

	/* Installed setuid or setgid, any user could write to the host. */
	if (getuid() != geteuid() || getgid() != getegid()) {
		fputs("hpdiag: refusing to run setuid or setgid: it writes to the "
		      "host with fix and runs commands with exec; run it as root "
		      "(sudo hpdiag ...) and remove the bit (chmod u-s,g-s)\n", stderr);
		return EXIT_ERROR;
	}
	memset(&c, 0, sizeof(c));
	/* Everything after "--" is exec's command, never hpdiag's options. */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			c.command = argv + i + 1;
			argv[i] = NULL;
			argc = i;
			break;
		}
	}
	c.rep.out = stdout;
	c.rep.format = FMT_TEXT;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "m:n:o:qvhVy", longopts, NULL)) != -1) {
		/* getopt gives every required argument; optional ones may be NULL. */
		const char *arg = optarg ? optarg : "";
		uint64_t v;

		switch (opt) {
		case OPT_SYSROOT:
			c.sysroot_dir = arg;
			break;
		case OPT_JSON:
			c.rep.format = FMT_JSON;
			break;
		case OPT_FORMAT:
			if (!strcmp(arg, "json"))
				c.rep.format = FMT_JSON;
			else if (!strcmp(arg, "text"))
				c.rep.format = FMT_TEXT;
			else if (!strcmp(arg, "prometheus"))
				c.rep.format = FMT_PROM;
			else
				return usage_error("--format: '%s' is not one of "
						   "text, json, prometheus", arg);
			break;
		case OPT_COLOR:
			if (strcmp(arg, "auto") && strcmp(arg, "always") &&
			    strcmp(arg, "never"))
				return usage_error("--color: '%s' is not one of "
						   "auto, always, never", arg);
			color = arg;
			break;
		case 'q':
			c.rep.quiet = true;
			break;
		case 'v':
			c.rep.verbose++;
			break;
		case 'h':
			help = true;
			break;
		case 'V':
			printf("hpdiag %s\n", PACKAGE_VERSION);
			return 0;
		case 'm':
			if (parse_count("-m", arg, 1, &v))
				return EXIT_ERROR;
			if (v > (UINT64_MAX >> 21))
				return usage_error("-m: '%s' is too large", arg);
			c.wl.mem_bytes = v << 20;
			c.wl.have_mem = true;
			used |= OPTG_WORKLOAD;
			bad_opt = bad_opt ? bad_opt : "-m";
			break;
		case 'n':
			if (parse_count("-n", arg, 1, &c.wl.pages))
				return EXIT_ERROR;
			c.wl.have_pages = true;
			used |= OPTG_WORKLOAD;
			bad_opt = bad_opt ? bad_opt : "-n";
			break;
		case OPT_SOCKET_MEM:
			if (parse_socket_mem(&c.wl, arg))
				return EXIT_ERROR;
			used |= OPTG_WORKLOAD;
			bad_opt = bad_opt ? bad_opt : "--socket-mem";
			break;
		case OPT_PAGE_SIZE:
			if (parse_size(arg, &c.wl.page_size) < 0 ||
			    c.wl.page_size < 4096 ||
			    (c.wl.page_size & (c.wl.page_size - 1)))
				return usage_error("--page-size: '%s' is not a page "
						   "size such as 2M or 1G", arg);
			used |= OPTG_WORKLOAD;
			bad_opt = bad_opt ? bad_opt : "--page-size";
			break;
		case OPT_HUGE_DIR:
			if (arg[0] != '/')
				return usage_error("--huge-dir: '%s' is not an "
						   "absolute path", arg);
			c.wl.huge_dir = arg;
			used |= OPTG_WORKLOAD;
			bad_opt = bad_opt ? bad_opt : "--huge-dir";
			break;
		case OPT_BASELINE_VMAS:
			if (parse_count("--baseline-vmas", arg, 0, &c.wl.baseline_vmas))
				return EXIT_ERROR;
			c.wl.have_baseline_vmas = true;
			used |= OPTG_WORKLOAD;
			bad_opt = bad_opt ? bad_opt : "--baseline-vmas";
			break;
		case OPT_MODE:
			if (mode_parse(arg, &c.wl.mode) < 0)
				return usage_error("--mode: '%s' is not one of dynamic, "
						   "legacy, single-file, in-memory, "
						   "anon, shm", arg);
			c.user_mode = true;
			used |= OPTG_WORKLOAD;
			bad_opt = bad_opt ? bad_opt : "--mode";
			break;
		case OPT_DPDK_VERSION:
			if (dpdk_version_parse(arg, &c.wl.dpdk_version) < 0)
				return usage_error("--dpdk-version: '%s' is not a "
						   "release such as 22.11", arg);
			used |= OPTG_WORKLOAD;
			bad_opt = bad_opt ? bad_opt : "--dpdk-version";
			break;
		case OPT_PID:
			if (parse_count("--pid", arg, 1, &v))
				return EXIT_ERROR;
			if (v > 0x7fffffff)
				return usage_error("--pid: '%s' is not a process id", arg);
			c.pid = (pid_t)v;
			c.wl.pid = c.pid;
			used |= OPTG_PID;
			break;
		case OPT_NODE:
			if (parse_count("--node", arg, 0, &v))
				return EXIT_ERROR;
			if (v >= MAX_SOCKETS)
				return usage_error("--node: '%s' is not a node below %d",
						   arg, MAX_SOCKETS);
			c.wl.node = (int)v;
			c.wl.have_node = true;
			used |= OPTG_WORKLOAD;
			bad_opt = bad_opt ? bad_opt : "--node";
			break;
		case OPT_TOP:
			if (parse_count("--top", arg, 1, &c.top))
				return EXIT_ERROR;
			used |= OPTG_VMA;
			break;
		case OPT_WATCH:
		case OPT_INTERVAL: {
			char *end;
			double d = strtod(arg, &end);

			if (*end || !(d > 0) || d > 86400)
				return usage_error("%s: '%s' is not a number of seconds",
						   opt == OPT_WATCH ? "--watch" : "--interval",
						   arg);
			if (opt == OPT_WATCH)
				c.watch = d;
			else
				c.interval = d;
			used |= OPTG_VMA;
			break;
		}
		case OPT_TIMEOUT:
			if (parse_count("--timeout", arg, 1, &v))
				return EXIT_ERROR;
			c.timeout = v > 86400 ? 86400 : (unsigned)v;
			used |= OPTG_TIMEOUT;
			break;
		case 'y':
		case OPT_APPLY:
			c.fix.apply = true;
			used |= OPTG_FIX;
			fix_opt = fix_opt ? fix_opt : "--apply";
			break;
		case OPT_FIX:
			c.check_fix = true;
			used |= OPTG_CHECK_FIX;
			break;
		case OPT_COMPACT:
			c.fix.compact = true;
			used |= OPTG_FIX;
			fix_opt = fix_opt ? fix_opt : "--compact";
			break;
		case OPT_CLEAN_STALE:
			c.fix.clean_stale = true;
			used |= OPTG_FIX;
			fix_opt = fix_opt ? fix_opt : "--clean-stale";
			break;
		case OPT_OVERCOMMIT:
			if (parse_count("--overcommit", arg, 0, &c.fix.overcommit))
				return EXIT_ERROR;
			c.fix.have_overcommit = true;
			used |= OPTG_FIX;
			fix_opt = fix_opt ? fix_opt : "--overcommit";
			break;
		case OPT_PERSIST:
			if (optarg && optarg[0] != '/')
				return usage_error("--persist: '%s' is not an absolute "
						   "path", optarg);
			c.fix.persist = true;
			c.fix.persist_file = optarg;
			used |= OPTG_FIX;
			fix_opt = fix_opt ? fix_opt : "--persist";
			break;
		case 'o':
			c.output_dir = arg;
			used |= OPTG_OUTPUT;
			break;
		case '?':
		default:
			if (optopt && optopt < 256)
				return usage_error("unknown or incomplete option '-%c'",
						   optopt);
			return usage_error("unknown or incomplete option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind < argc) {
		cmd = find_command(argv[optind]);
		if (!cmd)
			return usage_error("unknown command '%s'", argv[optind]);
		optind++;
	}
	if (help) {
		print_help(stdout, cmd);
		return 0;
	}
	if (!cmd)
		cmd = find_command("check");
	if (optind < argc && (cmd->flags & CMD_FILE_ARG))
		c.file = argv[optind++];
	if (optind < argc)
		return usage_error("%s: unexpected argument '%s'%s", cmd->name,
				   argv[optind], (cmd->flags & CMD_COMMAND) ?
				   " (the command goes after '--')" : "");
	/* After "--" a FILE may start with '-' (explain -- -odd.log). */
	if (c.command && !(cmd->flags & CMD_COMMAND) && (cmd->flags & CMD_FILE_ARG) &&
	    !c.file && c.command[0] && !c.command[1]) {
		c.file = c.command[0];
		c.command = NULL;
	}
	if (c.command && !(cmd->flags & CMD_COMMAND))
		return usage_error("%s: unexpected '--' and arguments after it",
				   cmd->name);
	/* -o is snapshot's DIR and every report's FILE. */
	if ((used & OPTG_OUTPUT) && (cmd->opts & OPTG_OUTFILE)) {
		used = (used & ~OPTG_OUTPUT) | OPTG_OUTFILE;
		c.output_file = c.output_dir;
		c.output_dir = NULL;
	}
	if (used & ~cmd->opts) {
		if (group_ok(used & ~cmd->opts, OPTG_WORKLOAD))
			return usage_error("%s: option '%s' does not apply to this "
					   "command", cmd->name, bad_opt);
		return usage_error("%s: option '%s' does not apply to this command",
				   cmd->name, group_ok(used & ~cmd->opts, OPTG_PID) ?
				   "--pid" : group_ok(used & ~cmd->opts, OPTG_FIX) ?
				   fix_opt : group_ok(used & ~cmd->opts, OPTG_CHECK_FIX) ?
				   "--fix" : "-o");
	}
	if (cmd->fn == cmd_check && (used & OPTG_FIX) && !c.check_fix)
		return usage_error("check: option '%s' needs --fix", fix_opt);
	if ((c.wl.have_mem + c.wl.have_pages + (c.wl.nr_socket_mem > 0)) > 1)
		return usage_error("-m, -n and --socket-mem exclude each other");
	if (c.wl.have_node && c.wl.nr_socket_mem)
		return usage_error("--node and --socket-mem exclude each other");
	if ((cmd->flags & CMD_LIVE_ONLY) && c.sysroot_dir)
		return usage_error("%s reads the running host; it cannot be "
				   "combined with --sysroot", cmd->name);
	c.rep.command = cmd->name;
	if (!strcmp(color, "always"))
		c.rep.color = true;
	else if (!strcmp(color, "auto")) {
		const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

		c.rep.color = !c.output_file && isatty(STDOUT_FILENO) && !(nc && nc[0]) &&
			      !(term && !strcmp(term, "dumb"));
	}
	rc = sysroot_init(&c.sr, c.sysroot_dir);
	if (rc < 0) {
		errorx("%s", c.sr.err);
		sysroot_release(&c.sr);
		return EXIT_ERROR;
	}
	rc = cmd->fn(&c);
	sysroot_release(&c.sr);
	return rc;
}
