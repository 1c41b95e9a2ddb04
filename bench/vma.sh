#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/vma.sh: what `hpdiag vma` costs on a process holding VMAS (default
# 1,000,000) VMAs, against `wc -l /proc/PID/maps` (the kernel's cost of
# producing the file), with hpdiag's peak RSS (goal < 16 MiB: memory follows
# the distinct objects, not the VMAs); and the host-wide `vma --top` scan
# against `cat /proc/[0-9]*/maps`.  Goals: 1.3x and 1.5x.  vm.max_map_count
# is raised for the run and restored on every exit path.
# Environment: HPDIAG, VMAS, RUNS (default 5).
set -u
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
HPDIAG=${HPDIAG:-$here/../src/hpdiag}
HOG=${HOG:-$here/../tests/vmahog.so}
VMAS=${VMAS:-1000000}
RUNS=${RUNS:-5}
[ "$(id -u)" -eq 0 ] || { echo "bench/vma.sh: needs root (vm.max_map_count)" >&2; exit 1; }
for t in hyperfine:hyperfine /usr/bin/time:time; do
	command -v "${t%%:*}" >/dev/null 2>&1 && continue
	echo "bench: installing ${t#*:}" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${t#*:}" >&2 || exit 1
done
[ -x "$HPDIAG" ] || make -C "$here/.." src/hpdiag >&2 || exit 1
[ -f "$HOG" ] || make -C "$here/.." tests/vmahog.so >&2 || exit 1

old=$(cat /proc/sys/vm/max_map_count)
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	echo "$old" > /proc/sys/vm/max_map_count
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE
echo $((VMAS + 100000)) > /proc/sys/vm/max_map_count
env LD_PRELOAD="$HOG" HPDIAG_HOG_VMAS="$VMAS" sleep 3600 &
pid=$!
for _ in $(seq 1 300); do
	[ "$(wc -l < "/proc/$pid/maps")" -ge "$VMAS" ] && break
	sleep 0.1
done
have=$(wc -l < "/proc/$pid/maps")
hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$tmp/a.json" \
	"wc -l /proc/$pid/maps" "$HPDIAG -q vma --pid $pid" >&2 || exit 1
hyperfine -i --warmup 1 --runs "$RUNS" --export-json "$tmp/b.json" \
	"cat /proc/[0-9]*/maps > /dev/null" "$HPDIAG -q vma --top 10" >&2 || exit 1
rss=$(/usr/bin/time -f %M "$HPDIAG" -q vma --pid "$pid" 2>&1 >/dev/null | tail -1)
python3 - "$tmp/a.json" "$tmp/b.json" "$have" "$rss" <<'PY'
import json, sys
a = [r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"]]
b = [r["median"] * 1000 for r in json.load(open(sys.argv[2]))["results"]]
have, rss = sys.argv[3], int(sys.argv[4])
print(f"hpdiag vma benchmark: a process with {have} VMAs, medians")
print(f"  wc -l /proc/PID/maps            {a[0]:9.1f} ms")
print(f"  hpdiag vma --pid                {a[1]:9.1f} ms")
print(f"  cat /proc/[0-9]*/maps           {b[0]:9.1f} ms")
print(f"  hpdiag vma --top 10             {b[1]:9.1f} ms")
r1, r2 = a[1] / a[0], b[1] / b[0]
print(f"vma --pid / wc -l = {r1:.2f} (goal <= 1.3) {'PASS' if r1 <= 1.3 else 'MISS'}")
print(f"vma --top / cat   = {r2:.2f} (goal <= 1.5) {'PASS' if r2 <= 1.5 else 'MISS'}")
print(f"peak RSS = {rss} KiB (goal < 16384) {'PASS' if rss < 16384 else 'MISS'}")
PY
