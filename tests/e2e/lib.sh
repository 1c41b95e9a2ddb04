# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for the end-to-end tests: run the built binary, compare, skip.
# Each test is a shell script run by `make check` with HPDIAG, FIXTURES,
# EXPECTED and MANPAGE set; exit 0 pass, 1 fail, 77 skip.

: "${HPDIAG:?HPDIAG must point to the built binary}"
failures=0
# A finding on one line, whatever its length, for the tests that look for
# text in it; the golden files and the test of the width unset it.
COLUMNS=100000
export COLUMNS

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

pass() {
	echo "ok: $*"
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

finish() {
	[ "$failures" -eq 0 ] && exit 0
	echo "$failures failure(s)" >&2
	exit 1
}

# expect_exit CODE DESCRIPTION -- COMMAND...: runs COMMAND, checks its status.
# Its stdout and stderr are left in $out and $err.
out=
err=
expect_exit() {
	want=$1 what=$2
	shift 3
	out=$("$@" 2>"$T/stderr")
	got=$?
	err=$(cat "$T/stderr")
	if [ "$got" -eq "$want" ]; then
		pass "$what (exit $got)"
	else
		fail "$what: exit $got, expected $want; stderr: $err"
	fi
}

# contains TEXT NEEDLE DESCRIPTION
contains() {
	case $1 in
	*"$2"*) pass "$3" ;;
	*) fail "$3: '$2' not in: $1" ;;
	esac
}

T=$(mktemp -d "${TMPDIR:-/tmp}/hpdiag-e2e.XXXXXX")
cleanup_tmp() {
	rm -rf "$T"
}
trap cleanup_tmp EXIT

# HPDIAG_VALGRIND=1: every run of hpdiag under valgrind; a memory error or a
# leak makes it exit 99, which no test expects.
if [ -n "${HPDIAG_VALGRIND:-}" ]; then
	HPDIAG_REAL=${HPDIAG_REAL:-$HPDIAG}
	export HPDIAG_REAL
	HPDIAG=$T/hpdiag
	# Its report only when it found something (it also warns of system
	# calls it does not know, such as openat2: hpdiag then falls back).
	cat > "$HPDIAG" <<VG
#!/bin/sh
log=\$(mktemp "${TMPDIR:-/tmp}/hpdiag-vg.XXXXXX")
valgrind -q --log-file="\$log" --error-exitcode=99 --leak-check=full \\
	--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \\
	"$HPDIAG_REAL" "\$@"
rc=\$?
[ "\$rc" -eq 99 ] && cat "\$log" >&2
rm -f "\$log"
exit "\$rc"
VG
	chmod 755 "$HPDIAG"
fi

# serialize: tests that read or change global kernel state (the pools, the
# mounts) run one at a time, even under `make -j check`.
serialize() {
	if [ -z "${HPDIAG_SERIALIZED:-}" ] && command -v flock >/dev/null 2>&1; then
		rm -rf "$T"	# the re-executed script makes its own
		HPDIAG_SERIALIZED=1 exec flock "${TMPDIR:-/tmp}/hpdiag-tests.lock" "$SHELL_FOR_TESTS" "$0" "$@"
	fi
}
SHELL_FOR_TESTS=${SHELL_FOR_TESTS:-/bin/sh}

# needs WHAT...: skips unless the test can run here - as root, with
# hugetlbfs and a writable 2 MiB pool ($pool, its value now in $old_pool) -
# and each WHAT is there: "dpdk" (dpdk-test), "once" (not again under the
# sanitizers: a real program's test runs once, in the normal build), or a
# command's name.
needs() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	grep -qw hugetlbfs /proc/filesystems || skip "no hugetlbfs"
	pool=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
	[ -w "$pool" ] || skip "needs a writable 2 MiB pool"
	old_pool=$(cat "$pool")
	for w in "$@"; do
		case $w in
		once) [ -z "${HPDIAG_SANITIZED:-}" ] ||
			skip "runs a real program: once, in the normal build" ;;
		dpdk) command -v dpdk-test >/dev/null 2>&1 ||
			skip "dpdk-test missing (apt-get install dpdk-dev)" ;;
		*) command -v "$w" >/dev/null 2>&1 || skip "$w missing" ;;
		esac
	done
}

