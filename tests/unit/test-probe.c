// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-probe.c - the probes against fixture trees: pools and nodes of every
 * page size, hugetlbfs mounts with escapes and quotas, the files in them and
 * who uses them, rlimits, sysctls, cgroups, buddyinfo; and broken trees,
 * which must give an error naming the file.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <numa.h>

#include "lib/caps.h"
#include "testutil.h"

START_TEST(seed000_pools)
{
	struct snapshot snap;
	char err[1024];
	const struct pool *p;

	ck_assert_int_eq(load_fixture("seed-000", PROBE_ALL, &snap, err, sizeof(err)), 0);
	ck_assert_uint_eq(snap.nr_pools, 1);
	p = snapshot_pool(&snap, 2 << 20);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->total, 4096);
	ck_assert_uint_eq(p->free, 4093);
	ck_assert_uint_eq(p->nr_nodes, 1);
	ck_assert_uint_eq(p->nodes[0].free, 4093);
	ck_assert_uint_eq(snap.mem.hugepagesize, 2 << 20);
	ck_assert_uint_eq(snap.nr_nodes, 1);
	ck_assert(snap.nodes[0].has_cpus);
	ck_assert_uint_eq(snap.lim.sysctl[SC_MAX_MAP_COUNT].value, 3096);
	ck_assert_uint_eq(snap.lim.rlimits[RL_NOFILE].soft, 1024);
	ck_assert_uint_eq(snap.lim.rlimits[RL_NOFILE].hard, 4096);
	ck_assert_uint_eq(snap.lim.rlimits[RL_MEMLOCK].soft, 65536);
	ck_assert_uint_eq(snap.lim.rlimits[RL_DATA].soft, HP_UNLIMITED);
	ck_assert_uint_eq(snap.lim.vma_count, 35);
	ck_assert(snap.lim.st.have_caps);
	ck_assert(caps_in(snap.lim.st.cap_eff, "cap_sys_admin"));
	ck_assert_uint_eq(snap.meta.base_page_size, 4096);
	ck_assert_str_eq(snap.meta.machine, "x86_64");
	ck_assert_uint_eq(snap.nr_buddy, 3);
	ck_assert_uint_eq(snap.buddy[2].nr_orders, 11);
	ck_assert_str_eq(snap.thp, "always");
	snapshot_free(&snap);
}
END_TEST

START_TEST(seed000_stale_files)
{
	struct snapshot snap;
	const struct mount *m;
	char err[1024];

	ck_assert_int_eq(load_fixture("seed-000", PROBE_ALL, &snap, err, sizeof(err)), 0);
	ck_assert_uint_eq(snap.nr_mounts, 1);
	m = &snap.mounts[0];
	ck_assert_str_eq(m->path, "/dev/hugepages");
	ck_assert_uint_eq(m->page_size, 2 << 20);
	ck_assert_uint_eq(m->size_limit, HP_UNLIMITED);
	ck_assert(m->have_usage);
	ck_assert_int_eq(m->writable, 1);
	ck_assert_uint_eq(m->nr_files, 5);
	ck_assert_uint_eq(m->used_pages, 4);
	ck_assert(snap.procs_scanned);
	/* Sorted by path; 100 is mapped by 4242, 101 held open by 4243. */
	ck_assert_str_eq(m->files[0].path, "/dev/hugepages/rtemap_0");
	ck_assert(!m->files[0].in_use);
	ck_assert_str_eq(m->files[2].path, "/dev/hugepages/rtemap_100");
	ck_assert(m->files[2].in_use);
	ck_assert_int_eq(m->files[2].user, 4242);
	ck_assert(m->files[3].in_use);
	ck_assert_int_eq(m->files[3].user, 4243);
	ck_assert(!m->files[4].in_use);
	ck_assert_uint_eq(m->files[4].pages, 0);
	snapshot_free(&snap);
}
END_TEST

