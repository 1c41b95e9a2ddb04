// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz-tree.c - the files only a whole probe reads: the first byte picks
 * one file of a captured tree (mountinfo, status, cgroup, cgroup v2 limits,
 * usage, reservation limit and events, cmdline, buddyinfo, the snapshot
 * metadata, smaps, the THP mode, meminfo and its Hugepagesize, a pool's
 * size), the rest replaces it, and `check`'s probe and rules run on the
 * tree.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "diagnose/diagnose.h"
#include "fuzz.h"
#include "probe/snapshot.h"
#include "probe/vma.h"

static const char *const files[] = {
	"proc/self/mountinfo",
	"proc/self/status",
	"proc/self/cgroup",
	"proc/self/limits",
	"proc/cmdline",
	"proc/buddyinfo",
	"hpdiag.snapshot",
	"proc/1/smaps",
	"sys/kernel/mm/transparent_hugepage/enabled",
	"proc/sys/vm/max_map_count",
	"sys/devices/system/node/node0/meminfo",
	"sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages",
	"sys/fs/cgroup/system.slice/dpdk.service/hugetlb.2MB.max",
	"sys/fs/cgroup/system.slice/dpdk.service/hugetlb.2MB.current",
	"sys/fs/cgroup/system.slice/dpdk.service/memory.max",
	"proc/meminfo",
	"sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages",
	"sys/fs/cgroup/system.slice/dpdk.service/hugetlb.2MB.events",
	"sys/fs/cgroup/system.slice/dpdk.service/hugetlb.2MB.rsvd.max",
};
#define NR_FILES (sizeof(files) / sizeof(files[0]))

static char root[512];

static void put(const char *file, const uint8_t *data, size_t size)
{
	char path[1024];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, file);
	if (!data) {		/* it was not there */
		unlink(path);
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		abort();
	close(fd);
}

/* scripts/fuzz makes a writable copy of a fixture tree for each run. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tree = getenv("HPDIAG_FUZZ_TREE");

	(void)argc;
	(void)argv;
	if (!tree || snprintf(root, sizeof(root), "%s", tree) >= (int)sizeof(root)) {
		fprintf(stderr, "fuzz-tree: HPDIAG_FUZZ_TREE must name a writable "
			"copy of a fixture tree\n");
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct findings fs = { 0 };
	struct workload wl = { .pages = 8, .have_pages = true };
	struct snapshot snap;
	struct need need;
	struct sysroot sr;
	struct probe p = { .sr = &sr };
	struct vma_scan vs;
	const char *file;
	char *saved = NULL;
	size_t saved_len = 0;

	if (size < 1)
		return 0;
	file = files[data[0] % NR_FILES];
	{
		char path[1024];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", root, file);
		f = fopen(path, "r");
		if (f) {
			saved = malloc(1 << 20);
			saved_len = fread(saved, 1, 1 << 20, f);
			fclose(f);
		}
	}
	put(file, size > 1 ? data + 1 : (const uint8_t *)"", size - 1);
	if (sysroot_init(&sr, root) == 0) {
		if (probe_snapshot(&p, PROBE_ALL, 0, &snap) == 0) {
			need_compute(&snap, &wl, &need);
			diagnose_check(&snap, &need, &fs);
			findings_free(&fs);
		}
		snapshot_free(&snap);
		memset(&vs, 0, sizeof(vs));
		if (vma_scan_pid(&p, 1, true, &vs) == 0)
			vma_scan_sort(&vs);
		vma_scan_free(&vs);
	}
	sysroot_release(&sr);
	put(file, saved ? (const uint8_t *)saved : NULL, saved_len);
	free(saved);
	return 0;
}
