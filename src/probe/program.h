/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * program.h - the program an application runs, read from its files before
 * it runs (check -- COMMAND, trial -- COMMAND) or after (exec): the
 * objects the kernel and the dynamic loader map when it starts, those it
 * loads later with dlopen() from a directory or file the caller names, and
 * what they add up to: private writable memory (what RLIMIT_DATA counts)
 * and address space (RLIMIT_AS).  Gathers, judges nothing: which
 * directory an application loads is the model's to say (model/app.h).
 */
#ifndef HPDIAG_PROBE_PROGRAM_H
#define HPDIAG_PROBE_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ldso.h"
#include "probe/probe.h"

struct program {
	char *path;			/* the program's file */
	struct ld_image image;		/* image.objs[0] is the program */
	size_t nr_start;		/* objects mapped when it starts */
	char *plugin_dir;		/* a directory it loads at run time, or NULL */
	size_t nr_plugin_files;		/* files of it loaded */
	bool is_static;			/* no interpreter: nothing else loads */
	/* Private writable memory, bytes (whole pages): */
	uint64_t own_rw;		/* the program's own .data and .bss */
	uint64_t start_rw;		/* the other objects of the start */
	uint64_t start_relro;		/* of all these, made read-only after */
	uint64_t runtime_rw;		/* the objects loaded at run time */
	uint64_t runtime_relro;
	uint64_t tls;			/* thread-local storage of one thread */
	/* Address space of the objects' mappings, bytes. */
	uint64_t start_map;		/* the program and the start's objects */
	uint64_t runtime_map;
};

/*
 * Reads the program NAME (found as execvp() finds it in PATH_LIST) and
 * the objects that start with it: LIBRARY_PATH and PRELOAD are its
 * LD_LIBRARY_PATH and LD_PRELOAD (or NULL), PAGE_SIZE the base page
 * size.  0, or -errno with p->err naming the file (-ENOEXEC: not an ELF
 * program, a script for instance).
 */
int program_probe(struct probe *p, const char *name, const char *path_list,
		  const char *library_path, const char *preload, uint64_t page_size,
		  struct program *prog);
/*
 * What FROM (the first object whose DT_SONAME starts with it) says its
 * build put after MARKER, a string embedded in its file: 0, -ENOENT when
 * no such object or no such string, -errno (named in p->err).
 */
int program_marker(struct probe *p, const struct program *prog, const char *from,
		   const char *marker, char *buf, size_t size);
/*
 * Loads, as dlopen() by FROM does, PATH - a file, or a directory whose
 * files ending in one of SUFFIXES (NULL-terminated) are each loaded, as
 * DPDK loads a plug-in directory - and what they need.  0; -ENOENT when
 * PATH does not exist (nothing named: the application skips it too);
 * -errno named in p->err.
 */
int program_load(struct probe *p, struct program *prog, const char *from,
		 const char *path, const char *const *suffixes);
void program_free(struct program *prog);

#endif /* HPDIAG_PROBE_PROGRAM_H */
