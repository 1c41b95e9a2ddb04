#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Page sizes, with real DPDK 22.11 as the ground truth: 1 GiB pages (a
# trial maps them, as DPDK does), the page size --huge-dir's mount decides,
# and a request spread over 1 GiB and 2 MiB pages.  In each state dpdk-test
# runs (DPDK_TEST=memory_autotest) and hpdiag check, trial, explain and
# exec must agree with what it did; where the pools fall short, fix's plan
# is applied and DPDK must then start.  Both pools and two private
# hugetlbfs mounts are put back on every exit path.
. "$TESTLIB"
serialize "$@"
needs once dpdk
p2=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
p1=/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
[ -w "$p2" ] && [ -w "$p1" ] || skip "needs writable 2 MiB and 1 GiB pools"
# Any other hugetlbfs mount would be DPDK's too: the test needs its own.
[ -z "$(awk '$3 == "hugetlbfs"' /proc/mounts)" ] || skip "a hugetlbfs is mounted already"

old2=$(cat "$p2") old1=$(cat "$p1")
prefix=hpdsz$$
m2=$T/m2 m1=$T/m1
restore() {
	for m in "$m2" "$m1"; do
		rm -f "$m"/* 2>/dev/null
		mountpoint -q "$m" 2>/dev/null && umount "$m"
	done
	rm -rf "/var/run/dpdk/$prefix"
	echo "$old2" > "$p2"
	echo "$old1" > "$p1"
	rm -rf "$T"
}
trap restore EXIT
trap 'exit 130' INT TERM HUP PIPE
mkdir -p "$m2" "$m1"
mount -t hugetlbfs -o pagesize=1G nodev "$m1"

# pools P2 P1: the 2 MiB and 1 GiB pools, or skip when the kernel cannot.
pools() {
	rm -f "$m2"/* "$m1"/* 2>/dev/null
	echo "$1" > "$p2"
	echo "$2" > "$p1"
	[ "$(cat "$p2")" -ge "$1" ] && [ "$(cat "$p1")" -ge "$2" ] ||
		skip "could not reserve $1 x 2 MiB and $2 x 1 GiB pages"
}

# dpdk LOG EAL-OPTIONS...: dpdk-test, its log with its command line first.
dpdk() {
	log=$1
	shift
	echo "# dpdk-test --no-pci -l 0 --file-prefix $prefix $*" > "$log"
	env DPDK_TEST=memory_autotest timeout 120 dpdk-test --no-pci -l 0 \
		--no-telemetry --file-prefix "$prefix" "$@" < /dev/null >> "$log" 2>&1
	dpdk_rc=$?
	rm -rf "/var/run/dpdk/$prefix"
}

verdict() {	# the verdict word of a report
	sed -n 's/^verdict: \([A-Z]*\).*/\1/p'
}

# agree NAME DPDK-OK CHECK-ARGS...: check passes where DPDK started, and
# fails where it did not.
agree() {
	name=$1 ok=$2
	shift 2
	out=$("$HPDIAG" --color never check "$@" 2>&1)
	v=$(printf '%s\n' "$out" | verdict)
	if [ "$ok" = yes ] && [ "$v" != FAIL ]; then
		pass "$name: DPDK started, check says $v"
	elif [ "$ok" = no ] && [ "$v" = FAIL ]; then
		pass "$name: DPDK failed, check says FAIL"
	else
		fail "$name: DPDK started=$ok, check says '$v':"
		printf '%s\n' "$out" >&2
	fi
}

# 1. 1 GiB pages: a trial maps them as DPDK does.
pools 0 2
dpdk "$T/1g.log" --huge-dir "$m1" -m 1024
[ "$dpdk_rc" -eq 0 ] && pass "1 GiB: DPDK starts with --huge-dir on a 1 GiB mount" ||
	fail "1 GiB: DPDK failed: $(tail -3 "$T/1g.log")"
expect_exit 0 "1 GiB: trial maps a 1 GiB page" -- "$HPDIAG" trial --page-size 1G \
	--huge-dir "$m1" -m 1024
contains "$out" "mapped all 1 page;" "1 GiB: the trial mapped it"
for mode in legacy single-file; do
	expect_exit 0 "1 GiB: trial in $mode mode" -- "$HPDIAG" trial --page-size 1G \
		--huge-dir "$m1" -m 2048 --mode "$mode"
