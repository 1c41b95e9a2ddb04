#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# DPDK is the ground truth.  Under each limit scenario, run real DPDK 22.11
# (dpdk-test, DPDK_TEST=memory_autotest) and hpdiag check and explain in the
# same state; fail where hpdiag's verdict or cause disagrees with what DPDK
# really did.  Global state (the 2 MiB pool, a private hugetlbfs mount) is
# saved and restored on every exit path; vm.max_map_count is never lowered:
# a preload library takes VMAs in the DPDK process itself, and limits are
# set per process with prlimit.
. "$TESTLIB"
serialize "$@"
needs dpdk prlimit
[ -f "$VMAHOG" ] || skip "tests/vmahog.so not built"

prefix=hpdgt$$
mnt=$T/mnt
plain=$T/plain
CG=/sys/fs/cgroup/unified
cgd=$CG/hpdiag-dpdk$$
old_sub=$(cat "$CG/cgroup.subtree_control" 2>/dev/null)
restore() {
	rm -f "$mnt"/* 2>/dev/null
	mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
	rm -rf "/var/run/dpdk/$prefix" "${XDG_RUNTIME_DIR:-/tmp}/dpdk/$prefix" "/tmp/dpdk/$prefix"
	[ -d "$cgd" ] && rmdir "$cgd"
	case " $old_sub " in
	*" hugetlb "*) ;;
	*) grep -qw hugetlb "$CG/cgroup.subtree_control" 2>/dev/null &&
		echo -hugetlb > "$CG/cgroup.subtree_control" ;;
	esac
	echo "$old_pool" > "$pool"
	rm -rf "$T"
}
trap restore EXIT
trap 'exit 130' INT TERM HUP PIPE
mkdir -p "$mnt" "$plain"

# dpdk LOG [PREFIX-COMMAND...] -- EAL OPTIONS: runs dpdk-test, keeps its log
# (with its command line first, as a user would paste it), sets $dpdk_rc.
dpdk() {
	log=$1
	shift
	pre=
	while [ "$1" != "--" ]; do pre="$pre $1"; shift; done
	shift
	echo "# DPDK_TEST=memory_autotest dpdk-test --no-pci -l 0 --file-prefix $prefix $*" > "$log"
	# shellcheck disable=SC2086
	env DPDK_TEST=memory_autotest $pre timeout 120 dpdk-test --no-pci -l 0 \
		--file-prefix "$prefix" "$@" < /dev/null >> "$log" 2>&1
	dpdk_rc=$?
	rm -f "$mnt"/* 2>/dev/null
	rm -rf "/var/run/dpdk/$prefix"
}

first_cause() {	# the cause hpdiag check marks as met first
	sed -n 's/.*\[\([a-z_]*\), met first.*/\1/p'
}
trial_cause() {
	sed -n 's/^FAIL  trial .*\[\([a-z_]*\), met first.*/\1/p'
}
explain_cause() {
	sed -n 's/^FAIL  explain .*\[\([a-z_]*\)\]$/\1/p'
}

# trial_agrees TRIAL OPTIONS: the trial, under $pre, names $want.
trial_agrees() {
	# shellcheck disable=SC2086
	tr=$($pre "$HPDIAG" --color never trial "$@" 2>&1)
	got=$(printf '%s\n' "$tr" | trial_cause)
	[ "$got" = "$want" ] && pass "$name: trial says $want" ||
		{ fail "$name: trial says '$got', DPDK failed on $want:"; printf '%s\n' "$tr" >&2; }
}

# scenario NAME CAUSE LOG [PREFIX-COMMAND...] -- HPDIAG WORKLOAD OPTIONS
# DPDK must have failed; check must fail with CAUSE first, explain name it.
scenario() {
	name=$1 want=$2 log=$3
	shift 3
	pre=
	while [ "$1" != "--" ]; do pre="$pre $1"; shift; done
	shift
	if [ "$dpdk_rc" -eq 0 ]; then
		fail "$name: DPDK succeeded, the scenario does not hold"
		return
	fi
	pass "$name: DPDK failed (exit $dpdk_rc): $(grep -m1 -E 'FATAL|Not enough|Cannot' "$log")"
	# shellcheck disable=SC2086
	check=$($pre "$HPDIAG" --color never check "$@" 2>&1)
	got=$(printf '%s\n' "$check" | first_cause)
	[ "$got" = "$want" ] && pass "$name: check says $want" ||
		{ fail "$name: check says '$got', DPDK failed on $want:"; printf '%s\n' "$check" >&2; }
	# The trial maps for real under the same limits.  (A sanitizer build
	# cannot start under ulimit -v; that scenario reads it via --pid.)
	case " $* " in
	*" --pid "*) ;;
	*" --baseline-vmas "*)
		# A sanitizer build's allocator needs mappings of its own.
		[ -n "${HPDIAG_SANITIZED:-}" ] || trial_agrees "$@" ;;
	*) trial_agrees "$@" ;;
	esac
	# shellcheck disable=SC2086
	expl=$($pre "$HPDIAG" --color never explain "$log" "$@" 2>&1)
	got=$(printf '%s\n' "$expl" | explain_cause)
	[ "$got" = "$want" ] && pass "$name: explain says $want" ||
		{ fail "$name: explain says '$got', DPDK failed on $want:"; printf '%s\n' "$expl" >&2; }
}

