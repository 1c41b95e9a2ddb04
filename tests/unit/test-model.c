// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-model.c - the workload model against numbers measured on DPDK 22.11
 * (Debian 12) and the field reports: memseg list layouts per topology, VMAs,
 * fds and address space per mode, the pre-18.05 legacy sequence, and the
 * PostgreSQL and JVM models; which failure the application meets first;
 * EAL's options, the wrappers of a command line, and the default data need.
 */
#include <stdlib.h>
#include <string.h>

#include "model/app.h"
#include "model/eal.h"
#include "testutil.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static void layout(const uint64_t *sizes, size_t nr_sizes, size_t nodes,
		   uint64_t want_lists, uint64_t want_list_va)
{
	struct memseg_layout l;

	memseg_layout(sizes, nr_sizes, nodes, NULL, &l);
	ck_assert(!l.too_many_types);
	ck_assert_uint_eq(l.lists, want_lists);
	/* VA of the lists alone, without fbarrays and the config. */
	{
		uint64_t va = 0;

		for (size_t i = 0; i < l.nr_types; i++)
			va += l.types[i].n_lists * l.types[i].list_va;
		ck_assert_uint_eq(va, want_list_va);
	}
}

/* The layouts of the reference table, seen on a real DPDK 22.11. */
START_TEST(memseg_layouts)
{
	const uint64_t two_m[] = { 2 * MiB };
	const uint64_t both[] = { GiB, 2 * MiB };
	struct memseg_layout l;

	layout(two_m, 1, 1, 4, 64 * GiB);	/* this VM: 4 x 16 GiB */
	layout(both, 2, 1, 6, 128 * GiB);	/* + 2 x 32 x 1 GiB, --in-memory */
	layout(both, 2, 2, 12, 256 * GiB);
	layout(both, 2, 4, 24, 512 * GiB);
	layout(both, 2, 8, 24, 512 * GiB);	/* 32 GiB per type */
	memseg_layout(two_m, 1, 1, NULL, &l);
	ck_assert_uint_eq(l.types[0].n_segs, 8192);
	/* An fbarray of 8192 memsegs is 0x61000 bytes. */
	ck_assert_uint_eq(l.types[0].fbarray_bytes, 0x61000);
	ck_assert_uint_eq(l.va_bytes, 64 * GiB + 4ULL * 0x61000 + 0x35000);
	/* 3 sizes on 64 nodes: 192 types cannot fit 128 lists. */
	{
		const uint64_t three[] = { GiB, 32 * MiB, 2 * MiB };

		memseg_layout(three, 3, 64, NULL, &l);
		ck_assert(l.too_many_types);
	}
}
END_TEST

/* testpmd -m 64/256 measured 1101/1200 VMAs and 52/148 fds. */
START_TEST(dynamic_matches_testpmd)
{
	struct workload wl = { .mem_bytes = 64 * MiB, .have_mem = true };
	struct snapshot snap;
	struct need need;
	char err[1024];

	ck_assert_int_eq(load_fixture("this-host", PROBE_ALL, &snap, err, sizeof(err)), 0);
	ck_assert_int_eq(need_compute(&snap, &wl, &need), 0);
	ck_assert_uint_eq(need.pages, 32);
	ck_assert_uint_eq(need.lists, 4);
	ck_assert_uint_eq(need.vmas, 1102);
	ck_assert_uint_eq(need.fds, 52);
	ck_assert_uint_ge(need.va_bytes, 64 * GiB);
	ck_assert_uint_lt(need.va_bytes, 64 * GiB + 128 * MiB);
	wl.mem_bytes = 256 * MiB;
	ck_assert_int_eq(need_compute(&snap, &wl, &need), 0);
	ck_assert_uint_eq(need.vmas, 1198);
	ck_assert_uint_eq(need.fds, 148);
	/* Single-file segments: one fd per list in use, same VMAs. */
	wl.mode = MODE_SINGLE_FILE;
	ck_assert_int_eq(need_compute(&snap, &wl, &need), 0);
	ck_assert_uint_eq(need.vmas, 1198);
	ck_assert_uint_eq(need.fds, 14 + 2 + 4 + 1);
	/* In-memory: a memfd per page, no shared config file. */
	wl.mode = MODE_IN_MEMORY;
	ck_assert_int_eq(need_compute(&snap, &wl, &need), 0);
	ck_assert_uint_eq(need.fds, 14 + 128);
	snapshot_free(&snap);
}
END_TEST

