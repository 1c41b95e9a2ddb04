// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-explain.c - explain's reader: EAL, strace, PostgreSQL, JVM, QEMU,
 * SPDK and OVS-DPDK lines, the command line and the workload it gives, and
 * the reasoning from the log alone and with a host. */
#include "diagnose/diagnose.h"
#include "diagnose/explain.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	struct findings host = { 0 }, out = { 0 };
	struct workload wl;
	struct explain ex;

	if (explain_parse(s, &ex) == 0) {
		memset(&wl, 0, sizeof(wl));
		workload_merge(&wl, &ex.hint);
		finding_add(&host, CHECK_POOL, HP_FAIL, CAUSE_POOL_EXHAUSTED, "short");
		explain_diagnose(&ex, &host, false, &out);
		explain_diagnose(&ex, NULL, false, &out);
		explain_free(&ex);
	}
	findings_free(&host);
	findings_free(&out);
	free(s);
	return 0;
}
