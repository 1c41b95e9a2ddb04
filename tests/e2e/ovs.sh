#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Open vSwitch 3.1 with DPDK 22.11 (openvswitch-switch-dpdk) as the ground
# truth for `hpdiag check -- ovs-vswitchd-dpdk DATABASE`: a private
# ovsdb-server (its own database made from the schema, socket, run and log
# directory under $T: the system's service and /etc/openvswitch are never
# touched) holds other_config (dpdk-init, dpdk-extra=--no-pci: no NIC is
# needed, dpdk-socket-mem or dpdk-alloc-mem); in each state the real daemon
# is started and its outcome - EAL's initialisation, logged before it
# detaches - compared with hpdiag's prediction, which reads the same
# database through ovs-vsctl: the outcome (start, degraded, fail) and the
# cause of the failure met first.  The states: a pool of 0, too small, one
# short, exact and enough for dpdk-socket-mem; dpdk-alloc-mem; OVS's
# default (no amount: one page); dpdk-init=try (it runs on without DPDK);
# --legacy-mem in dpdk-extra without a hugetlbfs mount; the build without
# DPDK; a hugetlb cgroup v2 limit too low and exact (DPDK touches each page
# at init: the charge fails, "Cannot init memory").  `hpdiag exec` runs the
# daemon with no pool, without --detach (it watches the daemon) and with it
# (the first process exits 1; exec says it watched that one).  Options EAL
# refuses (dpdk-lcore-mask with -l or --lcores in dpdk-extra, -m there with
# dpdk-socket-mem) fail before any memory: hpdiag predicts that failure.  The pool, the cgroup
# and cgroup.subtree_control are put back, and every daemon is gone, on
# every exit path.
. "$TESTLIB"
serialize "$@"
needs once ovs-vsctl ovsdb-server ovsdb-tool
VS=/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk
[ -x "$VS" ] || skip "$VS missing (apt-get install openvswitch-switch-dpdk)"
SCHEMA=/usr/share/openvswitch/vswitch.ovsschema
[ -f "$SCHEMA" ] || skip "$SCHEMA missing"
command -v python3 >/dev/null 2>&1 || skip "python3 missing (reads the JSON)"

D=$T/ovs
U=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
cg=
old_sc=
stop() {
	for f in "$D/vs.pid" "$D/db.pid"; do
		[ -f "$f" ] || continue
		p=$(cat "$f")
		kill "$p" 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.2
		done
		kill -9 "$p" 2>/dev/null
		rm -f "$f"
	done
}
restore() {
	stop
	cgroup_restore
	echo "$old_pool" > "$pool"
	rm -rf "$T"
}
trap restore EXIT
trap 'exit 130' INT TERM HUP PIPE
mkdir -p "$D"
OVS_RUNDIR=$D OVS_LOGDIR=$D OVS_DBDIR=$D
export OVS_RUNDIR OVS_LOGDIR OVS_DBDIR
DB=unix:$D/db.sock
VSCTL="ovs-vsctl --db=$DB --no-wait --timeout=30"
VSARGS="$DB --pidfile=$D/vs.pid --unixctl=$D/vs.ctl --log-file=$D/vs.log --detach"

