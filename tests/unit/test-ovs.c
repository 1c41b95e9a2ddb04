// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-ovs.c - ovs-vswitchd's other_config as model/ovs.c turns it into
 * EAL's options, the way OVS 3.1 does (measured: its log's "EAL ARGS"):
 * dpdk-extra first and winning over the database's options,
 * dpdk-socket-mem over dpdk-alloc-mem, --in-memory and -l 0 added, and
 * what takes no hugepages (dpdk-init off, a build without DPDK); the
 * database the command line names; the defaults when it cannot be asked;
 * the options EAL refuses (a second lcore option, -m with --socket-mem).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/apps.h"
#include "testutil.h"

static const char *answer;	/* what ovs-vsctl prints; NULL: it fails */
static char asked_db[256];

static int fake_query(void *ctx, const char *const *argv, char *out, size_t size, char *why,
		      size_t why_size)
{
	(void)ctx;
	ck_assert_str_eq(argv[0], "ovs-vsctl");
	snprintf(asked_db, sizeof(asked_db), "%s", argv[1]);
	if (!answer) {
		snprintf(why, why_size, "database connection failed");
		return -EIO;
	}
	snprintf(out, size, "%s", answer);
	return 0;
}

/* ovs_configure() on ARGS with ovs-vsctl answering ANS; EAL says LINKED. */
static void configure(const char *ans, bool linked, const char *const *args,
		      struct workload_hint *h)
{
	struct app_io io = { .query = fake_query, .default_page_size = 2 << 20 };
	struct ld_object objs[2];
	struct program prog;
	char *argv[8], why[256];
	int argc = 0;

	memset(objs, 0, sizeof(objs));
	memset(&prog, 0, sizeof(prog));
	objs[0].path = (char *)"/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk";
	objs[1].path = (char *)"/lib/x86_64-linux-gnu/librte_eal.so.23";
	objs[1].elf.soname = (char *)"librte_eal.so.23";
	prog.path = objs[0].path;
	prog.image.objs = objs;
	prog.image.n = linked ? 2 : 1;
	answer = ans;
	asked_db[0] = 0;
	argv[argc++] = prog.path;
	while (args && *args)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	memset(h, 0, sizeof(*h));
	ck_assert(ovs_match(&prog, why, sizeof(why)));
	ck_assert_int_eq(ovs_configure(&io, &prog, argc, argv, h, why, sizeof(why)), 0);
}

START_TEST(socket_mem)
{
	struct workload_hint h;

	configure("{dpdk-extra=\"--no-pci\", dpdk-init=\"true\", dpdk-socket-mem=\"1024,0\"}\n",
		  true, NULL, &h);
	ck_assert_str_eq(asked_db, "--db=unix:/var/run/openvswitch/db.sock");
	ck_assert(h.app.known && !h.app.no_hugepages && !h.app.fallback);
	ck_assert(h.have_mode && h.mode == MODE_IN_MEMORY);
	ck_assert_uint_eq(h.nr_socket_mem, 2);
	ck_assert_uint_eq(h.socket_mem[0], 1024);
	ck_assert_uint_eq(h.socket_mem[1], 0);
	ck_assert_uint_eq(h.lcores, 1);
	ck_assert_str_eq(h.app.settings,
			 "dpdk-init=true, EAL: --no-pci --socket-mem 1024,0 --in-memory -l 0");
	workload_hint_free(&h);
}
END_TEST

START_TEST(alloc_mem)
{
	static const char *const db[] = { "--pidfile", "--user", "openvswitch:hugetlbfs",
		"unix:/tmp/x/db.sock", NULL };
	struct workload_hint h;

	/* -m from dpdk-alloc-mem; dpdk-socket-mem wins over it (OVS logs
	 * "Multiple defined options for memory type"). */
	configure("{dpdk-alloc-mem=\"300\", dpdk-init=\"true\"}", true, db, &h);
	ck_assert_str_eq(asked_db, "--db=unix:/tmp/x/db.sock");
	ck_assert(h.have_mem && h.mem_mb == 300 && !h.nr_socket_mem);
	workload_hint_free(&h);
	configure("{dpdk-alloc-mem=\"300\", dpdk-init=\"true\", dpdk-socket-mem=\"200\"}", true,
		  db, &h);
	ck_assert(!h.have_mem && h.nr_socket_mem == 1 && h.socket_mem[0] == 200);
	workload_hint_free(&h);
}
END_TEST

