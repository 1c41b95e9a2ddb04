// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * elf.c - reads an ELF object's program headers and dynamic section (see
 * elf.h).  Both classes and both byte orders are read as the file says;
 * the dynamic section's strings are found through the PT_LOAD segment
 * that maps DT_STRTAB's address, as the loader finds them.
 */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/elf.h"
#include "lib/num.h"

/* The file as read so far: its byte order and class. */
struct reader {
	int fd;
	bool be, is64;
};

static uint64_t get(const struct reader *r, const unsigned char *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[r->be ? n - 1 - i : i] << (8 * i);
	return v;
}

/* Exactly LEN bytes at OFF, or -ENOEXEC when the file is shorter. */
static int read_at(const struct reader *r, void *buf, size_t len, uint64_t off)
{
	size_t got = 0;

	if (off > INT64_MAX - len)
		return -ENOEXEC;
	while (got < len) {
		ssize_t n = pread(r->fd, (char *)buf + got, len - got, (off_t)(off + got));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENOEXEC;
		got += (size_t)n;
	}
	return 0;
}

/* One program header, in the file's class. */
struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz;
};

static void phdr_get(const struct reader *r, const unsigned char *p, struct phdr *ph)
{
	ph->type = (uint32_t)get(r, p, 4);
	if (r->is64) {
		ph->flags = (uint32_t)get(r, p + 4, 4);
		ph->offset = get(r, p + 8, 8);
		ph->vaddr = get(r, p + 16, 8);
		ph->filesz = get(r, p + 32, 8);
		ph->memsz = get(r, p + 40, 8);
	} else {
		ph->offset = get(r, p + 4, 4);
		ph->vaddr = get(r, p + 8, 4);
		ph->filesz = get(r, p + 16, 4);
		ph->memsz = get(r, p + 20, 4);
		ph->flags = (uint32_t)get(r, p + 24, 4);
	}
}

static uint64_t page_down(uint64_t v, uint64_t ps)
{
	return v & ~(ps - 1);
}

static uint64_t page_up(uint64_t v, uint64_t ps)
{
	return v > UINT64_MAX - (ps - 1) ? page_down(UINT64_MAX, ps) : page_down(v + ps - 1, ps);
}

void elf_file_free(struct elf_file *e)
{
	for (size_t i = 0; i < e->nr_needed; i++)
		free(e->needed[i]);
	free(e->needed);
	free(e->interp);
	free(e->soname);
	free(e->rpath);
	free(e->runpath);
	memset(e, 0, sizeof(*e));
}

/* The file offset of address VA, through the PT_LOAD that maps it. */
static int va_to_offset(const struct phdr *ph, size_t n, uint64_t va, uint64_t *off)
{
	for (size_t i = 0; i < n; i++)
		if (ph[i].type == PT_LOAD && va >= ph[i].vaddr &&
		    va - ph[i].vaddr < ph[i].filesz) {
			*off = ph[i].offset + (va - ph[i].vaddr);
			return 0;
		}
	return -ENOEXEC;
}

/* A string of the table, copied; -ENOEXEC when it runs off the table. */
static int str_dup(const char *tab, size_t len, uint64_t at, char **out)
{
	const char *s, *end;

	if (at >= len)
		return -ENOEXEC;
	s = tab + at;
	end = memchr(s, '\0', len - at);
	if (!end)
		return -ENOEXEC;
	*out = strdup(s);
	return *out ? 0 : -ENOMEM;
}

