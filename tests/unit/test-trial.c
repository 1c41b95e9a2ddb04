// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-trial.c - from where a trial stopped and its counters to one cause:
 * ENOMEM told apart by the counters (map count, RLIMIT_AS, a quota, the
 * pool, a node), EMFILE, EACCES, SIGBUS, shmget's errors; and the finding
 * with the host's remedy, or a warning when stale DPDK files hold the pages;
 * an application's trial in check's outcomes (start, degraded, fail), and
 * one mapping of many pages refused by a quota or a short pool.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "act/trial.h"
#include "diagnose/failure.h"

static struct trial_result failed(const char *call, int err, int sig)
{
	struct trial_result r;

	memset(&r, 0, sizeof(r));
	r.failed = true;
	r.requested = r.peak_pages = 32;
	r.mapped = r.page = 16;
	snprintf(r.fail.call, sizeof(r.fail.call), "%s", call);
	r.fail.err = err;
	r.fail.sig = sig;
	r.fail.at.vmas = 1100;
	r.fail.at.max_map_count = 65530;
	r.fail.at.fds = 40;
	r.fail.at.free_pages = 48;
	r.fail.at.node = -1;
	r.fail.at.quota_free = UINT64_MAX;
	r.fail.at.rlim_as = r.fail.at.rlim_data = r.fail.at.rlim_nofile = r.fail.at.rlim_memlock = UINT64_MAX;
	return r;
}

START_TEST(enomem_told_apart)
{
	struct workload wl = { .pages = 32, .have_pages = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;
	struct trial_result r;

	diagnose_fixture("this-host", &wl, &snap, &need, &fs);
	r = failed("mmap", ENOMEM, 0);
	r.fail.at.vmas = 65531;
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "map_count_limit");
	r = failed("mmap (reserve)", ENOMEM, 0);
	r.fail.at.rlim_as = 8000000000ULL;
	r.fail.at.vm_size = 120 << 20;
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "rlimit_as");
	r = failed("mmap", ENOMEM, 0);
	r.fail.at.quota_free = 0;
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "mount_quota");
	r = failed("mmap", ENOMEM, 0);
	r.fail.at.free_pages = 0;
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "pool_exhausted");
	r = failed("mmap", ENOMEM, 0);
	r.fail.at.node = 1;
	r.fail.at.node_free_pages = 0;
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "node_pool_exhausted");
	r = failed("mmap", ENOMEM, 0);
	r.fail.at.rlim_data = 16 << 20;
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "rlimit_data");
	r = failed("mmap", ENOMEM, 0);
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "unknown");
	done_fixture(&snap, &fs);
}
END_TEST

START_TEST(other_errors)
{
	struct workload wl = { .pages = 32, .have_pages = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;
	struct trial_result r;

	diagnose_fixture("this-host", &wl, &snap, &need, &fs);
	r = failed("open (pagemap)", EMFILE, 0);
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "rlimit_nofile");
	r = failed("open", EACCES, 0);
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "mount_permission");
	r = failed("shmget", EPERM, 0);
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "rlimit_memlock");
	r = failed("shmget", EINVAL, 0);
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "shm_limit");
	r = failed("open", ENOSPC, 0);
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "mount_quota");
	r = failed("node", 0, 0);
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "node_pool_exhausted");
	r = failed("count", 0, 0);
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "pool_exhausted");
	/* SIGBUS with free pages: the charge was refused at fault time. */
	r = failed("fault", 0, SIGBUS);
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "cgroup_hugetlb_limit");
	r.fail.at.free_pages = 0;
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "pool_exhausted");
	r = failed("mmap", 0, 0);
	r.ok = true;
	r.failed = false;
	ck_assert_int_eq(trial_cause(&r, &snap, &need), CAUSE_NONE);
	done_fixture(&snap, &fs);
}
END_TEST

START_TEST(one_mapping_modes)
{
	struct workload wl = { .pages = 256, .have_pages = true, .mode = MODE_ANON };
	struct snapshot snap;
	struct findings fs;
	struct need need;
	struct trial_result r;

	diagnose_fixture("this-host", &wl, &snap, &need, &fs);
	/* 128 free of 256: the one mapping is refused at once. */
	r = failed("mmap", ENOMEM, 0);
	r.fail.at.free_pages = 128;
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "pool_exhausted");
	done_fixture(&snap, &fs);
}
END_TEST

