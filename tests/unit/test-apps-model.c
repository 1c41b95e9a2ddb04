// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-apps-model.c - model/postgres.c and model/jvm.c.  PostgreSQL:
 * postgresql.conf as PostgreSQL 15 reads it (include, include_if_exists,
 * include_dir, postgresql.auto.conf, -c/--name=/-B over the files, units,
 * quotes, comments, huge_pages and huge_page_size), the estimate when the
 * binary cannot be asked, the answer when it can, and the lines it
 * refuses (the file and the line, as PostgreSQL says them).  The JVM:
 * -Xmx/-Xms, which large pages JDK 17 takes for each mix of UseLargePages,
 * UseHugeTLBFS, UseSHM and UseTransparentHugePages (measured with
 * -Xlog:pagesize), LargePageSizeInBytes, the code cache (240 MiB tiered,
 * 48 MiB with -XX:-TieredCompilation) and G1's tables.  The files are an
 * in-memory tree behind struct app_io.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose/rules.h"
#include "model/apps.h"
#include "testutil.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* The tree: path and text; NULL text for a directory. */
struct file { const char *path, *text; };
static const struct file *tree;
static const char *answer;		/* what the program answers, NULL: cannot ask */
static const char *asked[64];		/* the argv it was asked with */

static int t_read(void *ctx, const char *path, char **text)
{
	(void)ctx;
	for (const struct file *f = tree; f && f->path; f++)
		if (!strcmp(f->path, path) && f->text) {
			*text = strdup(f->text);
			return *text ? 0 : -ENOMEM;
		}
	return -ENOENT;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int t_list(void *ctx, const char *dir, const char *suffix, char ***names, size_t *n)
{
	size_t dl = strlen(dir), sl = strlen(suffix);
	bool found = false;

	(void)ctx;
	*names = calloc(16, sizeof(**names));
	*n = 0;
	for (const struct file *f = tree; f && f->path; f++) {
		const char *base = f->path + dl + 1;
		size_t bl;

		if (!strcmp(f->path, dir) && !f->text)
			found = true;
		if (strncmp(f->path, dir, dl) || f->path[dl] != '/' || strchr(base, '/'))
			continue;
		bl = strlen(base);
		if (base[0] != '.' && bl >= sl && !strcmp(base + bl - sl, suffix) && *n < 16)
			(*names)[(*n)++] = strdup(base);
	}
	if (!found) {
		free(*names);
		*names = NULL;
		return -ENOENT;
	}
	qsort(*names, *n, sizeof(**names), cmp);
	return 0;
}

static int t_ask(void *ctx, const char *const *argv, const char *owner, char *out,
		 size_t size, char *why, size_t why_size)
{
	size_t i = 0;

	(void)ctx;
	(void)owner;
	for (; i < 63 && argv[i]; i++)
		asked[i] = argv[i];
	asked[i] = NULL;
	if (!answer) {
		snprintf(why, why_size, "it could not run");
		return -EPERM;
	}
	snprintf(out, size, "%s", answer);
	return 0;
}

static struct app_io io(bool can_ask)
{
	struct app_io o = {
		.read_file = t_read, .list_dir = t_list, .ask = can_ask ? t_ask : NULL,
		.default_page_size = 2 * MiB, .mem_total = 8 * GiB,
	};

	return o;
}

/* Runs a recogniser's configure on ARGS (argv[0] first, NULL-ended). */
static int configure(bool jvm, bool can_ask, struct workload_hint *h, char *why,
		     const char *const *args)
{
	struct program prog = { .path = (char *)args[0] };
	struct app_io o = io(can_ask);
	int argc = 0;

	while (args[argc])
		argc++;
	memset(h, 0, sizeof(*h));
	why[0] = 0;
	return jvm ? jvm_configure(&o, &prog, argc, (char *const *)args, h, why, 512) :
		     postgres_configure(&o, &prog, argc, (char *const *)args, h, why, 512);
}

/* The estimate of PostgreSQL's shared memory for SB bytes of buffers, in
 * 2 MiB pages: the buffers, 181 bytes of arrays per buffer, wal_buffers
 * (sb / 32, at most 16 MiB) and 10 MiB of the rest. */
static uint64_t pg_est(uint64_t sb)
{
	uint64_t wal = sb / 32 > 16 * MiB ? 16 * MiB : sb / 32;

	return (sb + sb / 8192 * 181 + wal + 10 * MiB + 2 * MiB - 1) / (2 * MiB);
}

static uint64_t pg_pages(const char *conf, const char *const *extra)
{
	const struct file files[] = { { "/d", NULL }, { "/d/postgresql.conf", conf }, { 0 } };
	const char *args[16] = { "postgres", "-D", "/d" };
	struct workload_hint h;
	char why[512];
	int n = 3, rc;
	uint64_t pages;

	while (extra && *extra)
		args[n++] = *extra++;
	tree = files;
	rc = configure(false, false, &h, why, args);
	ck_assert_msg(rc == 0, "%s: %s", conf, why);
	ck_assert_uint_eq(h.app.nr_regions, 1);
	pages = h.app.regions[0].bytes / (h.page_size ? h.page_size : 2 * MiB);
	workload_hint_free(&h);
	return pages;
}

START_TEST(pg_units)
{
	/* Measured on PostgreSQL 15: 128MB -> 72 pages; the estimate is
	 * within a page of it. */
	ck_assert_uint_eq(pg_pages("", NULL), pg_est(128 * MiB));
	ck_assert_uint_eq(pg_est(128 * MiB), 73);
	ck_assert_uint_eq(pg_pages("shared_buffers = 16384\n", NULL), pg_est(128 * MiB));
	ck_assert_uint_eq(pg_pages("shared_buffers = 131072kB\n", NULL), pg_est(128 * MiB));
	ck_assert_uint_eq(pg_pages("shared_buffers = 1GB\n", NULL), pg_est(GiB));
	ck_assert_uint_eq(pg_pages("shared_buffers = 1GB\n", NULL), 537);
	ck_assert_uint_eq(pg_pages("shared_buffers = 4GB\n", NULL), 2107);
	ck_assert_uint_eq(pg_pages("shared_buffers = '1.5GB'\n", NULL), pg_est(1536 * MiB));
	/* A blank between number and unit, quoted, as PostgreSQL takes it. */
	ck_assert_uint_eq(pg_pages("shared_buffers = '512 MB'\n", NULL), pg_est(512 * MiB));
	ck_assert_uint_eq(pg_pages("shared_buffers = 8kB\n", NULL), pg_est(8 * KiB));
	ck_assert_uint_eq(pg_pages("shared_buffers = 1TB\n", NULL), pg_est(1ULL << 40));
	/* No "=", a comment after the value, a name in another case. */
	ck_assert_uint_eq(pg_pages("SHARED_BUFFERS 256MB   # min 128kB\n", NULL),
			  pg_est(256 * MiB));
	/* A quoted value with a quote and a '#' in it is one value. */
	ck_assert_uint_eq(pg_pages("application_name = 'it''s # not a comment'\n"
				   "shared_buffers = '64MB' # = 1GB\n", NULL), pg_est(64 * MiB));
	/* huge_page_size: kB without a unit. */
}
END_TEST

START_TEST(pg_command_line)
{
	static const char *const c[] = { "-c", "shared_buffers=1GB", NULL };
	static const char *const c2[] = { "-cshared_buffers=1GB", NULL };
	static const char *const dash[] = { "--shared-buffers=1GB", NULL };
	static const char *const b[] = { "-B", "131072", NULL };

	/* The command line over the file. */
	ck_assert_uint_eq(pg_pages("shared_buffers = 128MB\n", c), pg_est(GiB));
	ck_assert_uint_eq(pg_pages("shared_buffers = 128MB\n", c2), pg_est(GiB));
	ck_assert_uint_eq(pg_pages("shared_buffers = 128MB\n", dash), pg_est(GiB));
	ck_assert_uint_eq(pg_pages("", b), pg_est(GiB));
}
END_TEST

START_TEST(pg_includes)
{
	static const struct file files[] = {
		{ "/d", NULL },
		{ "/d/postgresql.conf",
		  "shared_buffers = 128MB\n"
		  "include 'sub/a.conf'\n"
		  "include_if_exists = 'missing.conf'\n"
		  "include_dir 'conf.d'\n" },
		{ "/d/sub/a.conf", "shared_buffers = 256MB\ninclude '/etc/b.conf'\n" },
		{ "/etc/b.conf", "huge_pages = on\n" },
		{ "/d/conf.d", NULL },
		/* In name order: 10 then 20; .hidden and other suffixes not. */
		{ "/d/conf.d/20-last.conf", "shared_buffers = 2GB\n" },
		{ "/d/conf.d/10-first.conf", "shared_buffers = 1GB\n" },
		{ "/d/conf.d/.hidden.conf", "shared_buffers = 8GB\n" },
		{ "/d/conf.d/30.conf.bak", "shared_buffers = 16GB\n" },
		{ "/d/postgresql.auto.conf", "# Do not edit this file manually!\n"
		  "huge_page_size = '1GB'\n" },
		{ 0 },
	};
	static const char *const args[] = { "postgres", "-D", "/d", NULL };
	struct workload_hint h;
	char why[512];

	tree = files;
	ck_assert_int_eq(configure(false, false, &h, why, args), 0);
	ck_assert_uint_eq(h.app.nr_regions, 1);
	ck_assert_uint_eq(h.page_size, GiB);
	/* 2 GiB of buffers and the rest: three 1 GiB pages. */
	ck_assert_uint_eq(h.app.regions[0].bytes, 3 * GiB);
	ck_assert(!h.app.fallback);		/* huge_pages = on */
	ck_assert_ptr_nonnull(strstr(h.app.input, "/d/sub/a.conf, /etc/b.conf"));
	ck_assert_ptr_nonnull(strstr(h.app.input, "/d/conf.d/10-first.conf, "
				     "/d/conf.d/20-last.conf, /d/postgresql.auto.conf"));
	ck_assert_ptr_null(strstr(h.app.input, "hidden"));
	ck_assert_ptr_nonnull(strstr(h.app.settings, "huge_pages=on"));
	ck_assert_ptr_nonnull(strstr(h.app.settings, "huge_page_size=1GB"));
	workload_hint_free(&h);
}
END_TEST

START_TEST(pg_auto_conf_and_data_directory)
{
	/* Debian: the configuration in /etc, data_directory naming the
	 * cluster, ALTER SYSTEM's file there. */
	static const struct file files[] = {
		{ "/etc/pg/main.conf", "data_directory = '/var/lib/pg'\nhuge_pages = try\n" },
		{ "/var/lib/pg/postgresql.auto.conf", "huge_pages = 'on'\n" },
		{ 0 },
	};
	static const char *const args[] = { "postgres", "-D", "/etc/pg", "-c",
		"config_file=/etc/pg/main.conf", NULL };
	struct workload_hint h;
	char why[512];

	tree = files;
	ck_assert_int_eq(configure(false, false, &h, why, args), 0);
	ck_assert(!h.app.fallback);
	ck_assert_ptr_nonnull(strstr(h.app.settings, "huge_pages=on"));
	ck_assert_ptr_nonnull(strstr(h.app.input, "/var/lib/pg/postgresql.auto.conf"));
	workload_hint_free(&h);
}
END_TEST

/* huge_pages's values: on and its booleans, try (the default), off. */
START_TEST(pg_huge_pages)
{
	static const struct {
		const char *conf;
		int want;		/* 2 on, 1 try, 0 off, -1 refused */
	} v[] = {
		{ "", 1 }, { "huge_pages = try", 1 }, { "huge_pages = on", 2 },
		{ "huge_pages = 'ON'", 2 }, { "huge_pages = true", 2 }, { "huge_pages = 1", 2 },
		{ "huge_pages = off", 0 }, { "huge_pages = no", 0 }, { "huge_pages = maybe", -1 },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const struct file files[] = { { "/d/postgresql.conf", v[i].conf }, { 0 } };
		static const char *const args[] = { "postgres", "-D", "/d", NULL };
		struct workload_hint h;
		char why[512];
		int rc;

		tree = files;
		rc = configure(false, false, &h, why, args);
		if (v[i].want < 0) {
			ck_assert_int_eq(rc, -EINVAL);
			ck_assert_str_eq(why, "huge_pages = 'maybe' is not on, try or off");
			continue;
		}
		ck_assert_msg(rc == 0, "%s: %s", v[i].conf, why);
		ck_assert_msg(h.app.no_hugepages == (v[i].want == 0), "%s", v[i].conf);
		ck_assert_msg(h.app.fallback == (v[i].want == 1), "%s", v[i].conf);
		ck_assert_uint_eq(h.app.nr_regions, v[i].want ? 1 : 0);
		workload_hint_free(&h);
	}
}
END_TEST

START_TEST(pg_huge_page_size)
{
	static const char *const kb[] = { "-c", "huge_page_size=2048", NULL };
	static const char *const zero[] = { "-c", "huge_page_size=0", NULL };

	/* Without a unit, kB; 0 is the kernel's default size. */
	ck_assert_uint_eq(pg_pages("", kb), pg_est(128 * MiB));
	ck_assert_uint_eq(pg_pages("", zero), pg_est(128 * MiB));
}
END_TEST

/* What PostgreSQL refuses to start with, refused with the file and line. */
START_TEST(pg_bad_lines)
{
	static const struct {
		const char *conf, *why;
	} v[] = {
		{ "# ok\n\nshared_buffers = 128 MB\n",
		  "/d/postgresql.conf line 3: syntax error near 'MB'" },
		{ "shared_buffers\n", "/d/postgresql.conf line 1: syntax error at the end of the line" },
		{ "shared_buffers =   # none\n",
		  "/d/postgresql.conf line 1: syntax error at the end of the line" },
		{ "= 5\n", "/d/postgresql.conf line 1: syntax error near '='" },
		{ "port = 5432\nhuge_pages = 'on\n",
		  "/d/postgresql.conf line 2: syntax error near ''on'" },
		{ "shared_buffers = 128mb\n",
		  "shared_buffers = '128mb' is not a size PostgreSQL takes (a number, in 8kB "
		  "blocks or with B, kB, MB, GB or TB)" },
		{ "huge_page_size = 2MiB\n",
		  "huge_page_size = '2MiB' is not a size PostgreSQL takes (a number, in kB or "
		  "with B, kB, MB, GB or TB)" },
		{ "include 'nowhere.conf'\n",
		  "cannot read '/d/nowhere.conf': No such file or directory" },
		{ "include_dir 'nowhere'\n",
		  "cannot read the directory '/d/nowhere': No such file or directory" },
		{ "include 'postgresql.conf'\n", "'/d/postgresql.conf': includes nested more "
		  "than 10 deep" },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const struct file files[] = { { "/d", NULL }, { "/d/postgresql.conf", v[i].conf },
					      { 0 } };
		static const char *const args[] = { "postgres", "-D", "/d", NULL };
		struct workload_hint h;
		char why[512];

		tree = files;
		ck_assert_int_lt(configure(false, false, &h, why, args), 0);
		ck_assert_str_eq(why, v[i].why);
		workload_hint_free(&h);
	}
}
END_TEST

START_TEST(pg_asked)
{
	static const struct file files[] = { { "/d/postgresql.conf", "huge_pages = on\n" }, { 0 } };
	static const char *const args[] = { "/usr/lib/postgresql/15/bin/postgres", "-D", "/d",
		"-C", "port", "-c", "shared_buffers=1GB", NULL };
	static const char *const nod[] = { "postgres", "-c", "shared_buffers=1GB", NULL };
	struct workload_hint h;
	char why[512];
	size_t n;

	tree = files;
	answer = "72\n";
	ck_assert_int_eq(configure(false, true, &h, why, args), 0);
	ck_assert_uint_eq(h.app.regions[0].bytes, 72ULL * 2 * MiB);
	ck_assert_ptr_nonnull(strstr(h.app.input, "postgres -C shared_memory_size_in_huge_pages"));
	ck_assert_str_eq(h.app.note, "");
	/* Its own -C is left out, the options kept. */
	for (n = 0; asked[n]; n++)
		;
	ck_assert_uint_eq(n, 7);
	ck_assert_str_eq(asked[3], "-c");
	ck_assert_str_eq(asked[5], "-C");
	ck_assert_str_eq(asked[6], "shared_memory_size_in_huge_pages");
	workload_hint_free(&h);
	/* An answer that is not a number, or none: the estimate, and why. */
	answer = "seventy-two";
	ck_assert_int_eq(configure(false, true, &h, why, args), 0);
	ck_assert_uint_eq(h.app.regions[0].bytes, pg_est(GiB) * 2 * MiB);
	ck_assert_str_eq(h.app.note, "postgres -C shared_memory_size_in_huge_pages not asked: "
			 "it answered 'seventy-two'");
	workload_hint_free(&h);
	answer = NULL;
	ck_assert_int_eq(configure(false, true, &h, why, args), 0);
	ck_assert_ptr_nonnull(strstr(h.app.note, "it could not run"));
	workload_hint_free(&h);
	ck_assert_int_eq(configure(false, true, &h, why, nod), -EINVAL);
	ck_assert_str_eq(why, "postgres without -D DATADIR: which cluster is not said");
}
END_TEST

/* ---- the JVM --------------------------------------------------------------- */

static void jvm(const char *const *args, struct workload_hint *h)
{
	char why[512];

	tree = NULL;
	ck_assert_int_eq(configure(true, false, h, why, args), 0);
}

static uint64_t region(const struct workload_hint *h, const char *name)
{
	for (size_t i = 0; i < h->app.nr_regions; i++)
		if (!strcmp(h->app.regions[i].name, name))
			return h->app.regions[i].bytes;
	return 0;
}

START_TEST(jvm_kinds)
{
	/* Measured on OpenJDK 17.0.15 with -Xlog:pagesize ("UseLargePages=1,
	 * UseTransparentHugePages=0, UseHugeTLBFS=1, UseSHM=0"). */
	static const struct {
		const char *a, *b, *c;
		const char *want;	/* settings, or NULL: none taken */
	} v[] = {
		{ "-XX:+UseLargePages", NULL, NULL, "UseLargePages with UseHugeTLBFS" },
		{ "-XX:+UseHugeTLBFS", NULL, NULL, "UseLargePages with UseHugeTLBFS" },
		{ "-XX:+UseSHM", NULL, NULL, "UseLargePages with UseSHM" },
		{ "-XX:+UseLargePages", "-XX:+UseHugeTLBFS", "-XX:+UseSHM",
		  "UseLargePages with UseHugeTLBFS" },
		{ "-XX:+UseLargePages", "-XX:+UseSHM", "-XX:-UseHugeTLBFS",
		  "UseLargePages with UseSHM" },
		{ "-XX:+UseTransparentHugePages", "-XX:+UseHugeTLBFS", NULL,
		  "UseLargePages with UseTransparentHugePages" },
		{ "-XX:+UseLargePages", "-XX:-UseSHM", NULL, NULL },
		{ "-XX:+UseLargePages", "-XX:-UseHugeTLBFS", NULL, NULL },
		{ "-XX:+UseLargePages", "-XX:-UseTransparentHugePages", NULL, NULL },
		{ "-XX:+UseHugeTLBFS", "-XX:-UseLargePages", NULL, NULL },
		{ "-Xmx1g", NULL, NULL, NULL },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const char *args[6] = { "java", v[i].a, v[i].b, v[i].c };
		struct workload_hint h;

		jvm(args, &h);
		if (!v[i].want) {
			ck_assert_msg(h.app.no_hugepages, "%s %s", v[i].a, v[i].b);
			/* Asked for and turned off: a degraded start. */
			ck_assert(h.app.none_lost == !strcmp(v[i].a, "-XX:+UseLargePages"));
		} else {
			ck_assert_msg(!strncmp(h.app.settings, v[i].want, strlen(v[i].want)),
				      "%s %s %s: %s", v[i].a, v[i].b, v[i].c, h.app.settings);
			ck_assert(strstr(v[i].want, "Transparent") ? h.app.no_hugepages :
				  h.app.fallback && !h.app.no_hugepages);
		}
		workload_hint_free(&h);
	}
}
END_TEST

/* -XX:+UseTransparentHugePages takes no hugetlbfs pages; the host's THP
 * mode decides: "never" is a degraded start (OpenJDK 17 warns
 * "UseTransparentHugePages disabled", measured), else a start. */
START_TEST(jvm_thp_mode)
{
	const char *args[4] = { "java", "-XX:+UseTransparentHugePages", "-Xmx1g" };
	static const struct {
		const char *mode;
		enum run_outcome outcome;
		enum hp_status status;
		enum cause cause;
	} v[] = {
		{ "never", RUN_DEGRADED, HP_WARN, CAUSE_THP_DISABLED },
		{ "madvise", RUN_START, HP_PASS, CAUSE_NONE },
		{ "always", RUN_START, HP_PASS, CAUSE_NONE },
		{ "", RUN_START, HP_PASS, CAUSE_NONE },	/* no THP file: not known */
	};
	struct workload_hint h;

	jvm(args, &h);
	ck_assert(h.app.no_hugepages && h.app.thp);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct snapshot snap;
		struct need need;
		struct findings fs = { 0 };

		memset(&snap, 0, sizeof(snap));
		memset(&need, 0, sizeof(need));
		snprintf(snap.thp, sizeof(snap.thp), "%s", v[i].mode);
		need.app = &h.app;
		ck_assert(!app_takes_hugepages(&snap, &need, &fs));
		ck_assert_int_eq(fs.outcome, v[i].outcome);
		ck_assert_int_eq(fs.n, 1);
		ck_assert_int_eq(fs.v[0].status, v[i].status);
		ck_assert_int_eq(fs.v[0].cause, v[i].cause);
		if (v[i].cause == CAUSE_THP_DISABLED)
			ck_assert_ptr_nonnull(strstr(remedy_text(&fs.v[0]), "echo madvise"));
		findings_free(&fs);
	}
	workload_hint_free(&h);
}
END_TEST