# A control: enough of everything, DPDK and hpdiag agree it works.
setup 64
dpdk "$T/ok.log" -- -m 64 --huge-dir "$mnt"
[ "$dpdk_rc" -eq 0 ] && pass "control: DPDK succeeds with 64 pages" ||
	{ fail "control: DPDK failed"; cat "$T/ok.log" >&2; }
out=$("$HPDIAG" --color never check -m 64 --huge-dir "$mnt" 2>&1)
case $out in *"verdict: FAIL"*) fail "control: check fails: $out" ;; *) pass "control: check passes" ;; esac
out=$("$HPDIAG" --color never trial -m 64 --huge-dir "$mnt" 2>&1)
case $out in *"PASS  trial"*) pass "control: trial passes" ;; *) fail "control: trial fails: $out" ;; esac

# 1. The pool is too small.
setup 16
dpdk "$T/pool.log" -- -m 64 --huge-dir "$mnt"
scenario "pool too small" pool_exhausted "$T/pool.log" -- -m 64 --huge-dir "$mnt"

# 2. A size= quota on the mount.
setup 64 size=32M
dpdk "$T/quota.log" -- -m 64 --huge-dir "$mnt"
scenario "mount quota" mount_quota "$T/quota.log" -- -m 64 --huge-dir "$mnt"

# 3. No hugetlbfs where --huge-dir points.
setup 64
dpdk "$T/nomount.log" -- -m 64 --huge-dir "$plain"
scenario "no hugetlbfs mount" no_mount "$T/nomount.log" -- -m 64 --huge-dir "$plain"

# 4. ulimit -v: the memseg lists' address space is refused.  A sanitizer
# build of hpdiag cannot start under ulimit -v (its shadow memory alone is
# terabytes): then it reads the limit from a process that runs under it.
setup 64
dpdk "$T/as.log" prlimit --as=8000000000 -- -m 64 --huge-dir "$mnt"
if [ -n "${HPDIAG_SANITIZED:-}" ]; then
	prlimit --as=8000000000 sleep 60 &
	limited=$!
	scenario "prlimit --as (via --pid)" rlimit_as "$T/as.log" -- -m 64 \
		--huge-dir "$mnt" --pid "$limited" --baseline-vmas 1060
	kill "$limited"
else
	scenario "prlimit --as" rlimit_as "$T/as.log" prlimit --as=8000000000 -- \
		-m 64 --huge-dir "$mnt"
fi

# 5. ulimit -n: one fd per page.
setup 128
dpdk "$T/nofile.log" prlimit --nofile=64 -- -m 256 --huge-dir "$mnt"
scenario "prlimit --nofile" rlimit_nofile "$T/nofile.log" prlimit --nofile=64 -- -m 256 --huge-dir "$mnt"

# 6. Legacy mode near vm.max_map_count (seed 000): measure dpdk-test's own
# VMAs (with the preload loaded, --no-huge adds 4), then take VMAs so that
# 40 are left beyond the lists: dynamic -m 32 (16 pages) fits, legacy,
# which maps all 64 free pages first, does not.
limit=$(cat /proc/sys/vm/max_map_count)
base=$(dpdk_own_vmas "$VMAHOG" "$prefix")
pass "dpdk-test holds $base VMAs before memory init"
hog=$((limit - base - 10 - 40))
setup 64
dpdk "$T/dyn.log" env LD_PRELOAD="$VMAHOG" HPDIAG_HOG_VMAS=$hog -- -m 32 --huge-dir "$mnt"
[ "$dpdk_rc" -eq 0 ] && pass "dynamic -m 32 fits with $hog VMAs taken" ||
	{ fail "dynamic -m 32 failed under the hog"; cat "$T/dyn.log" >&2; }
out=$("$HPDIAG" --color never check -m 32 --huge-dir "$mnt" --baseline-vmas $((base + hog)) 2>&1)
case $out in *"[map_count_limit"*) fail "check predicts map_count_limit for dynamic: $out" ;;
*) pass "check: dynamic -m 32 fits the map count" ;; esac
if [ -z "${HPDIAG_SANITIZED:-}" ]; then
	out=$("$HPDIAG" --color never trial -m 32 --huge-dir "$mnt" --baseline-vmas $((base + hog)) 2>&1)
	case $out in *"PASS  trial"*) pass "trial: dynamic -m 32 fits the map count" ;;
	*) fail "trial fails dynamic -m 32: $out" ;; esac
