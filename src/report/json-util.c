// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json-util.c - the JSON renderer's small builders, shared by its files.
 */
#include <json-c/json.h>

#include "lib/num.h"
#include "report/json.h"

json_object *jnum(uint64_t v)
{
	return json_object_new_uint64(v);
}

json_object *jlim(uint64_t v)
{
	return v == HP_UNLIMITED ? NULL : jnum(v);
}

json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

void jadd(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}