START_TEST(jvm_sizes)
{
	static const char *const g[] = { "java", "-XX:+UseLargePages", "-Xms512m", "-Xmx1g",
		"-jar", "app.jar", "-Xmx8g", NULL };
	static const char *const k[] = { "java", "-XX:+UseLargePages", "-Xmx1048576k",
		"-XX:ReservedCodeCacheSize=64M", NULL };
	static const char *const def[] = { "java", "-XX:+UseLargePages", "-cp", "-Xmx9g",
		"Main", NULL };
	static const char *const c2[] = { "java", "-XX:+UseLargePages", "-Xmx256m",
		"-XX:-TieredCompilation", NULL };
	struct workload_hint h;

	/* 1 GiB: the code cache, the heap, G1's three tables (heap/512 =
	 * 2 MiB, a large page each) and two bitmaps (heap/64); options after
	 * -jar are the program's. */
	jvm(g, &h);
	ck_assert_uint_eq(region(&h, "heap"), GiB);
	ck_assert_uint_eq(region(&h, "code cache"), 240 * MiB);
	ck_assert_uint_eq(region(&h, "card table"), 2 * MiB);
	ck_assert_uint_eq(region(&h, "mark bitmap"), 16 * MiB);
	ck_assert_uint_eq(h.app.nr_regions, 7);
	/* 1 GiB of heap, 240 MiB of code cache, three 2 MiB G1 tables, two
	 * 16 MiB bitmaps. */
	ck_assert_uint_eq(h.bytes, GiB + 240 * MiB + 6 * MiB + 32 * MiB);
	ck_assert_int_eq(h.mode, MODE_ANON);
	workload_hint_free(&h);
	jvm(k, &h);
	ck_assert_uint_eq(region(&h, "heap"), GiB);
	ck_assert_uint_eq(region(&h, "code cache"), 64 * MiB);
	workload_hint_free(&h);
	/* -cp's value is not an option; no -Xmx: a quarter of the memory. */
	jvm(def, &h);
	ck_assert_uint_eq(region(&h, "heap"), 2 * GiB);
	ck_assert_ptr_nonnull(strstr(h.app.settings, "(default: a quarter of the memory)"));
	workload_hint_free(&h);
	/* Without tiered compilation the code cache is 48 MiB (ReservedCode-
	 * CacheSize = 50331648); 256 MiB: the bitmaps (4 MiB) but not the
	 * tables (512 KiB), as -Xlog:pagesize shows. */
	jvm(c2, &h);
	ck_assert_uint_eq(region(&h, "code cache"), 48 * MiB);
	ck_assert_uint_eq(region(&h, "card table"), 0);
	ck_assert_uint_eq(region(&h, "mark bitmap"), 4 * MiB);
	ck_assert_uint_eq(h.app.nr_regions, 4);
	workload_hint_free(&h);
}
END_TEST

