#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Who uses a page file, on the live kernel: the fast path (/proc/locks, a
# lease on the file, processes only for what those leave open), the
# process search alone (HPDIAG_USERS_SCAN=procs) and the full scan of every
# process (HPDIAG_USERS_SCAN=full) must reach the same verdict, in use or
# stale, for every file of a private hugetlbfs mount, over processes that
# map a file (touched or not, descriptor kept or closed), only hold it
# open, hold a flock on it, and a real DPDK primary (dpdk-test) running in
# three memory modes, after a normal exit and after SIGKILL.  Each verdict
# is also checked against how the test made the file.  The 2 MiB pool and
# the mount are put back on every exit path.
. "$TESTLIB"
serialize "$@"
needs
[ -x "$PAGEHOLD" ] || skip "tests/pagehold not built"

mnt=$T/mnt
prefix=hpdgu$$
holders=
dpdk_pid=
restore() {
	for h in $holders $dpdk_pid; do kill -9 "$h" 2>/dev/null; done
	wait 2>/dev/null
	restore_mount
}
trap restore EXIT
trap 'exit 130' INT TERM HUP PIPE
mkdir -p "$mnt"
setup $((old_pool + 48))

# verdicts METHOD: "FILE in_use" per file of the mount, from mounts --json.
verdicts() {
	env HPDIAG_USERS_SCAN="$1" "$HPDIAG" --json mounts 2>"$T/err" | python3 -c '
import json, sys
for m in json.load(sys.stdin)["mounts"]:
    if m["path"] == sys.argv[1]:
        for f in m["files"]:
            print(f["path"].rsplit("/", 1)[1], "used" if f["in_use"] else "stale")
' "$mnt"
}

# agree NAME EXPECTED: the three methods give the same verdicts, and those
# are EXPECTED ("file used|stale" lines, sorted by file).
agree() {
	name=$1 want=$2
	fast=$(verdicts "")
	procs=$(verdicts procs)
	full=$(verdicts full)
	if [ -z "$full" ]; then
		fail "$name: no files seen: $(cat "$T/err")"
		return
	fi
	[ "$fast" = "$full" ] && pass "$name: fast path = full scan" ||
		fail "$name: fast path and full scan differ:
fast:
$fast
full:
$full"
	[ "$procs" = "$full" ] && pass "$name: process search = full scan" ||
		fail "$name: process search and full scan differ:
procs:
$procs
full:
$full"
	[ "$full" = "$want" ] && pass "$name: the verdicts are the truth" ||
		fail "$name: verdicts
$full
expected
$want"
}

# hold MODE FILE: a pagehold process, ready.
hold() {
	"$PAGEHOLD" "$1" "$mnt/$2" > "$T/hold.$2" 2>&1 &
	holders="$holders $!"
	for _ in $(seq 1 100); do grep -qs ready "$T/hold.$2" && return; sleep 0.05; done
	fail "pagehold $1 $2 did not start: $(cat "$T/hold.$2")"
}

# ---- processes that map, hold open or lock a file ---------------------------
for f in stale open map map-touch map-close touch-close flock flock-map; do
	truncate -s 2M "$mnt/$f"
done
hold open open
hold map map
hold map-touch map-touch
hold map-close map-close
hold touch-close touch-close
hold flock flock
hold flock-map flock-map
# A shell holding a descriptor, as `exec 3<` does.
sh -c 'exec sleep 1000' 3< "$mnt/open" &
holders="$holders $!"
agree "holders" "flock used
flock-map used
map used
map-close used
map-touch used
open used
stale stale
touch-close used"

# The counters that might have ruled a process out: HugetlbPages counts the
# pages a process has touched, so it misses a mapping not yet touched, and
# every file held only by a descriptor; hpdiag does not rely on it.
# shellcheck disable=SC2086 # the PIDs, one word each
set -- $holders
hp=$(awk '/^HugetlbPages:/ {print $2}' "/proc/$2/status")
[ "$hp" = 0 ] && pass "an untouched mapping shows no HugetlbPages (why hpdiag does not use it)" ||
	fail "HugetlbPages of an untouched mapping: $hp kB"

