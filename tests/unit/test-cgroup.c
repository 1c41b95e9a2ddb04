// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test-cgroup.c - cgroups from fixture trees: /proc/PID/cgroup and events
 * parsed; the hugetlb and memory controllers each on its hierarchy (v1, v2,
 * a hybrid host); the level with the least room up to the root; reservation
 * limits; a container's view, a pod's from its node and --cgroup; the rule's
 * fault-time or reservation answer and its remedy (a file, or a pod's
 * resource); trial's and exec's failures told by the cgroup's refusals; a
 * SIGBUS line explained by the cgroup.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "diagnose/explain.h"
#include "diagnose/failure.h"

/* Probes fixture NAME for PID with --cgroup CG (NULL: none). */
static int probe_cg(const char *name, pid_t pid, const char *cg, struct snapshot *snap,
		    char *err, size_t errsz)
{
	struct sysroot sr;
	struct probe p = { .sr = &sr, .cgroup = cg };
	char dir[4096];
	int rc;

	snprintf(dir, sizeof(dir), "%s/%s", FIXTURES, name);
	ck_assert_int_eq(sysroot_init(&sr, dir), 0);
	rc = probe_snapshot(&p, PROBE_ALL, pid, snap);
	snprintf(err, errsz, "%s", p.err.msg);
	sysroot_release(&sr);
	return rc;
}

/* The check of WL on SNAP. */
static void check_on(const struct snapshot *snap, const struct workload *wl,
		     struct need *need, struct findings *fs)
{
	ck_assert_int_eq(need_compute(snap, wl, need), 0);
	ck_assert_int_eq(diagnose_check(snap, need, fs), 0);
}

/* Whether NEEDLE is in one of F's remedy commands or in its note. */
static bool remedy_has(const struct finding *f, const char *needle)
{
	for (size_t i = 0; i < f->remedy.nr_commands; i++)
		if (strstr(f->remedy.commands[i], needle))
			return true;
	return f->remedy.note && strstr(f->remedy.note, needle);
}

static const char *evstr(const struct finding *f, const char *key)
{
	const struct evidence *e = finding_evidence(f, key);

	return e && e->type == EV_STR ? e->str : NULL;
}

START_TEST(parse_proc_cgroup)
{
	char v2[256], path[256];

	ck_assert_int_eq(parse_cgroup_file("12:hugetlb:/kubepods/pod1/c\n"
					   "4:cpu,cpuacct:/x\n1:name=systemd:/y\n"
					   "0::/user.slice\n", "hugetlb", v2, sizeof(v2),
					   path, sizeof(path)), 0);
	ck_assert_str_eq(v2, "/user.slice");
	ck_assert_str_eq(path, "/kubepods/pod1/c");
	/* A controller is a whole word of the list. */
	ck_assert_int_eq(parse_cgroup_file("4:cpu,cpuacct:/x\n", "cpu", v2,
					   sizeof(v2), path, sizeof(path)), 0);
	ck_assert_str_eq(path, "/x");
	ck_assert_int_eq(parse_cgroup_file("4:cpuacct:/x\n", "cpu", v2,
					   sizeof(v2), path, sizeof(path)), 0);
	ck_assert_str_eq(path, "");
	ck_assert_str_eq(v2, "");
	/* A path with a colon in it stays whole. */
	ck_assert_int_eq(parse_cgroup_file("0::/a:b\n", NULL, v2, sizeof(v2),
					   path, sizeof(path)), 0);
	ck_assert_str_eq(v2, "/a:b");
	ck_assert_int_eq(parse_cgroup_file("garbage\n", NULL, v2, sizeof(v2),
					   path, sizeof(path)), -EINVAL);
	ck_assert_int_eq(parse_cgroup_file("0::relative\n", NULL, v2, sizeof(v2),
					   path, sizeof(path)), -EINVAL);
	ck_assert_int_eq(parse_cgroup_file("0::/toolong\n", NULL, v2, 4, path,
					   sizeof(path)), -ENAMETOOLONG);
}
END_TEST

START_TEST(parse_events)
{
	uint64_t v = 0;

	ck_assert_int_eq(parse_cgroup_events("max 10\n", "max", &v), 0);
	ck_assert_uint_eq(v, 10);
	ck_assert_int_eq(parse_cgroup_events("low 3\nmax 7", "max", &v), 0);
	ck_assert_uint_eq(v, 7);
	ck_assert_int_eq(parse_cgroup_events("maximum 3\n", "max", &v), -EINVAL);
	ck_assert_int_eq(parse_cgroup_events("max x\n", "max", &v), -EINVAL);
	ck_assert_int_eq(parse_cgroup_events("max \n", "max", &v), -EINVAL);
	ck_assert_int_eq(parse_cgroup_events("", "max", &v), -EINVAL);
}
END_TEST

