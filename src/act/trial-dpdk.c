// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trial-dpdk.c - DPDK's sequences in a trial's child (see trial-child.h):
 * its shared config and fbarrays, every memseg list's address space
 * reserved first, then a page file (or a memfd, or a segment of a list's
 * file) per page, mapped, faulted in and placed on its node; and the
 * legacy sequence, which maps every free page before it keeps what it
 * asked for.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/memfd.h>
#include <sys/mman.h>

#include "act/trial-child.h"
#include "lib/mempolicy.h"

/* DPDK's shared config, memzone array and list fbarrays: a file each. */
static void dpdk_metadata(bool files)
{
	static const size_t sizes[2] = { 0x7000, 0x2e000 };

	for (uint64_t i = 0; i < 2 + tc.o->need->lists - (files ? 0 : 1); i++) {
		size_t len = i < 2 ? sizes[i] : 0x61000;
		int fd = -1;
		void *p;

		if (files) {
			fd = memfd_create("hpdiag-fbarray", MFD_CLOEXEC);
			if (fd < 0)
				tc_fail(0, "memfd_create (config)", errno, 0);
			if (ftruncate(fd, (off_t)len) < 0)
				tc_fail(0, "ftruncate (config)", errno, 0);
		}
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | (files ? 0 : MAP_ANONYMOUS), fd, 0);
		if (p == MAP_FAILED)
			tc_fail(0, "mmap (config)", errno, 0);
	}
}

/*
 * Address space for LEN bytes, aligned to the page size as DPDK aligns its
 * reservations: a hugepage mapped MAP_FIXED into an unaligned hole fails
 * with EINVAL (1 GiB pages are rarely 1 GiB-aligned by chance).
 */
