#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A running workload, with real DPDK 22.11 as the ground truth: a dpdk-test
# started with -m 256 waits at its prompt holding 128 pages of a 200-page
# pool.  Named by --pid or by its --file-prefix, it is healthy and would
# start again after a restart (DPDK does, once stopped); not named, a
# second instance would not fit (DPDK does not start one).  A restart that
# asks for more fails where check says so, and fix's plan, applied while
# the instance runs, grows the pool by what is missing and no more.  The
# textfile timer's command line gives metrics on which the shipped alert
# stays quiet.  The pool, the private mount and the instance are put back
# on every exit path.
. "$TESTLIB"
serialize "$@"
needs once dpdk
free=/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages

prefix=hpdrun$$
mnt=$T/mnt
inst=
restore() {
	stop
	rm -rf "/var/run/dpdk/${prefix}x"
	restore_mount
}
trap restore EXIT
trap 'exit 130' INT TERM HUP PIPE
mkdir -p "$mnt"

# start MB: the instance, waiting at its prompt with its memory mapped.
start() {
	rm -f "$T/in"
	mkfifo "$T/in"
	dpdk-test --no-pci -l 0 --no-telemetry --file-prefix "$prefix" \
		--huge-dir "$mnt" -m "$1" < "$T/in" > "$T/inst.log" 2>&1 &
	inst=$!
	exec 3> "$T/in"
	for _ in $(seq 1 300); do grep -q 'RTE>>' "$T/inst.log" && break; sleep 0.1; done
	grep -q 'RTE>>' "$T/inst.log" || { fail "the instance did not start: $(tail -3 "$T/inst.log")"; finish; }
}
stop() {
	[ -n "$inst" ] || return 0
	echo quit >&3
	exec 3>&-
	wait "$inst" 2>/dev/null
	inst=
	rm -rf "/var/run/dpdk/$prefix"
}

# dpdk LOG EAL-OPTIONS...: a one-shot dpdk-test (memory_autotest).
dpdk() {
	log=$1
	shift
	env DPDK_TEST=memory_autotest timeout 120 dpdk-test --no-pci -l 0 \
		--no-telemetry --huge-dir "$mnt" "$@" < /dev/null > "$log" 2>&1
	dpdk_rc=$?
}

verdict() {
	printf '%s\n' "$1" | sed -n 's/^verdict: \([A-Z]*\).*/\1/p'
}

# json EXPR ARGS...: a value of check's JSON (EXPR over the object j).
json() {
	expr=$1
	shift
	"$HPDIAG" check --json "$@" | python3 -c '
import json, sys
j = json.load(sys.stdin)
pool = [f for f in j["findings"] if f["check"] == "pool"][0]
v = eval(sys.argv[1])
print(*(v if isinstance(v, tuple) else (v,)))' "$expr"
}

setup 200
start 256
[ "$(cat "$free")" -eq 72 ] && pass "the instance holds 128 of 200 pages" ||
	fail "free pages with the instance running: $(cat "$free"), expected 72"

# Not named: a second instance would not fit, and DPDK does not start one.
dpdk "$T/second.log" --file-prefix "${prefix}x" -m 256
rm -rf "/var/run/dpdk/${prefix}x"
[ "$dpdk_rc" -ne 0 ] && pass "a second instance does not start" ||
	fail "a second instance started beside the first"
out=$("$HPDIAG" --color never check -m 256 --huge-dir "$mnt" 2>&1)
[ "$(verdict "$out")" = FAIL ] && pass "check without the instance named fails" ||
	fail "check without the instance named: $out"
contains "$out" "[pool_exhausted" "the second instance lacks pages"

# Named by --pid or by its file prefix: its pages are its own.
for how in "--pid $inst" "--file-prefix $prefix"; do
	# shellcheck disable=SC2086 # two words
	out=$("$HPDIAG" --color never check -m 256 --huge-dir "$mnt" $how 2>&1)
	v=$(verdict "$out")
	[ "$v" = PASS ] && pass "check $how: $v" || fail "check $how: '$v': $out"
	contains "$out" "running instance's (128)" "check $how counts its 128 pages"
	# shellcheck disable=SC2086
	held=$(json 'j["need"]["sizes"][0]["held_pages"], pool["status"]' -m 256 \
		--huge-dir "$mnt" $how)
	[ "$held" = "128 pass" ] && pass "JSON $how: held_pages 128, pool passes" ||
		fail "JSON $how: held_pages, pool status: $held"
done
out=$("$HPDIAG" --color never check -m 256 --huge-dir "$mnt" --file-prefix other 2>&1)
[ "$(verdict "$out")" = FAIL ] && pass "another prefix's pages are not its own" ||
	fail "check --file-prefix other: $out"

# With --pid, its baselines are what it holds less its hugepages: the peak
# of a restart is about what it holds now.
maps=$(wc -l < "/proc/$inst/maps")
fds=$(find "/proc/$inst/fd" -mindepth 1 | wc -l)
set -- $(json 'j["need"]["vmas"], j["need"]["fds"]' -m 256 --huge-dir "$mnt" --pid "$inst")
if [ "$1" -ge $((maps - maps / 20)) ] && [ "$1" -le $((maps + maps / 20)) ]; then
	pass "peak VMAs of a restart $1, the instance holds $maps"
