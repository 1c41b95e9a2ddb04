// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * app-qemu.c - QEMU's command line: its memory backends, -m, -mem-path
 * and -mem-prealloc, read the way QEMU 7.2 reads them (qemu.h says what
 * each maps).  Every -object memory backend is created, and maps its
 * memory, whether a machine uses it or not (measured with -machine none);
 * -m with -mem-path makes a file backend (share=off) for the machine's RAM
 * unless -machine memory-backend= or -numa node,memdev= names the RAM.
 * -mem-prealloc sets prealloc=on on every backend that does not set it.
 * Anonymous RAM (-m alone) is left out beside hugepage backends, and
 * -machine none has no RAM without -m.
 * Pure.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/num.h"
#include "model/app.h"
#include "model/qemu.h"

int qemu_size_parse(const char *s, uint64_t unit, uint64_t *bytes)
{
	static const char suffixes[] = "BKMGTPE";
	const char *p;
	char *end;
	double v;

	if (!isdigit((unsigned char)*s) && *s != '.')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0)
		return -EINVAL;
	if (*end) {
		p = strchr(suffixes, toupper((unsigned char)*end));
		if (!p || end[1])
			return -EINVAL;
		unit = 1ULL << (10 * (p - suffixes));
	}
	/* QEMU refuses a fraction of a byte, and sizes of 2^64 and up. */
	v *= (double)unit;
	if (v >= 18446744073709551616.0 || v != (double)(uint64_t)v)
		return -EINVAL;
	*bytes = (uint64_t)v;
	return 0;
}

/* QEMU's booleans: on/off, yes/no, true/false, y/n. */
static int parse_bool(const char *v, bool *b)
{
	if (!strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "y"))
		*b = true;
	else if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "false") ||
		 !strcmp(v, "n"))
		*b = false;
	else
		return -EINVAL;
	return 0;
}

/* The next "key=value" of a QEMU option list, in KEY and VAL; ",," is a
 * comma in a value.  Returns where the next one starts, or NULL at the end. */
static const char *next_pair(const char *s, char *key, size_t ks, char *val, size_t vs)
{
	size_t k = 0, v = 0;
	bool in_val = false;

	if (!*s)
		return NULL;
	for (; *s; s++) {
		if (*s == ',' && s[1] == ',' && in_val) {
			if (v + 1 < vs)
				val[v++] = ',';
			s++;
			continue;
		}
		if (*s == ',') {
			s++;
			break;
		}
		if (*s == '=' && !in_val) {
			in_val = true;
			continue;
		}
		if (in_val && v + 1 < vs)
			val[v++] = *s;
		else if (!in_val && k + 1 < ks)
			key[k++] = *s;
	}
	key[k] = 0;
	val[v] = 0;
	return s;
}

/* SRC into DST of SIZE, cut short when it does not fit. */
static void set_text(char *dst, size_t size, const char *src)
{
	size_t l = strnlen(src, size - 1);

	memcpy(dst, src, l);
	dst[l] = 0;
}

/* What QEMU refuses first into VM->error (later refusals are not seen:
 * QEMU stops at the first). */
static void __attribute__((format(printf, 2, 3))) refuse(struct qemu_vm *vm, const char *fmt, ...)
{
	va_list ap;

	if (vm->error[0])
		return;
	va_start(ap, fmt);
	vsnprintf(vm->error, sizeof(vm->error), fmt, ap);
	va_end(ap);
}

static bool power_of_2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* What QEMU 7.2 refuses of backend B (ARG its -object option) before it
 * maps anything, as measured: no size= ("Parameter 'size' is missing"),
 * size=0, an id given twice, a hugetlbsize that is not a power of two,
 * and a hugetlb memfd whose size is not a multiple of its hugetlbsize
 * (ftruncate refuses it: EINVAL).  A file backend's size is rounded up
 * to its pages instead, and hugetlbsize without hugetlb=on is ignored. */
static void check_backend(const char *arg, const char *type, const struct qemu_backend *b,
			  bool have_size, struct qemu_vm *vm)
{
	if (!have_size)
		refuse(vm, "-object %.120s: Parameter 'size' is missing", arg);
	else if (!b->size)
		refuse(vm, "property 'size' of %.60s doesn't take value '0'", type);
	for (size_t i = 0; b->id[0] && i < vm->nr_backends; i++)
		if (!vm->backends[i].legacy && !strcmp(vm->backends[i].id, b->id))
			refuse(vm, "-object %.120s: Duplicate ID '%.60s' for object", arg, b->id);
	if (b->kind != QEMU_MEMFD || !b->hugetlb || !b->hugetlbsize)
		return;
	if (!power_of_2(b->hugetlbsize))
		refuse(vm, "Hugepage size must be a power of 2");
	else if (b->size % b->hugetlbsize)
		refuse(vm, "failed to resize memfd to %llu: Invalid argument",
		       (unsigned long long)b->size);
}

