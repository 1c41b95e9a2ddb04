/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.h - the parts of the JSON renderer in more than one file (json.c,
 * json-host.c, json-findings.c, json-util.c); only they include json-c.
 */
#ifndef HPDIAG_REPORT_JSON_H
#define HPDIAG_REPORT_JSON_H

#include <stdint.h>
#include <json-c/json.h>

#include "report/report.h"

/* json-util.c: a number; HP_UNLIMITED as null (jlim); a string, NULL as
 * null; KEY: V added to O. */
json_object *jnum(uint64_t v);
json_object *jlim(uint64_t v);
json_object *jstr(const char *s);
void jadd(json_object *o, const char *key, json_object *v);

/* json-host.c: the pools, the mounts and the limits of SNAP. */
json_object *json_pools(const struct snapshot *snap);
json_object *json_mounts(const struct snapshot *snap);
json_object *json_limits(const struct snapshot *snap);

/* The findings FS as an array (FS may be NULL: an empty one). */
json_object *json_findings(const struct findings *fs);
/* explain's object of R. */
json_object *json_explain(const struct result *r);

#endif /* HPDIAG_REPORT_JSON_H */
