// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-diagnose.c - every rule of `check`, from fixture snapshots (the seeds'
 * hosts and a two-node box) and from snapshots changed in memory to reach
 * each boundary: pass, warn within 10%, fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diagnose/loader.h"
#include "probe/parse.h"
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
	ck_assert_ptr_nonnull(strstr(remedy_text(fget(&fs, "map_count")),
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
	ck_assert_ptr_nonnull(strstr(remedy_text(f), "node1/hugepages/hugepages-2048kB"));
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
	ck_assert_ptr_nonnull(strstr(remedy_text(fget(&fs, "mount_quota")),
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
	ck_assert_uint_eq(finding_evidence(f, "need_files")->num, 128);
	/* Mounted again, not remounted: hugetlbfs keeps both through a
	 * remount.  Each limit grows to the 2 pages (and 2 files) in use, 128
	 * needed and 10% more, so that the finding then passes. */
	ck_assert_str_eq(remedy_text(f), "umount /dev/hugepages && mount -t hugetlbfs -o "
			 "pagesize=2M,size=286M,nr_inodes=144,uid=0,gid=0,mode=0755 "
			 "nodev /dev/hugepages # 2 files in the mount are in use: stop what uses "
			 "them first (the unmount fails while a process uses the mount); "
			 "hugetlbfs keeps size= and nr_inodes= through a remount, so it is "
			 "unmounted and mounted again, which drops the files in it");
	findings_free(&fs);
	snap.mounts[0].size_limit = 286 * MiB;
	snap.mounts[0].nr_inodes = 144;
	diagnose_check(&snap, &need, &fs);
	ck_assert_int_eq(status_of(&fs, "mount_quota"), HP_PASS);
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
	ck_assert_ptr_null(strstr(remedy_text(f), ",size="));
	ck_assert_ptr_nonnull(strstr(remedy_text(f), ",nr_inodes="));
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
	ck_assert_ptr_nonnull(strstr(remedy_text(fget(&fs, "boot_time_only")),
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

static void unlink_in(const char *dir, const char *file)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	ck_assert_int_eq(unlink(path), 0);
}

/* The findings of CHECK, in order (at most MAX). */
static size_t all_of(const struct findings *fs, enum check check,
		     const struct finding **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < fs->n && n < max; i++)
		if (fs->v[i].check == check)
			out[n++] = &fs->v[i];
	return n;
}

/*
 * tests/fixtures/boot-short: the command line asks for 16 x 1 GiB and 2048
 * x 2 MiB on each of two nodes; the kernel got 14 and, on node 1, 1200.
 */
START_TEST(boot_pools_not_obtained)
{
	struct workload wl = { .mem_bytes = 4 * GiB, .have_mem = true };
	const struct finding *w[4];
	struct snapshot snap;
	struct findings fs;
	struct need need;
	char *tree;

	diagnose_fixture("boot-short", &wl, &snap, &need, &fs);
	ck_assert_uint_eq(all_of(&fs, CHECK_BOOT_POOL_SHORT, w, 4), 2);
	ck_assert_int_eq(w[0]->status, HP_WARN);
	ck_assert_int_eq(w[0]->cause, CAUSE_NONE);
	ck_assert_uint_eq(finding_evidence(w[0], "page_size")->num, GiB);
	ck_assert_uint_eq(finding_evidence(w[0], "boot_pages")->num, 16);
	ck_assert_uint_eq(finding_evidence(w[0], "pages")->num, 14);
	ck_assert_ptr_null(finding_evidence(w[0], "node"));
	ck_assert_ptr_nonnull(strstr(w[0]->message, "(hugepagesz=1G hugepages=16)"));
	ck_assert_str_eq(remedy_text(w[0]), "echo 16 > /sys/kernel/mm/hugepages/"
			 "hugepages-1048576kB/nr_hugepages # grows it now if memory "
			 "allows; dmesg | grep HugeTLB says why the boot allocation "
			 "fell short");
	/* Per node: node 0 got its 2048, node 1 only 1200. */
	ck_assert_uint_eq(finding_evidence(w[1], "page_size")->num, 2 * MiB);
	ck_assert_uint_eq(finding_evidence(w[1], "node")->num, 1);
	ck_assert_uint_eq(finding_evidence(w[1], "boot_pages")->num, 2048);
	ck_assert_uint_eq(finding_evidence(w[1], "pages")->num, 1200);
	ck_assert_ptr_nonnull(strstr(remedy_text(w[1]), "echo 2048 > /sys/devices/"
				     "system/node/node1/hugepages/hugepages-2048kB/"
				     "nr_hugepages"));
	/* A warning, not a failure: the workload's 4 pages are there. */
	ck_assert_int_eq(findings_verdict(&fs), HP_WARN);
	done(&snap, &fs);

	/* Surplus pages are not the boot-time pool. */
	tree = copy_fixture("boot-short");
	write_file(tree, "sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", "16\n");
	write_file(tree, "sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages", "16\n");
	write_file(tree, "sys/kernel/mm/hugepages/hugepages-1048576kB/surplus_hugepages", "2\n");
	diagnose_fixture(tree, &wl, &snap, &need, &fs);
	ck_assert_uint_eq(all_of(&fs, CHECK_BOOT_POOL_SHORT, w, 4), 2);
	ck_assert_uint_eq(finding_evidence(w[0], "pages")->num, 14);
	done(&snap, &fs);
	/* The remedies run: the pools as the command line asked. */
	write_file(tree, "sys/kernel/mm/hugepages/hugepages-1048576kB/surplus_hugepages", "0\n");
	write_file(tree, "sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "4096\n");
	write_file(tree, "sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "4096\n");
	write_file(tree, "sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages",
		   "2048\n");
	write_file(tree, "sys/devices/system/node/node1/hugepages/hugepages-2048kB/free_hugepages",
		   "2048\n");
	diagnose_fixture(tree, &wl, &snap, &need, &fs);
	ck_assert_ptr_null(fget(&fs, "boot_pool_short"));
	ck_assert_int_eq(findings_verdict(&fs), HP_PASS);
	done(&snap, &fs);
	remove_tree(tree);
	free(tree);
}
END_TEST

/* Sizes the kernel does not have, hugetlb_cma, and the default's count. */
START_TEST(boot_pools_other_shapes)
{
	struct workload wl = { .mem_bytes = 4 * GiB, .have_mem = true };
	const unsigned online[] = { 0, 1 };
	const struct finding *w[4];
	struct snapshot snap;
	struct findings fs;
	struct need need;

	diagnose_fixture("boot-short", &wl, &snap, &need, &fs);
	findings_free(&fs);
	/* 16 GiB pages: x86 has none; the kernel ignored the count. */
	parse_boot_pools("hugepagesz=16G hugepages=2", online, 2, &snap.boot);
	ck_assert_int_eq(diagnose_check(&snap, &need, &fs), 0);
	ck_assert_uint_eq(all_of(&fs, CHECK_BOOT_POOL_SHORT, w, 4), 1);
	ck_assert_ptr_nonnull(strstr(w[0]->message, "no pool of 16 GiB pages"));
	ck_assert_uint_eq(finding_evidence(w[0], "pages")->num, 0);
	ck_assert_str_eq(remedy_text(w[0]), "# give hugepagesz= a size this kernel "
			 "offers (2M, 1G)");
	findings_free(&fs);
	/* With hugetlb_cma= no gigantic page is allocated at boot: said. */
	parse_boot_pools("hugetlb_cma=16G hugepagesz=1G hugepages=16", online, 2, &snap.boot);
	ck_assert_int_eq(diagnose_check(&snap, &need, &fs), 0);
	ck_assert_uint_eq(all_of(&fs, CHECK_BOOT_POOL_SHORT, w, 4), 1);
	ck_assert_ptr_nonnull(strstr(w[0]->message, "hugetlb_cma="));
	ck_assert_uint_eq(finding_evidence(w[0], "cma")->num, 1);
	findings_free(&fs);
	/* A count before any size is the default size's (1 GiB here), and
	 * wins over the one given with hugepagesz=1G. */
	parse_boot_pools("hugepages=12 hugepagesz=1G hugepages=16", online, 2, &snap.boot);
	ck_assert_int_eq(diagnose_check(&snap, &need, &fs), 0);
	ck_assert_ptr_null(fget(&fs, "boot_pool_short"));
	findings_free(&fs);
	parse_boot_pools("hugepages=15", online, 2, &snap.boot);
	ck_assert_int_eq(diagnose_check(&snap, &need, &fs), 0);
	ck_assert_uint_eq(evidence_num(&fs, "boot_pool_short", "boot_pages"), 15);
	ck_assert_uint_eq(evidence_num(&fs, "boot_pool_short", "page_size"), GiB);
	done(&snap, &fs);
}
END_TEST

/* Probes the fixture NAME as process PID sees it, and diagnoses WL. */
static void diagnose_pid(const char *name, pid_t pid, struct workload *wl,
			 struct snapshot *snap, struct need *need, struct findings *fs)
{
	struct sysroot sr;
	struct probe p = { .sr = &sr };
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	ck_assert_int_eq(sysroot_init(&sr, path), 0);
	ck_assert_msg(probe_snapshot(&p, PROBE_ALL, pid, snap) == 0, "%s", p.err.msg);
	sysroot_release(&sr);
	wl->pid = pid;
	ck_assert_int_eq(need_compute(snap, wl, need), 0);
	ck_assert_int_eq(diagnose_check(snap, need, fs), 0);
}

/*
 * tests/fixtures/vfio-user: uid 1001 without capabilities, RLIMIT_MEMLOCK
 * 8 MiB, two ports bound to vfio-pci behind the IOMMU.  DPDK maps every
 * page it keeps for their DMA; VFIO pins them and charges them to the
 * limit.
 */
START_TEST(vfio_memlock)
{
	struct workload wl = { .mem_bytes = 64 * MiB, .have_mem = true };
	const struct finding *f;
	struct snapshot snap;
	struct findings fs;
	struct need need;
	char *tree;

	diagnose_fixture("vfio-user", &wl, &snap, &need, &fs);
	ck_assert(need.vfio_dma);
	ck_assert(!need.memlock_exempt);
	ck_assert_uint_eq(need.locked_bytes, 64 * MiB);
	f = fget(&fs, "memlock");
	ck_assert_str_eq(cname(f->cause), "rlimit_memlock");
	ck_assert(f->first);
	ck_assert_uint_eq(finding_evidence(f, "soft")->num, 8 * MiB);
	ck_assert_uint_eq(finding_evidence(f, "need")->num, 64 * MiB);
	/* The no-IOMMU device pins nothing and is not counted. */
	ck_assert_uint_eq(finding_evidence(f, "vfio_devices")->num, 2);
	ck_assert_ptr_nonnull(strstr(f->message, "0000:3b:00.0 0000:3b:00.1)"));
	ck_assert_ptr_nonnull(strstr(f->message, "Cannot set up DMA remapping, error 12"));
	ck_assert_str_eq(remedy_text(f), "ulimit -l unlimited # in the shell that starts "
			 "the application, or at least ulimit -l 65536 (KiB); for a "
			 "systemd service, LimitMEMLOCK=infinity");
	ck_assert_uint_eq(f->remedy.n, 1);
	ck_assert_int_eq(f->remedy.acts[0].kind, ACT_RLIMIT);
	ck_assert_int_eq(f->remedy.acts[0].rlimit, RL_MEMLOCK);
	done(&snap, &fs);

	/* Legacy mode pins what it keeps, not the pool it mapped first. */
	wl.mode = MODE_LEGACY;
	diagnose_fixture("vfio-user", &wl, &snap, &need, &fs);
	ck_assert_uint_eq(need.locked_bytes, 64 * MiB);
	ck_assert_str_eq(cause_of(&fs, "memlock"), "rlimit_memlock");
	done(&snap, &fs);
	/* PostgreSQL or a JVM: no VFIO. */
	wl.mode = MODE_ANON;
	diagnose_fixture("vfio-user", &wl, &snap, &need, &fs);
	ck_assert_uint_eq(need.locked_bytes, 0);
	ck_assert_ptr_null(fget(&fs, "memlock"));
	done(&snap, &fs);
	wl.mode = MODE_DYNAMIC;

	/* Exactly the limit fits, but pages added at run time do not. */
	wl.mem_bytes = 8 * MiB;
	diagnose_fixture("vfio-user", &wl, &snap, &need, &fs);
	ck_assert_int_eq(status_of(&fs, "memlock"), HP_WARN);
	done(&snap, &fs);
	wl.mem_bytes = 64 * MiB;

	/* The remedy run: ulimit -l unlimited where the application starts. */
	tree = copy_fixture("vfio-user");
	write_file(tree, "proc/self/limits",
		   "Limit                     Soft Limit           Hard Limit           Units\n"
		   "Max data size             unlimited            unlimited            bytes\n"
		   "Max open files            1024                 524288               files\n"
		   "Max locked memory         unlimited            unlimited            bytes\n"
		   "Max address space         unlimited            unlimited            bytes\n");
	diagnose_fixture(tree, &wl, &snap, &need, &fs);
	ck_assert_int_eq(status_of(&fs, "memlock"), HP_PASS);
	ck_assert_int_eq(findings_verdict(&fs), HP_PASS);
	done(&snap, &fs);
	/* CAP_IPC_LOCK: nothing is charged. */
	write_file(tree, "proc/self/limits",
		   "Limit                     Soft Limit           Hard Limit           Units\n"
		   "Max data size             unlimited            unlimited            bytes\n"
		   "Max open files            1024                 524288               files\n"
		   "Max locked memory         65536                65536                bytes\n"
		   "Max address space         unlimited            unlimited            bytes\n");
	write_file(tree, "proc/self/status", "Name:\thpdiag\nUid:\t1001\t1001\t1001\t1001\n"
		   "Gid:\t1001\t1001\t1001\t1001\nCapEff:\t0000000000004000\n");
	wl.mode = MODE_DYNAMIC;
	diagnose_fixture(tree, &wl, &snap, &need, &fs);
	ck_assert(need.memlock_exempt);
	ck_assert_uint_eq(need.locked_bytes, 0);
	ck_assert_int_eq(status_of(&fs, "memlock"), HP_PASS);
	ck_assert_ptr_nonnull(strstr(fget(&fs, "memlock")->message, "CAP_IPC_LOCK"));
	done(&snap, &fs);
	/* Only the no-IOMMU device left bound: nothing is pinned. */
	remove_tree(tree);
	free(tree);
	tree = copy_fixture("vfio-user");
	unlink_in(tree, "sys/bus/pci/drivers/vfio-pci/0000:3b:00.0");
	unlink_in(tree, "sys/bus/pci/drivers/vfio-pci/0000:3b:00.1");
	diagnose_fixture(tree, &wl, &snap, &need, &fs);
	ck_assert(!need.vfio_dma);
	ck_assert_ptr_null(fget(&fs, "memlock"));
	done(&snap, &fs);
	remove_tree(tree);
	free(tree);
}
END_TEST

/* A running instance (--pid): its own groups and its own limits decide. */
START_TEST(vfio_memlock_pid)
{
	struct workload wl = { .mem_bytes = 64 * MiB, .have_mem = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;

	/* testpmd 5100 holds group 42 and runs with LimitMEMLOCK=infinity. */
	diagnose_pid("vfio-user", 5100, &wl, &snap, &need, &fs);
	ck_assert(need.vfio_dma);
	ck_assert_uint_eq(need.locked_bytes, 64 * MiB);
	ck_assert_int_eq(status_of(&fs, "memlock"), HP_PASS);
	ck_assert_uint_eq(evidence_num(&fs, "memlock", "vfio_devices"), 1);
	/* Unlimited: null in JSON. */
	ck_assert_int_eq(finding_evidence(fget(&fs, "memlock"), "soft")->type, EV_NULL);
	ck_assert_ptr_nonnull(strstr(fget(&fs, "memlock")->message,
				     "process 5100 holds 1 VFIO group open"));
	findings_free(&fs);
	/* The same process with the user's 8 MiB limit fails. */
	snap.lim.rlimits[RL_MEMLOCK].soft = 8 * MiB;
	ck_assert_int_eq(diagnose_check(&snap, &need, &fs), 0);
	ck_assert_str_eq(cause_of(&fs, "memlock"), "rlimit_memlock");
	findings_free(&fs);
	/* A process that holds no VFIO group pins nothing, whatever the
	 * host has bound. */
	snap.vfio.pid_groups = 0;
	ck_assert_int_eq(need_compute(&snap, &wl, &need), 0);
	ck_assert(!need.vfio_dma);
	ck_assert_uint_eq(need.locked_bytes, 0);
	ck_assert_int_eq(diagnose_check(&snap, &need, &fs), 0);
	ck_assert_ptr_null(fget(&fs, "memlock"));
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
	ck_assert_ptr_nonnull(strstr(remedy_text(fget(&fs, "pool")), "hugepagesz=1G"));
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
	ck_assert_ptr_nonnull(strstr(remedy_text(fget(&fs, "mount")), "remount,rw"));
	findings_free(&fs);
	/* A quota on a path that needs no quoting: the remedy names it. */
	snap.mounts[0].read_only = false;
	snap.mounts[0].size_limit = 4 * MiB;
	wl.pages = 8;
	need_compute(&snap, &wl, &need);
	diagnose_check(&snap, &need, &fs);
	/* 8 pages and 10% + 2 held by files in use (the 2 stale ones DPDK
	 * frees). */
	ck_assert_str_eq(remedy_text(fget(&fs, "mount_quota")),
			 "umount /dev/hugepages && mount -t hugetlbfs -o pagesize=2M,size=22M,"
			 "uid=0,gid=0,mode=0755 nodev /dev/hugepages # 2 files in the mount are "
			 "in use: stop what uses them first (the unmount fails while a process "
			 "uses the mount); hugetlbfs keeps size= and nr_inodes= through a "
			 "remount, so it is unmounted and mounted again, which drops the files in it");
	findings_free(&fs);
	snap.mounts[0].size_limit = HP_UNLIMITED;
	snap.mounts[0].read_only = true;
	snap.mounts[0].page_size = GiB;
	need_compute(&snap, &wl, &need);
	diagnose_check(&snap, &need, &fs);
	ck_assert_str_eq(cause_of(&fs, "mount"), "no_mount");
	/* /dev/hugepages is the mount point of the 1 GiB mount now: never
	 * mounted over, the spare place instead. */
	ck_assert_ptr_nonnull(strstr(remedy_text(fget(&fs, "mount")),
				     "mount -t hugetlbfs -o pagesize=2M nodev /mnt/huge-2M"));
	ck_assert_ptr_nonnull(strstr(remedy_text(fget(&fs, "mount")),
				     "/dev/hugepages is the mount point of another filesystem"));
	done(&snap, &fs);
}
END_TEST

/* The loader's refusals in a program's output, the object named. */
START_TEST(loader_lines)
{
	static const char start[] = "EAL: x\ndpdk-test: error while loading shared libraries: "
		"librte_bus_vdev.so.23: failed to map segment from shared object\n";
	static const char own[] = "dpdk-test: error while loading shared libraries: "
		"cannot allocate symbol search list: Cannot allocate memory\n";
	static const char plugin[] = "EAL: Detected shared linkage of DPDK\n"
		"EAL: /usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0/librte_net_bnxt.so.23.0: "
		"cannot map zero-fill pages\nEAL: FATAL: Cannot init plugins\n";
	static const char other[] = "EAL: failed to create mp thread: Cannot allocate memory\n";
	struct loader_failure f;

	ck_assert(loader_failure_find(start, sizeof(start) - 1, &f));
	ck_assert(f.at_start);
	ck_assert_str_eq(f.lib, "librte_bus_vdev.so.23");
	ck_assert_ptr_nonnull(strstr(f.line, "failed to map segment"));
	ck_assert(loader_failure_find(own, sizeof(own) - 1, &f));
	ck_assert(f.at_start);
	ck_assert_str_eq(f.lib, "");
	ck_assert(loader_failure_find(plugin, sizeof(plugin) - 1, &f));
	ck_assert(!f.at_start);
	ck_assert_str_eq(f.lib, "/usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0/librte_net_bnxt.so.23.0");
	ck_assert(!loader_failure_find(other, sizeof(other) - 1, &f));
	ck_assert(!loader_failure_find("", 0, &f));
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
	tcase_add_test(tc, boot_pools_not_obtained);
	tcase_add_test(tc, boot_pools_other_shapes);
	tcase_add_test(tc, vfio_memlock);
	tcase_add_test(tc, vfio_memlock_pid);
	tcase_add_test(tc, pool_boundaries);
	tcase_add_test(tc, nofile_boundaries);
	tcase_add_test(tc, mount_missing_and_readonly);
	tcase_add_test(tc, loader_lines);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
