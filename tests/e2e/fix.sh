#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `hpdiag fix`: the plan changes nothing; --apply on writable copies of
# fixture trees writes, verifies, persists and is idempotent; a symlink
# and missing rights are refused before any write; and on the live kernel
# (root) a pool grown by a few pages, a mount of a temporary hugetlbfs and a
# stale page file removed - everything put back on every exit path.
. "$TESTLIB"
serialize "$@"

tree_sum() {
	(cd "$1" && find . -type f -exec md5sum {} + | sort)
}

# ---- fixtures ---------------------------------------------------------------
cp -a "$FIXTURES/seed-000" "$T/seed"
before=$(tree_sum "$T/seed")
legacy="--mode legacy --dpdk-version 16.04 -n 3100"

# shellcheck disable=SC2086
expect_exit 2 "plan for seed 000 (exit as check)" -- "$HPDIAG" --sysroot "$T/seed" fix $legacy
contains "$out" "planned   vm.max_map_count" "the plan raises vm.max_map_count"
contains "$out" "3096 -> 65530" "from the seed's 3096 to 65530"
contains "$out" "nothing was changed" "the plan says nothing was written"
[ "$(tree_sum "$T/seed")" = "$before" ] && pass "the plan wrote nothing" ||
	fail "fix without --apply changed the tree"

# shellcheck disable=SC2086
expect_exit 2 "--json plan" -- "$HPDIAG" --sysroot "$T/seed" --json fix $legacy
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
p = d["plan"][0]
assert d["command"] == "fix" and d["verdict"] == "fail", d
assert p["setting"] == "vm.max_map_count" and p["from"] == 3096 and p["to"] == 65530, p
assert p["status"] == "planned" and p["check"] == "map_count", p
assert d["fix"]["applied"] is False
' && pass "JSON plan: setting, from, to, status planned" || fail "JSON plan: $out"

# hpdiag creates /etc/sysctl.d, not /etc: refused before any write.
# shellcheck disable=SC2086
expect_exit 3 "--persist without /etc is refused" -- \
	"$HPDIAG" --sysroot "$T/seed" fix $legacy --apply --persist
contains "$err" "$T/seed/etc: does not exist" "the refusal names the missing directory"
[ "$(tree_sum "$T/seed")" = "$before" ] && pass "refused: nothing written" ||
	fail "a refused plan wrote"

# A symlink where the persist file goes: refused before any write.
mkdir -p "$T/seed/etc/sysctl.d"
echo precious > "$T/seed/etc/other.conf"
ln -s ../other.conf "$T/seed/etc/sysctl.d/60-hpdiag.conf"
# shellcheck disable=SC2086
expect_exit 3 "--persist onto a symlink is refused" -- \
	"$HPDIAG" --sysroot "$T/seed" fix $legacy --apply --persist
contains "$err" "60-hpdiag.conf: is a symbolic link" "the refusal names the file"
[ "$(cat "$T/seed/proc/sys/vm/max_map_count")" = 3096 ] &&
	pass "refused: vm.max_map_count untouched" || fail "a refused plan wrote"
[ "$(cat "$T/seed/etc/other.conf")" = precious ] && pass "the link's target untouched" ||
	fail "wrote through the symlink"
rm "$T/seed/etc/sysctl.d/60-hpdiag.conf"

# Apply and persist, keeping the file's other lines.
printf '# ours\nkernel.pid_max = 4194304\nvm.max_map_count = 5000\n' \
	> "$T/seed/etc/sysctl.d/60-hpdiag.conf"
# shellcheck disable=SC2086
# (exit 1: the stale files DPDK reclaims stay a warning)
expect_exit 1 "check --fix applies and persists" -- \
	"$HPDIAG" --sysroot "$T/seed" check $legacy --fix --persist
contains "$out" "verified  vm.max_map_count" "the write is read back"
[ "$(cat "$T/seed/proc/sys/vm/max_map_count")" = 65530 ] && pass "vm.max_map_count is 65530" ||
	fail "vm.max_map_count: $(cat "$T/seed/proc/sys/vm/max_map_count")"
conf=$(cat "$T/seed/etc/sysctl.d/60-hpdiag.conf")
contains "$conf" "kernel.pid_max = 4194304" "other settings of the file kept"
contains "$conf" "vm.max_map_count = 65530" "the setting updated in place"
[ "$(grep -c max_map_count "$T/seed/etc/sysctl.d/60-hpdiag.conf")" = 1 ] &&
	pass "one line for the key" || fail "duplicate key lines: $conf"
