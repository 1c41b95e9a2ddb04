// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-explain.c - the log recogniser: EAL lines of 16.04 and 22.11, strace,
 * PostgreSQL, the JVM; the workload taken from a pasted command line; and
 * the ranking of possible causes by a host's findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/explain.h"
#include "testutil.h"

static char *slurp(const char *name)
{
	char path[4096];
	static char buf[1 << 16];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/../logs/%s", FIXTURES, name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

START_TEST(seed000_log)
{
	struct explain ex;

	ck_assert_int_eq(explain_parse(slurp("seed-000.log"), &ex), 0);
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
	ck_assert_uint_eq(ex.nr_events, 4);
	ck_assert_uint_eq(ex.events[0].lineno, 13);
	ck_assert_str_eq(cname(ex.events[0].causes[0]), "map_count_limit");
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
		"mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000\n",
		&ex), 0);
	ck_assert_uint_eq(ex.nr_events, 3);
	ck_assert_str_eq(cname(ex.events[0].causes[0]), "rlimit_nofile");
	ck_assert_uint_eq(ex.events[0].nr_causes, 1);
	ck_assert_str_eq(cname(ex.events[1].causes[0]), "map_count_limit");
	ck_assert_str_eq(cname(ex.events[2].causes[0]), "rlimit_memlock");
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

START_TEST(postgres_and_jvm)
{
	struct explain ex;

	ck_assert_int_eq(explain_parse(slurp("postgresql.log"), &ex), 0);
	ck_assert_int_eq(ex.hint.mode, MODE_ANON);
	ck_assert_uint_eq(ex.hint.mem_mb, 1056);
	ck_assert_uint_eq(ex.nr_events, 1);
	explain_free(&ex);
	ck_assert_int_eq(explain_parse(slurp("jvm.log"), &ex), 0);
	ck_assert_int_eq(ex.hint.mode, MODE_SHM);
	ck_assert_str_eq(cname(ex.events[0].causes[0]), "rlimit_memlock");
	explain_free(&ex);
}
END_TEST

/* Host findings made by hand, to rank against. */
static void host_add(struct findings *fs, const char *check, const char *cause,
		     bool first)
{
	enum check ck;
	enum cause ca;
	struct finding *f;

	ck_assert_int_eq(check_parse(check, &ck), 0);
	ck_assert_int_eq(cause_parse(cause, &ca), 0);
	f = finding_add(fs, ck, HP_FAIL, ca, "%s fails", check);

	ck_assert_ptr_nonnull(f);
	f->first = first;
	finding_remedy(f, "fix %s", check);
}

START_TEST(ranking)
{
	struct findings host = { 0 }, out = { 0 };
	struct explain ex;

	/* "Cannot init memory" alone: the host decides, the first met wins. */
	ck_assert_int_eq(explain_parse("EAL: FATAL: Cannot init memory\n", &ex), 0);
	host_add(&host, "nofile", "rlimit_nofile", false);
	host_add(&host, "mount_quota", "mount_quota", true);
	ck_assert_int_eq(explain_diagnose(&ex, &host, &out), 0);
	ck_assert_str_eq(cname(out.v[0].cause), "mount_quota");
	ck_assert_str_eq(out.v[0].remedy.text, "fix mount_quota");
	ck_assert_str_eq(finding_evidence(&out.v[0], "decided_by")->str, "mount_quota");
	findings_free(&out);
	explain_free(&ex);

	/* A specific line narrows the candidates: the quota cannot cause EMFILE. */
	ck_assert_int_eq(explain_parse("EAL: get_seg_fd(): open '/dev/hugepages/rtemap_48' "
				       "failed: Too many open files\n"
				       "EAL: FATAL: Cannot init memory\n", &ex), 0);
	ck_assert_int_eq(explain_diagnose(&ex, &host, &out), 0);
	ck_assert_str_eq(cname(out.v[0].cause), "rlimit_nofile");
	ck_assert_uint_eq(finding_evidence(&out.v[0], "line")->num, 1);
	findings_free(&out);
	findings_free(&host);

	/* Nothing on the host: unknown, and what to run. */
	ck_assert_int_eq(explain_diagnose(&ex, &host, &out), 0);
	ck_assert_str_eq(cname(out.v[0].cause), "unknown");
	ck_assert_int_eq(out.v[0].status, HP_FAIL);
	ck_assert_ptr_nonnull(strstr(out.v[0].remedy.text, "hpdiag check"));
	findings_free(&out);
	explain_free(&ex);

	/* Text with no failure in it. */
	ck_assert_int_eq(explain_parse("hello\nworld\n", &ex), 0);
	ck_assert_int_eq(explain_diagnose(&ex, &host, &out), 0);
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

	ck_assert_int_eq(explain_parse(slurp("seed-000.log"), &ex), 0);
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
	tcase_add_test(tc, postgres_and_jvm);
	tcase_add_test(tc, ranking);
	tcase_add_test(tc, workload_from_text);
	tcase_add_test(tc, option_value_is_an_option);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
