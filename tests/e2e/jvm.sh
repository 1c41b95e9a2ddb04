#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# OpenJDK 17 as the ground truth of `check -- java ...` (#18): `java
# -XX:+UseLargePages -Xms256m -Xmx256m -Xlog:pagesize -version` is run in
# each state of the 2 MiB pool - none (the JVM warns "UseLargePages
# disabled" and runs on 4 KiB pages), one too small for anything but G1's
# bitmaps, one that holds the code cache but not the heap, and the exact
# pool hpdiag asks for - and with -XX:+UseSHM and
# -XX:+UseTransparentHugePages; the page size the JVM logs for its code
# cache and heap is compared with hpdiag's outcome and with which of them
# it said get hugepages, and with those of `trial -- java ...`, which maps
# the JVM's regions for real, in its order, each falling back as the JVM
# does.  The pool is restored on every exit path.
. "$TESTLIB"
serialize "$@"
needs once python3 java
thp=/sys/kernel/mm/transparent_hugepage/enabled
old_thp=$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$thp" 2>/dev/null)
restore() {
	echo "$old_pool" > "$pool"
	[ -n "$old_thp" ] && echo "$old_thp" > "$thp"
	rm -rf "$T"
}
trap restore EXIT
trap 'exit 130' INT TERM HUP PIPE

