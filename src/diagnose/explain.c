// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * explain.c - recognises what a hugepage user printed when its memory init
 * failed and names the cause by this host's evidence (see explain.h).  A
 * line such as "Cannot init memory" fits many causes; the host's findings
 * for the workload the text describes decide between them, and when none
 * does the answer is "unknown" with the checks that would tell.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/explain.h"
#include "probe/parse.h"

#define ENOMEM_CAUSES "map_count_limit", "mount_quota", "pool_exhausted", \
		      "rlimit_as", "rlimit_data", "cgroup_hugetlb_limit"

struct pattern {
	const char *needle;
	const char *needle2;		/* must also appear, or NULL */
	const char *what;
	const char *causes[EXPLAIN_MAX_CAUSES];
	bool fatal;
	int mode;			/* the mode the line implies, or -1 */
	unsigned before;		/* implies a DPDK release before this */
};

/* Most specific first: a line takes the first pattern it matches. */
static const struct pattern patterns[] = {
	{ "Not enough memory available on socket", NULL,
	  "DPDK counted too few free hugepages on that NUMA node",
	  { "node_pool_exhausted", "pool_exhausted" }, true, -1, 0 },
	{ "Not enough memory available", NULL,
	  "DPDK counted too few free hugepages for -m",
	  { "pool_exhausted", "mount_quota" }, true, -1, 0 },
	{ "no mounted hugetlbfs found for that size", NULL,
	  "hugepages are reserved but no hugetlbfs is mounted for their size",
	  { "no_mount" }, true, -1, 0 },
	{ "Cannot get hugepage information", NULL,
	  "DPDK found no usable hugepage size (no pages, or no mount for them)",
	  { "no_mount", "no_pool", "mount_permission" }, true, -1, 0 },
	{ "hugepages reported", "No available",
	  "no free hugepages of a size", { "no_pool", "pool_exhausted" }, true, -1, 0 },
	{ "hugepages reported on node", "No free",
	  "no free hugepages on a node", { "node_pool_exhausted" }, false, -1, 0 },
	{ "Cannot get a virtual area", NULL,
	  "reserving address space for the memseg lists failed",
	  { "rlimit_as", "va_space", "map_count_limit" }, true, -1, 0 },
	{ "Cannot allocate VA space for memseg list", NULL,
	  "reserving address space for the memseg lists failed",
	  { "rlimit_as", "va_space", "map_count_limit" }, true, -1, 0 },
	{ "Cannot preallocate VA space", NULL,
	  "reserving address space for hugepage memory failed",
	  { "rlimit_as", "va_space", "map_count_limit" }, true, -1, 0 },
	{ "Cannot reserve memory", NULL,
	  "reserving address space failed",
	  { "rlimit_as", "va_space", "map_count_limit" }, true, -1, 0 },
	{ "Can't mmap holes in our virtual address space", NULL,
	  "DPDK could not re-reserve address space after a failed page: out of VMAs",
	  { "map_count_limit" }, true, -1, 0 },
	{ "failed to map segment from shared object", NULL,
	  "loading a driver plug-in failed: out of VMAs",
	  { "map_count_limit", "rlimit_as" }, true, -1, 0 },
	{ "Couldn't get fd on hugepage file", NULL,
	  "DPDK could not open a page file",
	  { "rlimit_nofile", "mount_permission", "mount_quota" }, true, -1, 0 },
	{ "Too many open files", NULL,
	  "the process ran out of file descriptors (one per hugepage)",
	  { "rlimit_nofile" }, true, -1, 0 },
	{ "SIGBUS: Cannot mmap more hugepages", NULL,
	  "touching a mapped hugepage raised SIGBUS: the charge was refused at fault time",
	  { "cgroup_hugetlb_limit", "pool_exhausted" }, true, -1, 0 },
	{ "Failed to create shared memory", NULL,
	  "legacy memory init could not map its page table: out of VMAs or fds",
	  { "map_count_limit", "rlimit_nofile", "rlimit_as" }, true, MODE_LEGACY, 0 },
	{ "map_all_hugepages(): mmap failed", NULL,
	  "legacy memory init: mmap of a hugepage failed",
	  { ENOMEM_CAUSES }, true, MODE_LEGACY, 0 },
	{ "MB hugepages", "Failed to mmap",
	  "legacy memory init: mapping the pool failed (DPDK before 18.05 stops here)",
	  { ENOMEM_CAUSES }, true, MODE_LEGACY, 1805 },
	{ "alloc_seg(): mmap() failed", NULL,
	  "mmap of a hugepage failed",
	  { "map_count_limit", "mount_quota", "pool_exhausted", "cgroup_hugetlb_limit" },
	  true, -1, 0 },
	{ "could not map anonymous shared memory", NULL,
	  "PostgreSQL's huge_pages mapping (MAP_HUGETLB) was refused",
	  { "pool_exhausted", "rlimit_as", "cgroup_hugetlb_limit" }, true, MODE_ANON, 0 },
	{ "Failed to reserve shared memory", "error = 1)",
	  "the JVM's SHM_HUGETLB segment was refused with EPERM",
	  { "rlimit_memlock" }, true, MODE_SHM, 0 },
	{ "Failed to reserve shared memory", "error = 12)",
	  "the JVM's SHM_HUGETLB segment was refused with ENOMEM",
	  { "pool_exhausted", "shm_limit" }, true, MODE_SHM, 0 },
	{ "Failed to reserve shared memory", "error = 22)",
	  "the JVM's SHM_HUGETLB segment was refused with EINVAL",
	  { "shm_limit" }, true, MODE_SHM, 0 },
	{ "no large pages configured and available", NULL,
	  "the JVM found no hugepages", { "no_pool", "pool_exhausted" }, true, -1, 0 },
	{ "Failed to reserve large pages memory", NULL,
	  "the JVM could not map hugepages",
	  { "pool_exhausted", "cgroup_hugetlb_limit" }, true, -1, 0 },
	{ "PANIC in rte_eal_init", NULL,
	  "EAL gave up (DPDK before 18.05 panics here)",
	  { "pool_exhausted", "node_pool_exhausted", "no_pool", "no_mount",
	    "mount_quota", "mount_permission", "map_count_limit", "rlimit_as",
	    "rlimit_nofile", "cgroup_hugetlb_limit", "va_space" }, true, -1, 1805 },
	{ "Cannot init memory", NULL,
	  "EAL's memory init failed",
	  { "pool_exhausted", "node_pool_exhausted", "no_pool", "no_mount",
	    "mount_quota", "mount_permission", "map_count_limit", "rlimit_as",
	    "rlimit_nofile", "cgroup_hugetlb_limit", "va_space" }, true, -1, 0 },
	{ "errno 12", NULL, "a call failed with ENOMEM", { ENOMEM_CAUSES }, true, -1, 0 },
	{ "errno 24", NULL, "a call failed with EMFILE", { "rlimit_nofile" }, true, -1, 0 },
	{ "Cannot allocate memory", NULL, "a call failed with ENOMEM",
	  { ENOMEM_CAUSES }, true, -1, 0 },
};