# db KEY=VALUE...: a fresh database and its server, other_config as given.
db() {
	stop
	rm -f "$D/conf.db" "$D"/*.log
	ovsdb-tool create "$D/conf.db" "$SCHEMA" &&
	ovsdb-server "$D/conf.db" --remote="punix:$D/db.sock" --pidfile="$D/db.pid" \
		--unixctl="$D/db.ctl" --log-file="$D/db.log" --detach 2>/dev/null &&
	$VSCTL init || { fail "cannot start a private ovsdb-server"; finish; }
	for kv; do $VSCTL set Open_vSwitch . "other_config:$kv" || fail "cannot set $kv"; done
}
# in_cg COMMAND...: COMMAND in the cgroup $in_cg when it is set.
in_cg=
in_cg() {
	sh -c '[ -z "$1" ] || echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$in_cg" "$@"
}
# vswitchd [PROGRAM]: the real daemon against the database; $vrc its exit
# status, $vlog its log.  EAL is initialised before it detaches: its log
# says how by then.
vswitchd() {
	# shellcheck disable=SC2086
	in_cg timeout 120 "${1:-$VS}" $VSARGS > "$T/vs.out" 2>&1
	vrc=$?
	vlog=$(cat "$D/vs.log" "$T/vs.out" 2>/dev/null)
	# The daemon writes dpdk_initialized=true after its log says so.
	case $vlog in
	*"DPDK Enabled - initialized"*)
		init=$($VSCTL wait-until Open_vSwitch . dpdk_initialized=true >/dev/null 2>&1 &&
		       echo true || echo "not written") ;;
	*) init=$($VSCTL get Open_vSwitch . dpdk_initialized 2>&1) ;;
	esac
	[ -f "$D/vs.pid" ] && kill -0 "$(cat "$D/vs.pid")" 2>/dev/null || rm -f "$D/vs.pid"
	stop
}
# predict [PROGRAM]: `hpdiag check --json -- PROGRAM DATABASE ...`: "OUTCOME
# CAUSE", the cause of the failure met first or of the first warning that
# has one, "-" for none.
predict() {
	# shellcheck disable=SC2086
	in_cg "$HPDIAG" check --json -- "${1:-$VS}" $VSARGS > "$T/p.json" 2> "$T/p.err"
	check_outcome "$T/p.json"
}
# real WHAT OUTCOME [MESSAGE]: what the daemon just run did.
real() {
	case $2 in
	start)
		if [ "$vrc" -eq 0 ] && [ "$init" = true ]; then
			contains "$vlog" "DPDK Enabled - initialized" "$1: ovs-vswitchd starts, DPDK initialised"
		else
			fail "$1: exit $vrc, dpdk_initialized=$init, expected a start: $vlog"
		fi ;;
	nodpdk)
		[ "$vrc" -eq 0 ] && [ "$init" = false ] &&
			pass "$1: ovs-vswitchd starts without DPDK" ||
			fail "$1: exit $vrc, dpdk_initialized=$init: $vlog"
		contains "$vlog" "$3" "$1: $3" ;;
	degraded)
		if [ "$vrc" -eq 0 ] && [ "$init" = false ]; then
			contains "$vlog" "$3" "$1: ovs-vswitchd runs on without DPDK: $3"
		else
			fail "$1: exit $vrc, dpdk_initialized=$init, expected to run without DPDK: $vlog"
		fi ;;
	fail)
		if [ "$vrc" -ne 0 ] && [ "$vrc" -lt 124 ]; then
			contains "$vlog" "$3" "$1: ovs-vswitchd fails (exit $vrc): $3"
		else
			fail "$1: exit $vrc, expected a failure: $vlog"
		fi ;;
	esac
}
# state WHAT REAL-OUTCOME REAL-CAUSE [PROGRAM]: the prediction must be
# REAL-OUTCOME and REAL-CAUSE, which the run just before showed.
state() {
	what=$1 want="$2 $3"
	got=$(predict "${4:-}")
	if [ "$got" = "$want" ]; then
		pass "$what: ovs-vswitchd and hpdiag agree ($want)"
	else
		fail "$what: ovs-vswitchd: $want, hpdiag: $got ($(head -c 300 "$T/p.err"))"
	fi
}
# case WHAT POOL OUTCOME CAUSE MESSAGE KEY=VALUE...: the database, the pool,
# then hpdiag's prediction (the daemon not running) and the daemon.
case_() {
	what=$1 n=$2 o=$3 c=$4 m=$5
	shift 5
	db "$@"
	echo "$n" > "$pool"
	[ "$(cat "$pool")" -ge "$n" ] || skip "could not reserve $n pages"
	state "$what" "$o" "$c"
	vswitchd
	real "$what" "$o" "$m"
}

EXTRA="dpdk-extra=--no-pci"
NOINFO="Cannot get hugepage information"
NOMEM="Cannot init memory"

# ---- dpdk-socket-mem=1024: 512 pages of 2 MiB on node 0 ---------------------------
case_ "socket-mem 1024, pool 0" 0 fail no_pool "$NOINFO" dpdk-init=true "$EXTRA" dpdk-socket-mem=1024
case_ "socket-mem 1024, pool 100" 100 fail pool_exhausted \
	"Not enough memory available on socket 0! Requested: 1024MB, available: 200MB" \
	dpdk-init=true "$EXTRA" dpdk-socket-mem=1024
case_ "socket-mem 1024, pool 511" 511 fail pool_exhausted \
	"Not enough memory available on socket 0! Requested: 1024MB, available: 1022MB" \
	dpdk-init=true "$EXTRA" dpdk-socket-mem=1024
case_ "socket-mem 1024, pool 512" 512 start - - dpdk-init=true "$EXTRA" dpdk-socket-mem=1024
case_ "socket-mem 1024, pool 600" 600 start - - dpdk-init=true "$EXTRA" dpdk-socket-mem=1024
contains "$(cat "$T/p.json")" '"name": "ovs-dpdk"' "the JSON need names the application"
contains "$(cat "$T/p.json")" "get Open_vSwitch . other_config" "and what it was read from"

# ---- dpdk-alloc-mem=300: -m 300 ---------------------------------------------------
case_ "alloc-mem 300, pool 100" 100 fail pool_exhausted "$NOMEM" dpdk-init=true "$EXTRA" \
	dpdk-alloc-mem=300
case_ "alloc-mem 300, pool 150" 150 start - - dpdk-init=true "$EXTRA" dpdk-alloc-mem=300

# ---- options EAL refuses: OVS passes dpdk-lcore-mask's -c after dpdk-extra's -l,
# and dpdk-socket-mem after dpdk-extra's -m; the daemon aborts before memory ----
case_ "lcore-mask with -l in dpdk-extra, pool 64" 64 fail unknown \
	"Option -c is ignored, because (-l) is set!" dpdk-init=true "dpdk-extra=--no-pci -l 1" \
	dpdk-lcore-mask=0x1 dpdk-socket-mem=64
contains "$(cat "$T/p.json")" "EAL refuses -c after -l" "hpdiag says which option EAL refuses"
case_ "-m in dpdk-extra with socket-mem, pool 64" 64 fail unknown \
	"Options -m and --socket-mem cannot be specified at the same time" dpdk-init=true \
	"dpdk-extra=--no-pci -m 32" dpdk-socket-mem=64
# OVS looks for whole words: dpdk-extra's --socket-mem=32 does not stop its
# --socket-mem 200, which EAL takes (the last one).
case_ "--socket-mem=32 in dpdk-extra with socket-mem 200, pool 64" 64 fail pool_exhausted \
	"Requested: 200MB, available: 128MB" dpdk-init=true "dpdk-extra=--no-pci --socket-mem=32" \
	dpdk-socket-mem=200
case_ "lcore-mask with -c in dpdk-extra, pool 64" 64 start - - dpdk-init=true \
	"dpdk-extra=--no-pci -c 0x1" dpdk-lcore-mask=0x2 dpdk-socket-mem=64

# ---- OVS's default: no amount, DPDK's dynamic memory takes a page at start ----------
case_ "default, pool 0" 0 fail no_pool "$NOINFO" dpdk-init=true "$EXTRA"
case_ "default, pool 1" 1 start - - dpdk-init=true "$EXTRA"

# ---- hpdiag exec runs the real daemon: the default amount, no pool ----------------
# Without --detach exec watches the daemon itself: EAL fails, OVS aborts.
db dpdk-init=true "$EXTRA"
echo 0 > "$pool"
EXECARGS="$DB --pidfile=$D/vs.pid --unixctl=$D/vs.ctl --log-file=$D/vs.log"
# shellcheck disable=SC2086
expect_exit 2 "exec -- ovs-vswitchd-dpdk, pool 0" -- timeout 120 "$HPDIAG" exec -- "$VS" $EXECARGS
contains "$out" "was killed by ABRT" "exec: the daemon aborts (Cannot init EAL), as it does alone"
contains "$out" "[no_pool, met first]" "exec names no_pool, as check and the daemon's log do"
stop
# With --detach the first process exits 1 when the daemon dies before it is
# up: exec reports that process, and says so.
db dpdk-init=true "$EXTRA"
# shellcheck disable=SC2086
expect_exit 2 "exec -- ovs-vswitchd-dpdk --detach, pool 0" -- timeout 120 "$HPDIAG" exec -- \
	"$VS" $EXECARGS --detach
contains "$out" "exited with status 1" "exec --detach: the first process exits 1"
contains "$out" "exec follows the daemon's calls and output, not its exit" "exec --detach says what it watched"
contains "$out" "[no_pool, met first]" "exec --detach still names no_pool (the daemon's output)"
stop

# ---- dpdk-init=try: EAL fails, the daemon runs on without DPDK ----------------------
case_ "dpdk-init=try, pool 0" 0 degraded no_pool "DPDK Initialization Failed" \
	dpdk-init=try "$EXTRA" dpdk-socket-mem=1024

# ---- --legacy-mem: no --in-memory, the pages are files in a hugetlbfs mount ----------
if mount | grep -q ' type hugetlbfs '; then
	echo "SKIP: --legacy-mem without a mount (a hugetlbfs mount is there)" >&2
else
	case_ "legacy-mem, no mount, pool 600" 600 fail no_mount "$NOINFO" dpdk-init=true \
		"dpdk-extra=--no-pci --legacy-mem" dpdk-socket-mem=64
fi

# ---- the build without DPDK (Debian's default ovs-vswitchd) -------------------------
plain=/usr/lib/openvswitch-switch/ovs-vswitchd
if [ -x "$plain" ]; then
	db dpdk-init=true "$EXTRA" dpdk-socket-mem=1024
	echo 0 > "$pool"
	state "build without DPDK, pool 0" start - "$plain"
	contains "$(cat "$T/p.json")" "built without DPDK" "hpdiag says it is built without DPDK"
	vswitchd "$plain"
	real "build without DPDK, pool 0" nodpdk "DPDK not supported in this copy of Open vSwitch"
fi

# ---- a hugetlb cgroup v2 limit: charged when DPDK touches each page ----------------
cgroup_make hpdiag-ovs
echo 512M > "$cg/hugetlb.2MB.max"
case_ "cgroup max 512M, socket-mem 1024, pool 600" 600 fail cgroup_hugetlb_limit "$NOMEM" \
	dpdk-init=true "$EXTRA" dpdk-socket-mem=1024
echo 1G > "$cg/hugetlb.2MB.max"
case_ "cgroup max 1G, socket-mem 1024, pool 600" 600 start - - \
	dpdk-init=true "$EXTRA" dpdk-socket-mem=1024
in_cg=
finish
