// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ldso.c - finds the objects of a running program as the kernel and the
 * dynamic loader find them (see ldso.h).  The search order is glibc's:
 * the DT_RPATHs of the loading chain (unless the asking object has a
 * DT_RUNPATH), LD_LIBRARY_PATH, the asking object's DT_RUNPATH, the
 * directories ld.so.cache is built from, the system directories.  Not
 * followed: glibc-hwcaps subdirectories and the legacy hwcap ones, $LIB and
 * $PLATFORM in search paths, and DF_1_NODEFLIB (rare, and they change which
 * file is found, rarely how large it is).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/ldso.h"
#include "lib/rooted.h"

#define CONF_MAX_DEPTH	8

/* Debian's multiarch directory of a machine, for the system directories. */
static const char *triplet(uint16_t machine, bool is64)
{
	switch (machine) {
	case EM_X86_64:
		return is64 ? "x86_64-linux-gnu" : NULL;
	case EM_386:
		return "i386-linux-gnu";
	case EM_AARCH64:
		return "aarch64-linux-gnu";
	case EM_ARM:
		return "arm-linux-gnueabihf";
	case EM_PPC64:
		return "powerpc64le-linux-gnu";
	case EM_S390:
		return "s390x-linux-gnu";
	case EM_RISCV:
		return "riscv64-linux-gnu";
	default:
		return NULL;
	}
}

