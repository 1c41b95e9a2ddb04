// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exec-run.c - runs the application for `hpdiag exec`: the shared record
 * (a small file in /dev/shm named in HPDIAG_TRACE), LD_PRELOAD of
 * libhpdiag-trace.so, pipes that pass its output through and keep a copy,
 * and a sample of its VMAs, fds and hugepages every EXEC_SAMPLE_MS from
 * /proc/PID, for the peaks.  Only this file starts the application.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <spawn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "act/exec.h"
#include "lib/elf.h"
#include "lib/live.h"
#include "lib/pathnames.h"
#include "lib/proc.h"

extern char **environ;

int exec_is_static(const char *path)
{
	struct elf_file e;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	rc = elf_read(fd, 4096, &e);
	close(fd);
	if (rc == 0)
		rc = e.interp ? 0 : 1;
	else if (rc == -ENOEXEC)
		rc = 0;		/* a script: its interpreter is dynamic */
	elf_file_free(&e);
	return rc;
}

int exec_resolve(const char *name, char *buf, size_t size)
{
	const char *path = getenv("PATH");

	if (strchr(name, '/')) {
		snprintf(buf, size, "%s", name);
		return access(buf, X_OK) == 0 ? 0 : -errno;
	}
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path; ; ) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		struct stat st;

		snprintf(buf, size, "%.*s%s%s", (int)len, p, len ? "/" : "", name);
		if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
			return 0;
		if (!end)
			break;
		p = end + 1;
	}
	return -ENOENT;
}

/* ---- sampling -------------------------------------------------------------------- */

static void sample(struct exec_result *r)
{
	struct proc_status st;
	char path[64];
	uint64_t v;

	/* Reading maps takes the process's mmap lock, which its own mmap
	 * calls wait for: count its VMAs on every tenth sample only. */
	if (r->samples % EXEC_MAPS_EVERY == 0) {
		v = live_count_lines(proc_path(path, sizeof(path), r->pid, PROC_MAPS));
		if (v > r->peak_vmas)
			r->peak_vmas = v;
	}
	v = live_count_entries(proc_path(path, sizeof(path), r->pid, PROC_FD));
	if (v > r->peak_fds)
		r->peak_fds = v;
	if (live_status(r->pid, &st) == 0 && st.hugetlb_bytes > r->peak_hugetlb_bytes)
		r->peak_hugetlb_bytes = st.hugetlb_bytes;
	r->samples++;
}

/* ---- running ------------------------------------------------------------------------ */

static volatile sig_atomic_t forward_sig;

static void on_stop(int sig)
{
	forward_sig = sig;
}

static int make_record(char *path, size_t size, struct trace_record **recp)
{
	const char *dirs[] = { "/dev/shm", getenv("TMPDIR"), "/tmp" };
	struct trace_record *rec;
	int fd = -1;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && fd < 0; i++) {
		if (!dirs[i] || !*dirs[i])
			continue;
		snprintf(path, size, "%s/hpdiag-trace.XXXXXX", dirs[i]);
		fd = mkostemp(path, O_CLOEXEC);
	}
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, sizeof(*rec)) < 0) {
		int err = errno;

		close(fd);
		unlink(path);
		return -err;
	}
	rec = mmap(NULL, sizeof(*rec), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (rec == MAP_FAILED) {
		unlink(path);
		return -ENOMEM;
	}
	memset(rec, 0, sizeof(*rec));
	rec->magic = TRACE_MAGIC;
	rec->version = TRACE_VERSION;
	*recp = rec;
	return 0;
}

