#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The hugetlb cgroup on the live kernel, with real programs as the ground
# truth.  A child of the v2 hierarchy (the hugetlb controller enabled in
# the parent's cgroup.subtree_control) gets hugetlb.2MB.max = 64 MiB:
# dpdk-test -m 256 run in it fails with "Cannot init memory" (SIGBUS at
# fault time, caught by DPDK), and check run in it, check --pid and check
# --cgroup run from outside it, trial and exec in it, trial --cgroup and
# explain --cgroup must all name cgroup_hugetlb_limit; the remedy, run,
# makes check pass and DPDK start.  The same with a reservation limit
# (hugetlb.2MB.rsvd.max: ENOMEM at mmap).  PostgreSQL 15 with
# huge_pages=on (a private cluster, run as the postgres user): under the
# fault-time limit it starts and a process later dies of SIGBUS, under the
# reservation limit it refuses to start - hpdiag must say which.  A
# container (unshare: its own mount and cgroup namespaces, cgroup2 and a
# hugetlbfs mounted inside) sees the limit as its pod's budget; from the
# node, check --pid and mounts --pid read its cgroup and mounts.  A
# hugepage user in the cgroup shows in the metrics, which promtool accepts
# and a real node_exporter serves.  Every process is moved back, the
# cgroup removed, cgroup.subtree_control, the pool and the mounts restored,
# on every exit path.
. "$TESTLIB"
# Findings on one line each, for the messages grepped below.
COLUMNS=1000
export COLUMNS
serialize "$@"
[ "$(id -u)" -eq 0 ] || skip "needs root"
grep -qw hugetlbfs /proc/filesystems || skip "no hugetlbfs"
pool=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
[ -w "$pool" ] || skip "no writable 2 MiB pool"
# The v2 hierarchy, and the hugetlb controller on it (not on a v1 one).
U=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
[ -n "$U" ] && [ -d "$U" ] || skip "no cgroup v2 hierarchy"
grep -qw hugetlb "$U/cgroup.controllers" || skip "the hugetlb controller is not on cgroup v2 here"
root=$(sed -n 's/^0:://p' /proc/self/cgroup)
[ "$root" = / ] || skip "this shell is not in the v2 root cgroup ($root)"