ls -a "$T/seed/etc/sysctl.d" | grep -q 'hpdiag-' && fail "a temporary file was left" ||
	pass "no temporary file left"

# JSON after --apply: each step's outcome.
cp -a "$FIXTURES/seed-000" "$T/seed2"
# shellcheck disable=SC2086
expect_exit 1 "--json fix --apply" -- "$HPDIAG" --sysroot "$T/seed2" --json fix $legacy --apply
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["fix"]["applied"] is True and d["fix"]["rolled_back"] is False, d["fix"]
assert [p["status"] for p in d["plan"]] == ["verified"], d["plan"]
assert d["verdict"] == "warn", d["verdict"]
' && pass "JSON: the step verified, the verdict of the host after it" || fail "JSON after apply: $out"

# Idempotent.
# shellcheck disable=SC2086
expect_exit 1 "second --apply" -- "$HPDIAG" --sysroot "$T/seed" --json fix $legacy -y --persist
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["plan"] == [], d["plan"]
' && pass "a second fix --apply plans nothing" || fail "not idempotent: $out"

# Per-node growth and a mount, in a two-node tree.
cp -a "$FIXTURES/two-node" "$T/two"
mkdir -p "$T/two/mnt"
expect_exit 1 "node pool and mount applied (nofile is an rlimit: still a warning)" -- \
	"$HPDIAG" --sysroot "$T/two" fix --socket-mem 2048,2048 --huge-dir /mnt/huge -y --persist
contains "$out" "verified  node1/hugepages-2048kB/nr_hugepages" "node 1's pool grown"
contains "$out" "verified  mount /mnt/huge" "mount recorded in the tree"
contains "$out" "LimitNOFILE=" "rlimit lines printed, not written"
contains "$out" "hugepagesz=2M hugepages=0:1024,1:2024" "the boot-time line for the nodes"
[ -e "$T/two/etc/sysctl.d" ] && fail "--persist wrote a file with no sysctl to keep" ||
	pass "no sysctl changed: no persist file"
n1=$T/two/sys/devices/system/node/node1/hugepages/hugepages-2048kB
[ "$(cat "$n1/nr_hugepages")" = 2024 ] && pass "node1 nr_hugepages 2024" ||
	fail "node1 nr_hugepages $(cat "$n1/nr_hugepages")"
grep -q ' /mnt/huge .* hugetlbfs nodev rw,pagesize=2M' "$T/two/proc/self/mountinfo" &&
	pass "mountinfo records the mount" || fail "no mountinfo line"

# Rollback: the second of three writes fails (append-only: the pre-flight
# check cannot see it; needs root and a file system with the flag).
cp -a "$FIXTURES/this-host" "$T/rb"
ovc=$T/rb/sys/kernel/mm/hugepages/hugepages-2048kB/nr_overcommit_hugepages
if chattr +a "$ovc" 2>/dev/null; then
	expect_exit 3 "a failing write rolls back" -- "$HPDIAG" --sysroot "$T/rb" fix \
		-m 4096 --baseline-vmas 70000 --overcommit 8 --apply
	chattr -a "$ovc"
	contains "$out" "reverted  vm.max_map_count" "the first write reverted"
	contains "$out" "failed    hugepages-2048kB/nr_overcommit_hugepages" "the second failed"
	contains "$out" "unchanged hugepages-2048kB/nr_hugepages" "the third not tried"
	contains "$err" "put back" "the error says what was put back"
	[ "$(cat "$T/rb/proc/sys/vm/max_map_count")" = 65530 ] &&
		[ "$(cat "$T/rb/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages")" = 64 ] &&
		pass "every value as before" || fail "rollback left changes"
else
	echo "chattr +a not possible here: rollback test skipped"
fi

