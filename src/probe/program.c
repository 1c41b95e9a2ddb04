// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * program.c - reads a program and the objects it maps, at its start and
 * at run time (see program.h), through the dynamic loader's own search
 * (lib/ldso.c), and adds up their writable segments and mappings.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe/program.h"

/* The sums, again, over every object read so far. */
static void program_sum(struct program *prog)
{
	const struct ld_image *im = &prog->image;

	prog->own_rw = prog->start_rw = prog->start_relro = 0;
	prog->runtime_rw = prog->runtime_relro = prog->tls = 0;
	prog->start_map = prog->runtime_map = 0;
	for (size_t i = 0; i < im->n; i++) {
		const struct elf_file *e = &im->objs[i].elf;

		prog->tls = hp_sat_add(prog->tls, e->tls_bytes);
		if (i == 0)
			prog->own_rw = e->rw_bytes;
		else if (!im->objs[i].runtime)
			prog->start_rw = hp_sat_add(prog->start_rw, e->rw_bytes);
		else
			prog->runtime_rw = hp_sat_add(prog->runtime_rw, e->rw_bytes);
		if (im->objs[i].runtime) {
			prog->runtime_relro = hp_sat_add(prog->runtime_relro, e->relro_bytes);
			prog->runtime_map = hp_sat_add(prog->runtime_map, e->map_bytes);
		} else {
			prog->start_relro = hp_sat_add(prog->start_relro, e->relro_bytes);
			prog->start_map = hp_sat_add(prog->start_map, e->map_bytes);
		}
	}
}

int program_probe(struct probe *p, const char *name, const char *path_list,
		  const char *library_path, const char *preload, uint64_t page_size,
		  struct program *prog)
{
	char path[PATH_MAX];
	int rc;

	memset(prog, 0, sizeof(*prog));
	p->err.msg[0] = '\0';
	rc = ld_program_path(p->sr, name, path_list, path, sizeof(path));
	if (rc < 0)
		return hp_fail(&p->err, ENOENT, "'%s': no such program%s%s%s", name,
			       strchr(name, '/') ? "" : " in PATH",
			       p->sr->live ? "" : " under ", p->sr->root);
	/* A relative name is the working directory's, as for execvp(). */
	if (path[0] != '/' && p->sr->live) {
		char cwd[PATH_MAX], *abs;

		if (!getcwd(cwd, sizeof(cwd)) || asprintf(&abs, "%s/%s", cwd, path) < 0)
			return hp_fail(&p->err, ENOMEM, "out of memory");
		snprintf(path, sizeof(path), "%s", abs);
		free(abs);
	}
	prog->path = strdup(path);
	if (!prog->path)
		return hp_fail(&p->err, ENOMEM, "out of memory");
	rc = ld_image_init(&prog->image, p->sr, page_size, library_path);
	if (rc < 0)
		return probe_fail_io(p, rc, "/etc/ld.so.conf");
	rc = ld_image_exec(&prog->image, path, preload);
	if (rc == -ENOEXEC)
		return probe_fail(p, ENOEXEC, path, "not an ELF program (a script? "
				  "give the program it runs)");
	if (rc == -ENOENT)
		return hp_fail(&p->err, ENOENT, "'%s': no such program%s%s", path,
			       p->sr->live ? "" : " under ", p->sr->root);
	if (rc < 0)
		return probe_fail_io(p, rc, path);
	prog->nr_start = prog->image.n;
	prog->is_static = !prog->image.objs[0].elf.interp;
	program_sum(prog);
	return 0;
}

int program_marker(struct probe *p, const struct program *prog, const char *from,
		   const char *marker, char *buf, size_t size)
{
	const struct ld_object *o = ld_image_find(&prog->image, from);
	int fd, rc;

	if (!o)
		return -ENOENT;
	fd = sysroot_openat(p->sr, o->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return probe_fail_io(p, -errno, o->path);
	rc = elf_find_string(fd, marker, buf, size);
	close(fd);
	if (rc == -E2BIG)
		return probe_fail(p, E2BIG, o->path, "the string after '%s' is too long",
				  marker);
	if (rc < 0 && rc != -ENOENT)
		return probe_fail_io(p, rc, o->path);
	return rc;
}

static bool has_suffix(const char *name, const char *const *suffixes)
{
	size_t nl = strlen(name);

	for (size_t i = 0; suffixes && suffixes[i]; i++) {
		size_t sl = strlen(suffixes[i]);

		if (nl > sl && !strcmp(name + nl - sl, suffixes[i]))
			return true;
	}
	return false;
}

/* dlopen() of one file by FROM; a file that is no loadable object is
 * passed over, as the application's loader would refuse it. */
static int load_one(struct probe *p, struct program *prog, size_t from, const char *path)
{
	int rc = ld_image_dlopen(&prog->image, path, from);

	if (rc == -ENOMEM || rc == -E2BIG)
		return probe_fail_io(p, rc, path);
	return rc < 0 ? 0 : rc;
}

int program_load(struct probe *p, struct program *prog, const char *from,
		 const char *path, const char *const *suffixes)
{
	const struct ld_object *o = ld_image_find(&prog->image, from);
	size_t fi = o ? (size_t)(o - prog->image.objs) : 0;
	char **names = NULL;
	struct stat st;
	size_t n = 0;
	int fd, rc = 0;

	p->err.msg[0] = '\0';
	fd = sysroot_openat(p->sr, path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? -ENOENT : probe_fail_io(p, -errno, path);
	rc = fstat(fd, &st) < 0 ? -errno : 0;
	close(fd);
	if (rc < 0)
		return probe_fail_io(p, rc, path);
	if (!S_ISDIR(st.st_mode)) {
		rc = load_one(p, prog, fi, path);
		program_sum(prog);
		return rc < 0 ? rc : 0;
	}
	rc = probe_list(p, path, &names, &n);
	if (rc < 0)
		return rc;
	if (!prog->plugin_dir)
		prog->plugin_dir = strdup(path);
	for (size_t i = 0; i < n && rc >= 0; i++) {
		char file[PATH_MAX];

		if (!has_suffix(names[i], suffixes))
			continue;
		snprintf(file, sizeof(file), "%s%s%s", path,
			 path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
		rc = load_one(p, prog, fi, file);
		prog->nr_plugin_files++;
	}
	sysroot_names_free(names, n);
	program_sum(prog);
	return rc < 0 ? rc : 0;
}

void program_free(struct program *prog)
{
	ld_image_free(&prog->image);
	free(prog->path);
	free(prog->plugin_dir);
	memset(prog, 0, sizeof(*prog));
}
