// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * live.c - allocation-free readers of the live kernel (see live.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "lib/live.h"
#include "lib/pathnames.h"
#include "lib/proc.h"

uint64_t live_count_lines(const char *path)
{
	char buf[65536];
	uint64_t n = 0;
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < got; i++)
			n += buf[i] == '\n';
	close(fd);
	return n;
}

uint64_t live_count_entries(const char *path)
{
	struct dirent *de;
	uint64_t n = 0;
	DIR *d = opendir(path);

	if (!d)
		return 0;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Reads the start of a small file into BUF; its length, or -errno. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	got = read(fd, buf, size - 1);
	close(fd);
	if (got < 0)
		return -errno;
	buf[got] = '\0';
	return got;
}

uint64_t live_read_number(const char *path)
{
	unsigned long long v = 0;
	char buf[64];

	if (read_small(path, buf, sizeof(buf)) > 0)
		sscanf(buf, "%llu", &v);
	return v;
}

int live_status(pid_t pid, struct proc_status *st)
{
	char path[48], buf[4096];
	ssize_t got;

	got = read_small(proc_path(path, sizeof(path), pid, PROC_STATUS), buf, sizeof(buf));
	if (got < 0)
		return (int)got;
	proc_status_parse(buf, st);
	return 0;
}
