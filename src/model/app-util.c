// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * app-util.c - what the recognisers of apps.h share: a program's base
 * name, text appended to a fixed buffer, and sizes with a unit as
 * PostgreSQL's configuration and a JVM's options write them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/num.h"
#include "model/apps.h"

const char *app_base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

void app_append(char *buf, size_t size, const char *fmt, ...)
{
	size_t l = strnlen(buf, size);
	va_list ap;

	if (l + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + l, size - l, fmt, ap);
	va_end(ap);
}

int app_size_parse(const char *s, uint64_t unit, uint64_t *bytes)
{
	char *end;
	unsigned long long v;
	uint64_t frac = 0, denom = 1, scale;
	unsigned shift = 0;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	/* PostgreSQL takes "1.5GB" (rounded to its unit) and a blank
	 * before the unit ('128 MB'). */
	if (*end == '.' && isdigit((unsigned char)end[1]))
		for (end++; isdigit((unsigned char)*end); end++)
			if (denom < 1000000000ULL) {
				frac = frac * 10 + (uint64_t)(*end - '0');
				denom *= 10;
			}
	while (isspace((unsigned char)*end))
		end++;
	switch (tolower((unsigned char)*end)) {
	case 'k': shift = 10; end++; break;
	case 'm': shift = 20; end++; break;
	case 'g': shift = 30; end++; break;
	case 't': shift = 40; end++; break;
	case 'b': unit = 1; end++; break;
	default: break;
	}
	if (shift) {
		unit = 1;
		if (tolower((unsigned char)*end) == 'b')
			end++;
	}
	while (isspace((unsigned char)*end))
		end++;
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return -EINVAL;
	scale = hp_sat_mul(1ULL << shift, unit);
	*bytes = hp_sat_add(hp_sat_mul((uint64_t)v, scale),
			    hp_sat_add(hp_sat_mul(scale / denom, frac),
				       scale % denom * frac / denom));
	return 0;
}

void app_region_add(struct workload_hint *h, const char *name, uint64_t bytes, uint64_t ps)
{
	struct app_model *m = &h->app;
	struct app_region *r;

	if (m->nr_regions >= APP_MAX_REGIONS || !bytes)
		return;
	r = &m->regions[m->nr_regions++];
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->bytes = ps ? hp_div_up(bytes, ps) * ps : bytes;
	h->bytes = hp_sat_add(h->bytes, r->bytes);
	h->have_bytes = true;
}
