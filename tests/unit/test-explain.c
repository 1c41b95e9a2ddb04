// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-explain.c - explain's three steps: (a) what a log proves (the lines
 * of DPDK 16.04 to 22.11, strace, PostgreSQL, the JVM, QEMU, SPDK, OVS-DPDK
 * and the loader, with case and spacing changed; the options of a pasted
 * command line or of the EAL echo), (b) the causes consistent with it,
 * and (c) how a host's findings confirm or rule them out - never adding a
 * cause the log does not allow.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/explain.h"
#include "testutil.h"

/* The answer of TEXT against HOST (NULL: the log alone). */
static void reason(const char *text, const struct findings *host, bool app_view,
		   struct explain *ex, struct explain_answer *ans)
{
	ck_assert_int_eq(explain_parse(text, ex), 0);
	explain_reason(ex, host, app_view, ans);
}

static bool candidate(const struct explain_answer *ans, const char *cause)
{
	for (size_t i = 0; i < ans->nr_cands; i++)
		if (!strcmp(cname(ans->cands[i]), cause))
			return true;
	return false;
}

START_TEST(seed000_log)
{
	struct explain_answer ans;
	struct explain ex;

	reason(test_log("seed-000.log"), NULL, false, &ex, &ans);
	ck_assert_uint_eq(ex.cmd_lineno, 1);
	ck_assert_str_eq(ex.cmd, "./l2fwd  -m 64 -- -p0x1");
	ck_assert(ex.hint.have_mem);
	ck_assert_uint_eq(ex.hint.mem_mb, 64);
	/* "Failed to mmap 2 MB hugepages" and the PANIC are 16.04's. */
	ck_assert_uint_eq(ex.hint.dpdk_version, 1604);
	ck_assert_uint_eq(ex.version_line, 14);
	ck_assert(ex.hint.have_mode);
	ck_assert_int_eq(ex.hint.mode, MODE_LEGACY);
	ck_assert_uint_eq(ex.hint.page_size, 2 << 20);
	ck_assert_int_eq(ex.proof.app, APP_DPDK);
	ck_assert_uint_eq(ex.events[0].lineno, 13);
	ck_assert_int_eq(ex.events[0].err, ENOMEM);
	/* Legacy maps the whole pool: the mappings run out first. */
	ck_assert_int_eq(ans.outcome, OUTCOME_FAILED);
	ck_assert_str_eq(cname(ans.cause), "map_count_limit");
	ck_assert(!ans.certain);
	ck_assert_int_eq(ans.basis, BASIS_LIKELIEST);
	ck_assert(candidate(&ans, "mount_quota"));
	ck_assert(!candidate(&ans, "no_mount"));
	explain_free(&ex);
}
END_TEST

START_TEST(strace_lines)
{
	struct explain ex;

	ck_assert_int_eq(explain_parse(
		"[pid  4242] openat(AT_FDCWD, \"/dev/hugepages/rtemap_48\", O_RDWR|O_CREAT, 0600) = -1 EMFILE (Too many open files)\n"
		"mmap(0x17ea00000, 2097152, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_POPULATE, 5, 0) = -1 ENOMEM (Cannot allocate memory)\n"
		"shmget(IPC_PRIVATE, 1073741824, IPC_CREAT|SHM_HUGETLB|0600) = -1 EPERM (Operation not permitted)\n"
		"mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000\n"
		"openat(AT_FDCWD, \"/usr/lib/locale/locale-archive\", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)\n"
		"mmap(NULL, 150994944, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB, -1, 0) = -1 ENOMEM (Cannot allocate memory)\n"
		"--- SIGBUS {si_signo=SIGBUS, si_code=BUS_ADRERR, si_addr=0x7f3c00000000} ---\n",
		&ex), 0);
	ck_assert_uint_eq(ex.nr_events, 5);
	ck_assert_str_eq(cname(ex.events[0].causes[0]), "rlimit_nofile");
	ck_assert_uint_eq(ex.events[0].nr_causes, 1);
	/* A page file mapped where the kernel chooses: legacy's first pass. */
	ck_assert_str_eq(cname(ex.events[1].causes[0]), "map_count_limit");
	ck_assert_str_eq(cname(ex.events[2].causes[0]), "rlimit_memlock");
	ck_assert_uint_eq(ex.events[2].nr_causes, 1);
	/* One MAP_HUGETLB mapping: reserved at mmap; no mount involved. */
	ck_assert_str_eq(cname(ex.events[3].causes[0]), "pool_exhausted");
	for (size_t i = 0; i < ex.events[3].nr_causes; i++)
		ck_assert_str_ne(cname(ex.events[3].causes[i]), "mount_quota");
	ck_assert_int_eq(ex.events[4].sig, SIGBUS);
	ck_assert_str_eq(cname(ex.events[4].causes[0]), "cgroup_hugetlb_limit");
	explain_free(&ex);
}
END_TEST

