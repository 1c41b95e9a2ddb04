// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-elf.c - the ELF reader (lib/elf.c) on any file: it reads it or says
 * -ENOEXEC, never reads outside it, and what it reads adds up (the .bss is
 * part of the writable segments, every DT_NEEDED is a string); and the
 * embedded-string search on the same file. */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "lib/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-elf", MFD_CLOEXEC);
	struct elf_file e;
	char buf[64];
	int rc;

	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	rc = elf_read(fd, 4096, &e);
	if (rc != 0 && rc != -ENOEXEC)
		abort();
	if (rc == 0) {
		if (e.bss_bytes > e.rw_bytes)
			abort();
		for (size_t i = 0; i < e.nr_needed; i++)
			if (!e.needed[i] || strlen(e.needed[i]) >= 16u << 20)
				abort();
	}
	elf_file_free(&e);
	rc = elf_find_string(fd, "DPDK_PLUGIN_PATH=", buf, sizeof(buf));
	if (rc == 0 && strlen(buf) >= sizeof(buf))
		abort();
	if (rc != 0 && rc != -ENOENT && rc != -E2BIG)
		abort();
	close(fd);
	return 0;
}
