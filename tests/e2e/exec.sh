#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `hpdiag exec -- COMMAND`: the application's output passes through; a
# static program is refused; the seed 001 leaker is caught at the VMA limit
# with the leaking object named; and real DPDK 22.11 (dpdk-test) under the
# limits of the ground-truth test fails with the call and cause hpdiag
# records inside it, or succeeds with its peaks.  The pool and a private
# hugetlbfs mount are saved and restored on every exit path;
# vm.max_map_count is never lowered (the application takes VMAs itself).
. "$TESTLIB"
serialize "$@"

# ---- no privilege needed ------------------------------------------------------
expect_exit 0 "a command that succeeds" -- "$HPDIAG" exec -- echo hello from the app
first=$(printf '%s\n' "$out" | head -n 1)
[ "$first" = "hello from the app" ] && pass "its output passes through first" ||
	fail "output: $first"
contains "$out" "PASS  exec" "success is a PASS"
contains "$out" "exited with status 0" "with the exit status"
# Output that ends inside a line (DPDK's "RTE>>" prompt): the report starts
# on a line of its own, and a complete last line gets no blank line.
expect_exit 0 "a prompt last" -- "$HPDIAG" exec -- printf 'RTE>>'
[ "$(printf '%s\n' "$out" | head -n 1)" = "RTE>>" ] &&
	printf '%s\n' "$out" | sed -n 2p | grep -q '^workload:' &&
	pass "the report after a prompt starts on its own line" ||
	fail "after a prompt: $(printf '%s\n' "$out" | head -n 2)"
expect_exit 0 "a whole line last" -- "$HPDIAG" exec -- printf 'done\n'
printf '%s\n' "$out" | sed -n 2p | grep -q '^workload:' &&
	pass "no blank line after a whole line" || fail "after a line: $(printf '%s\n' "$out" | head -n 2)"

expect_exit 0 "--json" -- "$HPDIAG" --json exec -- echo hello
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
x = d["exec"]
assert d["command"] == "exec" and x["command"] == ["echo", "hello"], x
assert x["exit_status"] == 0 and x["failure"] is None and x["traced"] is True, x
assert set(x["peak"]) == {"vmas", "fds", "hugepages"} and x["peak"]["vmas"] > 0, x
' && pass "JSON exec object; the app's stdout went to stderr" || fail "JSON: $out"
contains "$err" "hello" "the application's stdout on stderr with --json"

expect_exit 3 "no command" -- "$HPDIAG" exec
contains "$err" "after '--'" "says where the command goes"
expect_exit 3 "a command that does not exist" -- "$HPDIAG" exec -- /nonexistent/app
contains "$err" "/nonexistent/app" "names it"
if [ -x "$STATIC_TRUE" ]; then
	expect_exit 3 "a static program is refused" -- "$HPDIAG" exec -- "$STATIC_TRUE"
	contains "$err" "statically linked" "says why"
	contains "$err" "hpdiag trial" "and what to use instead"
fi
expect_exit 1 "a failure that is not about memory" -- "$HPDIAG" exec -- sh -c 'exit 4'
contains "$out" "exited with status 4" "the exit status"
contains "$out" "WARN  exec" "no memory cause: a warning"

# SIGTERM to hpdiag reaches the application; hpdiag reports and cleans up.
ls /dev/shm/hpdiag-trace.* > "$T/shm.before" 2>/dev/null
"$HPDIAG" exec -- sleep 30 > "$T/term.out" 2>&1 &
hp=$!
sleep 0.3
kill -TERM "$hp"
wait "$hp"
contains "$(cat "$T/term.out")" "was killed by TERM" "SIGTERM passed on to the application"
ls /dev/shm/hpdiag-trace.* > "$T/shm.after" 2>/dev/null
cmp -s "$T/shm.before" "$T/shm.after" && pass "the record file removed" ||
	fail "record files left: $(cat "$T/shm.after")"

# Seed 001: the leaker maps one object again and again until mmap fails.
limit=$(cat /proc/sys/vm/max_map_count)
if [ -n "${HPDIAG_SANITIZED:-}" ]; then
	echo "sanitizer build: its allocator needs VMAs of its own: leak test skipped"
elif [ "$limit" -gt 300000 ]; then
	echo "vm.max_map_count is $limit: too many VMAs to take: leak test skipped"
else
	expect_exit 2 "the seed 001 leaker" -- "$HPDIAG" exec -- "$LEAKER" leak 0 10 "$T/count" exit
	contains "$out" "[map_count_limit" "caught as map_count_limit"
	contains "$out" "the object mapped most: /memfd:hpdiag-seed001" "the leaking object named"
	contains "$out" "munmap each mapping of /memfd:hpdiag-seed001" "the remedy is the leak"
fi

