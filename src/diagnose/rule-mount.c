// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rule-mount.c - the application's hugetlbfs mount: there, of the right
 * page size, writable, with room under its size= and nr_inodes= quotas;
 * and the files in hugetlbfs mounts that no process uses (stale pages).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/rules.h"

/* The hugetlbfs mount for the workload's pages, as a remedy: at --huge-dir
 * or hpdiag's default place, unless a mount is there already. */
static void mount_remedy(struct finding *f, const struct snapshot *snap,
			 const struct need *need, const struct need_size *sz)
{
	char path[256], q[512], ss[16];
	struct action *a;
	const char *dir;

	if (need->huge_dir)
		snprintf(path, sizeof(path), "%s", need->huge_dir);
	else
		default_mount_path(sz->page_size, snap->mem.hugepagesize,
				   path, sizeof(path));
	dir = shell_quote(path, q, sizeof(q));
	format_short_size(sz->page_size, ss, sizeof(ss));
	finding_remedy(f, "mkdir -p %s && mount -t hugetlbfs -o pagesize=%s nodev %s",
		       dir, ss, dir);
	/* Another mount there: not hpdiag's to move. */
	if (snapshot_mount_at(snap, path))
		return;
	a = finding_action(f, ACT_MOUNT, path);
	if (a)
		a->page_size = sz->page_size;
}

static void mount_of_size(const struct snapshot *snap, const struct need *need,
			  const struct need_size *sz, struct findings *fs)
{
	const struct mount *m = sz->mount;
	char s1[32];
	struct finding *f;

	/* A kernel without hugetlb has no hugetlbfs to mount either: the
	 * pool finding says so. */
	if (!sz->page_size || !snap->nr_pools || !mode_uses_files(need->mode))
		return;
	format_bytes(sz->page_size, s1, sizeof(s1));
	if (!m) {
		if (need->huge_dir)
			f = finding_add(fs, CHECK_MOUNT, HP_FAIL, CAUSE_NO_MOUNT,
					"--huge-dir %s is not on a hugetlbfs mount",
					need->huge_dir);
		else
			f = finding_add(fs, CHECK_MOUNT, HP_FAIL, CAUSE_NO_MOUNT,
					"no hugetlbfs is mounted for %s pages "
					"(%zu hugetlbfs mount%s)", s1,
					snap->nr_mounts,
					snap->nr_mounts == 1 ? "" : "s");
		finding_num(f, "page_size", sz->page_size);
		finding_num(f, "mounts", snap->nr_mounts);
		mount_remedy(f, snap, need, sz);
		dg_set_order(f, STAGE_DISCOVER, 0);
		return;
	}
	if (m->read_only || m->writable == 0) {
		char q[512], mode[8];

		snprintf(mode, sizeof(mode), "%04o", m->mode);
		f = finding_add(fs, CHECK_MOUNT, HP_FAIL, CAUSE_MOUNT_PERMISSION,
				"%s (hugetlbfs, %s pages) is %s: page files "
				"cannot be created there", m->path, s1,
				m->read_only ? "mounted read-only" :
				"not writable by this user");
		finding_str(f, "path", m->path);
		finding_num(f, "uid", m->uid);
		finding_num(f, "gid", m->gid);
		finding_str(f, "mode", mode);
		if (m->read_only)
			finding_remedy(f, "mount -o remount,rw %s", shell_quote(m->path, q, sizeof(q)));
		else if (snap->meta.have_euid)
			finding_remedy(f, "chown %u %s (or run the application as "
			       "uid %u)", snap->meta.euid,
			       shell_quote(m->path, q, sizeof(q)), m->uid);
		else
			finding_remedy(f, "chown USER %s", shell_quote(m->path, q, sizeof(q)));
		dg_set_order(f, STAGE_DISCOVER, 0);
		return;
	}
	f = finding_add(fs, CHECK_MOUNT, HP_PASS, CAUSE_NONE,
			"%s is a hugetlbfs mount for %s pages%s", m->path, s1,
			m->writable < 0 ? " (write access unknown: the "
			"captured tree does not record it)" : " and writable");
	finding_str(f, "path", m->path);
	finding_num(f, "page_size", m->page_size);
}