START_TEST(seed004_sizes_and_nodes)
{
	struct snapshot snap;
	char err[1024];
	const struct pool *p;

	ck_assert_int_eq(load_fixture("seed-004", PROBE_ALL, &snap, err, sizeof(err)), 0);
	ck_assert_uint_eq(snap.nr_pools, 3);
	ck_assert_uint_eq(snap.pools[0].page_size, 2 << 20);
	ck_assert_uint_eq(snap.pools[1].page_size, 512ULL << 20);
	ck_assert_uint_eq(snap.pools[2].page_size, 16ULL << 30);
	ck_assert_uint_eq(snap.mem.hugepagesize, 512ULL << 20);
	ck_assert_uint_eq(snap.meta.base_page_size, 65536);
	ck_assert_uint_eq(snap.nr_nodes, 16);
	p = snapshot_pool(&snap, 512ULL << 20);
	ck_assert_uint_eq(p->total, 934);
	ck_assert_uint_eq(p->nr_nodes, 16);
	ck_assert_uint_eq(p->nodes[0].total, 57);
	ck_assert_uint_eq(p->nodes[1].total, 59);
	ck_assert_uint_eq(p->nodes[15].total, 58);
	ck_assert_uint_eq(snap.nodes[15].id, 15);
	ck_assert(snap.nodes[15].have_meminfo);
	ck_assert_uint_eq(snap.mounts[0].page_size, 512ULL << 20);
	ck_assert_uint_eq(snap.buddy[0].nr_orders, 14);
	ck_assert_ptr_nonnull(strstr(snap.cmdline, "hugepages=934"));
	snapshot_free(&snap);
}
END_TEST

START_TEST(two_node_mounts_and_cgroup)
{
	struct snapshot snap;
	char err[1024];
	const struct mount *m;
	bool found_1g = false, found_mem = false;

	ck_assert_int_eq(load_fixture("two-node", PROBE_ALL, &snap, err, sizeof(err)), 0);
	ck_assert_uint_eq(snap.nr_mounts, 2);
	m = &snap.mounts[1];
	/* mountinfo escapes the space as \040. */
	ck_assert_str_eq(m->path, "/mnt/huge 1G");
	ck_assert_uint_eq(m->page_size, 1ULL << 30);
	ck_assert_uint_eq(m->size_limit, 4ULL << 30);
	ck_assert_uint_eq(m->uid, 1000);
	ck_assert_uint_eq(m->mode, 0770);
	ck_assert_int_eq(m->writable, 1);
	ck_assert_int_eq(snap.mounts[0].writable, 0);
	ck_assert_int_eq(snap.cg.version, 2);
	ck_assert_str_eq(snap.cg.path, "/system.slice/dpdk.service");
	for (size_t i = 0; i < snap.cg.nr_limits; i++) {
		const struct cgroup_limit *c = &snap.cg.limits[i];

		if (c->page_size == 1ULL << 30) {
			found_1g = true;
			ck_assert_uint_eq(c->limit, 2ULL << 30);
		}
		if (c->page_size == 0) {
			/* The parent's memory.max binds the child's "max":
			 * its limit and its usage, the whole subtree's. */
			found_mem = true;
			ck_assert_uint_eq(c->limit, 32ULL << 30);
			ck_assert_uint_eq(c->usage, 4ULL << 30);
			ck_assert_str_eq(c->cgroup, "/system.slice");
			ck_assert_ptr_nonnull(strstr(c->file, "system.slice/memory.max"));
		}
	}
	ck_assert(found_1g && found_mem);
	ck_assert_uint_eq(snap.lim.st.uid, 1000);
	ck_assert(!caps_in(snap.lim.st.cap_eff, "cap_dac_override"));
	snapshot_free(&snap);
}
END_TEST

/* A broken copy of seed-000 must fail naming the broken file. */
static void expect_error(const char *file, const char *text, const char *words)
{
	struct snapshot snap;
	char *dir = copy_fixture("seed-000"), err[1024];
	int rc;

	if (text)
		write_file(dir, file, text);
	else {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir, file);
		ck_assert_int_eq(unlink(path), 0);
	}
	rc = load_fixture(dir, PROBE_ALL, &snap, err, sizeof(err));
	snapshot_free(&snap);
	ck_assert_msg(rc < 0, "broken %s was accepted", file);
	ck_assert_msg(strstr(err, file) != NULL, "error '%s' does not name %s", err, file);
	ck_assert_msg(strstr(err, words) != NULL, "error '%s' does not say '%s'", err, words);
	ck_assert_msg(strchr(err, '\n') == NULL, "error '%s' is not one line", err);
	remove_tree(dir);
	free(dir);
}

