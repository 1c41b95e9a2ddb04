// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-parse.c - the pure parsers: numbers, sizes, sysfs names, node lists,
 * meminfo, /proc/PID/limits, buddyinfo, escapes and size formatting.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/untrusted.h"
#include "probe/parse.h"
#include "report/text.h"
#include "testutil.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

START_TEST(u64_strict)
{
	uint64_t v;

	ck_assert_int_eq(parse_u64("0", &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(parse_u64("3096\n", &v), 0);
	ck_assert_uint_eq(v, 3096);
	ck_assert_int_eq(parse_u64("18446744073709551615", &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_eq(parse_u64("18446744073709551616", &v), -ERANGE);
	ck_assert_int_eq(parse_u64("99999999999999999999999", &v), -ERANGE);
	ck_assert_int_eq(parse_u64("", &v), -EINVAL);
	ck_assert_int_eq(parse_u64("-1", &v), -EINVAL);
	ck_assert_int_eq(parse_u64("12abc", &v), -EINVAL);
	ck_assert_int_eq(parse_u64("0x10", &v), -EINVAL);
	ck_assert_int_eq(parse_u64("1 2", &v), -EINVAL);
}
END_TEST

START_TEST(sizes)
{
	uint64_t v;

	ck_assert_int_eq(parse_size("2M", &v), 0);
	ck_assert_uint_eq(v, 2 << 20);
	ck_assert_int_eq(parse_size("1G", &v), 0);
	ck_assert_uint_eq(v, 1ULL << 30);
	ck_assert_int_eq(parse_size("1024M", &v), 0);
	ck_assert_uint_eq(v, 1ULL << 30);
	ck_assert_int_eq(parse_size("2048kB", &v), 0);
	ck_assert_uint_eq(v, 2 << 20);
	ck_assert_int_eq(parse_size("64K", &v), 0);
	ck_assert_uint_eq(v, 65536);
	ck_assert_int_eq(parse_size("16GiB", &v), 0);
	ck_assert_uint_eq(v, 16ULL << 30);
	ck_assert_int_eq(parse_size("4294967296", &v), 0);
	ck_assert_uint_eq(v, 4294967296ULL);
	ck_assert_int_eq(parse_size("2X", &v), -EINVAL);
	ck_assert_int_eq(parse_size("M", &v), -EINVAL);
	ck_assert_int_eq(parse_size("2MBs", &v), -EINVAL);
	ck_assert_int_eq(parse_size("99999999999T", &v), -ERANGE);
}
END_TEST

START_TEST(sysfs_names)
{
	uint64_t ps;
	unsigned node;

	ck_assert_int_eq(parse_hugepages_dir("hugepages-2048kB", &ps), 0);
	ck_assert_uint_eq(ps, 2 << 20);
	ck_assert_int_eq(parse_hugepages_dir("hugepages-64kB", &ps), 0);
	ck_assert_uint_eq(ps, 65536);
	ck_assert_int_eq(parse_hugepages_dir("hugepages-524288kB", &ps), 0);
	ck_assert_uint_eq(ps, 512ULL << 20);
	ck_assert_int_eq(parse_hugepages_dir("hugepages-16777216kB", &ps), 0);
	ck_assert_uint_eq(ps, 16ULL << 30);
	ck_assert_int_eq(parse_hugepages_dir("hugepages-2048MB", &ps), -EINVAL);
	ck_assert_int_eq(parse_hugepages_dir("hugepages-kB", &ps), -EINVAL);
	ck_assert_int_eq(parse_hugepages_dir("transparent", &ps), -EINVAL);
	/* The right form, but no page size: the model divides by it. */
	ck_assert_int_eq(parse_hugepages_dir("hugepages-0kB", &ps), -ERANGE);
	ck_assert_int_eq(parse_hugepages_dir("hugepages-3kB", &ps), -ERANGE);
	ck_assert_int_eq(parse_hugepages_dir("hugepages-18014398509481984kB", &ps),
			 -ERANGE);
	ck_assert_int_eq(parse_node_dir("node12", &node), 0);
	ck_assert_uint_eq(node, 12);
	ck_assert_int_eq(parse_node_dir("node", &node), -EINVAL);
	ck_assert_int_eq(parse_node_dir("nodex", &node), -EINVAL);
	ck_assert_int_eq(parse_node_dir("online", &node), -EINVAL);
}
END_TEST

/* The pools a kernel command line asks for, as mm/hugetlb.c reads them. */
static const struct boot_pools *boot(const char *cmdline)
{
	static const unsigned online[] = { 0, 1 };
	static struct boot_pools bp;

	parse_boot_pools(cmdline, online, 2, &bp);
	return &bp;
}

START_TEST(boot_pools)
{
	const struct boot_pools *bp;

	/* Before any size: the default size (0 until the kernel says). */
	bp = boot("BOOT_IMAGE=/vmlinuz ro quiet hugepages=1024");
	ck_assert_uint_eq(bp->n, 1);
	ck_assert_uint_eq(bp->v[0].page_size, 0);
	ck_assert_uint_eq(bp->v[0].pages, 1024);
	ck_assert_uint_eq(bp->v[0].nr_nodes, 0);
	ck_assert(!bp->cma);
	/* Per size, and per node (the sum is the pool). */
	bp = boot("default_hugepagesz=1G hugepagesz=1G hugepages=16 "
		  "hugepagesz=2M hugepages=0:512,1:256");
	ck_assert_uint_eq(bp->n, 2);
	ck_assert_uint_eq(bp->v[0].page_size, 1ULL << 30);
	ck_assert_uint_eq(bp->v[0].pages, 16);
	ck_assert_uint_eq(bp->v[1].page_size, 2ULL << 20);
	ck_assert_uint_eq(bp->v[1].pages, 768);
	ck_assert_uint_eq(bp->v[1].nr_nodes, 2);
	ck_assert_uint_eq(bp->v[1].nodes[1].node, 1);
	ck_assert_uint_eq(bp->v[1].nodes[1].pages, 256);
	/* The words that asked, for the message. */
	ck_assert_str_eq(bp->v[0].param, "hugepagesz=1G hugepages=16");
	ck_assert_str_eq(bp->v[1].param, "hugepagesz=2M hugepages=0:512,1:256");
	/* default_hugepagesz= takes over a count given before it. */
	bp = boot("hugepages=8 default_hugepagesz=1G");
	ck_assert_uint_eq(bp->n, 1);
	ck_assert_uint_eq(bp->v[0].page_size, 1ULL << 30);
	ck_assert_uint_eq(bp->v[0].pages, 8);
	/* The same pool twice: the kernel keeps the first. */
	bp = boot("hugepagesz=2M hugepages=512 hugepages=1024");
	ck_assert_uint_eq(bp->v[0].pages, 512);
	/* A size given twice is ignored, and the count after it too. */
	bp = boot("hugepagesz=1G hugepages=2 hugepagesz=1G hugepages=4");
	ck_assert_uint_eq(bp->n, 1);
	ck_assert_uint_eq(bp->v[0].pages, 2);
	/* An unsupported size: its count is ignored, the next one is not. */
	bp = boot("hugepagesz=3M hugepages=4 hugepages=6");
	ck_assert_uint_eq(bp->n, 1);
	ck_assert_uint_eq(bp->v[0].page_size, 0);
	ck_assert_uint_eq(bp->v[0].pages, 6);
	/* memparse(): C numbers, K/M/G suffixes, the rest of the word ignored. */
	bp = boot("hugepagesz=0x40000000 hugepages=1 hugepagesz=2048k hugepages=2 "
		  "hugepagesz=64KB hugepages=3");
	ck_assert_uint_eq(bp->n, 3);
	ck_assert_uint_eq(bp->v[0].page_size, 1ULL << 30);
	ck_assert_uint_eq(bp->v[1].page_size, 2ULL << 20);
	ck_assert_uint_eq(bp->v[2].page_size, 64ULL << 10);
	/* Names with '-' for '_', quotes, and "--" ending the kernel's part. */
	bp = boot("default-hugepagesz=1G \"hugepages=2\" -- hugepagesz=2M hugepages=9");
	ck_assert_uint_eq(bp->n, 1);
	ck_assert_uint_eq(bp->v[0].pages, 2);
	bp = boot("hugepages=\"64\"");
	ck_assert_uint_eq(bp->v[0].pages, 64);
	/* A node that is not online: the pages before it, for the whole pool. */
	bp = boot("hugepagesz=2M hugepages=0:512,5:512");
	ck_assert_uint_eq(bp->v[0].pages, 512);
	ck_assert_uint_eq(bp->v[0].nr_nodes, 0);
	bp = boot("hugepages=0:512,1:x");
	ck_assert_uint_eq(bp->v[0].pages, 512);
	ck_assert_uint_eq(bp->v[0].nr_nodes, 0);
	/* Not a count; nothing at all; a parameter with another name. */
	ck_assert_uint_eq(boot("hugepages=many")->n, 0);
	ck_assert_uint_eq(boot("")->n, 0);
	ck_assert_uint_eq(boot("hugepages_x=4 nohugepages=4 hugepages")->n, 0);
	/* A word that ends where a name goes on with '_' is not that name. */
	ck_assert(!boot("hugetlb")->cma);
	ck_assert(boot("hugetlb_cma=4G hugepagesz=1G hugepages=4")->cma);
	ck_assert(!boot("hugetlb_cma=0")->cma);
}
END_TEST

START_TEST(lists)
{
	unsigned ids[16];
	size_t n;

	ck_assert_int_eq(parse_list("0-3,8,10-11\n", ids, 16, &n), 0);
	ck_assert_uint_eq(n, 7);
	ck_assert_uint_eq(ids[4], 8);
	ck_assert_uint_eq(ids[6], 11);
	ck_assert_int_eq(parse_list("\n", ids, 16, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(parse_list("0-100", ids, 16, &n), -ERANGE);
	ck_assert_int_eq(parse_list("3-1", ids, 16, &n), -ERANGE);
	ck_assert_int_eq(parse_list("a", ids, 16, &n), -EINVAL);
	ck_assert_int_eq(parse_list("1,,2", ids, 16, &n), -EINVAL);
}
END_TEST

START_TEST(meminfo_good)
{
	struct meminfo m;
	char bad[128];

	ck_assert_int_eq(parse_meminfo("MemTotal:       16318412 kB\n"
				       "MemFree:         7340032 kB\n"
				       "HugePages_Total:    4096\n"
				       "HugePages_Free:     4093\n"
				       "HugePages_Rsvd:        1\n"
				       "HugePages_Surp:        0\n"
				       "Hugepagesize:       2048 kB\n"
				       "Hugetlb:         8388608 kB\n", &m, bad,
				       sizeof(bad)), 0);
	ck_assert_uint_eq(m.mem_total, 16318412ULL << 10);
	ck_assert_uint_eq(m.hp_total, 4096);
	ck_assert_uint_eq(m.hp_free, 4093);
	ck_assert_uint_eq(m.hp_rsvd, 1);
	ck_assert_uint_eq(m.hugepagesize, 2 << 20);
	ck_assert(m.have_hugetlb);
	ck_assert(!m.have_available);
}
END_TEST

START_TEST(meminfo_bad)
{
	struct meminfo m;
	char bad[128];

	ck_assert_int_eq(parse_meminfo("MemTotal: lots kB\n", &m, bad, sizeof(bad)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(bad, "line 1"));
	ck_assert_int_eq(parse_meminfo("MemFree: 1 kB\n", &m, bad, sizeof(bad)),
			 -EINVAL);
	ck_assert_str_eq(bad, "no MemTotal line");
	ck_assert_int_eq(parse_meminfo("MemTotal: 99999999999999999999 kB\n", &m,
				       bad, sizeof(bad)), -ERANGE);
	ck_assert_ptr_nonnull(strstr(bad, "out of range"));
	/* kB values that overflow when converted to bytes */
	ck_assert_int_eq(parse_meminfo("MemTotal: 18446744073709551615 kB\n", &m,
				       bad, sizeof(bad)), -ERANGE);
	ck_assert_int_eq(parse_meminfo("garbage without colon\n", &m, bad,
				       sizeof(bad)), -EINVAL);
	ck_assert_int_eq(parse_meminfo("MemTotal: 12 MB\n", &m, bad, sizeof(bad)),
			 -EINVAL);
	ck_assert_int_eq(parse_meminfo("", &m, bad, sizeof(bad)), -EINVAL);
	/* A Hugepagesize that is no page size names its line. */
	ck_assert_int_eq(parse_meminfo("MemTotal: 1024 kB\nHugepagesize: 3 kB\n", &m,
				       bad, sizeof(bad)), -ERANGE);
	ck_assert_str_eq(bad, "line 2: not a page size (a power of two): "
			 "'Hugepagesize: 3 kB'");
	ck_assert_int_eq(parse_meminfo("MemTotal: 1024 kB\nHugepagesize: 0 kB\n", &m,
				       bad, sizeof(bad)), -ERANGE);
}
END_TEST

/* A kernel without CONFIG_HUGETLB_PAGE prints none of the hugepage lines. */
START_TEST(meminfo_without_hugetlb)
{
	struct meminfo m;
	char bad[128];

	ck_assert_int_eq(parse_meminfo("MemTotal:        8155880 kB\n"
				       "MemFree:         6815744 kB\n"
				       "AnonHugePages:         0 kB\n", &m, bad,
				       sizeof(bad)), 0);
	ck_assert_uint_eq(m.hugepagesize, 0);
	ck_assert_uint_eq(m.hp_total, 0);
	ck_assert(!m.have_hugetlb);
}
END_TEST

START_TEST(node_meminfo)
{
	uint64_t total, free;
	char bad[128];

	ck_assert_int_eq(parse_node_meminfo("Node 3 MemTotal:       33449510 kB\n"
					    "Node 3 MemFree:             115 kB\n",
					    &total, &free, bad, sizeof(bad)), 0);
	ck_assert_uint_eq(total, 33449510ULL << 10);
	ck_assert_uint_eq(free, 115ULL << 10);
	ck_assert_int_eq(parse_node_meminfo("Node 3 MemFree: 1 kB\n", &total,
					    &free, bad, sizeof(bad)), -EINVAL);
}
END_TEST

static const char limits_text[] =
	"Limit                     Soft Limit           Hard Limit           Units     \n"
	"Max cpu time              unlimited            unlimited            seconds   \n"
	"Max data size             unlimited            unlimited            bytes     \n"
	"Max open files            1024                 4096                 files     \n"
	"Max locked memory         65536                65536                bytes     \n"
	"Max address space         8192000000           unlimited            bytes     \n";

START_TEST(limits_good)
{
	struct rlim rl[RL_COUNT];
	char bad[128];

	ck_assert_int_eq(parse_limits(limits_text, rl, bad, sizeof(bad)), 0);
	ck_assert_uint_eq(rl[RL_DATA].soft, HP_UNLIMITED);
	ck_assert_uint_eq(rl[RL_NOFILE].soft, 1024);
	ck_assert_uint_eq(rl[RL_NOFILE].hard, 4096);
	ck_assert_uint_eq(rl[RL_MEMLOCK].hard, 65536);
	ck_assert_uint_eq(rl[RL_AS].soft, 8192000000ULL);
	ck_assert_uint_eq(rl[RL_AS].hard, HP_UNLIMITED);
}
END_TEST

START_TEST(limits_bad)
{
	struct rlim rl[RL_COUNT];
	char bad[128];

	ck_assert_int_eq(parse_limits("Limit Soft Hard\n", rl, bad, sizeof(bad)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(bad, "Max data size"));
	ck_assert_int_eq(parse_limits("Max data size x y\nMax address space 1 1\n"
				      "Max locked memory 1 1\nMax open files 1 1\n",
				      rl, bad, sizeof(bad)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(bad, "not numbers"));
}
END_TEST

START_TEST(buddy)
{
	struct buddy_zone z;

	ck_assert_int_eq(parse_buddy_line("Node 1, zone   Normal   1200    900 "
					  "   600    300    200    100     50     "
					  "20     10      5      4 ", &z), 0);
	ck_assert_uint_eq(z.node, 1);
	ck_assert_str_eq(z.zone, "Normal");
	ck_assert_uint_eq(z.nr_orders, 11);
	ck_assert_uint_eq(z.free[0], 1200);
	ck_assert_uint_eq(z.free[10], 4);
	ck_assert_int_eq(parse_buddy_line("Node 0, zone DMA x", &z), -EINVAL);
	ck_assert_int_eq(parse_buddy_line("Zone 0", &z), -EINVAL);
	ck_assert_int_eq(parse_buddy_line("Node 0, zone DMA", &z), -EINVAL);
}
END_TEST

START_TEST(escapes)
{
	char s[] = "/mnt/huge\\040pages/a\\011b\\012c\\134d";
	char *e;

	unescape_octal(s);
	ck_assert_str_eq(s, "/mnt/huge pages/a\tb\nc\\d");
	e = escape_path(s);
	ck_assert_str_eq(e, "/mnt/huge\\040pages/a\\011b\\012c\\134d");
	free(e);
	/* Not an escape: left alone. */
	strcpy(s, "a\\9x\\04");
	unescape_octal(s);
	ck_assert_str_eq(s, "a\\9x\\04");
}
END_TEST

START_TEST(formatting)
{
	char b[32];

	ck_assert_str_eq(format_bytes(2 << 20, b, sizeof(b)), "2 MiB");
	ck_assert_str_eq(format_bytes(1ULL << 30, b, sizeof(b)), "1 GiB");
	ck_assert_str_eq(format_bytes(65536, b, sizeof(b)), "64 KiB");
	ck_assert_str_eq(format_bytes(1536ULL << 20, b, sizeof(b)), "1.5 GiB");
	ck_assert_str_eq(format_bytes(0, b, sizeof(b)), "0 B");
	ck_assert_str_eq(format_cgroup_size(2 << 20, b, sizeof(b)), "2MB");
	ck_assert_str_eq(format_cgroup_size(1ULL << 30, b, sizeof(b)), "1GB");
	ck_assert_str_eq(format_cgroup_size(65536, b, sizeof(b)), "64KB");
	ck_assert_str_eq(format_cgroup_size(16ULL << 30, b, sizeof(b)), "16GB");
	ck_assert_str_eq(format_short_size(1ULL << 30, b, sizeof(b)), "1G");
	ck_assert_str_eq(format_short_size(512ULL << 20, b, sizeof(b)), "512M");
	ck_assert_str_eq(format_short_size(65536, b, sizeof(b)), "64K");
}
END_TEST

/* Durations as a person reads them; rounded figures that add up. */
START_TEST(human_figures)
{
	char a[32], b[32], c[32];

	ck_assert_str_eq(format_duration(45, a, sizeof(a)), "45 s");
	ck_assert_str_eq(format_duration(730, a, sizeof(a)), "12 min");
	ck_assert_str_eq(format_duration(12000, a, sizeof(a)), "3 h 20 min");
	ck_assert_str_eq(format_duration(7200, a, sizeof(a)), "2 h");
	ck_assert_str_eq(format_duration(3 * 86400, a, sizeof(a)), "3 days");
	/* 22.34 + 1.16 = 23.5: as printed, 22.3 and 1.2 of 23.5. */
	format_parts((uint64_t)(23.5 * GiB), (uint64_t)(22.34 * GiB), a, b, c, sizeof(a));
	ck_assert_str_eq(a, "23.5 GiB");
	ck_assert_str_eq(b, "22.3 GiB");
	ck_assert_str_eq(c, "1.2 GiB");
	/* A part too small for the unit keeps its own. */
	format_parts(128 * GiB, 16 * MiB, a, b, c, sizeof(a));
	ck_assert_str_eq(b, "16 MiB");
	ck_assert_str_eq(c, "128 GiB");
	/* Under one of the total's units: its own ("0.1 GiB" is hard to
	 * read); nothing is "0 B". */
	format_parts((uint64_t)(23.5 * GiB), 128 * MiB, a, b, c, sizeof(a));
	ck_assert_str_eq(b, "128 MiB");
	ck_assert_str_eq(c, "23.4 GiB");
	format_parts((uint64_t)(23.5 * GiB), 0, a, b, c, sizeof(a));
	ck_assert_str_eq(b, "0 B");
	ck_assert_str_eq(c, "23.5 GiB");
	/* From 100 units up, whole units that add up too. */
	format_parts(127 * GiB + 900 * MiB, 12 * GiB + 600 * MiB, a, b, c, sizeof(a));
	ck_assert_str_eq(a, "128 GiB");
	ck_assert_str_eq(b, "13 GiB");
	ck_assert_str_eq(c, "115 GiB");
}
END_TEST

/* A log is untrusted: binary data is refused, and no byte of a log line
 * can command a terminal. */
/* text_wrap breaks at the last blank that fits, but never between a
 * number and its unit. */
static char *wrapped(unsigned width, const char *text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(o);
	text_wrap(o, width, text, 0, 2);
	fclose(o);
	return buf;
}

START_TEST(wrap_units)
{
	char *w;

	/* The blank at column 18 would split "64.1 GiB". */
	w = wrapped(20, "needs: 4 fds, 64.1 GiB of space");
	ck_assert_str_eq(w, "needs: 4 fds,\n  64.1 GiB of space\n");
	free(w);
	w = wrapped(26, "growing by 284.3 VMAs/s, in 223 s");
	ck_assert_str_eq(w, "growing by 284.3 VMAs/s,\n  in 223 s\n");
	free(w);
	w = wrapped(20, "growing by 284.3 VMAs/s");
	ck_assert_str_eq(w, "growing by\n  284.3 VMAs/s\n");
	free(w);
	/* Words that are not units break as before. */
	w = wrapped(12, "room for 16 more");
	ck_assert_str_eq(w, "room for 16\n  more\n");
	free(w);
}
END_TEST

START_TEST(untrusted_text)
{
	static const char nul[] = "EAL: x\0y";
	char big[1000], *t, buf[64];
	size_t at;

	ck_assert_int_eq(text_is_binary("EAL: ok\r\nline \xc3\xa9t\xc3\xa9\n", 20, &at), 0);
	ck_assert_int_eq(text_is_binary(nul, sizeof(nul) - 1, &at), 1);
	ck_assert_uint_eq(at, 6);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i % 3 ? 0x81 : 'a');	/* no UTF-8 */
	ck_assert_int_eq(text_is_binary(big, sizeof(big), &at), 1);
	/* A stray Latin-1 byte in a long log is not binary. */
	memset(big, 'a', sizeof(big));
	big[10] = (char)0xe9;
	ck_assert_int_eq(text_is_binary(big, sizeof(big), &at), 0);

	t = text_untrusted("a\x1b[2Jb\x1b]0;title\x07" "c\x1b[31mred\x1b[0m\r\n\x01\x7f\xc2\x9b"
			   "\xc3\xa9\xff\tz", 40);
	ck_assert_str_eq(t, "a\\e[2Jb\\e]0;title\\x07cred\n\\x01\\x7f\\xc2\\x9b\xc3\xa9\\xff\tz");
	free(t);
	/* An OSC cut short by the end of the line, ESC at the very end. */
	t = text_untrusted("x\x1b]2;t", 6);
	ck_assert_str_eq(t, "x\\e]2;t");
	free(t);
	t = text_untrusted("x\x1b", 2);
	ck_assert_str_eq(t, "x\\e");
	free(t);
	ck_assert_str_eq(text_safe("sshd", buf, sizeof(buf)), "sshd");
	ck_assert_str_eq(text_safe("ev\x1b[2Jil", buf, sizeof(buf)), "ev\\e[2Jil");
	ck_assert_str_eq(text_safe("ev\x1b[2Jil", buf, 5), "ev\\e");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, u64_strict);
	tcase_add_test(tc, sizes);
	tcase_add_test(tc, sysfs_names);
	tcase_add_test(tc, lists);
	tcase_add_test(tc, boot_pools);
	tcase_add_test(tc, meminfo_good);
	tcase_add_test(tc, meminfo_bad);
	tcase_add_test(tc, meminfo_without_hugetlb);
	tcase_add_test(tc, node_meminfo);
	tcase_add_test(tc, limits_good);
	tcase_add_test(tc, limits_bad);
	tcase_add_test(tc, buddy);
	tcase_add_test(tc, escapes);
	tcase_add_test(tc, formatting);
	tcase_add_test(tc, untrusted_text);
	tcase_add_test(tc, human_figures);
	tcase_add_test(tc, wrap_units);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
