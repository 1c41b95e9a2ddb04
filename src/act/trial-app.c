// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trial-app.c - the other applications' sequences in a trial's child (see
 * trial-child.h), each mapping as the application maps:
 *  - PostgreSQL: one MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB mapping of
 *    its shared memory, every page touched (a hugetlb cgroup that charges
 *    at fault time gives SIGBUS, as to a backend that touches the page);
 *    with huge_pages=try a refused mapping is its fallback to base pages.
 *  - A JVM: one mapping per region of its model, in its order (code cache,
 *    heap, G1's tables), MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB
 *    (UseHugeTLBFS) or a shmget(SHM_HUGETLB) segment (UseSHM); a refused
 *    region falls back to base pages and the next is tried, as the JVM
 *    does.
 *  - QEMU: per file backend a file in its mem-path (unnamed: nothing is
 *    left), sized as the backend, mapped MAP_SHARED (share=on) or
 *    MAP_PRIVATE, MAP_NORESERVE with reserve=off; per memfd backend with
 *    hugetlb=on a memfd_create(MFD_HUGETLB); every page touched, at start
 *    with prealloc=on ("Bad address" from QEMU under a cgroup limit), else
 *    as the guest will touch its RAM.  A mem-path not on hugetlbfs is
 *    base pages, not tried.
 *  - --mode anon and shm without a model: one mapping of the pages.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/memfd.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "act/trial-child.h"
#include "model/qemu.h"

#ifndef HUGETLBFS_MAGIC
#define HUGETLBFS_MAGIC 0x958458f6
#endif

/* The need's entry of page size PS, or its first. */
static const struct need_size *size_of(uint64_t ps)
{
	const struct need_size *s = need_size_of(tc.o->need, ps);

	return s ? s : &tc.o->need->sizes[0];
}

/* A mapping was refused: R->fail keeps the first such call with the
 * counters of that instant (the baseline the child holds stays). */
static void refused(struct trial_region *rg, const char *call, int err, uint64_t len)
{
	snprintf(rg->call, sizeof(rg->call), "%s", call);
	rg->err = err;
	if (tc.r->fell_back)
		return;
	tc.r->fell_back = true;
	tc.r->page = tc.r->mapped;
	snprintf(tc.r->fail.call, sizeof(tc.r->fail.call), "%s", call);
	tc.r->fail.err = err;
	tc.r->fail.args[1] = len;
	tc.r->fail.nr_args = 2;
	tc_counters(&tc.r->fail.at, false);
}

/* A refusal that nothing catches: the application fails there. */
static void __attribute__((noreturn)) fatal(const char *call, int err, uint64_t len)
{
	tc.r->fail.args[1] = len;
	tc.r->fail.nr_args = 2;
	tc_fail(tc.r->mapped, call, err, 0);
}

/* Faults every page of P in; a refused one ends the trial (SIGBUS: no
 * fallback catches a page that cannot be had after the mapping). */
static void touch_all(char *p, uint64_t len, uint64_t ps, const char *call)
{
	for (uint64_t off = 0; off < len; off += ps) {
		if (!tc_touch(p + off))
			tc_fail(tc.r->mapped, call, 0, SIGBUS);
		tc.r->mapped++;
	}
}

static struct trial_region *region_add(const char *name, uint64_t bytes, uint64_t ps)
{
	struct trial_region *rg;

	if (tc.r->nr_regions >= TRIAL_MAX_REGIONS)
		return NULL;
	rg = &tc.r->regions[tc.r->nr_regions++];
	snprintf(rg->name, sizeof(rg->name), "%s", name);
	rg->bytes = bytes;
	rg->page_size = ps;
	return rg;
}

/* One region of LEN bytes: mmap(MAP_HUGETLB) with FLAGS, or a SHM_HUGETLB
 * segment; NULL with *CALL when refused. */
static char *map_region(uint64_t len, uint64_t ps, int flags, bool shm, const char **call)
{
	unsigned shift = (unsigned)__builtin_ctzll(ps);
	char *p;

	if (!shm) {
		*call = "mmap";
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS |
			 MAP_HUGETLB | ((int)shift << MAP_HUGE_SHIFT), -1, 0);
		return p == MAP_FAILED ? NULL : p;
	}
	{
		int id = shmget(IPC_PRIVATE, len, IPC_CREAT | SHM_HUGETLB | 0600 |
				((int)shift << SHM_HUGE_SHIFT));
		int err;

		*call = "shmget";
		if (id < 0)
			return NULL;
		p = shmat(id, NULL, 0);
		err = errno;
		/* Destroyed when the last process detaches: this one, at exit. */
		shmctl(id, IPC_RMID, NULL);
		*call = "shmat";
		errno = err;
		return p == (void *)-1 ? NULL : p;
	}
}

