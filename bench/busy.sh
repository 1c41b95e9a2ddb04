#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/busy.sh: `hpdiag check` on a busy host.  A hugetlbfs mount that holds
# page files makes check find out which of them a process maps or holds
# open; this must not cost time in proportion to the processes on the host.
#
# It puts two page files with a page each on a private hugetlbfs mount, one
# stale and one held open by a process, then times with hyperfine (-N,
# medians of RUNS runs, default 20, after 3 warm-ups):
#   hpdiag check                 on this host as it is ("idle")
# then starts N idle processes (default 3000) and times again:
#   hpdiag check                 (goals: <= 25 ms, <= 0.2x fuser -m)
#   hpdiag check, full scan      HPDIAG_USERS_SCAN=full: every process's
#                                maps and descriptors, the reference
#   fuser -m MOUNT               what an operator runs today
#   hpdiag vma --top 10          (goal: <= 1.5x ps)
#   ps -e -o pid,comm
# and compares the verdicts (in use or stale, per file, from `hpdiag mounts
# --json`) of the fast path with those of the full scan, before and after
# the N processes start.  Goals are reported (PASS/MISS), not asserted.
#
# The 2 MiB pool (two pages added), the mount and the processes are put back
# on every exit path.  It holds the lock the tests take
# (${TMPDIR:-/tmp}/hpdiag-tests.lock) while it runs, so no test changes the
# pool under it.
#
# Environment:
#   HPDIAG=PATH   the binary to measure (default: src/hpdiag of this tree); an
#                 older build ignores HPDIAG_USERS_SCAN, and its "full scan"
#                 row is then its only path
#   N=COUNT       idle processes to start (default 3000)
#   RUNS=COUNT    hyperfine runs per command (default 20)
# Needs root (the pool, the mount); installs hyperfine, psmisc (fuser) and
# procps (ps) with apt-get when missing.
set -u
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
HPDIAG=${HPDIAG:-$here/../src/hpdiag}
N=${N:-3000}
RUNS=${RUNS:-20}

say() {
	printf '%s\n' "$*" >&2
}

die() {
	say "bench/busy.sh: $*"
	exit 1
}

case $N in '' | *[!0-9]*) die "N must be a number of processes, not '$N'" ;; esac
case $RUNS in '' | *[!0-9]*) die "RUNS must be a number, not '$RUNS'" ;; esac
[ "$RUNS" -ge 2 ] || die "RUNS must be at least 2"
[ "$(id -u)" -eq 0 ] || die "needs root (the 2 MiB pool and a hugetlbfs mount)"
grep -qw hugetlbfs /proc/filesystems || die "no hugetlbfs in this kernel"
pool=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
[ -w "$pool" ] || die "no writable 2 MiB pool ($pool)"

# Hold the tests' lock: the pool and the mounts are shared with them.
if [ -z "${HPDIAG_BENCH_LOCKED:-}" ] && command -v flock >/dev/null 2>&1; then
	say "bench/busy.sh: waiting for ${TMPDIR:-/tmp}/hpdiag-tests.lock"
	HPDIAG_BENCH_LOCKED=1 exec flock "${TMPDIR:-/tmp}/hpdiag-tests.lock" \
		/bin/sh "$0" "$@"
fi

