/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz.h - shared by the libFuzzer harnesses: the input as a NUL-terminated
 * string, as the parsers get it from the rooted reader (which refuses NULs:
 * the string ends at the first one, as theirs would).
 */
#ifndef HPDIAG_FUZZ_H
#define HPDIAG_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif /* HPDIAG_FUZZ_H */