/* strace: "[pid N] call(args) = -1 ERRNO (text)" */
static bool match_strace(const char *line, struct log_event *ev)
{
	static const struct {
		const char *call, *err, *what;
		const char *causes[EXPLAIN_MAX_CAUSES];
	} calls[] = {
		{ "mmap", "ENOMEM", "mmap failed with ENOMEM", { ENOMEM_CAUSES } },
		{ "mmap", "EACCES", "mmap of a page file was refused",
		  { "mount_permission" } },
		{ "open", "EMFILE", "open failed with EMFILE", { "rlimit_nofile" } },
		{ "open", "EACCES", "a page file could not be created",
		  { "mount_permission" } },
		{ "open", "ENOSPC", "a page file could not be created: no inodes left",
		  { "mount_quota" } },
		{ "memfd_create", "EMFILE", "memfd_create failed with EMFILE",
		  { "rlimit_nofile" } },
		{ "memfd_create", "ENOMEM", "memfd_create failed with ENOMEM",
		  { "pool_exhausted" } },
		{ "ftruncate", "ENOSPC", "a page file could not grow", { "mount_quota" } },
		{ "fallocate", "ENOSPC", "a page file could not grow",
		  { "mount_quota", "pool_exhausted" } },
		{ "fallocate", "ENOMEM", "a page file could not grow",
		  { "pool_exhausted", "mount_quota" } },
		{ "shmget", "EPERM", "shmget(SHM_HUGETLB) was refused with EPERM",
		  { "rlimit_memlock" } },
		{ "shmget", "ENOMEM", "shmget(SHM_HUGETLB) failed with ENOMEM",
		  { "pool_exhausted" } },
		{ "shmget", "EINVAL", "shmget failed with EINVAL", { "shm_limit" } },
		{ "shmget", "ENOSPC", "shmget failed with ENOSPC", { "shm_limit" } },
	};
	const char *p = line, *ret;
	char call[32], err[16];
	size_t len;

	while (isspace((unsigned char)*p))
		p++;
	if (!strncmp(p, "[pid", 4)) {
		p = strchr(p, ']');
		if (!p)
			return false;
		p++;
		while (isspace((unsigned char)*p))
			p++;
	}
	len = strspn(p, "abcdefghijklmnopqrstuvwxyz_0123456789");
	if (!len || len >= sizeof(call) || p[len] != '(')
		return false;
	memcpy(call, p, len);
	call[len] = '\0';
	ret = strstr(p, ") = -1 ");
	if (!ret || sscanf(ret + 7, "%15[A-Z]", err) != 1)
		return false;
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		size_t cl = strlen(calls[i].call);

		if (strncmp(call, calls[i].call, cl) ||
		    (call[cl] && strcmp(call + cl, "64") && strcmp(call + cl, "at") &&
		     strcmp(call + cl, "2")) || strcmp(err, calls[i].err))
			continue;
		ev->what = calls[i].what;
		for (size_t c = 0; c < EXPLAIN_MAX_CAUSES && calls[i].causes[c]; c++)
			ev->causes[ev->nr_causes++] = calls[i].causes[c];
		ev->fatal = true;
		return true;
	}
	return false;
}

