// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ovs.c - Open vSwitch with DPDK (ovs-vswitchd, Debian's
 * openvswitch-switch-dpdk) as a hugepage user.  Its memory is DPDK's: it
 * builds EAL's options from its database's Open_vSwitch other_config and
 * initialises DPDK once, at start.  What it does, measured with OVS 3.1.0
 * and DPDK 22.11 (EAL ARGS in its log): dpdk-extra's words first; then
 * dpdk-lcore-mask as -c, dpdk-hugepage-dir as --huge-dir, dpdk-socket-limit
 * as --socket-limit and dpdk-socket-mem as --socket-mem (or dpdk-alloc-mem
 * as -m: dpdk-socket-mem wins when both are set), each only when dpdk-extra
 * has that option as a word of its own ("--socket-mem=32" is not); then
 * --in-memory unless dpdk-extra says --in-memory or --legacy-mem, and -l
 * with one core unless -c, -l or --lcores was given.  EAL refuses a second
 * of -c, -l and --lcores, and -m with --socket-mem: the daemon aborts
 * before any memory (app_model.refused).  Without dpdk-socket-mem and dpdk-alloc-mem nothing
 * is reserved at start (DPDK's dynamic memory: one page with --no-pci).
 * dpdk-init=true aborts the daemon when EAL fails ("Unable to initialize
 * DPDK"); dpdk-init=try runs on without DPDK (dpdk_initialized=false);
 * without dpdk-init it takes no hugepages.  A build without DPDK (Debian's
 * default alternative /usr/lib/openvswitch-switch/ovs-vswitchd) takes none
 * either.  other_config is asked of the database ovs-vswitchd's command
 * line names (unix:/var/run/openvswitch/db.sock by default) with
 * `ovs-vsctl get Open_vSwitch . other_config`; when it cannot be asked,
 * OVS's defaults with dpdk-init=true are modelled, and hpdiag's own -m or
 * --socket-mem give the amount.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/apps.h"
#include "model/eal.h"

#define OVS_DEFAULT_DB	"unix:/var/run/openvswitch/db.sock"
#define OVS_MAX_ARGS	64

enum ovs_key {
	OVS_INIT, OVS_EXTRA, OVS_SOCKET_MEM, OVS_ALLOC_MEM, OVS_LCORE_MASK, OVS_HUGE_DIR,
	OVS_SOCKET_LIMIT, OVS_KEYS
};

static const char *const ovs_names[OVS_KEYS] = {
	"dpdk-init", "dpdk-extra", "dpdk-socket-mem", "dpdk-alloc-mem", "dpdk-lcore-mask",
	"dpdk-hugepage-dir", "dpdk-socket-limit",
};

bool ovs_match(const struct program *prog, char *why, size_t size)
{
	const char *b = app_base_name(prog->path);
	const struct ld_object *o = ld_image_find(&prog->image, "librte_eal.so");

	if (strncmp(b, "ovs-vswitchd", 12))
		return false;
	snprintf(why, size, "program named %s, %s%s", b, o ? "links " : "built without DPDK",
		 o ? (o->elf.soname ? o->elf.soname : "librte_eal.so") : "");
	return true;
}

void ovs_options(int argc, char *const *argv, struct workload_hint *h)
{
	(void)argc;
	(void)argv;
	(void)h;
}

/* OUT[*O] = C, UTF-8 encoded, while it fits (one byte kept for the NUL). */
static void put_utf8(char *out, size_t *o, size_t size, unsigned long c)
{
	char b[3];
	size_t n;

	if (!c)
		return;
	if (c < 0x80) {
		b[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (char)(0xc0 | c >> 6);
		b[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else {
		b[0] = (char)(0xe0 | c >> 12);
		b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	}
	if (*o + n < size) {
		memcpy(out + *o, b, n);
		*o += n;
	}
}

/* One word of ovs-vsctl's map: a bare word, or a quoted string with JSON's
 * escapes as ovs-vsctl prints them (\" \\ \t \n \uXXXX: a tab in dpdk-extra
 * is "--no-pci\t--legacy-mem"). */
static const char *ovs_word(const char *s, char *out, size_t size)
{
	static const char esc[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	size_t o = 0;

	if (*s == '"') {
		for (s++; *s && *s != '"'; s++) {
			unsigned long c = (unsigned char)*s;

			if (*s == '\\' && s[1] == 'u' &&
			    strspn(s + 2, "0123456789abcdefABCDEF") >= 4) {
				char hex[5] = { s[2], s[3], s[4], s[5], 0 };

				c = strtoul(hex, NULL, 16);
				s += 5;
			} else if (*s == '\\' && s[1]) {
				const char *e = strchr(esc, s[1]);

				s++;
				c = e && !((e - esc) & 1) ? (unsigned char)e[1] : (unsigned char)*s;
			}
			put_utf8(out, &o, size, c);
		}
		if (*s == '"')
			s++;
	} else {
		for (; *s && *s != '=' && *s != ',' && *s != '}' && !isspace((unsigned char)*s); s++)
			if (o + 1 < size)
				out[o++] = *s;
	}
	out[o] = 0;
	return s;
}

/* dpdk-extra's words as OVS 3.1 splits them (measured: its "EAL ARGS"
 * shows blanks separating, '...' and "..." quoting, a backslash outside
 * '...' taking the next character as it is, one at the very end dropped):
 * in place, into AV from N up to MAX; the new count. */
static int ovs_split(char *s, char **av, int n, int max)
{
	char *r = s, *w = s;

	while (n < max) {
		char quote = 0;

		while (isspace((unsigned char)*r))
			r++;
		if (!*r)
			break;
		av[n++] = w;
		for (; *r; r++) {
			if (quote && *r == quote) {
				quote = 0;
			} else if (!quote && (*r == '\'' || *r == '"')) {
				quote = *r;
			} else if (*r == '\\' && quote != '\'') {
				if (!r[1]) {
					r++;
					break;
				}
				*w++ = *++r;
			} else if (!quote && isspace((unsigned char)*r)) {
				r++;
				break;
			} else {
				*w++ = *r;
			}
		}
		*w++ = 0;
	}
	return n;
}

static int ovs_other_config(const char *text, char value[][256], bool *set)
{
	const char *s = text;

	while (isspace((unsigned char)*s))
		s++;
	if (*s++ != '{')
		return -EINVAL;
	for (;;) {
		char key[64], val[256];

		while (isspace((unsigned char)*s) || *s == ',')
			s++;
		if (*s == '}')
			return 0;
		if (!*s)
			return -EINVAL;
		s = ovs_word(s, key, sizeof(key));
		if (*s++ != '=')
			return -EINVAL;
		s = ovs_word(s, val, sizeof(val));
		for (int k = 0; k < OVS_KEYS; k++)
			if (!strcmp(key, ovs_names[k])) {
				snprintf(value[k], 256, "%s", val);
				set[k] = true;
			}
	}
}

/* Whether ARGV (N words) holds the word NAME, as OVS looks for an option:
 * the whole word only (measured: "--socket-mem=32" or "--lcores=0" in
 * dpdk-extra, OVS still adds its --socket-mem or -l 0). */
static bool has_opt(char **argv, int n, const char *name)
{
	for (int i = 1; i < n; i++)
		if (!strcmp(argv[i], name))
			return true;
	return false;
}

/* ovs-vswitchd's options that take the next word ("--user USER:GROUP";
 * "--user=USER:GROUP" is one word). */
static const char *const ovs_with_value[] = {
	"--unixctl", "--user", "-p", "--private-key", "-c", "--certificate", "-C",
	"--ca-cert", "--bootstrap-ca-cert", "--peer-ca-cert", "--ssl-protocols",
	"--ssl-ciphers", NULL,
};

/* The database the command line names: its first word that is not an
 * option or an option's value. */
static const char *ovs_db(int argc, char *const *argv)
{
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-')
			return argv[i];
		for (size_t k = 0; ovs_with_value[k]; k++)
			if (!strcmp(argv[i], ovs_with_value[k])) {
				i++;
				break;
			}
	}
	return OVS_DEFAULT_DB;
}

/* Whether the command line says --detach (OVS's daemon-unix.c: the first
 * process waits for the forked daemon to signal its start, then exits). */
static bool ovs_detaches(int argc, char *const *argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--detach"))
			return true;
		for (size_t k = 0; ovs_with_value[k]; k++)
			if (!strcmp(argv[i], ovs_with_value[k])) {
				i++;
				break;
			}
	}
	return false;
}

/* Whether WORD is the EAL option NAME: "-l", "-l0-3" (a short one with its
 * value), "--lcores" or "--lcores=...". */
static bool is_opt(const char *word, const char *name)
{
	size_t l = strlen(name);

	if (strncmp(word, name, l))
		return false;
	return !word[l] || word[l] == '=' || (name[1] != '-' && l == 2);
}

/* What EAL 22.11 refuses of ARGV (N words) before it touches memory, into
 * WHY (measured with OVS 3.1: dpdk-lcore-mask's -c after a -l in dpdk-extra
 * logs "Option -c is ignored, because (-l) is set!", then "Invalid 'command
 * line' arguments.", and the daemon aborts): a second of -c, -l and
 * --lcores, or -m with --socket-mem.  0, or 1 when it refuses. */
int ovs_eal_refuses(char **argv, int n, char *why, size_t size)
{
	static const char *const cores[] = { "-c", "-l", "--lcores" };
	const char *core = NULL, *mem = NULL;

	why[0] = 0;
	for (int i = 1; i < n; i++) {
		for (size_t k = 0; k < sizeof(cores) / sizeof(cores[0]); k++) {
			if (!is_opt(argv[i], cores[k]))
				continue;
			if (core) {
				snprintf(why, size, "EAL refuses %s after %s (\"Option %s is "
					 "ignored, because (%s) is set!\", then \"Invalid "
					 "'command line' arguments.\")", cores[k], core, cores[k],
					 core);
				return 1;
			}
			core = cores[k];
		}
		if (is_opt(argv[i], "-m") || is_opt(argv[i], "--socket-mem")) {
			if (mem && strcmp(mem, argv[i][1] == 'm' ? "-m" : "--socket-mem")) {
				snprintf(why, size, "EAL refuses -m with --socket-mem (\"Options -m "
					 "and --socket-mem cannot be specified at the same time\")");
				return 1;
			}
			mem = argv[i][1] == 'm' ? "-m" : "--socket-mem";
		}
	}
	return 0;
}

/* EAL's options as OVS builds them from other_config, into H. */
static void ovs_eal(char value[][256], const bool *set, struct workload_hint *h, char *args,
		    size_t size, char *refused, size_t rsize)
{
	char extra[256], *av[OVS_MAX_ARGS];
	int n = 0;
	static const struct { enum ovs_key key; const char *opt; } db_opts[] = {
		{ OVS_LCORE_MASK, "-c" }, { OVS_HUGE_DIR, "--huge-dir" },
		{ OVS_SOCKET_LIMIT, "--socket-limit" },
	};
	enum ovs_key mem = set[OVS_SOCKET_MEM] ? OVS_SOCKET_MEM : OVS_ALLOC_MEM;
	const char *mem_opt = mem == OVS_SOCKET_MEM ? "--socket-mem" : "-m";

	av[n++] = (char *)"ovs-vswitchd";
	snprintf(extra, sizeof(extra), "%s", set[OVS_EXTRA] ? value[OVS_EXTRA] : "");
	n = ovs_split(extra, av, n, OVS_MAX_ARGS - 12);
	for (size_t i = 0; i < sizeof(db_opts) / sizeof(db_opts[0]); i++)
		if (set[db_opts[i].key] && !has_opt(av, n, db_opts[i].opt)) {
			av[n++] = (char *)db_opts[i].opt;
			av[n++] = value[db_opts[i].key];
		}
	if (set[mem] && !has_opt(av, n, mem_opt)) {
		av[n++] = (char *)mem_opt;
		av[n++] = value[mem];
	}
	if (!has_opt(av, n, "--in-memory") && !has_opt(av, n, "--legacy-mem"))
		av[n++] = (char *)"--in-memory";
	if (!has_opt(av, n, "-c") && !has_opt(av, n, "-l") && !has_opt(av, n, "--lcores")) {
		av[n++] = (char *)"-l";
		av[n++] = (char *)"0";
	}
	av[n] = NULL;
	ovs_eal_refuses(av, n, refused, rsize);
	args[0] = 0;
	for (int i = 1; i < n; i++)
		app_append(args, size, "%s%s", i > 1 ? " " : "", av[i]);
	eal_args_parse(n, av, h);
}

int ovs_configure(const struct app_io *io, const struct program *prog, int argc,
		  char *const *argv, struct workload_hint *h, char *why, size_t size)
{
	struct app_model *m = &h->app;
	char value[OVS_KEYS][256], out[4096], askwhy[256] = "", db[512], eal[APP_TEXT];
	char refuse[200];
	bool set[OVS_KEYS] = { false }, asked = false;
	const char *init;

	(void)why;
	(void)size;
	memset(value, 0, sizeof(value));
	m->known = true;
	m->name = "ovs-dpdk";
	m->what = "ovs-vswitchd";
	if (!ld_image_find(&prog->image, "librte_eal.so")) {
		snprintf(m->settings, sizeof(m->settings), "built without DPDK");
		snprintf(m->input, sizeof(m->input), "its ELF (no librte_eal)");
		m->no_hugepages = true;
		snprintf(m->none_why, sizeof(m->none_why), "%s is built without DPDK: it takes no "
			 "hugepages, whatever dpdk-init says (update-alternatives --set "
			 "ovs-vswitchd /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk chooses "
			 "the DPDK build); nothing to check", prog->path);
		return 0;
	}
	snprintf(db, sizeof(db), "--db=%s", ovs_db(argc, argv));
	if (io->query) {
		const char *av[] = { "ovs-vsctl", db, "--timeout=10", "get", "Open_vSwitch", ".",
				     "other_config", NULL };

		asked = io->query(io->ctx, av, out, sizeof(out), askwhy, sizeof(askwhy)) == 0;
		if (asked && ovs_other_config(out, value, set) < 0) {
			snprintf(askwhy, sizeof(askwhy), "it answered '%.60s'", out);
			asked = false;
		}
	}
	if (asked) {
		m->input[0] = 0;
		app_append(m->input, sizeof(m->input), "ovs-vsctl %s get Open_vSwitch . "
			   "other_config", db);
	} else {
		memset(set, 0, sizeof(set));
		snprintf(m->input, sizeof(m->input), "OVS 3.1's defaults");
		m->note[0] = 0;
		app_append(m->note, sizeof(m->note), "other_config not read (ovs-vsctl %s): %s; "
			   "modelled with dpdk-init=true and OVS's defaults (-m or --socket-mem "
			   "give the amount)", db, askwhy[0] ? askwhy : "not on the live host");
	}
	if (ovs_detaches(argc, argv))
		app_append(m->note, sizeof(m->note), "%s--detach: the daemon is forked, the first "
			   "process exits (1 if the daemon dies first); exec follows the daemon's "
			   "calls and output, not its exit or peaks: run it without --detach",
			   m->note[0] ? "; " : "");
	init = asked ? (set[OVS_INIT] ? value[OVS_INIT] : "false") : "true";
	if (strcasecmp(init, "true") && strcasecmp(init, "try")) {
		snprintf(m->settings, sizeof(m->settings), "dpdk-init=%s", init);
		m->no_hugepages = true;
		snprintf(m->none_why, sizeof(m->none_why), "dpdk-init=%s: ovs-vswitchd does not "
			 "initialise DPDK and takes no hugepages; nothing to check", init);
		return 0;
	}
	ovs_eal(value, set, h, eal, sizeof(eal), refuse, sizeof(refuse));
	/* Long paths and options are cut at the buffer's end (app_append). */
	m->refused[0] = m->settings[0] = '\0';
	if (refuse[0])
		app_append(m->refused, sizeof(m->refused), "%s: its EAL options are %s; %s",
			   prog->path, eal, refuse);
	app_append(m->settings, sizeof(m->settings), "dpdk-init=%s, EAL: %s", init, eal);
	if (set[OVS_SOCKET_MEM] && set[OVS_ALLOC_MEM])
		app_append(m->settings, sizeof(m->settings), "; dpdk-alloc-mem=%s passed over "
			   "for dpdk-socket-mem", value[OVS_ALLOC_MEM]);
	if (!strcasecmp(init, "try")) {
		m->fallback = true;
		snprintf(m->loss, sizeof(m->loss), "ovs-vswitchd will run without DPDK "
			 "(dpdk-init=try): dpdk_initialized=false, no DPDK ports");
	}
	return 0;
}