/* Seed 000: legacy maps every free page, whatever -m says. */
START_TEST(legacy_maps_the_pool)
{
	struct workload wl = { .mem_bytes = 64 * MiB, .have_mem = true,
			       .mode = MODE_LEGACY };
	struct snapshot snap;
	struct findings fs;
	struct need need;

	diagnose_fixture("seed-000", &wl, &snap, &need, &fs);
	ck_assert_uint_eq(need.pages, 32);
	ck_assert_uint_eq(need.pool_pages, 4093);
	ck_assert_uint_eq(need.vmas, 1060 + 2 + 8 + 4093 + 1);
	ck_assert_str_eq(cause_of(&fs, "map_count"), "map_count_limit");
	ck_assert(fget(&fs, "map_count")->first);
	done_fixture(&snap, &fs);

	/* DPDK 16.04: a static binary, both passes mapped at once. */
	wl.dpdk_version = 1604;
	diagnose_fixture("seed-000", &wl, &snap, &need, &fs);
	ck_assert_uint_eq(need.baseline_vmas, DEFAULT_BASELINE_VMAS_STATIC);
	ck_assert_uint_eq(need.lists, 0);
	ck_assert_uint_eq(need.vmas, 35 + 2 * 4093);
	ck_assert_str_eq(cause_of(&fs, "map_count"), "map_count_limit");
	done_fixture(&snap, &fs);

	/* 16.04 had only the legacy sequence, whatever --mode says. */
	wl.mode = MODE_DYNAMIC;
	diagnose_fixture("seed-000", &wl, &snap, &need, &fs);
	ck_assert_int_eq(need.mode, MODE_LEGACY);
	ck_assert_uint_eq(need.vmas, 35 + 2 * 4093);
	done_fixture(&snap, &fs);

	/* The same -m 64 in dynamic mode fits: 1102 VMAs. */
	wl.mode = MODE_DYNAMIC;
	wl.dpdk_version = 0;
	diagnose_fixture("seed-000", &wl, &snap, &need, &fs);
	ck_assert_int_eq(status_of(&fs, "map_count"), HP_PASS);
	done_fixture(&snap, &fs);
}
END_TEST

/* A private 1 GiB mount limited the measured legacy run to 512 pages. */
START_TEST(legacy_quota_caps_phase_one)
{
	struct workload wl = { .page_size = GiB, .pages = 2, .have_pages = true,
			       .mode = MODE_LEGACY, .huge_dir = "/mnt/huge 1G" };
	struct snapshot snap;
	struct need need;
	char err[1024];

	ck_assert_int_eq(load_fixture("two-node", PROBE_ALL, &snap, err, sizeof(err)), 0);
	ck_assert_int_eq(need_compute(&snap, &wl, &need), 0);
	/* 8 free 1 GiB pages, a 4 GiB size= quota: phase 1 maps 4. */
	ck_assert_uint_eq(need.pool_pages, 4);
	snapshot_free(&snap);
}
END_TEST

START_TEST(in_memory_two_nodes)
{
	struct workload wl = { .mem_bytes = 64 * MiB, .have_mem = true,
			       .mode = MODE_IN_MEMORY };
	struct snapshot snap;
	struct need need;
	char err[1024];

	ck_assert_int_eq(load_fixture("two-node", PROBE_ALL, &snap, err, sizeof(err)), 0);
	ck_assert_int_eq(need_compute(&snap, &wl, &need), 0);
	/* Both sizes on both nodes, mounted or not: 12 lists, 256 GiB. */
	ck_assert_uint_eq(need.lists, 12);
	ck_assert_uint_ge(need.va_bytes, 256 * GiB);
	snapshot_free(&snap);
}
END_TEST

