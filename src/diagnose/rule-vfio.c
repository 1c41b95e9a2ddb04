// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rule-vfio.c - RLIMIT_MEMLOCK for DPDK (and SPDK, which maps memory
 * through DPDK) with VFIO: when the application probes a device bound to
 * vfio-pci, DPDK maps every page it holds for the device's DMA
 * (VFIO_IOMMU_MAP_DMA), the type1 IOMMU driver pins them, and the kernel
 * charges them to the soft RLIMIT_MEMLOCK of a process without
 * CAP_IPC_LOCK.  Past the limit the ioctl fails with ENOMEM; DPDK 22.11
 * logs "EAL: Cannot set up DMA remapping, error 12 (Cannot allocate
 * memory)", "EAL: 0000:03:00.0 DMA remapping failed, error 12 (...)" and
 * "EAL: Requested device 0000:03:00.0 cannot be used", and rte_eal_init()
 * fails with "Cannot probe devices" when no device is left.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "diagnose/remedy.h"
#include "diagnose/rules.h"

/* Where VFIO is in use: the process's groups, or the host's devices. */
static void vfio_where(const struct snapshot *snap, char *buf, size_t size)
{
	size_t n = 0, l;

	if (snap->lim.pid && snap->vfio.pid_known) {
		snprintf(buf, size, "process %d holds %zu VFIO group%s open",
			 (int)snap->lim.pid, snap->vfio.pid_groups,
			 snap->vfio.pid_groups == 1 ? "" : "s");
		return;
	}
	for (size_t i = 0; i < snap->vfio.nr_devs; i++)
		n += snap->vfio.devs[i].group >= 0 && !snap->vfio.devs[i].noiommu;
	l = (size_t)snprintf(buf, size, "%zu device%s bound to vfio-pci:", n,
			     n == 1 ? "" : "s");
	for (size_t i = 0, shown = 0; i < snap->vfio.nr_devs && l < size; i++) {
		const struct vfio_dev *d = &snap->vfio.devs[i];

		if (d->group < 0 || d->noiommu)
			continue;
		if (shown++ == 3) {
			snprintf(buf + l, size - l, " ...");
			break;
		}
		l += (size_t)snprintf(buf + l, size - l, " %s", d->addr);
	}
}

static uint64_t devices_used(const struct snapshot *snap)
{
	uint64_t n = 0;

	if (snap->lim.pid && snap->vfio.pid_known)
		return snap->vfio.pid_groups;
	for (size_t i = 0; i < snap->vfio.nr_devs; i++)
		n += snap->vfio.devs[i].group >= 0 && !snap->vfio.devs[i].noiommu;
	return n;
}

void rule_vfio_memlock(const struct snapshot *snap, const struct need *need,
		       struct findings *fs)
{
	const struct rlim *ml = &snap->lim.rlimits[RL_MEMLOCK];
	char s1[32], s2[32], where[160];
	struct finding *f;

	if (!mode_is_dpdk(need->mode) || !need->vfio_dma || !need->page_size)
		return;
	vfio_where(snap, where, sizeof(where));
	format_bytes(need->dma_bytes, s2, sizeof(s2));
	if (need->memlock_exempt) {
		f = finding_add(fs, CHECK_MEMLOCK, HP_PASS, CAUSE_NONE,
				"the process has CAP_IPC_LOCK: the %s VFIO pins for "
				"DMA (%s) is not charged to RLIMIT_MEMLOCK", s2, where);
	} else if (need->locked_bytes > ml->soft) {
		f = finding_add(fs, CHECK_MEMLOCK, HP_FAIL, CAUSE_RLIMIT_MEMLOCK,
				"RLIMIT_MEMLOCK is %s and the process lacks "
				"CAP_IPC_LOCK: VFIO pins the %s of hugepages DPDK "
				"maps for DMA (%s) and the kernel charges them to "
				"it; the mapping fails with ENOMEM (\"Cannot set up "
				"DMA remapping, error 12\") and the device cannot be "
				"used", format_bytes(ml->soft, s1, sizeof(s1)), s2, where);
		finding_remedy(f, "ulimit -l unlimited");
		finding_note(f, "in the shell that starts the application, or at least "
			     "ulimit -l %" PRIu64 " (KiB); for a systemd service, "
			     "LimitMEMLOCK=infinity", hp_div_up(need->locked_bytes, 1024));
		remedy_rlimit_action(f, RL_MEMLOCK, HP_UNLIMITED);
		/* DPDK maps for DMA when it probes the devices, after its
		 * memory is in place. */
		dg_set_order(f, STAGE_DEVICES, ml->soft / need->page_size);
	} else if (dg_tight(need->locked_bytes, ml->soft)) {
		/* DPDK's heap grows at run time, and maps each new page too. */
		f = finding_add(fs, CHECK_MEMLOCK, HP_WARN, CAUSE_NONE,
				"RLIMIT_MEMLOCK (%s) is within 10%% of the %s VFIO "
				"pins for DMA (%s): pages DPDK adds at run time are "
				"pinned too", format_bytes(ml->soft, s1, sizeof(s1)),
				s2, where);
		finding_remedy(f, "ulimit -l unlimited");
		finding_note(f, "in the shell that starts the application; for a systemd "
			     "service, LimitMEMLOCK=infinity");
		remedy_rlimit_action(f, RL_MEMLOCK, HP_UNLIMITED);
	} else {
		f = finding_add(fs, CHECK_MEMLOCK, HP_PASS, CAUSE_NONE,
				"RLIMIT_MEMLOCK (%s) covers the %s VFIO pins for "
				"DMA (%s)", format_limit(ml->soft, s1, sizeof(s1)),
				s2, where);
	}
	finding_lim(f, "soft", ml->soft);
	finding_num(f, "need", need->locked_bytes);
	finding_num(f, "vfio_devices", devices_used(snap));
}
