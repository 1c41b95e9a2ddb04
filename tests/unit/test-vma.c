// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-vma.c - the maps parser (deleted files, names with spaces and
 * escaped newlines, very long paths), grouping by object, the seed 001
 * leak signature, and growth and time to the limit from samples.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "diagnose/vma.h"

START_TEST(parse_lines)
{
	const char *path;
	uint64_t s, e, off;
	size_t len;
	char obj[4200];
	const char *l1 = "7f0000000000-7f0000010000 rw-s 00002000 00:01 1234       /dev/shm/ring buffer (deleted)";
	const char *l2 = "55d1c2a00000-55d1c2a21000 rw-p 00000000 00:00 0          [heap]";
	const char *l3 = "7ffd1000-7ffd2000 r--p 00000000 00:00 0 ";
	const char *l4 = "7f0000000000-7f0000001000 r--s 00000000 00:05 77 /tmp/a\\012b";

	ck_assert_int_eq(maps_parse_line(l1, strlen(l1), &s, &e, &off, &path, &len), 0);
	ck_assert_uint_eq(s, 0x7f0000000000ULL);
	ck_assert_uint_eq(e - s, 0x10000);
	ck_assert_uint_eq(off, 0x2000);
	vma_object(path, len, obj, sizeof(obj));
	ck_assert_str_eq(obj, "/dev/shm/ring buffer (deleted)");
	ck_assert_int_eq(maps_parse_line(l2, strlen(l2), &s, &e, &off, &path, &len), 0);
	vma_object(path, len, obj, sizeof(obj));
	ck_assert_str_eq(obj, "[heap]");
	ck_assert_int_eq(maps_parse_line(l3, strlen(l3), &s, &e, &off, &path, &len), 0);
	vma_object(path, len, obj, sizeof(obj));
	ck_assert_str_eq(obj, "[anon]");
	ck_assert_int_eq(maps_parse_line(l4, strlen(l4), &s, &e, &off, &path, &len), 0);
	vma_object(path, len, obj, sizeof(obj));
	ck_assert_str_eq(obj, "/tmp/a\nb");
	ck_assert_int_lt(maps_parse_line("garbage", 7, &s, &e, &off, &path, &len), 0);
	ck_assert_int_lt(maps_parse_line("2000-1000 r--p 0 0 0", 20, &s, &e, &off, &path, &len), 0);
	ck_assert_int_lt(maps_parse_line("12345678901234567-1 r", 21, &s, &e, &off, &path, &len), 0);
}
END_TEST

START_TEST(long_path)
{
	char line[5000], obj[4200];
	const char *path;
	uint64_t s, e, off;
	size_t len;
	int n;

	n = snprintf(line, sizeof(line), "1000-2000 r--p 00000000 08:01 12 /");
	memset(line + n, 'x', 4000);
	line[n + 4000] = '\0';
	ck_assert_int_eq(maps_parse_line(line, strlen(line), &s, &e, &off, &path, &len), 0);
	ck_assert_uint_eq(len, 4001);
	vma_object(path, len, obj, sizeof(obj));
	ck_assert_uint_eq(strlen(obj), 4001);
}
END_TEST

/* A captured maps file: a seed 001 leak among ordinary mappings. */
static char *maps_tree(unsigned leaked, unsigned distinct)
{
	char tmpl[] = "/tmp/hpdiag-vma-XXXXXX", *dir = mkdtemp(tmpl), path[4200];
	FILE *f;

	ck_assert_ptr_nonnull(dir);
	dir = strdup(dir);
	snprintf(path, sizeof(path), "%s/proc/4242", dir);
	write_file(dir, "proc/4242/maps", "");
	snprintf(path, sizeof(path), "%s/proc/4242/maps", dir);
	f = fopen(path, "w");
	fprintf(f, "555555554000-555555556000 r-xp 00000000 08:01 100 /usr/bin/service\n");
	fprintf(f, "555555600000-555555700000 rw-p 00000000 00:00 0 [heap]\n");
	for (unsigned i = 0; i < leaked; i++)
		fprintf(f, "%012llx-%012llx rw-s 00000000 00:01 9 /dev/shm/input-ring\n",
			0x7f0000000000ULL + i * 0x20000ULL,
			0x7f0000000000ULL + i * 0x20000ULL + 0x10000ULL);
	for (unsigned i = 0; i < distinct; i++)
		fprintf(f, "%012llx-%012llx r--s 00000000 00:01 %u /dev/shm/file-%u\n",
			0x7e0000000000ULL + i * 0x2000ULL,
			0x7e0000000000ULL + i * 0x2000ULL + 0x1000ULL, 100 + i, i);
	fclose(f);
	return dir;
}

