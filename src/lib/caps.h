/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * caps.h - capabilities by name, through libcap (caps.c is the only file
 * that includes it).
 */
#ifndef HPDIAG_LIB_CAPS_H
#define HPDIAG_LIB_CAPS_H

#include <stdbool.h>
#include <stdint.h>

/* Whether the effective set CAP_EFF (CapEff: of /proc/PID/status) holds
 * the capability named like "cap_sys_admin". */
bool caps_in(uint64_t cap_eff, const char *name);
/* Whether hpdiag itself holds it in its effective set now. */
bool caps_self(const char *name);

#endif /* HPDIAG_LIB_CAPS_H */