/* Probes DIR (a path, or a fixture's name) as PID sees it. */
static void load_pid(const char *dir, pid_t pid, struct snapshot *snap)
{
	struct sysroot sr;
	struct probe p = { .sr = &sr };
	char path[4096];

	if (dir[0] == '/')
		snprintf(path, sizeof(path), "%s", dir);
	else
		snprintf(path, sizeof(path), "%s/%s", FIXTURES, dir);
	ck_assert_int_eq(sysroot_init(&sr, path), 0);
	ck_assert_msg(probe_snapshot(&p, PROBE_ALL, pid, snap) == 0, "%s", p.err.msg);
	sysroot_release(&sr);
}

/* tests/fixtures/vfio-user: two ports behind the IOMMU, one no-IOMMU. */
static void check_vfio_user(const struct snapshot *snap)
{
	ck_assert_uint_eq(snap->vfio.nr_devs, 3);
	ck_assert_str_eq(snap->vfio.devs[0].addr, "0000:3b:00.0");
	ck_assert_int_eq(snap->vfio.devs[0].group, 42);
	ck_assert(!snap->vfio.devs[0].noiommu);
	ck_assert_int_eq(snap->vfio.devs[1].group, 43);
	ck_assert_str_eq(snap->vfio.devs[2].addr, "0000:5e:00.0");
	ck_assert_int_eq(snap->vfio.devs[2].group, 7);
	ck_assert(snap->vfio.devs[2].noiommu);
}

START_TEST(vfio_devices)
{
	struct snapshot snap;
	char err[1024], *dir;

	ck_assert_int_eq(load_fixture("vfio-user", PROBE_ALL, &snap, err, sizeof(err)), 0);
	check_vfio_user(&snap);
	/* hpdiag itself: its fds are not looked at. */
	ck_assert(!snap.vfio.pid_known);
	snapshot_free(&snap);
	/* The running testpmd holds the container and one group open. */
	load_pid("vfio-user", 5100, &snap);
	check_vfio_user(&snap);
	ck_assert(snap.vfio.pid_known);
	ck_assert_uint_eq(snap.vfio.pid_groups, 1);
	snapshot_free(&snap);
	/* Without vfio-pci: no device, and that is no error. */
	ck_assert_int_eq(load_fixture("this-host", PROBE_ALL, &snap, err, sizeof(err)), 0);
	ck_assert_uint_eq(snap.vfio.nr_devs, 0);
	snapshot_free(&snap);
	/* A device without an IOMMU group is listed, with none. */
	dir = copy_fixture("vfio-user");
	write_file(dir, "sys/bus/pci/drivers/vfio-pci/0000:af:00.0", "../x/0000:af:00.0");
	ck_assert_int_eq(load_fixture(dir, PROBE_ALL, &snap, err, sizeof(err)), 0);
	ck_assert_uint_eq(snap.vfio.nr_devs, 4);
	ck_assert_int_eq(snap.vfio.devs[3].group, -1);
	snapshot_free(&snap);
	/* A group link that names no group is malformed. */
	write_file(dir, "sys/bus/pci/devices/0000:3b:00.1/iommu_group", "../../elsewhere\n");
	ck_assert_int_lt(load_fixture(dir, PROBE_ALL, &snap, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "sys/bus/pci/devices/0000:3b:00.1/iommu_group: "
				     "not a link to an IOMMU group"));
	snapshot_free(&snap);
	remove_tree(dir);
	free(dir);
}
END_TEST

/*
 * On a live host the links are symbolic links: a snapshot keeps each as a
 * file holding its target, and the capture answers as the host did.
 */
