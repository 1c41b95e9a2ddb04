#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# PostgreSQL 15 as the ground truth of `check -- postgres ...` (#18): a
# private cluster (initdb as the postgres user in the test's own
# directory, its own port and socket directory; the system cluster is not
# touched) is started with pg_ctl in each state this host can give it -
# huge_pages=on with no pool, a pool too small and the exact pool,
# huge_pages=try with no pool, huge_pages=off, and a cgroup v2 hugetlb
# limit that charges at fault time - and what PostgreSQL did (refused to
# start with "could not map anonymous shared memory", started with or
# without hugepages in its smaps, died of SIGBUS) is compared with the
# outcome and cause hpdiag predicted from the same command line, and with
# those of `trial -- postgres ...` (its MAP_HUGETLB mapping made for real).
# Then `fix --apply -- postgres ...` with no pool: the real PostgreSQL
# starts on hugepages afterwards.  The
# server, the cluster, the cgroup, cgroup.subtree_control and the pool are
# restored on every exit path.
. "$TESTLIB"
serialize "$@"
needs once python3
PGBIN=/usr/lib/postgresql/15/bin
[ -x "$PGBIN/initdb" ] || skip "postgresql-15 missing"
id postgres >/dev/null 2>&1 || skip "no postgres user"

pgdir=
cg=
U=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
old_sc=$(cat "$U/cgroup.subtree_control" 2>/dev/null)
pg() { su postgres -s /bin/sh -c "$*"; }
stop() {
	[ -n "$pgdir" ] && [ -f "$pgdir/data/postmaster.pid" ] &&
		pg "$PGBIN/pg_ctl -D '$pgdir/data' -m immediate -w stop" >/dev/null 2>&1
	return 0
}
restore() {
	stop
	if [ -n "$cg" ] && [ -d "$cg" ]; then
		while read -r p; do echo "$p" > "$U/cgroup.procs" 2>/dev/null; done < "$cg/cgroup.procs"
		rmdir "$cg"
		case " $old_sc " in *" hugetlb "*) ;; *) echo -hugetlb > "$U/cgroup.subtree_control" ;; esac
	fi
	echo "$old_pool" > "$pool"
	[ -n "$pgdir" ] && rm -rf "$pgdir"
	rm -rf "$T"
}
trap restore EXIT
trap 'exit 130' INT TERM HUP PIPE

pgdir=$(mktemp -d /tmp/hpdiag-pg.XXXXXX)
chown postgres "$pgdir"
chmod 755 "$pgdir"
port=$((50000 + $$ % 10000))
pg "$PGBIN/initdb -D $pgdir/data -A trust -U postgres" > "$T/initdb.log" 2>&1 ||
	{ cat "$T/initdb.log" >&2; skip "initdb failed"; }
base="-c shared_buffers=128MB -c port=$port -c listen_addresses= -c unix_socket_directories=$pgdir"

