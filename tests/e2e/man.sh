#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The man pages - hpdiag(8), the overview, a page per command
# (hpdiag-check(8), ...), and the references (hpdiag-json(5), the
# workload, the checks, the metrics) - are lint-clean and together document
# every command, option, check id and cause the binary knows; each command
# has its page, whose SYNOPSIS agrees with its --help; every Prometheus
# metric family and every JSON key is documented; a reference to another
# page names a page that is there.
. "$TESTLIB"
MANDIR=${MANDIR:-$(dirname "$MANPAGE")}
[ -f "$MANPAGE" ] || { fail "no man page at $MANPAGE"; finish; }
pages=$(ls "$MANDIR"/*.[1-8])
if command -v mandoc >/dev/null 2>&1; then
	for p in $pages; do
		lint=$(mandoc -Tlint -W warning "$p" 2>&1)
		[ -z "$lint" ] && pass "mandoc -Tlint is clean: ${p##*/}" || fail "mandoc -Tlint: $lint"
	done
else
	echo "mandoc missing: lint skipped"
fi
# shellcheck disable=SC2086
man=$(cat $pages)
# Every page an Xr names among hpdiag's is there.
for x in $(printf '%s\n' "$man" | sed -n 's/.*Xr \(hpdiag[a-z-]*\) \([0-9]\).*/\1.\2/p' | sort -u); do
	[ -f "$MANDIR/$x" ] && pass "Xr ${x%.*}(${x##*.}) is a page of the tree" ||
		fail "Xr ${x%.*}(${x##*.}) names no page in $MANDIR"
done
# documented WHAT KEY...: each KEY is a literal (Li) of the page.
documented() {
	what=$1
	shift
	for key in "$@"; do
		if printf '%s\n' "$man" | grep -Eq "(^|[ .])Li (.* )?$key( |\$)"; then
			pass "man page documents $what $key"
		else
			fail "man page lacks $what $key (as Li $key)"
		fi
	done
}
for cmd in $("$HPDIAG" --help | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on=0}'); do
	contains "$(cat "$MANPAGE")" ".It Cm $cmd" "hpdiag(8) lists command $cmd"
	[ -f "$MANDIR/hpdiag-$cmd.8" ] && pass "command $cmd has its page" ||
		fail "no page hpdiag-$cmd.8 for command $cmd"
done
for opt in $("$HPDIAG" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	o=${opt#--}
	case $man in
	*"Fl -$o"*|*"Fl \\-$o"*) pass "man page documents $opt" ;;
	*) fail "man page lacks $opt" ;;
	esac
done
for id in pool node_pool mount mount_quota map_count nofile cgroup_hugetlb \
	  stale_hugepage_files hugepages_starve_kernel boot_time_only pool_fragmentation \
	  address_space va_space data shm memlock shm_limit explain \
	  boot_pool_short \
	  pool_exhausted node_pool_exhausted no_pool no_mount mount_permission \
	  cgroup_hugetlb_limit map_count_limit rlimit_nofile rlimit_data rlimit_as \
	  rlimit_memlock va_space memseg_limit thp_disabled unknown; do
	case $man in
	*"$id"*) pass "man page names $id" ;;
	*) fail "man page lacks $id" ;;
	esac
done