static int dirs_add(char ***dirs, size_t *n, const char *dir, size_t len)
{
	char **nd;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (!len || *n >= LDSO_MAX_DIRS)
		return 0;
	for (size_t i = 0; i < *n; i++)
		if (strlen((*dirs)[i]) == len && !strncmp((*dirs)[i], dir, len))
			return 0;
	nd = realloc(*dirs, (*n + 1) * sizeof(*nd));
	if (!nd)
		return -ENOMEM;
	*dirs = nd;
	nd[*n] = strndup(dir, len);
	if (!nd[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

static void dirs_free(char **dirs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
}

static int conf_read(struct ld_image *im, const char *file, unsigned depth);

/* "include PATTERN": the files matching it, in name order (the glob is in
 * the last component, as every distribution writes it). */
static int conf_include(struct ld_image *im, const char *conf, const char *pat,
			unsigned depth)
{
	char full[PATH_MAX], dir[PATH_MAX], **names = NULL;
	const char *slash, *base;
	size_t n = 0;
	int rc = 0;

	if (pat[0] == '/') {
		snprintf(full, sizeof(full), "%s", pat);
	} else {
		slash = strrchr(conf, '/');
		snprintf(full, sizeof(full), "%.*s/%s", slash ? (int)(slash - conf) : 1,
			 slash ? conf : "/", pat);
	}
	slash = strrchr(full, '/');
	base = slash + 1;
	snprintf(dir, sizeof(dir), "%.*s", slash == full ? 1 : (int)(slash - full), full);
	if (!strpbrk(base, "*?[")) {
		return conf_read(im, full, depth + 1);
	}
	if (strpbrk(dir, "*?[") || sysroot_list(im->sr, dir, &names, &n) < 0)
		return 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char path[2 * PATH_MAX];

		if (fnmatch(base, names[i], FNM_PERIOD))
			continue;
		snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "", names[i]);
		rc = conf_read(im, path, depth + 1);
	}
	sysroot_names_free(names, n);
	return rc;
}

/* One ld.so.conf: a directory a line, "include" lines, comments. */
static int conf_read(struct ld_image *im, const char *file, unsigned depth)
{
	char *buf, *line, *save = NULL;
	int rc;

	if (depth > CONF_MAX_DEPTH)
		return 0;
	rc = sysroot_read(im->sr, file, &buf, NULL);
	if (rc < 0)
		return rc == -ENOMEM ? rc : 0;	/* absent or unreadable: none */
	for (line = strtok_r(buf, "\n", &save); line && rc == 0;
	     line = strtok_r(NULL, "\n", &save)) {
		char *hash = strchr(line, '#'), *w, *s2 = NULL;

		if (hash)
			*hash = '\0';
		w = strtok_r(line, " \t", &s2);
		if (!w)
			continue;
		if (!strcmp(w, "include")) {
			while (rc == 0 && (w = strtok_r(NULL, " \t", &s2)))
				rc = conf_include(im, file, w, depth);
		} else if (w[0] == '/') {
			/* "DIR" or the old "DIR=TYPE". */
			rc = dirs_add(&im->conf_dirs, &im->nr_conf_dirs, w, strcspn(w, "=:,"));
		}
	}
	free(buf);
	return rc;
}

/* Each directory of a ':' list, empty ones left out. */
static int dirs_split(char ***dirs, size_t *n, const char *list)
{
	int rc = 0;

	while (list && *list && rc == 0) {
		size_t len = strcspn(list, ":;");

		if (list[0] == '/')
			rc = dirs_add(dirs, n, list, len);
		list += len;
		list += *list != '\0';
	}
	return rc;
}

int ld_image_init(struct ld_image *im, struct sysroot *sr, uint64_t page_size,
		  const char *library_path)
{
	int rc;

	memset(im, 0, sizeof(*im));
	im->sr = sr;
	im->page_size = page_size ? page_size : 4096;
	rc = dirs_split(&im->env_dirs, &im->nr_env_dirs, library_path);
	if (rc == 0)
		rc = conf_read(im, "/etc/ld.so.conf", 0);
	return rc;
}

static void object_free(struct ld_object *o)
{
	free(o->name);
	free(o->path);
	elf_file_free(&o->elf);
}

void ld_image_free(struct ld_image *im)
{
	for (size_t i = 0; i < im->n; i++)
		object_free(&im->objs[i]);
	free(im->objs);
	dirs_free(im->env_dirs, im->nr_env_dirs);
	dirs_free(im->conf_dirs, im->nr_conf_dirs);
	dirs_free(im->missing, im->nr_missing);
	memset(im, 0, sizeof(*im));
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

const struct ld_object *ld_image_find(const struct ld_image *im, const char *prefix)
{
	size_t pl = strlen(prefix);

	for (size_t i = 0; i < im->n; i++) {
		const struct ld_object *o = &im->objs[i];

		if ((o->elf.soname && !strncmp(o->elf.soname, prefix, pl)) ||
		    !strncmp(base_name(o->path), prefix, pl))
			return o;
	}
	return NULL;
}

/* An object already loaded under NAME: asked for by it, or so named. */
static bool loaded_as(const struct ld_image *im, const char *name)
{
	for (size_t i = 0; i < im->n; i++) {
		const struct ld_object *o = &im->objs[i];

		if (!strcmp(o->name, name) || !strcmp(o->path, name) ||
		    (o->elf.soname && !strcmp(o->elf.soname, name)))
			return true;
	}
	return false;
}

/*
 * Opens PATH as a candidate: 1 when loaded now (appended, asked for as
 * NAME by LOADER), 0 when the same file is loaded already, -ENOEXEC when
 * the loader would pass it over (not ELF, another class or machine),
 * -errno when there is no such file.
 */
static int try_file(struct ld_image *im, const char *path, const char *name,
		    size_t loader, bool runtime)
{
	struct ld_object o = { 0 }, *no;
	struct stat st;
	int fd, rc;

	fd = sysroot_openat(im->sr, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -ENOENT;
	}
	for (size_t i = 0; i < im->n; i++)
		if (im->objs[i].dev == st.st_dev && im->objs[i].ino == st.st_ino) {
			close(fd);
			return 0;
		}
	rc = elf_read(fd, im->page_size, &o.elf);
	close(fd);
	if (rc == 0 && im->n && (o.elf.is64 != im->is64 || o.elf.machine != im->machine))
		rc = -ENOEXEC;
	if (rc < 0) {
		elf_file_free(&o.elf);
		return rc == -ENOMEM ? rc : -ENOEXEC;
	}
	if (im->n >= LDSO_MAX_OBJECTS) {
		elf_file_free(&o.elf);
		return -E2BIG;
	}
	no = realloc(im->objs, (im->n + 1) * sizeof(*no));
	if (!no) {
		elf_file_free(&o.elf);
		return -ENOMEM;
	}
	im->objs = no;
	o.name = strdup(name);
	o.path = strdup(path);
	o.dev = st.st_dev;
	o.ino = st.st_ino;
	o.loader = im->n ? loader : 0;
	o.runtime = runtime;
	if (!o.name || !o.path) {
		object_free(&o);
		return -ENOMEM;
	}
	im->objs[im->n++] = o;
	return 1;
}

/* The directory an object's $ORIGIN stands for. */
static void origin_of(const struct ld_image *im, const struct ld_object *o,
		      char *buf, size_t size)
{
	char real[PATH_MAX];
	const char *p = o->path, *slash;

	/* The program's is where it really is (the kernel's /proc/self/exe). */
	if (o == &im->objs[0] && !im->sr->root[0] && realpath(o->path, real))
		p = real;
	slash = strrchr(p, '/');
	if (!slash)
		snprintf(buf, size, ".");
	else
		snprintf(buf, size, "%.*s", slash == p ? 1 : (int)(slash - p), p);
}

/* Searches LIST (an RPATH or RUNPATH of O) for NAME. */
static int try_list(struct ld_image *im, const struct ld_object *o, const char *list,
		    const char *name, size_t loader, bool runtime)
{
	char origin[PATH_MAX];

	origin_of(im, o, origin, sizeof(origin));
	while (list && *list) {
		size_t len = strcspn(list, ":");
		char dir[PATH_MAX], path[PATH_MAX + 256];
		const char *tok;
		int rc;

		snprintf(dir, sizeof(dir), "%.*s", (int)len, list);
		list += len;
		list += *list == ':';
		tok = strstr(dir, "$ORIGIN");
		if (!tok)
			tok = strstr(dir, "${ORIGIN}");
		if (tok) {
			char rest[PATH_MAX];
			size_t tl = tok[1] == '{' ? 9 : 7;

			snprintf(rest, sizeof(rest), "%s", tok + tl);
			snprintf(dir + (tok - dir), sizeof(dir) - (size_t)(tok - dir), "%s%s",
				 origin, rest);
		}
		if (dir[0] != '/' || strchr(dir, '$'))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		rc = try_file(im, path, name, loader, runtime);
		if (rc >= 0 || rc == -ENOMEM || rc == -E2BIG)
			return rc;
	}
	return -ENOENT;
}

static int try_dirs(struct ld_image *im, char **dirs, size_t n, const char *name,
		    size_t loader, bool runtime)
{
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX + 256];
		int rc;

		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		rc = try_file(im, path, name, loader, runtime);
		if (rc >= 0 || rc == -ENOMEM || rc == -E2BIG)
			return rc;
	}
	return -ENOENT;
}

