// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * eal.c - reads DPDK 22.11's EAL options from a command line (see eal.h).
 * The options that take a value are known, so that a value is never read
 * as an option ("-d -m" is a plug-in named "-m"); "--opt value" and
 * "--opt=value", "-l 0-3" and "-l0-3" are all read as EAL reads them.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/num.h"
#include "model/eal.h"

/* EAL's short options that take a value (eal_common_options.c's table). */
static const char short_with_value[] = "abcdlmnrsS";

/* Its long options that take one (those with an optional one are given
 * with '=' or not at all). */
static const char *const long_with_value[] = {
	"base-virtaddr", "file-prefix", "huge-dir", "iova-mode", "lcores",
	"log-level", "trace", "trace-dir", "trace-bufsz", "trace-mode",
	"main-lcore", "master-lcore", "mbuf-pool-ops-name", "proc-type",
	"socket-mem", "socket-limit", "vdev", "vfio-intr", "vfio-vf-token",
	"allow", "block", "pci-whitelist", "pci-blacklist",
	"force-max-simd-bitwidth", NULL,
};

struct lcore_set {
	uint64_t bits[EAL_MAX_LCORE / 64];
	bool given;
};

static void set_add(struct lcore_set *s, unsigned long lo, unsigned long hi)
{
	for (unsigned long i = lo; i <= hi && i < EAL_MAX_LCORE; i++)
		s->bits[i / 64] |= 1ULL << (i % 64);
}

static unsigned set_count(const struct lcore_set *a, const struct lcore_set *b)
{
	unsigned n = 0;

	for (size_t i = 0; i < EAL_MAX_LCORE / 64; i++)
		n += (unsigned)__builtin_popcountll(a->bits[i] | (b ? b->bits[i] : 0));
	return n;
}

/* "N" or "N-M" at *P, advancing it; false when there is none. */
static bool range(const char **p, unsigned long *lo, unsigned long *hi)
{
	char *end;

	while (isspace((unsigned char)**p))
		(*p)++;
	if (!isdigit((unsigned char)**p))
		return false;
	*lo = strtoul(*p, &end, 10);
	*hi = *lo;
	*p = end;
	if (**p == '-') {
		(*p)++;
		if (!isdigit((unsigned char)**p))
			return false;
		*hi = strtoul(*p, &end, 10);
		*p = end;
		if (*hi < *lo)
			return false;
	}
	return *lo < EAL_MAX_LCORE;
}

/* "0-3,8": -l and -S. */
static bool lcores_list(const char *s, struct lcore_set *set)
{
	struct lcore_set t = { { 0 }, true };
	unsigned long lo, hi;

	do {
		if (!range(&s, &lo, &hi))
			return false;
		set_add(&t, lo, hi);
	} while (*s++ == ',');
	if (s[-1] != '\0')
		return false;
	*set = t;
	return true;
}

/* "0xf" or "f": -c and -s. */
static bool lcores_mask(const char *s, struct lcore_set *set)
{
	struct lcore_set t = { { 0 }, true };
	size_t len;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	len = strlen(s);
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		int c = tolower((unsigned char)s[len - 1 - i]), v;

		if (!isxdigit(c))
			return false;
		v = isdigit(c) ? c - '0' : c - 'a' + 10;
		for (unsigned b = 0; b < 4; b++)
			if (v & (1 << b))
				set_add(&t, i * 4 + b, i * 4 + b);
	}
	*set = t;
	return true;
}

/* "--lcores (0-3)@0,4@(1,2),5": the lcore ids before each '@'. */
static bool lcores_map(const char *s, struct lcore_set *set)
{
	struct lcore_set t = { { 0 }, true };
	unsigned long lo, hi;

	while (*s) {
		if (*s == '(') {
			s++;
			do {
				if (!range(&s, &lo, &hi))
					return false;
				set_add(&t, lo, hi);
			} while (*s++ == ',');
			if (s[-1] != ')')
				return false;
		} else {
			if (!range(&s, &lo, &hi))
				return false;
			set_add(&t, lo, hi);
		}
		if (*s == '@') {
			/* The CPUs it runs on: a number, or a group. */
			s++;
			if (*s == '(') {
				const char *close = strchr(s, ')');

				if (!close)
					return false;
				s = close + 1;
			} else {
				while (isdigit((unsigned char)*s))
					s++;
			}
		}
		if (*s == ',')
			s++;
		else if (*s)
			return false;
	}
	*set = t;
	return true;
}

unsigned eal_lcore_list(const char *s)
{
	struct lcore_set t;

	return lcores_list(s, &t) ? set_count(&t, NULL) : 0;
}

unsigned eal_lcore_mask(const char *s)
{
	struct lcore_set t;

	return lcores_mask(s, &t) ? set_count(&t, NULL) : 0;
}