# kill -9 of fix --apply --persist at many moments: every setting is the old
# value or the new one, the persist file the old one or the new one.
cp -a "$FIXTURES/this-host" "$T/ref"
mkdir -p "$T/ref/etc/sysctl.d"
printf '# theirs\nkernel.pid_max = 4194304\n' > "$T/ref/etc/sysctl.d/60-hpdiag.conf"
cp -a "$T/ref" "$T/kref"
kargs="-m 4096 --baseline-vmas 70000 --overcommit 8 --apply --persist"
# shellcheck disable=SC2086
"$HPDIAG" --sysroot "$T/kref" fix $kargs > /dev/null 2>&1
hp=sys/kernel/mm/hugepages/hugepages-2048kB
settings="proc/sys/vm/max_map_count $hp/nr_overcommit_hugepages $hp/nr_hugepages $hp/free_hugepages etc/sysctl.d/60-hpdiag.conf"
torn=0
for delay in 0 0.0005 0.001 0.002 0.003 0.005 0.008 0.012 0.02 0.05; do
	rm -rf "$T/k" && cp -a "$T/ref" "$T/k"
	# shellcheck disable=SC2086
	"$HPDIAG" --sysroot "$T/k" fix $kargs > /dev/null 2>&1 &
	bg=$!
	sleep "$delay"
	kill -9 "$bg" 2>/dev/null
	wait "$bg" 2>/dev/null
	for f in $settings; do
		if ! cmp -s "$T/k/$f" "$T/ref/$f" && ! cmp -s "$T/k/$f" "$T/kref/$f"; then
			torn=$((torn + 1))
			fail "kill -9 after ${delay}s: $f is neither old nor new: $(cat "$T/k/$f")"
		fi
	done
done
[ "$torn" -eq 0 ] && pass "kill -9 of fix --apply --persist at 10 moments: each setting and the persist file old or new"

# ---- the live kernel ---------------------------------------------------------
[ "$(id -u)" -eq 0 ] || finish
grep -qw hugetlbfs /proc/filesystems || finish
size_kb=$(awk '/^Hugepagesize:/ {print $2}' /proc/meminfo)
pool=/sys/kernel/mm/hugepages/hugepages-${size_kb}kB/nr_hugepages
[ -w "$pool" ] || finish

