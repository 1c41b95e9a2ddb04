/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.h - the parts of the JSON renderer in more than one file (json.c,
 * json-findings.c); only they include json-c.
 */
#ifndef HPDIAG_REPORT_JSON_H
#define HPDIAG_REPORT_JSON_H

#include <json-c/json.h>

#include "report/report.h"

/* The findings FS as an array (FS may be NULL: an empty one). */
json_object *json_findings(const struct findings *fs);
/* explain's object of R. */
json_object *json_explain(const struct result *r);

#endif /* HPDIAG_REPORT_JSON_H */