static int missing(struct ld_image *im, const char *name)
{
	for (size_t i = 0; i < im->nr_missing; i++)
		if (!strcmp(im->missing[i], name))
			return -ENOENT;
	return dirs_add(&im->missing, &im->nr_missing, name, strlen(name)) < 0 ?
	       -ENOMEM : -ENOENT;
}

/* NAME, needed by the object at LOADER, found as glibc's loader finds it. */
static int load_name(struct ld_image *im, const char *name, size_t loader, bool runtime)
{
	const struct ld_object *l = &im->objs[loader];
	int rc;

	if (loaded_as(im, name))
		return 0;
	if (strchr(name, '/')) {
		rc = try_file(im, name, name, loader, runtime);
		return rc == -ENOMEM || rc == -E2BIG || rc >= 0 ? rc : missing(im, name);
	}
	if (!l->elf.runpath) {
		/* The DT_RPATHs of the chain that led here, then the program's. */
		for (size_t i = loader, hops = 0; hops < LDSO_MAX_OBJECTS; hops++) {
			const struct ld_object *c = &im->objs[i];

			if (c->elf.rpath && !c->elf.runpath) {
				rc = try_list(im, c, c->elf.rpath, name, loader, runtime);
				if (rc != -ENOENT)
					return rc;
			}
			if (i == c->loader)
				break;
			i = c->loader;
		}
		if (im->objs[0].elf.rpath && !im->objs[0].elf.runpath) {
			rc = try_list(im, &im->objs[0], im->objs[0].elf.rpath, name, loader,
				      runtime);
			if (rc != -ENOENT)
				return rc;
		}
	}
	rc = try_dirs(im, im->env_dirs, im->nr_env_dirs, name, loader, runtime);
	if (rc == -ENOENT && l->elf.runpath)
		rc = try_list(im, l, l->elf.runpath, name, loader, runtime);
	if (rc == -ENOENT)
		rc = try_dirs(im, im->conf_dirs, im->nr_conf_dirs, name, loader, runtime);
	return rc == -ENOENT ? missing(im, name) : rc;
}