START_TEST(command_lines)
{
	struct explain ex;

	ck_assert_int_eq(explain_parse(
		"root@host:~# dpdk-testpmd -l 0-3 --socket-mem=512,1024 --huge-dir /mnt/h "
		"--single-file-segments --file-prefix app -- -i --socket-mem 9\n"
		"# echo $?\n", &ex), 0);
	ck_assert_uint_eq(ex.cmd_lineno, 1);
	ck_assert_uint_eq(ex.hint.nr_socket_mem, 2);
	ck_assert_uint_eq(ex.hint.socket_mem[1], 1024);
	ck_assert_str_eq(ex.hint.huge_dir, "/mnt/h");
	ck_assert_str_eq(ex.hint.file_prefix, "app");
	ck_assert_int_eq(ex.hint.mode, MODE_SINGLE_FILE);
	ck_assert(!ex.hint.have_mem);
	explain_free(&ex);
	ck_assert_int_eq(explain_parse("$ ./app -m128 --in-memory --single-file-segments\n",
				       &ex), 0);
	ck_assert_uint_eq(ex.hint.mem_mb, 128);
	ck_assert_int_eq(ex.hint.mode, MODE_IN_MEMORY);
	explain_free(&ex);
	/* A prompt running something else is not the application. */
	ck_assert_int_eq(explain_parse("# sysctl -w vm.max_map_count=65535\n# ls -l\n", &ex), 0);
	ck_assert_uint_eq(ex.cmd_lineno, 0);
	explain_free(&ex);
}
END_TEST

/* What SPDK, OVS-DPDK, QEMU, a JVM and PostgreSQL echo of their options. */
START_TEST(echoed_options)
{
	struct explain ex;

	ck_assert_int_eq(explain_parse(test_log("spdk-pool.log"), &ex), 0);
	ck_assert_int_eq(ex.proof.app, APP_SPDK);
	ck_assert_str_eq(ex.proof.version, "23.01");
	ck_assert_uint_eq(ex.hint.dpdk_version, 2211);
	ck_assert_uint_eq(ex.hint.mem_mb, 4096);
	ck_assert_str_eq(ex.hint.file_prefix, "spdk_pid3141");
	ck_assert_uint_eq(ex.proof.requested_mb, 4096);
	ck_assert_uint_eq(ex.proof.available_mb, 2048);
	explain_free(&ex);
	ck_assert_int_eq(explain_parse(test_log("ovs-small.log"), &ex), 0);
	ck_assert_int_eq(ex.proof.app, APP_OVS);
	ck_assert_str_eq(ex.proof.version, "22.11.11");
	ck_assert_uint_eq(ex.hint.nr_socket_mem, 1);
	ck_assert_uint_eq(ex.hint.socket_mem[0], 1024);
	/* OVS adds --in-memory, and its EAL ARGS end with a full stop. */
	ck_assert_int_eq(ex.hint.mode, MODE_IN_MEMORY);
	ck_assert_uint_eq(ex.proof.nodes, 1);
	explain_free(&ex);
	ck_assert_int_eq(explain_parse(test_log("qemu-quota.log"), &ex), 0);
	ck_assert_int_eq(ex.proof.app, APP_QEMU);
	ck_assert_str_eq(ex.hint.huge_dir, "/tmp/hpdiag-logs/mnt");
	ck_assert_uint_eq(ex.hint.mem_mb, 256);
	ck_assert_int_eq(ex.hint.mode, MODE_SINGLE_FILE);
	explain_free(&ex);
	ck_assert_int_eq(explain_parse(test_log("jvm-1g.log"), &ex), 0);
	ck_assert_int_eq(ex.proof.app, APP_JVM);
	ck_assert_str_eq(ex.proof.version, "17.0.15");
	ck_assert_uint_eq(ex.hint.page_size, 1ULL << 30);
	ck_assert_int_eq(ex.hint.mode, MODE_ANON);
	explain_free(&ex);
	ck_assert_int_eq(explain_parse(test_log("pg-nopool.log"), &ex), 0);
	ck_assert_int_eq(ex.proof.app, APP_POSTGRES);
	ck_assert_int_eq(ex.hint.mode, MODE_ANON);
	ck_assert_uint_eq(ex.proof.size, 150994944);
	ck_assert_uint_eq(ex.hint.mem_mb, 144);
	explain_free(&ex);
}
END_TEST

