// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * postgres.c - PostgreSQL as a hugepage user.  `postgres -D DATADIR [-c
 * name=value]...` reads DATADIR/postgresql.conf (or -c config_file=),
 * with its include, include_if_exists and include_dir, then ALTER
 * SYSTEM's postgresql.auto.conf in the data directory (data_directory=
 * when the configuration sets it), and the -c and --name=value options
 * over them; a line PostgreSQL would not read (PostgreSQL 15 refuses to
 * start with "syntax error in file ... line N") is an error naming the
 * file and the line, and so is a size in a unit it does not take.  What it maps: one MAP_SHARED |
 * MAP_ANONYMOUS | MAP_HUGETLB region of its shared memory size, rounded up
 * to huge_page_size (the kernel's default size when 0), at start.
 * huge_pages=on fails to start when the mapping fails ("could not map
 * anonymous shared memory: Cannot allocate memory"); try (the default)
 * falls back to base pages and says nothing; off takes none.  The shared
 * memory size is asked of the program itself, `postgres -C
 * shared_memory_size_in_huge_pages` as the data directory's owner; when
 * it cannot be asked, estimated from shared_buffers (measured on Debian
 * 12, PostgreSQL 15: 128MB -> 72 pages, 1GB -> 537, 4GB -> 2107).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/num.h"
#include "model/apps.h"

#define PG_BLOCK		8192ULL
#define PG_MAX_DEPTH		10	/* PostgreSQL's own include depth */
/* The estimate: per shared buffer, its descriptor, lock and the other
 * per-buffer arrays; then wal_buffers (shared_buffers / 32, at most 16
 * MiB) and the fixed structures (locks, procs, the rest). */
#define PG_PER_BUFFER		181ULL
#define PG_FIXED		(10ULL << 20)

enum pg_key {
	PG_SHARED_BUFFERS, PG_HUGE_PAGES, PG_HUGE_PAGE_SIZE, PG_CONFIG_FILE, PG_DATA_DIRECTORY,
	PG_KEYS
};

static const char *const pg_names[PG_KEYS] = {
	"shared_buffers", "huge_pages", "huge_page_size", "config_file", "data_directory",
};

struct pg_conf {
	char value[PG_KEYS][128];
	bool set[PG_KEYS];
	char files[APP_TEXT];		/* the files read, for "from what" */
	int nr_files;
};

bool postgres_match(const struct program *prog, char *why, size_t size)
{
	const char *b = app_base_name(prog->path);

	if (strcmp(b, "postgres") && strcmp(b, "postmaster"))
		return false;
	snprintf(why, size, "program named %s", b);
	return true;
}

void postgres_options(int argc, char *const *argv, struct workload_hint *h)
{
	(void)argc;
	(void)argv;
	workload_hint_mode(h, MODE_ANON);
}

static void pg_set(struct pg_conf *c, const char *name, size_t nlen, const char *val)
{
	for (int k = 0; k < PG_KEYS; k++)
		if (strlen(pg_names[k]) == nlen && !strncasecmp(name, pg_names[k], nlen)) {
			snprintf(c->value[k], sizeof(c->value[k]), "%s", val);
			c->set[k] = true;
		}
}

/* A value as PostgreSQL's guc-file.l reads it: 'quoted' ('' and \' for a
 * quote), or a word of letters, digits and -._:/+ (a number with its
 * unit).  The end of the value in *END; false for a quote not closed or
 * no value at all. */
static bool pg_value(const char *s, char *out, size_t size, const char **end)
{
	size_t o = 0;

	if (*s == '\'') {
		for (s++; *s; s++) {
			if ((*s == '\'' && s[1] == '\'') || (*s == '\\' && s[1])) {
				s++;
			} else if (*s == '\'') {
				break;
			}
			if (o + 1 < size)
				out[o++] = *s;
		}
		out[o] = 0;
		*end = *s ? s + 1 : s;
		return *s == '\'';
	}
	while (*s && (isalnum((unsigned char)*s) || strchr("-._:/+", *s))) {
		if (o + 1 < size)
			out[o++] = *s;
		s++;
	}
	out[o] = 0;
	*end = s;
	return o > 0;
}

static void pg_dir_of(const char *file, char *dir, size_t size)
{
	const char *slash = strrchr(file, '/');

	snprintf(dir, size, "%.*s", slash ? (int)(slash - file) : 1, slash ? file : ".");
}

static int pg_file(const struct app_io *io, const char *path, bool must, int depth,
		   struct pg_conf *c, char *why, size_t size);

/* include_dir DIR: its files ending in ".conf", in name order. */
static int pg_dir(const struct app_io *io, const char *dir, int depth, struct pg_conf *c,
		  char *why, size_t size)
{
	char **names = NULL, *path;
	size_t n = 0;
	int rc = io->list_dir(io->ctx, dir, ".conf", &names, &n);

	if (rc < 0) {
		snprintf(why, size, "cannot read the directory '%s': %s", dir, strerror(-rc));
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && asprintf(&path, "%s/%s", dir, names[i]) < 0)
			rc = -ENOMEM;
		else if (rc == 0) {
			rc = pg_file(io, path, true, depth + 1, c, why, size);
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* PostgreSQL's own words for a line it cannot read, near what it met. */
static int pg_syntax(const char *path, unsigned lineno, const char *near, char *why,
		     size_t size)
{
	size_t n;

	if (*near == '#')		/* a comment is the end of the line */
		near = "";
	n = strcspn(near, " \t\r");

	snprintf(why, size, "%s line %u: syntax error%s%.*s%s", path, lineno,
		 *near ? " near '" : " at the end of the line", (int)(n > 40 ? 40 : n), near,
		 *near ? "'" : "");
	return -EINVAL;
}

static int pg_file(const struct app_io *io, const char *path, bool must, int depth,
		   struct pg_conf *c, char *why, size_t size)
{
	char *text = NULL, *line, *next, dir[4096];
	unsigned lineno = 1;
	int rc;

	if (depth > PG_MAX_DEPTH) {
		snprintf(why, size, "'%s': includes nested more than %d deep", path, PG_MAX_DEPTH);
		return -ELOOP;
	}
	rc = io->read_file(io->ctx, path, &text);
	if (rc == -ENOENT && !must)
		return 0;
	if (rc < 0) {
		snprintf(why, size, "cannot read '%s': %s", path, strerror(-rc));
		return rc;
	}
	app_append(c->files, sizeof(c->files), "%s%s", c->nr_files++ ? ", " : "", path);
	pg_dir_of(path, dir, sizeof(dir));
	for (line = text; line && *line && rc == 0; line = next, lineno++) {
		char val[4096], inc[8192];
		const char *s = line, *name, *end;
		size_t nlen;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			continue;
		/* name [=] value [# comment]: anything else is a syntax error,
		 * which PostgreSQL refuses to start with. */
		name = s;
		if (isalpha((unsigned char)*s) || *s == '_')
			while (*s && (isalnum((unsigned char)*s) || *s == '_' || *s == '.'))
				s++;
		nlen = (size_t)(s - name);
		while (isspace((unsigned char)*s))
			s++;
		if (nlen && *s == '=')
			s++;
		while (isspace((unsigned char)*s))
			s++;
		end = s;
		if (!nlen || !pg_value(s, val, sizeof(val), &end)) {
			rc = pg_syntax(path, lineno, nlen ? s : name, why, size);
			break;
		}
		while (isspace((unsigned char)*end))
			end++;
		if (*end && *end != '#') {
			rc = pg_syntax(path, lineno, end, why, size);
			break;
		}
		if (val[0] == '/')
			snprintf(inc, sizeof(inc), "%s", val);
		else
			snprintf(inc, sizeof(inc), "%s/%s", dir, val);
		if (nlen == 7 && !strncasecmp(name, "include", 7))
			rc = pg_file(io, inc, true, depth + 1, c, why, size);
		else if (nlen == 17 && !strncasecmp(name, "include_if_exists", 17))
			rc = pg_file(io, inc, false, depth + 1, c, why, size);
		else if (nlen == 11 && !strncasecmp(name, "include_dir", 11))
			rc = pg_dir(io, inc, depth, c, why, size);
		else
			pg_set(c, name, nlen, val);
	}
	free(text);
	return rc;
}

/* The command line: -D DIR, -c name=value, --name=value, -B BUFFERS. */
static void pg_args(int argc, char *const *argv, const char **datadir, struct pg_conf *c)
{
	for (int i = 1; i < argc; i++) {
		const char *t = argv[i], *v = NULL;
		const char *eq;

		if (!strcmp(t, "-D") && i + 1 < argc) {
			*datadir = argv[++i];
		} else if (!strncmp(t, "-D", 2) && t[2]) {
			*datadir = t + 2;
		} else if (!strcmp(t, "-B") && i + 1 < argc) {
			pg_set(c, "shared_buffers", 14, argv[++i]);
		} else if (!strcmp(t, "-c") && i + 1 < argc) {
			v = argv[++i];
		} else if ((!strncmp(t, "-c", 2) || !strncmp(t, "--", 2)) && t[2]) {
			/* "-cname=value" and "--name=value" */
			v = t + 2;
		}
		if (v && (eq = strchr(v, '='))) {
			char name[64];
			size_t n = (size_t)(eq - v);

			/* "--shared-buffers=" is "shared_buffers". */
			snprintf(name, sizeof(name), "%.*s", (int)n, v);
			for (char *p = name; *p; p++)
				if (*p == '-')
					*p = '_';
			pg_set(c, name, strlen(name), eq + 1);
		}
	}
}

/* A memory setting as PostgreSQL takes it: a number (fractions since 12),
 * perhaps a blank, and one of its units, spelt as it spells them. */
static int pg_size(const char *v, uint64_t unit, uint64_t *bytes)
{
	static const char *const units[] = { "", "B", "kB", "MB", "GB", "TB" };
	const char *u = v + strspn(v, " \t0123456789.");
	size_t n = strcspn(u, " \t");

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i]) == n && !strncmp(u, units[i], n) && !u[n + strspn(u + n, " \t")])
			return app_size_parse(v, unit, bytes);
	return -EINVAL;
}

/* PostgreSQL's boolean-like huge_pages: on, try, off (and true/yes/1...). */
static int pg_huge_pages(const char *v)
{
	if (!strcasecmp(v, "try"))
		return 1;
	if (!strcasecmp(v, "on") || !strcasecmp(v, "true") || !strcasecmp(v, "yes") ||
	    !strcmp(v, "1"))
		return 2;
	if (!strcasecmp(v, "off") || !strcasecmp(v, "false") || !strcasecmp(v, "no") ||
	    !strcmp(v, "0"))
		return 0;
	return -1;
}

/* Asks the program its shared memory size in pages of huge_page_size. */
static int pg_ask(const struct app_io *io, const struct program *prog, int argc,
		  char *const *argv, const char *datadir, uint64_t *pages, char *why, size_t size)
{
	const char **av = calloc((size_t)argc + 3, sizeof(*av));
	char out[256], *end;
	int n = 0, rc;
	unsigned long long v;

	if (!av)
		return -ENOMEM;
	av[n++] = prog->path;
	for (int i = 1; i < argc; i++) {
		/* Its own -C would print something else. */
		if (!strcmp(argv[i], "-C") && i + 1 < argc) {
			i++;
			continue;
		}
		av[n++] = argv[i];
	}
	av[n++] = "-C";
	av[n++] = "shared_memory_size_in_huge_pages";
	av[n] = NULL;
	rc = io->ask(io->ctx, av, datadir, out, sizeof(out), why, size);
	free(av);
	if (rc < 0)
		return rc;
	errno = 0;
	v = strtoull(out, &end, 10);
	if (errno || end == out || (*end && *end != '\n')) {
		snprintf(why, size, "it answered '%.40s'", out);
		return -EINVAL;
	}
	*pages = v;
	return 0;
}

int postgres_configure(const struct app_io *io, const struct program *prog, int argc,
		       char *const *argv, struct workload_hint *h, char *why, size_t size)
{
	struct app_model *m = &h->app;
	struct pg_conf c, cmd;
	const char *datadir = NULL, *conf;
	char path[4096], askwhy[256] = "";
	uint64_t sb = 128ULL << 20, hps = 0, pages = 0, ps, bytes;

	int hp, rc;

	memset(&c, 0, sizeof(c));
	memset(&cmd, 0, sizeof(cmd));
	m->known = true;
	m->name = "postgresql";
	m->what = "PostgreSQL";
	pg_args(argc, argv, &datadir, &cmd);
	if (!datadir) {
		snprintf(why, size, "postgres without -D DATADIR: which cluster is not said");
		return -EINVAL;
	}
	conf = cmd.set[PG_CONFIG_FILE] ? cmd.value[PG_CONFIG_FILE] : NULL;
	if (!conf) {
		snprintf(path, sizeof(path), "%s/postgresql.conf", datadir);
		conf = path;
	}
	rc = pg_file(io, conf, true, 0, &c, why, size);
	if (rc < 0)
		return rc;
	/* ALTER SYSTEM's file in the data directory, over postgresql.conf. */
	snprintf(path, sizeof(path), "%s/postgresql.auto.conf",
		 c.set[PG_DATA_DIRECTORY] && !cmd.set[PG_DATA_DIRECTORY] ?
		 c.value[PG_DATA_DIRECTORY] : cmd.set[PG_DATA_DIRECTORY] ?
		 cmd.value[PG_DATA_DIRECTORY] : datadir);
	rc = pg_file(io, path, false, 0, &c, why, size);
	if (rc < 0)
		return rc;
	/* The command line's settings over the files'. */
	for (int k = 0; k < PG_KEYS; k++)
		if (cmd.set[k]) {
			memcpy(c.value[k], cmd.value[k], sizeof(c.value[k]));
			c.set[k] = true;
		}
	if (c.set[PG_SHARED_BUFFERS] && pg_size(c.value[PG_SHARED_BUFFERS], PG_BLOCK, &sb)) {
		snprintf(why, size, "shared_buffers = '%s' is not a size PostgreSQL takes (a number, in 8kB blocks or with B, kB, MB, GB or TB)", c.value[PG_SHARED_BUFFERS]);
		return -EINVAL;
	}
	if (c.set[PG_HUGE_PAGE_SIZE] &&
	    pg_size(c.value[PG_HUGE_PAGE_SIZE], 1024, &hps)) {
		snprintf(why, size, "huge_page_size = '%s' is not a size PostgreSQL takes (a number, in kB or with B, kB, MB, GB or TB)", c.value[PG_HUGE_PAGE_SIZE]);
		return -EINVAL;
	}
	hp = c.set[PG_HUGE_PAGES] ? pg_huge_pages(c.value[PG_HUGE_PAGES]) : 1;
	if (hp < 0) {
		snprintf(why, size, "huge_pages = '%s' is not on, try or off", c.value[PG_HUGE_PAGES]);
		return -EINVAL;
	}
	snprintf(m->settings, sizeof(m->settings), "huge_pages=%s%s, shared_buffers=%s",
		 hp == 2 ? "on" : hp == 1 ? "try" : "off", c.set[PG_HUGE_PAGES] ? "" : " (default)",
		 c.set[PG_SHARED_BUFFERS] ? c.value[PG_SHARED_BUFFERS] : "128MB (default)");
	if (hps)
		app_append(m->settings, sizeof(m->settings), ", huge_page_size=%s",
			   c.value[PG_HUGE_PAGE_SIZE]);
	m->input[0] = 0;
	app_append(m->input, sizeof(m->input), "command line, %s", c.files);
	if (hps)
		h->page_size = hps;
	if (hp == 0) {
		m->no_hugepages = true;
		snprintf(m->none_why, sizeof(m->none_why), "huge_pages=off: PostgreSQL maps its "
			 "shared memory on base pages and takes no hugepages; nothing to check");
		return 0;
	}
	ps = hps ? hps : io->default_page_size;
	if (io->ask && pg_ask(io, prog, argc, argv, datadir, &pages, askwhy, sizeof(askwhy)) == 0) {
		app_append(m->input, sizeof(m->input),
			   ", postgres -C shared_memory_size_in_huge_pages");
		app_region_add(h, "shared memory", hp_sat_mul(pages, ps), ps);
	} else {
		/* The estimate from shared_buffers. */
		uint64_t wal = sb / 32 > (16ULL << 20) ? 16ULL << 20 : sb / 32;

		bytes = hp_sat_add(hp_sat_add(sb, sb / PG_BLOCK * PG_PER_BUFFER),
				   hp_sat_add(wal, PG_FIXED));
		app_region_add(h, "shared memory", bytes, ps);
		app_append(m->input, sizeof(m->input), ", estimated from shared_buffers");
		snprintf(m->note, sizeof(m->note), "postgres -C shared_memory_size_in_huge_pages "
			 "not asked: %s", askwhy[0] ? askwhy : "not on the live host");
	}
	if (hp == 1) {
		m->fallback = true;
		snprintf(m->loss, sizeof(m->loss), "PostgreSQL will run without hugepages "
			 "(huge_pages=try): its shared memory falls back to base pages");
	}
	return 0;
}
