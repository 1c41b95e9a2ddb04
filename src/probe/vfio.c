// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio.c - the probe for VFIO: the PCI devices bound to vfio-pci and their
 * IOMMU groups, and with --pid the groups the process holds open.  The
 * devices' links are read with the rooted reader, so `hpdiag snapshot`
 * keeps them (each as a file holding its target) and a captured tree
 * answers the same.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/pathnames.h"
#include "lib/proc.h"
#include "probe/parse.h"
#include "probe/probe.h"

/* The number at the end of a link such as "../../../kernel/iommu_groups/42",
 * or -1. */
static int group_of(const char *target)
{
	const char *base = strrchr(target, '/');
	uint64_t g;

	base = base ? base + 1 : target;
	if (parse_u64(base, &g) < 0 || g > 0x7fffffff)
		return -1;
	return (int)g;
}

static int dev_scan(struct probe *p, const char *addr, struct vfio_dev *d)
{
	char path[256], target[4096], name[64];
	int rc;

	memset(d, 0, sizeof(*d));
	snprintf(d->addr, sizeof(d->addr), "%s", addr);
	d->group = -1;
	snprintf(path, sizeof(path), PATH_PCI_IOMMU_GROUP, addr);
	rc = sysroot_readlink(p->sr, path, target, sizeof(target));
	if (rc == -ENOENT)
		return 0;	/* no IOMMU group: VFIO cannot use it */
	if (rc < 0)
		return probe_fail_io(p, rc, path);
	d->group = group_of(target);
	if (d->group < 0)
		return probe_fail(p, EINVAL, path, "not a link to an IOMMU group: '%s'",
				  target);
	/* Only a group VFIO made for no-IOMMU mode has a name. */
	snprintf(path, sizeof(path), PATH_IOMMU_GROUP_NAME, (unsigned)d->group);
	rc = sysroot_read_word(p->sr, path, name, sizeof(name));
	if (rc == 0)
		d->noiommu = !strcmp(name, "vfio-noiommu");
	else if (rc != -ENOENT)
		return probe_fail_io(p, rc, path);
	return 0;
}

/* The fds of PID on a VFIO group device (/dev/vfio/42): its DMA is live. */
static int pid_scan(struct probe *p, pid_t pid, struct vfio *v)
{
	char dir[64], link[128], target[4096];
	char **fds;
	size_t n;
	int rc;

	proc_path(dir, sizeof(dir), pid, PROC_FD);
	rc = sysroot_list(p->sr, dir, &fds, &n);
	if (rc < 0)
		return 0;	/* not ours to read: unknown */
	v->pid_known = true;
	for (size_t i = 0; i < n; i++) {
		const char *g;

		snprintf(link, sizeof(link), "%s/%s", dir, fds[i]);
		if (sysroot_readlink(p->sr, link, target, sizeof(target)) < 0 ||
		    strncmp(target, PATH_DEV_VFIO "/", sizeof(PATH_DEV_VFIO)))
			continue;
		g = target + sizeof(PATH_DEV_VFIO);
		if (*g && strspn(g, "0123456789") == strlen(g))
			v->pid_groups++;
	}
	sysroot_names_free(fds, n);
	return 0;
}

int vfio_scan(struct probe *p, pid_t pid, struct vfio *v)
{
	char **names;
	size_t n;
	int rc;

	memset(v, 0, sizeof(*v));
	rc = probe_list(p, PATH_VFIO_PCI, &names, &n);
	if (rc == -ENOENT)
		return pid ? pid_scan(p, pid, v) : 0;	/* vfio-pci not loaded */
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct vfio_dev *nd;
		char path[256], target[4096];

		/* Beside the devices: bind, unbind, new_id, module, ... */
		if (!parse_pci_addr(names[i]))
			continue;
		/* The link to the device; in a captured tree, kept by it. */
		snprintf(path, sizeof(path), "%s/%s", PATH_VFIO_PCI, names[i]);
		(void)sysroot_readlink(p->sr, path, target, sizeof(target));
		nd = realloc(v->devs, (v->nr_devs + 1) * sizeof(*nd));
		if (!nd) {
			rc = -ENOMEM;
			goto out;
		}
		v->devs = nd;
		rc = dev_scan(p, names[i], &v->devs[v->nr_devs]);
		if (rc < 0)
			goto out;
		v->nr_devs++;
	}
	rc = pid ? pid_scan(p, pid, v) : 0;
out:
	sysroot_names_free(names, n);
	return rc;
}
