// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * data.c - the program's data need in words, and where it stops under a
 * limit (see data.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diagnose/data.h"

/* Appends SEP (" + ", not first) and what FMT says to BUF. */
static void add(char *buf, size_t size, char sep, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(char *buf, size_t size, char sep, const char *fmt, ...)
{
	size_t l = strlen(buf);
	va_list ap;

	if (l + 4 >= size)
		return;
	if (l) {
		buf[l++] = ' ';
		buf[l++] = sep;
		buf[l++] = ' ';
	}
	va_start(ap, fmt);
	vsnprintf(buf + l, size - l, fmt, ap);
	va_end(ap);
}

char *data_parts(const struct need *need, char *buf, size_t size)
{
	const struct need_data *d = &need->data;
	uint64_t threads = d->early_threads + d->late_threads;
	char s[32], t[32];

	if (!size)
		return buf;
	buf[0] = '\0';
	if (!d->known)
		return buf;
	if (!strcmp(d->from, "--pid")) {
		add(buf, size, '+', "%s VmData of the running process",
		    format_bytes(d->heap, s, sizeof(s)));
		return buf;
	}
	if (d->own)
		add(buf, size, '+', "%s its own .data and .bss", format_bytes(d->own, s, sizeof(s)));
	if (d->libraries)
		add(buf, size, '+', "%s of the %" PRIu64 " objects it starts with",
		    format_bytes(d->libraries, s, sizeof(s)), d->objects ? d->objects - 1 : 0);
	if (d->relro)
		add(buf, size, '-', "%s made read-only once relocated",
		    format_bytes(d->relro, s, sizeof(s)));
	if (d->runtime)
		add(buf, size, '+', "%s of the %" PRIu64 " it loads at run time",
		    format_bytes(d->runtime, s, sizeof(s)), d->runtime_objects);
	if (d->heap)
		add(buf, size, '+', "%s of start-up allocations", format_bytes(d->heap, s, sizeof(s)));
	if (threads)
		add(buf, size, '+', "%" PRIu64 " thread stacks of %s (%s)", threads,
		    format_bytes(d->stack, s, sizeof(s)),
		    format_bytes(threads * d->stack, t, sizeof(t)));
	if (d->model)
		add(buf, size, '+', "%s for the memseg lists' fd tables",
		    format_bytes(d->model, s, sizeof(s)));
	return buf;
}

enum data_phase data_phase(const struct need *need, uint64_t limit)
{
	const struct need_data *d = &need->data;

	if (!d->known || limit >= need->data_bytes)
		return DATA_FITS;
	if (d->own && limit < d->own)
		return DATA_EXEC;
	if (limit < d->at_load)
		return DATA_LOADER;
	if (d->at_plugins && limit < d->at_plugins)
		return DATA_PLUGINS;
	if (limit < d->at_memory)
		return DATA_EARLY;
	return DATA_LATE;
}

const char *data_phase_text(enum data_phase ph)
{
	switch (ph) {
	case DATA_EXEC:
		return "the kernel cannot map its .data and .bss at execve, past the "
		       "point of no return: it dies of SIGSEGV before it runs";
	case DATA_LOADER:
		return "the loader cannot map a library: \"error while loading shared "
		       "libraries: ...: failed to map segment from shared object\"";
	case DATA_PLUGINS:
		return "a plug-in it loads cannot be mapped (\"cannot map zero-fill "
		       "pages\", \"failed to map segment\")";
	case DATA_EARLY:
		return "a thread it starts before its memory init (or an allocation) "
		       "is refused with ENOMEM";
	case DATA_LATE:
		return "a thread it starts after its memory init is refused with ENOMEM";
	default:
		return "it fits";
	}
}