# The fast path asked the kernel, not the processes.
if command -v strace >/dev/null 2>&1; then
	strace -f -e trace=openat,open -o "$T/strace" "$HPDIAG" mounts > /dev/null 2>&1
	# The rooted reader opens "proc/PID/maps" below its root.
	n=$(grep -c '"/*proc/[0-9][0-9]*/\(maps\|fd\)' "$T/strace")
	[ "$n" -eq 0 ] && pass "fast path: no process's maps or fd read" ||
		fail "fast path read $n process files: $(grep 'proc/[0-9]' "$T/strace" | head -3)"
	env HPDIAG_USERS_SCAN=full strace -f -e trace=openat,open -o "$T/strace" \
		"$HPDIAG" mounts > /dev/null 2>&1
	n=$(grep -c '"/*proc/[0-9][0-9]*/maps' "$T/strace")
	[ "$n" -gt 1 ] && pass "full scan: every process's maps read ($n)" ||
		fail "full scan read $n maps"
fi

# The holders go; the files stay, unused.
for h in $holders; do kill -9 "$h" 2>/dev/null; done
wait 2>/dev/null
holders=
agree "holders gone" "flock stale
flock-map stale
map stale
map-close stale
map-touch stale
open stale
stale stale
touch-close stale"
rm -f "$mnt"/*

# ---- a DPDK primary ---------------------------------------------------------
if ! command -v dpdk-test >/dev/null 2>&1; then
	echo "SKIP: dpdk-test missing (apt-get install dpdk-dev): DPDK states not run" >&2
	finish
fi

# dpdk_start NAME EAL-OPTIONS: dpdk-test at its prompt, 8 MiB in $mnt.
dpdk_start() {
	name=$1
	shift
	rm -f "$T/in"
	mkfifo "$T/in"
	dpdk-test --no-pci -l 0 --file-prefix "$prefix" -m 8 --huge-dir "$mnt" "$@" \
		< "$T/in" > "$T/dpdk.log" 2>&1 &
	dpdk_pid=$!
	exec 3> "$T/in"
	for _ in $(seq 1 200); do grep -q 'RTE>>' "$T/dpdk.log" && return 0; sleep 0.1; done
	fail "$name: dpdk-test did not reach its prompt: $(tail -3 "$T/dpdk.log")"
	return 1
}

dpdk_quit() {
	echo quit >&3
	exec 3>&-
	wait "$dpdk_pid" 2>/dev/null
	dpdk_pid=
}

# all_are STATE: every file of the mount has verdict STATE.
all_are() {
	for f in "$mnt"/*; do
		[ -e "$f" ] && echo "${f##*/} $1"
	done | sort
}

# Default (dynamic) memory: a file per page, each locked while mapped.
if dpdk_start "dynamic"; then
	grep -q FLOCK /proc/locks && pass "dynamic: DPDK's page files are locked" ||
		fail "dynamic: no flock in /proc/locks"
	agree "DPDK dynamic, running" "$(all_are used)"
	dpdk_quit
	[ -z "$(ls "$mnt")" ] && pass "dynamic: DPDK removed its files at exit" ||
		agree "DPDK dynamic, exited" "$(all_are stale)"
fi
if dpdk_start "single-file" --single-file-segments; then
	agree "DPDK single-file segments, running" "$(all_are used)"
	dpdk_quit
	rm -f "$mnt"/*
fi
# Legacy memory keeps its files after a normal exit: stale, unlocked.
if dpdk_start "legacy" --legacy-mem; then
	agree "DPDK legacy, running" "$(all_are used)"
	dpdk_quit
	[ -n "$(ls "$mnt")" ] && agree "DPDK legacy, exited" "$(all_are stale)" ||
		fail "legacy: no page files left after the exit"
	rm -f "$mnt"/*
fi
# Killed: its page files stay behind, nobody's.
if dpdk_start "killed"; then
	kill -9 "$dpdk_pid"
	exec 3>&-
	wait "$dpdk_pid" 2>/dev/null
	dpdk_pid=
	[ -n "$(ls "$mnt")" ] && agree "DPDK killed" "$(all_are stale)" ||
		fail "killed: no page files left"
	# A new primary in the same directory deletes them and makes its own.
	if dpdk_start "restarted"; then
		agree "DPDK restarted over stale files" "$(all_are used)"
		dpdk_quit
	fi
fi
rm -rf "/var/run/dpdk/$prefix"
finish