/* Issue 14, item 9: the v1 memory limit of a hybrid host, and which
 * hierarchy each limit comes from. */
START_TEST(hybrid_host)
{
	struct snapshot snap;
	const struct cgroup_limit *cl;
	bool mem = false, user = false;
	char err[1024];

	ck_assert_int_eq(probe_cg("hybrid", 0, NULL, &snap, err, sizeof(err)), 0);
	ck_assert_int_eq(snap.cg.version, 2);
	ck_assert_str_eq(snap.cg.path, "/hpdiag-demo");
	ck_assert_int_eq(snap.cg.memory_version, 1);
	ck_assert_str_eq(snap.cg.memory_path, "/process_api/demo");
	ck_assert(!snap.cg.container && !snap.cg.pod && !snap.cg.given);
	cl = cgroup_limit_of(&snap.cg, 2 << 20);
	ck_assert_ptr_nonnull(cl);
	ck_assert_int_eq(cl->version, 2);
	ck_assert_uint_eq(cl->limit, 64 << 20);
	ck_assert_str_eq(cl->cgroup, "/hpdiag-demo");
	ck_assert_ptr_nonnull(strstr(cl->file, "unified/hpdiag-demo/hugetlb.2MB.max"));
	ck_assert_uint_eq(cl->rsvd_limit, HP_UNLIMITED);
	ck_assert(cl->have_hits);
	ck_assert_uint_eq(cl->hits, 10);
	for (size_t i = 0; i < snap.cg.nr_limits; i++)
		if (!snap.cg.limits[i].page_size) {
			mem = true;
			ck_assert_int_eq(snap.cg.limits[i].version, 1);
			ck_assert_uint_eq(snap.cg.limits[i].limit, 8ULL << 30);
			ck_assert_ptr_nonnull(strstr(snap.cg.limits[i].file,
						     "memory/process_api/demo/memory.limit_in_bytes"));
		}
	ck_assert(mem);
	/* Process 5000 holds hugepages in the same cgroup: the stat says so. */
	for (size_t i = 0; i < snap.cg.nr_stats; i++)
		if (snap.cg.stats[i].user == 5000)
			user = true;
	ck_assert(user);
	snapshot_free(&snap);
}
END_TEST

START_TEST(given_cgroup)
{
	struct snapshot snap;
	const struct cgroup_limit *cl;
	char err[1024];
	const char *forms[] = { "/hpdiag-rsvd", "/sys/fs/cgroup/unified/hpdiag-rsvd",
				"/hpdiag-rsvd/" };

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		ck_assert_int_eq(probe_cg("hybrid", 0, forms[i], &snap, err, sizeof(err)), 0);
		ck_assert(snap.cg.given);
		ck_assert_str_eq(snap.cg.path, "/hpdiag-rsvd");
		cl = cgroup_limit_of(&snap.cg, 2 << 20);
		ck_assert_ptr_nonnull(cl);
		ck_assert_uint_eq(cl->limit, HP_UNLIMITED);
		ck_assert_uint_eq(cl->rsvd_limit, 64 << 20);
		ck_assert_ptr_nonnull(strstr(cl->rsvd_file, "hpdiag-rsvd/hugetlb.2MB.rsvd.max"));
		/* The users' cgroups are read too: 5000's. */
		ck_assert_uint_ge(snap.cg.nr_stats, 3);
		snapshot_free(&snap);
	}
	ck_assert_int_lt(probe_cg("hybrid", 0, "/nonexistent", &snap, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "--cgroup /nonexistent: no such cgroup"));
	snapshot_free(&snap);
}
END_TEST

