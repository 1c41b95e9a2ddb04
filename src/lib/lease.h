/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lease.h - whether anything but hpdiag has a file open, asked of the
 * kernel in one step rather than of every process in turn (see lease.c).
 */
#ifndef HPDIAG_LIB_LEASE_H
#define HPDIAG_LIB_LEASE_H

#include <stdint.h>

struct sysroot;

/*
 * 1 when something else has the file at PATH open (a descriptor, or a
 * mapping whose descriptor was closed), 0 when nothing has, -errno when
 * the kernel cannot be asked: not the live host, a file this user may not
 * take a lease on (-EACCES), leases disabled, or the file at PATH is no
 * longer the one with device DEV and inode INO (-ESTALE; 0 skips that
 * test).  A descriptor opened with O_PATH is not seen.
 */
int file_open_elsewhere(struct sysroot *sr, const char *path, uint64_t dev,
			uint64_t ino);

#endif /* HPDIAG_LIB_LEASE_H */