/* -object TYPE,key=value,...: a memory backend into VM. */
static void parse_object(const char *arg, struct qemu_vm *vm)
{
	char key[64], val[QEMU_TEXT], type[64] = "";
	struct qemu_backend b = { .reserve = true };
	bool have_prealloc = false, have_share = false, have_size = false;
	const char *s = arg;

	while ((s = next_pair(s, key, sizeof(key), val, sizeof(val)))) {
		if (!type[0] && !val[0] && strcmp(key, "qom-type")) {
			set_text(type, sizeof(type), key);
			continue;
		}
		if (!strcmp(key, "qom-type"))
			set_text(type, sizeof(type), val);
		else if (!strcmp(key, "id"))
			set_text(b.id, sizeof(b.id), val);
		else if (!strcmp(key, "size") && qemu_size_parse(val, 1, &b.size))
			refuse(vm, "-object %.60s: size '%.60s' is not a size", type, val);
		else if (!strcmp(key, "size"))
			have_size = true;
		else if (!strcmp(key, "mem-path"))
			set_text(b.mem_path, sizeof(b.mem_path), val);
		else if (!strcmp(key, "share"))
			have_share = !parse_bool(val, &b.share);
		else if (!strcmp(key, "prealloc"))
			have_prealloc = !parse_bool(val, &b.prealloc);
		else if (!strcmp(key, "reserve"))
			parse_bool(val, &b.reserve);
		else if (!strcmp(key, "hugetlb"))
			parse_bool(val, &b.hugetlb);
		else if (!strcmp(key, "hugetlbsize"))
			qemu_size_parse(val, 1, &b.hugetlbsize);
	}
	if (!strcmp(type, "memory-backend-file"))
		b.kind = QEMU_FILE;
	else if (!strcmp(type, "memory-backend-memfd"))
		b.kind = QEMU_MEMFD;
	else if (!strcmp(type, "memory-backend-ram"))
		b.kind = QEMU_RAM;
	else
		return;
	/* memory-backend-memfd is shared unless share=off. */
	if (b.kind == QEMU_MEMFD && !have_share)
		b.share = true;
	/* -mem-prealloc is a default for every backend (a global property). */
	if (!have_prealloc)
		b.prealloc = vm->mem_prealloc;
	check_backend(arg, type, &b, have_size, vm);
	if (b.prealloc && !b.reserve)
		refuse(vm, "'prealloc=on' and 'reserve=off' are incompatible");
	if (vm->nr_backends < QEMU_MAX_BACKENDS)
		vm->backends[vm->nr_backends++] = b;
}

/* -m [size=]SIZE[,slots=..,maxmem=..]: MiB without a suffix. */
static void parse_m(const char *arg, struct qemu_vm *vm)
{
	char key[64], val[QEMU_TEXT];
	const char *s = arg, *v;
	bool first = true;

	while ((s = next_pair(s, key, sizeof(key), val, sizeof(val)))) {
		v = first && !val[0] ? key : !strcmp(key, "size") ? val : NULL;
		first = false;
		if (v && !qemu_size_parse(v, 1ULL << 20, &vm->ram))
			vm->have_ram = true;
	}
}

/* -machine TYPE,memory-backend=ID,... */
static void parse_machine(const char *arg, struct qemu_vm *vm)
{
	char key[64], val[QEMU_TEXT];
	const char *s = arg;

	bool first = true;

	while ((s = next_pair(s, key, sizeof(key), val, sizeof(val)))) {
		if (first && !val[0])
			set_text(vm->machine_type, sizeof(vm->machine_type), key);
		else if (!strcmp(key, "type"))
			set_text(vm->machine_type, sizeof(vm->machine_type), val);
		else if (!strcmp(key, "memory-backend"))
			set_text(vm->machine_backend, sizeof(vm->machine_backend), val);
		first = false;
	}
}

/* The option ARG names, without its dashes ("--object" is "-object"). */
static const char *option(const char *arg)
{
	if (arg[0] != '-')
		return NULL;
	return arg + (arg[1] == '-' ? 2 : 1);
}

