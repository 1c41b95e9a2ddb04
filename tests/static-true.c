// SPDX-License-Identifier: GPL-2.0-or-later
/* static-true.c - a statically linked program, which `hpdiag exec` must
 * refuse: no preload library can enter it. */
int main(void)
{
	return 0;
}
