// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * meta.c - facts that no kernel file holds: the kernel release, the base page
 * size, who ran hpdiag, and for each hugetlbfs mount its owner, whether the
 * user could write to it, the files in it and whether each was in use (a
 * lease told, which a replay cannot ask again).  On the live host they come
 * from syscalls; `hpdiag snapshot` writes them to /hpdiag.snapshot in the
 * captured tree, and under --sysroot they are read back from there.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "lib/pathnames.h"
#include "probe/probe.h"

#define META_FORMAT 1

/* The probe fills its own snapshot: the mount is its to change. */
static struct mount *find_mount(struct snapshot *snap, const char *path)
{
	return (struct mount *)snapshot_mount_at(snap, path);
}

/* Parses "key=value" words after the first two fields of a line. */
static int kv_u64(const char *words, const char *key, uint64_t *val)
{
	size_t kl = strlen(key);

	for (const char *p = words; p && *p; ) {
		char num[32];
		size_t len;

		p += strspn(p, " ");
		if (!strncmp(p, key, kl) && p[kl] == '=') {
			len = strcspn(p + kl + 1, " ");
			if (len == 0 || len >= sizeof(num))
				return -EINVAL;
			memcpy(num, p + kl + 1, len);
			num[len] = '\0';
			return parse_u64(num, val);
		}
		p = strchr(p, ' ');
	}
	return -ENOENT;
}

static int meta_line(struct snapshot *snap, char *line)
{
	char *key = line, *val, *rest;
	struct meta *mt = &snap->meta;
	uint64_t v;
	int rc;

	val = strchr(line, ' ');
	if (!val)
		return -EINVAL;
	*val++ = '\0';
	if (!strcmp(key, "kernel")) {
		snprintf(mt->kernel, sizeof(mt->kernel), "%s", val);
	} else if (!strcmp(key, "machine")) {
		snprintf(mt->machine, sizeof(mt->machine), "%s", val);
	} else if (!strcmp(key, "page_size")) {
		if (parse_u64(val, &mt->base_page_size) < 0 || !mt->base_page_size)
			return -EINVAL;
	} else if (!strcmp(key, "va_bits")) {
		if (parse_u64(val, &v) < 0 || v < 24 || v > 63)
			return -EINVAL;
		mt->va_bits = (unsigned)v;
	} else if (!strcmp(key, "time")) {
		if (parse_u64(val, &v) < 0)
			return -EINVAL;
		mt->time = (int64_t)v;
	} else if (!strcmp(key, "euid")) {
		if (parse_u64(val, &v) < 0 || v > 0xffffffffu)
			return -EINVAL;
		mt->euid = (unsigned)v;
		mt->have_euid = true;
	} else if (!strcmp(key, "mount") || !strcmp(key, "file")) {
		struct mount *m;

		rest = strchr(val, ' ');
		if (rest)
			*rest++ = '\0';
		unescape_octal(val);
		if (!strcmp(key, "mount")) {
			uint64_t w, uid, gid, mode;

			m = find_mount(snap, val);
			if (!m)
				return 0;	/* mounted after the capture */
			if (kv_u64(rest, "writable", &w) < 0 ||
			    kv_u64(rest, "uid", &uid) < 0 ||
			    kv_u64(rest, "gid", &gid) < 0 ||
			    kv_u64(rest, "mode", &mode) < 0)
				return -EINVAL;
			m->writable = w != 0;
			if (kv_u64(rest, "quota_used", &m->quota_used) == 0)
				m->have_quota_used = true;
			m->uid = (unsigned)uid;
			m->gid = (unsigned)gid;
			m->mode = 0;
			/* The mode is written in octal: read its digits so. */
			for (uint64_t scale = 1; mode; mode /= 10, scale *= 8) {
				if (mode % 10 > 7 || scale > 010000)
					return -EINVAL;
				m->mode += (unsigned)(mode % 10 * scale);
			}
			m->have_usage = true;
		} else {
			struct mount_file *nf, f = { 0 };
			char *mpath = val, *fpath = rest;

			if (!fpath)
				return -EINVAL;
			rest = strchr(fpath, ' ');
			if (rest)
				*rest++ = '\0';
			unescape_octal(fpath);
			m = find_mount(snap, mpath);
			if (!m)
				return 0;
			if (kv_u64(rest, "size", &f.size) < 0 ||
			    kv_u64(rest, "pages", &f.pages) < 0)
				return -EINVAL;
			/* Whether the file was in use, when the capture knew:
			 * the leases that told it cannot be replayed. */
			rc = kv_u64(rest, "in_use", &v);
			if (rc == 0 && v > 1)
				return -EINVAL;
			if (rc == 0) {
				f.in_use = v == 1;
				f.recorded = true;
			} else if (rc != -ENOENT) {
				return rc;
			}
			nf = realloc(m->files, (m->nr_files + 1) * sizeof(*nf));
			if (!nf)
				return -ENOMEM;
			m->files = nf;
			f.path = strdup(fpath);
			if (!f.path)
				return -ENOMEM;
			m->files[m->nr_files++] = f;
			m->used_pages += f.pages;
		}
	}
	/* Other keys are for people reading the file, or from newer versions. */
	return 0;
}