/* DT_NEEDED, DT_SONAME, DT_RPATH and DT_RUNPATH from the dynamic section. */
static int read_dynamic(const struct reader *r, const struct phdr *ph, size_t n,
			const struct phdr *dyn, struct elf_file *e)
{
	size_t ent = r->is64 ? 16 : 8, count, len;
	uint64_t strtab = 0, strsz = 0, stroff;
	bool have_tab = false;
	unsigned char *d = NULL;
	char *tab = NULL;
	int rc;

	if (!dyn->filesz)
		return 0;
	if (dyn->filesz > ELF_MAX_DYNAMIC)
		return -ENOEXEC;
	len = (size_t)dyn->filesz;
	d = malloc(len);
	if (!d)
		return -ENOMEM;
	rc = read_at(r, d, len, dyn->offset);
	if (rc < 0)
		goto out;
	count = len / ent;
	for (size_t i = 0; i < count; i++) {
		uint64_t tag = get(r, d + i * ent, ent / 2);
		uint64_t val = get(r, d + i * ent + ent / 2, ent / 2);

		if (tag == DT_NULL) {
			count = i;
			break;
		}
		if (tag == DT_STRTAB) {
			strtab = val;
			have_tab = true;
		} else if (tag == DT_STRSZ) {
			strsz = val;
		}
	}
	if (!have_tab || !strsz)
		goto out;	/* nothing named: no strings needed */
	rc = -ENOEXEC;
	if (strsz > ELF_MAX_STRTAB || va_to_offset(ph, n, strtab, &stroff) < 0)
		goto out;
	tab = malloc((size_t)strsz);
	if (!tab) {
		rc = -ENOMEM;
		goto out;
	}
	rc = read_at(r, tab, (size_t)strsz, stroff);
	for (size_t i = 0; i < count && rc == 0; i++) {
		uint64_t tag = get(r, d + i * ent, ent / 2);
		uint64_t val = get(r, d + i * ent + ent / 2, ent / 2);
		char **slot = NULL;

		if (tag == DT_NEEDED) {
			char **nv;

			if (e->nr_needed >= ELF_MAX_NEEDED) {
				rc = -ENOEXEC;
				break;
			}
			nv = realloc(e->needed, (e->nr_needed + 1) * sizeof(*nv));
			if (!nv) {
				rc = -ENOMEM;
				break;
			}
			e->needed = nv;
			rc = str_dup(tab, (size_t)strsz, val, &e->needed[e->nr_needed]);
			if (rc == 0)
				e->nr_needed++;
			continue;
		}
		if (tag == DT_SONAME)
			slot = &e->soname;
		else if (tag == DT_RPATH)
			slot = &e->rpath;
		else if (tag == DT_RUNPATH)
			slot = &e->runpath;
		if (slot && !*slot)
			rc = str_dup(tab, (size_t)strsz, val, slot);
	}
out:
	free(tab);
	free(d);
	return rc;
}

