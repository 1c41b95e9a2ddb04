// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-qemu.c - QEMU's command line as model/app-qemu.c reads it: QEMU's
 * sizes, the memory backends and their defaults (a file backend private,
 * a memfd shared), -mem-prealloc as every backend's default, the legacy
 * -m with -mem-path, -machine none without RAM, and what QEMU refuses.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/qemu.h"
#include "model/workload.h"
#include "testutil.h"

#define MiB (1ULL << 20)

static int parse(struct qemu_vm *vm, const char *const *args)
{
	char *argv[32];
	int argc = 0;

	argv[argc++] = (char *)"qemu-system-x86_64";
	while (*args && argc < 31)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	return qemu_parse(argc, argv, vm);
}

START_TEST(sizes)
{
	uint64_t b;

	ck_assert_int_eq(qemu_size_parse("256M", 1, &b), 0);
	ck_assert_uint_eq(b, 256 * MiB);
	ck_assert_int_eq(qemu_size_parse("1.5G", 1, &b), 0);
	ck_assert_uint_eq(b, 1536 * MiB);
	ck_assert_int_eq(qemu_size_parse("256", MiB, &b), 0);
	ck_assert_uint_eq(b, 256 * MiB);
	ck_assert_int_eq(qemu_size_parse("4096", 1, &b), 0);
	ck_assert_uint_eq(b, 4096);
	ck_assert_int_eq(qemu_size_parse("2k", 1, &b), 0);
	ck_assert_uint_eq(b, 2048);
	ck_assert_int_eq(qemu_size_parse("2x", 1, &b), -EINVAL);
	ck_assert_int_eq(qemu_size_parse("2MB", 1, &b), -EINVAL);
	ck_assert_int_eq(qemu_size_parse("-1", 1, &b), -EINVAL);
	ck_assert_int_eq(qemu_size_parse("0.5", 1, &b), -EINVAL);
}
END_TEST

START_TEST(backends)
{
	static const char *const a[] = { "-machine", "none", "-object",
		"memory-backend-file,id=m,size=256M,mem-path=/dev/a,,b", "--object",
		"memory-backend-memfd,id=n,size=1G,hugetlb=on,hugetlbsize=1G", NULL };
	struct qemu_vm vm;

	ck_assert_int_eq(parse(&vm, a), 0);
	/* -machine none has no RAM without -m. */
	ck_assert_uint_eq(vm.nr_backends, 2);
	ck_assert_int_eq(vm.backends[0].kind, QEMU_FILE);
	ck_assert_str_eq(vm.backends[0].mem_path, "/dev/a,b");
	ck_assert_uint_eq(vm.backends[0].size, 256 * MiB);
	ck_assert(!vm.backends[0].share);
	ck_assert(vm.backends[0].reserve);
	ck_assert_int_eq(vm.backends[1].kind, QEMU_MEMFD);
	ck_assert(vm.backends[1].share);
	ck_assert(vm.backends[1].hugetlb);
	ck_assert_uint_eq(vm.backends[1].hugetlbsize, 1024 * MiB);
	ck_assert(qemu_backend_huge(&vm.backends[1], false));
	ck_assert(!qemu_backend_huge(&vm.backends[0], false));
	ck_assert_str_eq(vm.error, "");
}
END_TEST

START_TEST(legacy)
{
	static const char *const a[] = { "-m", "size=512,maxmem=1G", "-mem-prealloc",
		"-mem-path", "/dev/hugepages", "-S", NULL };
	static const char *const b[] = { "-m", "1G", NULL };
	static const char *const c[] = { "-mem-prealloc", "-M", "pc,memory-backend=m", "-object",
		"memory-backend-file,id=m,size=1G,mem-path=/h,prealloc=off", "-object",
		"memory-backend-file,id=n,size=1G,mem-path=/h,reserve=off", NULL };
	struct qemu_vm vm;

	ck_assert_int_eq(parse(&vm, a), 0);
	ck_assert_uint_eq(vm.nr_backends, 1);
	ck_assert(vm.backends[0].legacy);
	ck_assert_int_eq(vm.backends[0].kind, QEMU_FILE);
	ck_assert_uint_eq(vm.backends[0].size, 512 * MiB);
	ck_assert(vm.backends[0].prealloc);
	ck_assert(!vm.backends[0].share);
	/* Anonymous RAM only: no hugepages. */
	ck_assert_int_eq(parse(&vm, b), -EINVAL);
	ck_assert_int_eq(vm.backends[0].kind, QEMU_RAM);
	/* -mem-prealloc is a default an explicit prealloc=off overrides;
	 * with reserve=off it is refused. */
	ck_assert_int_eq(parse(&vm, c), 0);
	ck_assert_uint_eq(vm.nr_backends, 2);
	ck_assert_str_eq(vm.machine_backend, "m");
	ck_assert(!vm.backends[0].prealloc);
	ck_assert(vm.backends[1].prealloc);
	ck_assert(!vm.backends[1].reserve);
	ck_assert_str_eq(vm.error, "'prealloc=on' and 'reserve=off' are incompatible");
}
END_TEST

