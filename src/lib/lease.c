// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lease.c - whether anything but hpdiag has a file open.  The kernel grants
 * a write lease (fcntl F_SETLEASE, F_WRLCK) only when no other open file
 * refers to the inode, read-only ones included; a mapping keeps its file
 * open after its descriptor is closed, so a mapper counts too.  One lease,
 * given back at once, thus answers for every process on the host, where
 * reading each process's maps and descriptors costs time in proportion to
 * their number.  The lease is held for two system calls: a process that
 * opens the file in that instant waits for them (one that opens it with
 * O_NONBLOCK is told to retry); nothing else is changed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lib/lease.h"
#include "lib/rooted.h"

int file_open_elsewhere(struct sysroot *sr, const char *path, uint64_t dev,
			uint64_t ino)
{
	struct sigaction ign, old;
	struct stat st;
	int fd, rc, err;

	if (!sr->live)
		return -EOPNOTSUPP;
	/* O_NONBLOCK: a lease someone else holds makes the open fail at
	 * once instead of waiting for them, and a lease holder has the file
	 * open. */
	fd = sysroot_openat(sr, path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW |
			    O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return errno == EWOULDBLOCK ? 1 : -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (dev && (uint64_t)st.st_dev != dev) ||
	    (ino && (uint64_t)st.st_ino != ino)) {
		close(fd);
		return -ESTALE;
	}
	/* Someone who opens the file while the lease is held breaks it, and
	 * the kernel tells the holder with SIGIO, whose default is to end
	 * the process. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGIO, &ign, &old);
	rc = fcntl(fd, F_SETLEASE, F_WRLCK);
	err = errno;
	if (rc == 0)
		(void)fcntl(fd, F_SETLEASE, F_UNLCK);
	close(fd);
	sigaction(SIGIO, &old, NULL);
	if (rc == 0)
		return 0;
	return err == EAGAIN ? 1 : -err;
}
