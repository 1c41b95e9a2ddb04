#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Remedies are run, never compared: for each kind (pool, per-node pool,
# mount, never over a directory that holds something, map count, stale
# files, rlimits), the commands of a failing finding's remedy are run as
# they are printed - on the live kernel, or on a copy of a captured tree
# with two NUMA nodes - and the finding must then pass.  The sudo form a
# user other than root gets is run too.  The pool, vm.max_map_count, the
# mounts and the files are put back on every exit path.
. "$TESTLIB"
serialize "$@"
needs
node0=/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages
mmc=/proc/sys/vm/max_map_count
old_mmc=$(cat "$mmc")
mnt=$T/mnt
dev_mounted=
restore() {
	for m in "$mnt" "$T/newdir"; do
		rm -f "$m"/* 2>/dev/null
		mountpoint -q "$m" 2>/dev/null && umount "$m"
	done
	if [ -n "$dev_mounted" ]; then
		umount /dev/hugepages 2>/dev/null
	fi
	echo "$old_mmc" > "$mmc"
	echo "$old_pool" > "$pool"
	rm -rf "$T"
}
trap restore EXIT
trap 'exit 130' INT TERM HUP PIPE

# finding CHECK ARGS...: "STATUS" of the first finding CHECK of check ARGS,
# and its remedy's commands, one a line, in $T/cmds ("hpdiag" is this
# build); "absent" when there is no such finding.
finding() {
	chk=$1
	shift
	"$HPDIAG" check --json "$@" > "$T/json" 2>/dev/null
	python3 -c '
import json, re, sys
check, out, hp = sys.argv[1:4]
fs = [f for f in json.load(sys.stdin)["findings"] if f["check"] == check]
with open(out, "w") as o:
    for c in ((fs[0]["remedy"] or {}).get("commands", []) if fs else []):
        o.write(re.sub(r"(^|sudo |&& )hpdiag ", lambda m: m.group(1) + hp + " ", c) + "\n")
print(fs[0]["status"] if fs else "absent")' "$chk" "$T/cmds" "$HPDIAG" < "$T/json"
}

# cure NAME CHECK ARGS...: CHECK fails (or warns), its remedy is run
# command by command, and then it passes.
cure() {
	name=$1 chk=$2
	shift 2
	st=$(finding "$chk" "$@")
	if [ "$st" = pass ] || [ "$st" = absent ]; then
		fail "$name: $chk is '$st' before the remedy"
		return
	fi
	[ -s "$T/cmds" ] || { fail "$name: $chk ($st) has no command to run"; return; }
	ok=1
	while IFS= read -r cmd; do
		echo "# $name: running: $cmd"
		sh -c "$cmd" > "$T/cmd.out" 2>&1 || { ok=; fail "$name: '$cmd' failed: $(cat "$T/cmd.out")"; }
	done < "$T/cmds"
	[ -n "$ok" ] || return
	st=$(finding "$chk" "$@")
	[ "$st" = pass ] || [ "$st" = absent ] && pass "$name: $chk passes after its remedy" ||
		fail "$name: $chk is '$st' after its remedy: $(cat "$T/json")"
}

# --huge-dir /etc: never a mount over it; the remedy's place instead.
# (First, while no hugetlbfs is mounted: with one, the remedy points the
# application at it instead.)
if [ -z "$(awk '$3 == "hugetlbfs"' /proc/mounts)" ] && ! mountpoint -q /dev/hugepages &&
   [ -z "$(ls -A /dev/hugepages 2>/dev/null)" ]; then
	echo 8 > "$pool"
	st=$(finding mount -n 1 --huge-dir /etc)
	grep -q "/etc" "$T/cmds" && fail "a remedy mounts over /etc: $(cat "$T/cmds")" ||
		pass "no remedy mounts over /etc"
	dev_mounted=1
	while IFS= read -r cmd; do sh -c "$cmd"; done < "$T/cmds"
	mountpoint -q /etc && fail "/etc is a mount point now" || pass "/etc is left alone"
	st=$(finding mount -n 1 --huge-dir /dev/hugepages)
	[ "$st" = pass ] && pass "the note's --huge-dir /dev/hugepages passes" ||
		fail "--huge-dir /dev/hugepages after the remedy: $st"
	umount /dev/hugepages
	dev_mounted=
	fix_out=$("$HPDIAG" fix -n 1 --huge-dir /etc 2>&1)
	case $fix_out in *"fstab: nodev /etc "*) fail "fix writes an fstab line for /etc" ;;
	*) pass "fix's fstab line is not for /etc" ;; esac
else
	echo "# a hugetlbfs is mounted already: the /etc case is not run"
fi

mkdir -p "$mnt"
mount -t hugetlbfs -o pagesize=2M nodev "$mnt"

# The pool: none, then what the workload needs.
echo 0 > "$pool"
cure "pool" pool -n 4 --huge-dir "$mnt"
# A node's pool (this host has one node: node 0's file).
if [ -w "$node0" ]; then
	echo 0 > "$pool"
	cure "node pool" node_pool --socket-mem 8 --huge-dir "$mnt"
fi

# A mount at --huge-dir, made where the directory is empty.
echo 8 > "$pool"
cure "mount" mount -n 1 --huge-dir "$T/newdir"
mountpoint -q "$T/newdir" && pass "the remedy mounted $T/newdir" || fail "no mount at $T/newdir"
# vm.max_map_count, raised (never lowered), put back on exit.
cure "map count" map_count -n 1 --huge-dir "$mnt" --baseline-vmas 70000

# Stale files: a DPDK page file, and a file no hugepage user makes again.
fallocate -l 2M "$mnt/rtemap_3" && fallocate -l 2M "$mnt/blob"
st=$(finding stale_hugepage_files -n 1 --huge-dir "$T/newdir")
[ "$st" = warn ] && pass "stale files: a warning" || fail "stale files: '$st'"
# Each finding's remedy removes exactly what it lists.
for f in rtemap_3 blob; do
	"$HPDIAG" check --json -n 1 --huge-dir "$T/newdir" | python3 -c '
import json, sys
for f in json.load(sys.stdin)["findings"]:
    if f["check"] == "stale_hugepage_files" and any(sys.argv[1] in c for c in (f["remedy"] or {}).get("commands", [])):
        print("\n".join(f["remedy"]["commands"]))' "$f" |
		sed "s|^hpdiag |$HPDIAG |" > "$T/cmds"
	[ -s "$T/cmds" ] || { fail "no remedy names $f"; continue; }
	while IFS= read -r cmd; do sh -c "$cmd" > /dev/null 2>&1 || fail "'$cmd' failed"; done < "$T/cmds"
	[ -e "$mnt/$f" ] && fail "the remedy left $f" || pass "the remedy removed $f"
done
[ "$(finding stale_hugepage_files -n 1 --huge-dir "$T/newdir")" = absent ] &&
	pass "no stale file left" || fail "stale files left: $(cat "$T/json")"

# Rlimits: the remedy runs in the shell that then starts the application.
# (A sanitizer's shadow memory cannot live under ulimit -v or -d.)
rl="nofile:-S -n 16 address_space:-S -v 1000000 data:-S -d 20000"
[ -z "${HPDIAG_SANITIZED:-}" ] || rl="nofile:-S -n 16"
for l in "nofile:-S -n 16" "address_space:-S -v 1000000" "data:-S -d 20000"; do
	case " $rl " in *" $l "*) ;; *) continue ;; esac
	chk=${l%%:*} lim=${l#*:}
	# shellcheck disable=SC2086
	out=$(sh -c "ulimit $lim && \"\$0\" --json check -n 1 --huge-dir \"\$1\"" "$HPDIAG" "$mnt" |
		python3 -c '
import json, sys
f = [f for f in json.load(sys.stdin)["findings"] if f["check"] == sys.argv[1]][0]
print(f["status"]); print("\n".join((f["remedy"] or {}).get("commands", [])))' "$chk")
	st=$(printf '%s\n' "$out" | head -1)
	cmds=$(printf '%s\n' "$out" | tail -n +2 | paste -sd';' -)
	[ "$st" = fail ] || [ "$st" = warn ] || { fail "ulimit $lim: $chk is '$st'"; continue; }
	st=$(sh -c "ulimit $lim && $cmds && \"\$0\" --json check -n 1 --huge-dir \"\$1\"" "$HPDIAG" "$mnt" |
		python3 -c '
import json, sys
fs = [f for f in json.load(sys.stdin)["findings"] if f["check"] == sys.argv[1]]
print(fs[0]["status"] if fs else "absent")' "$chk")
	[ "$st" = pass ] || [ "$st" = absent ] && pass "ulimit $lim: '$cmds' makes $chk pass" ||
		fail "ulimit $lim: after '$cmds', $chk is '$st'"
done

# Another user: the commands carry sudo, and work as printed.
if command -v sudo >/dev/null 2>&1 && command -v setpriv >/dev/null 2>&1 &&
   [ -z "${HPDIAG_SANITIZED:-}" ]; then
	echo 0 > "$pool"
	chmod 755 "$T"
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$HPDIAG" --json check -n 4 \
		--huge-dir "$mnt" > "$T/json" 2>/dev/null
	python3 -c '
import json, sys
f = [f for f in json.load(open(sys.argv[1]))["findings"] if f["check"] == "pool"][0]
print("\n".join(f["remedy"]["commands"]))' "$T/json" > "$T/cmds"
	grep -q "| sudo tee $pool" "$T/cmds" && pass "as nobody: the pool remedy writes with sudo tee" ||
		fail "as nobody: $(cat "$T/cmds")"
	while IFS= read -r cmd; do sh -c "$cmd" > /dev/null || fail "'$cmd' failed"; done < "$T/cmds"
	[ "$(finding pool -n 4 --huge-dir "$mnt")" = pass ] && pass "the sudo form works as printed" ||
		fail "after the sudo form, pool: $(cat "$T/json")"
fi

# Two NUMA nodes, on a copy of a captured tree: the per-node remedy writes
# each node's file; the tree's kernel makes written pages free pages.
cp -a "$FIXTURES/two-node" "$T/tree"
st=$("$HPDIAG" --sysroot "$T/tree" --json check --socket-mem 8192,8192 --page-size 1G |
	python3 -c '
import json, sys
f = [f for f in json.load(sys.stdin)["findings"] if f["check"] == "pool"][0]
print(f["status"]); print("\n".join(f["remedy"]["commands"]))')
printf '%s\n' "$st" | tail -n +2 > "$T/cmds"
grep -q "/node0/" "$T/cmds" && grep -q "/node1/" "$T/cmds" &&
	! grep -q "^echo [0-9]* [|>].* /sys/kernel/mm/hugepages/" "$T/cmds" &&
	pass "two nodes: the pool's remedy writes each node's file" ||
	fail "two nodes: the pool's remedy: $(cat "$T/cmds")"
# tree_write VALUE FILE: what the kernel does with a write to a pool file
# of the tree: the pool (node and total) grows by the difference, as free
# pages.
tree_write() {
	f=$T/tree$2 dir=${2%/nr_hugepages}
	delta=$(($1 - $(cat "$f")))
	echo "$1" > "$f"
	echo $(($(cat "$T/tree$dir/free_hugepages") + delta)) > "$T/tree$dir/free_hugepages"
	total=/sys/kernel/mm/hugepages/${dir##*/}
	for x in nr_hugepages free_hugepages; do
		echo $(($(cat "$T/tree$total/$x") + delta)) > "$T/tree$total/$x"
	done
}
sed -n 's/^echo \([0-9]*\) [|>] \(sudo tee \)\{0,1\}\(.*\)$/\1 \3/p' "$T/cmds" |
	while read -r v f; do tree_write "$v" "$f"; done
for chk in pool node_pool; do
	st=$("$HPDIAG" --sysroot "$T/tree" --json check --socket-mem 8192,8192 --page-size 1G |
		python3 -c '
import json, sys
print(" ".join(sorted({f["status"] for f in json.load(sys.stdin)["findings"] if f["check"] == sys.argv[1]})))' "$chk")
	[ "$st" = pass ] && pass "two nodes: $chk passes after the remedy" ||
		fail "two nodes: $chk is '$st' after the remedy"
done
finish
