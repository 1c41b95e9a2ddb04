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

/* Directories every system keeps things in: never a place for a mount,
 * whether the snapshot lists them or not. */
static bool system_dir(const char *path)
{
	static const char *const dirs[] = {
		"/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64",
		"/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr",
		"/var", "/mnt",
	};
	size_t l = strlen(path);

	while (l > 1 && path[l - 1] == '/')
		l--;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (strlen(dirs[i]) == l && !strncmp(path, dirs[i], l))
			return true;
	return false;
}

/* Why a mount at PATH would hide what is there (into WHY), or NULL when
 * nothing the snapshot knows of is there. */
static const char *mount_blocked(const struct snapshot *snap, const char *path, char *why,
				 size_t size)
{
	const struct dir_fact *d = snapshot_dir(snap, path);

	if (snapshot_is_mount_point(snap, path))
		snprintf(why, size, "%s is the mount point of another filesystem", path);
	else if (d && d->state == DIR_NOT_EMPTY)
		snprintf(why, size, "%s is not empty (%zu entr%s): a mount there would "
			 "hide %s", path, d->entries, d->entries == 1 ? "y" : "ies",
			 d->entries == 1 ? "it" : "them");
	else if (d && d->state == DIR_NOT_DIR)
		snprintf(why, size, "%s is not a directory", path);
	else if (system_dir(path))
		snprintf(why, size, "%s is a system directory: a mount there would hide "
			 "what it holds", path);
	else
		return NULL;
	return why;
}

/* The commands that mount hugetlbfs of SZ's pages at PATH, and the action
 * fix takes for them. */
static void mount_here(struct finding *f, const struct snapshot *snap,
		       const struct need_size *sz, const char *path)
{
	char q[512], ss[16];
	const char *dir = shell_quote(path, q, sizeof(q)), *su = remedy_sudo(snap);
	struct action *a;

	format_short_size(sz->page_size, ss, sizeof(ss));
	finding_remedy(f, "%smkdir -p %s && %smount -t hugetlbfs -o pagesize=%s nodev %s",
		       su, dir, su, ss, dir);
	a = finding_action(f, ACT_MOUNT, path);
	if (a)
		a->page_size = sz->page_size;
}

/*
 * The hugetlbfs mount for the workload's pages, as a remedy: at --huge-dir
 * or hpdiag's default place; never over a directory that holds something
 * or another mount - then at the default or a spare place, with the
 * application pointed there, or at a mount of that size there is.
 */
static void mount_remedy(struct finding *f, const struct snapshot *snap,
			 const struct need *need, const struct need_size *sz)
{
	char path[256], alt[256], why[400], other[400], ss[32];
	const struct dir_fact *d;
	const struct mount *m;

	if (need->huge_dir)
		snprintf(path, sizeof(path), "%s", need->huge_dir);
	else
		default_mount_path(sz->page_size, snap->mem.hugepagesize, path, sizeof(path));
	format_bytes(sz->page_size, ss, sizeof(ss));
	if (!mount_blocked(snap, path, why, sizeof(why))) {
		mount_here(f, snap, sz, path);
		d = snapshot_dir(snap, path);
		if (need->huge_dir && (!d || d->state == DIR_UNKNOWN))
			finding_note(f, "only on an empty directory: a mount hides what %s "
				     "holds (this tree does not record it)", path);
		return;
	}
	for (size_t i = 0; i < snap->nr_mounts; i++) {
		m = &snap->mounts[i];
		if (m->page_size == sz->page_size && !m->read_only) {
			finding_note(f, "%s; start the application with --huge-dir %s, a "
				     "hugetlbfs mount of %s pages", why, m->path, ss);
			return;
		}
	}
	default_mount_path(sz->page_size, snap->mem.hugepagesize, alt, sizeof(alt));
	if (!strcmp(alt, path) || mount_blocked(snap, alt, other, sizeof(other)))
		spare_mount_path(sz->page_size, alt, sizeof(alt));
	if (!mount_blocked(snap, alt, other, sizeof(other))) {
		mount_here(f, snap, sz, alt);
		finding_note(f, "%s; mount at %s instead and start the application with "
			     "--huge-dir %s", why, alt, alt);
		return;
	}
	finding_note(f, "%s; mount hugetlbfs (pagesize=%s) on an empty directory and "
		     "start the application with --huge-dir there", why, ss);
}

static void mount_of_size(const struct snapshot *snap, const struct need *need,
			  const struct need_size *sz, struct findings *fs)
{
	const struct mount *m = sz->mount;
	char s1[32];
	struct finding *f;

	/* A kernel without hugetlb has no hugetlbfs to mount either: the
	 * pool finding says so. */
	if (!sz->page_size || !snap->nr_pools || !mode_uses_files(need->mode) ||
	    (need->mode == MODE_QEMU && !sz->files))
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
			     "is unmounted and mounted again, which drops the files in it", in_use,
			     in_use == 1 ? "" : "s", in_use == 1 ? "is" : "are",
			     in_use == 1 ? "it" : "them");
	else
		finding_note(f, "hugetlbfs keeps size= and nr_inodes= through a remount, "
			     "so it is unmounted and mounted again, which drops the files "
			     "in it; no process uses any of them");
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
		snprintf(files, sizeof(files), "%" PRIu64 " page%s needed", sz->pages,
			 PL(sz->pages));
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

/* Whether MF of M is stale and, with OWNED, a page file a hugepage user
 * makes again (not one DPDK takes back at its start: those come first). */
