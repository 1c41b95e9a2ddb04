// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hpdiag-trace.c - libhpdiag-trace.so, preloaded into the application by
 * `hpdiag exec`.  It watches the calls a hugepage user makes to get its
 * memory (mmap, munmap, open/openat, ftruncate, fallocate, memfd_create,
 * shmget) and, at the first that fails as a memory setup fails - or at a
 * SIGBUS - records in the record hpdiag shares (trace.h) the call, its
 * arguments and the counters of that instant, read inside the process.
 * Each exec call (execve, execv, execvp, execvpe) notes the program it
 * starts and its limits, so that a program that dies before it runs -
 * refused by the kernel or the loader - is told from one that failed.
 *
 * It never changes what a call returns or errno.  A call that succeeds
 * costs one branch and one counter increment: no allocation, no lock.  The
 * failure path uses only system calls and buffers on the stack, so it is
 * safe in a signal handler and in a process short of memory or fds.  With
 * HPDIAG_TRACE unset (or the process setuid: secure_getenv) it does nothing.
 * reader.c reads the counters.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/magic.h>

#include "trace/reader.h"
#include "trace/trace.h"

#define EXPORT __attribute__((visibility("default")))
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

static struct trace_record *rec;

static void *(*real_mmap)(void *, size_t, int, int, int, off_t);
static int (*real_munmap)(void *, size_t);
static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_ftruncate)(int, off_t);
static int (*real_fallocate)(int, int, off_t, off_t);
static int (*real_memfd_create)(const char *, unsigned);
static int (*real_shmget)(key_t, size_t, int);
static int (*real_execve)(const char *, char *const[], char *const[]);
static int (*real_execv)(const char *, char *const[]);
static int (*real_execvp)(const char *, char *const[]);
static int (*real_execvpe)(const char *, char *const[], char *const[]);

extern char **environ;

/* Claims the record for the first failure; 0 when another got there first. */
static int claim(void)
{
	uint32_t zero = 0;

	__atomic_fetch_add(&rec->failures, 1, __ATOMIC_RELAXED);
	return __atomic_compare_exchange_n(&rec->failed, &zero, 2, 0,
					   __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

static void record(const char *call, const uint64_t *args, int nargs, int err,
		   int sig, int fd, const char *path, uint64_t flag_size)
{
	struct trace_failure *f = &rec->first;

	tr_cat3(f->call, sizeof(f->call), call, "", "");
	for (int i = 0; i < nargs && i < 6; i++)
		f->args[i] = args[i];
	f->nr_args = nargs;
	f->err = err;
	f->sig = sig;
	f->pid = (int32_t)syscall(SYS_getpid);
	if (path) {
		tr_cat3(f->path, sizeof(f->path), path, "", "");
	} else if (fd >= 0) {
		char link[40], num[24];
		long n;

		tr_u64_str((uint64_t)fd, num);
		tr_cat3(link, sizeof(link), "/proc/self/fd/", num, "");
		n = syscall(SYS_readlinkat, AT_FDCWD, link, f->path, sizeof(f->path) - 1);
		f->path[n > 0 ? n : 0] = '\0';
	}
	trace_take_counters(f, fd, flag_size);
	__atomic_store_n(&rec->failed, 1, __ATOMIC_RELEASE);
}

static int on_hugetlbfs(int fd)
{
	struct statfs sf;

	return fd >= 0 && syscall(SYS_fstatfs, fd, &sf) == 0 &&
	       (unsigned long)sf.f_type == HUGETLBFS_MAGIC;
}

/* The failure paths: decide whether this is a memory setup failure. */
static __attribute__((noinline)) void mmap_failed(void *addr, size_t len, int prot,
						  int flags, int fd, off_t off)
{
	int err = errno;
	uint64_t a[6] = { (uint64_t)(uintptr_t)addr, len, (uint64_t)prot,
			  (uint64_t)flags, (uint64_t)(int64_t)fd, (uint64_t)off };

	if ((err == ENOMEM || (err == EINVAL && ((flags & MAP_HUGETLB) || on_hugetlbfs(fd)))) &&
	    claim())
		record("mmap", a, 6, err, 0, (flags & MAP_ANONYMOUS) ? -1 : fd, NULL,
		       (flags & MAP_HUGETLB) && ((unsigned)flags >> MAP_HUGE_SHIFT) ?
		       (uint64_t)1 << (((unsigned)flags >> MAP_HUGE_SHIFT) & MAP_HUGE_MASK) : 0);
	errno = err;
}

static __attribute__((noinline)) void open_failed(const char *call, int dirfd,
						  const char *path, int flags)
{
	int err = errno;
	uint64_t a[3] = { (uint64_t)(int64_t)dirfd, (uint64_t)(uintptr_t)path,
			  (uint64_t)flags };

	if ((err == EMFILE || err == ENFILE || err == ENOSPC) && claim())
		record(call, a, 3, err, 0, -1, path, 0);
	errno = err;
}

static __attribute__((noinline)) void fd_call_failed(const char *call, int fd,
						     uint64_t x, uint64_t y)
{
	int err = errno;
	uint64_t a[3] = { (uint64_t)(int64_t)fd, x, y };

	if ((err == ENOMEM || err == ENOSPC || err == EINVAL) && on_hugetlbfs(fd) && claim())
		record(call, a, 3, err, 0, fd, NULL, 0);
	errno = err;
}

static __attribute__((noinline)) void create_failed(const char *call, uint64_t x,
						    uint64_t y, uint64_t z, int huge)
{
	int err = errno;
	uint64_t a[3] = { x, y, z };

	if (huge && claim())
		record(call, a, 3, err, 0, -1, NULL, 0);
	errno = err;
}

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	uint64_t a[1] = { (uint64_t)(uintptr_t)si->si_addr };

	(void)uc;
	if (rec && claim()) {
		rec->first.addr = a[0];
		record("fault", a, 1, 0, sig, -1, NULL, 0);
	}
	/* SA_RESETHAND: a fault happens again and kills, as it would have;
	 * a SIGBUS sent by kill() is sent again, to the default action. */
	if (si->si_code <= 0)
		syscall(SYS_tgkill, syscall(SYS_getpid), syscall(SYS_gettid), sig);
}

static void count(void)
{
	if (rec)
		__atomic_fetch_add(&rec->calls, 1, __ATOMIC_RELAXED);
}

/* ---- the calls ----------------------------------------------------------------- */

EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void *r = real_mmap ? real_mmap(addr, len, prot, flags, fd, off) :
		  (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);

	if (UNLIKELY(r == MAP_FAILED) && rec)
		mmap_failed(addr, len, prot, flags, fd, off);
	count();
	return r;
}

EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return mmap(addr, len, prot, flags, fd, off);
}

EXPORT int munmap(void *addr, size_t len)
{
	int r = real_munmap ? real_munmap(addr, len) : (int)syscall(SYS_munmap, addr, len);

	count();
	return r;
}

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ?
	       (mode_t)va_arg(ap, int) : 0;
}

EXPORT int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int r;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	r = real_open ? real_open(path, flags, mode) :
	    (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
	if (UNLIKELY(r < 0) && rec)
		open_failed("open", AT_FDCWD, path, flags);
	count();
	return r;
}

EXPORT int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return open(path, flags, mode);
}

EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	int r;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	r = real_openat ? real_openat(dirfd, path, flags, mode) :
	    (int)syscall(SYS_openat, dirfd, path, flags, mode);
	if (UNLIKELY(r < 0) && rec)
		open_failed("openat", dirfd, path, flags);
	count();
	return r;
}

EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = mode_arg(flags, ap);
	va_end(ap);
	return openat(dirfd, path, flags, mode);
}

EXPORT int ftruncate(int fd, off_t len)
{
	int r = real_ftruncate ? real_ftruncate(fd, len) :
		(int)syscall(SYS_ftruncate, fd, len);

	if (UNLIKELY(r < 0) && rec)
		fd_call_failed("ftruncate", fd, (uint64_t)len, 0);
	count();
	return r;
}

EXPORT int ftruncate64(int fd, off_t len)
{
	return ftruncate(fd, len);
}

EXPORT int fallocate(int fd, int mode, off_t off, off_t len)
{
	int r = real_fallocate ? real_fallocate(fd, mode, off, len) :
		(int)syscall(SYS_fallocate, fd, mode, off, len);

	if (UNLIKELY(r < 0) && rec)
		fd_call_failed("fallocate", fd, (uint64_t)off, (uint64_t)len);
	count();
	return r;
}

EXPORT int fallocate64(int fd, int mode, off_t off, off_t len)
{
	return fallocate(fd, mode, off, len);
}

EXPORT int memfd_create(const char *name, unsigned flags)
{
	int r = real_memfd_create ? real_memfd_create(name, flags) :
		(int)syscall(SYS_memfd_create, name, flags);

	if (UNLIKELY(r < 0) && rec)
		create_failed("memfd_create", (uint64_t)(uintptr_t)name, flags, 0,
			      (flags & MFD_HUGETLB) != 0);
	count();
	return r;
}

EXPORT int shmget(key_t key, size_t size, int flags)
{
	int r = real_shmget ? real_shmget(key, size, flags) :
		(int)syscall(SYS_shmget, key, size, flags);

	if (UNLIKELY(r < 0) && rec)
		create_failed("shmget", (uint64_t)(int64_t)key, size, (uint64_t)flags,
			      (flags & SHM_HUGETLB) != 0);
	count();
	return r;
}

/* ---- exec: which program starts, with which limits --------------------------------- */

/* Whether ENV hands the record on: else the new image cannot report. */
static int env_traced(char *const *env)
{
	size_t kl = sizeof(TRACE_ENV) - 1;

	for (size_t i = 0; env && env[i]; i++)
		if (!strncmp(env[i], TRACE_ENV, kl) && env[i][kl] == '=')
			return 1;
	return 0;
}