START_TEST(anon_and_shm)
{
	struct workload wl = { .mem_bytes = 64 * MiB, .have_mem = true,
			       .mode = MODE_ANON };
	struct snapshot snap;
	struct findings fs;
	struct need need;

	diagnose_fixture("two-node", &wl, &snap, &need, &fs);
	ck_assert_uint_eq(need.vmas, DEFAULT_BASELINE_VMAS_OTHER + 1);
	ck_assert_uint_eq(need.lists, 0);
	/* No hugetlbfs mount is needed: /dev/hugepages being read-only to
	 * the user does not matter. */
	ck_assert_ptr_null(fget(&fs, "mount"));
	ck_assert_int_eq(status_of(&fs, "pool"), HP_PASS);
	done_fixture(&snap, &fs);

	/* shmget(SHM_HUGETLB) by uid 1000 without CAP_IPC_LOCK and outside
	 * vm.hugetlb_shm_group: charged to an 8 MiB RLIMIT_MEMLOCK. */
	wl.mode = MODE_SHM;
	diagnose_fixture("two-node", &wl, &snap, &need, &fs);
	ck_assert_uint_eq(need.locked_bytes, 64 * MiB);
	ck_assert_str_eq(cause_of(&fs, "memlock"), "rlimit_memlock");
	ck_assert_int_eq(status_of(&fs, "shm"), HP_PASS);
	/* In vm.hugetlb_shm_group: nothing to lock. */
	snap.lim.sysctl[SC_HUGETLB_SHM_GROUP].value = 1000;
	snap.lim.st.have_gid = true;
	snap.lim.st.gid = 1000;
	findings_free(&fs);
	ck_assert_int_eq(need_compute(&snap, &wl, &need), 0);
	ck_assert_uint_eq(need.locked_bytes, 0);
	/* kernel.shmmax below the segment. */
	snap.lim.sysctl[SC_SHMMAX].value = 32 * MiB;
	ck_assert_int_eq(diagnose_check(&snap, &need, &fs), 0);
	ck_assert_str_eq(cause_of(&fs, "shm"), "shm_limit");
	done_fixture(&snap, &fs);
}
END_TEST