int elf_read(int fd, uint64_t page_size, struct elf_file *e)
{
	unsigned char id[EI_NIDENT], hdr[64], *pbuf = NULL;
	struct reader r = { .fd = fd };
	struct phdr *ph = NULL;
	const struct phdr *dyn = NULL;
	uint64_t phoff, lo = UINT64_MAX, hi = 0;
	size_t phnum, phent;
	int rc;

	memset(e, 0, sizeof(*e));
	if (!page_size || (page_size & (page_size - 1)))
		return -EINVAL;
	rc = read_at(&r, id, sizeof(id), 0);
	if (rc < 0)
		return rc;
	if (memcmp(id, ELFMAG, SELFMAG) ||
	    (id[EI_CLASS] != ELFCLASS32 && id[EI_CLASS] != ELFCLASS64) ||
	    (id[EI_DATA] != ELFDATA2LSB && id[EI_DATA] != ELFDATA2MSB))
		return -ENOEXEC;
	r.is64 = id[EI_CLASS] == ELFCLASS64;
	r.be = id[EI_DATA] == ELFDATA2MSB;
	e->is64 = r.is64;
	e->big_endian = r.be;
	rc = read_at(&r, hdr, r.is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr), 0);
	if (rc < 0)
		return rc;
	e->type = (uint16_t)get(&r, hdr + 16, 2);
	e->machine = (uint16_t)get(&r, hdr + 18, 2);
	phoff = r.is64 ? get(&r, hdr + 32, 8) : get(&r, hdr + 28, 4);
	phent = (size_t)get(&r, hdr + (r.is64 ? 54 : 42), 2);
	phnum = (size_t)get(&r, hdr + (r.is64 ? 56 : 44), 2);
	if (phnum > ELF_MAX_PHDRS || phent < (r.is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr)))
		return phnum ? -ENOEXEC : 0;
	pbuf = malloc(phnum * phent + 1);
	ph = calloc(phnum + 1, sizeof(*ph));
	if (!pbuf || !ph) {
		rc = -ENOMEM;
		goto out;
	}
	rc = read_at(&r, pbuf, phnum * phent, phoff);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < phnum; i++) {
		struct phdr *p = &ph[i];

		phdr_get(&r, pbuf + i * phent, p);
		if (p->memsz > UINT64_MAX / 2 || p->vaddr > UINT64_MAX / 2 ||
		    (p->type == PT_LOAD && p->filesz > p->memsz)) {
			rc = -ENOEXEC;
			goto out;
		}
		switch (p->type) {
		case PT_LOAD:
			lo = hp_min(lo, page_down(p->vaddr, page_size));
			hi = hp_max(hi, page_up(p->vaddr + p->memsz, page_size));
			if (p->flags & PF_W) {
				uint64_t file_end = page_up(p->vaddr + p->filesz, page_size);
				uint64_t end = page_up(p->vaddr + p->memsz, page_size);

				e->rw_bytes = hp_sat_add(e->rw_bytes,
							 end - page_down(p->vaddr, page_size));
				e->bss_bytes = hp_sat_add(e->bss_bytes, hp_sat_sub(end, file_end));
			}
			break;
		case PT_GNU_RELRO:
			/* The loader protects whole pages inside it. */
			e->relro_bytes = hp_sat_add(e->relro_bytes,
				hp_sat_sub(page_down(p->vaddr + p->memsz, page_size),
					   page_down(p->vaddr, page_size)));
			break;
		case PT_TLS:
			e->tls_bytes = hp_sat_add(e->tls_bytes, p->memsz);
			break;
		case PT_DYNAMIC:
			e->dynamic = true;
			dyn = p;
			break;
		case PT_INTERP:
			if (!e->interp && p->filesz > 1 && p->filesz < 4096) {
				char *s = calloc(1, (size_t)p->filesz + 1);

				if (!s) {
					rc = -ENOMEM;
					goto out;
				}
				rc = read_at(&r, s, (size_t)p->filesz, p->offset);
				if (rc < 0 || !s[0]) {
					free(s);
					rc = rc < 0 ? rc : -ENOEXEC;
					goto out;
				}
				e->interp = s;
			}
			break;
		default:
			break;
		}
	}
	if (hi > lo)
		e->map_bytes = hi - lo;
	if (dyn)
		rc = read_dynamic(&r, ph, phnum, dyn, e);
out:
	free(pbuf);
	free(ph);
	return rc;
}

int elf_find_string(int fd, const char *prefix, char *buf, size_t size)
{
	enum { CHUNK = 1 << 16 };
	size_t pl = strlen(prefix), keep = pl + size, have = 0;
	uint64_t off = 0;
	char *w;
	int rc = -ENOENT;

	if (!pl || !size)
		return -EINVAL;
	/* A chunk, and the tail of the one before it: a string that spans
	 * two reads is still seen whole. */
	w = malloc(CHUNK + keep + 1);
	if (!w)
		return -ENOMEM;
	for (;;) {
		ssize_t n = pread(fd, w + have, CHUNK, (off_t)off);
		size_t end;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		end = have + (size_t)n;
		w[end] = '\0';
		for (size_t i = 0; i + pl <= end; i++) {
			const char *nul;

			if (w[i] != prefix[0] || memcmp(w + i, prefix, pl))
				continue;
			nul = memchr(w + i + pl, '\0', end - i - pl);
			if (!nul && n > 0)
				break;	/* its end is in the next chunk */
			if (!nul || (size_t)(nul - (w + i + pl)) >= size) {
				rc = -E2BIG;
				goto out;
			}
			memcpy(buf, w + i + pl, (size_t)(nul - (w + i + pl)) + 1);
			rc = 0;
			goto out;
		}
		if (n == 0)
			break;
		off += (uint64_t)n;
		have = end > keep ? keep : end;
		memmove(w, w + end - have, have);
	}
out:
	free(w);
	return rc;
}