unsigned eal_lcore_map(const char *s)
{
	struct lcore_set t;

	return lcores_map(s, &t) ? set_count(&t, NULL) : 0;
}

/* Whether TOK is an option that takes the next word as its value. */
static bool takes_next(const char *tok)
{
	if (tok[0] != '-')
		return false;
	if (tok[1] != '-')
		return tok[1] && !tok[2] && strchr(short_with_value, tok[1]);
	for (size_t i = 0; long_with_value[i]; i++)
		if (!strcmp(tok + 2, long_with_value[i]))
			return true;
	return false;
}

/* The option TOK (with VAL, the next word, when it takes one): its name
 * ("-l", "--huge-dir") in NAME and its value, or NULL. */
static const char *split(const char *tok, const char *next, char *name, size_t size,
			 bool *used_next)
{
	const char *eq;

	*used_next = false;
	if (tok[0] != '-' || !tok[1]) {
		name[0] = '\0';
		return NULL;
	}
	if (tok[1] != '-') {
		/* "-l0-3" or "-l 0-3" */
		name[0] = '-';
		name[1] = tok[1];
		name[2] = '\0';
		if (!strchr(short_with_value, tok[1]))
			return NULL;
		if (tok[2])
			return tok + 2;
		*used_next = next != NULL;
		return next;
	}
	eq = strchr(tok, '=');
	snprintf(name, size, "%.*s", eq ? (int)(eq - tok) : (int)strlen(tok), tok);
	if (eq)
		return eq + 1;
	if (takes_next(tok)) {
		*used_next = next != NULL;
		return next;
	}
	return NULL;
}

void eal_args_parse(int argc, char *const *argv, struct workload_hint *h)
{
	struct lcore_set main_set = { { 0 }, false }, svc = { { 0 }, false };

	for (int i = 1; i < argc; i++) {
		const char *tok = argv[i], *val;
		char name[64];
		bool used;
		uint64_t v;

		if (!strcmp(tok, "--"))
			break;
		val = split(tok, i + 1 < argc ? argv[i + 1] : NULL, name, sizeof(name), &used);
		if (used)
			i++;
		if (!strcmp(name, "-m") && val && parse_u64(val, &v) == 0) {
			h->have_mem = true;
			h->mem_mb = v;
		} else if (!strcmp(name, "--legacy-mem")) {
			h->have_mode = true;
			h->mode = MODE_LEGACY;
		} else if (!strcmp(name, "--single-file-segments")) {
			if (!h->have_mode || h->mode != MODE_IN_MEMORY)
				h->mode = MODE_SINGLE_FILE;
			h->have_mode = true;
		} else if (!strcmp(name, "--in-memory")) {
			h->have_mode = true;
			h->mode = MODE_IN_MEMORY;
			h->no_shconf = true;
		} else if (!strcmp(name, "--no-shconf")) {
			h->no_shconf = true;
		} else if (!strcmp(name, "--no-telemetry")) {
			h->no_telemetry = true;
		} else if (!strcmp(name, "--telemetry")) {
			h->no_telemetry = false;
		} else if (!strcmp(name, "--huge-dir") && val) {
			free(h->huge_dir);
			h->huge_dir = strdup(val);
		} else if (!strcmp(name, "--file-prefix") && val) {
			free(h->file_prefix);
			h->file_prefix = strdup(val);
		} else if (!strcmp(name, "--socket-mem") && val) {
			const char *p = val;

			h->nr_socket_mem = 0;
			while (*p && h->nr_socket_mem < MAX_SOCKETS) {
				char num[32];
				size_t len = strcspn(p, ",");

				snprintf(num, sizeof(num), "%.*s", (int)(len < 31 ? len : 31), p);
				if (parse_u64(num, &v) == 0)
					h->socket_mem[h->nr_socket_mem++] = v;
				p += len;
				p += *p == ',';
			}
		} else if (!strcmp(name, "-l") && val) {
			lcores_list(val, &main_set);
		} else if (!strcmp(name, "-c") && val) {
			lcores_mask(val, &main_set);
		} else if (!strcmp(name, "--lcores") && val) {
			lcores_map(val, &main_set);
		} else if (!strcmp(name, "-s") && val) {
			lcores_mask(val, &svc);
		} else if (!strcmp(name, "-S") && val) {
			lcores_list(val, &svc);
		} else if (!strcmp(name, "-d") && val && h->nr_plugins < HINT_MAX_PLUGINS) {
			h->plugins[h->nr_plugins] = strdup(val);
			if (h->plugins[h->nr_plugins])
				h->nr_plugins++;
		}
	}
	/* Service lcores run threads of their own too. */
	if (main_set.given || svc.given)
		h->lcores = set_count(&main_set, &svc);
}