START_TEST(jvm_shm_and_page_size)
{
	static const char *const shm[] = { "java", "-XX:+UseLargePages", "-XX:+UseSHM",
		"-Xmx512m", NULL };
	static const char *const big[] = { "java", "-XX:+UseLargePages",
		"-XX:LargePageSizeInBytes=1g", "-Xmx1500m", NULL };
	struct workload_hint h;

	/* UseSHM: the heap and the tables, not the code cache. */
	jvm(shm, &h);
	ck_assert_int_eq(h.mode, MODE_SHM);
	ck_assert_uint_eq(region(&h, "code cache"), 0);
	ck_assert_uint_eq(region(&h, "heap"), 512 * MiB);
	workload_hint_free(&h);
	/* 1 GiB pages: each region rounded up to them, no table that small. */
	jvm(big, &h);
	ck_assert_uint_eq(h.page_size, GiB);
	ck_assert_uint_eq(region(&h, "heap"), 2 * GiB);
	ck_assert_uint_eq(region(&h, "code cache"), GiB);
	ck_assert_uint_eq(h.app.nr_regions, 2);
	workload_hint_free(&h);
}
END_TEST

START_TEST(jvm_asked)
{
	static const char *const a[] = { "/usr/bin/java", "-XX:+UseLargePages",
		"-Xlog:pagesize", "-Xmx1g", "-jar", "x.jar", NULL };
	struct workload_hint h;
	char why[512];

	answer = "     size_t MaxHeapSize                              = 536870912"
		 "                                 {product} {ergonomic}\n"
		 "      uintx ReservedCodeCacheSize                    = 50331648"
		 "                              {pd product} {default}\n";
	tree = NULL;
	ck_assert_int_eq(configure(true, true, &h, why, a), 0);
	ck_assert_uint_eq(region(&h, "heap"), 512 * MiB);
	ck_assert_uint_eq(region(&h, "code cache"), 48 * MiB);
	ck_assert_ptr_nonnull(strstr(h.app.input, "java -XX:+PrintFlagsFinal"));
	/* Asked with large pages off, without -Xlog, and nothing after -jar. */
	ck_assert_str_eq(asked[1], "-XX:+UseLargePages");
	ck_assert_str_eq(asked[2], "-Xmx1g");
	ck_assert_str_eq(asked[3], "-XX:-UseLargePages");
	ck_assert_str_eq(asked[4], "-XX:+PrintFlagsFinal");
	ck_assert_str_eq(asked[5], "-version");
	ck_assert_ptr_null(asked[6]);
	workload_hint_free(&h);
	answer = "nothing";
	ck_assert_int_eq(configure(true, true, &h, why, a), 0);
	ck_assert_uint_eq(region(&h, "heap"), GiB);
	ck_assert_str_eq(h.app.note, "java -XX:+PrintFlagsFinal not asked: no MaxHeapSize in "
			 "its -XX:+PrintFlagsFinal");
	workload_hint_free(&h);
	answer = NULL;
}
END_TEST

int main(void)
{
	Suite *s = suite_create("apps-model");
	TCase *tc = tcase_create("apps-model");

	tcase_add_test(tc, pg_units);
	tcase_add_test(tc, pg_command_line);
	tcase_add_test(tc, pg_includes);
	tcase_add_test(tc, pg_auto_conf_and_data_directory);
	tcase_add_test(tc, pg_huge_pages);
	tcase_add_test(tc, pg_huge_page_size);
	tcase_add_test(tc, pg_bad_lines);
	tcase_add_test(tc, pg_asked);
	tcase_add_test(tc, jvm_kinds);
	tcase_add_test(tc, jvm_thp_mode);
	tcase_add_test(tc, jvm_sizes);
	tcase_add_test(tc, jvm_shm_and_page_size);
	tcase_add_test(tc, jvm_asked);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