START_TEST(extra_wins)
{
	struct workload_hint h;

	/* dpdk-extra's own --socket-mem and -l: the database's are passed
	 * over, and no -l 0 is added. */
	configure("{dpdk-extra=\"--no-pci -l 0-1 --socket-mem 100\", dpdk-init=\"true\", "
		  "dpdk-socket-mem=\"200\"}", true, NULL, &h);
	ck_assert(h.nr_socket_mem == 1 && h.socket_mem[0] == 100);
	ck_assert_uint_eq(h.lcores, 2);
	workload_hint_free(&h);
	/* --legacy-mem: no --in-memory (the pages are files in a mount). */
	configure("{dpdk-extra=\"--no-pci --legacy-mem\", dpdk-init=true}", true, NULL, &h);
	ck_assert(h.have_mode && h.mode == MODE_LEGACY);
	ck_assert_str_eq(h.app.settings, "dpdk-init=true, EAL: --no-pci --legacy-mem -l 0");
	workload_hint_free(&h);
	/* dpdk-lcore-mask as -c. */
	configure("{dpdk-init=true, dpdk-lcore-mask=\"0x6\"}", true, NULL, &h);
	ck_assert_uint_eq(h.lcores, 2);
	ck_assert(!h.nr_socket_mem && !h.have_mem);
	workload_hint_free(&h);
}
END_TEST

START_TEST(no_hugepages)
{
	struct workload_hint h;

	configure("{}", true, NULL, &h);
	ck_assert(h.app.no_hugepages);
	ck_assert_ptr_nonnull(strstr(h.app.none_why, "dpdk-init=false"));
	workload_hint_free(&h);
	configure("{dpdk-init=\"true\"}", false, NULL, &h);
	ck_assert(h.app.no_hugepages);
	ck_assert_ptr_nonnull(strstr(h.app.none_why, "built without DPDK"));
	workload_hint_free(&h);
	configure("{dpdk-init=try, dpdk-socket-mem=\"64\"}", true, NULL, &h);
	ck_assert(!h.app.no_hugepages && h.app.fallback);
	workload_hint_free(&h);
}
END_TEST

START_TEST(not_asked)
{
	struct workload_hint h;

	configure(NULL, true, NULL, &h);
	ck_assert(!h.app.no_hugepages);
	ck_assert(h.have_mode && h.mode == MODE_IN_MEMORY);
	ck_assert(!h.nr_socket_mem && !h.have_mem);
	ck_assert_ptr_nonnull(strstr(h.app.note, "database connection failed"));
	workload_hint_free(&h);
	/* An answer that is not a map. */
	configure("ovs-vsctl: no row", true, NULL, &h);
	ck_assert_ptr_nonnull(strstr(h.app.note, "it answered"));
	workload_hint_free(&h);
}
END_TEST