START_TEST(vfio_capture)
{
	static const char *const links[] = {
		"sys/bus/pci/drivers/vfio-pci/0000:3b:00.0",
		"sys/bus/pci/drivers/vfio-pci/0000:3b:00.1",
		"sys/bus/pci/drivers/vfio-pci/0000:5e:00.0",
		"sys/bus/pci/devices/0000:3b:00.0/iommu_group",
		"sys/bus/pci/devices/0000:3b:00.1/iommu_group",
		"sys/bus/pci/devices/0000:5e:00.0/iommu_group",
		"proc/5100/fd/17", "proc/5100/fd/18",
	};
	char *host = copy_fixture("vfio-user"), rec[] = "/tmp/hpdiag-rec-XXXXXX";
	struct snapshot snap;
	struct sysroot sr;
	struct probe p = { .sr = &sr };

	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		char path[4096], target[4096];
		FILE *f;
		size_t n;

		snprintf(path, sizeof(path), "%s/%s", host, links[i]);
		f = fopen(path, "r");
		ck_assert_ptr_nonnull(f);
		n = fread(target, 1, sizeof(target) - 1, f);
		fclose(f);
		target[n] = '\0';
		target[strcspn(target, "\n")] = '\0';
		ck_assert_int_eq(unlink(path), 0);
		ck_assert_int_eq(symlink(target, path), 0);
	}
	ck_assert_ptr_nonnull(mkdtemp(rec));
	ck_assert_int_eq(sysroot_init(&sr, host), 0);
	sr.recordfd = open(rec, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(sr.recordfd, 0);
	ck_assert_int_eq(probe_snapshot(&p, PROBE_ALL, 5100, &snap), 0);
	check_vfio_user(&snap);
	ck_assert_uint_eq(snap.vfio.pid_groups, 1);
	snapshot_free(&snap);
	sysroot_release(&sr);
	load_pid(rec, 5100, &snap);
	check_vfio_user(&snap);
	ck_assert_uint_eq(snap.vfio.pid_groups, 1);
	snapshot_free(&snap);
	remove_tree(rec);
	remove_tree(host);
	free(host);
}
END_TEST

START_TEST(broken_trees)
{
	expect_error("proc/meminfo", "MemTotal: banana kB\n", "line 1");
	expect_error("proc/meminfo", NULL, "missing");
	expect_error("proc/meminfo", "", "no MemTotal");
	expect_error("sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages",
		     "abc\n", "not a number");
	expect_error("sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages",
		     "99999999999999999999999\n", "out of range");
	expect_error("sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages",
		     "", "not a number");
	expect_error("sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages",
		     "9999\n", "exceed nr_hugepages");
	expect_error("sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages",
		     NULL, "missing");
	expect_error("proc/sys/vm/max_map_count", "-1\n", "not a number");
	expect_error("proc/sys/vm/max_map_count", NULL, "missing");
	expect_error("proc/self/limits", "nonsense\n", "Max data size");
	expect_error("proc/self/mountinfo", "this is not a mountinfo line\n", "line 1");
	expect_error("proc/self/mountinfo", "", "empty");
	expect_error("proc/buddyinfo", "Node 0, zone Normal x y\n", "line 1");
	expect_error("hpdiag.snapshot", "format 9\n", "format 1");
	expect_error("sys/devices/system/node/node0/meminfo", "Node 0 MemTotal: x\n",
		     "line 1");
}
END_TEST