static bool is_command_line(const char *line, const char **cmd)
{
	const char *p = line;

	while (*p == ' ' || *p == '\t')
		p++;
	/* A prompt: "# ", "$ ", "root@host:~# ". */
	for (const char *q = p; *q && *q != ' '; q++) {
		if ((*q == '#' || *q == '$') && q[1] == ' ') {
			p = q + 2;
			while (*p == ' ')
				p++;
			if (!*p || !strncmp(p, "echo ", 5) || !strncmp(p, "ulimit", 6) ||
			    !strncmp(p, "cat ", 4) || !strncmp(p, "sysctl", 6))
				return false;
			if (strstr(p, " -m") || strstr(p, "--socket-mem") ||
			    strstr(p, "--legacy-mem") || strstr(p, "--in-memory") ||
			    strstr(p, "testpmd") || strstr(p, "dpdk-") ||
			    strstr(p, "l2fwd") || strstr(p, "l3fwd") ||
			    strstr(p, "-XX:") || strstr(p, "postgres") ||
			    strstr(p, " -l ") || strstr(p, " -c ")) {
				*cmd = p;
				return true;
			}
			return false;
		}
	}
	return false;
}

/* The value of OPT in TOK ("--opt=value") or in TOK after PREV ("--opt"). */
static char *opt_value(const char *prev, char *tok, const char *opt)
{
	size_t ol = strlen(opt);

	if (prev && !strcmp(prev, opt))
		return tok;
	if (!strncmp(tok, opt, ol) && tok[ol] == '=')
		return tok + ol + 1;
	return NULL;
}

/* EAL options before "--"; the application's own options come after. */
static void parse_command(struct explain *ex, const char *cmd)
{
	char *copy = strdup(cmd), *save = NULL, *tok, *prev = NULL;

	if (!copy)
		return;
	for (tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		char *val = NULL;
		uint64_t v;

		if (!strcmp(tok, "--"))
			break;
		if (!strncmp(tok, "-XX:+UseSHM", 11)) {
			ex->have_mode = true;
			ex->mode = MODE_SHM;
		}
		if (prev && !strcmp(prev, "-m"))
			val = tok;
		else if (!strncmp(tok, "-m", 2) && tok[2] && isdigit((unsigned char)tok[2]))
			val = tok + 2;
		if (val && parse_u64(val, &v) == 0) {
			ex->have_mem = true;
			ex->mem_mb = v;
		}
		if (!strcmp(tok, "--legacy-mem")) {
			ex->have_mode = true;
			ex->mode = MODE_LEGACY;
		} else if (!strcmp(tok, "--single-file-segments")) {
			if (!ex->have_mode || ex->mode != MODE_IN_MEMORY)
				ex->mode = MODE_SINGLE_FILE;
			ex->have_mode = true;
		} else if (!strcmp(tok, "--in-memory")) {
			ex->have_mode = true;
			ex->mode = MODE_IN_MEMORY;
		}
		/* "--opt value" or "--opt=value"; the value may start with '-'. */
		if ((val = opt_value(prev, tok, "--huge-dir"))) {
			free(ex->huge_dir);
			ex->huge_dir = strdup(val);
		}
		if ((val = opt_value(prev, tok, "--file-prefix"))) {
			free(ex->file_prefix);
			ex->file_prefix = strdup(val);
		}
		if ((val = opt_value(prev, tok, "--socket-mem"))) {
			char *list = val, *s2 = NULL;

			ex->nr_socket_mem = 0;
			for (char *m = strtok_r(list, ",", &s2); m && ex->nr_socket_mem < MAX_SOCKETS;
			     m = strtok_r(NULL, ",", &s2))
				if (parse_u64(m, &v) == 0)
					ex->socket_mem[ex->nr_socket_mem++] = v;
		}
		prev = tok;
	}
	free(copy);
}

