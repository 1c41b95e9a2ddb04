#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hpdiag trial on the real kernel: every mode maps a pool that fits; each
# limit stops it with the right cause; legacy fails where dynamic passes
# for the same VMA headroom (seed 000); and after kill -9 of hpdiag at any
# moment the pool is as it was and no file is left in the mount.  The pool
# and the private mount are put back on every exit path; vm.max_map_count
# is never lowered (the trial child takes the VMAs itself).
. "$TESTLIB"
serialize "$@"
needs prlimit

mnt=$T/mnt
restore() {
	[ -n "${bg:-}" ] && kill -9 "$bg" 2>/dev/null
	mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
	echo "$old_pool" > "$pool"
	rm -rf "$T"
}
trap restore EXIT
trap 'exit 130' INT TERM HUP PIPE
mkdir -p "$mnt"

free_pages() {
	awk '/^HugePages_Free:/ {print $2}' /proc/meminfo
}
cause() {	# the cause of the trial finding
	sed -n 's/^FAIL  trial .*\[\([a-z_]*\), met first.*/\1/p'
}
# expect_cause NAME CAUSE [PREFIX...] -- TRIAL OPTIONS
expect_cause() {
	name=$1 want=$2
	shift 2
	pre=
	while [ "$1" != "--" ]; do pre="$pre $1"; shift; done
	shift
	before=$(free_pages)
	# shellcheck disable=SC2086
	out=$($pre "$HPDIAG" --color never -q trial --huge-dir "$mnt" "$@" 2>&1)
	rc=$?
	got=$(printf '%s\n' "$out" | cause)
	if [ "$rc" -eq 2 ] && [ "$got" = "$want" ]; then
		pass "$name: $want"
	else
		fail "$name: exit $rc, cause '$got', expected $want:"
		printf '%s\n' "$out" >&2
	fi
	[ "$(free_pages)" -eq "$before" ] || fail "$name: pool not restored"
	[ -z "$(ls -A "$mnt")" ] || fail "$name: files left in the mount"
}

# Every mode maps what fits, and leaves the pool as it was.
setup 64
for mode in dynamic legacy single-file in-memory anon shm; do
	before=$(free_pages)
	expect_exit 0 "$mode: 32 pages fit" -- "$HPDIAG" --color never trial -m 64 --mode "$mode" --huge-dir "$mnt"
	contains "$out" "PASS  trial" "$mode: the trial passes"
	# The child holds the baseline the model counts: "needs: ... (baseline
	# N" and "trial: ..., baseline N VMAs taken first" agree (under the
	# sanitizers the child starts with more than 200: at least N).
	want=$(printf '%s\n' "$out" | sed -n 's/^needs: .*(baseline \([0-9]*\),.*/\1/p')
	took=$(printf '%s\n' "$out" | sed -n 's/.*baseline \([0-9]*\) VMAs taken first.*/\1/p')
	if [ -n "${HPDIAG_SANITIZED:-}" ]; then
		[ -n "$want" ] && [ "${took:-0}" -ge "$want" ]
	else
		[ -n "$want" ] && [ "$took" = "$want" ]
	fi && pass "$mode: the child took the $want baseline VMAs ($took)" ||
		fail "$mode: baseline $want in the model, $took taken by the child"
	[ "$(free_pages)" -eq "$before" ] && pass "$mode: pool restored" || fail "$mode: pool not restored"
done
expect_exit 0 "--json" -- "$HPDIAG" --json trial -m 64 --huge-dir "$mnt"
contains "$out" '"mapped": 32,' "JSON says how many pages were mapped"
contains "$out" '"ok": true' "JSON says ok"

# The limits, one at a time.
setup 16
expect_cause "pool too small" pool_exhausted -- -m 64
setup 64 size=32M
expect_cause "size= quota" mount_quota -- -m 64
setup 64
# A sanitizer build cannot start under ulimit -v (its shadow memory), nor
# work with the VMAs nearly gone (its allocator maps memory): those cases
# run in the normal build.
[ -n "${HPDIAG_SANITIZED:-}" ] ||
	expect_cause "ulimit -v" rlimit_as prlimit --as=8000000000 -- -m 64
setup 128
expect_cause "ulimit -n" rlimit_nofile prlimit --nofile=64 -- -m 256
expect_cause "anon: pool too small" pool_exhausted -- -m 512 --mode anon
# VMAs near the limit: the child takes them, the sysctl stays as it is.
limit=$(cat /proc/sys/vm/max_map_count)
setup 64
if [ -z "${HPDIAG_SANITIZED:-}" ]; then
	expect_cause "legacy near vm.max_map_count" map_count_limit -- -m 32 --mode legacy --baseline-vmas $((limit - 50))
	expect_exit 0 "dynamic, same headroom" -- "$HPDIAG" -q trial -m 32 --huge-dir "$mnt" --baseline-vmas $((limit - 50))
	expect_cause "16.04 near vm.max_map_count" map_count_limit -- -m 32 --mode legacy --dpdk-version 16.04 --baseline-vmas $((limit - 100))
	[ "$(cat /proc/sys/vm/max_map_count)" -eq "$limit" ] && pass "vm.max_map_count untouched" || fail "vm.max_map_count changed"
fi
# No mount where --huge-dir points.
expect_exit 2 "no mount" -- "$HPDIAG" -q trial -m 64 --huge-dir "$T"
contains "$out" "[no_mount" "no_mount"

# Stale DPDK page files hold the pages: the trial never deletes them, but
# says that DPDK would, and warns instead of failing.
setup 64
for i in $(seq 0 39); do
	fallocate -l 2M "$mnt/rtemap_$i" 2>/dev/null || break
