// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-explain-apps.c - explain --log-only on the real output of
 * PostgreSQL 15, OpenJDK 17 and QEMU 7.2 in each state tests/logs/generate
 * puts them in: the application, the outcome (failed, fallback = degraded,
 * other), the cause when the log leaves one, and the candidates when it
 * leaves several; never a cause the log contradicts.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/explain.h"
#include "testutil.h"

static bool candidate(const struct explain_answer *ans, const char *cause)
{
	for (size_t i = 0; i < ans->nr_cands; i++)
		if (!strcmp(cname(ans->cands[i]), cause))
			return true;
	return false;
}

/* One log, and what explain --log-only must make of it. */
static const struct {
	const char *log;
	enum app app;
	enum outcome outcome;
	const char *cause;		/* the answer, NULL for none */
	bool certain;
	const char *also;		/* another candidate, or NULL */
	const char *never;		/* a cause the log rules out, or NULL */
} cases[] = {
	/* PostgreSQL 15 */
	{ "pg-nopool.log", APP_POSTGRES, OUTCOME_FAILED, "pool_exhausted", false,
	  "no_pool", "mount_quota" },
	{ "pg-small.log", APP_POSTGRES, OUTCOME_FAILED, "pool_exhausted", false,
	  "cgroup_hugetlb_limit", "no_mount" },
	{ "pg-cgroup-rsvd.log", APP_POSTGRES, OUTCOME_FAILED, "pool_exhausted", false,
	  "cgroup_hugetlb_limit", "mount_quota" },
	{ "pg-cgroup.log", APP_POSTGRES, OUTCOME_FAILED, "cgroup_hugetlb_limit", false,
	  NULL, "rlimit_as" },
	{ "pg-cgroup-backend.log", APP_POSTGRES, OUTCOME_FAILED, "cgroup_hugetlb_limit",
	  false, NULL, "no_pool" },
	{ "pg-cgroup-recovery.log", APP_POSTGRES, OUTCOME_FAILED, "cgroup_hugetlb_limit",
	  false, NULL, "no_pool" },
	{ "pg-cgroup-read.log", APP_POSTGRES, OUTCOME_FAILED, "cgroup_hugetlb_limit",
	  true, NULL, "pool_exhausted" },
	{ "pg-try.log", APP_POSTGRES, OUTCOME_FALLBACK, "pool_exhausted", false,
	  "no_pool", NULL },
	{ "pg-try-quiet.log", APP_POSTGRES, OUTCOME_FALLBACK, "pool_exhausted", false,
	  "no_pool", "mount_quota" },
	{ "pg-sysv-on.log", APP_POSTGRES, OUTCOME_OTHER, NULL, false, NULL, NULL },
	{ "pg-sysv-shmmax.log", APP_POSTGRES, OUTCOME_FAILED, "shm_limit", true, NULL, NULL },
	{ "pg-ok.log", APP_POSTGRES, OUTCOME_SUCCEEDED, NULL, false, NULL, NULL },
	/* OpenJDK 17: a JVM that cannot map hugepages runs without them */
	{ "jvm-nopool.log", APP_JVM, OUTCOME_FALLBACK, "no_pool", false,
	  "pool_exhausted", "rlimit_memlock" },
	{ "jvm-small.log", APP_JVM, OUTCOME_FALLBACK, "pool_exhausted", false,
	  "cgroup_hugetlb_limit", NULL },
	{ "jvm-cgroup-rsvd.log", APP_JVM, OUTCOME_FALLBACK, "pool_exhausted", false,
	  "cgroup_hugetlb_limit", NULL },
	{ "jvm-shm-small.log", APP_JVM, OUTCOME_FALLBACK, "pool_exhausted", false,
	  "no_pool", NULL },
	{ "jvm-shm-nobody.log", APP_JVM, OUTCOME_FALLBACK, "no_pool", false,
	  "rlimit_memlock", NULL },
	{ "jvm-thp-never.log", APP_JVM, OUTCOME_FALLBACK, "thp_disabled", true, NULL,
	  "no_pool" },
	{ "jvm-cgroup.log", APP_JVM, OUTCOME_FAILED, "cgroup_hugetlb_limit", false,
	  NULL, "rlimit_as" },
	{ "jvm-ok.log", APP_JVM, OUTCOME_SUCCEEDED, NULL, false, NULL, NULL },
	/* QEMU 7.2 */
	{ "qemu-nopool.log", APP_QEMU, OUTCOME_FAILED, "pool_exhausted", false,
	  "no_pool", NULL },
	{ "qemu-memfd-nopool.log", APP_QEMU, OUTCOME_FAILED, "pool_exhausted", false,
	  "no_pool", NULL },
	{ "qemu-quota.log", APP_QEMU, OUTCOME_FAILED, "pool_exhausted", false,
	  "mount_quota", NULL },
	{ "qemu-cgroup.log", APP_QEMU, OUTCOME_FAILED, "cgroup_hugetlb_limit", false,
	  NULL, "no_mount" },
	{ "qemu-cgroup-sigbus.log", APP_QEMU, OUTCOME_FAILED, "cgroup_hugetlb_limit",
	  false, NULL, "no_mount" },
	{ "qemu-nonroot.log", APP_QEMU, OUTCOME_FAILED, "mount_permission", true, NULL,
	  NULL },
};