# Each command's SYNOPSIS agrees with its --help, both ways.  A long option
# is printed by 'hpdiag CMD --help'; '-o, --output' counts as --output, and
# a short one in the page (Fl o) stands for its long one.  The global
# options are left to "global-options".  A placeholder stands for a group
# of --help: the options that every command with the group lists in it and
# that no command without it takes ("workload-options" for "Workload:",
# "fix-options" for "Fix:" or "Fix, with --fix:"; --pid, --fix, --timeout
# and -o are not in them).
long_opts() {	# the long options in the text on stdin
	grep -o -- '--[a-z][a-z-]*' | LC_ALL=C sort -u
}
group_opts() {	# GROUP CMD: the long options under "GROUP:" in CMD --help
	"$HPDIAG" "$2" --help | awk -v g="$1" '
		/^[A-Z][^:]*:$/ { h = substr($0, 1, length($0) - 1); sub(/,.*/, "", h); on = (h == g); next }
		/^$/ { on = 0; next }
		on && /^ +-/ && match($0, /--[a-z][a-z-]*/) { print substr($0, RSTART, RLENGTH) }' |
		LC_ALL=C sort -u
}
placeholder_opts() {	# GROUP: the options its placeholder stands for
	first=1
	: > "$T/ph.have"
	: > "$T/ph.lack"
	for c in $cmds; do
		group_opts "$1" "$c" > "$T/ph.group"
		if [ ! -s "$T/ph.group" ]; then
			"$HPDIAG" "$c" --help | long_opts >> "$T/ph.lack"
		elif [ "$first" = 1 ]; then
			cp "$T/ph.group" "$T/ph.have"
			first=0
		else
			LC_ALL=C comm -12 "$T/ph.have" "$T/ph.group" > "$T/ph.both"
			mv "$T/ph.both" "$T/ph.have"
		fi
	done
	LC_ALL=C sort -u "$T/ph.lack" | LC_ALL=C comm -23 "$T/ph.have" -
}
synopsis_of() {	# CMD: the lines of the SYNOPSIS blocks (.Nm to .Nm) naming Cm CMD
	awk -v re="(^|[ .])Cm $1( |\$)" '
		function flush() { if (hit) printf "%s", blk; blk = ""; hit = 0 }
		/^\.Sh / { if (syn) flush(); syn = ($0 == ".Sh SYNOPSIS"); next }
		syn && /^\.Nm( |$)/ { flush(); next }
		syn { blk = blk $0 "\n"; if ($0 ~ re) hit = 1 }
		END { if (syn) flush() }' "$MANDIR/hpdiag-$1.8"
}
synopsis_flags() {	# the Fl arguments on stdin: "long --opt" or "short X"
	awk '{
		for (i = 1; i < NF; i++) {
			if ($i != "Fl" && $i != ".Fl")
				continue
			for (j = i + 1; j <= NF && $j ~ /^-?-?[a-zA-Z0-9]/ && $j !~ /^[A-Z][a-z]+$/; j++)
				if ($j ~ /^-/)
					print "long -" $j
				else
					for (k = 1; k <= length($j); k++)
						print "short " substr($j, k, 1)
		}
	}'
}
cmds=$("$HPDIAG" --help | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on=0}')
globals=$("$HPDIAG" --help | sed -n '/^Global options:/,$p' | long_opts)
workload_opts=$(placeholder_opts Workload)
fix_opts=$(placeholder_opts Fix)
[ -n "$workload_opts" ] && pass "workload-options: $(echo $workload_opts)" ||
	fail "no Workload: group shared by the commands' --help"
[ -n "$fix_opts" ] && pass "fix-options: $(echo $fix_opts)" ||
	fail "no Fix: group shared by the commands' --help"