/* Found by fuzz-explain: an option whose value is the next option. */
START_TEST(option_value_is_an_option)
{
	struct explain ex;

	ck_assert_int_eq(explain_parse("# dpdk-test -m 64 --huge-dir --so\n"
				       "# x --file-prefix --socket-mem 1,2\n", &ex), 0);
	ck_assert_str_eq(ex.hint.huge_dir, "--so");
	ck_assert_uint_eq(ex.hint.mem_mb, 64);
	explain_free(&ex);
	ck_assert_int_eq(explain_parse("$ dpdk-testpmd --file-prefix --socket-mem=1,2 "
				       "--huge-dir=/mnt/h\n", &ex), 0);
	ck_assert_str_eq(ex.hint.file_prefix, "--socket-mem=1,2");
	ck_assert_str_eq(ex.hint.huge_dir, "/mnt/h");
	/* As EAL's getopt_long: the value taken is not an option too. */
	ck_assert_uint_eq(ex.hint.nr_socket_mem, 0);
	explain_free(&ex);
}
END_TEST

/* Case and spacing do not matter. */
START_TEST(case_and_spacing)
{
	struct explain_answer ans;
	struct explain ex;

	reason("eal:   NOT enough memory\tavailable!  Requested: 64MB,  available: 32MB\n"
	       "EAL: FATAL:   CANNOT INIT MEMORY\n", NULL, false, &ex, &ans);
	ck_assert_uint_eq(ex.nr_events, 2);
	ck_assert_uint_eq(ex.proof.requested_mb, 64);
	ck_assert_uint_eq(ex.proof.available_mb, 32);
	ck_assert_str_eq(cname(ans.cause), "pool_exhausted");
	ck_assert(ans.certain);
	ck_assert_int_eq(ans.basis, BASIS_LOG);
	explain_free(&ex);
}
END_TEST

/* A notice about 1 GiB pages is not a 2 MiB no_pool; a log that ends in a
 * successful init is a pass. */