void rule_mount(const struct snapshot *snap, const struct need *need,
		struct findings *fs)
{
	for (size_t i = 0; i < need->nr_sizes; i++)
		if (dg_takes(need, i))
			mount_of_size(snap, need, &need->sizes[i], fs);
}

static void quota_of_size(const struct snapshot *snap, const struct need *need,
			  const struct need_size *sz, struct findings *fs)
{
	const struct mount *m = sz->mount;
	uint64_t quota, left, inodes_left, used;
	char s1[32], s2[32], qbuf[512];
	const char *q;
	struct finding *f;

	(void)snap;
	if (!mode_uses_files(need->mode) || !m || !sz->page_size)
		return;
	q = shell_quote(m->path, qbuf, sizeof(qbuf));
	if (m->size_limit == HP_UNLIMITED && m->nr_inodes == HP_UNLIMITED)
		return;
	quota = m->size_limit == HP_UNLIMITED ? HP_UNLIMITED :
		m->size_limit / sz->page_size;
	used = m->have_quota_used ? m->quota_used : m->used_pages;
	/* DPDK deletes its stale page files at start: their pages go back
	 * to the quota before it maps anything. */
	used = hp_sat_sub(used, sz->reclaim_pages);
	left = quota == HP_UNLIMITED ? HP_UNLIMITED : hp_sat_sub(quota, used);
	inodes_left = m->nr_inodes == HP_UNLIMITED ? HP_UNLIMITED :
		      hp_sat_sub(m->nr_inodes, m->nr_files + 1);
	if (left != HP_UNLIMITED && left < sz->pages) {
		f = finding_add(fs, CHECK_MOUNT_QUOTA, HP_FAIL, CAUSE_MOUNT_QUOTA,
				"%s has size=%s: room for %" PRIu64 " more pages "
				"(%" PRIu64 " used), %" PRIu64 " needed; mmap "
				"fails with ENOMEM past it", m->path,
				format_bytes(m->size_limit, s1, sizeof(s1)), left,
				used, sz->pages);
		finding_remedy(f, "mount -o remount,size=%s %s",
		       format_short_size(hp_sat_add(used, sz->pages) *
					 sz->page_size, s2, sizeof(s2)), q);
		dg_set_order(f, need->mode == MODE_LEGACY ? STAGE_COUNT : STAGE_PAGES, left);
	} else if (inodes_left != HP_UNLIMITED && inodes_left < sz->pages) {
		f = finding_add(fs, CHECK_MOUNT_QUOTA, HP_FAIL, CAUSE_MOUNT_QUOTA,
				"%s has nr_inodes=%" PRIu64 ": room for %" PRIu64
				" more files, one per page needs %" PRIu64,
				m->path, m->nr_inodes, inodes_left, sz->pages);
		finding_remedy(f, "mount -o remount,nr_inodes=%" PRIu64 " %s",
		       m->nr_inodes + sz->pages - inodes_left, q);
		dg_set_order(f, need->mode == MODE_LEGACY ? STAGE_COUNT : STAGE_PAGES,
			  inodes_left);
	} else if ((left != HP_UNLIMITED && dg_tight(sz->pages, left)) ||
		   (inodes_left != HP_UNLIMITED && dg_tight(sz->pages, inodes_left))) {
		f = finding_add(fs, CHECK_MOUNT_QUOTA, HP_WARN, CAUSE_NONE,
				"%s's quota leaves less than 10%% headroom: room "
				"for %" PRIu64 " more pages, %" PRIu64 " needed",
				m->path, left, sz->pages);
		finding_remedy(f, "mount -o remount,size=%s %s",
		       format_short_size(hp_sat_add(used, sz->pages +
						 sz->pages / 5 + 1) *
					 sz->page_size, s2, sizeof(s2)), q);
	} else {
		f = finding_add(fs, CHECK_MOUNT_QUOTA, HP_PASS, CAUSE_NONE,
				"%s's quota has room for %" PRIu64 " more pages, "
				"%" PRIu64 " needed", m->path,
				left == HP_UNLIMITED ? inodes_left : left,
				sz->pages);
	}
	finding_str(f, "path", m->path);
	finding_lim(f, "size_limit", m->size_limit);
	finding_lim(f, "inodes_limit", m->nr_inodes);
	finding_num(f, "used_pages", used);
	finding_num(f, "need", sz->pages);
}