START_TEST(findings_and_remedies)
{
	struct workload wl = { .pages = 32, .have_pages = true };
	struct findings host, out = { 0 };
	struct snapshot snap;
	struct need need;
	struct trial_result r;

	diagnose_fixture("this-host", &wl, &snap, &need, &host);
	r = failed("mmap", ENOMEM, 0);
	r.fail.at.vmas = 65531;
	ck_assert_int_eq((need.sizes[0].reclaim_pages = 0, trial_findings(&r, &snap, &need, &host, &out)), 0);
	ck_assert_int_eq(out.v[0].status, HP_FAIL);
	ck_assert_str_eq(cname(out.v[0].cause), "map_count_limit");
	ck_assert(out.v[0].first);
	ck_assert_ptr_nonnull(strstr(out.v[0].message, "page 16 of 32: mmap failed with ENOMEM"));
	ck_assert_ptr_nonnull(strstr(remedy_text(&out.v[0]), "vm.max_map_count="));
	findings_free(&out);
	/* Short of pages, but 20 stale DPDK files hold them: a warning. */
	r = failed("mmap", ENOMEM, 0);
	r.fail.at.free_pages = 0;
	ck_assert_int_eq((need.sizes[0].reclaim_pages = 20, trial_findings(&r, &snap, &need, &host, &out)), 0);
	ck_assert_int_eq(out.v[0].status, HP_WARN);
	ck_assert_uint_eq(finding_evidence(&out.v[0], "reclaimable_pages")->num, 20);
	findings_free(&out);
	/* ... but 10 are not enough. */
	ck_assert_int_eq((need.sizes[0].reclaim_pages = 10, trial_findings(&r, &snap, &need, &host, &out)), 0);
	ck_assert_str_eq(cname(out.v[0].cause), "pool_exhausted");
	findings_free(&out);
	r.ok = true;
	r.failed = false;
	ck_assert_int_eq((need.sizes[0].reclaim_pages = 0, trial_findings(&r, &snap, &need, &host, &out)), 0);
	ck_assert_int_eq(out.v[0].status, HP_PASS);
	findings_free(&out);
	done_fixture(&snap, &host);
}
END_TEST

