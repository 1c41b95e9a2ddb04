// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-cmdline.c - an application's command line (model/app.c, model/eal.c)
 * as words split at blanks: the wrappers passed over land on a word of it,
 * and EAL's options are read without reading past the words or leaking. */
#include "fuzz.h"
#include "model/app.h"
#include "model/eal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), *save = NULL, **argv;
	struct workload_hint h = { 0 };
	struct app_command cmd;
	int argc = 0;

	argv = calloc(size / 2 + 2, sizeof(*argv));
	if (!argv)
		abort();
	for (char *t = strtok_r(s, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save))
		argv[argc++] = t;
	app_unwrap(argc, argv, &cmd);
	if (cmd.prog < 0 || cmd.prog > argc)
		abort();
	app_command_options(argc, argv, &h);
	if (h.nr_plugins > HINT_MAX_PLUGINS || h.nr_socket_mem > MAX_SOCKETS ||
	    h.lcores > EAL_MAX_LCORE)
		abort();
	workload_hint_free(&h);
	free(argv);
	free(s);
	return 0;
}
