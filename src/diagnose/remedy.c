// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * remedy.c - the remedies several kinds of finding share (see remedy.h).
 */
#include <inttypes.h>
#include <stdio.h>

#include "diagnose/diagnose.h"
#include "diagnose/remedy.h"
#include "lib/pathnames.h"

const char *remedy_sudo(const struct snapshot *snap)
{
	return !snap || !snap->meta.have_euid || snap->meta.euid == 0 ? "" : "sudo ";
}

void remedy_write(struct finding *f, const struct snapshot *snap, const char *file,
		  uint64_t value)
{
	char qbuf[512];
	const char *q = shell_quote(file, qbuf, sizeof(qbuf));

	if (*remedy_sudo(snap))
		finding_remedy(f, "echo %" PRIu64 " | sudo tee %s", value, q);
	else
		finding_remedy(f, "echo %" PRIu64 " > %s", value, q);
}

char *remedy_boot_param(const struct pool *p, uint64_t total, const uint64_t *node_to,
			char *buf, size_t size)
{
	char ss[16];
	int n = snprintf(buf, size, "hugepagesz=%s hugepages=",
			 format_short_size(p->page_size, ss, sizeof(ss)));

	if (n < 0 || (size_t)n >= size)
		return buf;
	if (!node_to || !p->nr_nodes) {
		snprintf(buf + n, size - (size_t)n, "%" PRIu64, total);
		return buf;
	}
	for (size_t j = 0; j < p->nr_nodes && (size_t)n < size; j++) {
		int k = snprintf(buf + n, size - (size_t)n, "%s%u:%" PRIu64, j ? "," : "",
				 p->nodes[j].node, node_to[j]);

		if (k < 0)
			break;
		n += k;
	}
	return buf;
}

uint64_t remedy_node_target(const struct pool_node *pn, const struct need_size *sz)
{
	uint64_t want = pn->node < sz->nr_nodes ? sz->pages_per_node[pn->node] : 0;

	return want > pn->free ? hp_sat_add(pn->total, want - pn->free) : pn->total;
}

void remedy_map_count(struct finding *f, const char *sudo, uint64_t limit,
		      uint64_t vmas, const char *note)
{
	uint64_t want = suggest_max_map_count(vmas);
	struct action *a;

	finding_remedy(f, "%ssysctl -w vm.max_map_count=%" PRIu64, sudo, want);
	if (note)
		finding_note(f, "%s", note);
	a = finding_action(f, ACT_SYSCTL, PATH_MAX_MAP_COUNT);
	if (a) {
		a->name = sysctl_name(SC_MAX_MAP_COUNT);
		a->from = limit;
		a->to = want;
	}
}

void remedy_rlimit_action(struct finding *f, enum rlimit_id id, uint64_t want)
{
	struct action *a = finding_action(f, ACT_RLIMIT, NULL);

	if (a) {
		a->rlimit = id;
		a->to = want;
	}
}

void remedy_nofile(struct finding *f, const struct snapshot *snap, uint64_t want)
{
	uint64_t hard = snap->lim.rlimits[RL_NOFILE].hard;

	if (hard == HP_UNLIMITED || hard >= want)
		finding_remedy(f, "ulimit -n %" PRIu64, want);
	else
		finding_remedy(f, "ulimit -Hn %" PRIu64 " && ulimit -n %" PRIu64, want, want);
	if (hard == HP_UNLIMITED)
		finding_note(f, "in the shell that starts the application; for a systemd "
			     "service, LimitNOFILE=%" PRIu64 ":infinity", want);
	else
		finding_note(f, "in the shell that starts the application; for a systemd "
			     "service, LimitNOFILE=%" PRIu64 ":%" PRIu64, want,
			     hard >= want ? hard : want);
	remedy_rlimit_action(f, RL_NOFILE, want);
}

void remedy_rlimit_as(struct finding *f)
{
	finding_remedy(f, "ulimit -v unlimited");
	finding_note(f, "in the shell that starts the application; for a systemd "
		     "service, LimitAS=infinity");
	remedy_rlimit_action(f, RL_AS, HP_UNLIMITED);
}

void remedy_rlimit_data(struct finding *f, uint64_t need)
{
	/* A tenth more, in whole MiB: ulimit -d counts KiB. */
	uint64_t want = hp_div_up(hp_sat_add(need, need / 10), 1ULL << 20) << 20;

	finding_remedy(f, "ulimit -d unlimited");
	finding_note(f, "in the shell that starts the application, or at least ulimit -d %"
		     PRIu64 "; for a systemd service, LimitDATA=infinity, or at least "
		     "LimitDATA=%" PRIu64 "M", want >> 10, want >> 20);
	remedy_rlimit_action(f, RL_DATA, HP_UNLIMITED);
}