# predict OPTIONS: "OUTCOME code=y|n heap=y|n" of check -- java.
predict() {
	"$HPDIAG" --json check -- java "$@" -version 2>"$T/check.err" | python3 -c '
import json, sys
d = json.load(sys.stdin)
o = d["need"]["outcome"]
app = [f["message"] for f in d["findings"] if f["check"] == "application"]
regions = [r["name"] for r in (d["need"]["application"] or {}).get("regions", [])]
got = app[0].split("on hugepages: ", 1)[1] if app and "on hugepages: " in app[0] else ""
def has(n):
    if not (d["need"]["application"] or {}).get("takes_hugepages", True):
        return "n" if o == "degraded" else "-"
    if o == "start":
        return "y" if n in regions else "n"
    return "y" if n in got else "n"
print(o, "code=" + has("code cache"), "heap=" + has("heap"))'
}
# trial OPTIONS: the same from trial -- java: the regions it mapped.
trial() {
	"$HPDIAG" --json trial -- java "$@" -version 2>"$T/trial.err" | python3 -c '
import json, sys
d = json.load(sys.stdin)
t = d["trial"]
got = {r["name"]: r["hugepages"] for r in t.get("regions") or []}
def has(n):
    if not (d["need"]["application"] or {}).get("takes_hugepages", True):
        return "n" if t["outcome"] == "degraded" else "-"
    return "y" if got.get(n) else "n"
print(t["outcome"], "code=" + has("code cache"), "heap=" + has("heap"))'
}
# real OPTIONS: the same from the JVM's own -Xlog:pagesize.
real() {
	java "$@" -Xlog:pagesize -version > "$T/jvm.log" 2>&1 || { echo "fail"; return; }
	code=n heap=n
	grep -q "CodeHeap 'non-nmethods'.*page_size=2M" "$T/jvm.log" && code=y
	grep -q "\] Heap:.*page_size=2M" "$T/jvm.log" && heap=y
	# What it could take and did not: a degraded start.  Transparent
	# huge pages are 2M in its log but none of a hugetlbfs pool's.
	out=start
	case " $* " in *UseTransparentHugePages*) code=- heap=-
		# THP off: it warns and runs on base pages.
		grep -q "UseTransparentHugePages disabled" "$T/jvm.log" &&
			{ out=degraded code=n heap=n; } ;; *)
		[ "$heap" = n ] && out=degraded
		case " $* " in *UseSHM*) ;; *) [ "$code" = n ] && out=degraded ;; esac ;;
	esac
	echo "$out code=$code heap=$heap"
}
state() {	# state NAME OPTIONS...
	name=$1
	shift
	p=$(predict "$@")
	t=$(trial "$@")
	r=$(real "$@")
	warn=$(grep -m1 -o 'UseLargePages disabled.*' "$T/jvm.log")
	[ "$p" = "$r" ] && pass "$name: java: $r${warn:+ ($warn)}; hpdiag: $p" ||
		{ fail "$name: java: $r; hpdiag predicted: $p"; cat "$T/jvm.log" "$T/check.err" >&2; }
	[ "$t" = "$r" ] && pass "$name: trial agrees: $t" ||
		{ fail "$name: java: $r; trial: $t"; cat "$T/trial.err" >&2; }
}
opts="-XX:+UseLargePages -Xms256m -Xmx256m"
# explained OPTIONS: the JVM's own output, fed to explain on this host,
# against check's cause of the same command line ("OUTCOME CAUSE" both).
explained() {
	c=$("$HPDIAG" --json check -- java "$@" -version 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
c = [f["cause"] for f in d["findings"] if f["status"] == "fail" and f.get("first")]
c += [f["cause"] for f in d["findings"] if f["cause"]]
print(d["need"]["outcome"], c[0] if c else "none")')
	e=$("$HPDIAG" --json explain "$T/jvm.log" 2>/dev/null | python3 -c '
import json, sys
e = json.load(sys.stdin)["explain"]
o = {"succeeded": "start", "fallback": "degraded", "failed": "fail"}.get(e["outcome"], e["outcome"])
print(o, e["answer"]["cause"] or "none")')
	[ "$e" = "$c" ] && pass "explain on the JVM's output: $e, as check" ||
		fail "explain on the JVM's output: $e; check: $c"
}

echo 0 > "$pool"
state "no pool" $opts
grep -q "UseLargePages disabled, no large pages configured" "$T/jvm.log" &&
	pass "the JVM says: $(grep -m1 -o 'UseLargePages disabled.*' "$T/jvm.log")" ||
	fail "no 'UseLargePages disabled' from the JVM"
explained $opts
need=$("$HPDIAG" --json check -- java $opts -version 2>/dev/null | python3 -c '
import json, sys; print(json.load(sys.stdin)["need"]["pages"])')
echo 50 > "$pool"
state "pool of 50" $opts
explained $opts
# exec: the JVM warns and exits 0 - a degraded start, a WARN with the cause.
expect_exit 1 "exec -- java, pool of 50" -- "$HPDIAG" exec -- java $opts -version
contains "$out" "WARN  exec" "exec: the JVM's fallback is a warning, not a failure"
contains "$out" "without the hugepages it asked for" "exec says it ran without hugepages"
contains "$out" "[pool_exhausted" "exec names the cause"
echo 200 > "$pool"
state "pool of 200" $opts
echo "$need" > "$pool"
[ "$(cat "$pool")" -eq "$need" ] || skip "could not reserve $need pages"
state "pool of $need (exact)" $opts
echo 200 > "$pool"
state "UseSHM, pool of 200" $opts -XX:+UseSHM
echo 50 > "$pool"
state "UseSHM, pool of 50" $opts -XX:+UseSHM
# Large pages asked for, and the one way JDK 17 would take turned off.
state "UseLargePages -UseSHM, pool of 50" $opts -XX:-UseSHM
echo 0 > "$pool"
state "UseTransparentHugePages" -XX:+UseTransparentHugePages -Xms256m -Xmx256m
# The host's transparent huge pages off: the JVM warns and runs on base
# pages; check and trial say thp_disabled, and the remedy turns them on.
if [ -n "$old_thp" ] && echo never > "$thp" 2>/dev/null; then
	state "UseTransparentHugePages, THP never" -XX:+UseTransparentHugePages -Xms256m -Xmx256m
	expect_exit 1 "check, THP never" -- "$HPDIAG" --color never check -- java \
		-XX:+UseTransparentHugePages -Xms256m -Xmx256m -version
	contains "$out" "[thp_disabled]" "check names thp_disabled"
	cmd=$(printf '%s\n' "$out" | sed -n 's/^ *remedy: *//p')
	sh -c "$cmd" >/dev/null && [ "$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$thp")" = madvise ] &&
		pass "the remedy ran: THP is madvise" || fail "the remedy '$cmd' did not turn THP on"
	state "UseTransparentHugePages, after the remedy" -XX:+UseTransparentHugePages \
		-Xms256m -Xmx256m
else
	echo "# not checked: cannot set $thp here"
fi
finish