/* Every DT_NEEDED of the objects from FIRST on, breadth first. */
static int load_needed(struct ld_image *im, size_t first, bool runtime)
{
	for (size_t i = first; i < im->n; i++)
		for (size_t k = 0; k < im->objs[i].elf.nr_needed; k++) {
			int rc = load_name(im, im->objs[i].elf.needed[k], i, runtime);

			if (rc < 0 && rc != -ENOENT)
				return rc;
		}
	return 0;
}

int ld_image_exec(struct ld_image *im, const char *path, const char *preload)
{
	const char *t;
	int rc;

	if (im->n)
		return -EINVAL;
	rc = try_file(im, path, path, 0, false);
	if (rc < 0)
		return rc;
	im->is64 = im->objs[0].elf.is64;
	im->machine = im->objs[0].elf.machine;
	if (!im->objs[0].elf.interp)
		return 0;	/* static: nothing else is loaded */
	/* The system directories come after ld.so.cache's. */
	t = triplet(im->machine, im->is64);
	if (t) {
		char d[64];

		snprintf(d, sizeof(d), "/lib/%s", t);
		rc = dirs_add(&im->conf_dirs, &im->nr_conf_dirs, d, strlen(d));
		snprintf(d, sizeof(d), "/usr/lib/%s", t);
		if (rc == 0)
			rc = dirs_add(&im->conf_dirs, &im->nr_conf_dirs, d, strlen(d));
	}
	if (rc == 0 && im->is64)
		rc = dirs_split(&im->conf_dirs, &im->nr_conf_dirs, "/lib64:/usr/lib64");
	if (rc == 0)
		rc = dirs_split(&im->conf_dirs, &im->nr_conf_dirs, "/lib:/usr/lib");
	if (rc < 0)
		return rc;
	rc = load_name(im, im->objs[0].elf.interp, 0, false);
	if (rc < 0 && rc != -ENOENT)
		return rc;
	/* LD_PRELOAD: blanks or colons between names. */
	while (preload && *preload) {
		char name[PATH_MAX];
		size_t len = strcspn(preload, ": \t");

		if (len && len < sizeof(name)) {
			snprintf(name, sizeof(name), "%.*s", (int)len, preload);
			rc = load_name(im, name, 0, false);
			if (rc < 0 && rc != -ENOENT)
				return rc;
		}
		preload += len;
		preload += *preload != '\0';
	}
	return load_needed(im, 0, false);
}

int ld_image_dlopen(struct ld_image *im, const char *name, size_t from)
{
	size_t first = im->n;
	int rc;

	if (from >= im->n)
		return -EINVAL;
	rc = load_name(im, name, from, true);
	if (rc <= 0)
		return rc;
	rc = load_needed(im, first, true);
	return rc < 0 ? rc : 1;
}

int ld_program_path(struct sysroot *sr, const char *name, const char *path_list,
		    char *buf, size_t size)
{
	if (!*name)
		return -ENOENT;
	if (strchr(name, '/')) {
		snprintf(buf, size, "%s", name);
		return 0;
	}
	if (!path_list || !*path_list)
		path_list = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path_list; ; ) {
		size_t len = strcspn(p, ":");
		struct stat st;
		int fd;

		snprintf(buf, size, "%.*s%s%s", (int)len, p, len ? "/" : "", name);
		if (buf[0] == '/') {
			fd = sysroot_openat(sr, buf, O_PATH | O_CLOEXEC);
			if (fd >= 0) {
				bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
					  (st.st_mode & 0111);

				close(fd);
				if (ok)
					return 0;
			}
		}
		if (!p[len])
			break;
		p += len + 1;
	}
	return -ENOENT;
}
