// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmahog.c - a preload library for the DPDK ground-truth test: at load it
 * takes HPDIAG_HOG_VMAS VMAs in the process itself (one mapping, every
 * other page made readable so no two neighbours merge), so a test can bring
 * an application near vm.max_map_count without lowering the sysctl that
 * every other process on the host depends on.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

__attribute__((constructor)) static void vmahog(void)
{
	const char *s = getenv("HPDIAG_HOG_VMAS");
	long page = sysconf(_SC_PAGESIZE);
	unsigned long n;
	char *base;

	if (!s || !(n = strtoul(s, NULL, 10)) || page <= 0)
		return;
	base = mmap(NULL, n * (unsigned long)page, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return;
	for (unsigned long i = 1; i < n; i += 2)
		mprotect(base + i * (unsigned long)page, (size_t)page, PROT_READ);
}
