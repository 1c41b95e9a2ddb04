#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/trial.sh: what `hpdiag trial` costs.  Maps PAGES (default 1024) 2 MiB
# pages in dynamic mode and compares the wall time (hyperfine medians) with
# a bare loop doing only open/unlink/ftruncate/mmap(MAP_POPULATE) per page -
# the kernel's own cost - and with DPDK's own memory init for the same
# memory (dpdk-test -m 2*PAGES, DPDK_TEST=memory_autotest); and hpdiag's
# peak RSS (hugepages are not counted in RSS).  Goals: trial / bare <= 1.15,
# trial < dpdk-test, RSS < 8 MiB.  It reserves the pool and a private
# hugetlbfs mount for the run and puts both back on every exit path.
# Environment: HPDIAG (binary), PAGES, RUNS (default 20).
set -u
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
HPDIAG=${HPDIAG:-$here/../src/hpdiag}
PAGES=${PAGES:-1024}
RUNS=${RUNS:-20}
pool=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages

need() {	# need COMMAND PACKAGE WHY
	command -v "$1" >/dev/null 2>&1 && return 0
	echo "bench: installing $2 ($3)" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >&2 ||
		{ apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >&2; }
}
[ "$(id -u)" -eq 0 ] || { echo "bench/trial.sh: needs root (pool and mount)" >&2; exit 1; }
need hyperfine hyperfine "timing" || exit 1
need dpdk-test dpdk-dev "DPDK's own memory init for comparison" || exit 1
[ -x /usr/bin/time ] || need /usr/bin/time time "peak RSS" || exit 1
[ -x "$HPDIAG" ] || make -C "$here/.." src/hpdiag >&2 || exit 1
cc -O2 -o "$here/bare-map" "$here/bare-map.c" || exit 1

tmp=$(mktemp -d)
old=$(cat "$pool")
cleanup() {
	rm -f "$tmp"/mnt/* 2>/dev/null
	mountpoint -q "$tmp/mnt" && umount "$tmp/mnt"
	echo "$old" > "$pool"
	rm -rf "$tmp" /var/run/dpdk/hpdbench
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE
mkdir "$tmp/mnt"
echo $((PAGES + 16)) > "$pool"
[ "$(cat "$pool")" -ge "$PAGES" ] || { echo "bench: could not reserve $PAGES pages" >&2; exit 1; }
mount -t hugetlbfs -o pagesize=2M nodev "$tmp/mnt"

hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$tmp/t.json" \
	"$here/bare-map $tmp/mnt $PAGES" \
	"$HPDIAG -q trial -n $PAGES --huge-dir $tmp/mnt" \
	"env DPDK_TEST=memory_autotest dpdk-test --no-pci -l 0 -m $((PAGES * 2)) --huge-dir $tmp/mnt --file-prefix hpdbench" \
	>&2 || exit 1
rss=0
for _ in 1 2 3 4 5; do
	r=$(/usr/bin/time -f %M "$HPDIAG" -q trial -n "$PAGES" --huge-dir "$tmp/mnt" 2>&1 >/dev/null | tail -1)
	[ "$r" -gt "$rss" ] && rss=$r
done
python3 - "$tmp/t.json" "$PAGES" "$rss" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
med = [r["median"] * 1000 for r in res]
pages, rss = sys.argv[2], int(sys.argv[3])
print(f"hpdiag trial benchmark: {pages} x 2 MiB pages, dynamic mode, medians of hyperfine runs")
for name, m in zip(("bare open/unlink/ftruncate/mmap loop", "hpdiag trial", "dpdk-test memory init"), med):
    print(f"  {name:40s} {m:9.1f} ms")
r1, r2 = med[1] / med[0], med[1] / med[2]
print(f"trial / bare loop = {r1:.2f} (goal <= 1.15) {'PASS' if r1 <= 1.15 else 'MISS'}")
print(f"trial / dpdk-test = {r2:.2f} (goal < 1) {'PASS' if r2 < 1 else 'MISS'}")
print(f"peak RSS = {rss} KiB (goal < 8192) {'PASS' if rss < 8192 else 'MISS'}")
PY
