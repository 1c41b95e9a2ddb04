// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * time-run.c - runs a command the way `hpdiag exec` does (posix_spawn from a
 * C parent, wait4) with nothing watched, and prints the seconds from spawn
 * to exit and the command's CPU seconds on stderr: the bare baseline of
 * bench/exec.sh, timed as hpdiag times the wrapped run.
 */
#include <spawn.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

int main(int argc, char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	pid_t pid;
	int st;

	if (argc < 2)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (posix_spawnp(&pid, argv[1], NULL, NULL, argv + 1, environ))
		return 127;
	wait4(pid, &st, 0, &ru);
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(stderr, "%.6f %.6f\n",
		(double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9,
		(double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}