static void note_line(struct explain *ex, const char *line)
{
	const char *p;
	unsigned long mb;

	/* "Failed to mmap 2 MB hugepages", "hugepages of size 2097152". */
	p = strstr(line, " MB hugepages");
	if (p) {
		while (p > line && isdigit((unsigned char)p[-1]))
			p--;
		mb = strtoul(p, NULL, 10);
		if (mb)
			ex->page_size = (uint64_t)mb << 20;
	}
	p = strstr(line, "(currently ");
	if (p && strstr(line, "bytes")) {
		unsigned long long bytes = strtoull(p + 11, NULL, 10);

		if (bytes) {
			ex->have_mem = true;
			ex->mem_mb = (bytes + (1 << 20) - 1) >> 20;
		}
	}
}

int explain_parse(const char *text, struct explain *ex)
{
	const char *p = text;

	memset(ex, 0, sizeof(*ex));
	while (*p) {
		size_t len = strcspn(p, "\n");
		struct log_event ev = { 0 };
		const char *cmd;
		char *line;
		bool hit = false;

		ex->lines++;
		line = strndup(p, len);
		if (!line)
			return -ENOMEM;
		p += len;
		if (*p == '\n')
			p++;
		if (!ex->cmd_lineno && is_command_line(line, &cmd)) {
			ex->cmd_lineno = ex->lines;
			ex->cmd = strdup(cmd);
			parse_command(ex, cmd);
			free(line);
			continue;
		}
		note_line(ex, line);
		/* A syscall line says exactly which call failed: it comes first. */
		hit = match_strace(line, &ev);
		for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]) && !hit; i++) {
			const struct pattern *pt = &patterns[i];

			if (!strstr(line, pt->needle) ||
			    (pt->needle2 && !strstr(line, pt->needle2)))
				continue;
			hit = true;
			ev.what = pt->what;
			ev.fatal = pt->fatal;
			for (size_t c = 0; c < EXPLAIN_MAX_CAUSES && pt->causes[c]; c++)
				ev.causes[ev.nr_causes++] = pt->causes[c];
			if (pt->mode >= 0 && (!ex->have_mode || pt->mode != MODE_LEGACY ||
					      ex->mode == MODE_DYNAMIC)) {
				ex->have_mode = true;
				ex->mode = (enum mode)pt->mode;
			}
			if (pt->before && (!ex->dpdk_version || ex->dpdk_version >= pt->before)) {
				ex->dpdk_version = 1604;
				ex->version_line = ex->lines;
			}
		}
		if (hit && ex->nr_events < EXPLAIN_MAX_EVENTS) {
			ev.lineno = ex->lines;
			ev.text = line;
			ex->events[ex->nr_events++] = ev;
		} else {
			free(line);
		}
	}
	/* 16.04 knew only the legacy sequence. */
	if (ex->dpdk_version && ex->dpdk_version < 1805) {
		ex->have_mode = true;
		ex->mode = MODE_LEGACY;
	}
	return 0;
}

void explain_free(struct explain *ex)
{
	for (size_t i = 0; i < ex->nr_events; i++)
		free(ex->events[i].text);
	free(ex->cmd);
	free(ex->huge_dir);
	free(ex->file_prefix);
	memset(ex, 0, sizeof(*ex));
}