# ---- real DPDK ------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || finish
command -v dpdk-test >/dev/null 2>&1 || { echo "dpdk-test missing: DPDK part skipped"; finish; }
command -v prlimit >/dev/null 2>&1 || finish
grep -qw hugetlbfs /proc/filesystems || finish
pool=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
[ -w "$pool" ] || finish

old_pool=$(cat "$pool")
private_mount hpdgx$$
plain=$T/plain
mkdir -p "$plain"


# run NAME WANT-EXIT [PREFIX-COMMAND...] -- EAL OPTIONS: dpdk-test under exec.
run() {
	name=$1 want=$2
	shift 2
	pre=
	while [ "$1" != "--" ]; do pre="$pre $1"; shift; done
	shift
	# shellcheck disable=SC2086
	out=$(DPDK_TEST=memory_autotest timeout 120 "$HPDIAG" --color never exec -- \
		$pre dpdk-test --no-pci -l 0 --file-prefix "$prefix" "$@" < /dev/null 2>"$T/stderr")
	got=$?
	rm -f "$mnt"/* 2>/dev/null
	rm -rf "/var/run/dpdk/$prefix"
	[ "$got" -eq "$want" ] && pass "$name (exit $got)" ||
		fail "$name: exit $got, expected $want: $(printf '%s\n' "$out" | tail -n 5)"
}
cause_is() {	# CAUSE DESCRIPTION
	got=$(printf '%s\n' "$out" | sed -n 's/^FAIL  exec .*\[\([a-z_]*\), met first.*/\1/p')
	[ "$got" = "$1" ] && pass "$2: $1" || fail "$2: '$got', not $1: $(printf '%s\n' "$out" | grep exec)"
}

setup 64
run "control: dpdk-test -m 64 succeeds" 0 -- -m 64 --huge-dir "$mnt"
contains "$out" "Test OK" "dpdk-test's own output passes through"
contains "$out" "PASS  exec" "the exec finding passes"
contains "$out" "32 hugepages" "the peak: the 32 pages of -m 64"

setup 16
run "pool too small" 2 -- -m 64 --huge-dir "$mnt"
cause_is pool_exhausted "DPDK stops before mapping (its output says)"
contains "$out" "no memory call failing" "no call failed: the cause came from the output"

setup 64 size=32M
run "mount quota" 2 -- -m 64 --huge-dir "$mnt"
cause_is mount_quota "the mmap past size= was caught"
contains "$out" "mmap of 2097152 bytes of $mnt/" "the call and the page file"

setup 64
run "no hugetlbfs mount" 2 -- -m 64 --huge-dir "$plain"
cause_is no_mount "no mount where --huge-dir points"

setup 64
if [ -z "${HPDIAG_SANITIZED:-}" ]; then
	run "prlimit --as" 2 prlimit --as=8000000000 -- -m 64 --huge-dir "$mnt"
	cause_is rlimit_as "the address-space reservation refused"
fi

setup 128
run "prlimit --nofile" 2 prlimit --nofile=64 -- -m 256 --huge-dir "$mnt"
cause_is rlimit_nofile "open failed with EMFILE"
# No fd was left to read the kernel's counters: the evidence has none, not 0.
ev=$(printf '%s\n' "$out" | sed -n '/^FAIL  exec/,/^verdict/p' | grep -A1 'evidence:')
case $ev in
*max_map_count=0*|*vmas=0*) fail "EMFILE: counters it could not read shown as 0: $ev" ;;
*fds=64*) pass "EMFILE: the evidence has the fds, and no counter it could not read" ;;
*) fail "EMFILE: no fds=64 in the evidence: $ev" ;;
esac

# Legacy mode near vm.max_map_count (seed 000): the application takes VMAs
# itself (tests/vmahog.so, after hpdiag's own library) so that dynamic -m 32
# fits and legacy, which maps all 64 free pages first, does not.
if [ -f "$VMAHOG" ] && [ -z "${HPDIAG_SANITIZED:-}" ]; then
	lib=$(dirname "$HPDIAG")/libhpdiag-trace.so
	# dpdk-test's own VMAs before memory init, both libraries loaded
	# (--no-huge adds 4), as the ground-truth test measures them.
	base=$(dpdk_own_vmas "$lib:$VMAHOG" "$prefix")
	hog=$((limit - base - 10 - 40))
	setup 64
	run "legacy near vm.max_map_count" 2 env LD_PRELOAD="$lib:$VMAHOG" \
		HPDIAG_HOG_VMAS=$hog -- -m 32 --legacy-mem --huge-dir "$mnt"
	cause_is map_count_limit "legacy mode ran out of VMAs"
	run "dynamic -m 32 under the same VMAs" 0 env LD_PRELOAD="$lib:$VMAHOG" \
		HPDIAG_HOG_VMAS=$hog -- -m 32 --huge-dir "$mnt"
fi
finish