old_pool=$(cat "$pool")
old_mmc=$(cat /proc/sys/vm/max_map_count)
priv=$T/priv
newmnt=$T/new
restore() {
	for m in "$newmnt" "$priv"; do
		rm -f "$m"/* 2>/dev/null
		mountpoint -q "$m" 2>/dev/null && umount "$m"
	done
	echo "$old_pool" > "$pool"
	[ "$(cat /proc/sys/vm/max_map_count)" = "$old_mmc" ] ||
		echo "$old_mmc" > /proc/sys/vm/max_map_count
	rm -rf "$T"
}
trap restore EXIT
trap 'exit 130' INT TERM HUP PIPE
chmod 755 "$T"

mkdir -p "$priv"
mount -t hugetlbfs -o "pagesize=${size_kb}k" nodev "$priv" || skip "cannot mount hugetlbfs"

# Unprivileged: refused, naming the file, nothing changed.
free=$(cat "${pool%/*}/free_hugepages")
need_pages=$((free + 3))
if command -v setpriv >/dev/null 2>&1 &&
   setpriv --reuid=nobody --regid=nogroup --clear-groups "$HPDIAG" --version >/dev/null 2>&1; then
	expect_exit 3 "fix --apply as nobody is refused" -- setpriv --reuid=nobody \
		--regid=nogroup --clear-groups "$HPDIAG" fix -n "$need_pages" --huge-dir "$priv" --apply
	contains "$err" "$pool: not writable by uid" "the refusal names $pool"
	[ "$(cat "$pool")" = "$old_pool" ] && pass "nothing changed" || fail "the pool changed"
fi

# Without CAP_SYS_ADMIN a plan that mounts is refused before its pool step.
mkdir -p "$newmnt"
if command -v capsh >/dev/null 2>&1; then
	expect_exit 3 "no CAP_SYS_ADMIN: refused" -- capsh --drop=cap_sys_admin -- -c \
		"exec '$HPDIAG' fix -n $need_pages --huge-dir '$newmnt' --apply"
	contains "$err" "CAP_SYS_ADMIN" "the refusal names CAP_SYS_ADMIN"
	[ "$(cat "$pool")" = "$old_pool" ] && pass "the pool step did not run" ||
		fail "the pool changed before the refusal"
	mountpoint -q "$newmnt" && fail "mounted without CAP_SYS_ADMIN" || pass "nothing mounted"
else
	echo "capsh missing: capability test skipped"
fi

# A read-only /proc/sys (as in a container), in a private mount namespace.
if command -v unshare >/dev/null 2>&1 &&
   unshare -m sh -c 'mount --bind /proc/sys /proc/sys && mount -o remount,ro,bind /proc/sys' 2>/dev/null; then
	expect_exit 3 "read-only /proc/sys: refused" -- unshare -m sh -c \
		"mount --bind /proc/sys /proc/sys && mount -o remount,ro,bind /proc/sys &&
		 exec '$HPDIAG' fix -n 1 --huge-dir '$priv' --baseline-vmas $((old_mmc + 1000)) --apply"
	contains "$err" "/proc/sys is mounted read-only" "says /proc/sys is read-only"
	contains "$err" "on the host run sysctl -w vm.max_map_count=" "and what to run on the host"
	[ "$(cat /proc/sys/vm/max_map_count)" = "$old_mmc" ] && pass "nothing changed" ||
		fail "vm.max_map_count changed"
else
	echo "no private mount namespace: read-only /proc/sys test skipped"
fi

# Grow the pool by a few pages for a workload that needs them.
expect_exit 0 "fix --apply grows the pool" -- "$HPDIAG" fix -n "$need_pages" --huge-dir "$priv" --apply
contains "$out" "verified  hugepages-${size_kb}kB/nr_hugepages" "the pool write is read back"
got=$(cat "${pool%/*}/free_hugepages")
[ "$got" -ge "$need_pages" ] && pass "$got pages free, $need_pages needed" || fail "only $got free"
expect_exit 0 "then check passes" -- "$HPDIAG" check -n "$need_pages" --huge-dir "$priv"
expect_exit 0 "a second fix plans nothing" -- "$HPDIAG" fix -n "$need_pages" --huge-dir "$priv" --apply
contains "$out" "nothing to change" "idempotent on the live host"
[ "$(cat /proc/sys/vm/max_map_count)" -ge "$old_mmc" ] && pass "vm.max_map_count not lowered" ||
	fail "vm.max_map_count lowered"

# Mount a hugetlbfs for a directory with no mount.
expect_exit 0 "fix --apply mounts" -- "$HPDIAG" fix -n 1 --huge-dir "$newmnt" --apply
contains "$out" "verified  mount $newmnt" "the mount is verified"
grep -q " $newmnt hugetlbfs .*pagesize=" /proc/mounts && pass "hugetlbfs mounted at $newmnt" ||
	fail "no mount at $newmnt"
umount "$newmnt"

# Stale files in the private mount: a DPDK page file and a file no
# hugepage user makes again.  --clean-stale removes the page file only;
# the other goes when --clean-stale=FILE names it.
if fallocate -l "${size_kb}k" "$priv/stale" 2>/dev/null &&
   fallocate -l "${size_kb}k" "$priv/rtemap_7" 2>/dev/null; then
	before=$(cat "${pool%/*}/free_hugepages")
	expect_exit 1 "without --clean-stale the files are only named" -- \
		"$HPDIAG" fix -n 1 --huge-dir "$priv" --apply
	[ -e "$priv/stale" ] && [ -e "$priv/rtemap_7" ] && pass "not removed unasked" ||
		fail "removed without --clean-stale"
	expect_exit 1 "--clean-stale removes the page file" -- "$HPDIAG" fix -n 1 \
		--huge-dir "$priv" --apply --clean-stale
	contains "$out" "verified  remove $priv/rtemap_7" "the removal is verified"
	[ -e "$priv/rtemap_7" ] && fail "the page file is still there" || pass "the page file is gone"
	[ -e "$priv/stale" ] && pass "the other file is kept" ||
		fail "--clean-stale removed a file no hugepage user makes again"
	expect_exit 3 "--clean-stale=FILE of a file that is not there" -- "$HPDIAG" fix -n 1 \
		--huge-dir "$priv" --apply --clean-stale="$priv/nothere"
	contains "$err" "--clean-stale=$priv/nothere: not a file" "says which"
	expect_exit 0 "--clean-stale=FILE removes the file it names" -- "$HPDIAG" fix -n 1 \
		--huge-dir "$priv" --apply --clean-stale="$priv/stale"
	[ -e "$priv/stale" ] && fail "the named file is still there" || pass "the named file is gone"
	[ "$(cat "${pool%/*}/free_hugepages")" -ge $((before + 2)) ] &&
		pass "their pages are free again" || fail "no page came back"
else
	echo "fallocate on hugetlbfs not supported: stale-file test skipped"
fi
finish
