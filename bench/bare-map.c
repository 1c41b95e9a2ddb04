// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bare-map.c - the kernel's own cost of what hpdiag trial does per page in
 * dynamic mode: open, unlink, ftruncate, mmap(MAP_POPULATE), nothing else.
 * bench/trial.sh compares hpdiag trial with it.
 * Usage: bare-map DIR PAGES [PAGE_SIZE]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long n, ps = 2UL << 20;
	char path[4096];

	if (argc < 3)
		return 2;
	n = strtoul(argv[2], NULL, 10);
	if (argc > 3)
		ps = strtoul(argv[3], NULL, 10);
	for (unsigned long i = 0; i < n; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/bare.%d.%lu", argv[1], (int)getpid(), i);
		fd = open(path, O_CREAT | O_RDWR, 0600);
		if (fd < 0 || unlink(path) < 0 || ftruncate(fd, (off_t)ps) < 0 ||
		    mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
			 fd, 0) == MAP_FAILED) {
			perror("bare-map");
			return 1;
		}
	}
	return 0;
}