static bool stale_of_kind(const struct need *need, const struct mount *m,
			  const struct mount_file *mf, bool owned)
{
	return !mf->in_use && !need_reclaims(need, m, mf) &&
	       (page_file_owner(mf->path) != NULL) == owned;
}

/* The files of M that no process maps, holds open or locks: a finding for
 * the page files of hugepage users, whose remedy removes exactly them, and
 * one for any other file, listed, removed only when named. */
static void stale_of_mount(const struct snapshot *snap, const struct need *need,
			   const struct mount *m, bool owned, struct findings *fs)
{
	uint64_t files = 0, pages = 0;
	const char *owner = NULL, *su = remedy_sudo(snap);
	char s1[32], list[1200] = "", note[1600] = "";
	struct finding *f;

	for (size_t j = 0; j < m->nr_files; j++) {
		const struct mount_file *mf = &m->files[j];
		const char *o = page_file_owner(mf->path);

		if (!stale_of_kind(need, m, mf, owned))
			continue;
		files++;
		pages = hp_sat_add(pages, mf->pages);
		owner = !owner || (o && !strcmp(owner, o)) ? o : "hugepage users'";
	}
	if (!files)
		return;
	format_bytes(hp_sat_mul(pages, m->page_size), s1, sizeof(s1));
	if (owned)
		f = finding_add(fs, CHECK_STALE_FILES, HP_WARN, CAUSE_NONE,
				"%s holds %" PRIu64 " stale page file%s of %s (%" PRIu64
				" hugepage%s, %s) that no process maps, holds open or locks",
				m->path, files, files == 1 ? "" : "s", owner, pages,
				pages == 1 ? "" : "s", s1);
	else
		f = finding_add(fs, CHECK_STALE_FILES, HP_WARN, CAUSE_NONE,
				"%s holds %" PRIu64 " other file%s that no process uses "
				"(%" PRIu64 " hugepage%s, %s): no hugepage user makes %s "
				"again, so hpdiag removes %s only when named", m->path,
				files, files == 1 ? "" : "s", pages, pages == 1 ? "" : "s",
				s1, files == 1 ? "it" : "them", files == 1 ? "it" : "them");
	finding_str(f, "path", m->path);
	finding_num(f, "files", files);
	finding_num(f, "pages", pages);
	finding_num(f, "bytes", hp_sat_mul(pages, m->page_size));
	for (size_t j = 0, k = 0; j < m->nr_files; j++) {
		const struct mount_file *mf = &m->files[j];
		size_t l = strlen(list), nl = strlen(note);
		char q[512], s2[32];

		if (!stale_of_kind(need, m, mf, owned))
			continue;
		remove_action(f, m, mf);
		if (f && f->remedy.n)
			f->remedy.acts[f->remedy.n - 1].named_only = !owned;
		shell_quote(mf->path, q, sizeof(q));
		if (!owned && k < REMEDY_MAX_COMMANDS)
			finding_remedy(f, "%shpdiag fix --apply --clean-stale=%s", su,
				       shell_quote(mf->path, q, sizeof(q)));
		if (!owned && nl + 600 < sizeof(note))
			snprintf(note + nl, sizeof(note) - nl, "%s%s (%" PRIu64 " page%s, %s)",
				 k ? ", " : "", mf->path, mf->pages, mf->pages == 1 ? "" : "s",
				 format_bytes(hp_sat_mul(mf->pages, m->page_size), s2,
					      sizeof(s2)));
		if (owned && l + 520 < sizeof(list))
			snprintf(list + l, sizeof(list) - l, " %s",
				 shell_quote(mf->path, q, sizeof(q)));
		k++;
	}
	if (owned && files <= 8)
		finding_remedy(f, "%srm -f%s", su, list);
	else if (owned)
		finding_remedy(f, "%shpdiag fix --apply --clean-stale", su);
	if (owned && files > 8)
		finding_note(f, "removes these %" PRIu64 " files and the other stale page "
			     "files of hugepage users, each after checking again that no "
			     "process uses it", files);
	else if (!owned)
		finding_note(f, "each command removes one of them, if you know it is not "
			     "needed: %s", note);
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
				"(%" PRIu64 " hugepage%s, %s) that no process uses: "
				"DPDK deletes them when it starts and takes their "
				"pages", sz->app_dir, rfiles,
				rfiles == 1 ? "" : "s", rpages, rpages == 1 ? "" : "s",
				format_bytes(rpages * sz->page_size, s1, sizeof(s1)));
		finding_num(f, "files", rfiles);
		finding_num(f, "pages", rpages);
		finding_num(f, "bytes", rpages * sz->page_size);
		finding_num(f, "reclaimable", 1);
		finding_note(f, "nothing to do: the application deletes them when it starts; "
			     "to remove them now (with every other stale page file of a "
			     "hugepage user): hpdiag fix --apply --clean-stale");
		for (size_t i = 0; i < snap->nr_mounts; i++)
			for (size_t j = 0; j < snap->mounts[i].nr_files; j++)
				if (need_reclaims(need, &snap->mounts[i],
						  &snap->mounts[i].files[j]))
					remove_action(f, &snap->mounts[i],
						      &snap->mounts[i].files[j]);
	}
	/* The others, by mount: hugepage users' page files, then the rest. */
	for (size_t i = 0; i < snap->nr_mounts; i++) {
		if (!snap->mounts[i].have_usage)
			continue;
		stale_of_mount(snap, need, &snap->mounts[i], true, fs);
		stale_of_mount(snap, need, &snap->mounts[i], false, fs);
	}
}