START_TEST(app_outcomes)
{
	struct workload wl = { .pages = 252, .have_pages = true, .mode = MODE_ANON };
	struct app_model m = { .known = true, .name = "jvm", .what = "a JVM",
			       .fallback = true, .loss = "the JVM runs on base pages" };
	struct findings host, out = { 0 };
	struct snapshot snap;
	struct need need;
	struct trial_result r;

	diagnose_fixture("this-host", &wl, &snap, &need, &host);
	need.app = &m;
	/* The code cache got its pages, the heap fell back: degraded. */
	memset(&r, 0, sizeof(r));
	r.ok = true;
	r.requested = r.peak_pages = 252;
	r.mapped = 120;
	r.nr_regions = 2;
	snprintf(r.regions[0].name, sizeof(r.regions[0].name), "code cache");
	r.regions[0].bytes = 240 << 20;
	r.regions[0].huge = true;
	snprintf(r.regions[1].name, sizeof(r.regions[1].name), "heap");
	r.regions[1].bytes = 256 << 20;
	snprintf(r.regions[1].call, sizeof(r.regions[1].call), "mmap");
	r.regions[1].err = ENOMEM;
	r.fell_back = true;
	r.fail = failed("mmap", ENOMEM, 0).fail;
	r.fail.args[1] = 256 << 20;
	r.fail.nr_args = 2;
	r.fail.at.free_pages = 80;
	ck_assert_int_eq(trial_findings(&r, &snap, &need, &host, &out), 0);
	ck_assert_int_eq(out.outcome, RUN_DEGRADED);
	ck_assert_int_eq(out.v[0].status, HP_WARN);
	ck_assert_str_eq(cname(out.v[0].cause), "pool_exhausted");
	ck_assert_ptr_nonnull(strstr(out.v[0].message, "heap (256 MiB, mmap ENOMEM) on base pages"));
	ck_assert_ptr_nonnull(strstr(out.v[0].message, "on hugepages: code cache (240 MiB)"));
	findings_free(&out);
	/* Every region on hugepages: it starts. */
	r.fell_back = false;
	r.regions[1].huge = true;
	ck_assert_int_eq(trial_findings(&r, &snap, &need, &host, &out), 0);
	ck_assert_int_eq(out.outcome, RUN_START);
	ck_assert_int_eq(out.v[0].status, HP_PASS);
	findings_free(&out);
	/* A page refused at the write: no fallback catches it. */
	r = failed("fault", 0, SIGBUS);
	r.nr_regions = 1;
	snprintf(r.regions[0].name, sizeof(r.regions[0].name), "heap");
	r.regions[0].huge = true;
	ck_assert_int_eq(trial_findings(&r, &snap, &need, &host, &out), 0);
	ck_assert_int_eq(out.outcome, RUN_FAIL);
	ck_assert_int_eq(out.v[0].status, HP_FAIL);
	ck_assert_ptr_nonnull(strstr(out.v[0].message, "(heap): fault raised BUS"));
	findings_free(&out);
	/* Nothing to map. */
	m.no_hugepages = true;
	snprintf(m.none_why, sizeof(m.none_why), "large pages off");
	ck_assert_int_eq(trial_findings(&r, &snap, &need, &host, &out), 0);
	ck_assert_int_eq(out.outcome, RUN_START);
	ck_assert_ptr_nonnull(strstr(out.v[0].message, "nothing to map: large pages off"));
	findings_free(&out);
	/* Large pages asked for and none taken (-XX:-UseSHM): degraded, as
	 * check says. */
	m.none_lost = true;
	ck_assert_int_eq(trial_findings(&r, &snap, &need, &host, &out), 0);
	ck_assert_int_eq(out.outcome, RUN_DEGRADED);
	ck_assert_int_eq(out.v[0].status, HP_WARN);
	findings_free(&out);
	m.none_lost = false;
	/* One mapping of 128 pages: the mount's quota, else the pool. */
	need.app = NULL;
	need.mode = MODE_QEMU;
	r = failed("mmap", ENOMEM, 0);
	r.fail.args[1] = 256 << 20;
	r.fail.nr_args = 2;
	r.fail.at.page_size = 2 << 20;
	r.fail.at.free_pages = 200;
	r.fail.at.quota_free = 64;
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "mount_quota");
	r.fail.at.quota_free = UINT64_MAX;
	r.fail.at.free_pages = 64;
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "pool_exhausted");
	/* QEMU's mem-path missing with its directory: open says ENOENT. */
	r = failed("open", ENOENT, 0);
	ck_assert_str_eq(cname(trial_cause(&r, &snap, &need)), "no_mount");
	/* A command line QEMU refuses: nothing is mapped, and it fails. */
	need.config_error = "Memory backend 'zz' not found";
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(trial_findings(&r, &snap, &need, &host, &out), 0);
	ck_assert_int_eq(out.outcome, RUN_FAIL);
	ck_assert_int_eq(out.v[0].status, HP_FAIL);
	ck_assert_str_eq(cname(out.v[0].cause), "unknown");
	ck_assert_ptr_nonnull(strstr(out.v[0].message, "nothing mapped"));
	ck_assert_ptr_nonnull(strstr(out.v[0].message, "'zz' not found"));
	findings_free(&out);
	/* check says the same, and nothing else. */
	ck_assert_int_eq(diagnose_check(&snap, &need, &out), 0);
	ck_assert_int_eq(out.outcome, RUN_FAIL);
	ck_assert_uint_eq(out.n, 1);
	ck_assert_int_eq(out.v[0].status, HP_FAIL);
	ck_assert(out.v[0].first);
	ck_assert_str_eq(cname(out.v[0].cause), "unknown");
	findings_free(&out);
	need.config_error = NULL;
	done_fixture(&snap, &host);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("trial");
	TCase *tc = tcase_create("trial");

	tcase_add_test(tc, enomem_told_apart);
	tcase_add_test(tc, other_errors);
	tcase_add_test(tc, one_mapping_modes);
	tcase_add_test(tc, findings_and_remedies);
	tcase_add_test(tc, app_outcomes);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
