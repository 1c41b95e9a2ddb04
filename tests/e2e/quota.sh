#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Mount quotas, with real DPDK 22.11 as the ground truth: nr_inodes= (a
# page file per page, and the root directory's inode), size= and
# nr_inodes= together (both reported; the remedy, run as given, clears
# both and DPDK then starts), --single-file-segments (one file per memseg
# list), and stale DPDK page files that a start deletes (mounts and check
# show the same used pages, and check says which are discounted).  The
# pool and the private mount are put back on every exit path.
. "$TESTLIB"
serialize "$@"
needs once dpdk

private_mount hpdq$$

# dpdk LOG EAL-OPTIONS...: a one-shot dpdk-test (memory_autotest) on $mnt.
dpdk() {
	log=$1
	shift
	env DPDK_TEST=memory_autotest timeout 120 dpdk-test --no-pci -l 0 \
		--no-telemetry --file-prefix "$prefix" --huge-dir "$mnt" "$@" \
		< /dev/null > "$log" 2>&1
	dpdk_rc=$?
	rm -rf "/var/run/dpdk/$prefix"
}

verdict() {
	printf '%s\n' "$1" | sed -n 's/^verdict: \([A-Z]*\).*/\1/p'
}

# quota ARGS...: the mount_quota finding of check ARGS, as
# "STATUS|COMMANDS|MESSAGE" (empty without one), the remedy's commands
# joined by " && ".
quota() {
	"$HPDIAG" check --json "$@" | python3 -c '
import json, sys
for f in json.load(sys.stdin)["findings"]:
    if f["check"] == "mount_quota":
        cmds = " && ".join((f["remedy"] or {}).get("commands", []))
        print(f["status"], cmds, f["message"], sep="|")'
}

# agree NAME ARGS...: DPDK with ARGS, then check with the same workload;
# check fails where DPDK did, and passes where it started.
agree() {
	name=$1
	shift
	dpdk "$T/agree.log" "$@"
	q=$(quota --huge-dir "$mnt" "$@" | sed 's/--single-file-segments//')
	status=${q%%|*}
	if [ "$dpdk_rc" -eq 0 ] && [ "$status" != fail ]; then
		pass "$name: DPDK starts, mount_quota ${status:-absent}"
	elif [ "$dpdk_rc" -ne 0 ] && [ "$status" = fail ]; then
		pass "$name: DPDK fails, mount_quota fails"
	else
		fail "$name: DPDK rc $dpdk_rc, mount_quota '$q'; DPDK said: $(grep -m2 'EAL:' "$T/agree.log")"
	fi
}

echo 200 > "$pool"
[ "$(cat "$pool")" -ge 200 ] || skip "could not reserve 200 pages"

# nr_inodes=: 128 page files and the root directory's inode.
mount -t hugetlbfs -o pagesize=2M,nr_inodes=129 nodev "$mnt"
agree "nr_inodes=129, -m 256" -m 256
rm -f "$mnt"/*
umount "$mnt"
mount -t hugetlbfs -o pagesize=2M,nr_inodes=128 nodev "$mnt"
agree "nr_inodes=128, -m 256" -m 256
grep -q "No space left on device" "$T/agree.log" && pass "DPDK: ENOSPC opening a page file" ||
	fail "DPDK's failure is not ENOSPC: $(grep -m2 'EAL:' "$T/agree.log")"
contains "$q" "ENOSPC" "check names ENOSPC"
rm -f "$mnt"/*

# --single-file-segments: one file for the list that holds the pages.
umount "$mnt"
mount -t hugetlbfs -o pagesize=2M,nr_inodes=10 nodev "$mnt"
dpdk "$T/sf.log" --single-file-segments -m 256
[ "$dpdk_rc" -eq 0 ] && pass "single-file: DPDK starts under nr_inodes=10" ||
	fail "single-file: DPDK failed: $(grep -m2 'EAL:' "$T/sf.log")"
q=$(quota --huge-dir "$mnt" --mode single-file -m 256)
[ "${q%%|*}" = pass ] && pass "single-file: mount_quota passes" || fail "single-file: '$q'"
contains "$q" "in 1 page file" "single-file: one file needed"
rm -f "$mnt"/*

# size= and nr_inodes= both: both reported, and the remedy, run as given,
# clears both.
umount "$mnt"
mount -t hugetlbfs -o pagesize=2M,size=64M,nr_inodes=10 nodev "$mnt"
agree "size=64M,nr_inodes=10, -m 256" -m 256
rm -f "$mnt"/*
contains "$q" "size=64 MiB: room for 32 more pages" "both: size= reported"
contains "$q" "nr_inodes=10: room for 9 more files" "both: nr_inodes= reported"
contains "$q" "ENOSPC" "both: the inode limit is met first, as DPDK met it"
remedy=$(printf '%s\n' "$q" | cut -d'|' -f2)
if sh -c "$remedy"; then
	pass "both: the remedy ran: $remedy"
else
	fail "both: the remedy failed: $remedy"
fi
opts=$(awk -v m="$mnt" '$2 == m { print $4 }' /proc/mounts)
case $opts in *nr_inodes=10,* | *size=67108864*)
	fail "both: a limit is still there: $opts" ;;
*) pass "both: the mount has its new limits: $opts" ;; esac
agree "after the remedy" -m 256
[ "$dpdk_rc" -eq 0 ] || fail "after the remedy, DPDK still fails"
[ "$status" = pass ] && pass "after the remedy, mount_quota passes" ||
	fail "after the remedy, mount_quota: $q"

# Stale page files: a DPDK start deletes them, and the quota gets their
# pages back; mounts and check give the same used pages.
rm -f "$mnt"/*
umount "$mnt"
mount -t hugetlbfs -o pagesize=2M,size=64M nodev "$mnt"
i=0
while [ "$i" -lt 20 ]; do
	fallocate -l 2M "$mnt/${prefix}map_$i" || fail "fallocate of a page file failed"
	i=$((i + 1))
done
used=$("$HPDIAG" mounts --json | python3 -c '
import json, sys
print([m for m in json.load(sys.stdin)["mounts"] if m["path"] == sys.argv[1]][0]["used_pages"])' "$mnt")
[ "$used" = 20 ] && pass "mounts: 20 pages used" || fail "mounts: used_pages $used, expected 20"
text=$("$HPDIAG" mounts | awk -v m="$mnt" '$1 == m { print $(NF - 5) }')
[ "$text" = 20 ] && pass "mounts text: USED 20" || fail "mounts text: USED '$text'"
q=$(quota --huge-dir "$mnt" -m 40)
contains "$q" "room for 32 more pages (20 used, 20 of them in stale DPDK page files it deletes at start)" \
	"check: the same 20 used, and the discount named"
agree "20 stale pages under size=64M, -m 40" -m 40
finish
