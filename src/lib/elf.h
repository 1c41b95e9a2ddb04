/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * elf.h - what the kernel and the dynamic loader read of an ELF file
 * before they run it: its loadable segments (how much private writable
 * memory they become once mapped, how much address space they span), its
 * interpreter, its thread-local storage, and from the dynamic section the
 * libraries it needs (DT_NEEDED), where to look for them (DT_RPATH,
 * DT_RUNPATH) and its own name (DT_SONAME).  Knows nothing of hugepages.
 * The file is untrusted: every offset and size is checked against it, and
 * a file that is not a well-formed ELF object is -ENOEXEC, never a crash.
 */
#ifndef HPDIAG_LIB_ELF_H
#define HPDIAG_LIB_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits on what a file may claim, so that a hostile one costs little. */
#define ELF_MAX_PHDRS		4096
#define ELF_MAX_DYNAMIC		(1u << 20)
#define ELF_MAX_STRTAB		(16u << 20)
#define ELF_MAX_NEEDED		1024

struct elf_file {
	bool is64;
	bool big_endian;
	uint16_t machine;		/* e_machine: EM_X86_64 ... */
	uint16_t type;			/* e_type: ET_EXEC, ET_DYN ... */
	char *interp;			/* PT_INTERP, or NULL: static */
	bool dynamic;			/* has a PT_DYNAMIC segment */
	/* Writable PT_LOAD segments, memsz, in whole pages: the file's
	 * .data and the zero-filled .bss beyond it, private once mapped. */
	uint64_t rw_bytes;
	uint64_t bss_bytes;		/* of them, beyond the file's bytes */
	/* PT_GNU_RELRO: made read-only once relocated (no longer data). */
	uint64_t relro_bytes;
	/* From the lowest PT_LOAD to the end of the highest, in pages. */
	uint64_t map_bytes;
	uint64_t tls_bytes;		/* PT_TLS memsz */
	char **needed;			/* DT_NEEDED, in order */
	size_t nr_needed;
	char *soname;			/* or NULL */
	char *rpath;			/* DT_RPATH as written, or NULL */
	char *runpath;			/* DT_RUNPATH as written, or NULL */
};

/*
 * Reads the ELF object open on FD; PAGE_SIZE (a power of two) rounds the
 * segments as mmap does.  0; -ENOEXEC when it is not ELF or not well
 * formed; -ENOMEM; -errno from reading.  E is freed with elf_file_free()
 * whatever the result.
 */
int elf_read(int fd, uint64_t page_size, struct elf_file *e);
void elf_file_free(struct elf_file *e);
/*
 * The first NUL-terminated string in the file on FD that starts with
 * PREFIX: what follows PREFIX, in BUF.  -ENOENT when there is none,
 * -E2BIG when it does not fit, -errno from reading.  (A build embeds its
 * configuration so: "DPDK_PLUGIN_PATH=/usr/lib/...".)
 */
int elf_find_string(int fd, const char *prefix, char *buf, size_t size);

#endif /* HPDIAG_LIB_ELF_H */
