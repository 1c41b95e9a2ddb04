// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * need-data.c - the program's own private writable memory and address
 * space (struct need_data in need.h): from its ELF objects when the
 * command line was given (check, trial and exec -- COMMAND), from a
 * running process (--pid), or the default, which is dpdk-testpmd's, as
 * measured here.  Then DPDK's threads: each has a stack of RLIMIT_STACK
 * bytes (glibc's default size), private and writable, so counted by
 * RLIMIT_DATA.  Pure.
 *
 * Measured on Debian 12, DPDK 22.11.11, RLIMIT_STACK 8 MiB, 2 CPUs:
 * `prlimit --data=N dpdk-test -l 0 --no-pci --no-telemetry -m 256` is
 * killed by SIGSEGV up to N = 218 MiB (the kernel cannot map its 218.5 MiB
 * .bss), the loader refuses a library up to 224 MiB, a plug-in fails to
 * load up to 228 MiB, the interrupt thread up to 236, the multi-process
 * thread up to 244, the hugepage discovery at 245, and it starts at 246;
 * running, it holds VmData 244.9 MiB with 3 threads.  dpdk-testpmd -l 0-1
 * starts at 44 MiB (not at 43: the telemetry thread) and holds VmData
 * 51.3 MiB with 6 threads; the legacy telemetry thread is the one it
 * starts without.
 */
#include <string.h>

#include "model/need.h"
#include "probe/program.h"

/*
 * The allocations a DPDK application makes up to its memory init beyond
 * what its objects and thread stacks hold (the loader's, EAL's
 * configuration, the hugepage discovery).  With the objects and stacks
 * counted, dpdk-test's thresholds above leave more than 0.95 MiB for them
 * (it stops at the discovery under 245 MiB) and testpmd's at most 1.47
 * MiB (it starts under 44 MiB): 1.25 MiB.
 */
#define START_HEAP		(1280ULL << 10)
/* The default program: dpdk-testpmd of Debian's DPDK 22.11.11, as
 * `hpdiag check -- dpdk-testpmd` reads it (its objects and 130 plug-ins),
 * with the 2 lcores (-l 0-1) it was measured with. */
#define DEFAULT_OWN		(716ULL << 10)
#define DEFAULT_LIBRARIES	(7296ULL << 10)
#define DEFAULT_RELRO		(508ULL << 10)
#define DEFAULT_RUNTIME		(3140ULL << 10)
#define DEFAULT_TLS		9357
#define DEFAULT_OBJECTS		68
#define DEFAULT_RUNTIME_OBJECTS	131
#define DEFAULT_LCORES		2
/* glibc's thread stack: RLIMIT_STACK, else 2 MiB when it is unlimited
 * (x86_64), at least 16 KiB; 8 MiB when the limit is not known (Linux's
 * default). */
#define STACK_UNLIMITED		(2ULL << 20)
#define STACK_MIN		(16ULL << 10)
#define STACK_UNKNOWN		(8ULL << 20)

static uint64_t thread_stack(const struct snapshot *snap)
{
	uint64_t s = snap->lim.rlimits[RL_STACK].soft;
	uint64_t page = snap->meta.base_page_size ? snap->meta.base_page_size : 4096;

	if (s == HP_UNLIMITED)
		return STACK_UNLIMITED;
	if (!s)
		return STACK_UNKNOWN;
	s = hp_max(s, STACK_MIN);
	return hp_div_up(s, page) * page;
}

/* The CPUs DPDK takes for lcores when none is named: all of them. */
static unsigned host_cpus(const struct snapshot *snap)
{
	unsigned n = 0;

	for (size_t i = 0; i < snap->nr_nodes; i++)
		n += snap->nodes[i].nr_cpus;
	return n ? n : 1;
}

/* DPDK 22.11's threads: the interrupt thread and (with shared config) the
 * multi-process one early, in rte_eal_init; after the memory init one per
 * lcore but the main one, and telemetry's (the legacy one optional). */
static void dpdk_threads(const struct snapshot *snap, const struct workload *wl,
			 struct need *need, unsigned default_lcores)
{
	struct need_data *d = &need->data;
	unsigned lcores = wl->have_lcores ? wl->lcores : default_lcores ? default_lcores :
			  host_cpus(snap);
	bool shconf = !wl->no_shconf && need->mode != MODE_IN_MEMORY;

	d->stack = thread_stack(snap);
	d->early_threads = 1 + shconf;
	d->late_threads = (lcores ? lcores - 1 : 0) + !wl->no_telemetry;
	d->optional_threads = !wl->no_telemetry;
}

void need_program(const struct snapshot *snap, const struct workload *wl,
		  struct need *need)
{
	const struct program *prog = wl->program;
	struct need_data *d = &need->data;
	bool dpdk = mode_is_dpdk(need->mode);

	memset(d, 0, sizeof(*d));
	need->baseline_va = DEFAULT_BASELINE_VA;
	if (prog) {
		d->known = true;
		d->from = "program";
		d->program = prog->path;
		d->app = wl->app;
		d->app_why = wl->app_why;
		d->objects = prog->nr_start;
		d->runtime_objects = prog->image.n - prog->nr_start;
		d->plugin_dir = prog->plugin_dir;
		d->own = prog->own_rw;
		d->libraries = prog->start_rw;
		d->relro = prog->start_relro;
		d->runtime = prog->runtime_rw;
		d->tls = prog->tls;
		d->heap = START_HEAP;
		d->va_load = prog->start_map;
		if (dpdk && !prog->is_static)
			dpdk_threads(snap, wl, need, 0);
		need->baseline_va = hp_sat_add(hp_sat_add(prog->start_map, prog->runtime_map),
			hp_sat_add(d->heap, d->stack * (d->early_threads + d->late_threads +
							 d->optional_threads)));
	} else if (wl->pid) {
		/* A running instance holds what it needs already. */
		d->known = snap->lim.st.have_vm;
		d->from = "--pid";
		d->heap = snap->lim.st.vm_data;
		if (snap->lim.st.have_vm)
			need->baseline_va = snap->lim.st.vm_size;
	} else if (dpdk) {
		d->known = true;
		d->from = "default for a DPDK application: dpdk-testpmd -l 0-1, measured";
		d->app = "dpdk";
		d->objects = DEFAULT_OBJECTS;
		d->runtime_objects = DEFAULT_RUNTIME_OBJECTS;
		d->own = DEFAULT_OWN;
		d->libraries = DEFAULT_LIBRARIES;
		d->relro = DEFAULT_RELRO;
		d->runtime = DEFAULT_RUNTIME;
		d->tls = DEFAULT_TLS;
		d->heap = START_HEAP;
		dpdk_threads(snap, wl, need, DEFAULT_LCORES);
	}
}

void need_data_total(struct need *need)
{
	struct need_data *d = &need->data;

	if (!d->known) {
		need->data_bytes = 0;
		return;
	}
	d->at_load = hp_sat_add(hp_sat_add(d->own, d->libraries), d->tls);
	/* The start's RELRO is read-only before the first plug-in loads. */
	d->at_plugins = d->runtime ? hp_sat_add(hp_sat_sub(d->at_load, d->relro), d->runtime) : 0;
	d->at_memory = hp_sat_add(hp_sat_add(hp_sat_sub(d->at_load, d->relro), d->runtime),
				  hp_sat_add(d->heap, d->stack * d->early_threads));
	d->total = hp_sat_add(hp_sat_add(d->at_memory, d->model), d->stack * d->late_threads);
	need->data_bytes = hp_max(hp_max(d->at_load, d->at_plugins), d->total);
}
