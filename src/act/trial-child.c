// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trial-child.c - the child of a trial (see trial.h): it follows the
 * consumer's own sequence of calls, stops at the first failure, and writes
 * where it stopped and the counters of that instant into memory it shares
 * with hpdiag.  Page files are created with O_TMPFILE (or unlinked the
 * moment they are opened), so they vanish with the child; it dies with its
 * parent (PR_SET_PDEATHSIG) and after a timeout, so a killed hpdiag leaves
 * the pool as it found it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/memfd.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>

#include "act/trial.h"
#include "lib/live.h"
#include "lib/mempolicy.h"
#include "lib/pathnames.h"
#include "lib/proc.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#ifndef SHM_HUGE_SHIFT
#define SHM_HUGE_SHIFT 26
#endif

static struct trial_result *R;
static const struct trial_opts *O;
static const struct need_size *S;	/* the size being mapped */
static sigjmp_buf bus_jmp;
static volatile sig_atomic_t in_touch;
static unsigned tmp_seq;
static int spare_fd = -1;	/* freed at a failure, to read the counters */
static char *hog;		/* the baseline VMAs, freed likewise */
static uint64_t hog_len;
static struct trial_own own;	/* the program's own data, freed likewise */

/* The process's own fds, less the one the count itself holds open. */
static uint64_t count_fds(void)
{
	uint64_t n = live_count_entries("/proc/self/fd");

	return n ? n - 1 : 0;
}

