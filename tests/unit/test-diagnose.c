// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-diagnose.c - every rule of `check`, from fixture snapshots (the seeds'
 * hosts and a two-node box) and from snapshots changed in memory to reach
 * each boundary: pass, warn within 10%, fail.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static void done(struct snapshot *snap, struct findings *fs)
{
	findings_free(fs);
	snapshot_free(snap);
}

/* Seed 000: -n 3100 on a host with vm.max_map_count = 3096. */
START_TEST(seed000_map_count)
{
	struct workload wl = { .pages = 3100, .have_pages = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;

	diagnose_fixture("seed-000", &wl, &snap, &need, &fs);
	ck_assert_uint_eq(need.pages, 3100);
	/* baseline + config + memzone + 4 fbarrays + 4 list reservations + pages */
	ck_assert_uint_eq(need.lists, 4);
	ck_assert_uint_eq(need.vmas, DEFAULT_BASELINE_VMAS + 2 + 2 * 4 + 3100);
	ck_assert_str_eq(cause_of(&fs, "map_count"), "map_count_limit");
	ck_assert_int_eq(status_of(&fs, "map_count"), HP_FAIL);
	ck_assert_uint_eq(evidence_num(&fs, "map_count", "max_map_count"), 3096);
	ck_assert_int_eq(status_of(&fs, "pool"), HP_PASS);
	ck_assert_int_eq(findings_verdict(&fs), HP_FAIL);
	ck_assert_ptr_nonnull(strstr(fget(&fs, "map_count")->remedy.text,
				     "sysctl -w vm.max_map_count="));
	/* The soft nofile limit is below the need, the hard one is not. */
	ck_assert_int_eq(status_of(&fs, "nofile"), HP_WARN);
	done(&snap, &fs);
}
END_TEST

START_TEST(seed000_small_workload_passes_map_count)
{
	/* -m 64 alone (32 pages) fits the map count; 16.04's legacy sequence,
	 * which maps the whole pool, is the workload model's business. */
	struct workload wl = { .mem_bytes = 64 * MiB, .have_mem = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;

	diagnose_fixture("seed-000", &wl, &snap, &need, &fs);
	ck_assert_uint_eq(need.pages, 32);
	ck_assert_int_eq(status_of(&fs, "map_count"), HP_PASS);
	ck_assert_int_eq(status_of(&fs, "stale_hugepage_files"), HP_WARN);
	ck_assert_uint_eq(evidence_num(&fs, "stale_hugepage_files", "files"), 3);
	ck_assert_uint_eq(evidence_num(&fs, "stale_hugepage_files", "pages"), 2);
	ck_assert_int_eq(findings_verdict(&fs), HP_WARN);
	done(&snap, &fs);
}
END_TEST

/* A second mount of the same page size is not where DPDK reclaims files. */
START_TEST(stale_in_another_mount)
{
	struct workload wl = { .mem_bytes = 64 * MiB, .have_mem = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;
	struct mount *m;
	size_t stale = 0;

	diagnose_fixture("seed-000", &wl, &snap, &need, &fs);
	findings_free(&fs);
	snap.mounts = realloc(snap.mounts, 2 * sizeof(*snap.mounts));
	ck_assert_ptr_nonnull(snap.mounts);
	m = &snap.mounts[1];
	*m = (struct mount) {
		.path = strdup("/mnt/other"), .page_size = 2 * MiB,
		.size_limit = HP_UNLIMITED, .nr_inodes = HP_UNLIMITED,
		.have_usage = true, .writable = 1, .nr_files = 1,
		.files = calloc(1, sizeof(struct mount_file)),
	};
	m->files[0] = (struct mount_file) { .path = strdup("/mnt/other/cache"),
					    .size = 2 * MiB, .pages = 1 };
	snap.nr_mounts = 2;
	ck_assert_int_eq(need_compute(&snap, &wl, &need), 0);
	ck_assert_int_eq(diagnose_check(&snap, &need, &fs), 0);
	for (size_t i = 0; i < fs.n; i++) {
		const struct evidence *path = finding_evidence(&fs.v[i], "path");

		if (strcmp(check_name(fs.v[i].check), "stale_hugepage_files"))
			continue;
		stale++;
		if (path && !strcmp(path->str, "/mnt/other"))
			ck_assert_uint_eq(finding_evidence(&fs.v[i], "files")->num, 1);
	}
	/* The 3 DPDK files in /dev/hugepages, and the 1 file elsewhere. */
	ck_assert_uint_eq(stale, 2);
	done(&snap, &fs);
}
END_TEST

START_TEST(baseline_sources)
{
	struct workload wl = { .pages = 100, .have_pages = true,
			       .baseline_vmas = 2997, .have_baseline_vmas = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;

	/* 2987 + 10 for the lists + 100 = 3097 > 3096: the limit is exact. */
	wl.baseline_vmas = 2987;
	diagnose_fixture("seed-000", &wl, &snap, &need, &fs);
	ck_assert_str_eq(need.baseline_vmas_from, "--baseline-vmas");
	ck_assert_int_eq(status_of(&fs, "map_count"), HP_FAIL);
	done(&snap, &fs);
	wl.baseline_vmas = 2986;
	diagnose_fixture("seed-000", &wl, &snap, &need, &fs);
	ck_assert_int_eq(status_of(&fs, "map_count"), HP_WARN);
	done(&snap, &fs);
	wl.baseline_vmas = 100;
	diagnose_fixture("seed-000", &wl, &snap, &need, &fs);
	ck_assert_int_eq(status_of(&fs, "map_count"), HP_PASS);
	done(&snap, &fs);
}
END_TEST

START_TEST(seed004_starves_kernel)
{
	struct workload wl = { 0 };
	struct snapshot snap;
	struct findings fs;
	struct need need;
	size_t warns = 0;

	diagnose_fixture("seed-004", &wl, &snap, &need, &fs);
	ck_assert(need.pages_default);
	ck_assert_uint_eq(need.page_size, 512 * MiB);
	for (size_t i = 0; i < fs.n; i++)
		if (!strcmp(check_name(fs.v[i].check), "hugepages_starve_kernel")) {
			ck_assert_int_eq(fs.v[i].status, HP_WARN);
			warns++;
		}
	/* One for the host, one naming the 15 nodes left short. */
	ck_assert_uint_eq(warns, 2);
	ck_assert_uint_eq(evidence_num(&fs, "hugepages_starve_kernel", "nodes"), 15);
	ck_assert_uint_eq(evidence_num(&fs, "hugepages_starve_kernel", "worst_node"), 1);
	ck_assert_int_eq(status_of(&fs, "pool"), HP_PASS);
	ck_assert_int_eq(findings_verdict(&fs), HP_WARN);
	done(&snap, &fs);
}
END_TEST

START_TEST(two_node_node_pool)
{
	struct workload wl = { .socket_mem = { 1024, 1024 }, .nr_socket_mem = 2 };
	struct snapshot snap;
	struct findings fs;
	struct need need;
	const struct finding *f;

	diagnose_fixture("two-node", &wl, &snap, &need, &fs);
	ck_assert_uint_eq(need.pages, 1024);
	ck_assert_uint_eq(need.sizes[0].pages_per_node[1], 512);
	/* Enough pages in total, not on node 1. */
	ck_assert_int_eq(status_of(&fs, "pool"), HP_PASS);
	f = NULL;
	for (size_t i = 0; i < fs.n; i++)
		if (!strcmp(check_name(fs.v[i].check), "node_pool") &&
		    fs.v[i].status == HP_FAIL)
			f = &fs.v[i];
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(cname(f->cause), "node_pool_exhausted");
	ck_assert_uint_eq(finding_evidence(f, "node")->num, 1);
	ck_assert_ptr_nonnull(strstr(f->remedy.text, "node1/hugepages/hugepages-2048kB"));
	/* /dev/hugepages belongs to root and the user is uid 1000. */
	ck_assert_str_eq(cause_of(&fs, "mount"), "mount_permission");
	done(&snap, &fs);

	wl.socket_mem[2] = 64;
	wl.nr_socket_mem = 3;
	diagnose_fixture("two-node", &wl, &snap, &need, &fs);
	f = NULL;
	for (size_t i = 0; i < fs.n; i++)
		if (strstr(fs.v[i].message, "node 2"))
			f = &fs.v[i];
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(check_name(f->check), "node_pool");
	ck_assert_str_eq(cname(f->cause), "node_pool_exhausted");
	done(&snap, &fs);
}
END_TEST

START_TEST(two_node_quota_and_cgroup)
{
	struct workload wl = { .page_size = GiB, .pages = 6, .have_pages = true,
			       .huge_dir = "/mnt/huge 1G" };
	struct snapshot snap;
	struct findings fs;
	struct need need;

	diagnose_fixture("two-node", &wl, &snap, &need, &fs);
	ck_assert_int_eq(status_of(&fs, "mount"), HP_PASS);
	ck_assert_str_eq(cause_of(&fs, "mount_quota"), "mount_quota");
	ck_assert_str_eq(cause_of(&fs, "cgroup_hugetlb"), "cgroup_hugetlb_limit");
	ck_assert_ptr_nonnull(strstr(fget(&fs, "cgroup_hugetlb")->message,
				     "SIGBUS"));
	ck_assert_ptr_nonnull(strstr(fget(&fs, "mount_quota")->remedy.text,
				     "'/mnt/huge 1G'"));
	done(&snap, &fs);

	/* 4 pages fit the 4 GiB quota exactly: a warning, not a failure. */
	wl.pages = 4;
	diagnose_fixture("two-node", &wl, &snap, &need, &fs);
	ck_assert_int_eq(status_of(&fs, "mount_quota"), HP_WARN);
	done(&snap, &fs);

	/* 2 pages fit the 2 GiB cgroup limit. */
	wl.pages = 2;
	diagnose_fixture("two-node", &wl, &snap, &need, &fs);
	ck_assert_int_eq(status_of(&fs, "cgroup_hugetlb"), HP_PASS);
	ck_assert_int_eq(status_of(&fs, "mount_quota"), HP_PASS);
	done(&snap, &fs);
}
END_TEST

/* size= and nr_inodes= both: each is reported, and the remedy raises each
 * that falls short.  DPDK needs a file (an inode) per page, one per memseg
 * list with --single-file-segments; the root directory takes one too
 * (dpdk-test -m 256 starts under nr_inodes=129, not 128). */
START_TEST(quota_both_limits)
{
	struct workload wl = { .pages = 128, .have_pages = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;
	const struct finding *f;
	uint64_t files_now;

	diagnose_fixture("seed-000", &wl, &snap, &need, &fs);
	findings_free(&fs);
	snap.mounts[0].size_limit = 64 * MiB;
	snap.mounts[0].nr_inodes = 10;
	diagnose_check(&snap, &need, &fs);
	f = fget(&fs, "mount_quota");
	ck_assert_str_eq(cause_of(&fs, "mount_quota"), "mount_quota");
	ck_assert_ptr_nonnull(strstr(f->message, "size=64 MiB: room for"));
	ck_assert_ptr_nonnull(strstr(f->message, "nr_inodes=10: room for"));
	/* Mounted again, not remounted: hugetlbfs keeps both through a
	 * remount.  Each limit grows to the 2 pages (and 2 files) in use, 128
	 * needed and 10% more, so that the finding then passes. */
	ck_assert_str_eq(f->remedy.text, "umount /dev/hugepages && mount -t hugetlbfs -o "
			 "pagesize=2M,size=286M,nr_inodes=144,uid=0,gid=0,mode=0755 "
			 "nodev /dev/hugepages");
	findings_free(&fs);
	snap.mounts[0].size_limit = 286 * MiB;
	snap.mounts[0].nr_inodes = 144;
	diagnose_check(&snap, &need, &fs);
	ck_assert_int_eq(status_of(&fs, "mount_quota"), HP_PASS);
	ck_assert_uint_eq(finding_evidence(f, "need_files")->num, 128);
	findings_free(&fs);

	/* The inodes alone: exactly room for 128 files passes, one less fails,
	 * and its remedy leaves size= alone. */
	files_now = snap.mounts[0].nr_files - need.sizes[0].reclaim_files;
	snap.mounts[0].size_limit = HP_UNLIMITED;
	snap.mounts[0].nr_inodes = files_now + 128 + 1;
	diagnose_check(&snap, &need, &fs);
	ck_assert_int_ne(status_of(&fs, "mount_quota"), HP_FAIL);
	findings_free(&fs);
	snap.mounts[0].nr_inodes--;
	diagnose_check(&snap, &need, &fs);
	f = fget(&fs, "mount_quota");
	ck_assert_int_eq(f->status, HP_FAIL);
	ck_assert_ptr_null(strstr(f->remedy.text, ",size="));
	ck_assert_ptr_nonnull(strstr(f->remedy.text, ",nr_inodes="));
	ck_assert_ptr_nonnull(strstr(f->message, "ENOSPC"));
	findings_free(&fs);

	/* --single-file-segments: one file for the 128 pages of one list. */
	wl.mode = MODE_SINGLE_FILE;
	wl.have_mode = true;
	ck_assert_int_eq(need_compute(&snap, &wl, &need), 0);
	ck_assert_uint_eq(need.sizes[0].files, 1);
	snap.mounts[0].nr_inodes = files_now + 2;
	diagnose_check(&snap, &need, &fs);
	ck_assert_int_ne(status_of(&fs, "mount_quota"), HP_FAIL);
	done(&snap, &fs);
}
END_TEST

START_TEST(two_node_gigantic_pages_grow_at_boot)
{
	struct workload wl = { .page_size = GiB, .pages = 10, .have_pages = true,
			       .huge_dir = "/mnt/huge 1G/app" };
	struct snapshot snap;
	struct findings fs;
	struct need need;

	diagnose_fixture("two-node", &wl, &snap, &need, &fs);
	ck_assert_str_eq(cause_of(&fs, "pool"), "pool_exhausted");
	ck_assert_int_eq(status_of(&fs, "boot_time_only"), HP_WARN);
	ck_assert_uint_eq(evidence_num(&fs, "boot_time_only", "page_order"), 18);
	ck_assert_ptr_nonnull(strstr(fget(&fs, "boot_time_only")->remedy.text,
				     "hugepagesz=1G hugepages=10"));
	ck_assert_ptr_null(fget(&fs, "pool_fragmentation"));
	done(&snap, &fs);
}
END_TEST

START_TEST(two_node_fragmentation)
{
	struct workload wl = { .pages = 2000, .have_pages = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;

	diagnose_fixture("two-node", &wl, &snap, &need, &fs);
	ck_assert_str_eq(cause_of(&fs, "pool"), "pool_exhausted");
	ck_assert_int_eq(status_of(&fs, "pool_fragmentation"), HP_WARN);
	/* Free blocks of order 9 count once, of order 10 twice, per zone. */
	ck_assert_uint_eq(evidence_num(&fs, "pool_fragmentation", "growable_pages"),
			  1 + 3 * 2 + 2 + 300 * 2 + 5 + 4 * 2 + 3 + 2 * 2);
	done(&snap, &fs);
}
END_TEST

START_TEST(wrong_mount_for_huge_dir)
{
	struct workload wl = { .pages = 4, .have_pages = true,
			       .huge_dir = "/mnt/huge 1G" };
	struct snapshot snap;
	struct findings fs;
	struct need need;

	/* The mount --huge-dir names decides the page size, as for DPDK. */
	diagnose_fixture("two-node", &wl, &snap, &need, &fs);
	ck_assert_uint_eq(need.page_size, GiB);
	ck_assert_str_eq(cause_of(&fs, "mount"), "");
	ck_assert(!need.page_size_conflict);
	done(&snap, &fs);
	/* A --page-size that contradicts it is the user's mistake. */
	wl.page_size = 2 * MiB;
	wl.have_page_size = true;
	diagnose_fixture("two-node", &wl, &snap, &need, &fs);
	ck_assert(need.page_size_conflict);
	done(&snap, &fs);
	wl.page_size = 0;
	wl.have_page_size = false;
	wl.huge_dir = "/srv/nothing";
	diagnose_fixture("two-node", &wl, &snap, &need, &fs);
	ck_assert_str_eq(cause_of(&fs, "mount"), "no_mount");
	ck_assert_ptr_nonnull(strstr(fget(&fs, "mount")->message,
				     "not on a hugetlbfs mount"));
	done(&snap, &fs);
}
END_TEST

/* Rules on snapshots changed in memory. */
START_TEST(pool_boundaries)
{
	struct workload wl = { .pages = 100, .have_pages = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;
	struct pool *p;

	diagnose_fixture("seed-000", &wl, &snap, &need, &fs);
	findings_free(&fs);
	p = &snap.pools[0];

	p->free = 100;
	p->resv = 0;
	diagnose_check(&snap, &need, &fs);
	ck_assert_int_eq(status_of(&fs, "pool"), HP_PASS);
	findings_free(&fs);

	/* Reserved pages are promised to someone else, but DPDK deletes the
	 * two stale rtemap files at start and takes their pages. */
	p->resv = 1;
	diagnose_check(&snap, &need, &fs);
	ck_assert_int_eq(status_of(&fs, "pool"), HP_WARN);
	ck_assert_uint_eq(evidence_num(&fs, "pool", "reclaimable_pages"), 2);
	findings_free(&fs);
	p->resv = 3;
	diagnose_check(&snap, &need, &fs);
	ck_assert_str_eq(cause_of(&fs, "pool"), "pool_exhausted");
	ck_assert(fget(&fs, "pool")->first);
	findings_free(&fs);

	/* Overcommit may cover the rest: a warning. */
	p->overcommit = 10;
	diagnose_check(&snap, &need, &fs);
	ck_assert_int_eq(status_of(&fs, "pool"), HP_WARN);
	findings_free(&fs);

	p->total = 0;
	p->free = 0;
	p->resv = 0;
	p->overcommit = 0;
	diagnose_check(&snap, &need, &fs);
	ck_assert_str_eq(cause_of(&fs, "pool"), "no_pool");
	findings_free(&fs);

	/* A size the kernel does not offer. */
	wl.page_size = GiB;
	need_compute(&snap, &wl, &need);
	diagnose_check(&snap, &need, &fs);
	ck_assert_str_eq(cause_of(&fs, "pool"), "no_pool");
	ck_assert_ptr_nonnull(strstr(fget(&fs, "pool")->remedy.text, "hugepagesz=1G"));
	ck_assert_str_eq(cause_of(&fs, "mount"), "no_mount");
	done(&snap, &fs);
}
END_TEST

START_TEST(nofile_boundaries)
{
	struct workload wl = { .pages = 100, .have_pages = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;

	diagnose_fixture("seed-000", &wl, &snap, &need, &fs);
	ck_assert_int_eq(status_of(&fs, "nofile"), HP_PASS);
	findings_free(&fs);
	snap.lim.rlimits[RL_NOFILE].hard = 100;
	snap.lim.rlimits[RL_NOFILE].soft = 100;
	diagnose_check(&snap, &need, &fs);
	ck_assert_str_eq(cause_of(&fs, "nofile"), "rlimit_nofile");
	findings_free(&fs);
	snap.lim.rlimits[RL_NOFILE].hard = HP_UNLIMITED;
	snap.lim.rlimits[RL_NOFILE].soft = HP_UNLIMITED;
	diagnose_check(&snap, &need, &fs);
	ck_assert_int_eq(status_of(&fs, "nofile"), HP_PASS);
	done(&snap, &fs);
}
END_TEST

START_TEST(mount_missing_and_readonly)
{
	struct workload wl = { .pages = 1, .have_pages = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;

	diagnose_fixture("seed-000", &wl, &snap, &need, &fs);
	findings_free(&fs);
	snap.mounts[0].read_only = true;
	diagnose_check(&snap, &need, &fs);
	ck_assert_str_eq(cause_of(&fs, "mount"), "mount_permission");
	ck_assert_ptr_nonnull(strstr(fget(&fs, "mount")->remedy.text, "remount,rw"));
	findings_free(&fs);
	/* A quota on a path that needs no quoting: the remedy names it. */
	snap.mounts[0].read_only = false;
	snap.mounts[0].size_limit = 4 * MiB;
	wl.pages = 8;
	need_compute(&snap, &wl, &need);
	diagnose_check(&snap, &need, &fs);
	/* 8 pages and 10% + 2 held by files in use (the 2 stale ones DPDK
	 * frees). */
	ck_assert_str_eq(fget(&fs, "mount_quota")->remedy.text,
			 "umount /dev/hugepages && mount -t hugetlbfs -o pagesize=2M,size=22M,"
			 "uid=0,gid=0,mode=0755 nodev /dev/hugepages");
	findings_free(&fs);
	snap.mounts[0].size_limit = HP_UNLIMITED;
	snap.mounts[0].read_only = true;
	snap.mounts[0].page_size = GiB;
	need_compute(&snap, &wl, &need);
	diagnose_check(&snap, &need, &fs);
	ck_assert_str_eq(cause_of(&fs, "mount"), "no_mount");
	ck_assert_ptr_nonnull(strstr(fget(&fs, "mount")->remedy.text,
				     "mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages"));
	done(&snap, &fs);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("diagnose");
	TCase *tc = tcase_create("diagnose");

	tcase_add_test(tc, seed000_map_count);
	tcase_add_test(tc, seed000_small_workload_passes_map_count);
	tcase_add_test(tc, baseline_sources);
	tcase_add_test(tc, stale_in_another_mount);
	tcase_add_test(tc, seed004_starves_kernel);
	tcase_add_test(tc, two_node_node_pool);
	tcase_add_test(tc, two_node_quota_and_cgroup);
	tcase_add_test(tc, quota_both_limits);
	tcase_add_test(tc, two_node_gigantic_pages_grow_at_boot);
	tcase_add_test(tc, two_node_fragmentation);
	tcase_add_test(tc, wrong_mount_for_huge_dir);
	tcase_add_test(tc, pool_boundaries);
	tcase_add_test(tc, nofile_boundaries);
	tcase_add_test(tc, mount_missing_and_readonly);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
