#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# QEMU 7.2 as the ground truth for `hpdiag check -- qemu-system-x86_64 ...`:
# in each state the host can be put in, the real QEMU is run (its memory
# backends are made and mapped before the monitor reads `quit`) and its
# outcome compared with hpdiag's prediction - the outcome (start, degraded,
# fail) and the cause of the failure met first.  The states: a pool of 0,
# too small, exact and enough pages (memory-backend-file shared and
# private, memory-backend-memfd, the legacy -m -mem-path); a mem-path that
# is not on hugetlbfs (QEMU starts on 4 KiB pages: degraded); a mount's
# size= and nr_inodes= quota; a hugetlb cgroup v2 limit charged at fault
# (QEMU starts and dies of SIGBUS when guest memory is touched - pmemsave
# on its monitor reads it all - or, with prealloc=on, fails at start) and a
# reservation limit (ENOMEM at mmap); reserve=off under a short pool
# (SIGBUS later); a mem-path missing (QEMU makes the file) or missing with
# its directory (QEMU cannot open it: no_mount); options QEMU refuses before
# it maps anything (unknown); 1 GiB pages (memfd, a pagesize=1G mount, two
# backends of 2 MiB and 1 GiB) with the 1 GiB pool at 0 and 1.  In each
# state `trial -- qemu-system-x86_64 ...`, which makes each backend's file
# (or memfd) and mapping for real, must agree too, and leave no file
# behind.  The pools, the mounts, the cgroup and cgroup.subtree_control are
# put back, and every QEMU is gone, on every exit path.
. "$TESTLIB"
serialize "$@"
needs once qemu-system-x86_64
command -v python3 >/dev/null 2>&1 || skip "python3 missing (reads the JSON)"

