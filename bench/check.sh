#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/check.sh: the performance goal of `hpdiag check`, measured end to end.
#
# It times three commands on this host with hyperfine (no shell, -N; 20
# warm-up runs, then RUNS runs each, default 300) and reads each command's
# MEDIAN wall time from hyperfine's JSON export:
#   hpdiag check              (exit status 2, "verdict FAIL", is expected on a
#                              host without a pool, so non-zero exits are
#                              ignored)
#   hugeadm --pool-list       (does far less: hpdiag check may cost at most
#                              1.5x its time)
#   dpdk-hugepages.py -s      (hpdiag check must be at least 20x faster)
# and the peak RSS of `hpdiag check` as the largest of 20 runs of
# `/usr/bin/time -f %M` (KiB; goal: under 4 MiB = 4096 KiB).
#
# Goals are reported (PASS/MISS), not asserted: the exit status is 0 unless
# a tool could not be installed or run, then 1 with a message.
#
# Environment:
#   HPDIAG=PATH    the binary to measure (default: src/hpdiag of this tree,
#                  built with `make src/hpdiag` if missing)
#   RUNS=N         hyperfine runs per command (default 300)
#   BENCH_POOL=N   set vm.nr_hugepages to N for the run (a realistic state),
#                  restoring the old value on every exit path; by default the
#                  host is left unchanged
#
# Needs root for apt-get (hyperfine, libhugetlbfs-bin, dpdk, time) when
# those are missing, and for BENCH_POOL.

set -u

TOP=$(dirname -- "$0")/..
HPDIAG=${HPDIAG:-$TOP/src/hpdiag}
RUNS=${RUNS:-300}
NR_HUGEPAGES=/proc/sys/vm/nr_hugepages

say() {
	printf '%s\n' "$*" >&2
}

die() {
	say "bench/check.sh: $*"
	exit 1
}

case $RUNS in
'' | *[!0-9]*) die "RUNS must be a positive integer, not '$RUNS'" ;;
esac
[ "$RUNS" -ge 2 ] || die "RUNS must be at least 2"

# --- what is needed, installed with apt-get when missing --------------------

