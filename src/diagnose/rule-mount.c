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
		if (m->read_only) {
			finding_remedy(f, "%smount -o remount,rw %s", remedy_sudo(snap),
				       shell_quote(m->path, q, sizeof(q)));
		} else if (snap->meta.have_euid) {
			finding_remedy(f, "%schown %u %s", remedy_sudo(snap), snap->meta.euid,
				       shell_quote(m->path, q, sizeof(q)));
			finding_note(f, "gives the mount to uid %u, who runs hpdiag; or run "
				     "the application as uid %u, its owner",
				     snap->meta.euid, m->uid);
		} else {
			finding_note(f, "chown %s to the application's user, or run the "
				     "application as uid %u, its owner", m->path, m->uid);
		}
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

/* What a mount's quota holds: both limits, what is used of each less what
 * the workload gets back, and the room left. */
struct quota {
	uint64_t used, files;		/* pages and files charged now */
	uint64_t back_pages, back_files; /* of them, the workload's own */
	uint64_t left, inodes_left;	/* HP_UNLIMITED without the limit */
};

static void quota_room(const struct mount *m, const struct need_size *sz, struct quota *q)
{
	uint64_t quota = m->size_limit == HP_UNLIMITED ? HP_UNLIMITED :
			 m->size_limit / sz->page_size;

	q->used = m->have_quota_used ? m->quota_used : m->used_pages;
	q->files = m->nr_files;
	/* DPDK deletes its stale page files at start: their pages and inodes
	 * go back to the quota before it maps anything; the running
	 * instance's are its own again after a restart. */
	q->back_pages = hp_sat_add(sz->reclaim_pages, sz->held_pages);
	q->back_files = hp_sat_add(sz->reclaim_files, sz->held_files);
	q->left = quota == HP_UNLIMITED ? HP_UNLIMITED :
		  hp_sat_sub(quota, hp_sat_sub(q->used, q->back_pages));
	/* The root directory takes an inode too: nr_inodes=129 leaves room
	 * for DPDK's 128 page files, 128 for 127. */
	q->inodes_left = m->nr_inodes == HP_UNLIMITED ? HP_UNLIMITED :
		hp_sat_sub(m->nr_inodes, hp_sat_add(hp_sat_sub(q->files, q->back_files), 1));
}

/* "size=64 MiB: room for 32 more pages (40 used, 8 of them in stale DPDK
 * page files ...)" and the same of nr_inodes=, for the limits the mount
 * has, into BUF. */
static void quota_text(const struct mount *m, const struct need_size *sz,
		       const struct quota *q, char *buf, size_t size)
{
	char s1[32], back[160] = "";
	int n = 0;

	if (sz->reclaim_pages)
		n = snprintf(back, sizeof(back), ", %" PRIu64 " of them in stale DPDK "
			     "page files it deletes at start", sz->reclaim_pages);
	if (sz->held_pages && n >= 0 && (size_t)n < sizeof(back))
		snprintf(back + n, sizeof(back) - (size_t)n, ", %" PRIu64 " of them "
			 "the running instance's", sz->held_pages);
	n = 0;
	if (m->size_limit != HP_UNLIMITED)
		n = snprintf(buf, size, "size=%s: room for %" PRIu64 " more pages (%"
			     PRIu64 " used%s)", format_bytes(m->size_limit, s1, sizeof(s1)),
			     q->left, q->used, back);
	if (n < 0 || (size_t)n >= size)
		n = 0;
	if (m->nr_inodes != HP_UNLIMITED)
		snprintf(buf + n, size - (size_t)n, "%snr_inodes=%" PRIu64 ": room for %"
			 PRIu64 " more files", n ? "; " : "", m->nr_inodes, q->inodes_left);
}

/*
 * The mount again, with room for the workload's pages and files and
 * headroom EXTRA (percent, at least 10: the finding then passes) in each
 * limit that falls short of it, its other options kept.  Not a remount: hugetlbfs keeps size= and nr_inodes=
 * through `mount -o remount` without a word (Linux 6.1, measured).
 */
