// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * persist.c - the sysctl.d file `fix --persist` keeps the sysctls in: its
 * text (hpdiag's keys updated in place, every other line kept, a larger
 * value already there never lowered), pure so it is unit-tested and
 * fuzzed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/plan.h"

/* "vm.max_map_count" for "-vm/max_map_count " and the like. */
static void norm_key(const char *s, size_t len, char *out, size_t size)
{
	size_t o = 0;

	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	if (len && *s == '-') {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	for (size_t i = 0; i < len && o + 1 < size; i++)
		out[o++] = s[i] == '/' ? '.' : s[i];
	out[o] = '\0';
}

static int append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (!*buf || *len + n + 1 > *cap) {
		size_t ncap = (*len + n + 1) * 2;
		char *nb = realloc(*buf, ncap);

		if (!nb)
			return -ENOMEM;
		*buf = nb;
		*cap = ncap;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return 0;
}

char *fix_persist_text(const char *old, size_t len, const char *const *keys,
		       const uint64_t *vals, const bool *never_lower, size_t n)
{
	static const char header[] =
		"# Written by hpdiag fix --persist: the settings hugepage users need.\n"
		"# hpdiag updates its own keys in place and keeps every other line.\n";
	bool seen[16] = { false };
	size_t olen = 0, cap = 0;
	char *out = NULL, line[128];
	int rc = 0;

	if (n > 16)
		return NULL;
	if (!old)
		rc = append(&out, &olen, &cap, header, sizeof(header) - 1);
	for (size_t i = 0; !rc && old && i < len; ) {
		const char *p = old + i, *nl = memchr(p, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - p) + 1 : len - i;
		const char *eq = memchr(p, '=', ll);
		size_t k = n;
		char key[128], *end;

		if (eq && p[strspn(p, " \t")] != '#' && p[strspn(p, " \t")] != ';') {
			norm_key(p, (size_t)(eq - p), key, sizeof(key));
			for (k = 0; k < n && strcmp(key, keys[k]); k++)
				;
		}
		if (k < n) {
			char num[32];
			size_t vl = ll - (size_t)(eq + 1 - p);
			uint64_t have = 0;
			bool keep;

			seen[k] = true;
			snprintf(num, sizeof(num), "%.*s", (int)(vl < 31 ? vl : 31), eq + 1);
			have = strtoull(num + strspn(num, " \t"), &end, 10);
			end += strspn(end, " \t\n");
			keep = never_lower[k] && !*end && have >= vals[k];
			if (!keep) {
				snprintf(line, sizeof(line), "%s = %" PRIu64 "\n",
					 keys[k], vals[k]);
				rc = append(&out, &olen, &cap, line, strlen(line));
				i += ll;
				continue;
			}
		}
		rc = append(&out, &olen, &cap, p, ll);
		if (!rc && !nl)
			rc = append(&out, &olen, &cap, "\n", 1);
		i += ll;
	}
	for (size_t k = 0; !rc && k < n; k++) {
		if (seen[k])
			continue;
		snprintf(line, sizeof(line), "%s = %" PRIu64 "\n", keys[k], vals[k]);
		rc = append(&out, &olen, &cap, line, strlen(line));
	}
	if (!rc && !out)
		rc = append(&out, &olen, &cap, "", 0);
	if (rc) {
		free(out);
		return NULL;
	}
	return out;
}
