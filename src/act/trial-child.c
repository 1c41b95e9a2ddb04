// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trial-child.c - the child of a trial (see trial.h): it sets the
 * application's limits and takes what the application holds before its
 * memory init, then follows the consumer's own sequence of calls (DPDK's:
 * trial-dpdk.c; PostgreSQL's, a JVM's, QEMU's: trial-app.c), stops at the
 * first failure, and writes where it stopped and the counters of that
 * instant into memory it shares with hpdiag.  Page files are created with
 * O_TMPFILE (or unlinked the moment they are opened), so they vanish with
 * the child; it dies with its parent (PR_SET_PDEATHSIG) and after a
 * timeout, so a killed hpdiag leaves the pool as it found it.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/statfs.h>

#include "act/trial-child.h"
#include "act/trial.h"
#include "lib/live.h"
#include "lib/pathnames.h"
#include "lib/proc.h"

struct trial_child tc;

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

void tc_counters(struct trace_counters *c, bool release)
{
	const char *qdir = tc.quota_dir ? tc.quota_dir : tc.s->app_dir;
	struct proc_status st;
	char path[128];
	struct statfs sfs;
	int node = -1;

	/* Free pages first: another user of the pool (a second trial, the
	 * application) may give its pages back a moment later.  Pages
	 * reserved for someone's mapping are free but not to be had. */
	c->page_size = tc.s->page_size;
	pool_file(path, sizeof(path), tc.s->page_size, -1, "free_hugepages");
	c->free_pages = live_read_number(path);
	pool_file(path, sizeof(path), tc.s->page_size, -1, "resv_hugepages");
	c->free_pages = hp_sat_sub(c->free_pages, live_read_number(path));
	/* The VMA count next, with no allocation; then the baseline VMAs go,
	 * so that what follows (opendir allocates) has room. */
	c->vmas = live_count_lines("/proc/self/maps");
	if (live_status(0, &st) == 0)
		c->vm_size = st.vm_size;
	if (release && hog) {
		munmap(hog, hog_len);
		hog = NULL;
	}
	if (release)
		trial_drop_own(&own);
	c->fds = count_fds();
	/* The node of the page that failed, when pages are placed. */
	if (tc.s->nr_nodes && tc.r->failed)
		node = tc_node_of_page(tc.r->page);
	c->max_map_count = live_read_number(PATH_MAX_MAP_COUNT);
	if (live_status(0, &st) == 0)
		c->hugetlb_bytes = st.hugetlb_bytes;
	c->node = node;
	if (node >= 0) {
		pool_file(path, sizeof(path), tc.s->page_size, node, "free_hugepages");
		c->node_free_pages = live_read_number(path);
	}
	c->quota_free = UINT64_MAX;
	if (qdir && statfs(qdir, &sfs) == 0 && sfs.f_blocks)
		c->quota_free = sfs.f_bfree;
	c->rlim_as = soft(RLIMIT_AS);
	c->rlim_data = soft(RLIMIT_DATA);
	c->rlim_nofile = soft(RLIMIT_NOFILE);
	c->rlim_memlock = soft(RLIMIT_MEMLOCK);
	c->cg_usage = tc.o->cg_usage ? live_read_number(tc.o->cg_usage) : UINT64_MAX;
	c->cg_rsvd_usage = tc.o->cg_rsvd_usage ? live_read_number(tc.o->cg_rsvd_usage) :
			   UINT64_MAX;
}

/* Records the first failure and ends the child. */
void tc_fail(uint64_t page, const char *call, int err, int sig)
{
	if (spare_fd >= 0)
		close(spare_fd);
	tc.r->failed = true;
	tc.r->page = page;
	snprintf(tc.r->fail.call, sizeof(tc.r->fail.call), "%s", call);
	tc.r->fail.err = err;
	tc.r->fail.sig = sig;
	tc_counters(&tc.r->fail.at, true);
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
bool tc_touch(volatile char *p)
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
		tc_fail(0, "mmap (baseline)", errno, 0);
	hog = base;
	hog_len = n * (uint64_t)page;
	for (uint64_t i = 1; i < n; i += 2)
		if (mprotect(base + i * (uint64_t)page, (size_t)page, PROT_READ) < 0)
			tc_fail(0, "mprotect (baseline)", errno, 0);
}

/* The fds the application holds before it maps memory; one of them is the
 * spare that lets the child read its counters when it runs out. */
static void take_fds(uint64_t want)
{
	uint64_t have = count_fds();

	spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	for (have++; have < want; have++)
		if (open("/dev/null", O_RDONLY | O_CLOEXEC) < 0)
			tc_fail(0, "open (baseline)", errno, 0);
}

/* A page file in DIR that has no name: nothing to leave behind. */
int tc_page_file(const char *dir)
{
	char path[4200];
	int fd;

	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	/* No O_TMPFILE: a name, unlinked at once. */
	snprintf(path, sizeof(path), "%s/hpdiag-trial.%d.%u", dir, (int)getpid(),
		 tmp_seq++);
	fd = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		unlink(path);
	return fd;
}

/* The node page I should land on, as --socket-mem asks. */
int tc_node_of_page(uint64_t i)
{
	uint64_t acc = 0;

	for (size_t n = 0; n < tc.s->nr_nodes; n++) {
		acc += tc.s->pages_per_node[n];
		if (i < acc)
			return (int)n;
	}
	return -1;
}
void tc_start(pid_t parent, const struct trial_opts *o, struct trial_result *r)
{
	struct sigaction sa;

	tc.o = o;
	tc.r = r;
	/* Legacy and one-mapping modes map the workload's own page size. */
	tc.s = need_size_of(o->need, o->need->page_size);

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(3);
	alarm(tc.o->timeout ? tc.o->timeout : 300);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_bus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	if (trial_set_limits(tc.o->rlimits) < 0)
		tc_fail(0, "setrlimit", errno, 0);
	if (tc.o->need->raises_nofile) {
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
		int rc = trial_take_own(tc.o->need->data_bytes, tc.o->need->baseline_va, &own,
					&call, &len);

		if (rc < 0) {
			tc.r->fail.args[1] = len;
			tc.r->fail.nr_args = 2;
			tc_fail(0, call, -rc, 0);
		}
	}
	if (tc.o->own_only) {
		/* Nowhere for page files: the program's start is all to try. */
		tc.r->ok = true;
		_exit(0);
	}
	/* A region can merge with a neighbour of the same kind: count again
	 * and top up (hog holds the last region; the earlier ones go with
	 * the child). */
	for (int i = 0; i < 4 && live_count_lines("/proc/self/maps") <
	     tc.o->need->baseline_vmas; i++)
		take_vmas(tc.o->need->baseline_vmas);
	take_fds(tc.o->need->baseline_fds);
	tc.r->baseline_vmas = live_count_lines("/proc/self/maps");
}

void tc_done(void)
{
	tc.r->ok = true;
	/* The peak's counters; a fallback keeps those of its first refusal. */
	if (!tc.r->fell_back)
		tc_counters(&tc.r->fail.at, true);
	_exit(0);
}

