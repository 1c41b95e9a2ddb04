#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hpdiag vma against the seed 001 leak, reproduced: one shared-memory object
# mapped once per input, unmapped once per batch.  vma --pid must flag that
# object with the right VMA count; --watch must see it grow and give a time
# to the limit; a process with many distinct mappings is not a leak; the
# host-wide scan finds the leaker.
. "$TESTLIB"
[ -x "$LEAKER" ] || skip "tests/leaker not built"
pids=
cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

"$LEAKER" leak 400 10 "$T/leak.count" &
leak=$!
pids="$leak"
"$LEAKER" distinct 300 "$T/distinct.count" &
distinct=$!
pids="$pids $distinct"
for _ in $(seq 1 100); do
	[ -s "$T/distinct.count" ] && [ "$(cat "$T/leak.count" 2>/dev/null || echo 0)" -gt 200 ] && break
	sleep 0.1
done

# Stopped, its count is stable: hpdiag must see exactly the mappings it holds.
kill -STOP "$leak"
sleep 0.1
# The kernel's own count (the leaker's file may lag one mapping behind).
held=$(grep -c 'hpdiag-seed001' "/proc/$leak/maps")
expect_exit 1 "vma --pid of the leaker" -- "$HPDIAG" --color never vma --pid "$leak"
contains "$out" "[leak]" "the table marks the object"
contains "$out" "WARN  vma_leak" "a vma_leak warning"
contains "$out" "/memfd:hpdiag-seed001 (deleted) is mapped $held times at the same offset and length" \
	"names the object and its $held identical mappings"
expect_exit 1 "--json" -- "$HPDIAG" --json vma --pid "$leak"
contains "$out" '"object": "/memfd:hpdiag-seed001 (deleted)",' "JSON names the object"
contains "$out" "\"vmas\": $held," "JSON has the VMA count"
contains "$out" '"leak": true' "JSON flags the leak"
kill -CONT "$leak"

# Watched, it grows: a positive rate and a finite time to the limit.
expect_exit 1 "--watch" -- "$HPDIAG" --json vma --pid "$leak" --watch 1.5 --interval 0.25
# The process's rate comes after the groups' own.
rate=$(printf '%s\n' "$out" | sed -n 's/.*"growth_per_second": \([0-9.]*\).*/\1/p' | tail -1)
grate=$(printf '%s\n' "$out" | sed -n 's/.*"growth_per_second": \([0-9.]*\).*/\1/p' | head -1)
awk -v r="$grate" 'BEGIN { exit !(r > 100) }' && pass "the leaking object grows by $grate VMAs/s" ||
	fail "the leaking object's rate '$grate'"
eta=$(printf '%s\n' "$out" | sed -n 's/.*"seconds_to_limit": \([0-9.]*\).*/\1/p')
samples=$(printf '%s\n' "$out" | grep -c '"time":')
awk -v r="$rate" 'BEGIN { exit !(r > 100) }' && pass "growth rate $rate VMAs/s (about 360 expected)" ||
	fail "growth rate '$rate'"
[ -n "$eta" ] && pass "time to the limit: $eta s" || fail "no time to the limit"
[ "$samples" -ge 6 ] && pass "$samples samples" || fail "only $samples samples"
expect_exit 1 "--watch text" -- "$HPDIAG" --color never vma --pid "$leak" --watch 1 --interval 0.5
contains "$out" "VMAs/s, it reaches the limit in" "the text says when"
contains "$out" "VMAs of it in all, growing by" "the object's own growth rate"

# Many distinct objects, each mapped once: not a leak.
expect_exit 0 "distinct mappings" -- "$HPDIAG" --color never vma --pid "$distinct"
case $out in *vma_leak*|*"[leak]"*) fail "distinct mappings flagged as a leak" ;;
*) pass "300 distinct objects are not a leak" ;; esac
contains "$out" "more objects: -v lists them all)" "the table shows the 20 largest"
expect_exit 0 "distinct, -v" -- "$HPDIAG" --color never -v vma --pid "$distinct"
contains "$out" "/memfd:hpdiag-object-299 (deleted)" "-v lists every object"
contains "$out" "RSS" "-v reads smaps for RSS"

# The host-wide scan puts the leaker near the top.
expect_exit 0 "vma --top 5" -- "$HPDIAG" --color never vma --top 5
contains "$out" "$leak " "the leaker is in the top 5"
expect_exit 0 "--json top" -- "$HPDIAG" --json vma --top 3
contains "$out" '"processes": [' "JSON lists processes"
contains "$out" '"vanished":' "JSON counts vanished processes"

expect_exit 3 "--watch without --pid" -- "$HPDIAG" vma --watch 1
expect_exit 3 "--interval without --watch" -- "$HPDIAG" vma --pid "$leak" --interval 1
expect_exit 3 "--top with --pid" -- "$HPDIAG" vma --pid "$leak" --top 3
expect_exit 3 "a process that does not exist" -- "$HPDIAG" vma --pid 2147483647
finish
