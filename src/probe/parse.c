// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * parse.c - pure parsers for the kernel's text formats (meminfo, limits,
 * buddyinfo, sysfs directory names) and the kernel's names of page sizes.
 * Strict: a value that is not exactly a number is an error, never a zero.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/num.h"
#include "probe/parse.h"
#include "probe/snapshot.h"

/*
 * "hugepages-2048kB" -> 2097152.  -EINVAL for a name of another form,
 * -ERANGE for one whose size is no page size: 0, not a power of two, or
 * too large to hold in bytes.
 */
int parse_hugepages_dir(const char *name, uint64_t *page_size)
{
	char num[32];
	const char *p;
	uint64_t kb;
	size_t len;

	if (strncmp(name, "hugepages-", 10))
		return -EINVAL;
	p = name + 10;
	len = strspn(p, "0123456789");
	if (!len || len >= sizeof(num) || strcmp(p + len, "kB"))
		return -EINVAL;
	memcpy(num, p, len);
	num[len] = '\0';
	if (parse_u64(num, &kb) < 0 || !hp_is_pow2(kb) || kb > (UINT64_MAX >> 10))
		return -ERANGE;
	*page_size = kb << 10;
	return 0;
}

/* "node12" -> 12 */
int parse_node_dir(const char *name, unsigned *node)
{
	uint64_t v;

	if (strncmp(name, "node", 4) || !isdigit((unsigned char)name[4]))
		return -EINVAL;
	if (parse_u64(name + 4, &v) < 0 || v > 65535)
		return -EINVAL;
	*node = (unsigned)v;
	return 0;
}

bool parse_pci_addr(const char *name)
{
	/* Hex digits, then the separator after them, in order. */
	static const struct { size_t digits; char sep; } parts[] = {
		{ 4, ':' }, { 2, ':' }, { 2, '.' }, { 1, '\0' },
	};

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		for (size_t k = 0; k < parts[i].digits; k++, name++)
			if (!isxdigit((unsigned char)*name))
				return false;
		if (*name++ != parts[i].sep)
			return false;
	}
	return true;
}

/*
 * Splits "Key:   1234 kB" into key and value (bytes if kB, else a count).
 * HugePages_* are counts; every other field is in kB, so a value without
 * its unit is a truncated file.
 */
static int meminfo_line(char *line, char **key, uint64_t *val)
{
	char *colon, *v, *unit;
	uint64_t n;
	size_t len;

	colon = strchr(line, ':');
	if (!colon || colon == line)
		return -EINVAL;
	*colon = '\0';
	*key = line;
	v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	len = strspn(v, "0123456789");
	if (!len)
		return -EINVAL;
	unit = v + len;
	if (*unit) {
		*unit++ = '\0';
		while (*unit == ' ')
			unit++;
	}
	if (parse_u64(v, &n) < 0)
		return -ERANGE;
	if (!strcmp(unit, "kB")) {
		if (n > (UINT64_MAX >> 10))
			return -ERANGE;
		n <<= 10;
	} else if (*unit || !strstr(line, "HugePages_")) {
		return -EINVAL;
	}
	*val = n;
	return 0;
}

static void copy_bad(char *bad, size_t badsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void copy_bad(char *bad, size_t badsz, const char *fmt, ...)
{
	va_list ap;

	if (!bad || !badsz)
		return;
	va_start(ap, fmt);
	vsnprintf(bad, badsz, fmt, ap);
	va_end(ap);
}

/* Walks "Key: value" lines; fn sees each key and value. */
static int parse_kv(const char *buf, char *bad, size_t badsz,
		    int (*fn)(const char *key, uint64_t val, void *ctx), void *ctx)
{
	char *copy, *line, *save = NULL;
	size_t lineno = 0;
	int rc = 0;

	copy = strdup(buf);
	if (!copy)
		return -ENOMEM;
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char shown[48];
		uint64_t val;
		char *key;

		lineno++;
		snprintf(shown, sizeof(shown), "%s", line);
		rc = meminfo_line(line, &key, &val);
		if (rc < 0) {
			if (rc == -ERANGE)
				copy_bad(bad, badsz, "line %zu: number out of "
					 "range: '%s'", lineno, shown);
			else
				copy_bad(bad, badsz, "line %zu: expected 'Key: "
					 "number [kB]', got '%s'", lineno, shown);
			break;
		}
		rc = fn(key, val, ctx);
		if (rc < 0) {
			/* Only a size of page is checked by value. */
			copy_bad(bad, badsz, "line %zu: not a page size (a power "
				 "of two): '%s'", lineno, shown);
			break;
		}
	}
	free(copy);
	return rc;
}

struct meminfo_ctx {
	struct meminfo *mem;
	bool have_total;
};

static int meminfo_field(const char *key, uint64_t val, void *ctx)
{
	struct meminfo_ctx *c = ctx;
	struct meminfo *m = c->mem;

	if (!strcmp(key, "MemTotal")) {
		m->mem_total = val;
		c->have_total = true;
	} else if (!strcmp(key, "MemFree")) {
		m->mem_free = val;
	} else if (!strcmp(key, "MemAvailable")) {
		m->mem_available = val;
		m->have_available = true;
	} else if (!strcmp(key, "HugePages_Total")) {
		m->hp_total = val;
	} else if (!strcmp(key, "HugePages_Free")) {
		m->hp_free = val;
	} else if (!strcmp(key, "HugePages_Rsvd")) {
		m->hp_rsvd = val;
	} else if (!strcmp(key, "HugePages_Surp")) {
		m->hp_surp = val;
	} else if (!strcmp(key, "Hugepagesize")) {
		/* The size every other hugepage number is counted in. */
		if (!hp_is_pow2(val))
			return -ERANGE;
		m->hugepagesize = val;
	} else if (!strcmp(key, "Hugetlb")) {
		m->hugetlb = val;
		m->have_hugetlb = true;
	} else if (!strcmp(key, "CommitLimit")) {
		m->commit_limit = val;
	} else if (!strcmp(key, "Committed_AS")) {
		m->committed_as = val;
	}
	return 0;
}

