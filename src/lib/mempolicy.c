// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mempolicy.c - the only file that uses libnuma, for live-only work:
 * placing a trial's pages on a node and asking where a page landed.
 * libnuma runs a constructor that reads sysfs when it is loaded, which
 * would cost every read-only command more than all its own work; so it is
 * loaded here, on first use, with dlopen (the binary does not link it),
 * and the commands that never place memory never load it.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <numa.h>
#include <numaif.h>

#include "lib/mempolicy.h"

static struct {
	void *handle;
	bool tried;
	int (*available)(void);
	void (*set_preferred)(int);
	void (*set_localalloc)(void);
	long (*get_mempolicy)(int *, unsigned long *, unsigned long, void *, unsigned long);
} lib;

/* libnuma prints to stderr on its own unless these weak hooks are replaced. */
void numa_warn(int num, char *fmt, ...)
{
	(void)num;
	(void)fmt;
}

void numa_error(char *where)
{
	(void)where;
}

static int numa_load(void)
{
	if (lib.tried)
		return lib.handle ? 0 : -ENOSYS;
	lib.tried = true;
	lib.handle = dlopen("libnuma.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!lib.handle)
		return -ENOSYS;
	*(void **)&lib.available = dlsym(lib.handle, "numa_available");
	*(void **)&lib.set_preferred = dlsym(lib.handle, "numa_set_preferred");
	*(void **)&lib.set_localalloc = dlsym(lib.handle, "numa_set_localalloc");
	*(void **)&lib.get_mempolicy = dlsym(lib.handle, "get_mempolicy");
	if (!lib.available || !lib.set_preferred || !lib.set_localalloc ||
	    !lib.get_mempolicy || lib.available() < 0) {
		dlclose(lib.handle);
		lib.handle = NULL;
		return -ENOSYS;
	}
	return 0;
}

int numa_prefer(int node)
{
	if (numa_load() < 0)
		return -ENOSYS;
	if (node < 0)
		lib.set_localalloc();
	else
		lib.set_preferred(node);
	return 0;
}

int numa_node_of(void *addr)
{
	int node = -1;

	if (numa_load() < 0)
		return -ENOSYS;
	if (lib.get_mempolicy(&node, NULL, 0, addr, MPOL_F_NODE | MPOL_F_ADDR) < 0)
		return -errno;
	return node;
}
