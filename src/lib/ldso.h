/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ldso.h - the objects a program is made of once it runs, found as the
 * kernel and the dynamic loader find them: the program, its interpreter,
 * LD_PRELOAD's libraries, then every DT_NEEDED breadth first, each looked
 * up in the DT_RPATH of the objects that led to it (when it has no
 * DT_RUNPATH), LD_LIBRARY_PATH, its own DT_RUNPATH ($ORIGIN expanded),
 * the directories of /etc/ld.so.conf and its includes (what ld.so.cache is
 * built from), and the system directories; an object of another class or
 * machine is passed over, as the loader passes it; each file is loaded
 * once (by device and inode, and by its DT_SONAME).  What a program loads
 * later with dlopen() is added the same way, from the object that asks.
 * Every file is read through the rooted reader, so a captured tree that
 * holds the program works as the host does.  Knows nothing of hugepages.
 */
#ifndef HPDIAG_LIB_LDSO_H
#define HPDIAG_LIB_LDSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/elf.h"

struct sysroot;

#define LDSO_MAX_OBJECTS	4096
#define LDSO_MAX_DIRS		256

struct ld_object {
	char *name;			/* the name it was asked for by */
	char *path;			/* where it was found */
	dev_t dev;
	ino_t ino;
	struct elf_file elf;
	size_t loader;			/* the object that needed it (itself for
					   the program and what it preloads) */
	bool runtime;			/* dlopen()ed, not loaded at start */
};

struct ld_image {
	struct sysroot *sr;
	uint64_t page_size;
	char **env_dirs;		/* LD_LIBRARY_PATH */
	size_t nr_env_dirs;
	char **conf_dirs;		/* /etc/ld.so.conf, then the system's */
	size_t nr_conf_dirs;
	struct ld_object *objs;		/* objs[0] is the program */
	size_t n;
	char **missing;			/* names no directory held */
	size_t nr_missing;
	bool is64;			/* the program's class and machine */
	uint16_t machine;
};

/*
 * Reads /etc/ld.so.conf under SR (an absent one is no directory) and
 * takes LIBRARY_PATH (LD_LIBRARY_PATH's value, or NULL).  0 or -errno.
 */
int ld_image_init(struct ld_image *im, struct sysroot *sr, uint64_t page_size,
		  const char *library_path);
/*
 * The program at PATH and what starts with it: its interpreter, PRELOAD
 * (LD_PRELOAD's list, or NULL) and every DT_NEEDED, recursively.  0;
 * -ENOEXEC when PATH is not an ELF program; -errno (-ENOENT: no such
 * file).  A library found nowhere is named in im->missing, not an error:
 * the loader refuses to start such a program, which the caller reports.
 */
int ld_image_exec(struct ld_image *im, const char *path, const char *preload);
/*
 * dlopen(NAME) by the object at index FROM, and what NAME needs: 1 when it
 * was loaded now, 0 when it already was, -ENOENT when it is found nowhere
 * (also named in im->missing), -errno.
 */
int ld_image_dlopen(struct ld_image *im, const char *name, size_t from);
/* The first object whose DT_SONAME (or file name) starts with PREFIX. */
const struct ld_object *ld_image_find(const struct ld_image *im, const char *prefix);
void ld_image_free(struct ld_image *im);

/*
 * The file execvp() runs for NAME: NAME itself when it holds a '/', else
 * the first executable regular file NAME in PATH_LIST's directories
 * (PATH's value; NULL: /usr/local/bin:/usr/bin:/bin), under SR.  0 or
 * -ENOENT.
 */
int ld_program_path(struct sysroot *sr, const char *name, const char *path_list,
		    char *buf, size_t size);

#endif /* HPDIAG_LIB_LDSO_H */