old_pool=$(cat "$pool")
old_sc=$(cat "$U/cgroup.subtree_control")
name=hpdiag-e2e-$$
cg=$U/$name
mnt=$T/mnt
prefix=hpdcg$$
pgdir=
holder=
pod=
ne=
# Every process in CG back to the root cgroup, then CG removed.
drain() {
	[ -d "$1" ] || return 0
	for _ in 1 2 3 4 5; do
		while read -r p; do echo "$p" > "$U/cgroup.procs" 2>/dev/null; done < "$1/cgroup.procs"
		[ -s "$1/cgroup.procs" ] || break
		sleep 0.1
	done
	rmdir "$1"
}
restore() {
	[ -n "$ne" ] && kill "$ne" 2>/dev/null
	[ -n "$holder" ] && { echo quit >&3; exec 3>&-; } 2>/dev/null
	[ -n "$holder" ] && kill "$holder" 2>/dev/null
	[ -n "$pod" ] && kill "$pod" 2>/dev/null
	if [ -n "$pgdir" ] && [ -f "$pgdir/data/postmaster.pid" ]; then
		su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D '$pgdir/data' -m immediate -w stop" >/dev/null 2>&1
	fi
	wait 2>/dev/null
	drain "$cg"
	case " $old_sc " in *" hugetlb "*) ;; *) echo -hugetlb > "$U/cgroup.subtree_control" ;; esac
	rm -f "$mnt"/* 2>/dev/null
	mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
	rm -rf "/var/run/dpdk/$prefix"
	echo "$old_pool" > "$pool"
	[ -n "$pgdir" ] && rm -rf "$pgdir"
	rm -rf "$T"
}
trap restore EXIT
trap 'exit 130' INT TERM HUP PIPE
mkdir -p "$mnt"

# in_cg COMMAND...: runs COMMAND inside the test's cgroup (in the
# background, "$IN_CG" COMMAND & - so that $! is its pid).
IN_CG='echo $$ > "$0/cgroup.procs" && exec "$@"'
in_cg() {
	sh -c "$IN_CG" "$cg" "$@"
}
cause_of() {	# the cause hpdiag marks as met first, or that a FAIL line names
	sed -n 's/^FAIL  .*\[\([a-z_]*\)[],].*/\1/p' | head -n 1
}
# says WHAT WANT TEXT: TEXT's first cause is WANT.
says() {
	got=$(printf '%s\n' "$3" | cause_of)
	[ "$got" = "$2" ] && pass "$1 says $2" ||
		{ fail "$1 says '$got', not $2:"; printf '%s\n' "$3" >&2; }
}
dpdk() {	# dpdk LOG EAL-OPTIONS: dpdk-test in the cgroup; sets $dpdk_rc
	log=$1
	shift
	echo "# DPDK_TEST=memory_autotest dpdk-test --no-pci -l 0 --file-prefix $prefix $*" > "$log"
	in_cg env DPDK_TEST=memory_autotest timeout 120 dpdk-test --no-pci -l 0 \
		--file-prefix "$prefix" "$@" < /dev/null >> "$log" 2>&1
	dpdk_rc=$?
	rm -f "$mnt"/* 2>/dev/null
	rm -rf "/var/run/dpdk/$prefix"
}

setup 400
echo +hugetlb > "$U/cgroup.subtree_control"
mkdir "$cg"
[ -f "$cg/hugetlb.2MB.max" ] || skip "no hugetlb.2MB.max in a child cgroup"
have_rsvd=false
[ -f "$cg/hugetlb.2MB.rsvd.max" ] && have_rsvd=true

# ---- a fault-time limit: SIGBUS ------------------------------------------------
echo 64M > "$cg/hugetlb.2MB.max"
if command -v dpdk-test >/dev/null 2>&1; then
	dpdk "$T/fault.log" -m 256 --huge-dir "$mnt"
	if [ "$dpdk_rc" -ne 0 ] && grep -q "Cannot init memory" "$T/fault.log"; then
		pass "DPDK in the cgroup: Cannot init memory (exit $dpdk_rc)"
	else
		fail "DPDK -m 256 under a 64 MiB hugetlb limit did not fail as expected:"
		cat "$T/fault.log" >&2
	fi
	[ "$(sed -n 's/^max //p' "$cg/hugetlb.2MB.events")" -gt 0 ] &&
		pass "the kernel counted the refused charges" || fail "hugetlb.2MB.events: $(cat "$cg/hugetlb.2MB.events")"
else
	echo "dpdk-test missing: DPDK runs skipped"
fi
out=$(in_cg "$HPDIAG" --color never check -m 256 --huge-dir "$mnt" 2>&1)
says "check in the cgroup" cgroup_hugetlb_limit "$out"
contains "$out" "charges each page when it is first touched" "check says the charge is at fault time"
contains "$out" "raises SIGBUS" "and what that means"
contains "$out" "room for 32 of the 128 pages" "with the pages the limit allows"
sh -c "$IN_CG" "$cg" sleep 600 &
sleeper=$!
pod=$sleeper
sleep 0.2
out=$("$HPDIAG" --color never check -m 256 --huge-dir "$mnt" --pid "$sleeper" 2>&1)
says "check --pid of a process in it" cgroup_hugetlb_limit "$out"
out=$("$HPDIAG" --color never check -m 256 --huge-dir "$mnt" --cgroup "/$name" 2>&1)
says "check --cgroup /$name" cgroup_hugetlb_limit "$out"
out=$("$HPDIAG" --color never check -m 256 --huge-dir "$mnt" --cgroup "$cg" 2>&1)
says "check --cgroup $cg" cgroup_hugetlb_limit "$out"
out=$("$HPDIAG" --color never check -m 64 --huge-dir "$mnt" --cgroup "$cg" 2>&1)
case $out in *"PASS  cgroup_hugetlb"*) pass "check: 64 MiB fit the limit" ;;
*) fail "check -m 64 under 64 MiB: $out" ;; esac
out=$("$HPDIAG" --color never check -m 256 --huge-dir "$mnt" 2>&1)
case $out in *cgroup_hugetlb*) fail "check outside the cgroup sees its limit: $out" ;;
*) pass "check outside the cgroup: no hugetlb limit" ;; esac
expect_exit 3 "--cgroup of a cgroup that does not exist" -- "$HPDIAG" check -m 64 --cgroup "/$name-none"
contains "$err" "no such cgroup" "says so"
if [ -z "${HPDIAG_SANITIZED:-}" ]; then
	out=$(in_cg "$HPDIAG" --color never trial -m 256 --huge-dir "$mnt" 2>&1)
	says "trial in the cgroup" cgroup_hugetlb_limit "$out"
	contains "$out" "fault raised BUS" "the trial's page fault raised SIGBUS"
	contains "$out" "page 32 of 128" "at page 32, as the limit allows"
	out=$("$HPDIAG" --color never trial -m 256 --huge-dir "$mnt" --cgroup "/$name" 2>&1)
	says "trial --cgroup from outside" cgroup_hugetlb_limit "$out"
	[ "$(sed -n 's/^0:://p' /proc/self/cgroup)" = / ] && pass "trial --cgroup left hpdiag's shell where it was" ||
		fail "this shell moved"
	out=$("$HPDIAG" --color never trial -m 32 --huge-dir "$mnt" --cgroup "/$name" 2>&1)
	case $out in *"PASS  trial"*) pass "trial --cgroup: 32 MiB fit" ;; *) fail "trial -m 32: $out" ;; esac
fi
if command -v dpdk-test >/dev/null 2>&1; then
	out=$(in_cg env DPDK_TEST=memory_autotest "$HPDIAG" --color never exec -- \
		dpdk-test --no-pci -l 0 --file-prefix "$prefix" -m 256 --huge-dir "$mnt" < /dev/null 2>&1)
	rm -f "$mnt"/*
	says "exec of DPDK in the cgroup" cgroup_hugetlb_limit "$out"
	contains "$out" "refused" "exec counted the refused charges"
	out=$("$HPDIAG" --color never explain "$T/fault.log" --cgroup "/$name" 2>&1)
	says "explain --cgroup of DPDK's log" cgroup_hugetlb_limit "$out"
	# The remedy, run: check passes and DPDK starts.
	remedy=$(in_cg "$HPDIAG" --color never check -m 256 --huge-dir "$mnt" 2>&1 |
		sed -n '/cgroup_hugetlb/,/remedy:/s/^ *remedy: *//p' | head -n 1)
	case $remedy in
	"echo "*" > $cg/hugetlb.2MB.max") sh -c "$remedy" && pass "ran the remedy: $remedy" ;;
	*) fail "remedy: '$remedy'" ;;
	esac
	out=$(in_cg "$HPDIAG" --color never check -m 256 --huge-dir "$mnt" 2>&1)
	case $out in *"PASS  cgroup_hugetlb"*) pass "after the remedy check passes" ;;
	*) fail "after the remedy: $out" ;; esac
	dpdk "$T/fixed.log" -m 256 --huge-dir "$mnt"
	[ "$dpdk_rc" -eq 0 ] && pass "after the remedy DPDK starts" ||
		{ fail "DPDK still fails after the remedy"; cat "$T/fixed.log" >&2; }
	echo 64M > "$cg/hugetlb.2MB.max"
