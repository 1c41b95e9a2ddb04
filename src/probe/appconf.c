// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * appconf.c - an application's own configuration files (PostgreSQL's
 * postgresql.conf and what it includes), read through the rooted reader
 * as every other file: under --sysroot, the captured host's.  Gathers
 * only: what the files say is the model's to read (model/postgres.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "probe/probe.h"

int appconf_read(struct probe *p, const char *path, char **text)
{
	int rc = sysroot_read(p->sr, path, text, NULL);

	if (rc == 0 && !*text)
		rc = -EIO;
	return rc;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int appconf_list(struct probe *p, const char *dir, const char *suffix, char ***names,
		 size_t *n)
{
	size_t k = 0, sl = strlen(suffix);
	int rc = sysroot_list(p->sr, dir, names, n);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < *n; i++) {
		char *s = (*names)[i];
		size_t l = strlen(s);

		if (s[0] != '.' && l > sl && !strcmp(s + l - sl, suffix))
			(*names)[k++] = s;
		else
			free(s);
	}
	*n = k;
	qsort(*names, k, sizeof(**names), name_cmp);
	return 0;
}
