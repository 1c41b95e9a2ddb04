// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rule-limits.c - the rules for the limits of the process itself:
 * vm.max_map_count against its peak VMAs, RLIMIT_NOFILE, RLIMIT_AS and the
 * address space, RLIMIT_DATA, shm and RLIMIT_MEMLOCK (cgroup hugetlb
 * limits: rule-cgroup.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/data.h"
#include "diagnose/remedy.h"
#include "diagnose/rules.h"
#include "lib/pathnames.h"

/* "1060 held before [default] + 10 for DPDK's lists + 32 pages" */
static void vma_breakdown(const struct need *need, char *buf, size_t size)
{
	uint64_t lists = need->vmas_before_pages - need->baseline_vmas;
	uint64_t pages = need->vmas - need->vmas_before_pages;

	if (need->mode == MODE_LEGACY && need->dpdk_version < 1805)
		snprintf(buf, size, "%" PRIu64 " the process holds [%s] + %" PRIu64
			 " free pages mapped twice: DPDK before 18.05 maps the "
			 "whole pool, whatever -m asks", need->baseline_vmas,
			 need->baseline_vmas_from, need->pool_pages);
	else if (need->mode == MODE_LEGACY)
		snprintf(buf, size, "%" PRIu64 " the process holds [%s] + %" PRIu64
			 " for the shared config and %" PRIu64 " memseg lists + %"
			 PRIu64 " for every free page, which legacy mode maps "
			 "first whatever -m asks", need->baseline_vmas,
			 need->baseline_vmas_from, lists, need->lists, pages);
	else if (mode_is_dpdk(need->mode))
		snprintf(buf, size, "%" PRIu64 " the process holds [%s] + %" PRIu64
			 " for the shared config and %" PRIu64 " memseg lists + %"
			 PRIu64 " hugepage mappings", need->baseline_vmas,
			 need->baseline_vmas_from, lists, need->lists, pages);
	else
		snprintf(buf, size, "%" PRIu64 " the process holds [%s] + 1 "
			 "mapping", need->baseline_vmas, need->baseline_vmas_from);
}

void rule_map_count(const struct snapshot *snap, const struct need *need,
		    struct findings *fs)
{
	uint64_t limit = snap->lim.sysctl[SC_MAX_MAP_COUNT].value;
	struct finding *f;
	char why[400];

	vma_breakdown(need, why, sizeof(why));
	if (need->vmas > limit) {
		f = finding_add(fs, CHECK_MAP_COUNT, HP_FAIL, CAUSE_MAP_COUNT_LIMIT,
				"vm.max_map_count is %" PRIu64 ": %" PRIu64
				" VMAs needed (%s); mmap fails with ENOMEM at the "
				"limit", limit, need->vmas, why);
		remedy_map_count(f, remedy_sudo(snap), limit, need->vmas, NULL);
		if (need->vmas_before_pages >= limit)
			dg_set_order(f, STAGE_RESERVE, 0);
		else if (need->mode == MODE_LEGACY)
			dg_set_order(f, STAGE_LEGACY_MAP, 0);
		else
			dg_set_order(f, STAGE_PAGES, limit - need->vmas_before_pages);
	} else if (dg_tight(need->vmas, limit)) {
		f = finding_add(fs, CHECK_MAP_COUNT, HP_WARN, CAUSE_NONE,
				"vm.max_map_count is %" PRIu64 ", within 10%% of "
				"the %" PRIu64 " VMAs needed (%s)", limit,
				need->vmas, why);
		remedy_map_count(f, remedy_sudo(snap), limit, need->vmas, NULL);
	} else {
		f = finding_add(fs, CHECK_MAP_COUNT, HP_PASS, CAUSE_NONE,
				"vm.max_map_count %" PRIu64 " leaves room for the "
				"%" PRIu64 " VMAs needed", limit, need->vmas);
	}
	finding_num(f, "max_map_count", limit);
	finding_num(f, "baseline_vmas", need->baseline_vmas);
	finding_num(f, "lists", need->lists);
	finding_num(f, "pages", need->vmas - need->vmas_before_pages);
	finding_num(f, "need", need->vmas);
}

void rule_nofile(const struct snapshot *snap, const struct need *need,
		 struct findings *fs)
{
	const struct rlim *rl = &snap->lim.rlimits[RL_NOFILE];
	/* DPDK raises the soft limit to the hard one; others live with soft. */
	uint64_t limit = need->raises_nofile ? rl->hard : rl->soft;
	uint64_t want = need->fds + need->fds / 5;
	struct finding *f;

	if (need->fds > limit) {
		f = finding_add(fs, CHECK_NOFILE, HP_FAIL, CAUSE_RLIMIT_NOFILE,
				"RLIMIT_NOFILE %s limit is %" PRIu64 ": %" PRIu64
				" fds needed (%" PRIu64 " before the first page, "
				"then %s); open fails with EMFILE",
				need->raises_nofile ? "hard" : "soft", limit,
				need->fds, need->fds_before_pages,
				need->mode == MODE_SINGLE_FILE ? "one per memseg list" :
				need->mode == MODE_IN_MEMORY ? "one memfd per page" :
				"one per page file");
		remedy_nofile(f, snap, want);
		dg_set_order(f, STAGE_PAGES, hp_sat_sub(limit, need->fds_before_pages));
	} else if (need->fds > rl->soft) {
		f = finding_add(fs, CHECK_NOFILE, HP_WARN, CAUSE_NONE,
				"RLIMIT_NOFILE soft limit is %" PRIu64 ", %" PRIu64
				" fds needed: DPDK raises the soft limit to the hard "
				"limit (%" PRIu64 "), other programs may not",
				rl->soft, need->fds, rl->hard);
		finding_remedy(f, "ulimit -n %" PRIu64, rl->hard);
		remedy_rlimit_action(f, RL_NOFILE, want);
	} else if (dg_tight(need->fds, limit)) {
		f = finding_add(fs, CHECK_NOFILE, HP_WARN, CAUSE_NONE,
				"RLIMIT_NOFILE limit %" PRIu64 " is within 10%% "
				"of the %" PRIu64 " fds needed", limit, need->fds);
		if (rl->hard == HP_UNLIMITED || rl->hard >= want)
			finding_remedy(f, "ulimit -n %" PRIu64, want);
		else
			finding_remedy(f, "ulimit -Hn %" PRIu64 " && ulimit -n %" PRIu64,
				       want, want);
		remedy_rlimit_action(f, RL_NOFILE, want);
	} else if (limit == HP_UNLIMITED) {
		f = finding_add(fs, CHECK_NOFILE, HP_PASS, CAUSE_NONE, "RLIMIT_NOFILE is unlimited");
	} else {
		f = finding_add(fs, CHECK_NOFILE, HP_PASS, CAUSE_NONE,
				"RLIMIT_NOFILE (soft %" PRIu64 ", hard %" PRIu64
				") allows the %" PRIu64 " fds needed",
				rl->soft, rl->hard, need->fds);
	}
	finding_lim(f, "soft", rl->soft);
	finding_lim(f, "hard", rl->hard);
	finding_num(f, "baseline_fds", need->baseline_fds);
	finding_num(f, "need", need->fds);
}

/* RLIMIT_AS against the address space the model reserves, and the CPU's. */
void rule_va(const struct snapshot *snap, const struct need *need,
	     struct findings *fs)
{
	const struct rlim *rl = &snap->lim.rlimits[RL_AS];
	uint64_t space = snap->meta.va_bits ? 1ULL << snap->meta.va_bits : 0;
	char s1[32], s2[32], s3[32];
	struct finding *f;

	if (space && need->va_bytes > space) {
		f = finding_add(fs, CHECK_VA_SPACE, HP_FAIL, CAUSE_VA_SPACE,
				"the workload reserves %s of address space, more "
				"than the %s a process has here", format_bytes(need->va_bytes,
				s1, sizeof(s1)), format_bytes(space, s2, sizeof(s2)));
		finding_num(f, "need", need->va_bytes);
		finding_num(f, "address_space", space);
		finding_note(f, "use fewer page sizes or NUMA nodes (DPDK reserves "
			     "lists for each mounted size on each node)");
		dg_set_order(f, STAGE_RESERVE, 0);
	}
	if (need->data.va_load > rl->soft) {
		f = finding_add(fs, CHECK_ADDRESS_SPACE, HP_FAIL, CAUSE_RLIMIT_AS,
				"RLIMIT_AS (ulimit -v) is %s: the program and the "
				"objects it starts with map %s of address space; the "
				"kernel or the loader refuses them (%s)",
				format_bytes(rl->soft, s1, sizeof(s1)),
				format_bytes(need->data.va_load, s2, sizeof(s2)),
				need->data.program);
		remedy_rlimit_as(f);
		dg_set_order(f, STAGE_LOAD, 0);
	} else if (need->va_bytes > rl->soft) {
		f = finding_add(fs, CHECK_ADDRESS_SPACE, HP_FAIL, CAUSE_RLIMIT_AS,
				"RLIMIT_AS (ulimit -v) is %s: the workload needs %s "
				"of address space (%s%s); mmap fails with ENOMEM",
				format_bytes(rl->soft, s1, sizeof(s1)),
				format_bytes(need->va_bytes, s2, sizeof(s2)),
				mode_is_dpdk(need->mode) && need->lists ?
				"DPDK reserves its memseg lists up front: " : "",
				mode_is_dpdk(need->mode) && need->lists ?
				format_bytes(need->va_bytes - need->baseline_va, s3, sizeof(s3)) :
				"its mappings");
		remedy_rlimit_as(f);
		dg_set_order(f, STAGE_RESERVE, 0);
	} else if (dg_tight(need->va_bytes, rl->soft)) {
		f = finding_add(fs, CHECK_ADDRESS_SPACE, HP_WARN, CAUSE_NONE,
				"RLIMIT_AS %s is within 10%% of the %s of address "
				"space needed", format_bytes(rl->soft, s1, sizeof(s1)),
				format_bytes(need->va_bytes, s2, sizeof(s2)));
		finding_remedy(f, "ulimit -v unlimited");
		remedy_rlimit_action(f, RL_AS, HP_UNLIMITED);
	} else {
		f = finding_add(fs, CHECK_ADDRESS_SPACE, HP_PASS, CAUSE_NONE,
				"RLIMIT_AS (%s) allows the %s of address space needed",
				format_limit(rl->soft, s1, sizeof(s1)),
				format_bytes(need->va_bytes, s2, sizeof(s2)));
	}
	finding_lim(f, "soft", rl->soft);
	finding_num(f, "need", need->va_bytes);
}

/* RLIMIT_DATA against the program's own private writable memory: the
 * kernel, the loader, the plug-ins and the thread stacks all count. */
void rule_data(const struct snapshot *snap, const struct need *need,
	       struct findings *fs)
{
	const struct rlim *rl = &snap->lim.rlimits[RL_DATA];
	const struct need_data *d = &need->data;
	char s1[32], s2[32], s3[32], parts[512];
	enum data_phase ph;
	struct finding *f;

	if (rl->soft == HP_UNLIMITED || !d->known)
		return;
	ph = data_phase(need, rl->soft);
	data_parts(need, parts, sizeof(parts));
	if (ph != DATA_FITS) {
		f = finding_add(fs, CHECK_DATA, HP_FAIL, CAUSE_RLIMIT_DATA,
				"RLIMIT_DATA (ulimit -d) is %s: the program needs %s of "
				"private writable memory (%s) [%s%s%s]; %s",
				format_bytes(rl->soft, s1, sizeof(s1)),
				format_bytes(need->data_bytes, s2, sizeof(s2)), parts, d->from,
				d->program ? ": " : "", d->program ? d->program : "",
				data_phase_text(ph));
		remedy_rlimit_data(f, need->data_bytes);
		dg_set_order(f, ph == DATA_LATE ? STAGE_LATE : STAGE_LOAD, 0);
	} else if (d->optional_threads &&
		   rl->soft < hp_sat_add(need->data_bytes, d->optional_threads * d->stack)) {
		f = finding_add(fs, CHECK_DATA, HP_WARN, CAUSE_NONE,
				"RLIMIT_DATA %s leaves no room for %s more: DPDK starts "
				"without its legacy telemetry thread (%s of private "
				"writable memory needed: %s)",
				format_bytes(rl->soft, s1, sizeof(s1)),
				format_bytes(d->optional_threads * d->stack, s2, sizeof(s2)),
				format_bytes(need->data_bytes, s3, sizeof(s3)), parts);
		remedy_rlimit_data(f, hp_sat_add(need->data_bytes, d->optional_threads * d->stack));
	} else {
		f = finding_add(fs, CHECK_DATA, dg_tight(need->data_bytes, rl->soft) ?
				HP_WARN : HP_PASS, CAUSE_NONE,
				"RLIMIT_DATA %s, %s of private writable memory needed (%s) [%s]",
				format_bytes(rl->soft, s1, sizeof(s1)),
				format_bytes(need->data_bytes, s2, sizeof(s2)), parts, d->from);
		if (f && f->status == HP_WARN)
			remedy_rlimit_data(f, need->data_bytes);
	}
	finding_num(f, "soft", rl->soft);
	finding_num(f, "need", need->data_bytes);
	finding_num(f, "program", d->own);
	finding_num(f, "libraries", d->libraries);
	finding_num(f, "runtime", d->runtime);
	finding_num(f, "threads", d->early_threads + d->late_threads);
	finding_num(f, "stack", d->stack);
}

/* The sysctls a SHM_HUGETLB segment of the need's size wants: kernel.shmmax
 * in bytes and kernel.shmall in base pages, each raised only. */
static void shm_actions(struct finding *f, const struct snapshot *snap,
			const struct need *need)
{
	const struct limits *l = &snap->lim;
	uint64_t base = snap->meta.base_page_size ? snap->meta.base_page_size : 4096;
	static const enum sysctl_id ids[] = { SC_SHMMAX, SC_SHMALL };

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		enum sysctl_id id = ids[i];
		uint64_t to = id == SC_SHMMAX ? need->shm_bytes :
			      hp_div_up(need->shm_bytes, base);
		struct action *a;

		if (!l->sysctl[id].present || to <= l->sysctl[id].value)
			continue;
		a = finding_action(f, ACT_SYSCTL, sysctl_path(id));
		if (a) {
			a->name = sysctl_name(id);
			a->from = l->sysctl[id].value;
			a->to = to;
		}
	}
}

