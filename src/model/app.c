// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * app.c - the wrappers in front of an application on its command line,
 * and the table of recognisers (see app.h).  A wrapper's options are read
 * as the wrapper reads them, so that its values are not taken for the
 * application (taskset's mask, timeout's duration, prlimit's limits).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/num.h"
#include "model/app.h"
#include "model/apps.h"
#include "model/eal.h"
#include "model/qemu.h"

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* prlimit's value: "N", "N:M", "N:", ":M", "unlimited" or "infinity".
 * prlimit reads a number's leading digits ("1G" is 1 byte): so does this. */
static bool limit_word(const char *s, size_t len, uint64_t *v)
{
	if ((len == 9 && !strncmp(s, "unlimited", 9)) || (len == 8 && !strncmp(s, "infinity", 8)) ||
	    (len == 2 && !strncmp(s, "-1", 2))) {
		*v = HP_UNLIMITED;
		return true;
	}
	if (!len || !isdigit((unsigned char)*s))
		return false;
	*v = strtoull(s, NULL, 10);
	return true;
}

static void prlimit_value(struct workload_rlimit *rl, const char *val)
{
	const char *colon = strchr(val, ':');
	uint64_t v;

	if (!colon) {
		if (limit_word(val, strlen(val), &v)) {
			rl->soft = rl->hard = v;
			rl->soft_set = rl->hard_set = true;
		}
		return;
	}
	if (limit_word(val, (size_t)(colon - val), &v)) {
		rl->soft = v;
		rl->soft_set = true;
	}
	if (limit_word(colon + 1, strlen(colon + 1), &v)) {
		rl->hard = v;
		rl->hard_set = true;
	}
}

/* prlimit's resources hpdiag reads: long name, short letter. */
static const struct {
	const char *name;
	char key;
	enum rlimit_id id;
} prlimit_res[] = {
	{ "data", 'd', RL_DATA }, { "as", 'v', RL_AS }, { "memlock", 'l', RL_MEMLOCK },
	{ "nofile", 'n', RL_NOFILE }, { "stack", 's', RL_STACK },
};

/* One prlimit option at ARGV[*I]; false when it is not one. */
static bool prlimit_opt(int argc, char *const *argv, int *i, struct app_command *cmd)
{
	const char *t = argv[*i];

	if (!strcmp(t, "-o") || !strcmp(t, "--output")) {
		*i += *i + 1 < argc;
		return true;
	}
	if (t[0] != '-' || !t[1])
		return false;
	for (size_t k = 0; k < sizeof(prlimit_res) / sizeof(prlimit_res[0]); k++) {
		size_t nl = strlen(prlimit_res[k].name);

		if (t[1] == '-' && !strncmp(t + 2, prlimit_res[k].name, nl) &&
		    (t[2 + nl] == '=' || !t[2 + nl])) {
			if (t[2 + nl] == '=')
				prlimit_value(&cmd->rlimits[prlimit_res[k].id], t + 3 + nl);
			return true;
		}
		if (t[1] == prlimit_res[k].key) {
			if (t[2])
				prlimit_value(&cmd->rlimits[prlimit_res[k].id], t + 2);
			return true;
		}
	}
	return true;	/* another resource, or --raw, --verbose ... */
}

/* env's NAME=VALUE words: those that change how the program loads. */
static void env_assign(const char *t, struct app_command *cmd)
{
	if (!strncmp(t, "LD_LIBRARY_PATH=", 16))
		cmd->library_path = t + 16;
	else if (!strncmp(t, "LD_PRELOAD=", 11))
		cmd->preload = t + 11;
}

/*
 * The wrappers: their options that take the next word, and how many
 * words follow the options before the command (taskset's mask, chrt's
 * priority, timeout's duration).
 */
static const struct {
	const char *name;
	const char *with_value;		/* short options taking the next word */
	const char *long_with_value;	/* ",name,..." of long ones that do */
	int operands;
} wrappers[] = {
	{ "env", "uCS", ",unset,chdir,split-string,", 0 },
	{ "prlimit", "", "", 0 },
	{ "taskset", "", "", 1 },
	{ "numactl", "imNCpP", ",interleave,membind,cpunodebind,physcpubind,"
	  "preferred,preferred-many,weighted-interleave,", 0 },
	{ "nice", "n", ",adjustment,", 0 },
	{ "ionice", "cnt", ",class,classdata,", 0 },
	{ "chrt", "", "", 1 },
	{ "timeout", "ks", ",kill-after,signal,", 1 },
	{ "stdbuf", "ioe", ",input,output,error,", 0 },
	{ "setsid", "", "", 0 },
	{ "nohup", "", "", 0 },
};

/* Whether the wrapper's option T takes the next word as its value. */
static bool takes_value(size_t w, const char *t)
{
	char name[48];

	if (t[1] != '-')
		return !t[2] && strchr(wrappers[w].with_value, t[1]);
	if (strchr(t, '=') || strlen(t) > sizeof(name) - 3)
		return false;
	snprintf(name, sizeof(name), ",%s,", t + 2);
	return strstr(wrappers[w].long_with_value, name) != NULL;
}

void app_unwrap(int argc, char *const *argv, struct app_command *cmd)
{
	int i = 0;

	memset(cmd, 0, sizeof(*cmd));
	while (i < argc) {
		const char *name = base_name(argv[i]);
		size_t w = 0, nw = sizeof(wrappers) / sizeof(wrappers[0]);
		int operands;

		/* A shell's "NAME=VALUE command": env's assignments. */
		if (argv[i][0] != '-' && argv[i][0] != '/' && strchr(argv[i], '=')) {
			env_assign(argv[i++], cmd);
			continue;
		}
		while (w < nw && strcmp(name, wrappers[w].name))
			w++;
		if (w == nw)
			break;
		operands = wrappers[w].operands;
		for (i++; i < argc; i++) {
			const char *t = argv[i];

			if (!strcmp(t, "--")) {
				i++;
				break;
			}
			if (!strcmp(wrappers[w].name, "env") && strchr(t, '=') && t[0] != '-') {
				env_assign(t, cmd);
				continue;
			}
			if (t[0] != '-' || !t[1])
				break;
			if (!strcmp(wrappers[w].name, "env") && (!strcmp(t, "-i") ||
				!strcmp(t, "--ignore-environment"))) {
				cmd->env_cleared = true;
				cmd->library_path = cmd->preload = NULL;
				continue;
			}
			if (!strcmp(wrappers[w].name, "prlimit")) {
				prlimit_opt(argc, argv, &i, cmd);
				continue;
			}
			/* "-n 5" and "--signal KILL" take the next word;
			 * "-n5" and "--signal=KILL" do not.  A last "-s"
			 * has no word to take: nothing follows it. */
			if (takes_value(w, t) && i + 1 < argc)
				i++;
		}
		for (; operands > 0 && i < argc; operands--)
			i++;
	}
	cmd->prog = i;
}

/* ---- DPDK -------------------------------------------------------------------- */

#define EAL_OBJECT	"librte_eal.so"

static bool dpdk_match(const struct program *prog, char *why, size_t size)
{
	const struct ld_object *o = ld_image_find(&prog->image, EAL_OBJECT);

	if (!o)
		return false;
	snprintf(why, size, "links %s", o->elf.soname ? o->elf.soname : EAL_OBJECT);
	return true;
}

static void dpdk_options(int argc, char *const *argv, struct workload_hint *h)
{
	eal_args_parse(argc, argv, h);
}

/*
 * EAL's shared build loads every plug-in of the directory its build
 * configuration names (the string "DPDK_PLUGIN_PATH=DIR" in librte_eal)
 * - the files ending in ".so" or ".so.ABI", ABI its own soname's - and
 * each -d FILE or directory.
 */
static void dpdk_runtime(const struct program *prog, const struct workload_hint *h,
			 struct app_runtime *rt)
{
	const struct ld_object *o = ld_image_find(&prog->image, EAL_OBJECT);
	const char *abi = o && o->elf.soname ? strstr(o->elf.soname, ".so.") : NULL;

	memset(rt, 0, sizeof(*rt));
	rt->from = EAL_OBJECT;
	rt->suffixes[0] = ".so";
	if (abi) {
		snprintf(rt->abi_suffix, sizeof(rt->abi_suffix), "%.*s", (int)strcspn(abi + 4, ".") + 4,
			 abi);
		rt->suffixes[1] = rt->abi_suffix;
	}
	rt->marker = o ? "DPDK_PLUGIN_PATH=" : NULL;
	rt->paths = h->plugins;
	rt->nr_paths = h->nr_plugins;
}

const struct app_recogniser app_recognisers[] = {
	/* Before DPDK's: ovs-vswitchd-dpdk links librte_eal too. */
	{ "ovs-dpdk", "Open vSwitch", "ovs-vswitchd", ovs_match, ovs_options, dpdk_runtime,
	  ovs_configure },
	{ "dpdk", "a DPDK application", "programs linking librte_eal", dpdk_match,
	  dpdk_options, dpdk_runtime, NULL },
	{ "postgresql", "PostgreSQL", "postgres", postgres_match, postgres_options, NULL,
	  postgres_configure },
	{ "jvm", "a JVM", "java (OpenJDK 17)", jvm_match, jvm_options, NULL, jvm_configure },
	{ "qemu", "QEMU", "qemu-system-*", qemu_match, qemu_options, NULL, NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

const struct app_recogniser *app_recognise(const struct program *prog, char *why,
					   size_t size)
{
	for (size_t i = 0; app_recognisers[i].name; i++)
		if (app_recognisers[i].match(prog, why, size))
			return &app_recognisers[i];
	return NULL;
}

void app_recognised(char *buf, size_t size)
{
	size_t l = 0;

	buf[0] = 0;
	for (size_t i = 0; app_recognisers[i].name && l < size; i++)
		l += (size_t)snprintf(buf + l, size - l, "%s%s (%s)", i ? ", " : "",
				      app_recognisers[i].name, app_recognisers[i].programs);
}

const struct app_recogniser *app_recogniser_named(const char *name)
{
	for (size_t i = 0; app_recognisers[i].name; i++)
		if (!strcmp(app_recognisers[i].name, name))
			return &app_recognisers[i];
	return NULL;
}

void app_command_options(int argc, char *const *argv, struct workload_hint *h)
{
	struct app_command cmd;

	app_unwrap(argc, argv, &cmd);
	if (cmd.prog < argc)
		dpdk_options(argc - cmd.prog, argv + cmd.prog, h);
}
