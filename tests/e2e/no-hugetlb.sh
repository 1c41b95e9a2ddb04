#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A kernel without hugetlb, as DPDK and hpdiag see one: in a private mount
# namespace an empty tmpfs hides /sys/kernel/mm/hugepages (where both find
# the page sizes), a copy of /proc/meminfo without its HugePages_,
# Hugepagesize and Hugetlb lines is bound over it, and the hugetlbfs mounts
# are unmounted.  Real DPDK 22.11 (dpdk-test) stops at discovery with
# "Cannot get hugepage information"; check, fix and explain must say
# no_pool, propose no mount and no pool, and not crash (they died with
# SIGFPE there, a division by a page size of 0).  Nothing outside the
# namespace changes: no pool, no mount, no sysctl.
. "$TESTLIB"
# The mounts it unmounts in its namespace are the host's at that moment:
# one at a time with the tests that mount.
serialize "$@"
[ "$(id -u)" -eq 0 ] || skip "needs root"
command -v unshare >/dev/null 2>&1 || skip "unshare missing"
command -v dpdk-test >/dev/null 2>&1 || skip "dpdk-test missing (apt-get install dpdk-dev)"
[ -d /sys/kernel/mm/hugepages ] || skip "no /sys/kernel/mm/hugepages to hide"
unshare -m --propagation private true 2>/dev/null || skip "no mount namespaces here"

prefix=hpdnh$$
trap 'rm -rf "/var/run/dpdk/$prefix"; cleanup_tmp' EXIT
trap 'exit 130' INT TERM HUP PIPE

mounts=$(grep -c ' hugetlbfs ' /proc/mounts)
# The commands, run in one namespace whose sysfs has no hugepage sizes.
cat > "$T/run.sh" <<EOF
mount -t tmpfs -o size=4k,mode=0555 none /sys/kernel/mm/hugepages || exit 99
grep -v -e '^HugePages_' -e '^Hugepagesize:' -e '^Hugetlb:' /proc/meminfo > "$T/meminfo"
mount --bind "$T/meminfo" /proc/meminfo || exit 99
awk '\$3 == "hugetlbfs" { print \$2 }' /proc/mounts | while read -r m; do
	umount -l "\$m" || exit 99
done
echo "DPDK_TEST=memory_autotest dpdk-test --no-pci -l 0 -m 64 --file-prefix $prefix --no-telemetry" > "$T/dpdk.log"
DPDK_TEST=memory_autotest timeout 60 dpdk-test --no-pci -l 0 -m 64 \\
	--file-prefix $prefix --no-telemetry >> "$T/dpdk.log" 2>&1
echo \$? > "$T/dpdk.rc"
"$HPDIAG" --color never check -m 64 > "$T/check.out" 2>&1
echo \$? > "$T/check.rc"
"$HPDIAG" --color never --json check -m 64 > "$T/check.json" 2>&1
"$HPDIAG" --color never fix -m 64 > "$T/fix.out" 2>&1
echo \$? > "$T/fix.rc"
"$HPDIAG" --color never explain "$T/dpdk.log" > "$T/explain.out" 2>&1
echo \$? > "$T/explain.rc"
"$HPDIAG" --color never pools > "$T/pools.out" 2>&1
EOF
unshare -m --propagation private sh "$T/run.sh"
rc=$?
[ "$rc" -ne 99 ] || skip "cannot mount over /sys/kernel/mm/hugepages"
[ -d /sys/kernel/mm/hugepages ] && [ -n "$(ls /sys/kernel/mm/hugepages)" ] &&
	grep -q '^Hugepagesize:' /proc/meminfo &&
	pass "the host's /sys/kernel/mm/hugepages and /proc/meminfo are untouched" ||
	fail "the host's /sys/kernel/mm/hugepages or /proc/meminfo changed"
[ "$(grep -c ' hugetlbfs ' /proc/mounts)" -eq "$mounts" ] &&
	pass "the host's hugetlbfs mounts are untouched" ||
	fail "the host's hugetlbfs mounts changed"

# DPDK, the ground truth.
dpdk=$(cat "$T/dpdk.log")
[ "$(cat "$T/dpdk.rc")" -ne 0 ] && pass "DPDK fails (exit $(cat "$T/dpdk.rc"))" ||
	fail "DPDK started: $dpdk"
contains "$dpdk" "Cannot get hugepage information" "DPDK stops at discovery"

# check: no_pool, met first; no mount to make; exit 2, not a signal.
out=$(cat "$T/check.out")
[ "$(cat "$T/check.rc")" -eq 2 ] && pass "check exits 2" ||
	fail "check exits $(cat "$T/check.rc"): $out"
contains "$out" "workload: dynamic (DPDK 22.11), no hugepage size: the kernel offers none" \
	"check: no page size to count pages in"
contains "$out" "FAIL  pool                     this kernel offers no hugepages at all" \
	"check: the pool fails"
contains "$out" "[no_pool, met first]" \
	"check: no_pool is met first, as DPDK meets it"
contains "$out" "note:     use a kernel built with CONFIG_HUGETLBFS" "check: the remedy"
case $out in
*"mount -t hugetlbfs"*|*"nr_hugepages"*) fail "check proposes a mount or a pool: $out" ;;
*) pass "check proposes no mount and no pool" ;;
esac
if command -v python3 >/dev/null 2>&1; then
	cat > "$T/one.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
bad = [f for f in d["findings"] if f["status"] == "fail"]
sys.exit(not (d["verdict"] == "fail" and len(bad) == 1 and
	      bad[0]["check"] == "pool" and bad[0]["cause"] == "no_pool"))
PY
	if python3 "$T/one.py" "$T/check.json"; then
		pass "JSON: the one failure is pool/no_pool"
	else
		fail "JSON: $(cat "$T/check.json")"
	fi
fi

# fix: nothing to plan, the kernel named.
out=$(cat "$T/fix.out")
[ "$(cat "$T/fix.rc")" -eq 2 ] && pass "fix exits 2" || fail "fix exits $(cat "$T/fix.rc"): $out"
contains "$out" "plan:     nothing to change on this host" "fix plans nothing"

# explain reads DPDK's log and names the same cause.
out=$(cat "$T/explain.out")
[ "$(cat "$T/explain.rc")" -eq 2 ] && pass "explain exits 2" ||
	fail "explain exits $(cat "$T/explain.rc"): $out"
contains "$out" "this host shows no_pool" "explain: no_pool, as check"

contains "$(cat "$T/pools.out")" "no hugepage pools" "pools says there are none"
finish
