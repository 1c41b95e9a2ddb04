// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * caps.c - the only file that includes libcap.  The effective set itself is
 * read from CapEff: in /proc/PID/status (so a captured tree has it); libcap
 * turns capability names into bit numbers and back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "lib/caps.h"

bool caps_in(uint64_t cap_eff, const char *name)
{
	cap_value_t cap;

	if (cap_from_name(name, &cap) < 0 || cap < 0 || cap > 63)
		return false;
	return (cap_eff >> cap) & 1;
}

/* Whether hpdiag itself holds a capability in its effective set now. */
bool caps_self(const char *name)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_value_t cap;
	cap_t caps;

	if (cap_from_name(name, &cap) < 0)
		return false;
	caps = cap_get_proc();
	if (!caps)
		return false;
	if (cap_get_flag(caps, cap, CAP_EFFECTIVE, &v) < 0)
		v = CAP_CLEAR;
	cap_free(caps);
	return v == CAP_SET;
}