fi

# ---- a reservation limit: ENOMEM at mmap -----------------------------------------
if $have_rsvd; then
	echo max > "$cg/hugetlb.2MB.max"
	echo 64M > "$cg/hugetlb.2MB.rsvd.max"
	if command -v dpdk-test >/dev/null 2>&1; then
		dpdk "$T/rsvd.log" -m 256 --huge-dir "$mnt"
		[ "$dpdk_rc" -ne 0 ] && grep -q "Cannot init memory" "$T/rsvd.log" &&
			pass "DPDK under a reservation limit: Cannot init memory" ||
			{ fail "DPDK under the reservation limit:"; cat "$T/rsvd.log" >&2; }
	fi
	out=$(in_cg "$HPDIAG" --color never check -m 256 --huge-dir "$mnt" 2>&1)
	says "check, reservation limit" cgroup_hugetlb_limit "$out"
	contains "$out" "when the pages are reserved" "check says the charge is at reservation"
	contains "$out" "fails with ENOMEM" "and that mmap fails with ENOMEM"
	out=$("$HPDIAG" --color never check -m 256 --huge-dir "$mnt" --pid "$sleeper" 2>&1)
	says "check --pid, reservation limit" cgroup_hugetlb_limit "$out"
	if [ -z "${HPDIAG_SANITIZED:-}" ]; then
		out=$(in_cg "$HPDIAG" --color never trial -m 256 --huge-dir "$mnt" 2>&1)
		says "trial, reservation limit" cgroup_hugetlb_limit "$out"
		contains "$out" "mmap failed with ENOMEM" "the trial's mmap failed with ENOMEM"
	fi
	if command -v dpdk-test >/dev/null 2>&1; then
		out=$(in_cg env DPDK_TEST=memory_autotest "$HPDIAG" --color never exec -- \
			dpdk-test --no-pci -l 0 --file-prefix "$prefix" -m 256 --huge-dir "$mnt" < /dev/null 2>&1)
		rm -f "$mnt"/*
		says "exec, reservation limit" cgroup_hugetlb_limit "$out"
		contains "$out" "failed with ENOMEM" "exec caught the mmap that failed"
	fi
	echo max > "$cg/hugetlb.2MB.rsvd.max"
	echo 64M > "$cg/hugetlb.2MB.max"
else
	echo "no hugetlb reservation limits on this kernel: rsvd part skipped"
fi
kill "$sleeper" 2>/dev/null
wait "$sleeper" 2>/dev/null
pod=

# ---- PostgreSQL 15, huge_pages=on ----------------------------------------------------
PGBIN=/usr/lib/postgresql/15/bin
if [ -x "$PGBIN/initdb" ] && id postgres >/dev/null 2>&1; then
	pgdir=$(mktemp -d /tmp/hpdiag-pg.XXXXXX)
	chown postgres "$pgdir"
	chmod 755 "$pgdir"
	pg() { su postgres -s /bin/sh -c "$*"; }
	pgopts="-c huge_pages=on -c shared_buffers=128MB -c port=$((50000 + $$ % 10000)) -c listen_addresses= -c unix_socket_directories=$pgdir"
	pg "$PGBIN/initdb -D $pgdir/data -A trust -U postgres" > "$T/initdb.log" 2>&1 ||
		{ fail "initdb"; cat "$T/initdb.log" >&2; }
	pages=$(pg "$PGBIN/postgres -D $pgdir/data -C shared_memory_size_in_huge_pages $pgopts")
	pass "PostgreSQL needs $pages hugepages (postgres -C shared_memory_size_in_huge_pages)"
	out=$("$HPDIAG" --color never check --mode anon -n "$pages" --cgroup "/$name" 2>&1)
	says "check --mode anon -n $pages" cgroup_hugetlb_limit "$out"
	contains "$out" "PostgreSQL starts, then crashes" "check: PostgreSQL starts, then crashes"
	# What it really does: it starts, and dies of SIGBUS once its buffers fill.
	in_cg su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $pgdir/data -l $pgdir/pg.log -w -t 30 -o '$pgopts' start" > "$T/pgstart.log" 2>&1
	[ $? -eq 0 ] && pass "PostgreSQL starts in the cgroup" ||
		{ fail "PostgreSQL did not start under the fault-time limit"; cat "$pgdir/pg.log" >&2; }
	# New pages are zeroed in shared buffers by the CPU: the touch past the
	# limit is a SIGBUS.  (Reads into such buffers fail short instead, and
	# CREATE TABLE AS recycles a small ring of buffers.)
	cat > "$pgdir/fill.sql" <<-'SQL'
	create table t (g int, s text);
	insert into t select g, repeat(md5(g::text), 10) from generate_series(1, 400000) g;
	SQL
	chmod 644 "$pgdir/fill.sql"
	pg "$PGBIN/psql -h $pgdir -p $((50000 + $$ % 10000)) -U postgres -f $pgdir/fill.sql" > "$T/psql.log" 2>&1
	for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q "signal 7" "$pgdir/pg.log" && break; sleep 0.5; done
	grep -q "terminated by signal 7: Bus error" "$pgdir/pg.log" &&
		pass "then a PostgreSQL process dies of SIGBUS: $(grep -m1 'signal 7' "$pgdir/pg.log" | sed 's/.*LOG: *//')" ||
		{ fail "PostgreSQL did not die of SIGBUS:"; cat "$pgdir/pg.log" "$T/psql.log" >&2; }
	pg "$PGBIN/pg_ctl -D $pgdir/data -m immediate -w stop" > /dev/null 2>&1
	out=$("$HPDIAG" --color never explain --cgroup "/$name" "$pgdir/pg.log" 2>&1)
	says "explain --cgroup of PostgreSQL's log" cgroup_hugetlb_limit "$out"
	contains "$out" "limit=67108864" "with the limit as evidence"
	contains "$out" "usage=" "and the usage"
	out=$("$HPDIAG" --color never explain "$pgdir/pg.log" 2>&1)
	case $out in *"this host shows cgroup_hugetlb_limit"*) fail "explain outside the cgroup confirms it: $out" ;;
	*) pass "explain outside the cgroup does not confirm a limit it cannot see" ;; esac
	if $have_rsvd; then
		echo max > "$cg/hugetlb.2MB.max"
		echo 64M > "$cg/hugetlb.2MB.rsvd.max"
		out=$("$HPDIAG" --color never check --mode anon -n "$pages" --cgroup "/$name" 2>&1)
		says "check --mode anon, reservation limit" cgroup_hugetlb_limit "$out"
		contains "$out" "PostgreSQL refuses to start" "check: PostgreSQL refuses to start"
		: > "$pgdir/pg.log"
		if in_cg su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $pgdir/data -l $pgdir/pg.log -w -t 30 -o '$pgopts' start" > "$T/pgstart.log" 2>&1; then
			fail "PostgreSQL started under the reservation limit"
			pg "$PGBIN/pg_ctl -D $pgdir/data -m immediate -w stop" > /dev/null 2>&1
		else
			grep -q "could not map anonymous shared memory" "$pgdir/pg.log" &&
				pass "PostgreSQL refuses to start: $(grep -m1 'could not map' "$pgdir/pg.log" | sed 's/.*FATAL: *//')" ||
				{ fail "PostgreSQL failed otherwise:"; cat "$pgdir/pg.log" >&2; }
		fi
		out=$("$HPDIAG" --color never explain --cgroup "/$name" "$pgdir/pg.log" 2>&1)
		says "explain --cgroup, reservation limit" cgroup_hugetlb_limit "$out"
		echo max > "$cg/hugetlb.2MB.rsvd.max"
		echo 64M > "$cg/hugetlb.2MB.max"
	fi
	rm -rf "$pgdir"
	pgdir=
