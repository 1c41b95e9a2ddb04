// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * parse.c - pure parsers for the kernel's text formats (meminfo, limits,
 * buddyinfo, node lists, sysfs directory names) and for the sizes a user
 * types on the command line.  Strict: a value that is not exactly a number
 * is an error, never a zero.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/snapshot.h"
#include "probe/parse.h"

/* Decimal digits at *P (at least one), without overflow; *P moves past. */
static int digits(const char **pp, uint64_t *val)
{
	const char *p = *pp;
	uint64_t v = 0;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*pp = p;
	*val = v;
	return 0;
}

int parse_u64(const char *s, uint64_t *val)
{
	const char *p = s;
	uint64_t v;
	int rc;

	while (*p == ' ' || *p == '\t')
		p++;
	if ((rc = digits(&p, &v)) < 0)
		return rc;
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	*val = v;
	return 0;
}

/* "2M", "2MB", "2MiB", "1G", "2048kB", "64K", "2097152" (bytes). */
int parse_size(const char *s, uint64_t *bytes)
{
	uint64_t v, mult = 1;
	const char *p = s;
	char unit;
	int rc;

	if ((rc = digits(&p, &v)) < 0)
		return rc;
	unit = (char)toupper((unsigned char)*p);
	switch (unit) {
	case '\0':
		break;
	case 'K':
		mult = 1ULL << 10;
		break;
	case 'M':
		mult = 1ULL << 20;
		break;
	case 'G':
		mult = 1ULL << 30;
		break;
	case 'T':
		mult = 1ULL << 40;
		break;
	default:
		return -EINVAL;
	}
	if (unit) {
		p++;
		if (*p == 'i')
			p++;
		if (*p == 'B' || *p == 'b')
			p++;
		if (*p)
			return -EINVAL;
	}
	if (v && mult > UINT64_MAX / v)
		return -ERANGE;
	*bytes = v * mult;
	return 0;
}

/* "hugepages-2048kB" -> 2097152 */
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
	if (parse_u64(num, &kb) < 0 || !kb || kb > (UINT64_MAX >> 10))
		return -EINVAL;
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

/* The kernel's list format: "0-3,8,10-11" (an empty string is no ids). */
int parse_list(const char *s, unsigned *ids, size_t max, size_t *n)
{
	const char *p = s;

	*n = 0;
	while (*p == ' ' || *p == '\n')
		p++;
	while (*p) {
		unsigned long a, b;
		char *end;

		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		a = strtoul(p, &end, 10);
		b = a;
		p = end;
		if (*p == '-') {
			p++;
			if (!isdigit((unsigned char)*p))
				return -EINVAL;
			b = strtoul(p, &end, 10);
			p = end;
		}
		if (b < a || b > 65535)
			return -ERANGE;
		for (unsigned long i = a; i <= b; i++) {
			if (*n >= max)
				return -ERANGE;
			ids[(*n)++] = (unsigned)i;
		}
		if (*p == ',')
			p++;
		else if (*p == '\n' || *p == ' ')
			while (*p == '\n' || *p == ' ')
				p++;
		else if (*p)
			return -EINVAL;
	}
	return 0;
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
		if (rc)
			break;
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

int parse_meminfo(const char *buf, struct meminfo *mem, char *bad, size_t badsz)
{
	struct meminfo_ctx c = { .mem = mem };
	int rc;

	memset(mem, 0, sizeof(*mem));
	rc = parse_kv(buf, bad, badsz, meminfo_field, &c);
	if (rc < 0)
		return rc;
	if (!c.have_total) {
		if (bad && badsz)
			snprintf(bad, badsz, "no MemTotal line");
		return -EINVAL;
	}
	return 0;
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
	if (rc < 0)
		return rc;
	if (!c.have_total) {
		if (bad && badsz)
			snprintf(bad, badsz, "no MemTotal line");
		return -EINVAL;
	}
	return 0;
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

void unescape_octal(char *s)
{
	char *w = s;

	for (char *r = s; *r; ) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' &&
		    r[2] >= '0' && r[2] <= '7' && r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)(((r[1] - '0') << 6) | ((r[2] - '0') << 3) |
				      (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* Escapes space, tab, newline and backslash the way mountinfo does. */
char *escape_path(const char *s)
{
	char *out, *w;

	out = malloc(strlen(s) * 4 + 1);
	if (!out)
		return NULL;
	w = out;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\\' || c < 0x20) {
			sprintf(w, "\\%03o", c);
			w += 4;
		} else {
			*w++ = (char)c;
		}
	}
	*w = '\0';
	return out;
}

char *format_bytes(uint64_t bytes, char *buf, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned u = 0;
	uint64_t whole = bytes, rem = 0;

	while (whole >= 1024 && u < 6) {
		rem = whole % 1024;
		whole /= 1024;
		u++;
	}
	if (rem == 0 || whole >= 100)
		snprintf(buf, size, "%" PRIu64 " %s", whole, units[u]);
	else
		snprintf(buf, size, "%" PRIu64 ".%" PRIu64 " %s", whole,
			 rem * 10 / 1024, units[u]);
	return buf;
}

static char *format_unit_size(uint64_t bytes, char *buf, size_t size,
			      const char *suffix, bool giga)
{
	if (giga && bytes >= (1ULL << 30) && !(bytes % (1ULL << 30)))
		snprintf(buf, size, "%" PRIu64 "G%s", bytes >> 30, suffix);
	else if (bytes >= (1ULL << 20) && !(bytes % (1ULL << 20)))
		snprintf(buf, size, "%" PRIu64 "M%s", bytes >> 20, suffix);
	else
		snprintf(buf, size, "%" PRIu64 "K%s", bytes >> 10, suffix);
	return buf;
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

char *format_short_size(uint64_t bytes, char *buf, size_t size)
{
	return format_unit_size(bytes, buf, size, "", true);
}
