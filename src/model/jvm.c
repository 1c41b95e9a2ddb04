// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * jvm.c - a JVM (OpenJDK 17) as a hugepage user.  With -XX:+UseLargePages
 * and UseHugeTLBFS (its default) it maps each of these with MAP_HUGETLB,
 * one after the other, and takes base pages for each that it cannot get,
 * silently; measured on Debian 12, OpenJDK 17.0.15, -Xms256m -Xmx256m
 * -Xlog:pagesize: the code cache (ReservedCodeCacheSize, 240 MiB with
 * tiered compilation), then the heap (MaxHeapSize), then G1's tables that
 * are at least one large page (its two mark bitmaps, heap/64 each; the
 * block offset table, card table and card counts, heap/512 each).  With a
 * 2 MiB pool of 300 pages all took 2 MiB pages; of 200 or 129 the code
 * cache and the bitmaps did and the heap did not; of 50 only the bitmaps;
 * with none the JVM warns "UseLargePages disabled, no large pages
 * configured and available on the system" and uses none.  -XX:+UseSHM
 * maps the heap and the tables with shmget(SHM_HUGETLB), not the code
 * cache; -XX:+UseTransparentHugePages takes no hugetlbfs pages.  A JVM
 * never fails to start for want of hugepages: its worst is a degraded
 * start.  The sizes are asked of the JVM itself (-XX:+PrintFlagsFinal,
 * large pages off, as nobody), else taken from its options and defaults.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/num.h"
#include "model/apps.h"

#define JVM_CODE_CACHE		(240ULL << 20)	/* tiered compilation's default */
#define JVM_CODE_CACHE_C2	(48ULL << 20)	/* -XX:-TieredCompilation's */

enum jvm_kind { JVM_OFF, JVM_HUGETLBFS, JVM_SHM, JVM_THP };

struct jvm_opts {
	int large;			/* -XX:+UseLargePages: 1, -: 0, not said: -1 */
	int hugetlbfs, shm, thp;	/* the same for each way */
	int tiered;			/* -XX:+/-TieredCompilation */
	uint64_t xmx, xms, code_cache, page_size;
	bool have_xmx, have_code_cache;
};

bool jvm_match(const struct program *prog, char *why, size_t size)
{
	const struct ld_object *o = ld_image_find(&prog->image, "libjli.so");

	if (!o && strcmp(app_base_name(prog->path), "java"))
		return false;
	snprintf(why, size, o ? "links libjli.so (the Java launcher)" : "program named java");
	return true;
}

void jvm_options(int argc, char *const *argv, struct workload_hint *h)
{
	(void)argc;
	(void)argv;
	(void)h;
}

/* -XX:+NAME, -XX:-NAME: 1 or 0 into *V when T is one of NAME. */
static bool jvm_bool(const char *t, const char *name, int *v)
{
	size_t n = strlen(name);

	if (strncmp(t, "-XX:", 4) || (t[4] != '+' && t[4] != '-') || strncmp(t + 5, name, n) ||
	    t[5 + n])
		return false;
	*v = t[4] == '+';
	return true;
}

static void jvm_args(int argc, char *const *argv, struct jvm_opts *o)
{
	o->large = o->hugetlbfs = o->shm = o->thp = o->tiered = -1;
	for (int i = 1; i < argc; i++) {
		const char *t = argv[i];

		/* The class, -jar or a source file ends the JVM's options. */
		if (t[0] != '-' || !strcmp(t, "-jar") || !strcmp(t, "-m") ||
		    !strcmp(t, "--module"))
			break;
		if (!strcmp(t, "-cp") || !strcmp(t, "-classpath") || !strcmp(t, "--class-path") ||
		    !strcmp(t, "-p") || !strcmp(t, "--module-path")) {
			i++;
			continue;
		}
		if (jvm_bool(t, "UseLargePages", &o->large) ||
		    jvm_bool(t, "UseHugeTLBFS", &o->hugetlbfs) || jvm_bool(t, "UseSHM", &o->shm) ||
		    jvm_bool(t, "UseTransparentHugePages", &o->thp) ||
		    jvm_bool(t, "TieredCompilation", &o->tiered))
			continue;
		if (!strncmp(t, "-Xmx", 4))
			o->have_xmx = !app_size_parse(t + 4, 1, &o->xmx);
		else if (!strncmp(t, "-XX:MaxHeapSize=", 16))
			o->have_xmx = !app_size_parse(t + 16, 1, &o->xmx);
		else if (!strncmp(t, "-Xms", 4))
			app_size_parse(t + 4, 1, &o->xms);
		else if (!strncmp(t, "-XX:ReservedCodeCacheSize=", 26))
			o->have_code_cache = !app_size_parse(t + 26, 1, &o->code_cache);
		else if (!strncmp(t, "-XX:LargePageSizeInBytes=", 25))
			app_size_parse(t + 25, 1, &o->page_size);
	}
}

