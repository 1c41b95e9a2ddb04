#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# RLIMIT_DATA (and RLIMIT_AS) against what the program itself needs.  The
# real programs are the ground truth: dpdk-test and dpdk-testpmd (DPDK
# 22.11) run under `prlimit --data` just below and just above the need
# hpdiag reads from their ELF objects, and `check -- COMMAND`, `trial --
# COMMAND` and `exec -- COMMAND` must each agree with what the program did.
# Then the states the kernel and the loader refuse: a limit below the
# program's own .bss (SIGSEGV at execve), one the loader fails under
# (exit 127, the library named), and RLIMIT_AS below its own mappings.
# The 2 MiB pool and a private hugetlbfs mount are saved and restored on
# every exit path; limits are set per process (prlimit), never the host's.
. "$TESTLIB"
serialize "$@"
needs dpdk prlimit python3

private_mount hpdgd$$
setup 300
MIB=1048576
# A sanitizer's or valgrind's hpdiag holds terabytes of private memory of
# its own: its trial child cannot take a program's data under a limit.
trials=yes
[ -n "${HPDIAG_SANITIZED:-}${HPDIAG_VALGRIND:-}" ] && trials=

# need KEY -- COMMAND: a number of `check --json -- COMMAND`'s need.
need() {
	key=$1
	shift 2
	"$HPDIAG" --json check -- "$@" 2>/dev/null | python3 -c '
import json, sys
n = json.load(sys.stdin)["need"]
k = sys.argv[1]
print(n[k] if k in n else n["data"][k])' "$key"
}

# real LIMIT-OPTION -- COMMAND: the program itself under the limit.
real() {
	rl=$1
	shift 2
	DPDK_TEST=memory_autotest timeout 120 prlimit "$rl" -- "$@" < /dev/null > "$T/real.log" 2>&1
	real_rc=$?
	rm -f "$mnt"/* 2>/dev/null
	rm -rf "/var/run/dpdk/$prefix"
}

first_cause() {
	sed -n 's/.*\[\([a-z_]*\), met first.*/\1/p' | head -n 1
}

# agree NAME CAUSE LIMIT-OPTION -- COMMAND: the program ran under the
# limit (real_rc); check, trial and exec with the same command line must
# say it fails with CAUSE (or, for "", that it starts).
agree() {
	name=$1 want=$2 al=$3
	shift 4
	if [ -n "$want" ] && [ "$real_rc" -eq 0 ]; then
		fail "$name: the program started, the state does not hold"
		return
	elif [ -z "$want" ] && [ "$real_rc" -ne 0 ]; then
		fail "$name: the program failed (exit $real_rc): $(tail -n 3 "$T/real.log")"
		return
	fi
	pass "$name: the program $([ -n "$want" ] && echo "failed (exit $real_rc)" || echo started)"
	out=$("$HPDIAG" --color never check -- prlimit "$al" "$@" 2>&1)
	got=$(printf '%s\n' "$out" | first_cause)
	[ "$got" = "$want" ] && pass "$name: check says '${want:-it starts}'" ||
		{ fail "$name: check says '$got', the program: '${want:-it starts}'"; printf '%s\n' "$out" >&2; }
	if [ -n "$trials" ]; then
		out=$("$HPDIAG" --color never trial -- prlimit "$al" "$@" 2>&1)
		got=$(printf '%s\n' "$out" | sed -n 's/^FAIL  trial .*\[\([a-z_]*\), met first.*/\1/p')
		case $want in
		"") case $out in *"PASS  trial"*) got= ;; *) got=fail ;; esac ;;
		esac
		[ "$got" = "$want" ] && pass "$name: trial says '${want:-it starts}'" ||
			{ fail "$name: trial says '$got', the program: '${want:-it starts}'"; printf '%s\n' "$out" >&2; }
	fi
	out=$(DPDK_TEST=memory_autotest timeout 120 "$HPDIAG" --color never exec -- \
		prlimit "$al" "$@" < /dev/null 2>&1)
	rc=$?
	rm -f "$mnt"/* 2>/dev/null
	rm -rf "/var/run/dpdk/$prefix"
	got=$(printf '%s\n' "$out" | sed -n 's/^FAIL  exec .*\[\([a-z_]*\), met first.*/\1/p')
	[ -z "$want" ] && [ "$rc" -eq 0 ] && got=
	[ -z "$want" ] && [ "$rc" -ne 0 ] && got="exit $rc"
	[ "$got" = "$want" ] && pass "$name: exec says '${want:-it starts}'" ||
		{ fail "$name: exec says '$got', the program: '${want:-it starts}'"; printf '%s\n' "$out" | tail -n 8 >&2; }
}