# command:package:why
NEEDS="
hyperfine:hyperfine:timing the commands (medians over many runs)
hugeadm:libhugetlbfs-bin:the baseline \`hugeadm --pool-list\`
dpdk-hugepages.py:dpdk:the comparison \`dpdk-hugepages.py -s\`
/usr/bin/time:time:GNU time -f %M for peak RSS
python3:python3:reading medians from hyperfine's JSON export
"

missing_pkgs=
old_ifs=$IFS
IFS='
'
for entry in $NEEDS; do
	cmd=${entry%%:*}
	rest=${entry#*:}
	pkg=${rest%%:*}
	why=${rest#*:}
	if ! command -v "$cmd" >/dev/null 2>&1; then
		say "bench/check.sh: $cmd is missing: installing package $pkg ($why)"
		missing_pkgs="$missing_pkgs $pkg"
	fi
done
IFS=$old_ifs

if [ -n "$missing_pkgs" ]; then
	command -v apt-get >/dev/null 2>&1 ||
		die "apt-get not found: install$missing_pkgs by hand"
	sudo=
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	# shellcheck disable=SC2086
	if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing_pkgs >&2; then
		say "bench/check.sh: install failed; running apt-get update and trying again"
		$sudo apt-get update -q >&2 || die "apt-get update failed"
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing_pkgs >&2 ||
			die "could not install:$missing_pkgs"
	fi
fi

HUGEADM=$(command -v hugeadm) || die "hugeadm not found after install"
DPDK_HP=$(command -v dpdk-hugepages.py) || die "dpdk-hugepages.py not found after install"
command -v hyperfine >/dev/null 2>&1 || die "hyperfine not found after install"
[ -x /usr/bin/time ] || die "/usr/bin/time not found after install"
command -v python3 >/dev/null 2>&1 || die "python3 not found after install"

# --- the binary --------------------------------------------------------------

if [ ! -x "$HPDIAG" ]; then
	say "bench/check.sh: $HPDIAG is missing: building it"
	if [ ! -f "$TOP/Makefile" ]; then
		say "bench/check.sh: no Makefile: running autoreconf -fi && ./configure"
		(cd "$TOP" && autoreconf -fi && ./configure -q) >&2 ||
			die "could not configure the tree"
	fi
	make -C "$TOP" src/hpdiag >&2 || die "could not build src/hpdiag"
	[ -x "$HPDIAG" ] || die "$HPDIAG still missing after the build"
fi
case $HPDIAG in
/*) ;;
*) HPDIAG=$(cd "$(dirname -- "$HPDIAG")" && pwd)/$(basename -- "$HPDIAG") ;;
esac

# --- temp files and the optional pool, undone on every exit path ------------

TMP=$(mktemp -d "${TMPDIR:-/tmp}/hpdiag-bench.XXXXXX") || die "mktemp failed"
saved_pool=
child=

# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	if [ -n "$child" ]; then
		kill "$child" 2>/dev/null
		wait "$child" 2>/dev/null
		child=
	fi
	if [ -n "$saved_pool" ]; then
		if echo "$saved_pool" >"$NR_HUGEPAGES" 2>/dev/null; then
			say "bench/check.sh: restored vm.nr_hugepages to $saved_pool"
		else
			say "bench/check.sh: WARNING: could not restore vm.nr_hugepages to $saved_pool"
		fi
		saved_pool=
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP PIPE

if [ -n "${BENCH_POOL:-}" ]; then
	case $BENCH_POOL in
	*[!0-9]*) die "BENCH_POOL must be a number of pages, not '$BENCH_POOL'" ;;
	esac
	saved_pool=$(cat "$NR_HUGEPAGES") || die "cannot read $NR_HUGEPAGES"
	echo "$BENCH_POOL" >"$NR_HUGEPAGES" 2>/dev/null ||
		die "cannot write $NR_HUGEPAGES (root needed)"
	got=$(cat "$NR_HUGEPAGES")
	say "bench/check.sh: vm.nr_hugepages set to $got for the run (asked $BENCH_POOL, was $saved_pool)"
fi

# --- can each command run at all? --------------------------------------------

runs_ok() {
	"$@" >/dev/null 2>&1
	rc=$?
	if [ "$rc" -ge 126 ]; then
		die "\`$*\` could not run (exit status $rc)"
	fi
}
runs_ok "$HPDIAG" check
runs_ok "$HUGEADM" --pool-list
runs_ok "$DPDK_HP" -s

# --- wall time: hyperfine ----------------------------------------------------

# Quote a path for hyperfine's own (shell-words) splitting under -N.
q() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

JSON=$TMP/hyperfine.json
say "bench/check.sh: hyperfine, $RUNS runs each after 20 warm-ups (a while)"
# In the background and waited for, so that a signal to this script is acted
# on (pool restored) at once rather than when hyperfine ends.
hyperfine -N -i --warmup 20 --runs "$RUNS" --style basic \
	--export-json "$JSON" \
	-n 'hpdiag check' "$(q "$HPDIAG") check" \
	-n 'hugeadm --pool-list' "$(q "$HUGEADM") --pool-list" \
	-n 'dpdk-hugepages.py -s' "$(q "$DPDK_HP") -s" >&2 </dev/null &
child=$!
wait "$child" || die "hyperfine failed"
child=

# One line per command: median mean stddev min max (seconds).
STATS=$(python3 - "$JSON" <<'EOF'
import json, sys
with open(sys.argv[1]) as f:
    results = json.load(f)["results"]
if len(results) != 3:
    sys.exit("expected 3 results, got %d" % len(results))
for r in results:
    print(r["median"], r["mean"], r.get("stddev") or 0, r["min"], r["max"])
EOF
) || die "could not read medians from $JSON"

# --- peak RSS: GNU time, max of 20 runs --------------------------------------

RSS=0
i=0
while [ "$i" -lt 20 ]; do
	/usr/bin/time -f %M -o "$TMP/rss" "$HPDIAG" check >/dev/null 2>&1
	r=$(tail -n 1 "$TMP/rss")
	case $r in
	'' | *[!0-9]*) die "GNU time gave no RSS for hpdiag check ('$r')" ;;
	esac
	[ "$r" -gt "$RSS" ] && RSS=$r
	i=$((i + 1))
done

# --- report -----------------------------------------------------------------

pool_note="vm.nr_hugepages=$(cat "$NR_HUGEPAGES")"
[ -n "${BENCH_POOL:-}" ] && pool_note="$pool_note (BENCH_POOL)"

printf '%s\n' "$STATS" | awk -v runs="$RUNS" -v rss="$RSS" -v pool="$pool_note" '
{ med[NR] = $1; mean[NR] = $2; sd[NR] = $3; mn[NR] = $4; mx[NR] = $5 }
END {
	name[1] = "hpdiag check"
	name[2] = "hugeadm --pool-list"
	name[3] = "dpdk-hugepages.py -s"
	printf "hpdiag check benchmark: %d runs each, hyperfine -N, %s\n", runs, pool
	printf "%-22s %10s %10s %10s %10s %10s\n", "command", "median ms", "mean ms", "stddev ms", "min ms", "max ms"
	for (i = 1; i <= 3; i++)
		printf "%-22s %10.3f %10.3f %10.3f %10.3f %10.3f\n", name[i], \
			med[i] * 1000, mean[i] * 1000, sd[i] * 1000, mn[i] * 1000, mx[i] * 1000
	r1 = med[1] / med[2]
	r2 = med[3] / med[1]
	printf "check / hugeadm --pool-list = %.2f (goal <= 1.5) %s\n", r1, (r1 <= 1.5 ? "PASS" : "MISS")
	printf "dpdk-hugepages.py -s / check = %.1f (goal >= 20) %s\n", r2, (r2 >= 20 ? "PASS" : "MISS")
	printf "peak RSS = %d KiB (goal < 4096) %s\n", rss, (rss < 4096 ? "PASS" : "MISS")
}'

exit 0