/* Before the call: the program and the limits it will start with. */
static void exec_note(const char *path, char *const *env)
{
	struct trace_exec *x;

	if (!rec || !path)
		return;
	x = &rec->exec;
	__atomic_store_n(&x->pending, 0, __ATOMIC_RELEASE);
	tr_cat3(x->path, sizeof(x->path), path, "", "");
	x->rlim_data = tr_soft_limit(RLIMIT_DATA);
	x->rlim_as = tr_soft_limit(RLIMIT_AS);
	x->rlim_stack = tr_soft_limit(RLIMIT_STACK);
	x->pid = (int32_t)syscall(SYS_getpid);
	x->untraced = !env_traced(env);
	__atomic_fetch_add(&x->calls, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&x->pending, !x->untraced, __ATOMIC_RELEASE);
}

/* The call returned: it failed, and this image goes on. */
static void exec_back(void)
{
	if (rec && rec->exec.pid == (int32_t)syscall(SYS_getpid))
		__atomic_store_n(&rec->exec.pending, 0, __ATOMIC_RELEASE);
}

EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
	int r, err;

	exec_note(path, envp);
	r = real_execve ? real_execve(path, argv, envp) :
	    (int)syscall(SYS_execve, path, argv, envp);
	err = errno;
	exec_back();
	errno = err;
	return r;
}

EXPORT int execv(const char *path, char *const argv[])
{
	int r, err;

	exec_note(path, environ);
	r = real_execv ? real_execv(path, argv) :
	    (int)syscall(SYS_execve, path, argv, environ);
	err = errno;
	exec_back();
	errno = err;
	return r;
}

EXPORT int execvp(const char *file, char *const argv[])
{
	int r, err;

	exec_note(file, environ);
	if (!real_execvp) {
		errno = ENOSYS;
		return -1;
	}
	r = real_execvp(file, argv);
	err = errno;
	exec_back();
	errno = err;
	return r;
}

EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
	int r, err;

	exec_note(file, envp);
	if (!real_execvpe) {
		errno = ENOSYS;
		return -1;
	}
	r = real_execvpe(file, argv, envp);
	err = errno;
	exec_back();
	errno = err;
	return r;
}

/* ---- set-up ---------------------------------------------------------------------- */

static void store_max(uint64_t *where, uint64_t v)
{
	uint64_t cur = __atomic_load_n(where, __ATOMIC_RELAXED);

	while (v > cur && !__atomic_compare_exchange_n(where, &cur, v, 0,
						       __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/* At exit the counts of the end, for a program too quick to be sampled. */
__attribute__((destructor)) static void trace_fini(void)
{
	struct trace_failure scratch;
	char buf[4096];

	if (!rec)
		return;
	store_max(&rec->exit_vmas, tr_scan_maps(&scratch, 0));
	store_max(&rec->exit_fds, tr_count_fds());
	if (tr_read_small("/proc/self/status", buf, sizeof(buf)) > 0)
		store_max(&rec->exit_hugetlb_bytes, tr_field(buf, "HugetlbPages:", 1024));
}

#define RESOLVE(var, name) ((var) = (__typeof__(var))dlsym(RTLD_NEXT, (name)))

__attribute__((constructor)) static void trace_init(void)
{
	const char *path = secure_getenv(TRACE_ENV);
	struct trace_record *r;
	struct sigaction sa;
	int fd;

	RESOLVE(real_mmap, "mmap");
	RESOLVE(real_munmap, "munmap");
	RESOLVE(real_open, "open");
	RESOLVE(real_openat, "openat");
	RESOLVE(real_ftruncate, "ftruncate");
	RESOLVE(real_fallocate, "fallocate");
	RESOLVE(real_memfd_create, "memfd_create");
	RESOLVE(real_shmget, "shmget");
	RESOLVE(real_execve, "execve");
	RESOLVE(real_execv, "execv");
	RESOLVE(real_execvp, "execvp");
	RESOLVE(real_execvpe, "execvpe");
	if (!path || !*path)
		return;
	fd = tr_open(path, O_RDWR | O_NOFOLLOW);
	if (fd < 0)
		return;
	r = (void *)syscall(SYS_mmap, NULL, sizeof(*r), PROT_READ | PROT_WRITE,
			    MAP_SHARED, fd, 0);
	syscall(SYS_close, fd);
	if (r == MAP_FAILED || r->magic != TRACE_MAGIC || r->version != TRACE_VERSION)
		return;
	__atomic_fetch_add(&r->processes, 1, __ATOMIC_RELAXED);
	/* This image runs: the exec that started it is done. */
	if (r->exec.pid == 0 || r->exec.pid == (int32_t)syscall(SYS_getpid))
		__atomic_store_n(&r->exec.pending, 0, __ATOMIC_RELEASE);
	rec = r;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER;
	sigaction(SIGBUS, &sa, NULL);
}
