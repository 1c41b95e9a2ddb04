// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-program.c - the program as the kernel and the loader map it: the
 * ELF reader (lib/elf.c) on tests/bigbss, a 64 MiB .bss, and its library
 * with a 4 MiB one (both built by the test suite); malformed files; the
 * loader's search (lib/ldso.c) live and in a tree with an ld.so.conf and
 * LD_LIBRARY_PATH; the program probe (probe/program.c); and the data need
 * computed from it, against the VmData of the program run.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/elf.h"
#include "lib/ldso.h"
#include "probe/program.h"
#include "testutil.h"

#ifndef TESTBIN
#define TESTBIN "tests"		/* the build's, from Makefile.am */
#endif
#define MiB (1ULL << 20)
#define BIGBSS TESTBIN "/bigbss"
#define ELFLIB TESTBIN "/libhpdiag-elftest.so"

static int read_elf(const char *path, struct elf_file *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	ck_assert_msg(fd >= 0, "cannot open %s", path);
	rc = elf_read(fd, 4096, e);
	close(fd);
	return rc;
}

START_TEST(elf_bigbss)
{
	struct elf_file e;
	bool needs_lib = false;

	ck_assert_int_eq(read_elf(BIGBSS, &e), 0);
	ck_assert(e.is64 == (sizeof(void *) == 8));
	ck_assert_ptr_nonnull(e.interp);
	ck_assert(e.dynamic);
	/* 64 MiB of .bss, zero-filled beyond the file, writable. */
	ck_assert_uint_ge(e.rw_bytes, 64 * MiB);
	ck_assert_uint_lt(e.rw_bytes, 64 * MiB + 64 * 1024ULL);
	ck_assert_uint_ge(e.bss_bytes, 64 * MiB - 4096);
	ck_assert_uint_ge(e.map_bytes, e.rw_bytes);
	for (size_t i = 0; i < e.nr_needed; i++)
		needs_lib |= !strcmp(e.needed[i], "libhpdiag-elftest.so");
	ck_assert(needs_lib);
	ck_assert_str_eq(e.runpath, "$ORIGIN");
	ck_assert_ptr_null(e.rpath);
	elf_file_free(&e);

	ck_assert_int_eq(read_elf(ELFLIB, &e), 0);
	ck_assert_str_eq(e.soname, "libhpdiag-elftest.so");
	ck_assert_uint_ge(e.rw_bytes, 4 * MiB);
	ck_assert_ptr_null(e.interp);
	elf_file_free(&e);
}
END_TEST

/* Writes LEN bytes of BUF to a new temporary file; returns its fd. */
static int temp_with(const void *buf, size_t len)
{
	char tmpl[] = "/tmp/hpdiag-elf-XXXXXX";
	int fd = mkstemp(tmpl);

	ck_assert(fd >= 0);
	unlink(tmpl);
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
	return fd;
}

/* Not ELF, cut short, or with offsets out of the file: -ENOEXEC. */
START_TEST(elf_malformed)
{
	static const char script[] = "#!/bin/sh\nexit 0\n";
	unsigned char head[4096];
	struct elf_file e;
	int fd, src = open(BIGBSS, O_RDONLY | O_CLOEXEC);

	ck_assert(src >= 0);
	ck_assert_int_eq(pread(src, head, sizeof(head), 0), (ssize_t)sizeof(head));
	close(src);
	fd = temp_with(script, sizeof(script) - 1);
	ck_assert_int_eq(elf_read(fd, 4096, &e), -ENOEXEC);
	elf_file_free(&e);
	close(fd);
	/* The header alone: the program headers are past the end. */
	fd = temp_with(head, 40);
	ck_assert_int_eq(elf_read(fd, 4096, &e), -ENOEXEC);
	elf_file_free(&e);
	close(fd);
	/* e_phoff far beyond the file. */
	memset(head + 32, 0x7f, 8);
	fd = temp_with(head, sizeof(head));
	ck_assert_int_eq(elf_read(fd, 4096, &e), -ENOEXEC);
	elf_file_free(&e);
	close(fd);
	/* A page size that is not one. */
	fd = temp_with(script, sizeof(script) - 1);
	ck_assert_int_eq(elf_read(fd, 3000, &e), -EINVAL);
	close(fd);
}
END_TEST

