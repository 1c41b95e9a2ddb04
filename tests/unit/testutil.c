// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * testutil.c - helpers shared by the unit tests (see testutil.h).
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

int load_fixture(const char *name, unsigned what, struct snapshot *snap,
		 char *err, size_t errsz)
{
	struct sysroot sr;
	struct probe p = { .sr = &sr };
	char dir[4096];
	int rc;

	if (name[0] == '/')
		snprintf(dir, sizeof(dir), "%s", name);
	else
		snprintf(dir, sizeof(dir), "%s/%s", FIXTURES, name);
	rc = sysroot_init(&sr, dir);
	if (rc == 0) {
		rc = probe_snapshot(&p, what, 0, snap);
	} else {
		memset(snap, 0, sizeof(*snap));
		hp_fail(&p.err, -rc, "%s: cannot open sysroot: %s", dir, strerror(-rc));
	}
	if (err && errsz)
		snprintf(err, errsz, "%s", p.err.msg);
	sysroot_release(&sr);
	return rc;
}

void diagnose_fixture(const char *name, const struct workload *wl,
		      struct snapshot *snap, struct need *need,
		      struct findings *fs)
{
	char err[1024];
	int rc;

	rc = load_fixture(name, PROBE_ALL, snap, err, sizeof(err));
	ck_assert_msg(rc == 0, "probe of %s failed: %s", name, err);
	ck_assert_int_eq(need_compute(snap, wl, need), 0);
	ck_assert_int_eq(diagnose_check(snap, need, fs), 0);
}

const struct finding *fget(const struct findings *fs, const char *check)
{
	enum check c;

	ck_assert_msg(check_parse(check, &c) == 0, "no check named %s", check);
	return findings_get(fs, c);
}

const char *cname(enum cause c)
{
	return c == CAUSE_NONE ? "" : cause_name(c);
}

const char *cause_of(const struct findings *fs, const char *check)
{
	const struct finding *f = fget(fs, check);

	return f ? cname(f->cause) : NULL;
}

int status_of(const struct findings *fs, const char *check)
{
	const struct finding *f = fget(fs, check);

	return f ? (int)f->status : -1;
}

uint64_t evidence_num(const struct findings *fs, const char *check,
		      const char *key)
{
	const struct evidence *e = finding_evidence(fget(fs, check), key);

	ck_assert_msg(e && e->type == EV_NUM, "no numeric evidence %s in %s",
		      key, check);
	return e->num;
}

void write_file(const char *dir, const char *file, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	for (char *p = strchr(path + strlen(dir) + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

char *copy_fixture(const char *name)
{
	char tmpl[] = "/tmp/hpdiag-unit-XXXXXX", src[4096];
	char *dir = mkdtemp(tmpl);
	pid_t pid;
	int status;

	ck_assert(dir != NULL);
	snprintf(src, sizeof(src), "%s/%s/.", FIXTURES, name);
	pid = fork();
	if (pid == 0) {
		execlp("cp", "cp", "-a", src, dir, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return strdup(dir);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void remove_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

void done_fixture(struct snapshot *snap, struct findings *fs)
{
	findings_free(fs);
	snapshot_free(snap);
}

const char *remedy_text(const struct finding *f)
{
	static char buf[8192];
	size_t l = 0;

	buf[0] = '\0';
	for (size_t i = 0; f && i < f->remedy.nr_commands && l < sizeof(buf); i++)
		l += (size_t)snprintf(buf + l, sizeof(buf) - l, "%s%s", i ? " ; " : "",
				      f->remedy.commands[i]);
	if (f && f->remedy.note && l < sizeof(buf))
		snprintf(buf + l, sizeof(buf) - l, "%s%s", l ? " # " : "# ", f->remedy.note);
	return buf;
}

char *test_log(const char *name)
{
	char path[4096];
	static char buf[1 << 17];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/../logs/%s", FIXTURES, name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}