static uint64_t soft_limit(int res)
{
	struct rlimit rl;

	return getrlimit(res, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX :
	       rl.rlim_cur;
}

/* The first exec is ours: the program and the limits it inherits; the
 * library in its image clears `pending` once it runs. */
static void note_spawn(struct trace_record *rec, const char *path)
{
	struct trace_exec *x = &rec->exec;

	snprintf(x->path, sizeof(x->path), "%s", path);
	x->rlim_data = soft_limit(RLIMIT_DATA);
	x->rlim_as = soft_limit(RLIMIT_AS);
	x->rlim_stack = soft_limit(RLIMIT_STACK);
	x->pid = 0;
	x->calls = 1;
	x->pending = 1;
}

/* The environment of the application: ours, with the library preloaded. */
static char **child_env(const char *lib, const char *record)
{
	size_t n = 0, k = 0;
	const char *old = getenv("LD_PRELOAD");
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 3, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11) &&
		    strncmp(environ[i], TRACE_ENV "=", sizeof(TRACE_ENV)))
			env[k++] = environ[i];
	if (asprintf(&env[k], "LD_PRELOAD=%s%s%s", lib, old && *old ? ":" : "",
		     old ? old : "") < 0) {
		free(env);
		return NULL;
	}
	if (asprintf(&env[k + 1], TRACE_ENV "=%s", record) < 0) {
		free(env[k]);
		free(env);
		return NULL;
	}
	return env;
}

static void keep(struct exec_result *r, const char *buf, size_t len)
{
	size_t room = EXEC_MAX_OUTPUT - r->output_len;
	char *nb;

	if (len > room) {
		len = room;
		r->output_truncated = true;
	}
	if (!len)
		return;
	nb = realloc(r->output, r->output_len + len + 1);
	if (!nb) {
		r->output_truncated = true;
		return;
	}
	r->output = nb;
	memcpy(r->output + r->output_len, buf, len);
	r->output_len += len;
	r->output[r->output_len] = '\0';
}

static void pass_on(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;		/* our own output went away: keep reading */
		buf += n;
		len -= (size_t)n;
	}
}