/*
 * The size of the user address space: the stack sits at its top, so the
 * bit length of a stack address is the number of address bits (47 on
 * x86_64 with 4-level page tables, 39 or 48 on arm64).
 */
static unsigned live_va_bits(void)
{
	volatile char here = 0;
	uintptr_t a = (uintptr_t)&here;
	unsigned bits = 0;

	while (a) {
		bits++;
		a >>= 1;
	}
	return bits;
}

int meta_scan(struct probe *p, struct snapshot *snap)
{
	char *buf, *line, *save = NULL;
	size_t lineno = 0;
	int rc;

	if (p->sr->live) {
		struct utsname u;
		long ps = sysconf(_SC_PAGESIZE);

		if (uname(&u) == 0) {
			snprintf(snap->meta.kernel, sizeof(snap->meta.kernel),
				 "%s", u.release);
			snprintf(snap->meta.machine, sizeof(snap->meta.machine),
				 "%s", u.machine);
		}
		snap->meta.base_page_size = ps > 0 ? (uint64_t)ps : 0;
		snap->meta.va_bits = live_va_bits();
		snap->meta.euid = (unsigned)geteuid();
		snap->meta.have_euid = true;
		return 0;
	}
	rc = probe_read(p, PATH_SNAPSHOT_META, false, &buf, NULL);
	if (rc == -ENOENT)
		return 0;	/* a hand-made tree: live-only facts unknown */
	if (rc < 0)
		return rc;
	snap->meta.captured = true;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		if (lineno == 1) {
			uint64_t fmt;

			if (strncmp(line, "format ", 7) ||
			    parse_u64(line + 7, &fmt) < 0 || fmt != META_FORMAT) {
				free(buf);
				return probe_fail(p, EINVAL, PATH_SNAPSHOT_META,
						  "line 1: expected 'format %d'",
						  META_FORMAT);
			}
			continue;
		}
		if (line[0] == '#')
			continue;
		rc = meta_line(snap, line);
		if (rc < 0) {
			free(buf);
			return probe_fail(p, EINVAL, PATH_SNAPSHOT_META,
					  "line %zu is malformed", lineno);
		}
	}
	free(buf);
	for (size_t i = 0; i < snap->nr_mounts; i++)
		mount_files_sort(&snap->mounts[i]);
	return 0;
}

int meta_write(int dirfd, const struct snapshot *snap)
{
	FILE *f;
	int fd;

	fd = openat(dirfd, &PATH_SNAPSHOT_META[1],
		    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -errno;
	}
	fprintf(f, "format %d\n", META_FORMAT);
	fprintf(f, "# Written by hpdiag %s: facts about the captured host that "
		"no kernel file holds.\n", PACKAGE_VERSION);
	fprintf(f, "hpdiag %s\n", PACKAGE_VERSION);
	fprintf(f, "time %" PRId64 "\n", (int64_t)time(NULL));
	fprintf(f, "kernel %s\n", snap->meta.kernel);
	fprintf(f, "machine %s\n", snap->meta.machine);
	fprintf(f, "page_size %" PRIu64 "\n", snap->meta.base_page_size);
	if (snap->meta.va_bits)
		fprintf(f, "va_bits %u\n", snap->meta.va_bits);
	fprintf(f, "euid %u\n", snap->meta.euid);
	for (size_t i = 0; i < snap->nr_mounts; i++) {
		const struct mount *m = &snap->mounts[i];
		char *ep = escape_path(m->path);

		if (!ep || !m->have_usage) {
			free(ep);
			continue;
		}
		fprintf(f, "mount %s writable=%d uid=%u gid=%u mode=%o", ep,
			m->writable > 0, m->uid, m->gid, m->mode);
		if (m->have_quota_used)
			fprintf(f, " quota_used=%" PRIu64, m->quota_used);
		fputc('\n', f);
		for (size_t j = 0; j < m->nr_files; j++) {
			char *fp = escape_path(m->files[j].path);

			if (fp) {
				fprintf(f, "file %s %s size=%" PRIu64 " pages=%" PRIu64,
					ep, fp, m->files[j].size, m->files[j].pages);
				if (snap->procs_scanned)
					fprintf(f, " in_use=%d", m->files[j].in_use);
				fputc('\n', f);
			}
			free(fp);
		}
		free(ep);
	}
	if (fclose(f) != 0)
		return -EIO;
	return 0;
}
