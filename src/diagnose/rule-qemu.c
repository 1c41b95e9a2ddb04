// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rule-qemu.c - what only QEMU does: a file backend whose mem-path is not
 * on hugetlbfs.  QEMU 7.2 then makes its backing file on whatever
 * filesystem mem-path is on and starts without a word, its guest RAM in
 * 4 KiB pages (measured: -mem-path and memory-backend-file on ext4 and on
 * /dev): a degraded start, so a WARN with the mount that makes it
 * hugepages.  The pool, mount, quota and cgroup rules check the backends
 * that are on hugetlbfs (model/need-qemu.c).  A mem-path missing with
 * the directory it would be made in is a failure at start (measured:
 * "can't open backing store ... No such file or directory", exit 1), and
 * a hugetlbfs mount there is what makes it work (a mkdir when it is in a
 * mount already): no_mount, a FAIL.
 */
#include <stdio.h>

#include "diagnose/rules.h"

/* A mem-path missing with its directory: QEMU stops at start. */
static void missing(const struct snapshot *snap, const struct need *need,
		    struct findings *fs)
{
	uint64_t ps = snap->mem.hugepagesize;
	char ss[16], q[512];
	const char *su = remedy_sudo(snap), *qp;
	const struct mount *m;
	struct finding *f;
	struct action *a;

	f = finding_add(fs, CHECK_MOUNT, HP_FAIL, CAUSE_NO_MOUNT,
			"QEMU's mem-path %s does not exist, nor the directory it would be "
			"made in: QEMU stops with \"can't open backing store %s for guest "
			"RAM: No such file or directory\"", need->missing_path,
			need->missing_path);
	finding_str(f, "path", need->missing_path);
	qp = shell_quote(need->missing_path, q, sizeof(q));
	/* Under a hugetlbfs mount already: the directory is all it lacks. */
	m = need_mount_of_dir(snap, need->missing_path);
	if (m && m->page_size) {
		finding_remedy(f, "%smkdir -p %s", su, qp);
		finding_note(f, "a directory in the hugetlbfs mount %s: QEMU makes its "
			     "file there", m->path);
		return;
	}
	if (!ps)
		return;
	format_short_size(ps, ss, sizeof(ss));
	finding_remedy(f, "%smkdir -p %s && %smount -t hugetlbfs -o pagesize=%s nodev %s",
		       su, qp, su, ss, qp);
	a = finding_action(f, ACT_MOUNT, need->missing_path);
	if (a)
		a->page_size = ps;
	finding_note(f, "a hugetlbfs mount there, and hugepages in the pool for it");
}

void rule_qemu(const struct snapshot *snap, const struct need *need,
	       struct findings *fs)
{
	uint64_t ps = snap->mem.hugepagesize;
	char s[32], ss[16], q[512];
	const char *su = remedy_sudo(snap), *qp;
	struct finding *f;
	struct action *a;

	if (need->mode != MODE_QEMU)
		return;
	if (need->missing_path) {
		missing(snap, need, fs);
		return;
	}
	if (!need->unhuge_path)
		return;
	format_bytes(need->unhuge_bytes, s, sizeof(s));
	f = finding_add(fs, CHECK_MOUNT, HP_WARN, CAUSE_NO_MOUNT,
			"QEMU's mem-path %s is not on a hugetlbfs mount: QEMU starts, "
			"with %s of guest RAM in ordinary 4 KiB pages, and says nothing",
			need->unhuge_path, s);
	/* A start without hugepages: rule-app.c's outcome keeps it. */
	fs->outcome = RUN_DEGRADED;
	finding_str(f, "path", need->unhuge_path);
	finding_num(f, "bytes", need->unhuge_bytes);
	if (!ps)
		return;
	format_short_size(ps, ss, sizeof(ss));
	qp = shell_quote(need->unhuge_path, q, sizeof(q));
	finding_remedy(f, "%smkdir -p %s && %smount -t hugetlbfs -o pagesize=%s nodev %s",
		       su, qp, su, ss, qp);
	a = finding_action(f, ACT_MOUNT, need->unhuge_path);
	if (a)
		a->page_size = ps;
	finding_note(f, "a hugetlbfs mount there (on an empty directory), and %s "
		     "hugepages in the pool for it", s);
}

