// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-persist.c - the sysctl.d editor of fix --persist, on any old file:
 * every key hpdiag sets is there afterwards, and every line of the old file
 * that names none of them is kept as it was. */
#include "act/plan.h"
#include "fuzz.h"

static const char *const keys[] = { "vm.max_map_count", "vm.nr_hugepages",
				    "kernel.shmmax" };
static const char *const names[] = { "max_map_count", "nr_hugepages", "shmmax" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t vals[] = { 65530, 512, 1 << 30 };
	static const bool never[] = { true, false, true };
	char *old = fuzz_string(data, size), *out, *save = NULL;

	out = fix_persist_text(old, strlen(old), keys, vals, never, 3);
	if (!out)
		abort();
	for (size_t i = 0; i < 3; i++)
		if (!strstr(out, names[i]))
			abort();
	for (char *line = strtok_r(old, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		bool ours = false;

		for (size_t i = 0; i < 3; i++)
			ours |= strstr(line, names[i]) != NULL;
		if (!ours && !strstr(out, line))
			abort();
	}
	free(out);
	free(old);
	return 0;
}
