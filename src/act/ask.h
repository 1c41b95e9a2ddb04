/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ask.h - asking an application about itself (ask.c).
 */
#ifndef HPDIAG_ACT_ASK_H
#define HPDIAG_ACT_ASK_H

#include <stddef.h>

/*
 * Runs ARGV (ARGV[0] a path) as the owner of OWNER (NULL: nobody, or the
 * caller when it is not root), never as root, with no input, and puts its
 * standard output in OUT (NUL-terminated, cut at SIZE).  0; -errno with
 * WHY saying why not, or that it failed (its first line of standard error).
 */
int app_ask(const char *const *argv, const char *owner, char *out, size_t size, char *why,
	    size_t why_size);

/*
 * Runs ARGV (ARGV[0] found in PATH when it has no '/'), a read-only
 * client of a service (ovs-vsctl get), as hpdiag's own user, as app_ask
 * otherwise.
 */
int app_query(const char *const *argv, char *out, size_t size, char *why, size_t why_size);

#endif /* HPDIAG_ACT_ASK_H */
