// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report-prom.c - the Prometheus text exposition format (version 0.0.4), for
 * node_exporter's textfile collector: every family with its HELP and TYPE,
 * names prefixed hpdiag_, base units (bytes, seconds), gauges but for the
 * count of charges a cgroup refused (a counter: the kernel's own).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report/report.h"

/* A label value with \, " and newline escaped. */
static void label(FILE *o, const char *name, const char *v, bool first)
{
	fprintf(o, "%s%s=\"", first ? "" : ",", name);
	for (; v && *v; v++) {
		if (*v == '\\' || *v == '"')
			fprintf(o, "\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", o);
		else
			fputc(*v, o);
	}
	fputc('"', o);
}

static void family_of(FILE *o, const char *name, const char *help, const char *type)
{
	fprintf(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void family(FILE *o, const char *name, const char *help)
{
	family_of(o, name, help, "gauge");
}

enum { V_TOTAL, V_FREE, V_RESV, V_SURPLUS, V_COUNT };

static const struct {
	const char *name, *node_name, *help;
} pool_metric[V_COUNT] = {
	[V_TOTAL] = { "hpdiag_hugepages_pool_pages", "hpdiag_node_hugepages_pool_pages",
		      "Hugepages in the pool (nr_hugepages)." },
	[V_FREE] = { "hpdiag_hugepages_free_pages", "hpdiag_node_hugepages_free_pages",
		     "Free hugepages of the pool." },
	[V_RESV] = { "hpdiag_hugepages_reserved_pages", NULL,
		     "Hugepages promised to mappings that have not faulted them yet." },
	[V_SURPLUS] = { "hpdiag_hugepages_surplus_pages",
			"hpdiag_node_hugepages_surplus_pages",
			"Hugepages allocated beyond the pool through overcommit." },
};

static uint64_t pool_value(const struct pool *p, int k)
{
	return k == V_TOTAL ? p->total : k == V_FREE ? p->free :
	       k == V_RESV ? p->resv : p->surplus;
}

static uint64_t node_value(const struct pool_node *pn, int k)
{
	return k == V_TOTAL ? pn->total : k == V_FREE ? pn->free : pn->surplus;
}

static void pools(FILE *o, const struct snapshot *snap)
{
	char ps[32], node[16];

	for (int k = 0; k < V_COUNT; k++) {
		family(o, pool_metric[k].name, pool_metric[k].help);
		for (size_t i = 0; i < snap->nr_pools; i++) {
			snprintf(ps, sizeof(ps), "%" PRIu64, snap->pools[i].page_size);
			fprintf(o, "%s{", pool_metric[k].name);
			label(o, "page_size_bytes", ps, true);
			fprintf(o, "} %" PRIu64 "\n", pool_value(&snap->pools[i], k));
		}
	}
	for (int k = 0; k < V_COUNT; k++) {
		char help[160];

		if (!pool_metric[k].node_name)
			continue;
		snprintf(help, sizeof(help), "%.*s, on one NUMA node.",
			 (int)strlen(pool_metric[k].help) - 1, pool_metric[k].help);
		family(o, pool_metric[k].node_name, help);
		for (size_t i = 0; i < snap->nr_pools; i++) {
			const struct pool *p = &snap->pools[i];

			snprintf(ps, sizeof(ps), "%" PRIu64, p->page_size);
			for (size_t j = 0; j < p->nr_nodes; j++) {
				snprintf(node, sizeof(node), "%u", p->nodes[j].node);
				fprintf(o, "%s{", pool_metric[k].node_name);
				label(o, "page_size_bytes", ps, true);
				label(o, "node", node, false);
				fprintf(o, "} %" PRIu64 "\n", node_value(&p->nodes[j], k));
			}
		}
	}
}

static void mounts(FILE *o, const struct snapshot *snap)
{
	char ps[32];

	family(o, "hpdiag_mount_stale_files", "Files in a hugetlbfs mount that no "
	       "process maps or holds open.");
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1)
			family(o, "hpdiag_mount_stale_bytes", "Hugepage memory held by "
			       "those stale files.");
		for (size_t i = 0; i < snap->nr_mounts; i++) {
			const struct mount *m = &snap->mounts[i];
			uint64_t files, pages;

			if (!m->have_usage || !snap->procs_scanned)
				continue;
			mount_stale(m, &files, &pages);
			snprintf(ps, sizeof(ps), "%" PRIu64, m->page_size);
			fprintf(o, "%s{", pass ? "hpdiag_mount_stale_bytes" :
				"hpdiag_mount_stale_files");
			label(o, "path", m->path, true);
			label(o, "page_size_bytes", ps, false);
			fprintf(o, "} %" PRIu64 "\n", pass ? pages * m->page_size : files);
		}
	}
}

enum { CG_USAGE, CG_LIMIT, CG_RSVD_USAGE, CG_RSVD_LIMIT, CG_HITS, CG_COUNT };

static const struct {
	const char *name, *help;
} cg_metric[CG_COUNT] = {
	[CG_USAGE] = { "hpdiag_cgroup_hugetlb_usage_bytes",
		       "Hugepage memory charged to a cgroup at page faults "
		       "(v2 hugetlb.<size>.current, v1 usage_in_bytes)." },
	[CG_LIMIT] = { "hpdiag_cgroup_hugetlb_limit_bytes",
		       "A cgroup's hugetlb limit, charged at page faults: past it "
		       "a touch raises SIGBUS (absent: no limit)." },
	[CG_RSVD_USAGE] = { "hpdiag_cgroup_hugetlb_reserved_bytes",
			    "Hugepage memory a cgroup's processes have reserved "
			    "(hugetlb.<size>.rsvd.current)." },
	[CG_RSVD_LIMIT] = { "hpdiag_cgroup_hugetlb_reservation_limit_bytes",
			    "A cgroup's hugetlb reservation limit: past it mmap "
			    "fails with ENOMEM (absent: no limit)." },
	[CG_HITS] = { "hpdiag_cgroup_hugetlb_limit_hits_total",
		      "Hugepage charges a cgroup's limits refused (v2 "
		      "hugetlb.<size>.events max, v1 failcnt)." },
};

static bool cg_value(const struct cgroup_stat *st, int k, uint64_t *v)
{
	switch (k) {
	case CG_USAGE:
		*v = st->usage;
		return true;
	case CG_LIMIT:
		*v = st->limit;
		return st->limit != HP_UNLIMITED;
	case CG_RSVD_USAGE:
		*v = st->rsvd_usage;
		return st->have_rsvd;
	case CG_RSVD_LIMIT:
		*v = st->rsvd_limit;
		return st->have_rsvd && st->rsvd_limit != HP_UNLIMITED;
	default:
		*v = st->hits;
		return st->have_hits;
	}
}

/* Per cgroup and page size: the hugetlb counters of every cgroup read (the
 * process's, its parents with limits, those of the hugepage users). */
static void cgroups(FILE *o, const struct snapshot *snap, const char *cmd)
{
	char ps[32];

	for (int k = 0; k < CG_COUNT; k++) {
		family_of(o, cg_metric[k].name, cg_metric[k].help,
			  k == CG_HITS ? "counter" : "gauge");
		for (size_t i = 0; i < snap->cg.nr_stats; i++) {
			const struct cgroup_stat *st = &snap->cg.stats[i];
			uint64_t v;

			if (!cg_value(st, k, &v))
				continue;
			snprintf(ps, sizeof(ps), "%" PRIu64, st->page_size);
			fprintf(o, "%s{", cg_metric[k].name);
			label(o, "cgroup", st->path, true);
			label(o, "page_size_bytes", ps, false);
			label(o, "command", cmd ? cmd : "", false);
			fprintf(o, "} %" PRIu64 "\n", v);
		}
	}
}

/* A finding's subject, so that one check id over nodes or mounts stays
 * one series each: its node or path evidence. */
static void subject(const struct finding *f, char *buf, size_t size)
{
	const struct evidence *e = finding_evidence(f, "node");

	buf[0] = '\0';
	if (e && e->type == EV_NUM)
		snprintf(buf, size, "node%" PRIu64, e->num);
	else if (((e = finding_evidence(f, "path")) && e->type == EV_STR) ||
		 ((e = finding_evidence(f, "object")) && e->type == EV_STR))
		snprintf(buf, size, "%s", e->str);
	else if ((e = finding_evidence(f, "pid")) && e->type == EV_NUM)
		snprintf(buf, size, "pid%" PRIu64, e->num);
}

/*
 * The families every command writes carry its name, so two textfiles (the
 * timer writes check's and vma's) never hold the same series.
 */
static void command_label(FILE *o, const char *cmd, bool first)
{
	label(o, "command", cmd ? cmd : "", first);
}

static void findings(FILE *o, const struct findings *fs, const char *cmd)
{
	family(o, "hpdiag_check_status", "One finding: 0 pass, 1 warn, 2 fail; "
	       "cause as in hpdiag(8).");
	for (size_t i = 0; fs && i < fs->n; i++) {
		const struct finding *f = &fs->v[i];
		char subj[512], dup[544];
		size_t same = 0;

		subject(f, subj, sizeof(subj));
		/* Two findings still alike: number the later ones. */
		for (size_t j = 0; j < i; j++) {
			char other[512];

			subject(&fs->v[j], other, sizeof(other));
			same += fs->v[j].check == f->check && !strcmp(other, subj);
		}
		if (same)
			snprintf(dup, sizeof(dup), "%s#%zu", subj, same + 1);
		else
			snprintf(dup, sizeof(dup), "%s", subj);
		fputs("hpdiag_check_status{", o);
		label(o, "check", check_name(f->check), true);
		label(o, "cause", f->cause != CAUSE_NONE ? cause_name(f->cause) : "", false);
		label(o, "subject", dup, false);
		command_label(o, cmd, false);
		fprintf(o, "} %d\n", (int)f->status);
	}
	family(o, "hpdiag_verdict", "The verdict: 0 pass, 1 warn, 2 fail.");
	fputs("hpdiag_verdict{", o);
	command_label(o, cmd, true);
	fprintf(o, "} %d\n", (int)findings_verdict(fs));
}

static void need_metrics(FILE *o, const struct need *need)
{
	char ps[32];

	family(o, "hpdiag_workload_pages", "Hugepages the described workload takes.");
	for (size_t i = 0; i < need->nr_sizes; i++) {
		snprintf(ps, sizeof(ps), "%" PRIu64, need->sizes[i].page_size);
		fputs("hpdiag_workload_pages{", o);
		label(o, "page_size_bytes", ps, true);
		fprintf(o, "} %" PRIu64 "\n", need->sizes[i].pages);
	}
	family(o, "hpdiag_workload_held_pages", "Hugepages the running instance of the "
	       "workload (--pid, --file-prefix) holds: its own again after a restart.");
	for (size_t i = 0; i < need->nr_sizes; i++) {
		snprintf(ps, sizeof(ps), "%" PRIu64, need->sizes[i].page_size);
		fputs("hpdiag_workload_held_pages{", o);
		label(o, "page_size_bytes", ps, true);
		fprintf(o, "} %" PRIu64 "\n", need->sizes[i].held_pages);
	}
	family(o, "hpdiag_workload_vmas", "VMAs the workload holds at its peak.");
	fprintf(o, "hpdiag_workload_vmas %" PRIu64 "\n", need->vmas);
}

static void vma_metrics(FILE *o, const struct result *r)
{
	char pid[16];

	family(o, "hpdiag_process_vmas", "VMAs (lines of /proc/PID/maps) of a process.");
	if (r->top) {
		for (size_t i = 0; i < r->top->nr_procs; i++) {
			const struct vma_proc *p = &r->top->procs[i];

			snprintf(pid, sizeof(pid), "%d", (int)p->pid);
			fputs("hpdiag_process_vmas{", o);
			label(o, "pid", pid, true);
			label(o, "comm", p->comm, false);
			fprintf(o, "} %" PRIu64 "\n", p->count);
		}
	} else if (r->vma) {
		snprintf(pid, sizeof(pid), "%d", (int)r->vma->pid);
		fputs("hpdiag_process_vmas{", o);
		label(o, "pid", pid, true);
		label(o, "comm", "", false);
		fprintf(o, "} %" PRIu64 "\n", r->nr_samples ?
			r->samples[r->nr_samples - 1].count : r->vma->count);
	}
}

int report_prom(const struct report_opts *opt, const struct result *r)
{
	const struct snapshot *snap = r->snap;
	FILE *o = opt->out;
	uint64_t mmc = 0;
	bool have_mmc = false;

	fprintf(o, "# written by hpdiag %s %s\n", PACKAGE_VERSION,
		opt->command ? opt->command : "");
	family(o, "hpdiag_last_run_timestamp_seconds", "When hpdiag wrote these "
	       "metrics, in seconds since the epoch.");
	fputs("hpdiag_last_run_timestamp_seconds{", o);
	command_label(o, opt->command, true);
	fprintf(o, "} %lld\n", (long long)time(NULL));
	if (snap && snap->nr_pools)
		pools(o, snap);
	if (snap && snap->nr_mounts)
		mounts(o, snap);
	if (snap && snap->cg.nr_stats)
		cgroups(o, snap, opt->command);
	if (snap && snap->lim.sysctl[SC_MAX_MAP_COUNT].present) {
		mmc = snap->lim.sysctl[SC_MAX_MAP_COUNT].value;
		have_mmc = true;
	} else if (r->vma || r->top) {
		mmc = r->vma_limit;
		have_mmc = mmc != 0;
	}
	if (have_mmc) {
		family(o, "hpdiag_vm_max_map_count_limit", "vm.max_map_count: the most VMAs "
		       "a process may hold.");
		fputs("hpdiag_vm_max_map_count_limit{", o);
		command_label(o, opt->command, true);
		fprintf(o, "} %" PRIu64 "\n", mmc);
	}
	if (r->need)
		need_metrics(o, r->need);
	if (r->vma || r->top)
		vma_metrics(o, r);
	findings(o, r->findings, opt->command);
	return ferror(o) ? -1 : 0;
}