static void quota_remedy(struct finding *f, const struct snapshot *snap, const struct mount *m,
			 const struct need_size *sz, const struct quota *q, unsigned extra,
			 const char *path)
{
	size_t in_use = 0;

	uint64_t pages = hp_sat_add(sz->pages, sz->pages * extra / 100 + !!extra);
	uint64_t files = hp_sat_add(sz->files, sz->files * extra / 100 + !!extra);
	char opts[256], s1[32];
	int n;

	n = snprintf(opts, sizeof(opts), "pagesize=%s",
		     format_short_size(m->page_size, s1, sizeof(s1)));
	if (m->size_limit != HP_UNLIMITED && n > 0 && (size_t)n < sizeof(opts))
		n += snprintf(opts + n, sizeof(opts) - (size_t)n, ",size=%s",
			      format_short_size(q->left >= pages ? m->size_limit :
				hp_sat_mul(hp_sat_add(hp_sat_sub(q->used, q->back_pages), pages),
					   sz->page_size), s1, sizeof(s1)));
	if (m->nr_inodes != HP_UNLIMITED && n > 0 && (size_t)n < sizeof(opts))
		n += snprintf(opts + n, sizeof(opts) - (size_t)n, ",nr_inodes=%" PRIu64,
			      q->inodes_left >= files ? m->nr_inodes :
			      hp_sat_add(m->nr_inodes, files - q->inodes_left));
	if (m->min_size && n > 0 && (size_t)n < sizeof(opts))
		n += snprintf(opts + n, sizeof(opts) - (size_t)n, ",min_size=%s",
			      format_short_size(m->min_size, s1, sizeof(s1)));
	if (n > 0 && (size_t)n < sizeof(opts))
		snprintf(opts + n, sizeof(opts) - (size_t)n, ",uid=%u,gid=%u,mode=%04o",
			 m->uid, m->gid, m->mode);
	finding_remedy(f, "%sumount %s && %smount -t hugetlbfs -o %s nodev %s",
		       remedy_sudo(snap), path, remedy_sudo(snap), opts, path);
	for (size_t i = 0; i < m->nr_files; i++)
		in_use += m->files[i].in_use;
	if (in_use)
		finding_note(f, "%zu file%s in the mount %s in use: stop what uses %s "
			     "first (the unmount fails while a process uses the mount); "
			     "hugetlbfs keeps size= and nr_inodes= through a remount, so it "
			     "is mounted again, and its files go", in_use,
			     in_use == 1 ? "" : "s", in_use == 1 ? "is" : "are",
			     in_use == 1 ? "it" : "them");
	else
		finding_note(f, "hugetlbfs keeps size= and nr_inodes= through a remount, "
			     "so it is mounted again; no process uses a file in it, and "
			     "its files go");
}

static void quota_of_size(const struct snapshot *snap, const struct need *need,
			  const struct need_size *sz, struct findings *fs)
{
	const struct mount *m = sz->mount;
	struct quota q;
	char qbuf[512], text[400], files[96];
	const char *path;
	struct finding *f;
	bool pages_short, files_short, inodes_first;
	uint64_t reach;

	(void)snap;
	if (!mode_uses_files(need->mode) || !m || !sz->page_size ||
	    (m->size_limit == HP_UNLIMITED && m->nr_inodes == HP_UNLIMITED))
		return;
	path = shell_quote(m->path, qbuf, sizeof(qbuf));
	quota_room(m, sz, &q);
	quota_text(m, sz, &q, text, sizeof(text));
	/* The files, where an inode limit counts them. */
	if (m->nr_inodes == HP_UNLIMITED)
		snprintf(files, sizeof(files), "%" PRIu64 " pages needed", sz->pages);
	else if (sz->files == sz->pages)
		snprintf(files, sizeof(files), "%" PRIu64 " pages needed, a page file each",
			 sz->pages);
	else
		snprintf(files, sizeof(files), "%" PRIu64 " pages needed in %" PRIu64
			 " page file%s", sz->pages, sz->files, sz->files == 1 ? "" : "s");
	pages_short = q.left != HP_UNLIMITED && q.left < sz->pages;
	files_short = q.inodes_left != HP_UNLIMITED && q.inodes_left < sz->files;
	if (pages_short || files_short) {
		/* The pages mapped when the first limit is met: each file
		 * holds pages/files of them. */
		reach = !files_short ? HP_UNLIMITED : !sz->files ? 0 :
			hp_sat_mul(q.inodes_left, sz->pages) / sz->files;
		inodes_first = files_short && (!pages_short || reach <= q.left);
		f = finding_add(fs, CHECK_MOUNT_QUOTA, HP_FAIL, CAUSE_MOUNT_QUOTA,
				"%s has %s; %s: %s", m->path, text, files, inodes_first ?
				"opening a page file fails with ENOSPC past it" :
				"mmap fails with ENOMEM past it");
		quota_remedy(f, snap, m, sz, &q, 10, path);
		dg_set_order(f, need->mode == MODE_LEGACY ? STAGE_COUNT : STAGE_PAGES,
			     inodes_first ? reach : q.left);
	} else if ((q.left != HP_UNLIMITED && dg_tight(sz->pages, q.left)) ||
		   (q.inodes_left != HP_UNLIMITED && dg_tight(sz->files, q.inodes_left))) {
		f = finding_add(fs, CHECK_MOUNT_QUOTA, HP_WARN, CAUSE_NONE,
				"%s's quota leaves less than 10%% headroom: %s; %s",
				m->path, text, files);
		quota_remedy(f, snap, m, sz, &q, 20, path);
	} else {
		f = finding_add(fs, CHECK_MOUNT_QUOTA, HP_PASS, CAUSE_NONE,
				"%s's quota has %s; %s", m->path, text, files);
	}
	finding_str(f, "path", m->path);
	finding_lim(f, "size_limit", m->size_limit);
	finding_lim(f, "inodes_limit", m->nr_inodes);
	finding_num(f, "used_pages", q.used);
	finding_num(f, "used_files", q.files);
	finding_num(f, "own_pages", q.back_pages);
	finding_num(f, "own_files", q.back_files);
	finding_num(f, "need", sz->pages);
	finding_num(f, "need_files", sz->files);
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
