// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bigbss.c - a small program with a large .bss (64 MiB), linked with
 * tests/libhpdiag-elftest.so through DT_RUNPATH $ORIGIN: the ELF unit test
 * (test-program.c) reads what the kernel and the loader map for it and
 * checks the data need hpdiag computes from it.  Run, it says its VmData.
 */
#include <stdio.h>
#include <string.h>

int hpdiag_elftest(size_t i);

static char big[64 << 20];

int main(int argc, char **argv)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	(void)argv;
	big[argc] = (char)hpdiag_elftest((size_t)argc);
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmData:", 7))
			fputs(line, stdout);
	if (f)
		fclose(f);
	return big[0];
}