static char *reserve_aligned(uint64_t len)
{
	const uint64_t align = tc.s->page_size;
	uintptr_t start, aligned;
	char *p;

	p = mmap(NULL, len + align, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	start = (uintptr_t)p;
	aligned = (start + align - 1) & ~(uintptr_t)(align - 1);
	if (aligned > start)
		munmap(p, aligned - start);
	if (aligned + len < start + len + align)
		munmap((char *)(aligned + len), start + align - aligned);
	return (char *)aligned;
}

/* A memseg list's address space. */
static char *reserve(uint64_t len)
{
	char *p = reserve_aligned(len);

	if (!p)
		tc_fail(0, "mmap (reserve)", errno, 0);
	return p;
}


static void check_node(uint64_t i, void *addr, int want)
{
	int got;

	if (want < 0)
		return;
	got = numa_node_of(addr);
	if (got >= 0 && got != want)
		tc_fail(i, "node", 0, 0);
}

/*
 * DPDK's PA mode opens /proc/self/pagemap for every page and closes it
 * again: that transient fd is why a page fails one fd short of the limit.
 * Holding one pagemap fd for the whole run takes the same slot, so the same
 * page fails (at its file's open instead), without two syscalls a page.
 */
static int pagemap_fd = -1;

static void pagemap(uint64_t i, void *addr)
{
	uint64_t entry;

	if (pagemap_fd < 0) {
		pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
		if (pagemap_fd < 0 && (errno == EMFILE || errno == ENFILE))
			tc_fail(i, "open (pagemap)", errno, 0);
		if (pagemap_fd < 0)
			return;	/* not permitted here: IOVA as VA */
	}
	if (pread(pagemap_fd, &entry, sizeof(entry),
		  (off_t)((uintptr_t)addr / (uintptr_t)sysconf(_SC_PAGESIZE) * 8)) < 0)
		entry = 0;
}

/* Pages of the size S from global index FIRST into its lists LISTS. */
static void map_size(char **lists, uint64_t first)
{
	const uint64_t ps = tc.s->page_size;
	const uint64_t per_list = tc.s->list_va / ps;
	int list_fd = -1;
	bool memfd_ok = true;

	for (uint64_t k = 0; k < tc.s->pages; k++) {
		uint64_t i = first + k;
		uint64_t l = per_list ? k / per_list : 0, slot = per_list ? k % per_list : k;
		char *addr = lists[l < tc.s->lists ? l : 0] + slot * ps;
		int node = tc_node_of_page(k), fd;

		if (node >= 0 && numa_prefer(node) < 0 && !tc.r->note[0])
			snprintf(tc.r->note, sizeof(tc.r->note), "libnuma is not available: "
				 "pages were placed by the kernel, their node not checked");
		if (tc.o->need->mode == MODE_SINGLE_FILE) {
			if (slot == 0) {
				list_fd = tc_page_file(tc.s->app_dir);
				if (list_fd < 0)
					tc_fail(i, "open", errno, 0);
			}
			fd = list_fd;
			if (fallocate(fd, 0, (off_t)(slot * ps), (off_t)ps) < 0)
				tc_fail(i, "fallocate", errno, 0);
		} else if (tc.o->need->mode == MODE_IN_MEMORY && memfd_ok) {
			unsigned shift = (unsigned)__builtin_ctzll(ps);

			fd = memfd_create("hpdiag-seg", MFD_CLOEXEC | MFD_HUGETLB |
					  (shift << MFD_HUGE_SHIFT));
			if (fd < 0 && errno == EINVAL && k == 0) {
				memfd_ok = false;
			} else if (fd < 0) {
				tc_fail(i, "memfd_create", errno, 0);
			} else if (ftruncate(fd, (off_t)ps) < 0) {
				tc_fail(i, "ftruncate", errno, 0);
			}
		} else {
			fd = tc_page_file(tc.s->app_dir);
			if (fd < 0)
				tc_fail(i, "open", errno, 0);
			if (ftruncate(fd, (off_t)ps) < 0)
				tc_fail(i, "ftruncate", errno, 0);
		}
		if (tc.o->need->mode == MODE_IN_MEMORY && !memfd_ok) {
			unsigned shift = (unsigned)__builtin_ctzll(ps);

			if (mmap(addr, ps, PROT_READ | PROT_WRITE, MAP_PRIVATE |
				 MAP_ANONYMOUS | MAP_HUGETLB | MAP_FIXED |
				 ((int)shift << MAP_HUGE_SHIFT), -1, 0) == MAP_FAILED)
				tc_fail(i, "mmap", errno, 0);
		} else if (mmap(addr, ps, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_POPULATE | MAP_FIXED, fd,
				tc.o->need->mode == MODE_SINGLE_FILE ? (off_t)(slot * ps) : 0) == MAP_FAILED) {
			tc_fail(i, "mmap", errno, 0);
		}
		if (!tc_touch(addr))
			tc_fail(i, "fault", 0, SIGBUS);
		pagemap(i, addr);
		check_node(i, addr, node);
		tc.r->mapped = i + 1;
		/* The fd stays open, as DPDK keeps it. */
	}
}

/*
 * dynamic, single-file and in-memory: every memseg list reserved first,
 * then the pages of each size, largest first, into its own lists.
 */
void trial_dpdk_pages(void)
{
	const struct need *need = tc.o->need;
	uint64_t done = 0, reserved = 0;
	char **lists;

	lists = calloc(need->lists ? need->lists : 1, sizeof(*lists));
	if (!lists)
		tc_fail(0, "calloc", ENOMEM, 0);
	dpdk_metadata(need->mode != MODE_IN_MEMORY);
	for (size_t k = 0; k < need->nr_sizes; k++) {
		tc.s = &need->sizes[k];
		for (uint64_t l = 0; l < tc.s->lists && reserved < need->lists; l++)
			lists[reserved++] = reserve(tc.s->list_va);
	}
	/* The lists of the sizes it takes no page of. */
	tc.s = &need->sizes[0];
	for (uint64_t l = reserved; l < need->lists; l++)
		lists[l] = reserve(need->list_va);
	pagemap(0, lists[0]);
	reserved = 0;
	for (size_t k = 0; k < need->nr_sizes; k++) {
		tc.s = &need->sizes[k];
		if (tc.s->pages)
			map_size(lists + reserved, done);
		reserved += tc.s->lists;
		done += tc.s->pages;
	}
	free(lists);
}

/* The file behind a mapping, opened again as DPDK reopens it by name
 * (which an unlinked file has no more).  Needs CAP_SYS_ADMIN. */
static int reopen(void *addr, uint64_t len)
{
	char path[80];

	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx",
		 (unsigned long)(uintptr_t)addr,
		 (unsigned long)((uintptr_t)addr + len));
	return open(path, O_RDWR | O_CLOEXEC);
}

/*
 * Maps page I again at DST from its file, as DPDK reopens the file by name;
 * KEEP: the fd stays open (22.11's remap) or is closed (16.04's second pass).
 */
