// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * parse-cmdline.c - the kernel command line's hugepage parameters, read as
 * the kernel reads them at boot: which pools, of which size, on which
 * nodes it was asked to allocate before anything else ran.  Pure, like the
 * other parsers of parse.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/num.h"
#include "probe/parse.h"
#include "probe/snapshot.h"

/*
 * The kernel command line, as mm/hugetlb.c reads it at boot.  Words are
 * read as the kernel's next_arg() reads them (quotes removed, "--" ends
 * the kernel's part), parameter names compared with '-' and '_' alike.
 * Then, in order:
 *
 * - hugepagesz=SIZE makes SIZE the size the next hugepages= is for.  A size
 *   that is no power of two is unsupported, and a size given twice is
 *   ignored (unless it is default_hugepagesz's, not yet counted); either
 *   way the hugepages= that follows is ignored too.
 * - default_hugepagesz=SIZE does the same, once, and takes over a count
 *   given before any size.
 * - hugepages=N before any size counts pages of the default size;
 *   hugepages=NODE:N,NODE:N counts them per node, the nodes online.  The
 *   same pool twice without a hugepagesz= between them: the second is
 *   ignored.  A malformed node list keeps the pages counted before the
 *   fault, for the whole pool (the kernel clears only the per-node counts).
 *
 * Whether the kernel supports a size (x86 has 1 GiB pages only with
 * pdpe1gb) is for the caller to see in the pools it has.
 */
struct boot_parse {
	struct boot_pools *bp;
	const unsigned *online;
	size_t nr_online;
	struct boot_pool pending;	/* counted before any size */
	int cur;			/* the size hugepages= is for, or -1 */
	int last;			/* the pool counted last: -1 none, -2 pending */
	bool valid;			/* the last size given was taken */
	bool default_parsed;
	uint64_t default_size;
	char size_word[64];		/* the word that set cur */
};

/* The kernel's memparse(): a C number with an optional K, M, G, T, P or E;
 * the rest of the word is ignored as the kernel ignores it ("1GB" is 1G). */
static bool memparse(const char *s, uint64_t *v)
{
	static const char units[] = "KMGTPE";
	const char *u;
	unsigned long long n;
	unsigned shift = 0;
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno)
		return false;
	if (*end && (u = strchr(units, toupper((unsigned char)*end))))
		shift = 10 * (unsigned)(u - units + 1);
	if (shift && n > (UINT64_MAX >> shift))
		return false;
	*v = (uint64_t)n << shift;
	return true;
}

/* "%lu%n" as the kernel's sscanf() reads it here: digits only. */
static bool scan_count(const char *s, uint64_t *v, size_t *len)
{
	char num[24];

	*len = strspn(s, "0123456789");
	if (!*len || *len >= sizeof(num))
		return false;
	memcpy(num, s, *len);
	num[*len] = '\0';
	return parse_u64(num, v) == 0;
}

static int boot_find(const struct boot_pools *bp, uint64_t size)
{
	for (size_t i = 0; i < bp->n; i++)
		if (bp->v[i].page_size == size)
			return (int)i;
	return -1;
}

/* A new size (hugetlb_add_hstate), or -1 when there is no room. */
static int boot_add(struct boot_parse *st, uint64_t size)
{
	struct boot_pool *e;

	if (st->bp->n >= BOOT_MAX_SIZES)
		return -1;
	e = &st->bp->v[st->bp->n];
	memset(e, 0, sizeof(*e));
	e->page_size = size;
	return (int)st->bp->n++;
}

static void boot_size(struct boot_parse *st, const char *word, const char *val,
		      bool is_default)
{
	uint64_t size;
	int i;

	st->valid = false;
	if (is_default && st->default_parsed)
		return;
	if (!memparse(val, &size) || !hp_is_pow2(size))
		return;
	i = boot_find(st->bp, size);
	if (is_default) {
		if (i < 0) {
			/* A new size is the one hugepages= is for next. */
			if ((i = boot_add(st, size)) < 0)
				return;
			st->cur = i;
		}

		st->default_parsed = true;
		st->default_size = size;
		if (st->pending.pages) {
			struct boot_pool *e = &st->bp->v[i];

			*e = st->pending;
			e->page_size = size;
			memset(&st->pending, 0, sizeof(st->pending));
		}
	} else if (i >= 0) {
		/* Allowed twice only as the default size, not yet counted. */
		if (!st->default_parsed || size != st->default_size ||
		    st->bp->v[i].pages)
			return;
		st->cur = i;
	} else if ((i = boot_add(st, size)) >= 0) {
		st->cur = i;
	} else {
		return;
	}
	st->valid = true;
	snprintf(st->size_word, sizeof(st->size_word), "%s", word);
}