mnt=$T/mnt
plain=$T/plain
mnt1g=$T/mnt1g
pool1g=/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
old_pool1g=
[ -w "$pool1g" ] && old_pool1g=$(cat "$pool1g")
U=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
cg=
old_sc=
restore() {
	cgroup_restore
	rm -f "$mnt"/* "$mnt1g"/* 2>/dev/null
	mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
	mountpoint -q "$mnt1g" 2>/dev/null && umount "$mnt1g"
	echo "$old_pool" > "$pool"
	[ -n "$old_pool1g" ] && echo "$old_pool1g" > "$pool1g"
	rm -rf "$T"
}
trap restore EXIT
trap 'exit 130' INT TERM HUP PIPE
mkdir -p "$mnt" "$plain" "$mnt1g"

QEMU="qemu-system-x86_64 -nodefaults -display none -monitor stdio"
# qemu MONITOR-INPUT ARGS...: the real QEMU (in $cg when $in_cg is set),
# its monitor fed MONITOR-INPUT; $qrc its exit status, $qerr its stderr.
in_cg=
qemu() {
	input=$1
	shift
	# shellcheck disable=SC2086
	printf '%b' "$input" | sh -c '[ -z "$1" ] || echo $$ > "$1/cgroup.procs"; shift; exec timeout 60 "$@"' \
		sh "$in_cg" $QEMU "$@" > "$T/q.out" 2> "$T/q.err"
	qrc=$?
	qerr=$(cat "$T/q.err")
	rm -f "$mnt"/* "$mnt1g"/* 2>/dev/null
}
# predict ARGS...: `hpdiag check --json -- qemu-system-x86_64 ARGS` (in $cg
# when $in_cg is set): "OUTCOME CAUSE", the cause of the failure met first
# or of the first warning that has one, "-" for none.
predict() {
	# shellcheck disable=SC2086
	sh -c '[ -z "$1" ] || echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$in_cg" \
		"$HPDIAG" check --json -- $QEMU "$@" > "$T/p.json" 2> "$T/p.err"
	check_outcome "$T/p.json"
}
# trial ARGS...: `hpdiag trial --json -- qemu-system-x86_64 ARGS` (in $cg
# when $in_cg is set): "OUTCOME CAUSE" of the trial, "-" for no cause.
trial() {
	# shellcheck disable=SC2086
	sh -c '[ -z "$1" ] || echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$in_cg" \
		"$HPDIAG" trial --json -- $QEMU "$@" > "$T/t.json" 2> "$T/t.err"
	python3 - "$T/t.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["trial"]
c = t.get("cause")
print(t.get("outcome", "?"), "-" if c in (None, "none") else c)
PY
}
# state WHAT REAL-OUTCOME REAL-CAUSE ARGS...: the prediction for ARGS, and
# the trial's, must be REAL-OUTCOME and REAL-CAUSE, which the run of QEMU
# just before showed.
state() {
	what=$1 want="$2 $3"
	shift 3
	got=$(predict "$@")
	if [ "$got" = "$want" ]; then
		pass "$what: QEMU and hpdiag agree ($want)"
	else
		fail "$what: QEMU: $want, hpdiag: $got ($(head -c 300 "$T/p.err"))"
	fi
	got=$(trial "$@")
	if [ "$got" = "$want" ]; then
		pass "$what: QEMU and trial agree ($want)"
	else
		fail "$what: QEMU: $want, trial: $got ($(head -c 300 "$T/t.err"))"
	fi
	[ -z "$(find "$mnt" "$mnt1g" "$plain" -mindepth 1 2>/dev/null | head -n 1)" ] ||
		fail "$what: the trial left files: $(ls -A "$mnt" "$mnt1g" "$plain")"
}
# real WHAT OUTCOME [MESSAGE]: what the run of QEMU just before did.
real() {
	case $2 in
	start)
		[ "$qrc" -eq 0 ] && pass "$1: QEMU starts" ||
			fail "$1: QEMU exit $qrc, expected a start: $qerr" ;;
	fail)
		if [ "$qrc" -ne 0 ] && [ "$qrc" -lt 124 ]; then
			contains "$qerr" "$3" "$1: QEMU fails (exit $qrc): $3"
		else
			fail "$1: QEMU exit $qrc, expected a failure: $qerr"
		fi ;;
	sigbus)
		[ "$qrc" -eq 135 ] && pass "$1: QEMU dies of SIGBUS (exit 135)" ||
			fail "$1: QEMU exit $qrc, expected SIGBUS (135): $qerr" ;;
	esac
}

# explained WANT [--log-only] ARGS...: QEMU's stderr of the run just before,
# after its command line as a user pastes it, fed to explain: "OUTCOME
# CAUSE" must be WANT, the cause QEMU and check agreed on.
explained() {
	want=$1
	shift
	lo=
	[ "$1" = --log-only ] && { lo=$1; shift; }
	{ echo "# $QEMU $*"; cat "$T/q.err"; } > "$T/q.log"
	got=$("$HPDIAG" --json explain $lo "$T/q.log" 2>/dev/null | python3 -c '
import json, sys
e = json.load(sys.stdin)["explain"]
o = {"succeeded": "start", "fallback": "degraded", "failed": "fail"}.get(e["outcome"], e["outcome"])
print(o, e["answer"]["cause"] or "-")')
	[ "$got" = "$want" ] && pass "explain${lo:+ $lo} on QEMU's output: $got, as check" ||
		fail "explain${lo:+ $lo} on QEMU's output: $got; QEMU and check: $want"
}

NOMEM="unable to map backing store for guest RAM: Cannot allocate memory"
file="memory-backend-file,id=m,size=256M,mem-path=$mnt"
# Guest RAM touched through the monitor: pmemsave reads all of it.
touch_ram="pmemsave 0 0x10000000 \"$T/dump\"\nquit\n"
pc="-machine pc,memory-backend=m -m 256 -S"

# ---- the pool -------------------------------------------------------------------
for p in 0 64 128 200; do
	setup "$p"
	case $p in 0) o=fail c=no_pool ;; 64) o=fail c=pool_exhausted ;; *) o=start c=- ;; esac
	for share in on off; do
		qemu 'quit\n' -machine none -object "$file,share=$share"
		real "pool $p, share=$share" "$o" "$NOMEM"
		[ "$o" = fail ] && [ "$share" = on ] &&
			explained "$o $c" -machine none -object "$file,share=$share"
		if [ "$p" = 0 ] && [ "$share" = on ]; then
			# shellcheck disable=SC2086
			expect_exit 2 "exec -- qemu, pool 0" -- "$HPDIAG" exec -- $QEMU \
				-machine none -object "$file,share=on" < /dev/null
			contains "$out" "FAIL  exec" "exec: QEMU's refused mapping is a failure"
			contains "$out" "[no_pool" "exec names no_pool"
			contains "$out" "workload: qemu" "exec keeps QEMU's own model"
		fi
		state "pool $p, share=$share" "$o" "$c" -machine none -object "$file,share=$share"
	done
	qemu 'quit\n' -machine none -object "memory-backend-memfd,id=m,size=256M,hugetlb=on,hugetlbsize=2M"
	real "pool $p, memfd" "$o" "$NOMEM"
	state "pool $p, memfd" "$o" "$c" -machine none \
		-object "memory-backend-memfd,id=m,size=256M,hugetlb=on,hugetlbsize=2M"
	qemu 'quit\n' -machine pc -m 256 -S -mem-path "$mnt" -mem-prealloc
	real "pool $p, -m 256 -mem-path -mem-prealloc" "$o" "$NOMEM"
	state "pool $p, -m 256 -mem-path -mem-prealloc" "$o" "$c" -machine pc -m 256 -S \
		-mem-path "$mnt" -mem-prealloc
done

# ---- reserve=off: nothing reserved, SIGBUS when the guest touches its RAM ---------
setup 64
qemu 'quit\n' $pc -object "$file,share=on,reserve=off"
real "pool 64, reserve=off" start
qemu "$touch_ram" $pc -object "$file,share=on,reserve=off"
real "pool 64, reserve=off, guest RAM touched" sigbus
state "pool 64, reserve=off" fail pool_exhausted $pc -object "$file,share=on,reserve=off"
contains "$(cat "$T/p.json")" "dies of SIGBUS" "hpdiag says the guest dies later of SIGBUS"

# ---- no mount: QEMU starts on 4 KiB pages, without a word -------------------------
setup 0
qemu 'quit\n' -machine none -object "memory-backend-file,id=m,size=256M,mem-path=$plain,share=on"
real "mem-path not on hugetlbfs" start
[ -z "$qerr" ] && pass "QEMU says nothing of it" || fail "QEMU said: $qerr"
state "mem-path not on hugetlbfs" degraded no_mount -machine none \
	-object "memory-backend-file,id=m,size=256M,mem-path=$plain,share=on"
ls -A "$plain" | grep -q . && fail "QEMU left a file in $plain"

# ---- a mem-path that does not exist -----------------------------------------------
# Missing alone: QEMU makes a file of that name in its directory (and keeps
# it): on ext4 here, so 4 KiB pages, as a mem-path off hugetlbfs.
setup 0
qemu 'quit\n' -machine none -object "memory-backend-file,id=m,size=256M,mem-path=$plain/ram,share=on"
real "mem-path missing, its directory there" start
[ -f "$plain/ram" ] && pass "QEMU made the file $plain/ram" || fail "QEMU made no $plain/ram"
rm -f "$plain/ram"
state "mem-path missing, its directory there" degraded no_mount -machine none \
	-object "memory-backend-file,id=m,size=256M,mem-path=$plain/ram,share=on"
# Missing with its directory: QEMU cannot open it, whatever the pool holds
# (in a hugetlbfs mount too: there a mkdir is the remedy).
setup 200
for a in "-machine none -object memory-backend-file,id=m,size=256M,mem-path=$T/none/ram,share=on" \
	 "-machine pc -m 256 -S -mem-path $T/none/ram" \
	 "-machine none -object memory-backend-file,id=m,size=256M,mem-path=$mnt/none/ram,share=on"; do
	path=${a##*mem-path[= ]}
	path=${path%%,*}
	# shellcheck disable=SC2086
	qemu 'quit\n' $a
	real "mem-path and its directory missing ($a)" fail \
		"can't open backing store $path for guest RAM: No such file or directory"
	# shellcheck disable=SC2086
	explained "fail no_mount" --log-only $a
	# shellcheck disable=SC2086
	state "mem-path and its directory missing ($a)" fail no_mount $a
done
contains "$(cat "$T/p.json")" "mkdir -p $mnt/none/ram\"" \
	"in a hugetlbfs mount the remedy is a directory"
# The remedy, run: then QEMU starts, and check says so.
cmd=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print("\n".join(c for f in d["findings"] if f["status"] == "fail" and f.get("remedy")
                for c in f["remedy"]["commands"]))' "$T/p.json")
sh -c "$cmd" && pass "the remedy ran: $cmd" || fail "the remedy failed: $cmd"
a="-machine none -object memory-backend-file,id=m,size=256M,mem-path=$mnt/none/ram,share=on"
# shellcheck disable=SC2086
qemu 'quit\n' $a
real "mem-path made by the remedy" start
# (state would count the remedy's directories as files the trial left)
# shellcheck disable=SC2086
got=$(predict $a)
[ "$got" = "start -" ] && pass "after the remedy: QEMU and hpdiag agree (start)" ||
	fail "after the remedy: QEMU starts, hpdiag: $got"
# shellcheck disable=SC2086
got=$(trial $a)
[ "$got" = "start -" ] && pass "after the remedy: QEMU and trial agree (start)" ||
	fail "after the remedy: QEMU starts, trial: $got"
[ -z "$(ls -A "$mnt/none/ram")" ] || fail "after the remedy: files left in $mnt/none/ram"
rm -rf "$mnt/none"

# ---- options QEMU refuses before it maps anything ---------------------------------
# (pool 200: the pool would do; the command line is what stops it)
qemu 'quit\n' -machine none -object "memory-backend-file,id=m,mem-path=$mnt,share=on"
real "no size=" fail "Parameter 'size' is missing"
explained "fail unknown" --log-only -machine none -object "memory-backend-file,id=m,mem-path=$mnt,share=on"
state "no size=" fail unknown -machine none -object "memory-backend-file,id=m,mem-path=$mnt,share=on"
contains "$(cat "$T/p.json")" "Parameter 'size' is missing" "check names the refused option"
qemu 'quit\n' -machine pc,memory-backend=zz -m 256 -S -object "$file,share=on"
real "memory-backend= names no backend" fail "Memory backend 'zz' not found"
explained "fail unknown" --log-only -machine pc,memory-backend=zz -m 256 -S -object "$file,share=on"
state "memory-backend= names no backend" fail unknown -machine pc,memory-backend=zz -m 256 -S \
	-object "$file,share=on"
qemu 'quit\n' -machine none -object "memory-backend-memfd,id=m,size=3M,hugetlb=on,hugetlbsize=2M"
real "memfd of 3M in 2M pages" fail "failed to resize memfd to 3145728: Invalid argument"
explained "fail unknown" --log-only -machine none \
	-object "memory-backend-memfd,id=m,size=3M,hugetlb=on,hugetlbsize=2M"
state "memfd of 3M in 2M pages" fail unknown -machine none \
	-object "memory-backend-memfd,id=m,size=3M,hugetlb=on,hugetlbsize=2M"
# hugetlbsize without hugetlb=on is ignored: base pages, nothing to check.
qemu 'quit\n' -machine none -object "memory-backend-memfd,id=m,size=256M,hugetlbsize=2M"
real "memfd hugetlbsize without hugetlb=on" start
state "memfd hugetlbsize without hugetlb=on" start - -machine none \
	-object "memory-backend-memfd,id=m,size=256M,hugetlbsize=2M"

# ---- 1 GiB pages ------------------------------------------------------------------
memfd1g="memory-backend-memfd,hugetlb=on,hugetlbsize=1G,size=1G"
file1g="memory-backend-file,size=1G,mem-path=$mnt1g,share=on"
mixed="-object memory-backend-file,id=a,size=256M,mem-path=$mnt,share=on -object $file1g,id=b"
if [ -z "$old_pool1g" ]; then
	echo "SKIP: the 1 GiB states (no writable 1 GiB pool here)" >&2
else
	mount -t hugetlbfs -o pagesize=1G nodev "$mnt1g"
	for p1 in 0 1; do
		echo "$p1" > "$pool1g"
		if [ "$(cat "$pool1g")" -lt "$p1" ]; then
			echo "SKIP: the 1 GiB states with a page (the 1 GiB pool did not grow)" >&2
			continue
		fi
		case $p1 in 0) o=fail c=no_pool ;; *) o=start c=- ;; esac
		setup 128
		qemu 'quit\n' -machine none -object "$memfd1g,id=m"
		real "1G pool $p1, memfd 1G" "$o" "$NOMEM"
		state "1G pool $p1, memfd 1G" "$o" "$c" -machine none -object "$memfd1g,id=m"
		qemu 'quit\n' -machine none -object "$file1g,id=m"
		real "1G pool $p1, file on a 1G mount" "$o" "$NOMEM"
		state "1G pool $p1, file on a 1G mount" "$o" "$c" -machine none -object "$file1g,id=m"
		# shellcheck disable=SC2086
		qemu 'quit\n' -machine none $mixed
		real "1G pool $p1, 2M pool 128, backends of 2M and 1G" "$o" "$NOMEM"
		# shellcheck disable=SC2086
		state "1G pool $p1, 2M pool 128, backends of 2M and 1G" "$o" "$c" -machine none $mixed
		[ "$p1" = 1 ] || continue
		# shellcheck disable=SC2086
		qemu 'quit\n' -machine none -object "$memfd1g,id=a" -object "$memfd1g,id=b"
		real "1G pool 1, two memfd of 1G" fail "$NOMEM"
		state "1G pool 1, two memfd of 1G" fail pool_exhausted -machine none \
			-object "$memfd1g,id=a" -object "$memfd1g,id=b"
		setup 0
		# shellcheck disable=SC2086
		qemu 'quit\n' -machine none $mixed
		real "1G pool 1, 2M pool 0, backends of 2M and 1G" fail "$NOMEM"
		# shellcheck disable=SC2086
		state "1G pool 1, 2M pool 0, backends of 2M and 1G" fail no_pool -machine none $mixed
	done
	echo "$old_pool1g" > "$pool1g"
	umount "$mnt1g"
fi

# ---- the mount's quota ------------------------------------------------------------
setup 200 size=128M
qemu 'quit\n' -machine none -object "$file,share=on"
real "size=128M" fail "$NOMEM"
state "size=128M" fail mount_quota -machine none -object "$file,share=on"
# Two backends, a file each; the mount's root takes an inode of nr_inodes.
two="-object memory-backend-file,id=a,size=64M,mem-path=$mnt,share=on
     -object memory-backend-file,id=b,size=64M,mem-path=$mnt,share=on"
setup 200 nr_inodes=2
# shellcheck disable=SC2086
qemu 'quit\n' -machine none $two
real "nr_inodes=2, two backends" fail "No space left on device"
# shellcheck disable=SC2086
state "nr_inodes=2, two backends" fail mount_quota -machine none $two
setup 200 nr_inodes=3
# shellcheck disable=SC2086
qemu 'quit\n' -machine none $two
real "nr_inodes=3, two backends" start
# shellcheck disable=SC2086
state "nr_inodes=3, two backends" start - -machine none $two

# ---- a hugetlb cgroup v2 limit ----------------------------------------------------
cgroup_make hpdiag-qemu
setup 200
echo 64M > "$cg/hugetlb.2MB.max"
qemu 'quit\n' $pc -object "$file,share=on"
real "cgroup max 64M" start
qemu "$touch_ram" $pc -object "$file,share=on"
real "cgroup max 64M, guest RAM touched" sigbus
state "cgroup max 64M" fail cgroup_hugetlb_limit $pc -object "$file,share=on"
contains "$(cat "$T/p.json")" "dies of SIGBUS" "hpdiag says the guest dies later of SIGBUS"
qemu 'quit\n' -machine none -object "$file,share=on,prealloc=on"
real "cgroup max 64M, prealloc=on" fail "qemu_prealloc_mem: preallocating memory failed: Bad address"
explained "fail cgroup_hugetlb_limit" --log-only -machine none -object "$file,share=on,prealloc=on"
state "cgroup max 64M, prealloc=on" fail cgroup_hugetlb_limit -machine none \
	-object "$file,share=on,prealloc=on"
echo max > "$cg/hugetlb.2MB.max"
if [ -f "$cg/hugetlb.2MB.rsvd.max" ]; then
	echo 64M > "$cg/hugetlb.2MB.rsvd.max"
	qemu 'quit\n' -machine none -object "$file,share=off"
	real "cgroup rsvd.max 64M" fail "$NOMEM"
	state "cgroup rsvd.max 64M" fail cgroup_hugetlb_limit -machine none -object "$file,share=off"
fi
finish