/* A cgroup v1 pod from its node: the pod-level limit binds its container. */
START_TEST(v1_pod_from_the_node)
{
	struct workload wl = { .mem_bytes = 512ULL << 20, .have_mem = true, .pid = 4242 };
	struct snapshot snap;
	struct findings fs;
	struct need need;
	const struct cgroup_limit *cl;
	const struct finding *f;
	char err[1024];

	ck_assert_int_eq(probe_cg("v1-pod", 4242, NULL, &snap, err, sizeof(err)), 0);
	ck_assert_int_eq(snap.cg.version, 1);
	ck_assert_str_eq(snap.cg.path, "/kubepods/pod1234/abcd");
	ck_assert(snap.cg.pod && !snap.cg.container);
	cl = cgroup_limit_of(&snap.cg, 2 << 20);
	ck_assert_uint_eq(cl->limit, 256 << 20);
	ck_assert_str_eq(cl->cgroup, "/kubepods/pod1234");
	ck_assert_uint_eq(cl->hits, 3);		/* v1: failcnt summed up the path */
	/* The container's own mounts, not the node's. */
	ck_assert_uint_eq(snap.nr_mounts, 1);
	ck_assert_str_eq(snap.mounts[0].path, "/dev/hugepages");
	check_on(&snap, &wl, &need, &fs);
	f = fget(&fs, "cgroup_hugetlb");
	ck_assert_int_eq(f->status, HP_FAIL);
	ck_assert_ptr_nonnull(strstr(f->message, "the pod may use 128 of the node's 700"));
	ck_assert(remedy_has(f, "resources.limits.hugepages-2Mi: 512Mi"));
	ck_assert(!remedy_has(f, "nr_hugepages ="));
	ck_assert_str_eq(evstr(f, "charged_at"), "fault");
	findings_free(&fs);
	snapshot_free(&snap);
}
END_TEST