START_TEST(elf_strings)
{
	static char big[200000];
	char buf[64];
	int fd = open(ELFLIB, O_RDONLY | O_CLOEXEC);

	ck_assert(fd >= 0);
	ck_assert_int_eq(elf_find_string(fd, "HPDIAG_ELFTEST_DIR=", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "/opt/hpdiag/plugins");
	ck_assert_int_eq(elf_find_string(fd, "HPDIAG_NO_SUCH_MARKER=", buf, sizeof(buf)),
			 -ENOENT);
	ck_assert_int_eq(elf_find_string(fd, "HPDIAG_ELFTEST_DIR=", buf, 8), -E2BIG);
	close(fd);
	/* A string across two reads (64 KiB each). */
	snprintf(big + 65536 - 5, 16, "%s", "MARK=across");
	fd = temp_with(big, sizeof(big));
	ck_assert_int_eq(elf_find_string(fd, "MARK=", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "across");
	close(fd);
}
END_TEST

static const struct ld_object *find_obj(const struct ld_image *im, const char *base)
{
	for (size_t i = 0; i < im->n; i++) {
		const char *s = strrchr(im->objs[i].path, '/');

		if (!strcmp(s ? s + 1 : im->objs[i].path, base))
			return &im->objs[i];
	}
	return NULL;
}

/* On this host: the library through $ORIGIN, libc and the interpreter
 * through the system's directories, each once. */
START_TEST(loader_live)
{
	struct sysroot sr;
	struct ld_image im;
	const struct ld_object *o;

	ck_assert_int_eq(sysroot_init(&sr, NULL), 0);
	ck_assert_int_eq(ld_image_init(&im, &sr, 4096, NULL), 0);
	ck_assert_int_eq(ld_image_exec(&im, BIGBSS, NULL), 0);
	ck_assert_uint_eq(im.nr_missing, 0);
	o = find_obj(&im, "libhpdiag-elftest.so");
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(o->path, ELFLIB);
	ck_assert_ptr_nonnull(find_obj(&im, "libc.so.6"));
	ck_assert_ptr_nonnull(ld_image_find(&im, "ld-linux"));
	for (size_t i = 0; i < im.n; i++)
		for (size_t j = i + 1; j < im.n; j++)
			ck_assert(im.objs[i].dev != im.objs[j].dev || im.objs[i].ino != im.objs[j].ino);
	/* dlopen() of what is loaded already loads nothing. */
	ck_assert_int_eq(ld_image_dlopen(&im, "libhpdiag-elftest.so", 0), 0);
	ck_assert_int_eq(ld_image_dlopen(&im, "libhpdiag-no-such.so", 0), -ENOENT);
	ck_assert_str_eq(im.missing[im.nr_missing - 1], "libhpdiag-no-such.so");
	ld_image_free(&im);
	sysroot_release(&sr);
}
END_TEST

static void copy_file(const char *from, const char *dir, const char *to)
{
	char path[PATH_MAX], buf[65536];
	int in = open(from, O_RDONLY), out;
	ssize_t n;

	write_file(dir, to, "");
	snprintf(path, sizeof(path), "%s/%s", dir, to);
	out = open(path, O_WRONLY | O_TRUNC);
	ck_assert(in >= 0 && out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	chmod(path, 0755);
	close(in);
	close(out);
}

/* In a tree: $ORIGIN (/usr/bin) does not hold the library, ld.so.conf's
 * include does; LD_LIBRARY_PATH comes first; libc is found nowhere. */
START_TEST(loader_tree)
{
	char tmpl[] = "/tmp/hpdiag-ldso-XXXXXX", *dir = mkdtemp(tmpl);
	struct sysroot sr;
	struct ld_image im;
	const struct ld_object *o;
	bool libc_missing = false;
	char path[64];

	ck_assert_ptr_nonnull(dir);
	write_file(dir, "etc/ld.so.conf", "# comment\ninclude ld.so.conf.d/*.conf\n");
	write_file(dir, "etc/ld.so.conf.d/b.conf", "/opt/lib # ours\n");
	write_file(dir, "etc/ld.so.conf.d/a.txt", "/not/read\n");
	copy_file(BIGBSS, dir, "usr/bin/bigbss");
	copy_file(ELFLIB, dir, "opt/lib/libhpdiag-elftest.so");
	copy_file(ELFLIB, dir, "env/lib/libhpdiag-elftest.so");
	ck_assert_int_eq(sysroot_init(&sr, dir), 0);

	ck_assert_int_eq(ld_image_init(&im, &sr, 4096, NULL), 0);
	ck_assert_uint_eq(im.nr_conf_dirs, 1);
	ck_assert_str_eq(im.conf_dirs[0], "/opt/lib");
	ck_assert_int_eq(ld_image_exec(&im, "/usr/bin/bigbss", NULL), 0);
	o = find_obj(&im, "libhpdiag-elftest.so");
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(o->path, "/opt/lib/libhpdiag-elftest.so");
	for (size_t i = 0; i < im.nr_missing; i++)
		libc_missing |= !strcmp(im.missing[i], "libc.so.6");
	ck_assert(libc_missing);
	ld_image_free(&im);

	ck_assert_int_eq(ld_image_init(&im, &sr, 4096, "/env/lib:/nothing"), 0);
	ck_assert_int_eq(ld_image_exec(&im, "/usr/bin/bigbss", NULL), 0);
	ck_assert_str_eq(find_obj(&im, "libhpdiag-elftest.so")->path,
			 "/env/lib/libhpdiag-elftest.so");
	ld_image_free(&im);

	ck_assert_int_eq(ld_program_path(&sr, "bigbss", "/nothing:/usr/bin", path,
					 sizeof(path)), 0);
	ck_assert_str_eq(path, "/usr/bin/bigbss");
	ck_assert_int_eq(ld_program_path(&sr, "nosuch", "/usr/bin", path, sizeof(path)),
			 -ENOENT);
	sysroot_release(&sr);
	remove_tree(dir);
}
END_TEST

/* The VmData bigbss reports once running. */
static uint64_t run_vmdata(void)
{
	int p[2], status;
	char buf[256] = "";
	unsigned long kb = 0;
	pid_t pid;
	ssize_t n;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		dup2(p[1], 1);
		execl(BIGBSS, "bigbss", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	waitpid(pid, &status, 0);
	ck_assert(n > 0);
	buf[n] = '\0';
	ck_assert_int_eq(sscanf(buf, "VmData: %lu kB", &kb), 1);
	return (uint64_t)kb << 10;
}

/*
 * The need from the program: its .bss and its library's, what starts with
 * them less what becomes read-only, the start-up allocations; for DPDK
 * the thread stacks too.  Run, the program holds no more than that.
 */
START_TEST(need_from_program)
{
	struct probe p;
	struct sysroot sr;
	struct program prog;
	struct snapshot snap;
	struct need need;
	struct workload wl = { 0 };
	const struct need_data *d = &need.data;
	uint64_t vmdata, base;
	char err[256];

	ck_assert_int_eq(sysroot_init(&sr, NULL), 0);
	p.sr = &sr;
	ck_assert_int_eq(program_probe(&p, BIGBSS, NULL, NULL, NULL, 4096, &prog), 0);
	ck_assert_uint_ge(prog.own_rw, 64 * MiB);
	ck_assert_uint_ge(prog.start_rw, 4 * MiB);
	ck_assert(!prog.is_static);
	ck_assert_int_eq(load_fixture("this-host", PROBE_ALL, &snap, err, sizeof(err)), 0);

	wl.mode = MODE_ANON;
	wl.have_mode = true;
	wl.program = &prog;
	ck_assert_int_eq(need_compute(&snap, &wl, &need), 0);
	ck_assert(d->known);
	ck_assert_str_eq(d->from, "program");
	ck_assert_uint_eq(d->own, prog.own_rw);
	ck_assert_uint_eq(d->libraries, prog.start_rw);
	ck_assert_uint_eq(d->early_threads + d->late_threads, 0);
	base = d->own + d->libraries + d->tls - d->relro + d->heap;
	ck_assert_uint_eq(need.data_bytes, base);
	vmdata = run_vmdata();
	ck_assert_uint_le(vmdata, need.data_bytes);
	ck_assert_uint_ge(vmdata + 2 * MiB, need.data_bytes);

	/* As a DPDK application with 3 lcores and no telemetry: the
	 * interrupt, multi-process and 2 worker threads, RLIMIT_STACK each. */
	memset(&wl, 0, sizeof(wl));
	wl.program = &prog;
	wl.lcores = 3;
	wl.have_lcores = true;
	wl.no_telemetry = true;
	wl.have_mem = true;
	wl.mem_bytes = 64 * MiB;
	ck_assert_int_eq(need_compute(&snap, &wl, &need), 0);
	ck_assert_uint_eq(d->stack, snap.lim.rlimits[RL_STACK].soft);
	ck_assert_uint_eq(d->early_threads, 2);
	ck_assert_uint_eq(d->late_threads, 2);
	ck_assert_uint_eq(d->optional_threads, 0);
	ck_assert_uint_eq(need.data_bytes, base + 4 * d->stack + d->model);
	ck_assert_uint_eq(d->model, 4ULL * 8192 * 4);	/* 4 lists' fd tables */
	ck_assert_uint_ge(need.baseline_va, prog.start_map + 4 * d->stack);

	snapshot_free(&snap);
	program_free(&prog);
	sysroot_release(&sr);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("program");
	TCase *tc = tcase_create("program");

	tcase_add_test(tc, elf_bigbss);
	tcase_add_test(tc, elf_malformed);
	tcase_add_test(tc, elf_strings);
	tcase_add_test(tc, loader_live);
	tcase_add_test(tc, loader_tree);
	tcase_add_test(tc, need_from_program);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