/* The value of NAME in -XX:+PrintFlagsFinal's output: "size_t NAME = V {...}". */
static bool jvm_flag(const char *out, const char *name, uint64_t *v)
{
	size_t n = strlen(name);

	for (const char *p = strstr(out, name); p; p = strstr(p + 1, name)) {
		const char *q = p + n;

		if (p == out || p[-1] != ' ' || *q != ' ')
			continue;
		while (*q == ' ')
			q++;
		if (*q++ != '=')
			continue;
		*v = strtoull(q, NULL, 10);
		return true;
	}
	return false;
}

/* Asks the JVM its sizes, with large pages off so that it maps none. */
static int jvm_ask(const struct app_io *io, const struct program *prog, int argc,
		   char *const *argv, struct jvm_opts *o, char *why, size_t size)
{
	const char **av = calloc((size_t)argc + 4, sizeof(*av));
	char *out = malloc(1 << 20);
	int n = 0, rc;
	uint64_t v;

	if (!av || !out) {
		free(av);
		free(out);
		return -ENOMEM;
	}
	av[n++] = prog->path;
	for (int i = 1; i < argc && argv[i][0] == '-' && strcmp(argv[i], "-jar"); i++)
		if (!strncmp(argv[i], "-X", 2) && strncmp(argv[i], "-Xlog", 5))
			av[n++] = argv[i];
	av[n++] = "-XX:-UseLargePages";
	av[n++] = "-XX:+PrintFlagsFinal";
	av[n++] = "-version";
	av[n] = NULL;
	rc = io->ask(io->ctx, av, NULL, out, 1 << 20, why, size);
	if (rc == 0 && jvm_flag(out, "MaxHeapSize", &v)) {
		o->xmx = v;
		o->have_xmx = true;
		if (jvm_flag(out, "ReservedCodeCacheSize", &v)) {
			o->code_cache = v;
			o->have_code_cache = true;
		}
	} else if (rc == 0) {
		snprintf(why, size, "no MaxHeapSize in its -XX:+PrintFlagsFinal");
		rc = -EINVAL;
	}
	free(av);
	free(out);
	return rc;
}

/* Which large pages JDK 17 takes (os_linux.cpp's large_page_init and
 * setup_large_page_type), measured with -Xlog:pagesize: any of the four
 * flags turned on asks for them, -XX:-UseLargePages forbids them; when
 * none of UseTransparentHugePages, UseHugeTLBFS and UseSHM is given it
 * picks UseHugeTLBFS, else the first given on of THP, UseHugeTLBFS,
 * UseSHM - and none when the given ones are all off ("-XX:+UseLargePages
 * -XX:-UseSHM" warns "UseLargePages disabled" and takes none). */
static enum jvm_kind jvm_kind_of(const struct jvm_opts *o)
{
	if (o->large == 0 ||
	    (o->large != 1 && o->thp != 1 && o->hugetlbfs != 1 && o->shm != 1))
		return JVM_OFF;
	if (o->thp == -1 && o->hugetlbfs == -1 && o->shm == -1)
		return JVM_HUGETLBFS;
	return o->thp == 1 ? JVM_THP : o->hugetlbfs == 1 ? JVM_HUGETLBFS :
	       o->shm == 1 ? JVM_SHM : JVM_OFF;
}