static void remap(uint64_t i, char *orig, int fd, char *dst, bool keep,
		  const char *open_call, const char *map_call)
{
	int f = fd >= 0 ? fd : reopen(orig, tc.s->page_size);

	if (f < 0)
		tc_fail(i, open_call, errno, 0);
	if (mmap(dst, tc.s->page_size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_POPULATE | MAP_FIXED, f, 0) == MAP_FAILED)
		tc_fail(i, map_call, errno, 0);
	if (!keep && fd < 0)
		close(f);
}

/* legacy: map every free page first, keep what is asked, remap it. */
void trial_dpdk_legacy(void)
{
	const uint64_t ps = tc.o->need->page_size;
	const bool old = tc.o->need->dpdk_version && tc.o->need->dpdk_version < 1805;
	uint64_t want = tc.o->need->legacy_free > tc.o->need->pages ? tc.o->need->legacy_free : tc.o->need->pages;
	char **orig = calloc(want ? want : 1, sizeof(*orig));
	int *fds = calloc(want ? want : 1, sizeof(*fds));
	char stop_call[24] = "";
	int stop_err = 0, stop_sig = 0;
	bool can_reopen = false;
	uint64_t n = 0;
	char *region = NULL;

	if (!orig || !fds)
		tc_fail(0, "calloc", ENOMEM, 0);
	tc.r->peak_pages = want;
	if (!old) {
		dpdk_metadata(true);
		for (uint64_t l = 0; l < tc.o->need->lists; l++)
			region = reserve(tc.o->need->list_va);
	}
	/* Phase 1: every page at an address of the kernel's choosing. */
	for (; n < want; n++) {
		int fd = tc_page_file(tc.s->app_dir);
		void *p;

		if (fd < 0) {
			snprintf(stop_call, sizeof(stop_call), "open");
			stop_err = errno;
			break;
		}
		if (ftruncate(fd, (off_t)ps) < 0) {
			snprintf(stop_call, sizeof(stop_call), "ftruncate");
			stop_err = errno;
			close(fd);
			break;
		}
		p = mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
		if (p == MAP_FAILED) {
			snprintf(stop_call, sizeof(stop_call), "mmap");
			stop_err = errno;
			close(fd);
			break;
		}
		if (!tc_touch(p)) {
			snprintf(stop_call, sizeof(stop_call), "fault");
			stop_sig = SIGBUS;
			munmap(p, ps);
			close(fd);
			break;
		}
		orig[n] = p;
		/* DPDK closes the file now and reopens it later by name. */
		if (n == 0) {
			int again = reopen(p, ps);

			can_reopen = again >= 0;
			if (again >= 0)
				close(again);
			else
				snprintf(tc.r->note, sizeof(tc.r->note), "without CAP_SYS_ADMIN "
					 "the page files stay open through the first "
					 "pass (DPDK closes and reopens them)");
		}
		if (can_reopen) {
			close(fd);
			fd = -1;
		}
		fds[n] = fd;
		tc.r->mapped = n + 1;
	}
	/* Before 18.05 any failure was fatal; later it shortens the count. */
	if (n < want && (old || n < tc.o->need->pages))
		tc_fail(n, stop_call[0] ? stop_call : "count", stop_err, stop_sig);
	if (old) {
		/* Every page mapped a second time before the first go. */
		char *second = reserve_aligned(n * ps);

		if (!second)
			tc_fail(n, "mmap", errno, 0);
		for (uint64_t i = 0; i < n; i++)
			remap(i, orig[i], fds[i], second + i * ps, false, "open", "mmap");
		for (uint64_t i = 0; i < n; i++)
			munmap(orig[i], ps);
		free(orig);
		free(fds);
		return;
	}
	/* The page table shared with secondaries (hugepage_data). */
	if (mmap(NULL, 4136 * n + 4096, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
		tc_fail(n, "mmap (hugepage_data)", errno, 0);
	/* Phase 3 and 4: drop the surplus, move the rest into the lists. */
	for (uint64_t i = tc.o->need->pages; i < n; i++) {
		munmap(orig[i], ps);
		if (fds[i] >= 0)
			close(fds[i]);
	}
	for (uint64_t i = 0; i < tc.o->need->pages && region; i++) {
		/* Reopened, mapped into the list, and the fd kept. */
		remap(i, orig[i], fds[i], region + i * ps, true, "open (remap)",
		      "mmap (remap)");
		munmap(orig[i], ps);
	}
	free(orig);
	free(fds);
}