// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trial-own.c - what a trial's child takes first, as the application has
 * it before its memory init (see trial.h): the limits a wrapper in front
 * of it sets (prlimit --data=...), and its own memory - the private data
 * its ELF objects, plug-ins and thread stacks make (what RLIMIT_DATA
 * counts), mapped writable and never touched, then the rest of its
 * address space.  A limit the program itself does not fit under fails
 * here, before any hugepage, as it fails the program before it runs.
 */
#include <errno.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "act/trial.h"
#include "lib/live.h"
#include "lib/proc.h"

int trial_set_limits(const struct workload_rlimit *rl)
{
	static const int res[RL_COUNT] = {
		[RL_DATA] = RLIMIT_DATA, [RL_AS] = RLIMIT_AS, [RL_MEMLOCK] = RLIMIT_MEMLOCK,
		[RL_NOFILE] = RLIMIT_NOFILE, [RL_STACK] = RLIMIT_STACK,
	};

	for (int i = 0; rl && i < RL_COUNT; i++) {
		struct rlimit cur;

		if ((!rl[i].soft_set && !rl[i].hard_set) || getrlimit(res[i], &cur) < 0)
			continue;
		if (rl[i].soft_set)
			cur.rlim_cur = rl[i].soft == HP_UNLIMITED ? RLIM_INFINITY : rl[i].soft;
		if (rl[i].hard_set)
			cur.rlim_max = rl[i].hard == HP_UNLIMITED ? RLIM_INFINITY : rl[i].hard;
		if (setrlimit(res[i], &cur) < 0)
			return -1;
	}
	return 0;
}

static uint64_t page_up(uint64_t v)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	return (v + page - 1) & ~(page - 1);
}

int trial_take_own(uint64_t data, uint64_t va, struct trial_own *own,
		   const char **call, uint64_t *len)
{
	struct proc_status st;
	uint64_t d, rest;

	own->data = NULL;
	own->len = 0;
	if (live_status(0, &st) < 0)
		return 0;	/* nothing to measure against: take nothing */
	/* What hpdiag's own objects and heap hold counts as the program's. */
	d = page_up(hp_sat_sub(data, st.vm_data));
	if (d) {
		void *p = mmap(NULL, d, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED) {
			*call = "mmap (data)";
			*len = d;
			return -errno;
		}
		own->data = p;
		own->len = d;
	}
	rest = page_up(hp_sat_sub(va, hp_sat_add(st.vm_size, d)));
	if (rest && mmap(NULL, rest, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			 -1, 0) == MAP_FAILED) {
		*call = "mmap (program)";
		*len = rest;
		return -errno;
	}
	return 0;
}

void trial_drop_own(struct trial_own *own)
{
	if (own->data)
		munmap(own->data, own->len);
	own->data = NULL;
	own->len = 0;
}
