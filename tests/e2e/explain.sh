#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# explain against captured hosts: the seed 000 log on seed 000's host and on
# another, its strace lines, the log alone (--log-only), logs of DPDK 22.11,
# PostgreSQL and a JVM ranked by the host's findings, text it cannot place,
# and bad input.  The whole corpus is tests/e2e/corpus.sh.
. "$TESTLIB"
S=$FIXTURES/seed-000

expect_exit 2 "seed 000 log" -- "$HPDIAG" --sysroot "$S" explain "$LOGS/seed-000.log"
contains "$out" "(a) the log proves:" "says what the log proves"
contains "$out" "command line (line 1): ./l2fwd  -m 64 -- -p0x1" "takes the command line"
contains "$out" "(b) consistent causes, likeliest first; (c) what this host shows:" \
	"separates the candidates and the host"
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
contains "$out" '"basis": "host"' "JSON: the host decided"

# On another host the log still narrows: the likeliest cause, never unknown,
# and the host cannot make a cause the log rules out.
expect_exit 2 "seed 000 log on another host" -- "$HPDIAG" --sysroot "$FIXTURES/seed-004" explain --page-size 512M "$LOGS/seed-000.log"
contains "$out" "most likely map_count_limit" "the likeliest cause, where the host cannot see"
contains "$out" "look at vm.max_map_count" "says where to look"

# --log-only reads no host.
expect_exit 2 "--log-only" -- "$HPDIAG" --json explain --log-only "$LOGS/dpdk-as.log"
contains "$out" '"log_only": true' "JSON says log_only"
contains "$out" '"host": "not_checked"' "no candidate is checked against a host"
contains "$out" '"cause": "rlimit_as"' "the log makes rlimit_as the likeliest"
expect_exit 2 "--log-only, text" -- "$HPDIAG" explain --log-only "$LOGS/dpdk-as.log"
contains "$out" "(c) --log-only: nothing of this host is read" "says no host was read"
case $out in *"workload:"*) fail "--log-only prints a workload of this host" ;; *) pass "--log-only: no workload of this host" ;; esac
contains "$out" "LimitAS=" "where to look for RLIMIT_AS"
expect_exit 3 "--log-only with --sysroot" -- "$HPDIAG" --sysroot "$S" explain --log-only "$LOGS/dpdk-as.log"
contains "$err" "--log-only reads no host" "refuses --sysroot with --log-only"
expect_exit 3 "--log-only with --pid" -- "$HPDIAG" explain --log-only --pid 1 "$LOGS/dpdk-as.log"

# DPDK 22.11: the log's own line decides; a bare "Cannot init memory" is
# ranked by the host, the limit met first winning.
expect_exit 2 "22.11 pool log on seed 000" -- "$HPDIAG" --sysroot "$S" explain -m 10000 "$LOGS/dpdk-pool.log"
contains "$out" "Not enough memory available" "quotes the line"
contains "$out" "the log leaves one cause, pool_exhausted" "pool_exhausted, from the log"
expect_exit 2 "22.11 quota log on two-node" -- "$HPDIAG" --sysroot "$FIXTURES/two-node" explain --page-size 1G -n 6 --huge-dir "/mnt/huge 1G" "$LOGS/dpdk-quota.log"
contains "$out" "[cgroup_hugetlb_limit]" "ranks by the limit met first"
contains "$out" "limit=2147483648 usage=0" "the cgroup's limit and usage as evidence"

expect_exit 2 "PostgreSQL" -- "$HPDIAG" --sysroot "$S" explain "$LOGS/pg-nopool.log"
contains "$out" "workload: anon, 72 x 2 MiB pages" "request size from the HINT line"
contains "$out" "this host rules out pool_exhausted, no_pool" "seed 000's host has the pages"
contains "$out" "[rlimit_as]" "PostgreSQL: the per-process limit left"
expect_exit 1 "JVM" -- "$HPDIAG" --sysroot "$FIXTURES/two-node" explain -m 1024 "$LOGS/jvm-shm-nobody.log"
contains "$out" "[rlimit_memlock]" "JVM UseSHM as a user: RLIMIT_MEMLOCK"
contains "$out" "WARN  explain" "it runs without hugepages: a warning"

expect_exit 1 "unrelated text" -- "$HPDIAG" --sysroot "$S" explain "$LOGS/unrelated.log"
contains "$out" "[unknown]" "unrelated text is unknown"
expect_exit 0 "a log that ends in a successful init" -- "$HPDIAG" --sysroot "$S" explain "$LOGS/ovs-ok.log"
contains "$out" "hugepage memory came up" "a pass"
expect_exit 3 "missing file" -- "$HPDIAG" explain /nonexistent/log
contains "$err" "cannot read '/nonexistent/log'" "names the missing file"
head -c $((17 << 20)) /dev/zero | tr '\0' 'x' > "$T/big.log"
expect_exit 3 "a 17 MiB log" -- "$HPDIAG" --sysroot "$S" explain "$T/big.log"
contains "$err" "more than 16 MiB" "refuses more than 16 MiB"
# Not a log: one line, exit 3, nothing printed on standard output.
expect_exit 3 "binary input" -- sh -c "head -c 100000 /dev/urandom | '$HPDIAG' --sysroot '$S' explain"
contains "$err" "binary data" "binary input: says so"
[ -z "$out" ] && [ "$(printf '%s\n' "$err" | grep -c .)" -eq 1 ] && pass "binary input: one line" ||
	fail "binary input printed: $out / $err"
expect_exit 3 "an empty log" -- "$HPDIAG" --sysroot "$S" explain /dev/null
contains "$err" "/dev/null: empty" "an empty log: says so"
# A log is untrusted: its escape sequences reach the terminal as text.
printf 'EAL: \033[2J\033]0;owned\007 Cannot init memory\n' > "$T/esc.log"
"$HPDIAG" --sysroot "$S" --color never explain -v "$T/esc.log" > "$T/esc.out" 2>&1
if tr -d '\n\t' < "$T/esc.out" | LC_ALL=C grep -q '[[:cntrl:]]'; then
	fail "a control character of the log reached the output: $(cat -v "$T/esc.out")"
else
	pass "no control character of the log reaches the output"
fi
contains "$(cat "$T/esc.out")" 'EAL: \e[2J\e]0;owned\x07 Cannot init memory' "it is shown escaped"
[ "$(grep -c '^verdict' "$T/esc.out")" -eq 1 ] && pass "explain -v prints one verdict" ||
	fail "explain -v: $(grep -c '^verdict' "$T/esc.out") verdict lines"
finish