else
	fail "peak VMAs of a restart $1, the instance holds $maps"
fi
if [ "$2" -ge $((fds - 5)) ] && [ "$2" -le $((fds + 5)) ]; then
	pass "peak fds of a restart $2, the instance holds $fds"
else
	fail "peak fds of a restart $2, the instance holds $fds"
fi

# The textfile timer's command line, and the shipped alert on its metrics.
# alert PROM EXPECTED-ALERTS: promtool evaluates the shipped rules on the
# series of PROM (of a host h), and expects those alerts.
alert() {
	python3 - "$CONTRIB/prometheus/hpdiag-alerts.yml" "$1" "$2" > "$T/alert.test.yml" <<'PY'
import re, sys
rules, prom, expected = sys.argv[1:4]
print(f"rule_files: [{rules}]\nevaluation_interval: 1m\ntests:")
print("  - interval: 1m\n    input_series:")
for line in open(prom):
    if line.startswith("#") or not line.strip():
        continue
    m = re.match(r'([a-z_]+)(?:\{(.*)\})? (\S+)$', line.strip())
    labels = 'instance="h",job="node"' + ("," + m.group(2) if m.group(2) else "")
    print(f"      - series: '{m.group(1)}{{{labels}}}'\n        values: '{m.group(3)}x5'")
print("    alert_rule_test:\n      - eval_time: 3m")
print("        alertname: HugepagesShortForWorkload")
print(f"        exp_alerts: {expected}")
PY
	promtool test rules "$T/alert.test.yml" > "$T/promtool.out" 2>&1
}
if command -v promtool >/dev/null 2>&1; then
	expect_exit 0 "the textfile command line with --file-prefix" -- "$HPDIAG" check \
		--format prometheus -o "$T/named.prom" -m 256 --huge-dir "$mnt" --file-prefix "$prefix"
	contains "$(cat "$T/named.prom")" 'hpdiag_workload_held_pages{page_size_bytes="2097152"} 128' \
		"the metrics carry the pages it holds"
	alert "$T/named.prom" '[]' && pass "HugepagesShortForWorkload stays quiet for the running instance" ||
		fail "the alert fires for a healthy instance: $(cat "$T/promtool.out")"
	"$HPDIAG" check --format prometheus -o "$T/unnamed.prom" -m 256 --huge-dir "$mnt"
	alert "$T/unnamed.prom" "
          - exp_labels: {severity: critical, instance: h, job: node, page_size_bytes: \"2097152\"}
            exp_annotations:
              summary: \"72 hugepages of 2097152 bytes on h are free or the workload's own, fewer than it needs\"
              description: \"Run 'hpdiag fix' on the host for the plan that grows the pool.\"" &&
		pass "it fires for a second instance that would not fit" ||
		fail "the alert for a second instance: $(cat "$T/promtool.out")"
else
	echo "# promtool missing: the alert is not evaluated"
fi

# A restart: DPDK gets its pages again, as check said.
stop
dpdk "$T/restart.log" --file-prefix "$prefix" -m 256
[ "$dpdk_rc" -eq 0 ] && pass "a restart with -m 256 starts" ||
	fail "a restart with -m 256 failed: $(tail -3 "$T/restart.log")"

# A restart that asks for more: 256 pages of a 200-page pool.
start 256
out=$("$HPDIAG" --color never check -m 512 --huge-dir "$mnt" --pid "$inst" 2>&1)
[ "$(verdict "$out")" = FAIL ] && pass "check -m 512 --pid: FAIL" || fail "check -m 512 --pid: $out"
contains "$out" "[pool_exhausted" "a restart with -m 512 lacks pages"
stop
dpdk "$T/more.log" --file-prefix "$prefix" -m 512
[ "$dpdk_rc" -ne 0 ] && pass "DPDK -m 512 does not start on 200 pages" ||
	fail "DPDK -m 512 started on 200 pages"
# fix's plan, applied while the instance runs: 56 more pages, not 256.
start 256
expect_exit 0 "fix --apply -m 512 with the instance running" -- "$HPDIAG" --color never \
	fix --apply -m 512 --huge-dir "$mnt" --file-prefix "$prefix"
[ "$(cat "$pool")" -eq 256 ] && pass "fix grew the pool to 256" ||
	fail "fix grew the pool to $(cat "$pool"), not 256"
out=$("$HPDIAG" --color never check -m 512 --huge-dir "$mnt" --pid "$inst" 2>&1)
[ "$(verdict "$out")" != FAIL ] && pass "after fix, check -m 512 --pid passes" ||
	fail "after fix, check -m 512 --pid: $out"
stop
dpdk "$T/after.log" --file-prefix "$prefix" -m 512
[ "$dpdk_rc" -eq 0 ] && pass "after fix, a restart with -m 512 starts" ||
	fail "after fix, a restart with -m 512 failed: $(tail -3 "$T/after.log")"
finish