/* shmget(SHM_HUGETLB): kernel.shmmax/shmall, and RLIMIT_MEMLOCK unless the
 * process may lock (CAP_IPC_LOCK or vm.hugetlb_shm_group). */
void rule_shm(const struct snapshot *snap, const struct need *need,
		     struct findings *fs)
{
	const struct limits *l = &snap->lim;
	uint64_t shmmax = l->sysctl[SC_SHMMAX].value;
	uint64_t shmall = l->sysctl[SC_SHMALL].value;
	uint64_t base = snap->meta.base_page_size ? snap->meta.base_page_size : 4096;
	const struct rlim *ml = &l->rlimits[RL_MEMLOCK];
	char s1[32], s2[32];
	struct finding *f;

	if (need->mode != MODE_SHM || !need->page_size)
		return;
	if (l->sysctl[SC_SHMMAX].present && need->shm_bytes > shmmax) {
		f = finding_add(fs, CHECK_SHM, HP_FAIL, CAUSE_SHM_LIMIT,
				"kernel.shmmax is %s: a %s segment is refused "
				"(shmget fails with EINVAL)", format_bytes(shmmax, s1, sizeof(s1)),
				format_bytes(need->shm_bytes, s2, sizeof(s2)));
		finding_remedy(f, "%ssysctl -w kernel.shmmax=%" PRIu64, remedy_sudo(snap),
			       need->shm_bytes);
		shm_actions(f, snap, need);
		dg_set_order(f, STAGE_DISCOVER, 0);
		finding_num(f, "shmmax", shmmax);
		finding_num(f, "need", need->shm_bytes);
	} else if (l->sysctl[SC_SHMALL].present && shmall < UINT64_MAX / base &&
		   need->shm_bytes > shmall * base) {
		f = finding_add(fs, CHECK_SHM, HP_FAIL, CAUSE_SHM_LIMIT,
				"kernel.shmall is %" PRIu64 " pages (%s): a %s "
				"segment is refused (shmget fails with ENOSPC)",
				shmall, format_bytes(shmall * base, s1, sizeof(s1)),
				format_bytes(need->shm_bytes, s2, sizeof(s2)));
		finding_remedy(f, "%ssysctl -w kernel.shmall=%" PRIu64, remedy_sudo(snap),
			       hp_div_up(need->shm_bytes, base));
		shm_actions(f, snap, need);
		dg_set_order(f, STAGE_DISCOVER, 0);
		finding_num(f, "shmall", shmall);
		finding_num(f, "need", need->shm_bytes);
	} else {
		finding_add(fs, CHECK_SHM, HP_PASS, CAUSE_NONE, "kernel.shmmax and "
				"kernel.shmall allow a %s segment",
				format_bytes(need->shm_bytes, s1, sizeof(s1)));
	}
	if (!need->locked_bytes)
		return;
	if (need->locked_bytes > ml->soft) {
		f = finding_add(fs, CHECK_MEMLOCK, HP_FAIL, CAUSE_RLIMIT_MEMLOCK,
				"RLIMIT_MEMLOCK is %s and the process has neither "
				"CAP_IPC_LOCK nor the group vm.hugetlb_shm_group (%"
				PRIu64 "): the kernel charges the %s SHM_HUGETLB "
				"segment to it and shmget fails with EPERM",
				format_bytes(ml->soft, s1, sizeof(s1)),
				l->sysctl[SC_HUGETLB_SHM_GROUP].value,
				format_bytes(need->locked_bytes, s2, sizeof(s2)));
		if (l->st.have_gid) {
			finding_remedy(f, "%ssysctl -w vm.hugetlb_shm_group=%u",
				       remedy_sudo(snap), l->st.gid);
			finding_note(f, "%u is the application's group; or, in the shell "
				     "that starts it, ulimit -l unlimited (systemd: "
				     "LimitMEMLOCK=infinity)", l->st.gid);
		} else {
			finding_note(f, "sysctl -w vm.hugetlb_shm_group= the application's "
				     "group, or, in the shell that starts it, ulimit -l "
				     "unlimited (systemd: LimitMEMLOCK=infinity)");
		}
		remedy_rlimit_action(f, RL_MEMLOCK, HP_UNLIMITED);
		dg_set_order(f, STAGE_DISCOVER, 1);
	} else {
		f = finding_add(fs, CHECK_MEMLOCK, HP_PASS, CAUSE_NONE,
				"RLIMIT_MEMLOCK (%s) covers the %s segment",
				format_limit(ml->soft, s1, sizeof(s1)),
				format_bytes(need->locked_bytes, s2, sizeof(s2)));
	}
	finding_lim(f, "soft", ml->soft);
	finding_num(f, "need", need->locked_bytes);
}