/* What QEMU 7.2 refuses before it maps anything (measured), the first of
 * them; and what it takes as it is. */
START_TEST(refused)
{
	static const char *const nosize[] = { "-object",
		"memory-backend-file,id=m,mem-path=/h,share=on", NULL };
	static const char *const zero[] = { "-object",
		"memory-backend-file,id=m,size=0,mem-path=/h", NULL };
	static const char *const dup[] = { "-object", "memory-backend-file,id=m,size=2M,mem-path=/h",
		"-object", "memory-backend-file,id=m,size=2M,mem-path=/h", NULL };
	static const char *const nobackend[] = { "-machine", "pc,memory-backend=zz", "-m", "256",
		"-object", "memory-backend-file,id=m,size=256M,mem-path=/h", NULL };
	static const char *const notpow2[] = { "-object",
		"memory-backend-memfd,id=m,size=256M,hugetlb=on,hugetlbsize=3M", NULL };
	static const char *const partial[] = { "-object",
		"memory-backend-memfd,id=m,size=3M,hugetlb=on,hugetlbsize=2M", NULL };
	static const char *const partial1g[] = { "-object",
		"memory-backend-memfd,id=m,size=256M,hugetlb=on,hugetlbsize=1G", NULL };
	/* Taken: a file backend is rounded up to its pages; hugetlbsize
	 * without hugetlb=on is ignored (base pages: no hugepages at all). */
	static const char *const file3m[] = { "-object",
		"memory-backend-file,id=m,size=3M,mem-path=/h", NULL };
	static const char *const nohuge[] = { "-object",
		"memory-backend-memfd,id=m,size=256M,hugetlbsize=2M", NULL };
	static const char *const ok1g[] = { "-machine", "pc,memory-backend=b", "-object",
		"memory-backend-file,id=a,size=256M,mem-path=/h2", "-object",
		"memory-backend-memfd,id=b,size=1G,hugetlb=on,hugetlbsize=1G", NULL };
	struct qemu_vm vm;

	parse(&vm, nosize);
	ck_assert_str_eq(vm.error, "-object memory-backend-file,id=m,mem-path=/h,share=on: "
			 "Parameter 'size' is missing");
	parse(&vm, zero);
	ck_assert_str_eq(vm.error, "property 'size' of memory-backend-file doesn't take value '0'");
	parse(&vm, dup);
	ck_assert_str_eq(vm.error, "-object memory-backend-file,id=m,size=2M,mem-path=/h: "
			 "Duplicate ID 'm' for object");
	parse(&vm, nobackend);
	ck_assert_str_eq(vm.error, "Memory backend 'zz' not found");
	parse(&vm, notpow2);
	ck_assert_str_eq(vm.error, "Hugepage size must be a power of 2");
	parse(&vm, partial);
	ck_assert_str_eq(vm.error, "failed to resize memfd to 3145728: Invalid argument");
	parse(&vm, partial1g);
	ck_assert_str_eq(vm.error, "failed to resize memfd to 268435456: Invalid argument");
	ck_assert_int_eq(parse(&vm, file3m), 0);
	ck_assert_str_eq(vm.error, "");
	ck_assert_int_eq(parse(&vm, nohuge), -EINVAL);
	ck_assert_str_eq(vm.error, "");
	ck_assert_int_eq(parse(&vm, ok1g), 0);
	ck_assert_str_eq(vm.error, "");
	ck_assert_uint_eq(vm.nr_backends, 2);
}
END_TEST

START_TEST(parent_dir)
{
	char b[64];

	qemu_parent_dir("/tmp/x/ram", b, sizeof(b));
	ck_assert_str_eq(b, "/tmp/x");
	qemu_parent_dir("/tmp/x//ram/", b, sizeof(b));
	ck_assert_str_eq(b, "/tmp/x");
	qemu_parent_dir("/ram", b, sizeof(b));
	ck_assert_str_eq(b, "/");
	qemu_parent_dir("ram", b, sizeof(b));
	ck_assert_str_eq(b, ".");
}
END_TEST

START_TEST(hint)
{
	char *argv[] = { (char *)"/usr/bin/qemu-system-x86_64", (char *)"-object",
		(char *)"memory-backend-file,id=m,size=256M,mem-path=/dev/hugepages,share=on",
		NULL };
	struct workload_hint h;

	memset(&h, 0, sizeof(h));
	qemu_options(3, argv, &h);
	ck_assert(h.have_mode);
	ck_assert_int_eq(h.mode, MODE_QEMU);
	ck_assert_ptr_nonnull(h.qemu);
	ck_assert(h.app.known);
	ck_assert_str_eq(h.app.name, "qemu");
	ck_assert(!h.app.no_hugepages);
	ck_assert(strstr(h.app.settings, "share=on") != NULL);
	workload_hint_free(&h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("qemu");
	TCase *tc = tcase_create("qemu");

	tcase_add_test(tc, sizes);
	tcase_add_test(tc, backends);
	tcase_add_test(tc, legacy);
	tcase_add_test(tc, refused);
	tcase_add_test(tc, parent_dir);
	tcase_add_test(tc, hint);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