in_list() {	# WORD LIST
	case " $(echo $2) " in *" $1 "*) return 0 ;; esac
	return 1
}
for cmd in $cmds; do
	help=$("$HPDIAG" "$cmd" --help)
	accepted=$(printf '%s\n' "$help" | long_opts)
	shorts=$(printf '%s\n' "$help" | sed -n 's/^ *-\([a-zA-Z]\), \(--[a-z][a-z-]*\).*/\1=\2/p')
	syn=$(synopsis_of "$cmd")
	if [ -z "$syn" ]; then
		fail "SYNOPSIS has no block with Cm $cmd"
		continue
	fi
	flags=$(printf '%s\n' "$syn" | synopsis_flags | sort -u)
	in_syn=$(printf '%s\n' "$flags" | sed -n 's/^long //p')
	for s in $(printf '%s\n' "$flags" | sed -n 's/^short //p'); do
		l=$(printf '%s\n' $shorts | sed -n "s/^$s=//p")
		if [ -n "$l" ]; then
			in_syn="$in_syn $l"
		else
			fail "SYNOPSIS of $cmd: Fl $s is no short option of '$cmd --help'"
		fi
	done
	ph_work=; ph_fix=
	case $syn in *"Ar workload-options"*) ph_work=1 ;; esac
	case $syn in *"Ar fix-options"*) ph_fix=1 ;; esac
	for opt in $accepted; do
		in_list "$opt" "$globals" && continue
		if in_list "$opt" "$in_syn"; then
			pass "SYNOPSIS of $cmd has $opt"
		elif [ -n "$ph_work" ] && in_list "$opt" "$workload_opts"; then
			pass "SYNOPSIS of $cmd has $opt as workload-options"
		elif [ -n "$ph_fix" ] && in_list "$opt" "$fix_opts"; then
			pass "SYNOPSIS of $cmd has $opt as fix-options"
		else
			fail "SYNOPSIS of $cmd lacks $opt of '$cmd --help'"
		fi
	done
	in_syn=$(printf '%s\n' $in_syn | sort -u)
	for opt in $in_syn $([ -n "$ph_work" ] && echo $workload_opts) \
		   $([ -n "$ph_fix" ] && echo $fix_opts); do
		if in_list "$opt" "$accepted $globals"; then
			pass "$cmd takes $opt of its SYNOPSIS"
		else
			fail "SYNOPSIS of $cmd gives $opt, which '$cmd --help' lacks"
		fi
	done
done

# Every metric family --format prometheus writes is documented.
prom=$("$HPDIAG" --sysroot "$FIXTURES/two-node" check --socket-mem 1024,1024 --format prometheus
       "$HPDIAG" vma --top 1 --format prometheus)
families=$(printf '%s\n' "$prom" | awk '$1 == "#" && $2 == "TYPE" {print $3}' | sort -u)
[ -n "$families" ] && pass "--format prometheus writes metric families" ||
	fail "no '# TYPE NAME gauge' line in: $prom"
for name in $families; do
	case $man in
	*"$name"*) pass "man page documents metric $name" ;;
	*) fail "man page lacks metric $name" ;;
	esac
done

# Every key of fix's JSON plan steps and fix object is documented as a
# literal (Li) on some line.
if command -v python3 >/dev/null 2>&1; then
	keys=$("$HPDIAG" --sysroot "$FIXTURES/two-node" --json fix --socket-mem 2048,2048 |
		python3 -c '
import json, sys
d = json.load(sys.stdin)
keys = set(d["fix"])
for o in d["plan"] + [m for v in d["fix"].values() if isinstance(v, list) for m in v]:
    if isinstance(o, dict):
        keys.update(o)
print("\n".join(sorted(keys)))')
	[ -n "$keys" ] && pass "fix --json has plan and fix keys" || fail "no keys from fix --json"
	documented "JSON key" $keys
else
	echo "python3 missing: JSON keys of fix not checked"
fi

# Every key of the need (its data parts too), with a program read from its
# ELF (check -- COMMAND runs nothing), and of the data finding's evidence.
if command -v python3 >/dev/null 2>&1 && command -v dpdk-testpmd >/dev/null 2>&1; then
	keys=$("$HPDIAG" --json check -- prlimit --data=1000000 dpdk-testpmd 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
keys = set(d["need"]) | set(d["need"]["data"])
for f in d["findings"]:
    if f["check"] == "data":
        keys.update(f["evidence"])
print("\n".join(sorted(keys)))')
	case $keys in
	*own_bytes*stack*) pass "check --json -- COMMAND has the need's data parts" ;;
	*) fail "no data parts from check --json -- COMMAND: $keys" ;;
	esac
	documented "need JSON key" $keys
else
	echo "python3 missing: JSON keys of the need not checked"
fi