# predict HUGE_PAGES: "OUTCOME CAUSE" of check -- postgres (the cause of
# the first failure, or of a warning when it starts degraded).
predict() {
	"$HPDIAG" --json check -- "$PGBIN/postgres" -D "$pgdir/data" -c huge_pages="$1" \
		$base 2>"$T/check.err" | python3 -c '
import json, sys
d = json.load(sys.stdin)
o = d["need"]["outcome"]
c = [f["cause"] for f in d["findings"] if f["status"] == "fail" and f.get("first")]
c += [f["cause"] for f in d["findings"] if f["cause"]]
print(o, c[0] if c else "none")'
}
# trial HUGE_PAGES: "OUTCOME CAUSE" of trial -- postgres (its mapping made
# for real; the cause of a failure or of a degraded start).
trial() {
	"$HPDIAG" --json trial -- "$PGBIN/postgres" -D "$pgdir/data" -c huge_pages="$1" \
		$base 2>"$T/trial.err" | trial_outcome
}
trial_outcome() {
	python3 -c '
import json, sys
t = json.load(sys.stdin)["trial"]
print(t["outcome"], t["cause"] or "none")'
}
# real HUGE_PAGES: starts the cluster; "fail", "start" (hugepages in its
# smaps) or "degraded" (none), and stops it.
real() {
	: > "$pgdir/pg.log"
	chown postgres "$pgdir/pg.log"
	if su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $pgdir/data -l $pgdir/pg.log -w -t 30 -o '-c huge_pages=$1 $base' start" > "$T/pgstart.log" 2>&1; then
		pid=$(head -n 1 "$pgdir/data/postmaster.pid")
		if grep -q '^KernelPageSize: *2048 kB' "/proc/$pid/smaps"; then echo start; else echo degraded; fi
		[ -n "${KEEP:-}" ] || stop
	else
		echo fail
	fi
}
# state NAME HUGE_PAGES WANT_CAUSE: the real outcome and hpdiag's agree.
state() {
	p=$(predict "$2")
	t=$(trial "$2")
	r=$(real "$2")
	# huge_pages=off asks for none: base pages are its normal start.
	[ "$2" = off ] && [ "$r" = degraded ] && r=start
	msg=$(grep -m1 -o 'FATAL: .*' "$pgdir/pg.log")
	case $p in
	"$r $3") pass "$1: PostgreSQL: $r${msg:+ ($msg)}; hpdiag: $p" ;;
	*) fail "$1: PostgreSQL: $r${msg:+ ($msg)}; hpdiag predicted: $p (cause $3 wanted)"
	   cat "$pgdir/pg.log" "$T/check.err" >&2 ;;
	esac
	case $t in
	"$r $3") pass "$1: trial agrees: $t" ;;
	*) fail "$1: PostgreSQL: $r; trial: $t (cause $3 wanted)"; cat "$T/trial.err" >&2 ;;
	esac
}

# explained LOG [GLOBAL OPTIONS]: "OUTCOME CAUSE" of explain on the live
# log (the answer's cause, "none" for a pass).
explained() {
	log=$1
	shift
	"$HPDIAG" --json "$@" explain "$log" 2>/dev/null | python3 -c '
import json, sys
e = json.load(sys.stdin)["explain"]
o = {"succeeded": "start", "fallback": "degraded", "failed": "fail"}.get(e["outcome"], e["outcome"])
print(o, e["answer"]["cause"] or "none")'
}

pages=$(pg "$PGBIN/postgres -D $pgdir/data -C shared_memory_size_in_huge_pages -c huge_pages=on $base")
[ "$pages" -gt 0 ] 2>/dev/null || skip "postgres -C shared_memory_size_in_huge_pages: '$pages'"
pass "PostgreSQL asks for $pages hugepages"

echo 0 > "$pool"
state "huge_pages=on, no pool" on no_pool
grep -q "could not map anonymous shared memory" "$pgdir/pg.log" &&
	pass "it says: $(grep -m1 -o 'could not map.*' "$pgdir/pg.log")" ||
	fail "no 'could not map anonymous shared memory' in its log"
# exec runs it (as the cluster's owner) and names the same cause.
expect_exit 2 "exec -- postgres, huge_pages=on, no pool" -- "$HPDIAG" exec -- \
	runuser -u postgres -- "$PGBIN/postgres" -D "$pgdir/data" -c huge_pages=on $base
contains "$out" "FAIL  exec" "exec: PostgreSQL's refusal to start is a failure"
contains "$out" "[no_pool" "exec names no_pool"
# The server's own log, fed to explain on this host, names check's cause.
e=$(explained "$pgdir/pg.log")
[ "$e" = "fail no_pool" ] && pass "explain on its log: $e, as check" ||
	fail "explain on its log: $e; check and PostgreSQL: fail no_pool"
echo $((pages / 2)) > "$pool"
state "huge_pages=on, pool of $((pages / 2))" on pool_exhausted
echo "$pages" > "$pool"
[ "$(cat "$pool")" -eq "$pages" ] || skip "could not reserve $pages pages"
state "huge_pages=on, pool of $pages (exact)" on none
state "huge_pages=try, pool of $pages" try none
echo 0 > "$pool"
state "huge_pages=try, no pool" try no_pool
state "huge_pages=off" off none

# fix -- postgres: the plan sizes the pool to what PostgreSQL maps; after
# it, the real PostgreSQL starts on hugepages (the trap puts the pool back).
echo 0 > "$pool"
"$HPDIAG" fix --apply -- "$PGBIN/postgres" -D "$pgdir/data" -c huge_pages=on $base \
	> "$T/fix.out" 2>&1
