// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leaker.c - the seed 001 service, for the vma tests: it maps one shared
 * memory object once per "input", at RATE inputs a second, and unmaps only
 * once per BATCH, so its VMAs pile up.  After every step it writes how many
 * mappings it holds to COUNTFILE.  `leaker distinct N COUNTFILE` instead
 * maps N different objects once each: many VMAs, no leak.  With RATE 0 it
 * leaks as fast as it can, and with "exit" after COUNTFILE it exits with
 * status 1 when mmap fails instead of waiting (for `hpdiag exec`).
 * Usage: leaker leak RATE BATCH COUNTFILE [exit] | leaker distinct N COUNTFILE
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define SIZE 65536

/* The count, replaced whole (a reader never sees it empty). */
static void report(const char *file, unsigned long n)
{
	char buf[32], tmp[4096];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	snprintf(buf, sizeof(buf), "%lu\n", n);
	if (write(fd, buf, strlen(buf)) < 0)
		perror("leaker");
	close(fd);
	rename(tmp, file);
}

int main(int argc, char **argv)
{
	if ((argc == 5 || (argc == 6 && !strcmp(argv[5], "exit"))) &&
	    !strcmp(argv[1], "leak")) {
		double rate = atof(argv[2]);
		unsigned long batch = strtoul(argv[3], NULL, 10), n = 0, held = 0;
		struct timespec pause = { 0, (long)(1e9 / (rate > 0 ? rate : 1)) };
		int fd = memfd_create("hpdiag-seed001", MFD_CLOEXEC);
		void *last = NULL;

		if (fd < 0 || ftruncate(fd, SIZE) < 0)
			return 1;
		for (;;) {
			void *p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

			if (p == MAP_FAILED) {
				perror("leaker: mmap");
				report(argv[4], held);
				if (argc == 6)
					return 1;
				pause.tv_sec = 3600;
				nanosleep(&pause, NULL);
				return 1;
			}
			held++;
			/* The bug: one munmap per batch, of the last input only. */
			if (++n % batch == 0 && last) {
				munmap(last, SIZE);
				held--;
			}
			last = p;
			if (rate > 0) {
				report(argv[4], held);
				nanosleep(&pause, NULL);
			}
		}
	}
	if (argc == 4 && !strcmp(argv[1], "distinct")) {
		unsigned long n = strtoul(argv[2], NULL, 10);

		for (unsigned long i = 0; i < n; i++) {
			char name[48];
			int fd;

			snprintf(name, sizeof(name), "hpdiag-object-%lu", i);
			fd = memfd_create(name, MFD_CLOEXEC);
			if (fd < 0 || ftruncate(fd, SIZE) < 0 ||
			    mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
				return 1;
			close(fd);
		}
		report(argv[3], n);
		pause();
		return 0;
	}
	fprintf(stderr, "usage: leaker leak RATE BATCH COUNTFILE [exit] | "
		"leaker distinct N COUNTFILE\n");
	return 2;
}