START_TEST(notices_and_success)
{
	struct explain_answer ans;
	struct explain ex;

	reason(test_log("dpdk-inmem-nomount.log"), NULL, false, &ex, &ans);
	ck_assert_int_eq(ans.outcome, OUTCOME_SUCCEEDED);
	ck_assert_int_eq(ans.status, HP_PASS);
	explain_free(&ex);
	reason(test_log("ovs-ok.log"), NULL, false, &ex, &ans);
	ck_assert_int_eq(ans.outcome, OUTCOME_SUCCEEDED);
	explain_free(&ex);
	reason(test_log("dpdk-inmem-pool.log"), NULL, false, &ex, &ans);
	ck_assert_str_eq(cname(ans.cause), "pool_exhausted");
	ck_assert(!candidate(&ans, "no_pool"));
	explain_free(&ex);
	/* The 2 MiB notice before "Cannot get hugepage information". */
	reason(test_log("dpdk-nopool.log"), NULL, false, &ex, &ans);
	ck_assert_str_eq(cname(ans.cause), "no_pool");
	ck_assert(!candidate(&ans, "no_mount"));
	explain_free(&ex);
	/* Pages but no mount for them. */
	reason(test_log("dpdk-nomount.log"), NULL, false, &ex, &ans);
	ck_assert_str_eq(cname(ans.cause), "no_mount");
	ck_assert(ans.certain);
	explain_free(&ex);
	/* Legacy memory recovers from SIGBUS when -m fits: a pass. */
	reason(test_log("dpdk-cgroup-legacy.log"), NULL, false, &ex, &ans);
	ck_assert_int_eq(ans.outcome, OUTCOME_SUCCEEDED);
	explain_free(&ex);
}
END_TEST

/* After EAL came up a failure is a memory failure only when its errno
 * says so. */
START_TEST(after_memory_came_up)
{
	struct explain_answer ans;
	struct explain ex;

	reason(test_log("testpmd-badopt.log"), NULL, false, &ex, &ans);
	ck_assert_int_eq(ans.outcome, OUTCOME_OTHER);
	ck_assert_int_eq(ans.status, HP_PASS);
	explain_free(&ex);
	reason(test_log("testpmd-mbuf.log"), NULL, false, &ex, &ans);
	ck_assert_int_eq(ans.outcome, OUTCOME_FAILED);
	ck_assert(ans.event->after_up);
	ck_assert_str_eq(cname(ans.cause), "pool_exhausted");
	explain_free(&ex);
	reason(test_log("dpdk-secondary.log"), NULL, false, &ex, &ans);
	ck_assert_int_eq(ans.outcome, OUTCOME_OTHER);
	ck_assert_int_eq(ans.status, HP_WARN);
	explain_free(&ex);
	/* A secondary that cannot map the primary's memory where it is. */
	reason(test_log("dpdk-secondary-va.log"), NULL, false, &ex, &ans);
	ck_assert_str_eq(cname(ans.cause), "va_space");
	ck_assert(ans.certain);
	explain_free(&ex);
}
END_TEST

/* EAL's bare "Cannot init memory" in 22.11 narrows, never "unknown". */
START_TEST(bare_eal_failure)
{
	struct explain_answer ans;
	struct explain ex;

	reason(test_log("dpdk-quota.log"), NULL, false, &ex, &ans);
	ck_assert_uint_eq(ans.nr_cands, 3);
	ck_assert(candidate(&ans, "mount_quota"));
	ck_assert(candidate(&ans, "cgroup_hugetlb_limit"));
	ck_assert(candidate(&ans, "pool_exhausted"));
	ck_assert(!ans.certain);
	explain_free(&ex);
	/* --in-memory keeps no page file in a mount. */
	reason("EAL: Selected IOVA mode 'PA'\nEAL: FATAL: Cannot init memory\n", NULL, false,
	       &ex, &ans);
	ck_assert(candidate(&ans, "mount_quota"));
	explain_free(&ex);
	reason("# dpdk-test --in-memory -m 64\nEAL: Selected IOVA mode 'PA'\n"
	       "EAL: FATAL: Cannot init memory\n", NULL, false, &ex, &ans);
	ck_assert(!candidate(&ans, "mount_quota"));
	ck_assert_str_eq(cname(ans.cause), "cgroup_hugetlb_limit");
	explain_free(&ex);
}
END_TEST

