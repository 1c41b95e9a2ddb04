// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * elf-lib.c - libhpdiag-elftest.so, a shared object with a 4 MiB .bss and
 * a string its "build" embeds, for the ELF unit test (test-program.c):
 * tests/bigbss needs it through its DT_RUNPATH ($ORIGIN).
 */
#include <stddef.h>

char hpdiag_elftest_lib[4 << 20];
/* As DPDK's EAL embeds its plug-in directory. */
const char hpdiag_elftest_marker[] __attribute__((used)) = "HPDIAG_ELFTEST_DIR=/opt/hpdiag/plugins";

int hpdiag_elftest(size_t i)
{
	return hpdiag_elftest_lib[i % sizeof(hpdiag_elftest_lib)] + hpdiag_elftest_marker[0];
}
