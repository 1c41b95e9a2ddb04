// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * workload.c - the workload's vocabulary (modes, DPDK releases) and the
 * merge of what a log or command line told into what the user said.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/workload.h"

static const char *const mode_names[MODE_COUNT] = {
	[MODE_DYNAMIC] = "dynamic",
	[MODE_LEGACY] = "legacy",
	[MODE_SINGLE_FILE] = "single-file",
	[MODE_IN_MEMORY] = "in-memory",
	[MODE_ANON] = "anon",
	[MODE_SHM] = "shm",
	[MODE_QEMU] = "qemu",
};

const char *mode_name(enum mode m)
{
	return m < MODE_COUNT ? mode_names[m] : "?";
}

int mode_parse(const char *s, enum mode *m)
{
	for (int i = 0; i < MODE_COUNT; i++)
		if (!strcmp(s, mode_names[i])) {
			*m = (enum mode)i;
			return 0;
		}
	return -EINVAL;
}

bool mode_is_dpdk(enum mode m)
{
	return m <= MODE_IN_MEMORY;
}

int dpdk_version_parse(const char *s, unsigned *v)
{
	unsigned long major, minor;
	char *end;

	major = strtoul(s, &end, 10);
	if (end == s || *end != '.' || major < 1 || major > 99)
		return -EINVAL;
	s = end + 1;
	minor = strtoul(s, &end, 10);
	if (end == s || minor > 99 || (*end && *end != '.'))
		return -EINVAL;
	*v = (unsigned)(major * 100 + minor);
	return 0;
}

bool mode_uses_files(enum mode m)
{
	return m == MODE_DYNAMIC || m == MODE_LEGACY || m == MODE_SINGLE_FILE ||
	       m == MODE_QEMU;
}

bool workload_has_amount(const struct workload *wl)
{
	return wl->have_mem || wl->have_pages || wl->nr_socket_mem;
}

void workload_hint_mode(struct workload_hint *h, enum mode m)
{
	h->have_mode = true;
	h->mode = m;
}

void workload_merge(struct workload *wl, const struct workload_hint *h)
{
	if (!wl->have_mode && h->have_mode)
		wl->mode = h->mode;
	if (!wl->dpdk_version && h->dpdk_version)
		wl->dpdk_version = h->dpdk_version;
	if (!workload_has_amount(wl)) {
		if (h->nr_socket_mem) {
			memcpy(wl->socket_mem, h->socket_mem, sizeof(wl->socket_mem));
			wl->nr_socket_mem = h->nr_socket_mem;
		} else if (h->have_pages) {
			wl->pages = h->pages;
			wl->have_pages = true;
		} else if (h->have_bytes) {
			wl->mem_bytes = h->bytes;
			wl->have_mem = true;
		} else if (h->have_mem) {
			wl->mem_bytes = h->mem_mb << 20;
			wl->have_mem = true;
		}
	}
	if (h->app.known)
		wl->app_model = &h->app;
	if (!wl->huge_dir && h->huge_dir)
		wl->huge_dir = h->huge_dir;
	if (!wl->page_size && h->page_size)
		wl->page_size = h->page_size;
	if (!wl->have_lcores && h->lcores) {
		wl->lcores = h->lcores;
		wl->have_lcores = true;
	}
	wl->no_telemetry |= h->no_telemetry;
	wl->no_shconf |= h->no_shconf;
	if (!wl->qemu && h->qemu)
		wl->qemu = h->qemu;
}

void workload_hint_free(struct workload_hint *h)
{
	free(h->huge_dir);
	free(h->file_prefix);
	for (size_t i = 0; i < h->nr_plugins; i++)
		free(h->plugins[i]);
	free(h->qemu);
	memset(h, 0, sizeof(*h));
}

int socket_mem_parse(const char *s, uint64_t *mb, size_t *n)
{
	const char *p = s;

	*n = 0;
	for (;;) {
		uint64_t v = 0;
		const char *start = p;

		for (; *p >= '0' && *p <= '9'; p++) {
			if (v > (UINT64_MAX >> 21) / 10)
				return -EINVAL;
			v = v * 10 + (uint64_t)(*p - '0');
		}
		if (p == start || v > (UINT64_MAX >> 21) || *n >= MAX_SOCKETS)
			return -EINVAL;
		mb[(*n)++] = v;
		if (!*p)
			return 0;
		if (*p++ != ',')
			return -EINVAL;
	}
}