fixrc=$?
[ "$fixrc" -eq 0 ] && [ "$(cat "$pool")" -ge "$pages" ] &&
	pass "fix --apply -- postgres: pool $(cat "$pool") (exit $fixrc)" ||
	{ fail "fix --apply -- postgres: exit $fixrc, pool $(cat "$pool") of $pages"; cat "$T/fix.out" >&2; }
r=$(real on)
[ "$r" = start ] && pass "after fix: PostgreSQL starts on hugepages" ||
	fail "after fix: PostgreSQL: $r ($(grep -m1 -o 'FATAL: .*' "$pgdir/pg.log"))"
echo 0 > "$pool"

# A hugetlb cgroup that charges each page when it is first touched: the
# mapping succeeds, PostgreSQL starts, and a backend that touches a page
# past the limit dies of SIGBUS.
if [ -n "$U" ] && grep -qw hugetlb "$U/cgroup.controllers" 2>/dev/null &&
   [ "$(sed -n 's/^0:://p' /proc/self/cgroup)" = / ]; then
	echo +hugetlb > "$U/cgroup.subtree_control"
	cg=$U/hpdiag-pg-$$
	mkdir "$cg"
	echo 64M > "$cg/hugetlb.2MB.max"
	echo "$pages" > "$pool"
	IN_CG='echo $$ > "$0/cgroup.procs" && exec "$@"'
	p=$(sh -c "$IN_CG" "$cg" sh -c "$(printf '"%s" --json check -- %s -D %s -c huge_pages=on %s' \
		"$HPDIAG" "$PGBIN/postgres" "$pgdir/data" "$base")" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
c = [f["cause"] for f in d["findings"] if f["status"] == "fail"]
print(d["need"]["outcome"], c[0] if c else "none")')
	t=$(sh -c "$IN_CG" "$cg" sh -c "$(printf '"%s" --json trial -- %s -D %s -c huge_pages=on %s' \
		"$HPDIAG" "$PGBIN/postgres" "$pgdir/data" "$base")" 2>"$T/trial.err" | trial_outcome)
	: > "$pgdir/pg.log"
	chown postgres "$pgdir/pg.log"
	sh -c "$IN_CG" "$cg" su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $pgdir/data -l $pgdir/pg.log -w -t 30 -o '-c huge_pages=on $base' start" > "$T/pgstart.log" 2>&1 ||
		fail "PostgreSQL did not start under the fault-time limit"
	cat > "$pgdir/fill.sql" <<-'SQL'
	create table t (g int, s text);
	insert into t select g, repeat(md5(g::text), 10) from generate_series(1, 400000) g;
	SQL
	chmod 644 "$pgdir/fill.sql"
	pg "$PGBIN/psql -h $pgdir -p $port -U postgres -f $pgdir/fill.sql" > "$T/psql.log" 2>&1
	for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q "signal 7" "$pgdir/pg.log" && break; sleep 0.5; done
	if grep -q "signal 7" "$pgdir/pg.log"; then r="fail cgroup_hugetlb_limit"; else r="start none"; fi
	stop
	# The log alone: a backend's SIGBUS after start is the cgroup's.
	e=$(explained "$pgdir/pg.log" --log-only)
	[ "$e" = "$r" ] && pass "explain --log-only on its log: $e" ||
		fail "explain --log-only on its log: $e; PostgreSQL: $r"
	[ "$p" = "$r" ] &&
		pass "cgroup hugetlb.2MB.max=64M: PostgreSQL: $r ($(grep -m1 -o 'terminated by signal 7.*' "$pgdir/pg.log")); hpdiag: $p" ||
		fail "cgroup hugetlb.2MB.max=64M: PostgreSQL: $r; hpdiag predicted: $p"
	[ "$t" = "$r" ] && pass "cgroup hugetlb.2MB.max=64M: trial agrees: $t" ||
		{ fail "cgroup hugetlb.2MB.max=64M: PostgreSQL: $r; trial: $t"; cat "$T/trial.err" >&2; }
else
	echo "no cgroup v2 hugetlb controller here: the cgroup state skipped"
fi
finish