START_TEST(address_space_and_data)
{
	struct workload wl = { .mem_bytes = 64 * MiB, .have_mem = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;

	diagnose_fixture("this-host", &wl, &snap, &need, &fs);
	findings_free(&fs);
	/* ulimit -v 8000000 (KiB), as in the measured DPDK failure. */
	snap.lim.rlimits[RL_AS].soft = 8000000ULL << 10;
	ck_assert_int_eq(diagnose_check(&snap, &need, &fs), 0);
	ck_assert_str_eq(cause_of(&fs, "address_space"), "rlimit_as");
	ck_assert(fget(&fs, "address_space")->first);
	findings_free(&fs);
	snap.lim.rlimits[RL_AS].soft = HP_UNLIMITED;
	snap.lim.rlimits[RL_DATA].soft = 16 * MiB;
	ck_assert_int_eq(diagnose_check(&snap, &need, &fs), 0);
	ck_assert_str_eq(cause_of(&fs, "data"), "rlimit_data");
	findings_free(&fs);
	/* A 39-bit address space (arm64 with 3-level tables) holds 512 GiB. */
	snap.lim.rlimits[RL_DATA].soft = HP_UNLIMITED;
	snap.meta.va_bits = 36;
	ck_assert_int_eq(diagnose_check(&snap, &need, &fs), 0);
	ck_assert_str_eq(cause_of(&fs, "va_space"), "va_space");
	done_fixture(&snap, &fs);
}
END_TEST

/*
 * A kernel without hugetlb (tests/fixtures/no-hugetlb): no page size at
 * all.  Every mode and amount gives the one FAIL no_pool that names the
 * kernel configuration, and no remedy that mounts a hugetlbfs it cannot
 * have; the model reserves no memseg list for a size of 0.
 */
START_TEST(no_hugetlb)
{
	struct workload wl = { .mem_bytes = 64 * MiB, .have_mem = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;

	for (int m = 0; m < MODE_COUNT; m++) {
		for (int amount = 0; amount < 4; amount++) {
			wl = (struct workload){ .mode = (enum mode)m };
			if (amount == 1) {
				wl.mem_bytes = 64 * MiB;
				wl.have_mem = true;
			} else if (amount == 2) {
				wl.pages = 4;
				wl.have_pages = true;
			} else if (amount == 3) {
				wl.socket_mem[0] = 64;
				wl.nr_socket_mem = 1;
			}
			diagnose_fixture("no-hugetlb", &wl, &snap, &need, &fs);
			ck_assert_uint_eq(need.page_size, 0);
			ck_assert_uint_eq(need.lists, 0);
			ck_assert_str_eq(cause_of(&fs, "pool"), "no_pool");
			ck_assert(fget(&fs, "pool")->first);
			ck_assert_str_eq(remedy_text(fget(&fs, "pool")),
					 "# use a kernel built with CONFIG_HUGETLBFS");
			ck_assert_ptr_null(fget(&fs, "mount"));
			ck_assert_ptr_null(fget(&fs, "node_pool"));
			/* The memory controller's limit is no hugetlb limit. */
			ck_assert_ptr_null(fget(&fs, "cgroup_hugetlb"));
			for (size_t i = 0; i < fs.n; i++)
				ck_assert(fs.v[i].status != HP_FAIL ||
					  fs.v[i].check == CHECK_POOL);
			done_fixture(&snap, &fs);
		}
	}
	/* A page size given by hand changes nothing but the need. */
	wl = (struct workload){ .page_size = 2 * MiB, .mem_bytes = 64 * MiB,
				.have_mem = true };
	diagnose_fixture("no-hugetlb", &wl, &snap, &need, &fs);
	ck_assert_uint_eq(need.pages, 32);
	ck_assert_str_eq(cause_of(&fs, "pool"), "no_pool");
	ck_assert_ptr_null(fget(&fs, "mount"));
	done_fixture(&snap, &fs);
}
END_TEST

/* Page sizes no kernel has: the model neither divides by zero nor wraps. */
START_TEST(absurd_page_sizes)
{
	const uint64_t sizes[] = { 0, 1, 3, 4096, 1ULL << 62, 1ULL << 63,
				   UINT64_MAX };
	struct memseg_layout *l = calloc(1, sizeof(*l));
	struct snapshot snap;
	struct findings fs;
	struct need need;

	ck_assert_ptr_nonnull(l);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memseg_layout(&sizes[i], 1, 2, NULL, l);
		/* No list for a size of 0, or one larger than a type's share. */
		if (!sizes[i] || sizes[i] > 32 * GiB)
			ck_assert_uint_eq(l->lists, 0);
		else
			ck_assert_uint_gt(l->lists, 0);
		for (int m = 0; m < MODE_COUNT; m++) {
			struct workload wl = { .page_size = sizes[i], .mode = (enum mode)m,
					       .pages = UINT64_MAX, .have_pages = true };

			diagnose_fixture("this-host", &wl, &snap, &need, &fs);
			/* 0 asks for the kernel's default size. */
			ck_assert_uint_eq(need.page_size, sizes[i] ? sizes[i] :
					  snap.mem.hugepagesize);
			/* UINT64_MAX pages of any size never fit. */
			ck_assert_int_eq(findings_verdict(&fs), HP_FAIL);
			if (m == MODE_ANON)
				ck_assert_uint_eq(need.va_bytes, UINT64_MAX);
			done_fixture(&snap, &fs);
		}
	}
	memseg_layout(sizes, sizeof(sizes) / sizeof(sizes[0]), 1, NULL, l);
	ck_assert(!l->too_many_types);
	free(l);
}
END_TEST

/* Several failures: the one met first is marked. */
START_TEST(first_failure)
{
	struct workload wl = { .page_size = GiB, .pages = 6, .have_pages = true,
			       .huge_dir = "/mnt/huge 1G" };
	struct snapshot snap;
	struct findings fs;
	struct need need;
	size_t firsts = 0;

	diagnose_fixture("two-node", &wl, &snap, &need, &fs);
	/* The quota has room for 4 pages, the cgroup for 2: SIGBUS first. */
	ck_assert_str_eq(cause_of(&fs, "mount_quota"), "mount_quota");
	ck_assert(fget(&fs, "cgroup_hugetlb")->first);
	ck_assert(!fget(&fs, "mount_quota")->first);
	for (size_t i = 0; i < fs.n; i++)
		firsts += fs.v[i].first;
	ck_assert_uint_eq(firsts, 1);
	done_fixture(&snap, &fs);
	/* Discovery comes before the page count. */
	wl.page_size = 2 * MiB;
	wl.pages = 4000;
	wl.huge_dir = NULL;
	diagnose_fixture("two-node", &wl, &snap, &need, &fs);
	ck_assert_str_eq(cause_of(&fs, "pool"), "pool_exhausted");
	ck_assert(fget(&fs, "mount")->first);
	done_fixture(&snap, &fs);
}
END_TEST

/* EAL's options as getopt_long reads them: values, lcores, threads. */
START_TEST(eal_options)
{
	const char *const a1[] = { "dpdk-test", "-l", "0-3,8", "-s", "0x300", "--no-telemetry",
			     "-m64", "--huge-dir=/mnt/h", "-d", "-m", "--in-memory",
			     "--", "-m", "9", NULL };
	const char *const a2[] = { "testpmd", "--lcores", "(0-3)@0,4@(1,2),5", "--socket-mem",
			     "1024,2048", "--file-prefix", "--legacy-mem", NULL };
	const char *const a3[] = { "app", "-c", "0xf", "-S", "8-9", "--no-shconf", NULL };
	struct workload_hint h = { 0 };

	eal_args_parse(14, (char *const *)a1, &h);
	/* 0-3 and 8, services 8 and 9: 6 lcores. */
	ck_assert_uint_eq(h.lcores, 6);
	ck_assert(h.no_telemetry);
	ck_assert(h.have_mem);
	ck_assert_uint_eq(h.mem_mb, 64);
	ck_assert_str_eq(h.huge_dir, "/mnt/h");
	/* -d takes the next word, whatever it looks like. */
	ck_assert_uint_eq(h.nr_plugins, 1);
	ck_assert_str_eq(h.plugins[0], "-m");
	ck_assert_int_eq(h.mode, MODE_IN_MEMORY);
	ck_assert(h.no_shconf);
	workload_hint_free(&h);

	eal_args_parse(7, (char *const *)a2, &h);
	ck_assert_uint_eq(h.lcores, 6);
	ck_assert_uint_eq(h.nr_socket_mem, 2);
	ck_assert_uint_eq(h.socket_mem[1], 2048);
	/* --file-prefix took "--legacy-mem" as its value. */
	ck_assert_str_eq(h.file_prefix, "--legacy-mem");
	ck_assert(!h.have_mode);
	workload_hint_free(&h);

	eal_args_parse(6, (char *const *)a3, &h);
	ck_assert_uint_eq(h.lcores, 6);
	ck_assert(h.no_shconf && !h.no_telemetry);
	workload_hint_free(&h);

	ck_assert_uint_eq(eal_lcore_list("1,3-5"), 4);
	ck_assert_uint_eq(eal_lcore_list("3-1"), 0);
	ck_assert_uint_eq(eal_lcore_mask("0x5"), 2);
	ck_assert_uint_eq(eal_lcore_mask("xyz"), 0);
	ck_assert_uint_eq(eal_lcore_map("1@(2,3),(4-5)@6"), 3);
	ck_assert_uint_eq(eal_lcore_map("1@(2"), 0);
}
END_TEST

/* The wrappers in front of the application, and what they set for it. */
START_TEST(unwrap)
{
	const char *const a1[] = { "prlimit", "--data=1G", "-v123:456", "--nofile=:4096",
			     "--", "env", "-u", "X", "LD_LIBRARY_PATH=/opt/l", "taskset",
			     "-c", "0-1", "timeout", "-s", "KILL", "10", "nice", "-n", "5",
			     "numactl", "--membind", "0", "dpdk-test", "-l", "0", NULL };
	const char *const a2[] = { "DPDK_TEST=x", "LD_PRELOAD=/p.so", "/usr/bin/app", NULL };
	const char *const a3[] = { "env", "LD_PRELOAD=/p.so", "-i", "app", NULL };
	struct app_command c;

	app_unwrap(25, (char *const *)a1, &c);
	ck_assert_int_eq(c.prog, 22);
	/* prlimit reads the leading digits: "1G" is 1 byte. */
	ck_assert(c.rlimits[RL_DATA].soft_set && c.rlimits[RL_DATA].hard_set);
	ck_assert_uint_eq(c.rlimits[RL_DATA].soft, 1);
	ck_assert_uint_eq(c.rlimits[RL_AS].soft, 123);
	ck_assert_uint_eq(c.rlimits[RL_AS].hard, 456);
	ck_assert(!c.rlimits[RL_NOFILE].soft_set && c.rlimits[RL_NOFILE].hard_set);
	ck_assert_str_eq(c.library_path, "/opt/l");
	app_unwrap(3, (char *const *)a2, &c);
	ck_assert_int_eq(c.prog, 2);
	ck_assert_str_eq(c.preload, "/p.so");
	app_unwrap(4, (char *const *)a3, &c);
	ck_assert_int_eq(c.prog, 3);
	ck_assert(c.env_cleared);
	ck_assert_ptr_null(c.preload);
	/* A wrapper's option that wants a word and is the last: no program
	 * (found by fuzzing; the index went past argc). */
	app_unwrap(2, (char *const *)a1 + 12, &c);
	ck_assert_int_eq(c.prog, 2);
	app_unwrap(2, (char *const *)a1 + 16, &c);
	ck_assert_int_eq(c.prog, 2);
}
END_TEST

/*
 * Without a command the data need is dpdk-testpmd's, as measured (-l 0-1:
 * interrupt, multi-process, one worker and telemetry's thread, the legacy
 * telemetry one optional), and the output says it is a default.
 */
START_TEST(data_default_and_pid)
{
	struct workload wl = { .mem_bytes = 64 * MiB, .have_mem = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;
	const struct finding *f;

	diagnose_fixture("this-host", &wl, &snap, &need, &fs);
	findings_free(&fs);
	ck_assert(need.data.known);
	ck_assert_ptr_nonnull(strstr(need.data.from, "default"));
	ck_assert_uint_eq(need.data.early_threads + need.data.late_threads, 4);
	ck_assert_uint_eq(need.data.optional_threads, 1);
	/* testpmd -l 0-1 started at 44 MiB, not at 43. */
	ck_assert_uint_gt(need.data_bytes, 43 * MiB);
	ck_assert_uint_le(need.data_bytes, 44 * MiB);
	snap.lim.rlimits[RL_DATA].soft = 43 * MiB;
	ck_assert_int_eq(diagnose_check(&snap, &need, &fs), 0);
	f = fget(&fs, "data");
	ck_assert_str_eq(cname(f->cause), "rlimit_data");
	ck_assert(f->first);
	ck_assert_ptr_nonnull(strstr(f->message, "default for a DPDK application"));
	ck_assert_ptr_nonnull(strstr(remedy_text(f), "ulimit -d"));
	findings_free(&fs);
	/* Room for the required threads, not the legacy telemetry one. */
	snap.lim.rlimits[RL_DATA].soft = need.data_bytes + MiB;
	ck_assert_int_eq(diagnose_check(&snap, &need, &fs), 0);
	ck_assert_int_eq(status_of(&fs, "data"), HP_WARN);
	ck_assert_ptr_nonnull(strstr(fget(&fs, "data")->message, "telemetry"));
	findings_free(&fs);
	/* No program and not DPDK: not known, no finding. */
	wl.mode = MODE_ANON;
	wl.have_mode = true;
	ck_assert_int_eq(need_compute(&snap, &wl, &need), 0);
	ck_assert(!need.data.known);
	ck_assert_int_eq(diagnose_check(&snap, &need, &fs), 0);
	ck_assert_ptr_null(fget(&fs, "data"));
	done_fixture(&snap, &fs);
}
END_TEST

START_TEST(parse_names)
{
	enum mode m;
	unsigned v;

	ck_assert_int_eq(mode_parse("single-file", &m), 0);
	ck_assert_int_eq(m, MODE_SINGLE_FILE);
	ck_assert_int_lt(mode_parse("fast", &m), 0);
	ck_assert_int_eq(dpdk_version_parse("22.11", &v), 0);
	ck_assert_uint_eq(v, 2211);
	ck_assert_int_eq(dpdk_version_parse("16.04.1", &v), 0);
	ck_assert_uint_eq(v, 1604);
	ck_assert_int_lt(dpdk_version_parse("22", &v), 0);
	ck_assert_int_lt(dpdk_version_parse("x.y", &v), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("model");

	tcase_add_test(tc, memseg_layouts);
	tcase_add_test(tc, dynamic_matches_testpmd);
	tcase_add_test(tc, legacy_maps_the_pool);
	tcase_add_test(tc, legacy_quota_caps_phase_one);
	tcase_add_test(tc, in_memory_two_nodes);
	tcase_add_test(tc, anon_and_shm);
	tcase_add_test(tc, address_space_and_data);
	tcase_add_test(tc, first_failure);
	tcase_add_test(tc, no_hugetlb);
	tcase_add_test(tc, absurd_page_sizes);
	tcase_add_test(tc, parse_names);
	tcase_add_test(tc, eal_options);
	tcase_add_test(tc, unwrap);
	tcase_add_test(tc, data_default_and_pid);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
