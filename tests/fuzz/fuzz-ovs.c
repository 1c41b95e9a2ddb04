// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-ovs.c - ovs-vswitchd's model on any answer of `ovs-vsctl get
 * Open_vSwitch . other_config`: the map's quoted words and JSON escapes,
 * dpdk-extra split as OVS splits it (quotes, backslashes), the EAL options
 * built from it and parsed as EAL parses them, and what EAL refuses.  The
 * first byte picks the command line's options; the rest is the answer.
 */
#include <stdbool.h>
#include <stdio.h>

#include "fuzz.h"
#include "model/apps.h"

static const char *answer;

static int query(void *ctx, const char *const *argv, char *out, size_t size, char *why,
		 size_t why_size)
{
	(void)ctx;
	(void)argv;
	(void)why;
	(void)why_size;
	if (!size)
		return -1;
	snprintf(out, size, "%s", answer);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[] = "/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk";
	static char eal[] = "/lib/x86_64-linux-gnu/librte_eal.so.23";
	static char soname[] = "librte_eal.so.23";
	static char *const cmds[][4] = {
		{ path, NULL },
		{ path, (char *)"--detach", NULL },
		{ path, (char *)"--user", (char *)"--detach", NULL },
		{ path, (char *)"unix:/tmp/db.sock", (char *)"--pidfile", NULL },
	};
	struct app_io io = { .query = query, .default_page_size = 2 << 20 };
	struct ld_object objs[2];
	struct program prog;
	struct workload_hint h;
	char why[256], *s;
	uint8_t pick = size ? data[0] : 0;
	int argc = 0;

	s = fuzz_string(size ? data + 1 : data, size ? size - 1 : 0);
	memset(objs, 0, sizeof(objs));
	memset(&prog, 0, sizeof(prog));
	memset(&h, 0, sizeof(h));
	objs[0].path = path;
	objs[1].path = eal;
	objs[1].elf.soname = soname;
	prog.path = path;
	prog.image.objs = objs;
	prog.image.n = pick & 4 ? 1 : 2;
	answer = s;
	while (cmds[pick & 3][argc])
		argc++;
	if (ovs_match(&prog, why, sizeof(why)))
		ovs_configure(&io, &prog, argc, cmds[pick & 3], &h, why, sizeof(why));
	workload_hint_free(&h);
	free(s);
	return 0;
}