START_TEST(nul_and_huge_files)
{
	struct snapshot snap;
	char *dir = copy_fixture("seed-000"), err[1024], path[4096];
	FILE *f;
	int rc;

	/* A NUL byte in a text file. */
	snprintf(path, sizeof(path), "%s/proc/sys/vm/max_map_count", dir);
	f = fopen(path, "w");
	fwrite("30\0" "96\n", 1, 6, f);
	fclose(f);
	rc = load_fixture(dir, PROBE_ALL, &snap, err, sizeof(err));
	snapshot_free(&snap);
	ck_assert_int_lt(rc, 0);
	ck_assert_ptr_nonnull(strstr(err, "NUL"));
	/* A meminfo far larger than any real one: refused, not read whole. */
	snprintf(path, sizeof(path), "%s/proc/meminfo", dir);
	ck_assert_int_eq(truncate(path, 64 << 20), 0);
	rc = load_fixture(dir, PROBE_ALL, &snap, err, sizeof(err));
	snapshot_free(&snap);
	ck_assert_int_lt(rc, 0);
	ck_assert_ptr_nonnull(strstr(err, "proc/meminfo: file is larger than"));
	remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(symlink_out_of_root)
{
	struct snapshot snap;
	char *dir = copy_fixture("seed-000"), err[1024], path[4096];
	int rc;

	/* An absolute symlink resolves inside the tree, never to the host's. */
	snprintf(path, sizeof(path), "%s/proc/meminfo", dir);
	unlink(path);
	ck_assert_int_eq(symlink("/proc/meminfo", path), 0);
	rc = load_fixture(dir, PROBE_ALL, &snap, err, sizeof(err));
	snapshot_free(&snap);
	ck_assert_int_lt(rc, 0);
	remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(empty_root)
{
	struct snapshot snap;
	char tmpl[] = "/tmp/hpdiag-empty-XXXXXX", err[1024];
	char *dir = mkdtemp(tmpl);
	int rc;

	rc = load_fixture(dir, PROBE_ALL, &snap, err, sizeof(err));
	snapshot_free(&snap);
	ck_assert_int_lt(rc, 0);
	ck_assert_ptr_nonnull(strstr(err, "/proc/meminfo: missing"));
	rmdir(dir);
	rc = load_fixture("/nonexistent/hpdiag-root", PROBE_ALL, &snap, err, sizeof(err));
	ck_assert_int_lt(rc, 0);
	ck_assert_ptr_nonnull(strstr(err, "cannot open sysroot"));
}
END_TEST

/* On the live host, the nodes read from sysfs are the ones libnuma sees. */
START_TEST(live_nodes_match_libnuma)
{
	struct snapshot snap;
	struct sysroot sr;
	struct probe p = { .sr = &sr };
	size_t n = 0;

	if (numa_available() < 0)
		return;	/* no NUMA support in this kernel: nothing to compare */
	ck_assert_int_eq(sysroot_init(&sr, NULL), 0);
	ck_assert_int_eq(probe_snapshot(&p, PROBE_POOLS, 0, &snap), 0);
	for (int i = 0; i <= numa_max_node(); i++) {
		if (!numa_bitmask_isbitset(numa_nodes_ptr, (unsigned)i))
			continue;
		ck_assert_uint_lt(n, snap.nr_nodes);
		ck_assert_uint_eq(snap.nodes[n++].id, (unsigned)i);
	}
	ck_assert_uint_eq(snap.nr_nodes, n);
	snapshot_free(&snap);
	sysroot_release(&sr);
}
END_TEST

/* /proc/PID/stat's start time, whatever the command's name holds. */
START_TEST(stat_start_time)
{
	uint64_t t = 0;

	ck_assert_int_eq(parse_stat_start("4242 (sleep) S 1 4242 4242 0 -1 4194560 "
					  "96 0 0 0 0 0 0 0 20 0 1 0 7371926 5586944 "
					  "223 18446744073709551615\n", &t), 0);
	ck_assert_uint_eq(t, 7371926);
	ck_assert_int_eq(parse_stat_start("7 (a) b (c)) R 1 7 7 0 -1 0 0 0 0 0 0 0 0 "
					  "0 20 0 1 0 99 0 0\n", &t), 0);
	ck_assert_uint_eq(t, 99);
	ck_assert_int_lt(parse_stat_start("7 (x) R 1 2\n", &t), 0);
	ck_assert_int_lt(parse_stat_start("no parenthesis", &t), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("probe");
	TCase *tc = tcase_create("probe");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, seed000_pools);
	tcase_add_test(tc, seed000_stale_files);
	tcase_add_test(tc, seed004_sizes_and_nodes);
	tcase_add_test(tc, two_node_mounts_and_cgroup);
	tcase_add_test(tc, broken_trees);
	tcase_add_test(tc, vfio_devices);
	tcase_add_test(tc, vfio_capture);
	tcase_add_test(tc, nul_and_huge_files);
	tcase_add_test(tc, symlink_out_of_root);
	tcase_add_test(tc, empty_root);
	tcase_add_test(tc, live_nodes_match_libnuma);
	tcase_add_test(tc, stat_start_time);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