# ---- dpdk-test and dpdk-testpmd, just below and just above their need ------------
test_cmd="dpdk-test -l 0 --no-pci --no-telemetry -m 256 --huge-dir $mnt --file-prefix $prefix"
pmd_cmd="dpdk-testpmd -l 0-1 --no-pci --vdev net_null0 -m 256 --huge-dir $mnt \
--file-prefix $prefix -- --total-num-mbufs=2048"
for prog in test pmd; do
	eval "cmd=\$${prog}_cmd"
	# shellcheck disable=SC2086
	set -- $cmd
	command -v "$1" >/dev/null 2>&1 || { echo "$1 missing: skipped"; continue; }
	n=$(need data_bytes -- "$@")
	case $n in ''|*[!0-9]*) fail "$1: no data need from check --json"; continue ;; esac
	pass "$1: hpdiag reads a need of $((n / MIB)) MiB of private data"
	below=$((n - MIB)) above=$((n + MIB))
	real "--data=$below" -- "$@"
	agree "$1 under --data=$below (need - 1 MiB)" rlimit_data "--data=$below" -- "$@"
	real "--data=$above" -- "$@"
	agree "$1 under --data=$above (need + 1 MiB)" "" "--data=$above" -- "$@"
done

# ---- dpdk-test: the kernel and the loader refuse it -------------------------------
# shellcheck disable=SC2086
set -- $test_cmd
own=$(need own_bytes -- "$@")
load=$(need at_load_bytes -- "$@")
va=$(need load_va_bytes -- "$@")

# Below its own .data and .bss: the kernel kills it at execve.
lim=$((own - 4 * MIB))
real "--data=$lim" -- "$@"
[ "$real_rc" -eq 139 ] && pass "--data=$lim: SIGSEGV at execve (exit 139)" ||
	fail "--data=$lim: exit $real_rc, not 139"
agree "dpdk-test under --data=$lim (below its .bss)" rlimit_data "--data=$lim" -- "$@"
contains "$out" "the kernel could not map" "exec: the kernel refused it at execve"

# Between its own and what the loader maps: "error while loading shared
# libraries", with the library it could not map (or, when the loader's
# own allocation came first, "cannot allocate ...").
lim=$((load - MIB))
real "--data=$lim" -- "$@"
line=$(grep -m1 'error while loading shared libraries' "$T/real.log")
lib=$(printf '%s\n' "$line" | sed -n 's/.*shared libraries: \([^:]*\.so[^:]*\): .*/\1/p')
[ "$real_rc" -eq 127 ] && [ -n "$line" ] && pass "--data=$lim: the loader refuses it (exit 127): $line" ||
	fail "--data=$lim: exit $real_rc: $(cat "$T/real.log")"
agree "dpdk-test under --data=$lim (the loader)" rlimit_data "--data=$lim" -- "$@"
contains "$out" "the loader said '" "exec quotes the loader"
# Under exec the preloaded library is one more object: the loader may stop
# at another step; the evidence names what it said in that run.
out=$(DPDK_TEST=memory_autotest "$HPDIAG" --json exec -- prlimit "--data=$lim" "$@" \
	< /dev/null 2>"$T/exec.err")
lib=$(sed -n 's/.*shared libraries: \([^:]*\.so[^:]*\): .*/\1/p' "$T/exec.err")
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
f = [f for f in d["findings"] if f["check"] == "exec"][0]
e = f["evidence"]
assert f["cause"] == "rlimit_data" and e.get("library", "") == sys.argv[1], f
assert e["limit"] == int(sys.argv[2]) and e["need"] > e["limit"] and e["started"] == 0, e
assert any("ulimit -d" in c for c in f["remedy"]["commands"]), f["remedy"]
' "$lib" "$lim" && pass "exec --json: the need, the limit and the library ('$lib') as evidence" ||
	fail "exec --json evidence: $out"
rm -f "$mnt"/* 2>/dev/null

# RLIMIT_AS below what its objects map when it starts.
lim=$((va - 16 * MIB))
real "--as=$lim" -- "$@"
agree "dpdk-test under --as=$lim (its own mappings)" rlimit_as "--as=$lim" -- "$@"
finish