/* A meminfo without its MemTotal line is not one. */
static int need_total(bool have, char *bad, size_t badsz)
{
	if (have)
		return 0;
	if (bad && badsz)
		snprintf(bad, badsz, "no MemTotal line");
	return -EINVAL;
}

int parse_meminfo(const char *buf, struct meminfo *mem, char *bad, size_t badsz)
{
	struct meminfo_ctx c = { .mem = mem };
	int rc;

	memset(mem, 0, sizeof(*mem));
	rc = parse_kv(buf, bad, badsz, meminfo_field, &c);
	return rc < 0 ? rc : need_total(c.have_total, bad, badsz);
}

/* nodeN/meminfo: "Node 0 MemTotal:       16281344 kB" */
struct node_ctx {
	uint64_t *total, *free;
	bool have_total;
};

static int node_field(const char *key, uint64_t val, void *ctx)
{
	struct node_ctx *c = ctx;
	const char *k = key;

	if (!strncmp(k, "Node ", 5)) {
		k += 5;
		k += strspn(k, "0123456789");
		k += strspn(k, " ");
	}
	if (!strcmp(k, "MemTotal")) {
		*c->total = val;
		c->have_total = true;
	} else if (!strcmp(k, "MemFree")) {
		*c->free = val;
	}
	return 0;
}

int parse_node_meminfo(const char *buf, uint64_t *total, uint64_t *free,
		       char *bad, size_t badsz)
{
	struct node_ctx c = { .total = total, .free = free };
	int rc;

	*total = *free = 0;
	rc = parse_kv(buf, bad, badsz, node_field, &c);
	return rc < 0 ? rc : need_total(c.have_total, bad, badsz);
}

static int limit_value(const char *word, uint64_t *val)
{
	if (!strcmp(word, "unlimited")) {
		*val = HP_UNLIMITED;
		return 0;
	}
	return parse_u64(word, val);
}

int parse_limits(const char *buf, struct rlim *rl, char *bad, size_t badsz)
{
	static const char *const names[RL_COUNT] = {
		[RL_DATA] = "Max data size",
		[RL_AS] = "Max address space",
		[RL_MEMLOCK] = "Max locked memory",
		[RL_NOFILE] = "Max open files",
		[RL_STACK] = "Max stack size",
	};

	for (int i = 0; i < RL_COUNT; i++) {
		char soft[32], hard[32];
		const char *p = buf;
		size_t nl = strlen(names[i]);

		for (;;) {
			p = strstr(p, names[i]);
			if (!p || p == buf || p[-1] == '\n')
				break;
			p += nl;
		}
		/* The stack's line is read when there, else left 0: unknown. */
		if (!p && i == RL_STACK) {
			rl[i].soft = rl[i].hard = 0;
			continue;
		}
		if (!p) {
			if (bad && badsz)
				snprintf(bad, badsz, "no '%s' line", names[i]);
			return -EINVAL;
		}
		p += nl;
		if (sscanf(p, "%31s %31s", soft, hard) != 2 ||
		    limit_value(soft, &rl[i].soft) < 0 ||
		    limit_value(hard, &rl[i].hard) < 0) {
			if (bad && badsz)
				snprintf(bad, badsz, "'%s': soft and hard limits "
					 "are not numbers", names[i]);
			return -EINVAL;
		}
	}
	return 0;
}

/* "Node 0, zone   Normal   1   2   3 ..." */
int parse_buddy_line(const char *line, struct buddy_zone *z)
{
	const char *p = line;
	unsigned long node;
	char *end;
	int used;

	memset(z, 0, sizeof(*z));
	if (strncmp(p, "Node ", 5))
		return -EINVAL;
	p += 5;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	node = strtoul(p, &end, 10);
	if (node > 65535 || strncmp(end, ", zone", 6))
		return -EINVAL;
	p = end + 6;
	if (sscanf(p, " %15s%n", z->zone, &used) != 1)
		return -EINVAL;
	p += used;
	z->node = (unsigned)node;
	for (;;) {
		char word[32];
		uint64_t v;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n')
			break;
		if (sscanf(p, "%31s%n", word, &used) != 1)
			return -EINVAL;
		if (parse_u64(word, &v) < 0 || z->nr_orders >= BUDDY_MAX_ORDERS)
			return -EINVAL;
		z->free[z->nr_orders++] = v;
		p += used;
	}
	return z->nr_orders ? 0 : -EINVAL;
}

char *format_cgroup_size(uint64_t bytes, char *buf, size_t size)
{
	/* The kernel divides down to the largest unit, truncating. */
	if (bytes >= (1ULL << 30))
		snprintf(buf, size, "%" PRIu64 "GB", bytes >> 30);
	else if (bytes >= (1ULL << 20))
		snprintf(buf, size, "%" PRIu64 "MB", bytes >> 20);
	else
		snprintf(buf, size, "%" PRIu64 "KB", bytes >> 10);
	return buf;
}