static uint64_t soft(int res)
{
	struct rlimit rl;

	if (getrlimit(res, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return UINT64_MAX;
	return rl.rlim_cur;
}

static int node_of_page(uint64_t i);

static void take_counters(struct trace_counters *c)
{
	struct proc_status st;
	char path[128];
	struct statfs sfs;
	int node = -1;

	/* Free pages first: another user of the pool (a second trial, the
	 * application) may give its pages back a moment later.  Pages
	 * reserved for someone's mapping are free but not to be had. */
	c->page_size = S->page_size;
	pool_file(path, sizeof(path), S->page_size, -1, "free_hugepages");
	c->free_pages = live_read_number(path);
	pool_file(path, sizeof(path), S->page_size, -1, "resv_hugepages");
	c->free_pages = hp_sat_sub(c->free_pages, live_read_number(path));
	/* The VMA count next, with no allocation; then the baseline VMAs go,
	 * so that what follows (opendir allocates) has room. */
	c->vmas = live_count_lines("/proc/self/maps");
	if (live_status(0, &st) == 0)
		c->vm_size = st.vm_size;
	if (hog) {
		munmap(hog, hog_len);
		hog = NULL;
	}
	trial_drop_own(&own);
	c->fds = count_fds();
	/* The node of the page that failed, when pages are placed. */
	if (S->nr_nodes && R->failed)
		node = node_of_page(R->page);
	c->max_map_count = live_read_number(PATH_MAX_MAP_COUNT);
	if (live_status(0, &st) == 0)
		c->hugetlb_bytes = st.hugetlb_bytes;
	c->node = node;
	if (node >= 0) {
		pool_file(path, sizeof(path), S->page_size, node, "free_hugepages");
		c->node_free_pages = live_read_number(path);
	}
	c->quota_free = UINT64_MAX;
	if (S->app_dir && statfs(S->app_dir, &sfs) == 0 && sfs.f_blocks)
		c->quota_free = sfs.f_bfree;
	c->rlim_as = soft(RLIMIT_AS);
	c->rlim_data = soft(RLIMIT_DATA);
	c->rlim_nofile = soft(RLIMIT_NOFILE);
	c->rlim_memlock = soft(RLIMIT_MEMLOCK);
	c->cg_usage = O->cg_usage ? live_read_number(O->cg_usage) : UINT64_MAX;
	c->cg_rsvd_usage = O->cg_rsvd_usage ? live_read_number(O->cg_rsvd_usage) :
			   UINT64_MAX;
}

/* Records the first failure and ends the child. */
static void __attribute__((noreturn)) fail(uint64_t page, const char *call, int err, int sig)
{
	if (spare_fd >= 0)
		close(spare_fd);
	R->failed = true;
	R->page = page;
	snprintf(R->fail.call, sizeof(R->fail.call), "%s", call);
	R->fail.err = err;
	R->fail.sig = sig;
	take_counters(&R->fail.at);
	_exit(2);
}

static void on_bus(int sig)
{
	if (in_touch)
		siglongjmp(bus_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Faults the page in, as DPDK does, catching SIGBUS (a refused charge).  The
 * signal mask is not saved (a syscall per page): after a SIGBUS the trial
 * stops anyway.
 */
static bool touch(volatile char *p)
{
	if (!p)
		return false;
	if (sigsetjmp(bus_jmp, 0)) {
		in_touch = 0;
		return false;
	}
	in_touch = 1;
	/* cppcheck-suppress selfAssignment ; volatile: the read and the
	 * write fault the page in, as DPDK's touch does. */
	p[0] = p[0];
	in_touch = 0;
	return true;
}

/* The VMAs the application holds before it maps memory. */
static void take_vmas(uint64_t want)
{
	uint64_t have = live_count_lines("/proc/self/maps");
	long page = sysconf(_SC_PAGESIZE);
	uint64_t n;
	char *base;

	if (want <= have)
		return;
	n = want - have;
	base = mmap(NULL, n * (uint64_t)page, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		fail(0, "mmap (baseline)", errno, 0);
	hog = base;
	hog_len = n * (uint64_t)page;
	for (uint64_t i = 1; i < n; i += 2)
		if (mprotect(base + i * (uint64_t)page, (size_t)page, PROT_READ) < 0)
			fail(0, "mprotect (baseline)", errno, 0);
}

/* The fds the application holds before it maps memory; one of them is the
 * spare that lets the child read its counters when it runs out. */
static void take_fds(uint64_t want)
{
	uint64_t have = count_fds();

	spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	for (have++; have < want; have++)
		if (open("/dev/null", O_RDONLY | O_CLOEXEC) < 0)
			fail(0, "open (baseline)", errno, 0);
}

/* A page file that has no name: nothing to leave behind. */
static int page_file(void)
{
	char path[4200];
	int fd;

	fd = open(S->app_dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	/* No O_TMPFILE: a name, unlinked at once. */
	snprintf(path, sizeof(path), "%s/hpdiag-trial.%d.%u", S->app_dir, (int)getpid(),
		 tmp_seq++);
	fd = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		unlink(path);
	return fd;
}

/* DPDK's shared config, memzone array and list fbarrays: a file each. */
static void dpdk_metadata(bool files)
{
	static const size_t sizes[2] = { 0x7000, 0x2e000 };

	for (uint64_t i = 0; i < 2 + O->need->lists - (files ? 0 : 1); i++) {
		size_t len = i < 2 ? sizes[i] : 0x61000;
		int fd = -1;
		void *p;

		if (files) {
			fd = memfd_create("hpdiag-fbarray", MFD_CLOEXEC);
			if (fd < 0)
				fail(0, "memfd_create (config)", errno, 0);
			if (ftruncate(fd, (off_t)len) < 0)
				fail(0, "ftruncate (config)", errno, 0);
		}
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | (files ? 0 : MAP_ANONYMOUS), fd, 0);
		if (p == MAP_FAILED)
			fail(0, "mmap (config)", errno, 0);
	}
}

/*
 * Address space for LEN bytes, aligned to the page size as DPDK aligns its
 * reservations: a hugepage mapped MAP_FIXED into an unaligned hole fails
 * with EINVAL (1 GiB pages are rarely 1 GiB-aligned by chance).
 */
static char *reserve_aligned(uint64_t len)
{
	const uint64_t align = S->page_size;
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
		fail(0, "mmap (reserve)", errno, 0);
	return p;
}

/* The node page I should land on, as --socket-mem asks. */
static int node_of_page(uint64_t i)
{
	uint64_t acc = 0;

	for (size_t n = 0; n < S->nr_nodes; n++) {
		acc += S->pages_per_node[n];
		if (i < acc)
			return (int)n;
	}
	return -1;
}

static void check_node(uint64_t i, void *addr, int want)
{
	int got;

	if (want < 0)
		return;
	got = numa_node_of(addr);
	if (got >= 0 && got != want)
		fail(i, "node", 0, 0);
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
			fail(i, "open (pagemap)", errno, 0);
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
	const uint64_t ps = S->page_size;
	const uint64_t per_list = S->list_va / ps;
	int list_fd = -1;
	bool memfd_ok = true;

	for (uint64_t k = 0; k < S->pages; k++) {
		uint64_t i = first + k;
		uint64_t l = per_list ? k / per_list : 0, slot = per_list ? k % per_list : k;
		char *addr = lists[l < S->lists ? l : 0] + slot * ps;
		int node = node_of_page(k), fd;

		if (node >= 0 && numa_prefer(node) < 0 && !R->note[0])
			snprintf(R->note, sizeof(R->note), "libnuma is not available: "
				 "pages were placed by the kernel, their node not checked");
		if (O->need->mode == MODE_SINGLE_FILE) {
			if (slot == 0) {
				list_fd = page_file();
				if (list_fd < 0)
					fail(i, "open", errno, 0);
			}
			fd = list_fd;
			if (fallocate(fd, 0, (off_t)(slot * ps), (off_t)ps) < 0)
				fail(i, "fallocate", errno, 0);
		} else if (O->need->mode == MODE_IN_MEMORY && memfd_ok) {
			unsigned shift = (unsigned)__builtin_ctzll(ps);

			fd = memfd_create("hpdiag-seg", MFD_CLOEXEC | MFD_HUGETLB |
					  (shift << MFD_HUGE_SHIFT));
			if (fd < 0 && errno == EINVAL && k == 0) {
				memfd_ok = false;
			} else if (fd < 0) {
				fail(i, "memfd_create", errno, 0);
			} else if (ftruncate(fd, (off_t)ps) < 0) {
				fail(i, "ftruncate", errno, 0);
			}
		} else {
			fd = page_file();
			if (fd < 0)
				fail(i, "open", errno, 0);
			if (ftruncate(fd, (off_t)ps) < 0)
				fail(i, "ftruncate", errno, 0);
		}
		if (O->need->mode == MODE_IN_MEMORY && !memfd_ok) {
			unsigned shift = (unsigned)__builtin_ctzll(ps);

			if (mmap(addr, ps, PROT_READ | PROT_WRITE, MAP_PRIVATE |
				 MAP_ANONYMOUS | MAP_HUGETLB | MAP_FIXED |
				 ((int)shift << MAP_HUGE_SHIFT), -1, 0) == MAP_FAILED)
				fail(i, "mmap", errno, 0);
		} else if (mmap(addr, ps, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_POPULATE | MAP_FIXED, fd,
				O->need->mode == MODE_SINGLE_FILE ? (off_t)(slot * ps) : 0) == MAP_FAILED) {
			fail(i, "mmap", errno, 0);
		}
		if (!touch(addr))
			fail(i, "fault", 0, SIGBUS);
		pagemap(i, addr);
		check_node(i, addr, node);
		R->mapped = i + 1;
		/* The fd stays open, as DPDK keeps it. */
	}
}

/*
 * dynamic, single-file and in-memory: every memseg list reserved first,
 * then the pages of each size, largest first, into its own lists.
 */
static void run_dpdk_pages(void)
{
	const struct need *need = O->need;
	uint64_t done = 0, reserved = 0;
	char **lists;

	lists = calloc(need->lists ? need->lists : 1, sizeof(*lists));
	if (!lists)
		fail(0, "calloc", ENOMEM, 0);
	dpdk_metadata(need->mode != MODE_IN_MEMORY);
	for (size_t k = 0; k < need->nr_sizes; k++) {
		S = &need->sizes[k];
		for (uint64_t l = 0; l < S->lists && reserved < need->lists; l++)
			lists[reserved++] = reserve(S->list_va);
	}
	/* The lists of the sizes it takes no page of. */
	S = &need->sizes[0];
	for (uint64_t l = reserved; l < need->lists; l++)
		lists[l] = reserve(need->list_va);
	pagemap(0, lists[0]);
	reserved = 0;
	for (size_t k = 0; k < need->nr_sizes; k++) {
		S = &need->sizes[k];
		if (S->pages)
			map_size(lists + reserved, done);
		reserved += S->lists;
		done += S->pages;
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
	int f = fd >= 0 ? fd : reopen(orig, S->page_size);

	if (f < 0)
		fail(i, open_call, errno, 0);
	if (mmap(dst, S->page_size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_POPULATE | MAP_FIXED, f, 0) == MAP_FAILED)
		fail(i, map_call, errno, 0);
	if (!keep && fd < 0)
		close(f);
}

/* legacy: map every free page first, keep what is asked, remap it. */
static void run_legacy(void)
{
	const uint64_t ps = O->need->page_size;
	const bool old = O->need->dpdk_version && O->need->dpdk_version < 1805;
	uint64_t want = O->need->legacy_free > O->need->pages ? O->need->legacy_free : O->need->pages;
	char **orig = calloc(want ? want : 1, sizeof(*orig));
	int *fds = calloc(want ? want : 1, sizeof(*fds));
	char stop_call[24] = "";
	int stop_err = 0, stop_sig = 0;
	bool can_reopen = false;
	uint64_t n = 0;
	char *region = NULL;

	if (!orig || !fds)
		fail(0, "calloc", ENOMEM, 0);
	R->peak_pages = want;
	if (!old) {
		dpdk_metadata(true);
		for (uint64_t l = 0; l < O->need->lists; l++)
			region = reserve(O->need->list_va);
	}
	/* Phase 1: every page at an address of the kernel's choosing. */
	for (; n < want; n++) {
		int fd = page_file();
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
		if (!touch(p)) {
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
				snprintf(R->note, sizeof(R->note), "without CAP_SYS_ADMIN "
					 "the page files stay open through the first "
					 "pass (DPDK closes and reopens them)");
		}
		if (can_reopen) {
			close(fd);
			fd = -1;
		}
		fds[n] = fd;
		R->mapped = n + 1;
	}
	/* Before 18.05 any failure was fatal; later it shortens the count. */
	if (n < want && (old || n < O->need->pages))
		fail(n, stop_call[0] ? stop_call : "count", stop_err, stop_sig);
	if (old) {
		/* Every page mapped a second time before the first go. */
		char *second = reserve_aligned(n * ps);

		if (!second)
			fail(n, "mmap", errno, 0);
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
		fail(n, "mmap (hugepage_data)", errno, 0);
	/* Phase 3 and 4: drop the surplus, move the rest into the lists. */
	for (uint64_t i = O->need->pages; i < n; i++) {
		munmap(orig[i], ps);
		if (fds[i] >= 0)
			close(fds[i]);
	}
	for (uint64_t i = 0; i < O->need->pages && region; i++) {
		/* Reopened, mapped into the list, and the fd kept. */
		remap(i, orig[i], fds[i], region + i * ps, true, "open (remap)",
		      "mmap (remap)");
		munmap(orig[i], ps);
	}
	free(orig);
	free(fds);
}

static void run_anon_shm(void)
{
	const uint64_t ps = O->need->page_size;
	unsigned shift = (unsigned)__builtin_ctzll(ps);
	uint64_t len = O->need->pages * ps;
	char *p;

	if (O->need->mode == MODE_ANON) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS |
			 MAP_HUGETLB | ((int)shift << MAP_HUGE_SHIFT), -1, 0);
		if (p == MAP_FAILED)
			fail(0, "mmap", errno, 0);
	} else {
		int id = shmget(IPC_PRIVATE, len, IPC_CREAT | SHM_HUGETLB | 0600 |
				((int)shift << SHM_HUGE_SHIFT));

		if (id < 0)
			fail(0, "shmget", errno, 0);
		p = shmat(id, NULL, 0);
		/* Destroyed when the last process detaches: this one, at exit. */
		shmctl(id, IPC_RMID, NULL);
		if (p == (void *)-1)
			fail(0, "shmat", errno, 0);
	}
	for (uint64_t i = 0; i < O->need->pages; i++) {
		if (!touch(p + i * ps))
			fail(i, "fault", 0, SIGBUS);
		R->mapped = i + 1;
	}
}

void trial_child(pid_t parent, const struct trial_opts *o, struct trial_result *r)
{
	struct sigaction sa;

	O = o;
	R = r;
	/* Legacy and one-mapping modes map the workload's own page size. */
	S = need_size_of(o->need, o->need->page_size);

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(3);
	alarm(O->timeout ? O->timeout : 300);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_bus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	if (trial_set_limits(O->rlimits) < 0)
		fail(0, "setrlimit", errno, 0);
	if (O->need->raises_nofile) {
		struct rlimit rl;

		/* As DPDK's memory init does. */
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	{
		const char *call;
		uint64_t len;
		int rc = trial_take_own(O->need->data_bytes, O->need->baseline_va, &own,
					&call, &len);

		if (rc < 0) {
			R->fail.args[1] = len;
			R->fail.nr_args = 2;
			fail(0, call, -rc, 0);
		}
	}
	if (O->own_only) {
		/* Nowhere for page files: the program's start is all to try. */
		R->ok = true;
		_exit(0);
	}
	take_vmas(O->need->baseline_vmas);
	take_fds(O->need->baseline_fds);
	R->baseline_vmas = live_count_lines("/proc/self/maps");
	switch (O->need->mode) {
	case MODE_LEGACY:
		run_legacy();
		break;
	case MODE_ANON:
	case MODE_SHM:
		run_anon_shm();
		break;
	default:
		run_dpdk_pages();
		break;
	}
	R->ok = true;
	take_counters(&R->fail.at);
	_exit(0);
}