static bool node_online(const struct boot_parse *st, uint64_t node)
{
	for (size_t i = 0; i < st->nr_online; i++)
		if (st->online[i] == node)
			return true;
	return false;
}

/* The words that asked for E's pages, for a person to find them. */
static void boot_said(const struct boot_parse *st, struct boot_pool *e,
		      const char *word, bool pending)
{
	int n = snprintf(e->param, sizeof(e->param), "%s%s", pending ? "" : st->size_word,
			 pending ? "" : " ");

	/* A word too long for the field is cut: it only names where to look. */
	if (n >= 0 && (size_t)n < sizeof(e->param))
		snprintf(e->param + n, sizeof(e->param) - (size_t)n, "%.*s",
			 (int)(sizeof(e->param) - (size_t)n - 1), word);
}

static void boot_count(struct boot_parse *st, const char *word, const char *val)
{
	struct boot_pool *e;
	const char *p = val;
	uint64_t n, node;
	size_t len;
	int target;

	if (!st->valid) {
		st->valid = true;
		return;
	}
	target = st->cur >= 0 ? st->cur : -2;
	if (target == st->last)
		return;
	e = target == -2 ? &st->pending : &st->bp->v[target];
	if (!scan_count(p, &n, &len))
		return;
	boot_said(st, e, word, target == -2);
	if (p[len] != ':') {
		e->pages = n;
		st->last = target;
		return;
	}
	for (;;) {
		node = n;
		p += len + 1;
		if (node >= 1024 || !node_online(st, node) || !scan_count(p, &n, &len))
			break;
		if (e->nr_nodes < BOOT_MAX_NODES)
			e->nodes[e->nr_nodes++] = (struct boot_node){ (unsigned)node, n };
		e->pages = hp_sat_add(e->pages, n);
		if (p[len] != ',') {
			st->last = target;
			return;
		}
		p += len + 1;
		if (!scan_count(p, &n, &len) || p[len] != ':')
			break;
	}
	/* Malformed: the pages counted so far stay, for the whole pool. */
	e->nr_nodes = 0;
}

/* The next word of LINE into BUF, quotes removed; NULL at the end. */
static const char *next_word(const char *line, char *buf, size_t size)
{
	bool quote = false;
	size_t i = 0, len = 0;
	char *eq;

	line += strspn(line, " \t\n");
	if (!*line)
		return NULL;
	for (; line[i] && (quote || !strchr(" \t\n", line[i])); i++) {
		if (line[i] == '"')
			quote = !quote;
		if (len + 1 < size)
			buf[len++] = line[i];
	}
	buf[len] = '\0';
	/* "param=\"value\"" and "\"param=value\"" lose their quotes. */
	if (buf[0] == '"') {
		memmove(buf, buf + 1, len--);
		if (len && buf[len - 1] == '"')
			buf[--len] = '\0';
	}
	eq = strchr(buf, '=');
	if (eq && eq[1] == '"') {
		memmove(eq + 1, eq + 2, strlen(eq + 2) + 1);
		len = strlen(buf);
		if (len && buf[len - 1] == '"')
			buf[len - 1] = '\0';
	}
	return line + i;
}

/* Whether WORD is NAME=value ('-' and '_' alike): its value, or NULL. */
static const char *param_value(const char *word, const char *name)
{
	for (; *name; word++, name++)
		if (!*word || (*word != *name &&
			       !(strchr("-_", *word) && strchr("-_", *name))))
			return NULL;
	return *word == '=' ? word + 1 : NULL;
}

void parse_boot_pools(const char *cmdline, const unsigned *online,
		      size_t nr_online, struct boot_pools *bp)
{
	struct boot_parse st = { .bp = bp, .online = online,
				 .nr_online = nr_online, .cur = -1, .last = -1,
				 .valid = true };
	const char *p = cmdline, *v;
	char word[256];

	memset(bp, 0, sizeof(*bp));
	while (p && (p = next_word(p, word, sizeof(word)))) {
		if (!strcmp(word, "--"))
			break;
		if ((v = param_value(word, "hugepagesz")))
			boot_size(&st, word, v, false);
		else if ((v = param_value(word, "default_hugepagesz")))
			boot_size(&st, word, v, true);
		else if ((v = param_value(word, "hugepages")))
			boot_count(&st, word, v);
		else if ((v = param_value(word, "hugetlb_cma")))
			bp->cma = strcmp(v, "0") != 0;
	}
	/* Counted before any size and never taken over: the default size. */
	if (st.pending.pages && bp->n < BOOT_MAX_SIZES) {
		bp->v[bp->n] = st.pending;
		bp->v[bp->n++].page_size = 0;
	}
}
