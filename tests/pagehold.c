// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pagehold.c - a process that uses a page file in one of the ways hpdiag
 * must see, for tests/e2e/users.sh: it opens FILE, uses it as MODE says,
 * writes "ready" to stdout and waits until it is killed.
 *   open         read-only descriptor, nothing else
 *   map          mapped shared, no page touched, descriptor kept
 *   map-touch    mapped shared, first page written, descriptor kept
 *   map-close    mapped shared, no page touched, descriptor closed
 *   touch-close  mapped shared, first page written, descriptor closed
 *   flock        flock(LOCK_SH), descriptor kept
 *   flock-map    flock(LOCK_SH), mapped, descriptor closed (as DPDK's
 *                pages outlive their descriptors in some modes)
 * Usage: pagehold MODE FILE [LENGTH], LENGTH defaulting to 2 MiB.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *mode;
	size_t len = 2 << 20;
	void *p = NULL;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: pagehold MODE FILE [LENGTH]\n");
		return 2;
	}
	mode = argv[1];
	if (argc > 3)
		len = strtoul(argv[3], NULL, 0);
	fd = open(argv[2], strcmp(mode, "open") ? O_RDWR : O_RDONLY);
	if (fd < 0) {
		perror(argv[2]);
		return 1;
	}
	if (!strncmp(mode, "flock", 5) && flock(fd, LOCK_SH) < 0) {
		perror("flock");
		return 1;
	}
	if (strstr(mode, "map") || strstr(mode, "touch")) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		if (strstr(mode, "touch"))
			*(volatile char *)p = 1;
		if (strstr(mode, "close") || !strcmp(mode, "flock-map"))
			close(fd);
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
