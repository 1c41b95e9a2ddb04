#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# explain against captured hosts: the seed 000 log on seed 000's host, the
# strace lines of it, logs of PostgreSQL and a JVM, text it cannot place,
# and the workload taken from the log's command line.
. "$TESTLIB"
S=$FIXTURES/seed-000

expect_exit 2 "seed 000 log" -- "$HPDIAG" --sysroot "$S" explain "$LOGS/seed-000.log"
contains "$out" "command line (line 1): ./l2fwd  -m 64 -- -p0x1" "takes the command line"
contains "$out" "workload: legacy (DPDK 16.04), 32 x 2 MiB pages" "legacy 16.04 from the log, -m 64"
contains "$out" "this host shows map_count_limit" "names map_count_limit"
contains "$out" "remedy:   sysctl -w vm.max_map_count=" "gives the remedy"
expect_exit 2 "seed 000 on stdin" -- sh -c "'$HPDIAG' --sysroot '$S' explain < '$LOGS/seed-000.log'"
contains "$out" "read from standard input" "reads standard input"
expect_exit 2 "seed 000 strace" -- "$HPDIAG" --sysroot "$S" explain --mode legacy -m 64 "$LOGS/seed-000-strace.log"
contains "$out" "mmap failed with ENOMEM" "recognises the strace line"
contains "$out" "[map_count_limit]" "strace line: map_count_limit"
expect_exit 2 "--json" -- "$HPDIAG" --sysroot "$S" --json explain "$LOGS/seed-000.log"
contains "$out" '"cause": "map_count_limit"' "JSON names the cause"
contains "$out" '"recognised": [' "JSON lists the recognised lines"

# The same log on a host where nothing stops it: unknown, never a guess.
expect_exit 2 "seed 000 log on another host" -- "$HPDIAG" --sysroot "$FIXTURES/seed-004" explain --page-size 512M "$LOGS/seed-000.log"
contains "$out" "[unknown]" "unknown when the host shows no cause"

# DPDK 22.11 logs: "Cannot init memory" alone is ranked by host evidence.
expect_exit 2 "22.11 pool log on seed 000" -- "$HPDIAG" --sysroot "$S" explain -m 10000 "$LOGS/dpdk-22.11-pool.log"
contains "$out" "Not enough memory available" "quotes the line"
contains "$out" "[pool_exhausted" "pool_exhausted"
expect_exit 2 "22.11 quota log on two-node" -- "$HPDIAG" --sysroot "$FIXTURES/two-node" explain --page-size 1G -n 6 --huge-dir "/mnt/huge 1G" "$LOGS/dpdk-22.11-quota.log"
contains "$out" "[cgroup_hugetlb_limit]" "ranks by the limit met first"

expect_exit 2 "PostgreSQL" -- "$HPDIAG" --sysroot "$S" explain "$LOGS/postgresql.log"
contains "$out" "workload: anon, 528 x 2 MiB pages" "request size from the HINT line"
contains "$out" "[unknown]" "PostgreSQL: the seed 000 host has the pages"
expect_exit 2 "JVM" -- "$HPDIAG" --sysroot "$FIXTURES/two-node" explain -m 1024 "$LOGS/jvm.log"
contains "$out" "[rlimit_memlock]" "JVM error = 1 is RLIMIT_MEMLOCK"

expect_exit 1 "unrelated text" -- "$HPDIAG" --sysroot "$S" explain "$LOGS/unrelated.log"
contains "$out" "[unknown]" "unrelated text is unknown"
expect_exit 3 "missing file" -- "$HPDIAG" explain /nonexistent/log
contains "$err" "cannot read '/nonexistent/log'" "names the missing file"
head -c $((17 << 20)) /dev/zero | tr '\0' 'x' > "$T/big.log"
expect_exit 3 "a 17 MiB log" -- "$HPDIAG" --sysroot "$S" explain "$T/big.log"
contains "$err" "more than 16 MiB" "refuses more than 16 MiB"
expect_exit 1 "binary input" -- sh -c "head -c 100000 /dev/urandom | '$HPDIAG' --sysroot '$S' explain"
finish
