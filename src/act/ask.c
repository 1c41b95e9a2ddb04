// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ask.c - asks an application about itself (`postgres -C
 * shared_memory_size_in_huge_pages`, `java -XX:+PrintFlagsFinal
 * -version`): runs it in a child as the owner of its data (or nobody),
 * never as root, with no input, and returns what it printed.  The
 * program maps no hugepages for these questions.  A query (`ovs-vsctl
 * get`) is a read-only client of a service that only root may reach: it
 * runs as hpdiag does, found in the system's directories (not through
 * the caller's PATH).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "act/ask.h"

#define ASK_SECONDS	30

/* Who to run as: OWNER's owner, or nobody; never root. */
static int ask_who(const char *owner, uid_t *uid, gid_t *gid, char *why, size_t size)
{
	struct stat st;
	struct passwd *pw;

	if (owner) {
		if (stat(owner, &st) < 0) {
			snprintf(why, size, "cannot read '%s': %s", owner, strerror(errno));
			return -errno;
		}
		*uid = st.st_uid;
		*gid = st.st_gid;
	} else if (geteuid() != 0) {
		*uid = geteuid();
		*gid = getegid();
	} else if ((pw = getpwnam("nobody"))) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
	} else {
		snprintf(why, size, "no user nobody to run it as");
		return -ENOENT;
	}
	if (*uid == 0) {
		snprintf(why, size, "'%s' is owned by root: it is never run as root",
			 owner ? owner : "it");
		return -EPERM;
	}
	if (geteuid() != 0 && geteuid() != *uid) {
		snprintf(why, size, "cannot run it as uid %u without privilege", (unsigned)*uid);
		return -EPERM;
	}
	return 0;
}

/* The child: as UID (a query: as it is), then ARGV. */
static void ask_child(const char *const *argv, bool query, uid_t uid, gid_t gid, int out,
		      int err)
{
	struct passwd *pw = getpwuid(uid);
	int null = open("/dev/null", O_RDONLY);

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(126);
	if (query) {
		/* As root: found in the system's directories only, never
		 * through the caller's PATH. */
		setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
		execvp(argv[0], (char *const *)argv);
		dprintf(2, "cannot run '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (geteuid() == 0 && (setgroups(0, NULL) < 0 || setgid(gid) < 0 || setuid(uid) < 0)) {
		dprintf(2, "cannot become uid %u: %s\n", (unsigned)uid, strerror(errno));
		_exit(126);
	}
	if (getuid() == 0 || geteuid() == 0)
		_exit(126);
	if (pw)
		setenv("HOME", pw->pw_dir, 1);
	execv(argv[0], (char *const *)argv);
	dprintf(2, "cannot run '%s': %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int ask_run(const char *const *argv, bool query, uid_t uid, gid_t gid, char *out,
		   size_t size, char *why, size_t why_size)
{
	int po[2], pe[2], status, rc = 0;
	size_t no = 0, ne = 0;
	char errbuf[512];
	pid_t pid;
	time_t until = time(NULL) + ASK_SECONDS;

	out[0] = errbuf[0] = 0;
	if (pipe2(po, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(pe, O_CLOEXEC) < 0) {
		close(po[0]);
		close(po[1]);
		return -errno;
	}
	pid = fork();
	if (pid == 0)
		ask_child(argv, query, uid, gid, po[1], pe[1]);
	close(po[1]);
	close(pe[1]);
	if (pid < 0) {
		close(po[0]);
		close(pe[0]);
		return -errno;
	}
	for (int open_fds = 2; open_fds > 0; ) {
		struct pollfd fds[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
		int left = (int)(until - time(NULL));

		if (left <= 0 || poll(fds, 2, left * 1000) <= 0) {
			kill(pid, SIGKILL);
			snprintf(why, why_size, "it did not answer in %d seconds", ASK_SECONDS);
			rc = -ETIMEDOUT;
			break;
		}
		for (int i = 0; i < 2; i++) {
			char tmp[4096], *buf = i ? errbuf : out;
			size_t *n = i ? &ne : &no, cap = i ? sizeof(errbuf) : size;
			ssize_t r;

			if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)) || fds[i].fd < 0)
				continue;
			r = read(fds[i].fd, tmp, sizeof(tmp));
			if (r <= 0) {
				close(i ? pe[0] : po[0]);
				*(i ? &pe[0] : &po[0]) = -1;
				open_fds--;
				continue;
			}
			if (*n + 1 < cap) {
				size_t k = (size_t)r < cap - 1 - *n ? (size_t)r : cap - 1 - *n;

				memcpy(buf + *n, tmp, k);
				*n += k;
				buf[*n] = 0;
			}
		}
	}
	if (po[0] >= 0)
		close(po[0]);
	if (pe[0] >= 0)
		close(pe[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		errbuf[strcspn(errbuf, "\n")] = 0;
		snprintf(why, why_size, "it exited with %s %d%s%s",
			 WIFEXITED(status) ? "status" : "signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
			 errbuf[0] ? ": " : "", errbuf);
		rc = -EIO;
	}
	return rc;
}

int app_ask(const char *const *argv, const char *owner, char *out, size_t size, char *why,
	    size_t why_size)
{
	uid_t uid = 0;
	gid_t gid = 0;
	int rc = ask_who(owner, &uid, &gid, why, why_size);

	if (rc < 0)
		return rc;
	return ask_run(argv, false, uid, gid, out, size, why, why_size);
}

int app_query(const char *const *argv, char *out, size_t size, char *why, size_t why_size)
{
	return ask_run(argv, true, geteuid(), getegid(), out, size, why, why_size);
}