void rule_mount_quota(const struct snapshot *snap, const struct need *need,
		      struct findings *fs)
{
	for (size_t i = 0; i < need->nr_sizes; i++)
		if (dg_takes(need, i))
			quota_of_size(snap, need, &need->sizes[i], fs);
}

/* A stale file to remove, as an action of F's remedy. */
static void remove_action(struct finding *f, const struct mount *m,
			  const struct mount_file *mf)
{
	struct action *a = finding_action(f, ACT_REMOVE, mf->path);

	if (a) {
		a->page_size = m->page_size;
		a->from = mf->pages;
		a->mount = m;
	}
}

void rule_stale(const struct snapshot *snap, const struct need *need,
		struct findings *fs)
{
	struct finding *f;
	char s1[32];

	if (!snap->procs_scanned)
		return;
	/* Files the DPDK primary will delete at start: their pages are its. */
	for (size_t k = 0; k < need->nr_sizes; k++) {
		const struct need_size *sz = &need->sizes[k];
		const uint64_t rfiles = sz->reclaim_files, rpages = sz->reclaim_pages;

		if (!rfiles)
			continue;
		f = finding_add(fs, CHECK_STALE_FILES, HP_WARN, CAUSE_NONE,
				"%s holds %" PRIu64 " stale DPDK page file%s "
				"(%" PRIu64 " hugepages, %s) that no process uses: "
				"DPDK deletes them when it starts and takes their "
				"pages", sz->app_dir, rfiles,
				rfiles == 1 ? "" : "s", rpages,
				format_bytes(rpages * sz->page_size, s1, sizeof(s1)));
		finding_num(f, "files", rfiles);
		finding_num(f, "pages", rpages);
		finding_num(f, "bytes", rpages * sz->page_size);
		finding_num(f, "reclaimable", 1);
		for (size_t i = 0; i < snap->nr_mounts; i++)
			for (size_t j = 0; j < snap->mounts[i].nr_files; j++)
				if (need_reclaims(need, &snap->mounts[i],
						  &snap->mounts[i].files[j]))
					remove_action(f, &snap->mounts[i],
						      &snap->mounts[i].files[j]);
	}
	/* The others, a finding per mount. */
	for (size_t i = 0; i < snap->nr_mounts; i++) {
		const struct mount *m = &snap->mounts[i];
		uint64_t files = 0, pages = 0;
		char list[600] = "";

		if (!m->have_usage)
			continue;
		for (size_t j = 0; j < m->nr_files; j++) {
			const struct mount_file *mf = &m->files[j];
			size_t l = strlen(list);

			if (mf->in_use || need_reclaims(need, m, mf))
				continue;
			files++;
			pages += mf->pages;
			if (files <= 4 && l + strlen(mf->path) * 4 + 4 < sizeof(list)) {
				char q[512];

				snprintf(list + l, sizeof(list) - l, " %s",
					 shell_quote(mf->path, q, sizeof(q)));
			}
		}
		if (!files)
			continue;
		f = finding_add(fs, CHECK_STALE_FILES, HP_WARN, CAUSE_NONE,
				"%s holds %" PRIu64 " file%s that no process maps "
				"or holds open, keeping %" PRIu64 " hugepages (%s) "
				"out of the pool", m->path, files,
				files == 1 ? "" : "s", pages,
				format_bytes(pages * m->page_size, s1, sizeof(s1)));
		finding_str(f, "path", m->path);
		finding_num(f, "files", files);
		finding_num(f, "pages", pages);
		finding_num(f, "bytes", pages * m->page_size);
		finding_remedy(f, "rm -f%s%s", list, files > 4 ? " ..." : "");
		for (size_t j = 0; j < m->nr_files; j++)
			if (!m->files[j].in_use && !need_reclaims(need, m, &m->files[j]))
				remove_action(f, m, &m->files[j]);
	}
}