else
	echo "postgresql-15 missing: PostgreSQL part skipped"
fi

# ---- a container: its own mount and cgroup namespaces ------------------------------
if command -v unshare >/dev/null 2>&1 && unshare --cgroup --mount true 2>/dev/null; then
	mkdir -p "$T/podhuge"
	cat > "$T/inner.sh" <<-EOS
	mount --make-rprivate /
	umount "$U" && mount -t cgroup2 none "$U" || exit 1
	mount -t hugetlbfs -o pagesize=2M nodev "$T/podhuge" || exit 1
	"$HPDIAG" --color never check -m 256 --huge-dir "$T/podhuge" > "$T/inpod.out" 2>&1
	"$HPDIAG" --color never check -m 32 --huge-dir "$T/podhuge" > "$T/inpod32.out" 2>&1
	"$HPDIAG" --color never limits > "$T/inpod.limits" 2>&1
	touch "$T/inner.done"
	exec sleep 600
	EOS
	sh -c "$IN_CG" "$cg" unshare --mount --cgroup --fork sh "$T/inner.sh" \
		> "$T/inner.log" 2>&1 &
	pod=$!
	for _ in $(seq 1 50); do [ -f "$T/inner.done" ] && break; sleep 0.1; done
	out=$(cat "$T/inpod.out" 2>/dev/null)
	says "check inside the container" cgroup_hugetlb_limit "$out"
	contains "$out" "the container may use 32 of the node's" "the container's budget of the node's free pages"
	contains "$out" "resources.limits.hugepages-2Mi: 256Mi" "the remedy names the pod's resource"
	case $out in *nr_hugepages\ *|*"> /sys/kernel/mm"*) fail "the remedy names the node's pool: $out" ;;
	*) pass "not the node's nr_hugepages" ;; esac
	contains "$(cat "$T/inpod32.out")" "PASS  cgroup_hugetlb" "inside: 32 MiB fit"
	contains "$(cat "$T/inpod.limits")" "inside a container" "limits says it reads a container's view"
	cpid=$(pgrep -P "$pod" -x sleep | head -n 1)
	if [ -n "$cpid" ]; then
		out=$("$HPDIAG" --color never check -m 256 --huge-dir "$T/podhuge" --pid "$cpid" 2>&1)
		says "check --pid of the container's process, from the node" cgroup_hugetlb_limit "$out"
		contains "$out" "$T/podhuge is a hugetlbfs mount" "its mount, from its mount namespace"
		out=$("$HPDIAG" --color never mounts --pid "$cpid" 2>&1)
		contains "$out" "$T/podhuge" "mounts --pid lists the container's hugetlbfs"
		out=$("$HPDIAG" --color never mounts 2>&1)
		case $out in *"$T/podhuge"*) fail "the node's mounts list the container's: $out" ;;
		*) pass "the node's own mounts do not" ;; esac
	else
		fail "no process in the container: $(cat "$T/inner.log")"
	fi
	kill "$pod" 2>/dev/null
	pkill -P "$pod" 2>/dev/null
	wait "$pod" 2>/dev/null
	pod=