/* Inside a v2 pod: the top of /sys/fs/cgroup is the pod's cgroup. */
START_TEST(inside_a_pod)
{
	struct workload wl = { .mem_bytes = 128ULL << 20, .have_mem = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;
	const struct finding *f;

	diagnose_fixture("pod-v2", &wl, &snap, &need, &fs);
	ck_assert(snap.cg.container && snap.cg.pod);
	ck_assert_uint_eq(cgroup_limit_of(&snap.cg, 1ULL << 30)->limit, 0);
	f = fget(&fs, "cgroup_hugetlb");
	ck_assert_int_eq(f->status, HP_PASS);
	ck_assert_ptr_nonnull(strstr(f->message, "the pod may use 128 of the node's 700 free"));
	done_fixture(&snap, &fs);
	/* The size the pod did not ask for is limited to nothing. */
	wl.mem_bytes = 0;
	wl.have_mem = false;
	wl.pages = 1;
	wl.have_pages = true;
	wl.page_size = 1ULL << 30;
	ck_assert_int_eq(load_fixture("pod-v2", PROBE_ALL, &snap, NULL, 0), 0);
	check_on(&snap, &wl, &need, &fs);
	f = fget(&fs, "cgroup_hugetlb");
	ck_assert_int_eq(f->status, HP_FAIL);
	ck_assert(remedy_has(f, "hugepages-1Gi: 1Gi"));
	done_fixture(&snap, &fs);
}
END_TEST

START_TEST(fault_or_reservation)
{
	struct workload wl = { .mem_bytes = 256ULL << 20, .have_mem = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;
	const struct finding *f;
	char err[1024];

	diagnose_fixture("hybrid", &wl, &snap, &need, &fs);
	f = fget(&fs, "cgroup_hugetlb");
	ck_assert_int_eq(f->status, HP_FAIL);
	ck_assert(f->first);
	ck_assert_str_eq(evstr(f, "charged_at"), "fault");
	ck_assert_uint_eq(evidence_num(&fs, "cgroup_hugetlb", "pages_allowed"), 32);
	ck_assert_ptr_nonnull(strstr(f->message, "raises SIGBUS"));
	ck_assert_uint_eq(f->remedy.nr_commands, 1);
	ck_assert_str_eq(f->remedy.commands[0],
			 "echo 268435456 > /sys/fs/cgroup/unified/hpdiag-demo/hugetlb.2MB.max");
	done_fixture(&snap, &fs);
	/* 24 pages fit the 32 the limit leaves. */
	wl.mem_bytes = 48ULL << 20;
	diagnose_fixture("hybrid", &wl, &snap, &need, &fs);
	ck_assert_int_eq(status_of(&fs, "cgroup_hugetlb"), HP_PASS);
	done_fixture(&snap, &fs);
	/* A reservation limit: ENOMEM at mmap; PostgreSQL refuses to start. */
	wl.mem_bytes = 0;
	wl.have_mem = false;
	wl.pages = 72;
	wl.have_pages = true;
	wl.mode = MODE_ANON;
	wl.have_mode = true;
	ck_assert_int_eq(probe_cg("hybrid", 0, "/hpdiag-rsvd", &snap, err, sizeof(err)), 0);
	check_on(&snap, &wl, &need, &fs);
	f = fget(&fs, "cgroup_hugetlb");
	ck_assert_int_eq(f->status, HP_FAIL);
	ck_assert_str_eq(evstr(f, "charged_at"), "reservation");
	ck_assert_ptr_nonnull(strstr(f->message, "PostgreSQL refuses to start"));
	ck_assert(remedy_has(f, "hugetlb.2MB.rsvd.max"));
	done_fixture(&snap, &fs);
}
END_TEST

/* Both a parent's and the cgroup's own limit are short: both are raised. */
START_TEST(every_short_level)
{
	struct workload wl = { .mem_bytes = 256ULL << 20, .have_mem = true };
	char *tree = copy_fixture("hybrid");
	struct snapshot snap;
	struct findings fs;
	struct need need;
	const struct finding *f;

	write_file(tree, "proc/self/cgroup", "4:memory:/process_api/demo\n0::/app/svc\n");
	write_file(tree, "sys/fs/cgroup/unified/app/hugetlb.2MB.max", "100663296\n");
	write_file(tree, "sys/fs/cgroup/unified/app/hugetlb.2MB.current", "67108864\n");
	write_file(tree, "sys/fs/cgroup/unified/app/svc/hugetlb.2MB.max", "67108864\n");
	write_file(tree, "sys/fs/cgroup/unified/app/svc/hugetlb.2MB.current", "0\n");
	write_file(tree, "sys/fs/cgroup/unified/app/svc/hugetlb.2MB.events", "max 2\n");
	diagnose_fixture(tree, &wl, &snap, &need, &fs);
	f = fget(&fs, "cgroup_hugetlb");
	/* /app leaves 32 MiB (64 used by its other children), /app/svc 64. */
	ck_assert_str_eq(evstr(f, "cgroup"), "/app");
	ck_assert_uint_eq(evidence_num(&fs, "cgroup_hugetlb", "pages_allowed"), 16);
	/* One command per short level. */
	ck_assert_uint_eq(f->remedy.nr_commands, 2);
	ck_assert(remedy_has(f, "echo 268435456 > "));
	ck_assert(remedy_has(f, "unified/app/svc/hugetlb.2MB.max"));
	ck_assert(remedy_has(f, "echo 335544320 > "));
	done_fixture(&snap, &fs);
	/* A malformed limit file is named, not guessed. */
	write_file(tree, "sys/fs/cgroup/unified/app/hugetlb.2MB.max", "lots\n");
	{
		char err[1024];

		ck_assert_int_lt(load_fixture(tree, PROBE_ALL, &snap, err, sizeof(err)), 0);
		ck_assert_ptr_nonnull(strstr(err, "app/hugetlb.2MB.max: not a number: 'lots'"));
		snapshot_free(&snap);
	}
	remove_tree(tree);
	free(tree);
}
END_TEST

static struct trace_failure failure(const char *call, int err, int sig)
{
	struct trace_failure f;

	memset(&f, 0, sizeof(f));
	snprintf(f.call, sizeof(f.call), "%s", call);
	f.err = err;
	f.sig = sig;
	f.at.vmas = 1100;
	f.at.max_map_count = 65530;
	f.at.free_pages = 300;
	f.at.node = -1;
	f.at.quota_free = UINT64_MAX;
	f.at.rlim_as = f.at.rlim_data = f.at.rlim_nofile = f.at.rlim_memlock = UINT64_MAX;
	f.at.cg_usage = f.at.cg_rsvd_usage = UINT64_MAX;
	return f;
}

START_TEST(failures_told_by_the_cgroup)
{
	struct workload wl = { .mem_bytes = 256ULL << 20, .have_mem = true };
	struct snapshot snap;
	struct findings fs;
	struct need need;
	struct trace_failure f;
	struct exec_result x;
	char err[1024];

	/* No limit on this host's cgroup: an ENOMEM is not the cgroup's,
	 * unless the cgroup counted refusals while it ran. */
	diagnose_fixture("this-host", &wl, &snap, &need, &fs);
	f = failure("mmap", ENOMEM, 0);
	ck_assert_str_ne(cname(failure_cause(&f, &snap, &need)), "cgroup_hugetlb_limit");
	f.at.cg_hits = 5;
	ck_assert_str_eq(cname(failure_cause(&f, &snap, &need)), "cgroup_hugetlb_limit");
	f = failure("fault", 0, SIGBUS);
	f.at.cg_hits = 1;
	ck_assert_str_eq(cname(failure_cause(&f, &snap, &need)), "cgroup_hugetlb_limit");
	/* exec: DPDK caught the SIGBUS, no call failed, the cgroup counted. */
	memset(&x, 0, sizeof(x));
	x.exited = true;
	x.exit_status = 255;
	ck_assert_str_eq(cname(exec_cause(&x, &snap, &need)), "");
	x.cg_hits = 10;
	ck_assert_str_eq(cname(exec_cause(&x, &snap, &need)), "cgroup_hugetlb_limit");
	x.exit_status = 0;
	ck_assert_str_eq(cname(exec_cause(&x, &snap, &need)), "");
	done_fixture(&snap, &fs);
	/* A reservation limit: the reservations at the failure say it. */
	ck_assert_int_eq(probe_cg("hybrid", 0, "/hpdiag-rsvd", &snap, err, sizeof(err)), 0);
	check_on(&snap, &wl, &need, &fs);
	f = failure("mmap", ENOMEM, 0);
	f.at.cg_rsvd_usage = 64 << 20;
	ck_assert_str_eq(cname(failure_cause(&f, &snap, &need)), "cgroup_hugetlb_limit");
	f.at.cg_rsvd_usage = 0;
	ck_assert_str_ne(cname(failure_cause(&f, &snap, &need)), "cgroup_hugetlb_limit");
	{
		struct trial_result r;
		struct findings out = { 0 };
		const struct finding *t;

		memset(&r, 0, sizeof(r));
		r.failed = true;
		r.requested = r.peak_pages = 128;
		r.mapped = r.page = 32;
		r.fail = failure("mmap", ENOMEM, 0);
		r.fail.at.cg_rsvd_usage = 64 << 20;
		r.fail.at.page_size = 2 << 20;
		ck_assert_int_eq(trial_findings(&r, &snap, &need, &fs, &out), 0);
		t = fget(&out, "trial");
		ck_assert_str_eq(cname(t->cause), "cgroup_hugetlb_limit");
		ck_assert_ptr_nonnull(strstr(t->message, "reserved of its 64 MiB reservation limit"));
		ck_assert(remedy_has(t, "rsvd.max"));
		findings_free(&out);
	}
	done_fixture(&snap, &fs);
}
END_TEST

/* A SIGBUS line with --cgroup: the cgroup's limit and usage as evidence
 * (explain's reasoning, on the cgroup this probe reads). */
START_TEST(explain_bus_error)
{
	const char *log =
		"2026-12-02 16:41:36.092 UTC [30] LOG:  server process (PID 31) was "
		"terminated by signal 7: Bus error\n";
	struct workload wl = { 0 };
	struct snapshot snap;
	struct findings fs, out = { 0 };
	struct need need;
	struct explain ex;
	const struct finding *f;
	char err[1024];

	ck_assert_int_eq(explain_parse(log, &ex), 0);
	workload_merge(&wl, &ex.hint);
	ck_assert_int_eq(probe_cg("hybrid", 0, "/hpdiag-demo", &snap, err, sizeof(err)), 0);
	check_on(&snap, &wl, &need, &fs);
	ck_assert_int_eq(explain_diagnose(&ex, &fs, true, &out), 0);
	f = fget(&out, "explain");
	ck_assert_str_eq(cname(f->cause), "cgroup_hugetlb_limit");
	ck_assert_ptr_nonnull(strstr(f->message, "this host shows cgroup_hugetlb_limit"));
	ck_assert_uint_eq(finding_evidence(f, "limit")->num, 64 << 20);
	ck_assert_uint_eq(finding_evidence(f, "usage")->num, 0);
	findings_free(&out);
	done_fixture(&snap, &fs);
	/* A reservation limit alone refuses no page at fault time. */
	memset(&out, 0, sizeof(out));
	ck_assert_int_eq(probe_cg("hybrid", 0, "/hpdiag-rsvd", &snap, err, sizeof(err)), 0);
	check_on(&snap, &wl, &need, &fs);
	ck_assert_int_eq(explain_diagnose(&ex, &fs, true, &out), 0);
	f = fget(&out, "explain");
	ck_assert_ptr_null(strstr(f->message, "this host shows cgroup_hugetlb_limit"));
	ck_assert_ptr_null(finding_evidence(f, "limit"));
	findings_free(&out);
	done_fixture(&snap, &fs);
	explain_free(&ex);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cgroup");
	TCase *tc = tcase_create("cgroup");

	tcase_add_test(tc, parse_proc_cgroup);
	tcase_add_test(tc, parse_events);
	tcase_add_test(tc, hybrid_host);
	tcase_add_test(tc, given_cgroup);
	tcase_add_test(tc, v1_pod_from_the_node);
	tcase_add_test(tc, inside_a_pod);
	tcase_add_test(tc, fault_or_reservation);
	tcase_add_test(tc, every_short_level);
	tcase_add_test(tc, failures_told_by_the_cgroup);
	tcase_add_test(tc, explain_bus_error);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
