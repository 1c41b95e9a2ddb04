// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * explain-where.c - where a person looks for each cause when the host at
 * hand cannot show it (a limit of the application's own process, a log
 * from another host, --log-only): the file, the command, the setting of a
 * unit; and the names explain's reports use for its vocabulary.
 */
#include <stdio.h>

#include "diagnose/explain.h"

/* Where a person looks for each cause when this host cannot show it. */
void explain_where(enum cause cause, uint64_t page_size, const char *dir,
		   char *buf, size_t size)
{
	char ps[16], kb[24];
	const char *d = dir ? dir : "the application's hugetlbfs directory";

	if (page_size >= (1ULL << 30))
		snprintf(ps, sizeof(ps), "%lluGB", (unsigned long long)(page_size >> 30));
	else if (page_size)
		snprintf(ps, sizeof(ps), "%lluMB", (unsigned long long)(page_size >> 20));
	else
		snprintf(ps, sizeof(ps), "2MB");
	snprintf(kb, sizeof(kb), "%llukB",
		 (unsigned long long)((page_size ? page_size : 2ULL << 20) >> 10));
	switch (cause) {
	case CAUSE_RLIMIT_AS:
		snprintf(buf, size, "the service's `ulimit -v` (\"Max address space\" in "
			 "/proc/PID/limits); LimitAS= in its systemd unit; \"as\" in "
			 "/etc/security/limits.conf");
		break;
	case CAUSE_RLIMIT_DATA:
		snprintf(buf, size, "the service's `ulimit -d` (\"Max data size\" in "
			 "/proc/PID/limits); LimitDATA= in its systemd unit; \"data\" "
			 "in /etc/security/limits.conf");
		break;
	case CAUSE_RLIMIT_NOFILE:
		snprintf(buf, size, "the service's `ulimit -Hn` (the hard \"Max open "
			 "files\" in /proc/PID/limits: DPDK raises the soft limit to "
			 "it); LimitNOFILE= in its systemd unit");
		break;
	case CAUSE_RLIMIT_MEMLOCK:
		snprintf(buf, size, "the service's `ulimit -l` (\"Max locked memory\" "
			 "in /proc/PID/limits); LimitMEMLOCK= in its systemd unit or "
			 "the container's memlock ulimit; for SHM_HUGETLB also "
			 "vm.hugetlb_shm_group");
		break;
	case CAUSE_CGROUP_HUGETLB_LIMIT:
		snprintf(buf, size, "hugetlb.%s.max (cgroup v2) or hugetlb.%s."
			 "limit_in_bytes (v1) of the process's cgroup (cat "
			 "/proc/PID/cgroup), and hugetlb.%s.rsvd.max, which refuses "
			 "the mapping itself; in Kubernetes, the pod's hugepages-%si "
			 "limit", ps, ps, ps, ps[0] == '1' && ps[1] == 'G' ? "1G" : "2M");
		break;
	case CAUSE_MOUNT_PERMISSION:
		snprintf(buf, size, "the owner and mode of %s (stat) against the user "
			 "the application runs as (User= in its unit), and whether it "
			 "is mounted read-only", d);
		break;
	case CAUSE_MOUNT_QUOTA:
		snprintf(buf, size, "size= and nr_inodes= of the hugetlbfs mount of %s "
			 "(findmnt -T), and the page files already in it", d);
		break;
	case CAUSE_NO_MOUNT:
		snprintf(buf, size, "findmnt -t hugetlbfs: a mount with pagesize=%s "
			 "where the application looks (%s)", ps, d);
		break;
	case CAUSE_NO_POOL:
	case CAUSE_POOL_EXHAUSTED:
		snprintf(buf, size, "HugePages_Total and HugePages_Free in /proc/meminfo, "
			 "or /sys/kernel/mm/hugepages/hugepages-%s/{nr,free,resv}_hugepages, "
			 "when it failed (other users of the pool take pages too)", kb);
		break;
	case CAUSE_NODE_POOL_EXHAUSTED:
		snprintf(buf, size, "/sys/devices/system/node/node*/hugepages/"
			 "hugepages-%s/free_hugepages of the node asked for", kb);
		break;
	case CAUSE_MAP_COUNT_LIMIT:
		snprintf(buf, size, "vm.max_map_count against the process's mappings "
			 "(wc -l /proc/PID/maps) when it failed");
		break;
	case CAUSE_VA_SPACE:
		snprintf(buf, size, "the process's address space (/proc/PID/maps): a "
			 "32-bit build, other large reservations, or, for a secondary "
			 "process, a library mapped where the primary's memory is "
			 "(--base-virtaddr)");
		break;
	case CAUSE_SHM_LIMIT:
		snprintf(buf, size, "kernel.shmmax, kernel.shmall and kernel.shmmni (in "
			 "the application's IPC namespace: a container has its own)");
		break;
	case CAUSE_MEMSEG_LIMIT:
		snprintf(buf, size, "DPDK's build-time RTE_MAX_MEMSEG_PER_LIST, "
			 "RTE_MAX_MEMSEG_PER_TYPE and RTE_MAX_MEM_MB_PER_TYPE (or "
			 "CONFIG_RTE_MAX_MEMSEG before 18.05) against the pages asked; "
			 "legacy mode maps every free page of the pool");
		break;
	case CAUSE_THP_DISABLED:
		snprintf(buf, size, "/sys/kernel/mm/transparent_hugepage/enabled: "
			 "\"never\" turns them off; \"madvise\" is what the JVM's "
			 "-XX:+UseTransparentHugePages needs (transparent_hugepage= "
			 "on the kernel command line sets it at boot)");
		break;
	default:
		snprintf(buf, size, "run hpdiag check with the application's options "
			 "and limits on the host where it failed");
		break;
	}
}

const char *app_name(enum app a)
{
	static const char *const names[APP_COUNT] = {
		[APP_UNKNOWN] = NULL, [APP_DPDK] = "dpdk", [APP_SPDK] = "spdk",
		[APP_VPP] = "vpp", [APP_OVS] = "ovs-dpdk", [APP_POSTGRES] = "postgresql",
		[APP_JVM] = "jvm", [APP_QEMU] = "qemu",
	};

	return a < APP_COUNT ? names[a] : NULL;
}

const char *outcome_name(enum outcome o)
{
	static const char *const names[] = {
		[OUTCOME_NONE] = "none", [OUTCOME_SUCCEEDED] = "succeeded",
		[OUTCOME_FALLBACK] = "fallback", [OUTCOME_FAILED] = "failed",
		[OUTCOME_OTHER] = "other",
	};

	return names[o];
}

const char *host_view_name(enum host_view v)
{
	static const char *const names[] = {
		[VIEW_NOT_CHECKED] = "not_checked", [VIEW_CONFIRMED] = "confirmed",
		[VIEW_RULED_OUT] = "ruled_out", [VIEW_UNSEEN] = "unseen",
		[VIEW_NOT_SHOWN] = "not_shown",
	};

	return names[v];
}

const char *line_kind_name(enum line_kind k)
{
	static const char *const names[] = {
		[LINE_FAIL] = "failure", [LINE_SOFT] = "failed_call",
		[LINE_FALLBACK] = "fallback", [LINE_NOTE] = "notice",
		[LINE_UP] = "came_up", [LINE_OTHER] = "other",
	};

	return names[k];
}

const char *basis_name(enum basis b)
{
	static const char *const names[] = {
		[BASIS_NONE] = NULL, [BASIS_LOG] = "log", [BASIS_HOST] = "host",
		[BASIS_ELIMINATION] = "elimination", [BASIS_LIKELIEST] = "likeliest",
	};

	return names[b];
}