else
	echo "unshare cannot make cgroup namespaces here: container part skipped"
fi

# ---- the fleet: a hugepage user in the cgroup, its metrics --------------------------
if command -v dpdk-test >/dev/null 2>&1; then
	rm -f "$T/in"
	mkfifo "$T/in"
	sh -c "$IN_CG" "$cg" dpdk-test --no-pci -l 0 --file-prefix "$prefix" -m 32 \
		--huge-dir "$mnt" < "$T/in" > "$T/holder.log" 2>&1 &
	holder=$!
	exec 3> "$T/in"
	for _ in $(seq 1 100); do grep -q 'RTE>>' "$T/holder.log" && break; sleep 0.1; done
	mkdir -p "$T/textfile"
	"$HPDIAG" check -m 64 --format prometheus -o "$T/textfile/hpdiag.prom"
	m=$(cat "$T/textfile/hpdiag.prom")
	contains "$m" "hpdiag_cgroup_hugetlb_usage_bytes{cgroup=\"/$name\",page_size_bytes=\"2097152\",command=\"check\"} 33554432" \
		"the metrics cover the cgroup of a running hugepage user: its usage"
	contains "$m" "hpdiag_cgroup_hugetlb_limit_bytes{cgroup=\"/$name\",page_size_bytes=\"2097152\",command=\"check\"} 67108864" \
		"its limit"
	hits=$(sed -n "s/^hpdiag_cgroup_hugetlb_limit_hits_total{cgroup=\"\/$name\",page_size_bytes=\"2097152\".*} //p" "$T/textfile/hpdiag.prom")
	[ -n "$hits" ] && [ "$hits" -gt 0 ] && pass "its refused charges: $hits" || fail "limit hits: '$hits'"
	if command -v promtool >/dev/null 2>&1; then
		lint=$(promtool check metrics < "$T/textfile/hpdiag.prom" 2>&1) &&
			pass "promtool accepts the cgroup metrics" || fail "promtool: $lint"
	fi
	NE=$(command -v prometheus-node-exporter || command -v node_exporter || true)
	if [ -n "$NE" ]; then
		port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		"$NE" --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
			--collector.textfile --collector.textfile.directory="$T/textfile" > "$T/ne.log" 2>&1 &
		ne=$!
		scraped=
		for _ in $(seq 1 20); do
			scraped=$(python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$port/metrics', timeout=2).read().decode())" 2>/dev/null) && break
			sleep 0.25
		done
		contains "$scraped" "hpdiag_cgroup_hugetlb_limit_hits_total{cgroup=\"/$name\",command=\"check\",page_size_bytes=\"2097152\"} $hits" \
			"node_exporter serves the cgroup's refused charges"
		contains "$scraped" "node_textfile_scrape_error 0" "node_exporter read the file without error"
		kill "$ne" 2>/dev/null
		wait "$ne" 2>/dev/null
		ne=
	else
		echo "prometheus-node-exporter missing: scrape skipped"
	fi
	echo quit >&3
	exec 3>&-
	wait "$holder" 2>/dev/null
	holder=
	rm -f "$mnt"/*
fi
finish
