// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * reader.c - how libhpdiag-trace.so reads the counters of an instant inside
 * the application: raw system calls (the library wraps open() itself),
 * buffers on the stack, no allocation, so it works in a signal handler and
 * in a process with no memory or fd to spare.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/magic.h>

#include "trace/reader.h"
#include "trace/trace.h"

size_t tr_u64_str(uint64_t v, char *buf)
{
	char tmp[24];
	size_t n = 0, i = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		buf[i++] = tmp[--n];
	buf[i] = '\0';
	return i;
}

/* dst = a + b + c (any may be ""), bounded. */
void tr_cat3(char *dst, size_t size, const char *a, const char *b, const char *c)
{
	size_t n = 0;

	for (const char *parts[3] = { a, b, c }, **p = parts; p < parts + 3; p++)
		for (const char *s = *p; s && *s && n + 1 < size; s++)
			dst[n++] = *s;
	dst[n] = '\0';
}

int tr_open(const char *path, int flags)
{
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags | O_CLOEXEC, 0);
}

/* Reads the start of a small file; returns the length or -1. */
ssize_t tr_read_small(const char *path, char *buf, size_t size)
{
	int fd = tr_open(path, O_RDONLY);
	ssize_t n, len = 0;

	if (fd < 0)
		return -1;
	while ((size_t)len + 1 < size &&
	       (n = (ssize_t)syscall(SYS_read, fd, buf + len, size - 1 - (size_t)len)) > 0)
		len += n;
	syscall(SYS_close, fd);
	buf[len] = '\0';
	return len;
}

static uint64_t tr_parse_num(const char *s)
{
	uint64_t v = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t)(*s++ - '0');
	return v;
}

static uint64_t tr_read_num(const char *path)
{
	char buf[32];

	return tr_read_small(path, buf, sizeof(buf)) > 0 ? tr_parse_num(buf) : 0;
}

/* "Key:   123 kB" in a /proc file: the number times UNIT. */
uint64_t tr_field(const char *text, const char *key, uint64_t unit)
{
	size_t kl = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, kl))
			return tr_parse_num(p + kl) * unit;
	return 0;
}

uint64_t tr_count_fds(void)
{
	char buf[4096];
	uint64_t n = 0;
	long got;
	int fd = tr_open("/proc/self/fd", O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		return 0;
	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < got; ) {
			const char *name = buf + off + 19;	/* d_name */
			unsigned short reclen;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			if (name[0] != '.')
				n++;
			off += reclen;
		}
	}
	syscall(SYS_close, fd);
	return n ? n - 1 : 0;		/* not the directory's own fd */
}

/*
 * Counts the lines of /proc/self/maps and, when WANT_TOP, finds the object
 * most often mapped: the longest run of consecutive lines naming one file
 * (a leak maps one object again and again, side by side), then how many
 * lines name it in all.
 */
uint64_t tr_scan_maps(struct trace_failure *f, int want_top)
{
	char buf[8192], cur[256], prev[256] = "", best[256] = "";
	uint64_t lines = 0, run = 0, best_run = 0, total = 0;

	for (int pass = 0; pass < (want_top ? 2 : 1); pass++) {
		size_t cl = 0;
		int field_no = 0, gap = 0;
		long n;
		int fd = tr_open("/proc/self/maps", O_RDONLY);

		if (fd < 0)
			return lines;
		lines = 0;
		while ((n = syscall(SYS_read, fd, buf, sizeof(buf))) > 0) {
			for (long i = 0; i < n; i++) {
				char ch = buf[i];

				if (ch != '\n') {
					/* The path is the sixth field. */
					if (field_no < 5) {
						if (ch == ' ')
							gap = 1;
						else if (gap) {
							field_no++;
							gap = 0;
						}
					}
					if (field_no >= 5 && cl + 1 < sizeof(cur))
						cur[cl++] = ch;
					continue;
				}
				cur[cl] = '\0';
				lines++;
				if (pass == 0 && want_top) {
					run = cl && !strcmp(cur, prev) ? run + 1 : cl ? 1 : 0;
					memcpy(prev, cur, cl + 1);
					if (run > best_run) {
						best_run = run;
						memcpy(best, cur, cl + 1);
					}
				} else if (pass == 1 && cl && !strcmp(cur, best)) {
					total++;
				}
				cl = 0;
				field_no = 0;
				gap = 0;
			}
		}
		syscall(SYS_close, fd);
		if (best_run < 32)
			break;		/* no leak signature: one pass is enough */
	}
	f->top_object[0] = '\0';
	f->top_count = 0;
	if (want_top && best_run >= 32) {
		memcpy(f->top_object, best, sizeof(best));
		f->top_count = total;
	}
	return lines;
}