/* PostgreSQL, a JVM, --mode anon/shm: the model's regions, in order. */
static void run_regions(void)
{
	const struct need *need = tc.o->need;
	const struct app_model *m = need->app;
	const uint64_t ps = need->page_size;
	bool shm = need->mode == MODE_SHM;
	bool jvm = m && m->name && !strcmp(m->name, "jvm");
	bool fallback = m && m->fallback;
	size_t n = m && m->nr_regions ? m->nr_regions : 1;

	tc.s = size_of(ps);
	for (size_t i = 0; i < n; i++) {
		uint64_t bytes = m && m->nr_regions ? m->regions[i].bytes : need->pages * ps;
		uint64_t len = ps ? (bytes + ps - 1) / ps * ps : bytes;
		struct trial_region *rg = region_add(m && m->nr_regions ? m->regions[i].name :
						     "hugepages", bytes, ps);
		const char *call;
		char *p;

		/* The JVM's private mapping, PostgreSQL's shared one. */
		p = map_region(len, ps, jvm ? MAP_PRIVATE : MAP_SHARED, shm, &call);
		if (!p && fallback && rg) {
			refused(rg, call, errno, len);
			continue;
		}
		if (!p)
			fatal(call, errno, len);
		if (rg)
			rg->huge = true;
		touch_all(p, len, ps, "fault");
	}
}

/* Whether DIR is on hugetlbfs; *PS its page size. */
static bool on_hugetlbfs(const char *dir, uint64_t *ps)
{
	struct statfs sfs;

	if (statfs(dir, &sfs) < 0 || (unsigned long)sfs.f_type != HUGETLBFS_MAGIC)
		return false;
	*ps = (uint64_t)sfs.f_bsize;
	return true;
}

/* QEMU: each backend that takes hugepages, in the order of its options. */
static void run_qemu(const struct qemu_vm *vm)
{
	const struct need *need = tc.o->need;

	for (size_t i = 0; i < vm->nr_backends; i++) {
		const struct qemu_backend *b = &vm->backends[i];
		char name[48], dir[QEMU_TEXT];
		struct trial_region *rg;
		struct stat st;
		uint64_t ps = 0, len;
		int fd, flags;
		char *p;

		snprintf(name, sizeof(name), "%s %s", b->legacy ? "-mem-path" :
			 b->kind == QEMU_FILE ? "memory-backend-file" : "memory-backend-memfd",
			 b->legacy ? b->mem_path : b->id);
		if (b->kind == QEMU_FILE) {
			/* mem-path is a directory, or the file itself (QEMU
			 * makes it when missing: in its directory, which must
			 * be there - else "can't open backing store": ENOENT). */
			snprintf(dir, sizeof(dir), "%s", b->mem_path);
			if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
				qemu_parent_dir(b->mem_path, dir, sizeof(dir));
				if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
					region_add(name, b->size, 0);
					fatal("open", ENOENT, 0);
				}
			}
			if (!on_hugetlbfs(dir, &ps)) {
				rg = region_add(name, b->size, 0);
				if (rg)
					rg->unhuge = true;
				continue;
			}
			tc.s = size_of(ps);
			tc.quota_dir = dir;
			rg = region_add(name, b->size, ps);
			fd = tc_page_file(dir);
			if (fd < 0)
				fatal("open", errno, 0);
		} else if (b->kind == QEMU_MEMFD && b->hugetlb) {
			unsigned shift;

			ps = b->hugetlbsize ? b->hugetlbsize : need->sizes[0].page_size;
			shift = (unsigned)__builtin_ctzll(ps);
			tc.s = size_of(ps);
			tc.quota_dir = NULL;
			rg = region_add(name, b->size, ps);
			fd = memfd_create("hpdiag-trial", MFD_CLOEXEC | MFD_HUGETLB |
					  (shift << MFD_HUGE_SHIFT));
			if (fd < 0)
				fatal("memfd_create", errno, 0);
		} else {
			continue;	/* anonymous memory: no hugepage */
		}
		len = ps ? (b->size + ps - 1) / ps * ps : b->size;
		if (ftruncate(fd, (off_t)len) < 0)
			fatal("ftruncate", errno, len);
		flags = (b->share ? MAP_SHARED : MAP_PRIVATE) | (b->reserve ? 0 : MAP_NORESERVE);
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, 0);
		if (p == MAP_FAILED)
			fatal("mmap", errno, len);
		close(fd);
		if (rg)
			rg->huge = true;
		/* prealloc=on at start; else the guest touches it later. */
		touch_all(p, len, ps, b->prealloc ? "prealloc" : "fault");
	}
}

void trial_app(void)
{
	if (tc.o->need->mode == MODE_QEMU && tc.o->qemu)
		run_qemu(tc.o->qemu);
	else
		run_regions();
}
