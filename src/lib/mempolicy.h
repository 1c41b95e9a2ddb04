/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mempolicy.h - NUMA placement for the live-only work of a trial, through
 * libnuma loaded on first use (mempolicy.c).
 */
#ifndef HPDIAG_LIB_MEMPOLICY_H
#define HPDIAG_LIB_MEMPOLICY_H

/* Prefers NODE for this process's next pages (-1: local allocation
 * again); -ENOSYS without libnuma. */
int numa_prefer(int node);
/* The node the page at ADDR landed on, or -errno. */
int numa_node_of(void *addr);

#endif /* HPDIAG_LIB_MEMPOLICY_H */