int qemu_parse(int argc, char *const *argv, struct qemu_vm *vm)
{
	memset(vm, 0, sizeof(*vm));
	/* -mem-prealloc first: it is a default for every backend. */
	for (int i = 1; i < argc; i++) {
		const char *o = option(argv[i]);

		if (o && !strcmp(o, "mem-prealloc"))
			vm->mem_prealloc = true;
	}
	for (int i = 1; i < argc; i++) {
		const char *o = option(argv[i]), *a = i + 1 < argc ? argv[i + 1] : NULL;

		if (!o || !a)
			continue;
		if (!strcmp(o, "object"))
			parse_object(a, vm);
		else if (!strcmp(o, "m"))
			parse_m(a, vm);
		else if (!strcmp(o, "mem-path"))
			set_text(vm->mem_path, sizeof(vm->mem_path), a);
		else if (!strcmp(o, "machine") || !strcmp(o, "M"))
			parse_machine(a, vm);
		else if (!strcmp(o, "numa") && strstr(a, "memdev="))
			vm->numa_memdev = true;
		else
			continue;
		i++;
	}
	/* The machine's RAM from -m (and -mem-path) when no backend is named
	 * for it: a private file backend in -mem-path, or anonymous memory. */
	if (!vm->machine_backend[0] && !vm->numa_memdev &&
	    vm->nr_backends < QEMU_MAX_BACKENDS &&
	    (vm->have_ram || strcmp(vm->machine_type, "none")) &&
	    (vm->mem_path[0] || !vm->nr_backends)) {
		struct qemu_backend *b = &vm->backends[vm->nr_backends++];

		memset(b, 0, sizeof(*b));
		b->kind = vm->mem_path[0] ? QEMU_FILE : QEMU_RAM;
		set_text(b->id, sizeof(b->id), "pc.ram");
		b->size = vm->have_ram ? vm->ram : QEMU_DEFAULT_RAM;
		set_text(b->mem_path, sizeof(b->mem_path), vm->mem_path);
		b->prealloc = vm->mem_prealloc;
		b->reserve = true;
		b->legacy = true;
	}
	/* -machine memory-backend=ID names one of the backends. */
	if (vm->machine_backend[0]) {
		size_t i = 0;

		while (i < vm->nr_backends && strcmp(vm->backends[i].id, vm->machine_backend))
			i++;
		if (i == vm->nr_backends)
			refuse(vm, "Memory backend '%.60s' not found", vm->machine_backend);
	}
	/* A memfd without hugetlb=on is shared memory of base pages
	 * (hugetlbsize alone is ignored: measured). */
	for (size_t i = 0; i < vm->nr_backends; i++)
		if (vm->backends[i].kind == QEMU_FILE ||
		    (vm->backends[i].kind == QEMU_MEMFD && vm->backends[i].hugetlb))
			return 0;
	return -EINVAL;
}

void qemu_parent_dir(const char *path, char *buf, size_t size)
{
	size_t l = strlen(path);

	while (l > 1 && path[l - 1] == '/')
		l--;
	while (l > 0 && path[l - 1] != '/')
		l--;
	while (l > 1 && path[l - 1] == '/')
		l--;
	if (!l)
		snprintf(buf, size, ".");
	else
		snprintf(buf, size, "%.*s", (int)l, path);
}

bool qemu_backend_huge(const struct qemu_backend *b, bool path_on_hugetlbfs)
{
	switch (b->kind) {
	case QEMU_FILE:
		return path_on_hugetlbfs;
	case QEMU_MEMFD:
		return b->hugetlb;
	default:
		return false;
	}
}

void qemu_describe(const struct qemu_vm *vm, char *buf, size_t size)
{
	size_t l = 0;

	buf[0] = 0;
	for (size_t i = 0; i < vm->nr_backends && l < size; i++) {
		const struct qemu_backend *b = &vm->backends[i];
		char s[32];

		format_bytes(b->size, s, sizeof(s));
		if (b->legacy)
			l += (size_t)snprintf(buf + l, size - l, "%s-m %s%s%s%s", i ? "; " : "",
					      s, b->kind == QEMU_FILE ? " -mem-path " : "",
					      b->mem_path, b->prealloc ? " -mem-prealloc" : "");
		else
			l += (size_t)snprintf(buf + l, size - l,
					      "%smemory-backend-%s %s: %s%s%s share=%s prealloc=%s%s%s",
					      i ? "; " : "",
					      b->kind == QEMU_FILE ? "file" :
					      b->kind == QEMU_MEMFD ? "memfd" : "ram", b->id, s,
					      b->kind == QEMU_FILE ? " in " : "",
					      b->kind == QEMU_FILE ? b->mem_path : "",
					      b->share ? "on" : "off", b->prealloc ? "on" : "off",
					      b->reserve ? "" : " reserve=off",
					      b->kind == QEMU_MEMFD && b->hugetlb ? " hugetlb=on" : "");
	}
}

/* The recogniser (app.c's table): a program named qemu-system-ARCH. */
bool qemu_match(const struct program *prog, char *why, size_t size)
{
	const char *base = strrchr(prog->path, '/');

	base = base ? base + 1 : prog->path;
	if (strncmp(base, "qemu-system-", 12))
		return false;
	snprintf(why, size, "named %s", base);
	return true;
}

void qemu_options(int argc, char *const *argv, struct workload_hint *h)
{
	struct qemu_vm *vm = calloc(1, sizeof(*vm));
	struct app_model *m = &h->app;
	int rc;

	if (!vm)
		return;
	free(h->qemu);
	h->qemu = vm;
	workload_hint_mode(h, MODE_QEMU);
	m->known = true;
	m->name = "qemu";
	m->what = "QEMU";
	snprintf(m->input, sizeof(m->input), "its command line (-object memory-backend-*, "
		 "-m, -mem-path, -mem-prealloc)");
	rc = qemu_parse(argc, argv, vm);
	qemu_describe(vm, m->settings, sizeof(m->settings));
	if (rc < 0) {
		m->no_hugepages = true;
		snprintf(m->none_why, sizeof(m->none_why), "QEMU takes no hugepages: its "
			 "guest RAM is base pages (-m without -mem-path, memory-backend-ram, "
			 "or memory-backend-memfd without hugetlb=on)%s%.200s",
			 vm->error[0] ? "; " : "", vm->error);
	}
}