/* The loader's messages (issue #20): RLIMIT_DATA or RLIMIT_AS. */
START_TEST(loader)
{
	struct explain_answer ans;
	struct explain ex;

	reason(test_log("loader-data-zerofill.log"), NULL, false, &ex, &ans);
	ck_assert_uint_eq(ans.nr_cands, 2);
	ck_assert_str_eq(cname(ans.cands[0]), "rlimit_data");
	ck_assert_str_eq(cname(ans.cands[1]), "rlimit_as");
	explain_free(&ex);
	reason("app: error while loading shared libraries: libc.so.6: cannot allocate "
	       "memory\n", NULL, false, &ex, &ans);
	ck_assert_str_eq(cname(ans.cause), "rlimit_data");
	explain_free(&ex);
}
END_TEST

/* Host findings made by hand, to reason against. */
static struct finding *host_add(struct findings *fs, const char *check, const char *cause,
				int status)
{
	enum check ck;
	enum cause ca = CAUSE_NONE;
	struct finding *f;

	ck_assert_int_eq(check_parse(check, &ck), 0);
	if (cause)
		ck_assert_int_eq(cause_parse(cause, &ca), 0);
	f = finding_add(fs, ck, status, ca, "%s %s", check, status == HP_FAIL ? "fails" : "passes");
	ck_assert_ptr_nonnull(f);
	finding_remedy(f, "fix %s", check);
	return f;
}

START_TEST(host_confirms_or_rules_out)
{
	struct findings host = { 0 }, out = { 0 };
	struct explain_answer ans;
	struct explain ex;

	/* The host confirms one of the log's candidates. */
	host_add(&host, "mount_quota", "mount_quota", HP_FAIL);
	host_add(&host, "pool", NULL, HP_PASS);
	reason(test_log("dpdk-quota.log"), &host, false, &ex, &ans);
	ck_assert_str_eq(cname(ans.cause), "mount_quota");
	ck_assert(ans.certain);
	ck_assert_int_eq(ans.basis, BASIS_HOST);
	ck_assert_int_eq(explain_finding(&ex, &ans, &out), 0);
	ck_assert_str_eq(remedy_text(&out.v[0]), "fix mount_quota");
	ck_assert_str_eq(finding_evidence(&out.v[0], "decided_by")->str, "mount_quota");
	findings_free(&out);
	explain_free(&ex);
	findings_free(&host);

	/* A host cause the log does not allow is never the answer. */
	host_add(&host, "pool", "no_pool", HP_FAIL);
	host_add(&host, "nofile", "rlimit_nofile", HP_FAIL);
	reason(test_log("dpdk-as.log"), &host, false, &ex, &ans);
	ck_assert_str_eq(cname(ans.cause), "rlimit_as");
	ck_assert(!ans.certain);
	explain_free(&ex);
	reason(test_log("dpdk-pool.log"), &host, false, &ex, &ans);
	ck_assert_str_eq(cname(ans.cause), "pool_exhausted");
	ck_assert(ans.certain);
	ck_assert_int_eq(ans.basis, BASIS_LOG);
	ck_assert_int_eq(ans.view[0], VIEW_NOT_SHOWN);
	explain_free(&ex);
	findings_free(&host);

	/* The host rules out the global causes; the per-process one is left. */
	host_add(&host, "pool", NULL, HP_PASS);
	host_add(&host, "mount", NULL, HP_PASS);
	reason(test_log("dpdk-cgroup.log"), &host, false, &ex, &ans);
	ck_assert_str_eq(cname(ans.cause), "cgroup_hugetlb_limit");
	ck_assert_int_eq(ans.basis, BASIS_ELIMINATION);
	ck_assert(!ans.certain);
	ck_assert_int_eq(ans.view[0], VIEW_RULED_OUT);
	ck_assert_int_eq(ans.view[1], VIEW_UNSEEN);
	ck_assert_int_eq(explain_finding(&ex, &ans, &out), 0);
	ck_assert_ptr_nonnull(strstr(remedy_text(&out.v[0]), "hugetlb.2MB.max"));
	findings_free(&out);
	explain_free(&ex);
	findings_free(&host);

	/* With the process's own view (--pid), its rlimits rule out too. */
	host_add(&host, "address_space", NULL, HP_PASS);
	reason(test_log("dpdk-as.log"), &host, true, &ex, &ans);
	ck_assert_int_eq(ans.view[0], VIEW_RULED_OUT);
	explain_free(&ex);
	findings_free(&host);
}
END_TEST