# setup POOL [MOUNT OPTIONS]: the 2 MiB pool ($pool) set to POOL pages and a
# fresh private hugetlbfs mount at $mnt, emptied first (the tests that
# change them save them and put them back on exit).
setup() {
	rm -f "$mnt"/* 2>/dev/null
	mountpoint -q "$mnt" && umount "$mnt"
	echo "$1" > "$pool"
	[ "$(cat "$pool")" -ge "$1" ] || skip "could not reserve $1 pages"
	mount -t hugetlbfs -o "pagesize=2M${2:+,$2}" nodev "$mnt"
}

# private_mount PREFIX: DPDK's --file-prefix ($prefix) and a private mount
# point $mnt in $T; on every exit restore_mount empties and unmounts it,
# removes the prefix's runtime directory and puts the pool back.  A test
# with more to undo defines restore() (its own, then restore_mount) and
# traps it after.
private_mount() {
	prefix=$1
	mnt=$T/mnt
	mkdir -p "$mnt"
	trap restore_mount EXIT
	trap 'exit 130' INT TERM HUP PIPE
}
restore_mount() {
	rm -f "$mnt"/* 2>/dev/null
	mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
	[ -n "${prefix:-}" ] && rm -rf "/var/run/dpdk/$prefix"
	echo "$old_pool" > "$pool"
	rm -rf "$T"
}

# check_outcome FILE: "OUTCOME CAUSE" of check's JSON report in FILE - the
# need's outcome, and the cause of the failure met first or of the first
# warning that has one ("-" for none).
check_outcome() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
fs = d.get("findings", [])
c = [f["cause"] for f in fs if f.get("first")] or \
    [f["cause"] for f in fs if f["status"] == "warn" and f.get("cause")] or ["-"]
print(d["need"].get("outcome", "?"), c[0] or "-")
PY
}

# cgroup_make NAME: a child cgroup $U/NAME-$$ under the hugetlb controller
# ($cg, and $in_cg to run in it), cgroup.subtree_control saved first for
# cgroup_restore; without a hugetlb controller on a v2 hierarchy the test
# ends here with what it has (finish).
cgroup_make() {
	if [ -z "$U" ] || ! grep -qw hugetlb "$U/cgroup.controllers" 2>/dev/null ||
	   [ "$(sed -n 's/^0:://p' /proc/self/cgroup)" != / ]; then
		echo "SKIP: the cgroup states (no hugetlb controller on a v2 hierarchy here)" >&2
		finish
	fi
	old_sc=$(cat "$U/cgroup.subtree_control")
	sc_saved=1
	echo +hugetlb > "$U/cgroup.subtree_control"
	cg=$U/$1-$$
	mkdir "$cg"
	in_cg=$cg
}

# cgroup_restore: the test's cgroup $cg emptied (its processes killed) and
# removed, and hugetlb taken out of $U/cgroup.subtree_control again when it
# was not in $old_sc, what the test found there ($sc_saved says the test
# read it: an empty one is a value too).
cgroup_restore() {
	if [ -n "${cg:-}" ] && [ -d "$cg" ]; then
		while read -r p; do kill -9 "$p" 2>/dev/null; done < "$cg/cgroup.procs"
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			[ -s "$cg/cgroup.procs" ] || break
			sleep 0.1
		done
		rmdir "$cg"
	fi
	if [ -n "${sc_saved:-}" ]; then
		case " $old_sc " in *" hugetlb "*) ;; *) echo -hugetlb > "$U/cgroup.subtree_control" ;; esac
	fi
}

# dpdk_own_vmas PRELOAD PREFIX: the VMAs dpdk-test holds before memory init,
# with PRELOAD loaded (and HPDIAG_HOG_VMAS=0): it starts with --no-huge
# (which adds 4), waits at its prompt, is counted, and quits.
dpdk_own_vmas() {
	rm -f "$T/in"
	mkfifo "$T/in"
	env LD_PRELOAD="$1" HPDIAG_HOG_VMAS=0 dpdk-test --no-huge -m 64 --no-pci -l 0 \
		--file-prefix "$2" < "$T/in" > "$T/base.log" 2>&1 &
	own_pid=$!
	exec 3> "$T/in"
	for _ in $(seq 1 100); do grep -q 'RTE>>' "$T/base.log" && break; sleep 0.1; done
	echo $(($(wc -l < "/proc/$own_pid/maps") - 4))
	echo quit >&3
	exec 3>&-
	wait "$own_pid" 2>/dev/null
	rm -rf "/var/run/dpdk/$2"
}