void explain_workload(const struct explain *ex, struct workload *wl,
		      bool user_mode, bool user_amount)
{
	if (!user_mode && ex->have_mode)
		wl->mode = ex->mode;
	if (!wl->dpdk_version && ex->dpdk_version)
		wl->dpdk_version = ex->dpdk_version;
	if (!user_amount) {
		if (ex->nr_socket_mem) {
			memcpy(wl->socket_mem, ex->socket_mem, sizeof(wl->socket_mem));
			wl->nr_socket_mem = ex->nr_socket_mem;
		} else if (ex->have_mem) {
			wl->mem_bytes = ex->mem_mb << 20;
			wl->have_mem = true;
		}
	}
	if (!wl->huge_dir && ex->huge_dir)
		wl->huge_dir = ex->huge_dir;
	if (!wl->page_size && ex->page_size)
		wl->page_size = ex->page_size;
}

static bool has_cause(const struct log_event *ev, const char *cause)
{
	for (size_t i = 0; i < ev->nr_causes; i++)
		if (!strcmp(ev->causes[i], cause))
			return true;
	return false;
}

static const struct finding *host_failure(const struct findings *host,
					  const char *cause)
{
	const struct finding *best = NULL;

	for (size_t i = 0; i < host->n; i++) {
		const struct finding *f = &host->v[i];

		if (f->status == HP_FAIL && f->cause && !strcmp(f->cause, cause) &&
		    (!best || f->first))
			best = f;
	}
	return best;
}

/* Appends ", WORD" (or WORD first) to a list. */
static void append(char *buf, size_t size, const char *word)
{
	size_t l = strlen(buf);

	if (l < size)
		snprintf(buf + l, size - l, "%s%s", l ? ", " : "", word);
}

int explain_diagnose(const struct explain *ex, const struct findings *host,
		     struct findings *out)
{
	const char *cands[EXPLAIN_MAX_CAUSES];
	const struct finding *decided = NULL;
	const struct log_event *ev = NULL;
	char list[512] = "", shown[200];
	size_t nc = 0;
	struct finding *f;

	/* The most telling failure line: the fewest possible causes. */
	for (size_t i = 0; i < ex->nr_events; i++) {
		const struct log_event *e = &ex->events[i];

		if (e->fatal && (!ev || e->nr_causes < ev->nr_causes))
			ev = e;
	}
	if (!ev) {
		f = finding_add(out, "explain", HP_WARN, "unknown",
				"no line of the %u read tells of a hugepage memory "
				"failure that hpdiag knows", ex->lines);
		finding_num(f, "lines", ex->lines);
		finding_remedy(f, "run hpdiag check with the application's options "
			       "(-m, --socket-mem, --mode) on the host where it ran");
		return f ? 0 : -ENOMEM;
	}
	/* Causes every failure line agrees on, in the telling line's order. */
	for (size_t c = 0; c < ev->nr_causes; c++) {
		bool all = true;

		for (size_t i = 0; i < ex->nr_events; i++)
			if (ex->events[i].fatal && !has_cause(&ex->events[i], ev->causes[c]))
				all = false;
		if (all)
			cands[nc++] = ev->causes[c];
	}
	if (!nc)
		for (size_t c = 0; c < ev->nr_causes; c++)
			cands[nc++] = ev->causes[c];
	for (size_t c = 0; c < nc; c++) {
		const struct finding *h = host_failure(host, cands[c]);

		append(list, sizeof(list), cands[c]);
		if (h && (!decided || (h->first && !decided->first)))
			decided = h;
	}
	snprintf(shown, sizeof(shown), "%s", ev->text);
	if (decided) {
		f = finding_add(out, "explain", HP_FAIL, decided->cause,
				"line %u '%s': %s; of its possible causes (%s) this "
				"host shows %s: %s", ev->lineno, shown, ev->what, list,
				decided->cause, decided->message);
		if (f && decided->remedy)
			finding_remedy(f, "%s", decided->remedy);
		finding_str(f, "decided_by", decided->check);
	} else {
		f = finding_add(out, "explain", HP_FAIL, "unknown",
				"line %u '%s': %s; its possible causes (%s) do not "
				"show on this host now for the workload the text "
				"describes: the host may have changed since, or the "
				"application ran with other limits", ev->lineno, shown,
				ev->what, list);
		finding_remedy(f, "run hpdiag check with the application's exact "
			       "options and limits (same user, ulimits, cgroup) on "
			       "the host where it failed");
	}
	finding_num(f, "line", ev->lineno);
	finding_num(f, "candidates", nc);
	if (ex->cmd_lineno)
		finding_num(f, "command_line", ex->cmd_lineno);
	return f ? 0 : -ENOMEM;
}
