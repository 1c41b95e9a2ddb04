// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * explain-cmdline.c - the options a log shows of its application: a
 * command line pasted after a shell prompt, SPDK's "[ DPDK EAL parameters:
 * ... ]" and OVS-DPDK's "EAL ARGS: ...", read as DPDK's EAL reads them (the
 * options before "--"), as QEMU reads -m and memory-backend-file, as a JVM
 * reads -XX:+UseLargePages, -XX:+UseSHM and -Xmx, and PostgreSQL's
 * huge_pages setting.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/explain.h"
#include "model/app.h"
#include "lib/num.h"

/* The programs a pasted command line may run. */
static const char *const commands[] = {
	"testpmd", "dpdk-", "l2fwd", "l3fwd", "spdk", "nvmf_tgt", "vhost",
	"vpp", "ovs-v", "postgres", "pg_ctl", "java", "qemu-system", "-XX:",
	"--socket-mem", "--legacy-mem", "--in-memory", " -m", " -l ", " -c ",
};

bool explain_command_line(const char *line, const char **cmd)
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
			for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
				if (strstr(p, commands[i])) {
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

static void set_str(char **dst, const char *val)
{
	char *copy = strdup(val);

	if (copy) {
		free(*dst);
		*dst = copy;
	}
}

/* A size with an optional K/M/G suffix, MiB when bare (QEMU's -m, size=). */
static bool size_mb(const char *s, uint64_t *mb)
{
	uint64_t v;
	char buf[32];
	size_t n = strlen(s);

	if (!n || n >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%s", s);
	if (isdigit((unsigned char)buf[n - 1])) {
		if (parse_u64(buf, &v) < 0)
			return false;
		*mb = v;
		return true;
	}
	if (parse_size(buf, &v) < 0)
		return false;
	*mb = (v + (1 << 20) - 1) >> 20;
	return true;
}

/* QEMU: -m SIZE and -object memory-backend-file,...,size=,mem-path= */
static void qemu_option(struct explain *ex, const char *prev, const char *tok)
{
	struct workload_hint *h = &ex->hint;
	const char *p;
	uint64_t mb;

	if (prev && !strcmp(prev, "-m") && size_mb(tok, &mb)) {
		h->have_mem = true;
		h->mem_mb = mb;
	}
	if (!strstr(tok, "memory-backend"))
		return;
	workload_hint_mode(h, MODE_SINGLE_FILE);
	for (p = tok; p && *p; p = strchr(p, ',')) {
		char val[256];

		if (*p == ',')
			p++;
		if (sscanf(p, "mem-path=%255[^,]", val) == 1)
			set_str(&h->huge_dir, val);
		else if (sscanf(p, "size=%255[^,]", val) == 1 && size_mb(val, &mb)) {
			h->have_mem = true;
			h->mem_mb = mb;
		}
	}
}

/* A JVM: -XX:+UseLargePages, -XX:+UseSHM, -Xmx, -XX:LargePageSizeInBytes. */
static void jvm_option(struct explain *ex, const char *tok)
{
	struct workload_hint *h = &ex->hint;
	uint64_t v;

	if (!strcmp(tok, "-XX:+UseSHM"))
		workload_hint_mode(h, MODE_SHM);
	else if (!strcmp(tok, "-XX:+UseLargePages") && !h->have_mode)
		workload_hint_mode(h, MODE_ANON);
	else if ((!strncmp(tok, "-Xmx", 4) || !strncmp(tok, "-Xms", 4)) &&
		 size_mb(tok + 4, &v) && v > h->mem_mb) {
		h->have_mem = true;
		h->mem_mb = v;
	} else if (!strncmp(tok, "-XX:LargePageSizeInBytes=", 25) &&
		   parse_size(tok + 25, &v) == 0) {
		h->page_size = v;
	}
}

/* OVS's "other_config:dpdk-socket-mem=1024,0" (ovs-vsctl's form). */
static void ovs_socket_mem(struct workload_hint *h, char *tok)
{
	const char *val = opt_value(NULL, tok, "other_config:dpdk-socket-mem");
	uint64_t mb[MAX_SOCKETS];
	size_t n;

	if (val && socket_mem_parse(val, mb, &n) == 0) {
		memcpy(h->socket_mem, mb, n * sizeof(*mb));
		h->nr_socket_mem = n;
	}
}

void explain_parse_command(struct explain *ex, const char *cmd)
{
	char *copy = strdup(cmd), *save = NULL, *tok, *prev = NULL, **argv;
	bool qemu = strstr(cmd, "qemu-system") != NULL;
	bool jvm = strstr(cmd, "java ") || strstr(cmd, "-XX:");
	bool pg = strstr(cmd, "postgres") || strstr(cmd, "pg_ctl");
	int argc = 0;

	ex->cmd_app = qemu ? APP_QEMU : jvm ? APP_JVM : pg ? APP_POSTGRES : APP_UNKNOWN;
	argv = calloc(strlen(cmd) / 2 + 2, sizeof(*argv));
	if (!copy || !argv) {
		free(copy);
		free(argv);
		return;
	}
	for (tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		size_t n = strlen(tok);

		/* OVS ends its "EAL ARGS:" with a full stop; a log may quote a
		 * value. */
		if (n > 1 && tok[n - 1] == '.' && isdigit((unsigned char)tok[n - 2]))
			tok[--n] = '\0';
		if (n > 1 && (tok[0] == '\'' || tok[0] == '"') && tok[n - 1] == tok[0]) {
			tok[n - 1] = '\0';
			tok++;
		}
		if (qemu) {
			qemu_option(ex, prev, tok);
		} else if (jvm) {
			jvm_option(ex, tok);
		} else if (pg) {
			if (strstr(tok, "huge_pages=on") || strstr(tok, "huge_pages=try"))
				workload_hint_mode(&ex->hint, MODE_ANON);
			if (!strncmp(tok, "huge_pages=", 11))
				ex->pg_huge_pages = tok[11] == 'o' && tok[12] == 'n' ? 'o' :
						    tok[11] == 't' ? 't' : 'f';
		} else {
			ovs_socket_mem(&ex->hint, tok);
			argv[argc++] = tok;
		}
		prev = tok;
	}
	/* A DPDK application: the one parser of EAL's options. */
	if (argc)
		app_command_options(argc, argv, &ex->hint);
	free(argv);
	free(copy);
}

/* "[ DPDK EAL parameters: spdk_tgt ... ]" (SPDK), "EAL ARGS: ..." (OVS). */
const char *explain_eal_args(const char *line)
{
	const char *p;

	if ((p = strstr(line, "DPDK EAL parameters:")))
		return p + 20;
	if ((p = strstr(line, "EAL ARGS:")))
		return p + 9;
	return NULL;
}

