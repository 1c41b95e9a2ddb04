/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * untrusted.h - text from outside (an application's log) made safe to
 * print: no byte of it can move the cursor, clear the screen or set a
 * terminal's title.
 */
#ifndef HPDIAG_LIB_UNTRUSTED_H
#define HPDIAG_LIB_UNTRUSTED_H

#include <stddef.h>

/*
 * Whether the LEN bytes at BUF look like binary data rather than a log: a
 * NUL byte in the first 64 KiB, or more than one byte in ten there that is
 * neither text (ASCII, UTF-8) nor a terminal escape.  *AT is the offset of
 * the first such byte.
 */
int text_is_binary(const char *buf, size_t len, size_t *at);

/*
 * A copy of the LEN bytes at IN, NUL-terminated, that is safe on a
 * terminal: colour sequences (ESC [ ... m) are dropped, other control
 * characters and escape sequences are written out visibly ("\e[2J",
 * "\a", "\x01"), C1 controls too; tabs and newlines are kept, and a CR
 * before a newline is dropped.  NULL when out of memory.
 */
char *text_untrusted(const char *in, size_t len);

/* S made safe the same way into BUF (SIZE bytes, cut short if need be),
 * for a process name or a file name read from the host. */
const char *text_safe(const char *s, char *buf, size_t size);

#endif