uint64_t tr_soft_limit(int res)
{
	struct rlimit rl;

	if (syscall(SYS_prlimit64, 0, res, NULL, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return UINT64_MAX;
	return rl.rlim_cur;
}

static uint64_t tr_default_page_size(void)
{
	char buf[4096];

	return tr_read_small("/proc/meminfo", buf, sizeof(buf)) > 0 ?
	       tr_field(buf, "Hugepagesize:", 1024) : 0;
}

void trace_take_counters(struct trace_failure *f, int fd, uint64_t flag_size)
{
	struct trace_counters *c = &f->at;
	char buf[4096], num[24], path[160];
	struct statfs sf;

	c->quota_free = UINT64_MAX;
	c->node = -1;
	/* The cgroup's files are hpdiag's to read, before and after. */
	c->cg_usage = c->cg_rsvd_usage = UINT64_MAX;
	if (fd >= 0 && syscall(SYS_fstatfs, fd, &sf) == 0 &&
	    (unsigned long)sf.f_type == HUGETLBFS_MAGIC) {
		c->page_size = (uint64_t)sf.f_bsize;
		if (sf.f_blocks)
			c->quota_free = (uint64_t)sf.f_bavail;
	}
	if (!c->page_size)
		c->page_size = flag_size ? flag_size : tr_default_page_size();
	c->max_map_count = tr_read_num("/proc/sys/vm/max_map_count");
	/* The leaking object matters only when the VMAs ran out. */
	c->vmas = tr_scan_maps(f, f->err == ENOMEM);
	if (c->vmas + 8 < c->max_map_count) {
		f->top_object[0] = '\0';
		f->top_count = 0;
	}
	c->fds = tr_count_fds();
	if (tr_read_small("/proc/self/status", buf, sizeof(buf)) > 0) {
		c->vm_size = tr_field(buf, "VmSize:", 1024);
		c->hugetlb_bytes = tr_field(buf, "HugetlbPages:", 1024);
	}
	c->rlim_as = tr_soft_limit(RLIMIT_AS);
	c->rlim_data = tr_soft_limit(RLIMIT_DATA);
	c->rlim_nofile = tr_soft_limit(RLIMIT_NOFILE);
	c->rlim_memlock = tr_soft_limit(RLIMIT_MEMLOCK);
	/* Out of fds, no file can be read: every fd the limit allows is open. */
	if (f->err == EMFILE && !c->fds && c->rlim_nofile != UINT64_MAX)
		c->fds = c->rlim_nofile;
	if (!c->page_size)
		return;
	tr_u64_str(c->page_size >> 10, num);
	tr_cat3(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-", num, "kB/free_hugepages");
	c->free_pages = tr_read_num(path);
	/* Reserved pages are free but promised to a mapping already. */
	tr_cat3(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-", num, "kB/resv_hugepages");
	{
		uint64_t resv = tr_read_num(path);

		c->free_pages = c->free_pages > resv ? c->free_pages - resv : 0;
	}
	for (unsigned n = 0; n < TRACE_MAX_NODES; n++) {
		char node[24], dir[96];

		tr_u64_str(n, node);
		tr_cat3(dir, sizeof(dir), "/sys/devices/system/node/node", node, "/hugepages/hugepages-");
		tr_cat3(path, sizeof(path), dir, num, "kB/free_hugepages");
		if (tr_read_small(path, buf, 32) < 0)
			break;
		c->node_free[n] = tr_parse_num(buf);
		c->nr_nodes = n + 1;
	}
}