for t in hyperfine:hyperfine fuser:psmisc ps:procps python3:python3 \
	fallocate:util-linux setsid:util-linux; do
	command -v "${t%%:*}" >/dev/null 2>&1 && continue
	say "bench/busy.sh: installing ${t#*:} (for ${t%%:*})"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${t#*:}" >&2 ||
		die "could not install ${t#*:}"
done
[ -x "$HPDIAG" ] || make -C "$here/.." src/hpdiag >&2 || die "could not build hpdiag"
case $HPDIAG in
/*) ;;
*) HPDIAG=$(cd "$(dirname -- "$HPDIAG")" && pwd)/$(basename -- "$HPDIAG") ;;
esac

# --- the set-up, undone on every exit path -----------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hpdiag-busy.XXXXXX") || die "mktemp failed"
mnt=$tmp/mnt
old_pool=$(cat "$pool")
holder=
crowd=
mounted=

# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	if [ -n "$crowd" ]; then
		# The crowd is its own process group (setsid): end that group,
		# so that nothing is left to wait for.  (No "--" before the
		# group: dash's kill takes it for a PID.)
		kill -TERM "-$crowd" 2>/dev/null
		sleep 0.2
		kill -KILL "-$crowd" 2>/dev/null
		wait "$crowd" 2>/dev/null
		crowd=
	fi
	if [ -n "$holder" ]; then
		kill "$holder" 2>/dev/null
		wait "$holder" 2>/dev/null
		holder=
	fi
	if [ -n "$mounted" ]; then
		rm -f "$mnt"/* 2>/dev/null
		umount "$mnt" 2>/dev/null || say "bench/busy.sh: WARNING: could not unmount $mnt"
		mounted=
	fi
	echo "$old_pool" > "$pool" 2>/dev/null ||
		say "bench/busy.sh: WARNING: could not put the pool back to $old_pool"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP PIPE

mkdir "$mnt" || die "mkdir $mnt failed"
echo $((old_pool + 2)) > "$pool"
[ "$(cat "$pool")" -ge $((old_pool + 2)) ] || die "could not add 2 pages to the 2 MiB pool"
mount -t hugetlbfs -o pagesize=2M nodev "$mnt" || die "could not mount hugetlbfs on $mnt"
mounted=1
# One page in each file; the second is held open by a process, as an
# application holds a page file it has not mapped (or has mapped: the same
# answer).
for f in rtemap_stale rtemap_used; do
	fallocate -l 2M "$mnt/$f" || die "fallocate of $mnt/$f failed"
done
sh -c 'exec sleep 100000' 3< "$mnt/rtemap_used" &
holder=$!

# --- measuring ---------------------------------------------------------------

q() {	# a word for hyperfine's own splitting under -N
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# verdicts FILE METHOD: the files of the mount and whether each is in use.
verdicts() {
	env HPDIAG_USERS_SCAN="$2" "$HPDIAG" mounts --json 2>/dev/null |
		python3 -c '
import json, sys
mnt = sys.argv[1]
for m in json.load(sys.stdin).get("mounts", []):
    if m.get("path") == mnt:
        for f in m.get("files", []):
            print(f["path"], f.get("in_use"))
' "$mnt" > "$1"
}

same_verdicts() {
	verdicts "$tmp/fast" fast
	verdicts "$tmp/full" full
	if [ -s "$tmp/fast" ] && cmp -s "$tmp/fast" "$tmp/full"; then
		echo identical
	else
		echo DIFFERENT
		say "fast path:"; cat "$tmp/fast" >&2
		say "full scan:"; cat "$tmp/full" >&2
	fi
}

procs() {
	set -- /proc/[0-9]*
	echo "$#"
}

idle_procs=$(procs)
idle_same=$(same_verdicts)
say "bench/busy.sh: check on this host ($idle_procs processes)"
hyperfine -N -i --warmup 3 --runs "$RUNS" --style basic --export-json "$tmp/idle.json" \
	-n 'check (idle)' "$(q "$HPDIAG") check" >&2 </dev/null || die "hyperfine failed"

say "bench/busy.sh: starting $N idle processes"
# In a session of its own, whose leader writes its process group (its own
# PID) once every process is started.
# shellcheck disable=SC2016 # expanded by the inner shell
setsid sh -c 'i=0; while [ "$i" -lt "$1" ]; do sleep 100000 & i=$((i + 1)); done
	echo $$ > "$2.new" && mv "$2.new" "$2"; wait' sh "$N" "$tmp/started" \
	> /dev/null 2>&1 &
starter=$!
for _ in $(seq 1 600); do [ -s "$tmp/started" ] && break; sleep 0.1; done
crowd=$(cat "$tmp/started" 2>/dev/null)
case $crowd in
'' | *[!0-9]*)
	kill -TERM "-$starter" 2>/dev/null
	crowd=
	die "the $N processes did not start"
	;;
esac
busy_procs=$(procs)
busy_same=$(same_verdicts)

say "bench/busy.sh: the commands on $busy_procs processes, $RUNS runs each"
hyperfine -N -i --warmup 3 --runs "$RUNS" --style basic --export-json "$tmp/busy.json" \
	-n 'check' "$(q "$HPDIAG") check" \
	-n 'check, full scan' "env HPDIAG_USERS_SCAN=full $(q "$HPDIAG") check" \
	-n 'fuser -m' "fuser -m $(q "$mnt")" \
	-n 'vma --top 10' "$(q "$HPDIAG") vma --top 10" \
	-n 'ps -e -o pid,comm' "ps -e -o pid,comm" >&2 </dev/null || die "hyperfine failed"

python3 - "$tmp/idle.json" "$tmp/busy.json" "$idle_procs" "$busy_procs" \
	"$idle_same" "$busy_same" "$HPDIAG" "$RUNS" <<'PY'
import json, sys
idle = json.load(open(sys.argv[1]))["results"]
busy = json.load(open(sys.argv[2]))["results"]
nidle, nbusy, same_idle, same_busy, binary, runs = sys.argv[3:9]
check_idle = idle[0]["median"] * 1000
check, full, fuser, top, ps = (busy[i]["median"] * 1000 for i in range(5))
print(f"hpdiag busy-host benchmark: {binary}, medians of {runs} runs (hyperfine -N)")
print(f"  {'command':<28} {'processes':>9} {'median ms':>10}")
print(f"  {'check (idle host)':<28} {nidle:>9} {check_idle:10.2f}")
for name, v in (("check", check), ("check, full scan", full),
                ("fuser -m MOUNT", fuser), ("vma --top 10", top),
                ("ps -e -o pid,comm", ps)):
    print(f"  {name:<28} {nbusy:>9} {v:10.2f}")
def goal(text, ok):
    print(f"{text} {'PASS' if ok else 'MISS'}")
goal(f"check / fuser -m      = {check / fuser:.3f} (goal <= 0.2)", check / fuser <= 0.2)
goal(f"check                 = {check:.1f} ms (goal <= 25 ms)", check <= 25)
print(f"check busy / idle     = {check / check_idle:.2f}")
print(f"check full / fast     = {full / check:.1f}")
goal(f"vma --top / ps        = {top / ps:.2f} (goal <= 1.5)", top / ps <= 1.5)
goal(f"verdicts, fast path against full scan: idle host {same_idle}, "
     f"busy host {same_busy}", same_idle == same_busy == "identical")
PY