int jvm_configure(const struct app_io *io, const struct program *prog, int argc,
		  char *const *argv, struct workload_hint *h, char *why, size_t size)
{
	struct app_model *m = &h->app;
	struct jvm_opts o;
	enum jvm_kind kind;
	char askwhy[256] = "", s[32];
	uint64_t ps, heap;
	bool asked;

	(void)why;
	(void)size;
	memset(&o, 0, sizeof(o));
	m->known = true;
	m->name = "jvm";
	m->what = "a JVM";
	jvm_args(argc, argv, &o);
	kind = jvm_kind_of(&o);
	snprintf(m->settings, sizeof(m->settings), "%s",
		 kind == JVM_OFF ? "large pages off" : kind == JVM_THP ?
		 "UseLargePages with UseTransparentHugePages" : kind == JVM_SHM ?
		 "UseLargePages with UseSHM" : "UseLargePages with UseHugeTLBFS");
	snprintf(m->input, sizeof(m->input), "command line");
	if (kind == JVM_OFF) {
		m->no_hugepages = true;
		m->none_lost = o.large == 1;
		if (o.large == 1)
			snprintf(m->none_why, sizeof(m->none_why), "-XX:+UseLargePages with "
				 "every way of large pages turned off (UseHugeTLBFS is the "
				 "default only when none of UseHugeTLBFS, UseSHM and "
				 "UseTransparentHugePages is given): the JVM warns "
				 "\"UseLargePages disabled\" and takes no hugepages");
		else
			snprintf(m->none_why, sizeof(m->none_why), "the JVM runs without "
				 "-XX:+UseLargePages: it takes no hugepages; nothing to check");
		return 0;
	}
	if (kind == JVM_THP) {
		m->no_hugepages = true;
		m->thp = true;
		snprintf(m->none_why, sizeof(m->none_why), "-XX:+UseTransparentHugePages: the JVM "
			 "asks for transparent huge pages (madvise), not hugetlbfs pages; no pool "
			 "or mount is needed");
		return 0;
	}
	asked = io->ask && jvm_ask(io, prog, argc, argv, &o, askwhy, sizeof(askwhy)) == 0;
	if (asked)
		app_append(m->input, sizeof(m->input), ", java -XX:+PrintFlagsFinal");
	else
		snprintf(m->note, sizeof(m->note), "java -XX:+PrintFlagsFinal not asked: %s",
			 askwhy[0] ? askwhy : "not on the live host");
	/* The JVM's defaults: a quarter of the memory, 240 MiB of code. */
	heap = o.have_xmx ? o.xmx : io->mem_total / 4;
	if (!o.have_code_cache)
		o.code_cache = o.tiered == 0 ? JVM_CODE_CACHE_C2 : JVM_CODE_CACHE;
	ps = o.page_size ? o.page_size : io->default_page_size;
	if (o.page_size)
		h->page_size = o.page_size;
	workload_hint_mode(h, kind == JVM_SHM ? MODE_SHM : MODE_ANON);
	if (kind == JVM_HUGETLBFS)
		app_region_add(h, "code cache", o.code_cache, ps);
	app_region_add(h, "heap", heap, ps);
	/* G1's tables: those of at least one large page take them. */
	if (ps && heap / 512 >= ps) {
		app_region_add(h, "block offset table", heap / 512, ps);
		app_region_add(h, "card table", heap / 512, ps);
		app_region_add(h, "card counts table", heap / 512, ps);
	}
	if (ps && heap / 64 >= ps) {
		app_region_add(h, "mark bitmap", heap / 64, ps);
		app_region_add(h, "mark bitmap", heap / 64, ps);
	}
	app_append(m->settings, sizeof(m->settings), ", heap %s%s", format_bytes(heap, s, sizeof(s)),
		   o.have_xmx ? "" : " (default: a quarter of the memory)");
	if (kind == JVM_HUGETLBFS)
		app_append(m->settings, sizeof(m->settings), ", code cache %s",
			   format_bytes(o.code_cache, s, sizeof(s)));
	m->fallback = true;
	snprintf(m->loss, sizeof(m->loss), "the JVM will run without hugepages for what does "
		 "not fit: each mapping that cannot have its pages falls back to base pages, "
		 "silently");
	return 0;
}