START_TEST(app_logs)
{
	struct explain_answer ans;
	struct explain ex;

	ck_assert_int_eq(explain_parse(test_log(cases[_i].log), &ex), 0);
	explain_reason(&ex, NULL, false, &ans);
	ck_assert_msg(ex.proof.app == cases[_i].app, "%s: app %d", cases[_i].log,
		      ex.proof.app);
	ck_assert_msg(ans.outcome == cases[_i].outcome, "%s: outcome %s", cases[_i].log,
		      outcome_name(ans.outcome));
	if (cases[_i].cause) {
		ck_assert_msg(!strcmp(cname(ans.cause), cases[_i].cause), "%s: %s",
			      cases[_i].log, cname(ans.cause));
		ck_assert_msg(ans.certain == cases[_i].certain, "%s: certain %d",
			      cases[_i].log, ans.certain);
	} else {
		ck_assert_msg(ans.nr_cands == 0, "%s: %zu candidates", cases[_i].log,
			      ans.nr_cands);
	}
	if (cases[_i].also)
		ck_assert_msg(candidate(&ans, cases[_i].also), "%s: %s not a candidate",
			      cases[_i].log, cases[_i].also);
	if (cases[_i].never)
		ck_assert_msg(!candidate(&ans, cases[_i].never), "%s: %s a candidate",
			      cases[_i].log, cases[_i].never);
	explain_free(&ex);
}
END_TEST

/* The lines as a service's journal shows them: no command line, other
 * case and spacing. */
START_TEST(postgres_lines)
{
	struct explain_answer ans;
	struct explain ex;

	ck_assert_int_eq(explain_parse(
		"postgres[812]: LOG:  SERVER PROCESS (PID 900) was  terminated by signal 7: Bus error\n"
		"postgres[812]: LOG:  all server processes terminated; reinitializing\n", &ex), 0);
	explain_reason(&ex, NULL, false, &ans);
	ck_assert_int_eq(ex.proof.app, APP_POSTGRES);
	ck_assert_int_eq(ex.proof.sig, SIGBUS);
	ck_assert_int_eq(ans.outcome, OUTCOME_FAILED);
	ck_assert_str_eq(cname(ans.cause), "cgroup_hugetlb_limit");
	explain_free(&ex);
	/* A relation file cut short reads 0 bytes: storage, not memory. */
	ck_assert_int_eq(explain_parse(
		"ERROR:  could not read block 7 in file \"base/5/16384\": read only 0 of 8192 bytes\n",
		&ex), 0);
	explain_reason(&ex, NULL, false, &ans);
	ck_assert_int_eq(ans.outcome, OUTCOME_OTHER);
	ck_assert_uint_eq(ans.nr_cands, 0);
	explain_free(&ex);
	/* huge_pages=on: a start that came up is a pass, not a silent fallback. */
	ck_assert_int_eq(explain_parse(test_log("pg-ok.log"), &ex), 0);
	ck_assert_int_eq(ex.pg_huge_pages, 'o');
	explain_free(&ex);
	ck_assert_int_eq(explain_parse(test_log("pg-try-quiet.log"), &ex), 0);
	ck_assert_int_eq(ex.pg_huge_pages, 't');
	ck_assert_uint_eq(ex.events[0].lineno, 1);
	ck_assert_int_eq(ex.events[0].kind, LINE_FALLBACK);
	explain_free(&ex);
}
END_TEST

START_TEST(jvm_lines)
{
	struct explain_answer ans;
	struct explain ex;

	/* JDK 8/11 wording (os_linux.cpp): "Failed to reserve large pages
	 * memory ... (errno = 12)". */
	ck_assert_int_eq(explain_parse(
		"OpenJDK 64-Bit Server VM warning: Failed to reserve large pages memory "
		"req_addr: 0x0000000000000000 bytes: 4294967296 (errno = 12).\n"
		"openjdk version \"11.0.22\" 2024-01-16\n", &ex), 0);
	explain_reason(&ex, NULL, false, &ans);
	ck_assert_int_eq(ex.proof.app, APP_JVM);
	ck_assert_int_eq(ans.outcome, OUTCOME_FALLBACK);
	ck_assert_int_eq(ex.proof.err, ENOMEM);
	ck_assert(candidate(&ans, "pool_exhausted"));
	explain_free(&ex);
	/* The command line alone names the JVM. */
	ck_assert_int_eq(explain_parse("$ java -XX:+UseLargePages -Xmx1g -jar app.jar\n"
				       "Bus error\n", &ex), 0);
	ck_assert_int_eq(ex.proof.app, APP_JVM);
	ck_assert_uint_eq(ex.proof.app_line, 1);
	explain_free(&ex);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("explain-apps");
	TCase *tc = tcase_create("explain-apps");

	tcase_add_loop_test(tc, app_logs, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, postgres_lines);
	tcase_add_test(tc, jvm_lines);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