/* A bare SIGBUS: with --pid, the cgroup's hugetlb limit confirms it, with
 * the limit and usage as evidence. */
START_TEST(bare_sigbus_and_cgroup)
{
	struct findings host = { 0 }, out = { 0 };
	struct explain_answer ans;
	struct explain ex;
	struct finding *f;

	f = host_add(&host, "cgroup_hugetlb", NULL, HP_PASS);
	finding_num(f, "limit", 2 << 20);
	finding_num(f, "usage", 2 << 20);
	host_add(&host, "pool", NULL, HP_PASS);
	reason(test_log("pg-cgroup.log"), &host, true, &ex, &ans);
	ck_assert_int_eq(ex.proof.sig, SIGBUS);
	ck_assert_str_eq(cname(ans.cause), "cgroup_hugetlb_limit");
	ck_assert_int_eq(ans.basis, BASIS_HOST);
	ck_assert_int_eq(explain_finding(&ex, &ans, &out), 0);
	ck_assert_uint_eq(finding_evidence(&out.v[0], "limit")->num, 2 << 20);
	ck_assert_uint_eq(finding_evidence(&out.v[0], "usage")->num, 2 << 20);
	ck_assert_ptr_nonnull(strstr(out.v[0].message, "cgroup limits its hugepages to 2 MiB"));
	findings_free(&out);
	explain_free(&ex);
	findings_free(&host);
}
END_TEST

START_TEST(nothing_known)
{
	struct findings out = { 0 };
	struct explain_answer ans;
	struct explain ex;

	reason("hello\nworld\n", NULL, false, &ex, &ans);
	ck_assert_int_eq(ans.outcome, OUTCOME_NONE);
	ck_assert_int_eq(explain_finding(&ex, &ans, &out), 0);
	ck_assert_int_eq(out.v[0].status, HP_WARN);
	ck_assert_str_eq(cname(out.v[0].cause), "unknown");
	findings_free(&out);
	explain_free(&ex);
}
END_TEST

START_TEST(workload_from_text)
{
	struct workload wl = { 0 };
	struct explain ex;

	ck_assert_int_eq(explain_parse(test_log("seed-000.log"), &ex), 0);
	workload_merge(&wl, &ex.hint);
	ck_assert_int_eq(wl.mode, MODE_LEGACY);
	ck_assert_uint_eq(wl.dpdk_version, 1604);
	ck_assert(wl.have_mem);
	ck_assert_uint_eq(wl.mem_bytes, 64 << 20);
	/* What the user gives wins over the text. */
	memset(&wl, 0, sizeof(wl));
	wl.mode = MODE_DYNAMIC;
	wl.have_mode = true;
	wl.pages = 7;
	wl.have_pages = true;
	workload_merge(&wl, &ex.hint);
	ck_assert_int_eq(wl.mode, MODE_DYNAMIC);
	ck_assert(!wl.have_mem);
	explain_free(&ex);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("explain");
	TCase *tc = tcase_create("explain");

	tcase_add_test(tc, seed000_log);
	tcase_add_test(tc, strace_lines);
	tcase_add_test(tc, command_lines);
	tcase_add_test(tc, echoed_options);
	tcase_add_test(tc, option_value_is_an_option);
	tcase_add_test(tc, case_and_spacing);
	tcase_add_test(tc, notices_and_success);
	tcase_add_test(tc, after_memory_came_up);
	tcase_add_test(tc, bare_eal_failure);
	tcase_add_test(tc, loader);
	tcase_add_test(tc, host_confirms_or_rules_out);
	tcase_add_test(tc, bare_sigbus_and_cgroup);
	tcase_add_test(tc, nothing_known);
	tcase_add_test(tc, workload_from_text);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