done
if [ "$(ls "$mnt" | wc -l)" -eq 40 ]; then
	expect_exit 1 "stale files DPDK reclaims" -- "$HPDIAG" --color never -q trial -m 64 --huge-dir "$mnt"
	contains "$out" "stale DPDK page files hold 40 pages" "the trial says DPDK would reclaim them"
	[ "$(ls "$mnt" | wc -l)" -eq 40 ] && pass "the trial deleted no file" || fail "the trial deleted files"
	rm -f "$mnt"/rtemap_*
fi
# --socket-mem places the pages on the node with libnuma and checks it.
expect_exit 0 "--socket-mem 64" -- "$HPDIAG" -q trial --socket-mem 64 --huge-dir "$mnt"
expect_exit 0 "--node 0" -- "$HPDIAG" -q trial -m 64 --node 0 --huge-dir "$mnt"

# kill -9 of hpdiag at 28 moments of a large trial (seven delays, four
# modes, two sizes): the pool, the mount's files and the host's hugetlbfs
# mounts are exactly as before each time.
pages=$(($(awk '/^MemFree:/ {print $2}' /proc/meminfo) / 2048 / 8))
[ "$pages" -gt 1024 ] && pages=1024
setup "$pages"
mounts_now() {
	grep ' hugetlbfs ' /proc/self/mountinfo | awk '{print $5, $NF}' | sort
}
mounts_before=$(mounts_now)
n=0
for delay in 0.01 0.03 0.06 0.1 0.2 0.4 0.7; do
	for mode in dynamic legacy in-memory single-file; do
		n=$((n + 1))
		want=$pages
		[ $((n % 2)) -eq 0 ] && want=$((pages / 2))
		before=$(free_pages)
		"$HPDIAG" -q trial -n "$want" --mode "$mode" --huge-dir "$mnt" > /dev/null 2>&1 &
		bg=$!
		sleep "$delay"
		kill -9 "$bg" 2>/dev/null
		wait "$bg" 2>/dev/null
		bg=
		# The child dies with its parent; give the kernel a moment.
		for _ in $(seq 1 50); do
			[ "$(free_pages)" -eq "$before" ] && break
			sleep 0.1
		done
		[ "$(free_pages)" -eq "$before" ] && [ -z "$(ls -A "$mnt")" ] &&
			[ "$(mounts_now)" = "$mounts_before" ] &&
			pass "kill -9 after ${delay}s ($mode, $want pages): pool, files and mounts as before" ||
			fail "kill -9 after ${delay}s ($mode, $want pages): free $(free_pages), was $before; files: $(ls -A "$mnt")"
	done
done

# Two trials at once, each wanting two thirds of the pool: neither corrupts
# the other; each passes or, finding the pool taken, says pool_exhausted
# (both may, if they raced page for page).
setup 96
before=$(free_pages)
"$HPDIAG" --color never trial -n 64 --huge-dir "$mnt" > "$T/t1" 2>&1 &
t1=$!
"$HPDIAG" --color never trial -n 64 --huge-dir "$mnt" > "$T/t2" 2>&1
rc2=$?
wait "$t1"
rc1=$?
ok=0
for f in "$T/t1" "$T/t2"; do
	if grep -q '^PASS  trial' "$f"; then
		ok=$((ok + 1))
	elif ! grep -q '^FAIL  trial .*\[pool_exhausted' "$f"; then
		fail "two trials: a trial neither passed nor saw the pool taken: $(cat "$f")"
	fi
done
[ "$rc1" -le 2 ] && [ "$rc2" -le 2 ] &&
	pass "two trials at once: $ok passed, the others saw pool_exhausted (exit $rc1, $rc2)" ||
	fail "two trials at once: exit $rc1 and $rc2, $ok passed"
for _ in $(seq 1 50); do [ "$(free_pages)" -eq "$before" ] && break; sleep 0.1; done
[ "$(free_pages)" -eq "$before" ] && [ -z "$(ls -A "$mnt")" ] &&
	pass "two trials at once: pool as before" || fail "two trials: pool $(free_pages), was $before"

# A trial while DPDK holds most of the pool: DPDK keeps running, the trial
# says the pool is short, and DPDK quits normally afterwards.
if command -v dpdk-test >/dev/null 2>&1; then
	setup 64
	mkfifo "$T/dpdk.in"
	dpdk-test --no-pci -l 0 --file-prefix hpdtr$$ -m 96 --huge-dir "$mnt" \
		< "$T/dpdk.in" > "$T/dpdk.log" 2>&1 &
	dp=$!
	exec 4> "$T/dpdk.in"
	for _ in $(seq 1 100); do grep -q 'RTE>>' "$T/dpdk.log" && break; sleep 0.1; done
	expect_exit 2 "trial while DPDK holds the pool" -- "$HPDIAG" --color never trial -n 32 --huge-dir "$mnt"
	contains "$out" "[pool_exhausted" "the trial sees the pool taken"
	kill -0 "$dp" 2>/dev/null && pass "DPDK still running" || fail "DPDK died during the trial"
	echo quit >&4
	exec 4>&-
	wait "$dp"
	rc=$?
	[ "$rc" -eq 0 ] && pass "DPDK quits normally after the trial" || fail "DPDK exit $rc: $(tail -n 5 "$T/dpdk.log")"
	rm -rf "/var/run/dpdk/hpdtr$$"
fi

# SIGINT stops the child too (in the middle of a large trial).
setup "$pages"
before=$(free_pages)
"$HPDIAG" -q trial -n "$pages" --huge-dir "$mnt" > /dev/null 2>&1 &
bg=$!
sleep 0.05
kill -INT "$bg"
wait "$bg"
rc=$?
bg=
[ "$(free_pages)" -eq "$before" ] && pass "SIGINT (exit $rc): pool as before" || fail "SIGINT: pool not restored"
finish