done
pools 0 0
dpdk "$T/1g0.log" --huge-dir "$m1" -m 1024
[ "$dpdk_rc" -ne 0 ] && pass "1 GiB pool 0: DPDK fails" || fail "1 GiB pool 0: DPDK started"
expect_exit 2 "1 GiB pool 0: trial fails" -- "$HPDIAG" --color never trial \
	--page-size 1G --huge-dir "$m1" -m 1024
contains "$out" "[no_pool, met first" "1 GiB pool 0: the trial says no_pool"

# 2. --huge-dir decides the page size, for check, explain and exec alike.
pools 0 2
agree "--huge-dir on 1 GiB" yes --huge-dir "$m1" -m 1024
contains "$out" "1 x 1 GiB pages" "--huge-dir: check models 1 GiB pages"
case $out in *"pagesize=2M"*) fail "--huge-dir: a remedy mounts 2 MiB pages: $out" ;;
*) pass "--huge-dir: no remedy mounts a second hugetlbfs" ;; esac
out=$("$HPDIAG" --color never explain "$T/1g.log" 2>&1)
contains "$out" "1 x 1 GiB pages" "--huge-dir: explain models 1 GiB pages from the log"
expect_exit 0 "--huge-dir: exec of DPDK" -- env DPDK_TEST=memory_autotest "$HPDIAG" \
	--color never exec -- dpdk-test --no-pci -l 0 --no-telemetry --file-prefix "$prefix" \
	--huge-dir "$m1" -m 1024
contains "$out" "1 x 1 GiB pages" "--huge-dir: exec models 1 GiB pages from the command"
rm -rf "/var/run/dpdk/$prefix"
expect_exit 3 "--page-size that contradicts --huge-dir" -- "$HPDIAG" check \
	--page-size 2M --huge-dir "$m1" -m 1024
contains "$err" "contradicts --huge-dir" "the contradiction is named"

# 3. Several sizes: DPDK spreads -m over every mounted size, largest first.
mount -t hugetlbfs -o pagesize=2M nodev "$m2"
# mix P2 P1 MB: DPDK and check in that state.
mix() {
	pools "$1" "$2"
	dpdk "$T/mix.log" -m "$3"
	if [ "$dpdk_rc" -eq 0 ]; then ok=yes; else ok=no; fi
	agree "2 MiB pool $1, 1 GiB pool $2, -m $3" "$ok" -m "$3"
}
mix 0 2 2048
[ "$ok" = yes ] || fail "2 MiB 0, 1 GiB 2, -m 2048: DPDK should start on 1 GiB pages"
grep -q "No free 2048 kB hugepages" "$T/mix.log" && pass "DPDK notes no free 2 MiB pages" ||
	fail "DPDK did not say so: $(cat "$T/mix.log")"
contains "$out" "2 x 1 GiB pages" "check takes 2 x 1 GiB"
mix 0 2 1500
contains "$out" "2 x 1 GiB pages" "-m 1500 rounds up to a second 1 GiB page"
mix 600 1 1500
contains "$out" "1 x 1 GiB + 238 x 2 MiB pages" "-m 1500 is 1 GiB and 238 x 2 MiB"
mix 600 2 100
contains "$out" "50 x 2 MiB pages" "-m 100 takes only 2 MiB pages"
mix 100 1 1500
[ "$ok" = no ] || fail "2 MiB 100, 1 GiB 1, -m 1500: DPDK should fail"
contains "$out" "[pool_exhausted" "the short pool is named"
# The plan grows the 2 MiB pool only, and DPDK then starts.
expect_exit 0 "fix --apply grows what falls short" -- "$HPDIAG" --color never fix \
	--apply -m 1500
case $out in *"hugepages-1048576kB/nr_hugepages"*)
	fail "fix grew the 1 GiB pool it does not need: $out" ;;
*) pass "fix leaves the 1 GiB pool alone" ;; esac
dpdk "$T/after.log" -m 1500
[ "$dpdk_rc" -eq 0 ] && pass "after fix, DPDK starts with -m 1500" ||
	fail "after fix, DPDK fails: $(tail -3 "$T/after.log")"
agree "after fix" yes -m 1500
# trial maps both sizes.
pools 600 1
expect_exit 0 "trial maps 1 GiB and 2 MiB pages" -- "$HPDIAG" trial -m 1500
contains "$out" "mapped all 239 pages" "the trial mapped 1 + 238 pages"
finish
