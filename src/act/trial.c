// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trial.c - runs a trial (see trial.h): the memory the child reports into,
 * the fork, the child's sequence by mode (trial-child.h), a progress
 * line, and SIGINT/SIGTERM, which stop the child (it leaves nothing
 * behind) and the trial.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "act/trial-child.h"
#include "act/trial.h"

static struct trial_result *R;

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

/* Moves the calling process into the cgroup whose cgroup.procs is PROCS. */
static int join_cgroup(const char *procs)
{
	int fd = open(procs, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, "0\n", 2);
	if (n < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	close(fd);
	return 0;
}

/* The child's side (trial-child.h): its start, then the consumer's
 * sequence, into R (memory shared with hpdiag). */
static void __attribute__((noreturn)) trial_child(pid_t parent, const struct trial_opts *o,
						  struct trial_result *r)
{
	tc_start(parent, o, r);
	switch (o->need->mode) {
	case MODE_LEGACY:
		trial_dpdk_legacy();
		break;
	case MODE_ANON:
	case MODE_SHM:
	case MODE_QEMU:
		trial_app();
		break;
	default:
		trial_dpdk_pages();
		break;
	}
	tc_done();
}

int trial_run(const struct trial_opts *o, struct trial_result *res)
{
	struct sigaction sa, old_int, old_term;
	struct timespec start, now;
	pid_t parent = getpid(), pid;
	int status = 0;
	unsigned ticks = 0;

	R = mmap(NULL, sizeof(*R), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		 -1, 0);
	if (R == MAP_FAILED)
		return -errno;
	memset(R, 0, sizeof(*R));
	R->requested = o->need->pages;
	R->peak_pages = o->need->pages;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	clock_gettime(CLOCK_MONOTONIC, &start);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int err = errno;

		munmap(R, sizeof(*R));
		return -err;
	}
	if (pid == 0) {
		/* Into the cgroup first, as the application would start there. */
		if (o->cg_procs && join_cgroup(o->cg_procs) < 0) {
			R->failed = true;
			R->fail.err = errno;
			snprintf(R->fail.call, sizeof(R->fail.call), "cgroup");
			_exit(3);
		}
		trial_child(parent, o, R);
	}
	for (;;) {
		/* Without a progress line, block: SIGINT/SIGTERM interrupt it. */
		pid_t w = waitpid(pid, &status, o->progress ? WNOHANG : 0);

		if (w == pid)
			break;
		if (stop_signal) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		if (!o->progress)
			continue;
		usleep(20000);
		if (o->progress && ++ticks % 10 == 0) {
			double secs;

			clock_gettime(CLOCK_MONOTONIC, &now);
			secs = (double)(now.tv_sec - start.tv_sec) +
			       (double)(now.tv_nsec - start.tv_nsec) / 1e9;
			fprintf(stderr, "\rtrial: %" PRIu64 " of %" PRIu64 " pages mapped "
				"(%.0f pages/s)  ", (uint64_t)R->mapped, R->peak_pages,
				secs > 0 ? (double)R->mapped / secs : 0.0);
		}
	}
	if (o->progress && ticks >= 10)
		fputs("\r\033[K", stderr);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	*res = *R;
	munmap(R, sizeof(*R));
	if (stop_signal)
		return -EINTR;
	if (!res->ok && !res->failed) {
		/* Killed before it could say why: a signal of its own. */
		res->failed = true;
		snprintf(res->fail.call, sizeof(res->fail.call), "%s",
			 WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM ?
			 "timeout" : "signal");
		res->fail.sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
		res->page = res->mapped;
	}
	return 0;
}