START_TEST(seed001_leak)
{
	struct vma_scan vs;
	struct findings fs = { 0 };
	struct sysroot sr;
	struct probe p = { .sr = &sr };
	double rate, eta;
	char *dir = maps_tree(5000, 40);

	ck_assert_int_eq(sysroot_init(&sr, dir), 0);
	ck_assert_int_eq(vma_scan_pid(&p, 4242, false, &vs), 0);
	vma_scan_sort(&vs);
	ck_assert_uint_eq(vs.count, 5042);
	ck_assert_str_eq(vs.groups[0].object, "/dev/shm/input-ring");
	ck_assert_uint_eq(vs.groups[0].vmas, 5000);
	ck_assert_uint_eq(vs.groups[0].identical, 5000);
	ck_assert(vs.groups[0].leak);
	/* Distinct files, each once, and the heap: no leak. */
	for (size_t i = 1; i < vs.nr_groups; i++)
		ck_assert(!vs.groups[i].leak);
	ck_assert_int_eq(vma_findings(&vs, 65530, NULL, 0, &rate, &eta, &fs), 0);
	ck_assert_int_eq(status_of(&fs, "map_count"), HP_PASS);
	ck_assert_int_eq(status_of(&fs, "vma_leak"), HP_WARN);
	ck_assert_uint_eq(evidence_num(&fs, "vma_leak", "identical"), 5000);
	findings_free(&fs);
	/* At the limit (the maps file counts [vsyscall] too): a failure. */
	ck_assert_int_eq(vma_findings(&vs, 5044, NULL, 0, &rate, &eta, &fs), 0);
	ck_assert_str_eq(cause_of(&fs, "map_count"), "map_count_limit");
	findings_free(&fs);
	ck_assert_int_eq(vma_findings(&vs, 5045, NULL, 0, &rate, &eta, &fs), 0);
	ck_assert_int_eq(status_of(&fs, "map_count"), HP_WARN);
	findings_free(&fs);
	ck_assert_int_eq(vma_findings(&vs, 5000, NULL, 0, &rate, &eta, &fs), 0);
	ck_assert_str_eq(cause_of(&fs, "map_count"), "map_count_limit");
	findings_free(&fs);
	vma_scan_free(&vs);
	sysroot_release(&sr);
	remove_tree(dir);
	free(dir);
}
END_TEST

START_TEST(growth)
{
	struct vma_sample samples[] = { { 0, 1000 }, { 1, 1400 }, { 2, 1800 } };
	struct vma_scan vs = { .pid = 7, .count = 1800 };
	struct findings fs = { 0 };
	double rate, eta;

	ck_assert_int_eq(vma_findings(&vs, 65530, samples, 3, &rate, &eta, &fs), 0);
	ck_assert(rate > 399.9 && rate < 400.1);
	ck_assert(eta > 159.3 && eta < 159.4);	/* (65530 - 1800) / 400 */
	ck_assert_int_eq(status_of(&fs, "map_count"), HP_WARN);
	ck_assert_ptr_nonnull(strstr(fget(&fs, "map_count")->message,
				     "reaches the limit in 3 min (159 s)"));
	findings_free(&fs);
	/* Under a minute and a half: the seconds once, not "42 s (42 s)". */
	vs.count = samples[2].count = 64000;
	samples[0].count = 63000;
	samples[1].count = 63500;
	ck_assert_int_eq(vma_findings(&vs, 65530, samples, 3, &rate, &eta, &fs), 0);
	ck_assert_ptr_nonnull(strstr(fget(&fs, "map_count")->message,
				     "reaches the limit in 3 s"));
	ck_assert_ptr_null(strstr(fget(&fs, "map_count")->message, "3 s ("));
	findings_free(&fs);
	samples[0].count = 1000;
	vs.count = 1800;
	/* Steady: no rate, no time to the limit. */
	samples[1].count = samples[2].count = 1000;
	ck_assert_int_eq(vma_findings(&vs, 65530, samples, 3, &rate, &eta, &fs), 0);
	ck_assert(rate == 0);
	ck_assert(eta < 0);
	ck_assert_int_eq(status_of(&fs, "map_count"), HP_PASS);
	findings_free(&fs);
}
END_TEST

START_TEST(broken_maps)
{
	struct vma_scan vs;
	struct sysroot sr;
	struct probe p = { .sr = &sr };
	char tmpl[] = "/tmp/hpdiag-vma-XXXXXX", *dir = mkdtemp(tmpl);

	write_file(dir, "proc/9/maps", "1000-2000 r--p 00000000 08:01 12 /a\nnot a line\n");
	ck_assert_int_eq(sysroot_init(&sr, dir), 0);
	ck_assert_int_lt(vma_scan_pid(&p, 9, false, &vs), 0);
	ck_assert_ptr_nonnull(strstr(p.err.msg, "proc/9/maps: line 2 is not a maps entry"));
	vma_scan_free(&vs);
	ck_assert_int_lt(vma_scan_pid(&p, 10, false, &vs), 0);
	ck_assert_ptr_nonnull(strstr(p.err.msg, "no such process"));
	vma_scan_free(&vs);
	sysroot_release(&sr);
	remove_tree(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vma");
	TCase *tc = tcase_create("vma");

	tcase_add_test(tc, parse_lines);
	tcase_add_test(tc, long_path);
	tcase_add_test(tc, seed001_leak);
	tcase_add_test(tc, growth);
	tcase_add_test(tc, broken_maps);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