fi
dpdk "$T/legacy.log" env LD_PRELOAD="$VMAHOG" HPDIAG_HOG_VMAS=$hog -- -m 32 --legacy-mem --huge-dir "$mnt"
scenario "legacy near vm.max_map_count" map_count_limit "$T/legacy.log" -- \
	-m 32 --mode legacy --huge-dir "$mnt" --baseline-vmas $((base + hog))

# The lab cases of explain (issue #16): a limit on DPDK alone, which the
# host as hpdiag sees it does not show; explain must still name it from
# the log (and say where to look), never "unknown".
# alone NAME CAUSE LOG -- HPDIAG WORKLOAD OPTIONS: explain, with no limit.
alone() {
	name=$1 want=$2 log=$3
	shift 4
	# shellcheck disable=SC2086
	expl=$("$HPDIAG" --color never explain "$log" "$@" 2>&1)
	got=$(printf '%s\n' "$expl" | explain_cause)
	[ "$got" = "$want" ] && pass "$name: explain says $want" ||
		{ fail "$name: explain says '$got', DPDK failed on $want:"; printf '%s\n' "$expl" >&2; }
}
setup 64
dpdk "$T/as-alone.log" prlimit --as=8000000000 -- -m 64 --huge-dir "$mnt"
[ "$dpdk_rc" -ne 0 ] && pass "RLIMIT_AS on DPDK alone: DPDK failed" || fail "RLIMIT_AS on DPDK alone: DPDK succeeded"
alone "RLIMIT_AS on DPDK alone" rlimit_as "$T/as-alone.log" -- -m 64 --huge-dir "$mnt"
contains "$expl" "LimitAS=" "RLIMIT_AS on DPDK alone: says where to look"
setup 128
dpdk "$T/nofile-alone.log" prlimit --nofile=64 -- -m 256 --huge-dir "$mnt"
alone "RLIMIT_NOFILE on DPDK alone" rlimit_nofile "$T/nofile-alone.log" -- -m 256 --huge-dir "$mnt"
setup 64
chmod 755 "$T" "$mnt"		# nobody reaches the mount, and may not write it
printf '#!/bin/sh\nexec runuser -u nobody -- "$@"\n' > "$T/asnobody"
chmod 755 "$T/asnobody"
dpdk "$T/user.log" "$T/asnobody" -- -m 64 --iova-mode=va --huge-dir "$mnt"
alone "a user who cannot write the mount" mount_permission "$T/user.log" -- -m 64 --huge-dir "$mnt"
setup 64
umount "$mnt"
if grep -qw hugetlbfs /proc/mounts; then
	echo "another hugetlbfs is mounted: the --in-memory case is skipped"
else
	dpdk "$T/inmem.log" -- -m 64 --in-memory
	[ "$dpdk_rc" -eq 0 ] && pass "--in-memory with no mount: DPDK succeeds" ||
		fail "--in-memory with no mount: DPDK failed"
	expect_exit 0 "--in-memory with no mount" -- "$HPDIAG" --color never explain "$T/inmem.log"
	contains "$out" "PASS  explain" "--in-memory with no mount: a pass"
fi
if grep -qw hugetlb "$CG/cgroup.controllers" 2>/dev/null; then
	setup 128
	grep -qw hugetlb "$CG/cgroup.subtree_control" || echo +hugetlb > "$CG/cgroup.subtree_control"
	mkdir "$cgd" && echo 64M > "$cgd/hugetlb.2MB.max"
	printf '#!/bin/sh\necho $$ > %s/cgroup.procs\nexec "$@"\n' "$cgd" > "$T/incg"
	chmod 755 "$T/incg"
	dpdk "$T/cgroup.log" "$T/incg" -- -m 256 --huge-dir "$mnt"
	alone "a cgroup hugetlb limit on DPDK alone" cgroup_hugetlb_limit "$T/cgroup.log" -- -m 256 --huge-dir "$mnt"
	contains "$expl" "hugetlb.2MB.max" "cgroup on DPDK alone: says where to look"
	# A bare "Bus error" (tests/logs/pg-cgroup.log): with --pid of a
	# process in that cgroup, its hugetlb limit confirms it.
	"$T/incg" sleep 60 &
	sleeper=$!
	sleep 0.2
	expect_exit 2 "a bare Bus error, --pid in the cgroup" -- "$HPDIAG" --color never explain \
		--pid "$sleeper" "$LOGS/pg-cgroup.log"
	contains "$out" "this host shows cgroup_hugetlb_limit" "--pid: the cgroup's limit confirms the SIGBUS"
	contains "$out" "limit=67108864" "--pid: the limit as evidence"
	kill "$sleeper"
	wait "$sleeper" 2>/dev/null
else
	echo "no cgroup v2 hugetlb controller: the cgroup case is skipped"
fi
finish