START_TEST(conflicts)
{
	static const char *const dash_l[] = { "ovs-vswitchd", "-l0-1", "-c", "0x1", NULL };
	static const char *const one[] = { "ovs-vswitchd", "--lcores=1", "--socket-mem",
		"64", NULL };
	struct workload_hint h;
	char why[200];

	/* dpdk-lcore-mask's -c after dpdk-extra's -l: OVS passes both (its
	 * check is for -c alone), EAL refuses the second and the daemon
	 * aborts before any memory (measured: "EAL ARGS: ovs-vswitchd-dpdk
	 * --no-pci -l 1 -c 0x1 --socket-mem 64 --in-memory.", "Option -c is
	 * ignored, because (-l) is set!", "Invalid 'command line' arguments."). */
	configure("{dpdk-extra=\"--no-pci -l 1\", dpdk-init=\"true\", dpdk-lcore-mask=\"0x1\", "
		  "dpdk-socket-mem=\"64\"}", true, NULL, &h);
	ck_assert_str_eq(h.app.settings,
			 "dpdk-init=true, EAL: --no-pci -l 1 -c 0x1 --socket-mem 64 --in-memory");
	ck_assert_ptr_nonnull(strstr(h.app.refused, "EAL refuses -c after -l"));
	ck_assert_ptr_nonnull(strstr(h.app.refused, "Option -c is ignored, because (-l) is set!"));
	workload_hint_free(&h);
	/* The same after --lcores. */
	configure("{dpdk-extra=\"--no-pci --lcores 1\", dpdk-init=true, dpdk-lcore-mask=\"0x1\"}",
		  true, NULL, &h);
	ck_assert_ptr_nonnull(strstr(h.app.refused, "because (--lcores) is set!"));
	workload_hint_free(&h);
	/* dpdk-extra's own -c: the database's is passed over, no conflict
	 * (measured: it starts, "EAL ARGS: ... --no-pci -c 0x2 --socket-mem
	 * 64 --in-memory."). */
	configure("{dpdk-extra=\"--no-pci -c 0x2\", dpdk-init=true, dpdk-lcore-mask=\"0x1\", "
		  "dpdk-socket-mem=\"64\"}", true, NULL, &h);
	ck_assert_str_eq(h.app.refused, "");
	ck_assert_str_eq(h.app.settings,
			 "dpdk-init=true, EAL: --no-pci -c 0x2 --socket-mem 64 --in-memory");
	workload_hint_free(&h);
	/* dpdk-extra's -m with dpdk-socket-mem: OVS adds --socket-mem (it
	 * looks for --socket-mem only), EAL refuses the pair (measured). */
	configure("{dpdk-extra=\"--no-pci -l 1 -m 32\", dpdk-init=true, dpdk-socket-mem=\"64\"}",
		  true, NULL, &h);
	ck_assert_ptr_nonnull(strstr(h.app.refused, "Options -m and --socket-mem cannot be "
				     "specified at the same time"));
	workload_hint_free(&h);
	/* A short option with its value in the word; one of each is fine. */
	ck_assert_int_eq(ovs_eal_refuses((char **)dash_l, 4, why, sizeof(why)), 1);
	ck_assert_ptr_nonnull(strstr(why, "-c after -l"));
	ck_assert_int_eq(ovs_eal_refuses((char **)one, 4, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "");
}
END_TEST

START_TEST(words)
{
	struct workload_hint h;

	/* What ovs-vsctl printed for a dpdk-extra set with a tab, quotes and
	 * a backslash, and OVS's EAL ARGS for it (measured): JSON's escapes
	 * in the map, then OVS's split of the words; "-l0" is not the "-l"
	 * OVS looks for, so it adds -l 0 and EAL refuses the second -l. */
	configure("{dpdk-extra=\"--no-pci\\t\\\"--file-prefix\\\" 'a b' --vdev=x\\\\ y -l\\\"0\\\"\", "
		  "dpdk-init=\"true\", \"my key\"=\"v=1,2\", uni=\"\\u00e9\\n\\u0001\"}", true, NULL, &h);
	ck_assert_str_eq(h.app.settings, "dpdk-init=true, EAL: --no-pci --file-prefix a b "
			 "--vdev=x y -l0 --in-memory -l 0");
	ck_assert_ptr_nonnull(strstr(h.app.refused, "Option -l is ignored, because (-l) is set!"));
	workload_hint_free(&h);
	/* OVS looks for whole words: "--socket-mem=32" does not stop its
	 * --socket-mem 200, which EAL takes last (measured: "Requested:
	 * 200MB"); "--lcores=0" does not stop its -l 0, which EAL refuses. */
	configure("{dpdk-extra=\"--no-pci --socket-mem=32\", dpdk-init=true, "
		  "dpdk-socket-mem=\"200\"}", true, NULL, &h);
	ck_assert_str_eq(h.app.settings, "dpdk-init=true, EAL: --no-pci --socket-mem=32 "
			 "--socket-mem 200 --in-memory -l 0");
	ck_assert(h.nr_socket_mem == 1 && h.socket_mem[0] == 200);
	ck_assert_str_eq(h.app.refused, "");
	workload_hint_free(&h);
	configure("{dpdk-extra=\"--no-pci --lcores=0\", dpdk-init=true}", true, NULL, &h);
	ck_assert_ptr_nonnull(strstr(h.app.refused, "because (--lcores) is set!"));
	workload_hint_free(&h);
	/* A backslash at the end is dropped; an empty quoted word is a word. */
	configure("{dpdk-extra=\"--no-pci '' x\\\\\", dpdk-init=true}", true, NULL, &h);
	ck_assert_str_eq(h.app.settings, "dpdk-init=true, EAL: --no-pci  x --in-memory -l 0");
	workload_hint_free(&h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ovs");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, socket_mem);
	tcase_add_test(tc, alloc_mem);
	tcase_add_test(tc, extra_wins);
	tcase_add_test(tc, no_hugepages);
	tcase_add_test(tc, not_asked);
	tcase_add_test(tc, conflicts);
	tcase_add_test(tc, words);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
