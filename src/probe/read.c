// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * read.c - how the probes read: through the rooted reader, and when a file
 * they need is missing or malformed they say so once, naming the file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/proc.h"
#include "probe/probe.h"

int probe_fail(struct probe *p, int code, const char *path, const char *fmt, ...)
{
	char what[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return hp_fail(&p->err, code, "%s%s: %s", p->sr->root, path, what);
}

int probe_fail_io(struct probe *p, int rc, const char *path)
{
	switch (-rc) {
	case ENOENT:
		return probe_fail(p, ENOENT, path, "missing");
	case ELOOP:
	case EXDEV:
		return probe_fail(p, ELOOP, path,
				  "symbolic link loops or leads outside the sysroot");
	case EISDIR:
		return probe_fail(p, EISDIR, path, "is a directory, expected a file");
	case ENOTDIR:
		return probe_fail(p, ENOTDIR, path, "not a directory");
	case HP_ENOTREG:
	case HP_EBINARY:
	case HP_ETOOBIG:
		return probe_fail(p, -rc, path, "%s", hp_strerror(rc));
	default:
		return probe_fail(p, -rc, path, "cannot read: %s", hp_strerror(rc));
	}
}

int probe_read(struct probe *p, const char *path, bool required, char **buf,
	       size_t *len)
{
	int rc = sysroot_read(p->sr, path, buf, len);

	if (rc == -ENOENT && !required)
		return rc;
	return rc < 0 ? probe_fail_io(p, rc, path) : 0;
}

int probe_u64(struct probe *p, const char *path, bool required, uint64_t *val)
{
	char word[64];
	int rc = sysroot_read_u64(p->sr, path, val, word, sizeof(word));

	if (rc == -ENOENT && !required)
		return rc;
	if (rc == -ERANGE)
		return probe_fail(p, ERANGE, path, "number out of range: '%s'", word);
	if (rc == -EINVAL)
		return probe_fail(p, EINVAL, path, "not a number: '%s'",
				  word[0] ? word : "(empty)");
	return rc < 0 ? probe_fail_io(p, rc, path) : 0;
}

int probe_list(struct probe *p, const char *dir, char ***names, size_t *n)
{
	int rc = sysroot_list(p->sr, dir, names, n);

	if (rc == -ENOENT)
		return rc;
	return rc < 0 ? probe_fail_io(p, rc, dir) : 0;
}

struct lines_call {
	int (*fn)(const char *line, size_t len, void *ctx);
	void *ctx;
	int rc;
};

static int lines_call(const char *line, size_t len, void *arg)
{
	struct lines_call *c = arg;

	c->rc = c->fn(line, len, c->ctx);
	return c->rc;
}

int probe_lines(struct probe *p, const char *path,
		int (*fn)(const char *line, size_t len, void *ctx), void *ctx)
{
	struct lines_call c = { .fn = fn, .ctx = ctx };
	int rc = sysroot_lines(p->sr, path, lines_call, &c);

	/* An error of FN is its own: it named the file, or ran out of memory. */
	if (rc == -ENOENT || c.rc)
		return rc;
	return rc < 0 ? probe_fail_io(p, rc, path) : 0;
}


int probe_guard(struct probe *p, const struct proc_guard *g)
{
	char dir[32];

	if (proc_guard_holds(p->sr, g))
		return 0;
	return probe_fail(p, ESRCH, proc_path(dir, sizeof(dir), g->pid, ""),
			  "the process exited while hpdiag read it (the PID may "
			  "now name another process)");
}