# Every key of exec's JSON object (its failure, counters and peak too) and
# of its finding's evidence is documented as a literal (Li).  A run that
# passes, and one whose memfd_create(MFD_HUGETLB) with a bad size fails:
# no privilege and no hugepages needed.
if command -v python3 >/dev/null 2>&1; then
	keys=$( { "$HPDIAG" --json exec -- true
		  "$HPDIAG" --json exec -- python3 -c \
			'import os; os.memfd_create("hpdiag-man", 4 | (63 << 26))'
		} 2>/dev/null | python3 -c '
import json, sys
keys, text, pos, dec = set(), sys.stdin.read(), 0, json.JSONDecoder()
while text[pos:].strip():
    d, pos = dec.raw_decode(text, len(text) - len(text[pos:].lstrip()))
    x = d["exec"]
    keys.update(x)
    keys.update(x["peak"])
    if x["failure"]:
        keys.update(x["failure"])
        keys.update(x["failure"]["counters"])
    for f in d["findings"]:
        keys.update(f["evidence"])
print("\n".join(sorted(keys)))')
	case $keys in
	*counters*) pass "exec --json has its keys, a failure's too" ;;
	*) fail "no failure keys from exec --json: $keys" ;;
	esac
	documented "exec JSON key" $keys
else
	echo "python3 missing: JSON keys of exec not checked"
fi
# Every key of explain's JSON object (what the log proves, its failure,
# the recognised lines, the candidates, the answer) and of its finding's
# evidence is documented as a literal (Li): logs that fail, fall back, pass
# and tell nothing, from the log alone and against a captured host.
if command -v python3 >/dev/null 2>&1; then
	keys=$( { for l in pg-cgroup jvm-small ovs-small dpdk-strace-quota unrelated; do
			"$HPDIAG" --json explain --log-only "$LOGS/$l.log"
		  done
		  "$HPDIAG" --sysroot "$FIXTURES/two-node" --json explain --page-size 1G -n 6 \
			--huge-dir "/mnt/huge 1G" "$LOGS/dpdk-quota.log"
		} 2>/dev/null | python3 -c '
import json, sys
keys, text, pos, dec = set(), sys.stdin.read(), 0, json.JSONDecoder()
while text[pos:].strip():
    d, pos = dec.raw_decode(text, len(text) - len(text[pos:].lstrip()))
    x = d["explain"]
    keys.update(x)
    keys.update(x["proves"])
    if x["proves"]["failure"]:
        keys.update(x["proves"]["failure"])
    for o in x["recognised"] + x["candidates"]:
        keys.update(o)
    keys.update(x["answer"])
    for f in d["findings"]:
        keys.update(f["evidence"])
print("\n".join(sorted(keys)))')
	case $keys in
	*basis*) pass "explain --json has its keys" ;;
	*) fail "no answer keys from explain --json: $keys" ;;
	esac
	documented "explain JSON key" $keys
else
	echo "python3 missing: JSON keys of explain not checked"
fi

# Every key of limits' cgroup object (its limits and hugetlb_cgroups) and of
# the cgroup_hugetlb finding's evidence, fault-time and reservation, is
# documented as a literal (Li).
if command -v python3 >/dev/null 2>&1; then
	keys=$( { "$HPDIAG" --sysroot "$FIXTURES/hybrid" --json limits
		  "$HPDIAG" --sysroot "$FIXTURES/hybrid" --json check -m 256
		  "$HPDIAG" --sysroot "$FIXTURES/hybrid" --json check -m 256 --cgroup /hpdiag-rsvd
		} 2>/dev/null | python3 -c '
import json, sys
keys, text, pos, dec = set(), sys.stdin.read(), 0, json.JSONDecoder()
while text[pos:].strip():
    d, pos = dec.raw_decode(text, len(text) - len(text[pos:].lstrip()))
    if "limits" in d:
        cg = d["limits"]["cgroup"]
        keys.update(cg)
        for o in cg["limits"] + cg["hugetlb_cgroups"]:
            keys.update(o)
    for f in d["findings"]:
        if f["check"] == "cgroup_hugetlb":
            keys.update(f["evidence"])
print("\n".join(sorted(keys)))')
	case $keys in
	*hugetlb_cgroups*charged_at*|*charged_at*hugetlb_cgroups*) pass "the cgroup keys and evidence" ;;
	*) fail "no cgroup keys: $keys" ;;
	esac
	documented "cgroup JSON key" $keys
fi
finish