static double since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int exec_run(const struct exec_opts *o, struct exec_result *r, char *err, size_t errsz)
{
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t defaults;
	struct sigaction ign, old_int, old_quit;
	struct trace_record *rec = NULL;
	char record[PATH_MAX], **env = NULL;
	struct timespec t0, last = { 0, 0 };
	struct sigaction fwd, old_term, old_hup;
	struct rusage ru;
	int rc = 0, status = 0, child_err = 0;
	bool reaped = false;
	int idle = 0;

	memset(r, 0, sizeof(*r));
	memset(&ru, 0, sizeof(ru));
	rc = make_record(record, sizeof(record), &rec);
	if (rc < 0) {
		snprintf(err, errsz, "cannot create the trace record: %s", strerror(-rc));
		return rc;
	}
	if (rec)
		note_spawn(rec, o->path ? o->path : o->argv[0]);
	env = child_env(o->lib, record);
	if (!env || pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		rc = env ? -errno : -ENOMEM;
		snprintf(err, errsz, "cannot set up the command: %s", strerror(-rc));
		goto out;
	}
	/* As system(3): the terminal's ^C goes to the application. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	memset(&fwd, 0, sizeof(fwd));
	fwd.sa_handler = on_stop;
	sigaction(SIGTERM, &fwd, &old_term);
	sigaction(SIGHUP, &fwd, &old_hup);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* posix_spawn (vfork underneath): a DPDK application starts as fast
	 * as from a shell.  Signals hpdiag ignores only for the run go back to
	 * their default in the child; one ignored before stays ignored. */
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	sigemptyset(&defaults);
	if (old_int.sa_handler == SIG_DFL)
		sigaddset(&defaults, SIGINT);
	if (old_quit.sa_handler == SIG_DFL)
		sigaddset(&defaults, SIGQUIT);
	child_err = posix_spawn_file_actions_adddup2(&fa, outp[1], STDOUT_FILENO);
	if (!child_err)
		child_err = posix_spawn_file_actions_adddup2(&fa, errp[1], STDERR_FILENO);
	if (!child_err)
		child_err = posix_spawnattr_setsigdefault(&attr, &defaults);
	if (!child_err)
		child_err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
	if (!child_err)
		child_err = posix_spawnp(&r->pid, o->argv[0], &fa, &attr, o->argv, env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(outp[1]);
	close(errp[1]);
	outp[1] = errp[1] = -1;
	if (child_err) {
		rc = -child_err;
		snprintf(err, errsz, "cannot run '%s': %s", o->argv[0], strerror(child_err));
		goto restore;
	}
	for (;;) {
		struct pollfd pfd[2] = { { outp[0], POLLIN, 0 }, { errp[0], POLLIN, 0 } };
		char buf[65536];
		int n;

		if (!reaped && since(&last) * 1000 >= EXEC_SAMPLE_MS) {
			sample(r);
			clock_gettime(CLOCK_MONOTONIC, &last);
		}
		/* hpdiag was told to stop: so is the application (it would
		 * otherwise die of SIGPIPE at its next write). */
		if (forward_sig && !reaped) {
			kill(r->pid, forward_sig);
			forward_sig = 0;
		}
		if (outp[0] < 0 && errp[0] < 0) {
			if (reaped)
				break;
			if (wait4(r->pid, &status, 0, &ru) == r->pid)
				reaped = true;
			continue;
		}
		n = poll(pfd, 2, EXEC_SAMPLE_MS);
		if (n < 0 && errno != EINTR) {
			/* Cannot watch the pipes: wait for the end. */
			if (!reaped)
				wait4(r->pid, &status, 0, &ru);
			break;
		}
		/* Gone, but something it started holds its output open. */
		if (reaped && n == 0 && ++idle >= 10)
			break;
		for (int i = 0; i < 2 && n > 0; i++) {
			int *fd = i ? &errp[0] : &outp[0];
			ssize_t got;

			if (*fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			got = read(*fd, buf, sizeof(buf));
			if (got > 0) {
				int to = i ? o->err_fd : o->out_fd;

				pass_on(to, buf, (size_t)got);
				keep(r, buf, (size_t)got);
				if (to == STDOUT_FILENO)
					r->out_mid_line = buf[got - 1] != '\n';
			} else if (got == 0 || errno != EINTR) {
				close(*fd);
				*fd = -1;
			}
		}
		if (!reaped && wait4(r->pid, &status, WNOHANG, &ru) == r->pid)
			reaped = true;
	}
	r->seconds = since(&t0);
	r->cpu_seconds = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
			 (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	r->exited = WIFEXITED(status);
	r->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	r->sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	if (rec)
		memcpy(&r->rec, rec, sizeof(r->rec));
	r->traced = r->rec.processes > 0;
	/* Counted inside at exit: a quick program ends before a sample. */
	if (r->rec.exit_vmas > r->peak_vmas)
		r->peak_vmas = r->rec.exit_vmas;
	if (r->rec.exit_fds > r->peak_fds)
		r->peak_fds = r->rec.exit_fds;
	if (r->rec.exit_hugetlb_bytes > r->peak_hugetlb_bytes)
		r->peak_hugetlb_bytes = r->rec.exit_hugetlb_bytes;
	/* The instant of a failure is a sample too, taken inside. */
	if (r->rec.failed) {
		const struct trace_counters *c = &r->rec.first.at;

		if (c->vmas > r->peak_vmas)
			r->peak_vmas = c->vmas;
		if (c->fds > r->peak_fds)
			r->peak_fds = c->fds;
		if (c->hugetlb_bytes > r->peak_hugetlb_bytes)
			r->peak_hugetlb_bytes = c->hugetlb_bytes;
	}
	if (r->rec.failed == 2)
		r->rec.failed = 1;	/* died while writing it: what is there */
restore:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
out:
	for (int i = 0; i < 2; i++) {
		if (outp[i] >= 0)
			close(outp[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	if (env) {
		size_t n = 0;

		while (env[n])
			n++;
		/* The last two are ours. */
		for (size_t i = n >= 2 ? n - 2 : 0; i < n; i++)
			free(env[i]);
		free(env);
	}
	if (rec)
		munmap(rec, sizeof(*rec));
	unlink(record);
	return rc;
}

void exec_result_free(struct exec_result *r)
{
	free(r->output);
	r->output = NULL;
}
