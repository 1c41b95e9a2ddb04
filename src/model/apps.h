/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * apps.h - the recognisers of the applications other than DPDK, one file
 * each (postgres.c, jvm.c, ovs.c), for app.c's table, and the helpers they share
 * (app-util.c).  Pure: what they read or ask goes through struct app_io.
 */
#ifndef HPDIAG_MODEL_APPS_H
#define HPDIAG_MODEL_APPS_H

#include "model/app.h"

/* PostgreSQL: postgres -D DATADIR [-c name=value]... (postgres.c). */
bool postgres_match(const struct program *prog, char *why, size_t size);
void postgres_options(int argc, char *const *argv, struct workload_hint *h);
int postgres_configure(const struct app_io *io, const struct program *prog, int argc,
		       char *const *argv, struct workload_hint *h, char *why, size_t size);

/* A JVM: java [-Xmx...] -XX:+UseLargePages ... (jvm.c). */
bool jvm_match(const struct program *prog, char *why, size_t size);
void jvm_options(int argc, char *const *argv, struct workload_hint *h);
int jvm_configure(const struct app_io *io, const struct program *prog, int argc,
		  char *const *argv, struct workload_hint *h, char *why, size_t size);

/* Open vSwitch with DPDK: ovs-vswitchd [DATABASE] (ovs.c). */
bool ovs_match(const struct program *prog, char *why, size_t size);
void ovs_options(int argc, char *const *argv, struct workload_hint *h);
int ovs_eal_refuses(char **argv, int n, char *why, size_t size);
int ovs_configure(const struct app_io *io, const struct program *prog, int argc,
		  char *const *argv, struct workload_hint *h, char *why, size_t size);

/* The last component of PATH. */
const char *app_base_name(const char *path);
/* Appends the printf text to BUF (of SIZE), truncating. */
void app_append(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A size with an optional unit suffix: NUM[k|K|m|M|g|G|t|T][B], the
 * number times UNIT without one.  0, or -EINVAL. */
int app_size_parse(const char *s, uint64_t unit, uint64_t *bytes);

#endif /* HPDIAG_MODEL_APPS_H */
