#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The command line: help from the command table, usage errors exit 3 with a
# one-line message, colour only when asked or on a terminal.
. "$TESTLIB"
S="$FIXTURES/seed-000"

expect_exit 0 "--help" -- "$HPDIAG" --help
for cmd in check pools mounts limits snapshot; do
	contains "$out" "  $cmd " "--help lists $cmd"
done
expect_exit 0 "check --help" -- "$HPDIAG" check --help
contains "$out" "Usage: hpdiag check" "check --help shows its synopsis"
contains "$out" "--socket-mem" "check --help lists workload options"
expect_exit 0 "pools --help" -- "$HPDIAG" pools --help
case $out in *--socket-mem*) fail "pools --help lists workload options" ;; *) pass "pools --help has no workload options" ;; esac
expect_exit 0 "--version" -- "$HPDIAG" --version
contains "$out" "hpdiag " "--version prints the version"

expect_exit 3 "unknown command" -- "$HPDIAG" frobnicate
contains "$err" "unknown command 'frobnicate'" "names the unknown command"
expect_exit 3 "unknown option" -- "$HPDIAG" --frobnicate
contains "$err" "--frobnicate" "names the unknown option"
expect_exit 3 "-m with -n" -- "$HPDIAG" --sysroot "$S" check -m 64 -n 3
contains "$err" "exclude each other" "says -m and -n exclude each other"
expect_exit 3 "bad -m" -- "$HPDIAG" check -m lots
contains "$err" "-m: 'lots' is not a number" "names the bad -m value"
expect_exit 3 "bad page size" -- "$HPDIAG" check --page-size 3M
expect_exit 3 "bad socket-mem" -- "$HPDIAG" check --socket-mem 1024,x
expect_exit 3 "relative huge-dir" -- "$HPDIAG" check --huge-dir dev/hugepages
expect_exit 3 "workload option on pools" -- "$HPDIAG" --sysroot "$S" pools -m 64
contains "$err" "does not apply" "says the option does not apply"
expect_exit 3 "--pid on mounts" -- "$HPDIAG" --sysroot "$S" mounts --pid 1
expect_exit 3 "extra argument" -- "$HPDIAG" --sysroot "$S" pools extra
expect_exit 3 "bad --format" -- "$HPDIAG" --format xml pools
expect_exit 3 "bad --color" -- "$HPDIAG" --color sometimes pools
expect_exit 3 "missing sysroot" -- "$HPDIAG" --sysroot /nonexistent/tree check
contains "$err" "/nonexistent/tree: cannot open sysroot" "names the missing sysroot"
lines=$(printf '%s\n' "$err" | wc -l)
[ "$lines" -eq 1 ] && pass "errors are one line" || fail "error has $lines lines: $err"
expect_exit 3 "no such pid" -- "$HPDIAG" limits --pid 2147483647
contains "$err" "/proc/2147483647: no such process" "names the missing process"

# Default command is check; options may come before or after it.
expect_exit 1 "no command runs check" -- "$HPDIAG" --sysroot "$S" -m 64
contains "$out" "verdict: WARN" "check ran"
expect_exit 1 "options after the command" -- "$HPDIAG" check --sysroot "$S" -m 64

# Colour: never on a pipe unless asked; NO_COLOR wins over auto.
esc=$(printf '\033')
expect_exit 1 "--color always" -- "$HPDIAG" --sysroot "$S" --color always -m 64
contains "$out" "$esc[33mWARN" "--color always colours WARN"
expect_exit 1 "auto on a pipe" -- "$HPDIAG" --sysroot "$S" -m 64
case $out in *"$esc"*) fail "escape codes on a pipe" ;; *) pass "no colour on a pipe" ;; esac
if command -v script >/dev/null 2>&1; then
	tty_out=$(NO_COLOR=1 script -qec "$HPDIAG --sysroot $S -m 64" /dev/null 2>/dev/null)
	case $tty_out in *"$esc["*) fail "NO_COLOR ignored on a terminal" ;; *) pass "NO_COLOR honoured on a terminal" ;; esac
	tty_out=$(script -qec "$HPDIAG --sysroot $S -m 64" /dev/null 2>/dev/null)
	case $tty_out in *"$esc[33m"*) pass "colour on a terminal" ;; *) fail "no colour on a terminal" ;; esac
fi

# check -- COMMAND: a program that cannot be read is one line and exit 3.
printf '#!/bin/sh\nexit 0\n' > "$T/script.sh"
chmod +x "$T/script.sh"
expect_exit 3 "check -- a script" -- "$HPDIAG" check -- "$T/script.sh" -l 0
contains "$err" "$T/script.sh: not an ELF program" "names the script and why"
[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && pass "one line" || fail "more than one line: $err"
expect_exit 3 "check -- no such program" -- "$HPDIAG" check -- /nonexistent/app
contains "$err" "'/nonexistent/app': no such program" "names it"
expect_exit 3 "check -- a wrapper alone" -- "$HPDIAG" check -- prlimit --data=5
contains "$err" "no program after the wrappers" "says what is missing"
expect_exit 3 "check -- under --sysroot without the program" -- \
	"$HPDIAG" --sysroot "$S" check -- hpdiag-no-such-program
contains "$err" "under $S" "says where it looked"
expect_exit 3 "pools takes no command" -- "$HPDIAG" pools -- /bin/true
contains "$err" "unexpected '--'" "says so"
# fix reads "-- COMMAND" as check does (a plan for what it maps).
expect_exit 3 "fix -- no such program" -- "$HPDIAG" fix -- /nonexistent/app
contains "$err" "'/nonexistent/app': no such program" "fix names it"

# -q hides passing checks; JSON stays the same shape.
expect_exit 2 "-q" -- "$HPDIAG" --sysroot "$S" -q check -n 3100
case $out in *PASS*) fail "-q printed PASS lines" ;; *) pass "-q hides PASS lines" ;; esac
contains "$out" "verdict: FAIL" "-q still prints the verdict"
# A command's --help offers only what it takes: check's fix options are
# headed as taking effect with --fix; pools has no -q.
help=$("$HPDIAG" check --help)
heading=$(printf '%s\n' "$help" | awk '/^[A-Z][^:]*:$/ { h = $0 } /^ *-y, --apply/ { print h }')
[ "$heading" = "Fix, with --fix:" ] && pass "check --help: --apply under 'Fix, with --fix:'" ||
	fail "check --help: --apply under '$heading'"
case $("$HPDIAG" pools --help) in *--quiet*) fail "pools --help offers --quiet" ;;
*) pass "pools --help offers no --quiet" ;; esac
# As a terminal shows it (no $COLUMNS): no line past 100 columns but a
# remedy's command, which is pasted whole; with $COLUMNS, that width.
for fx in seed-000 seed-004 two-node; do
	for args in "check -n 3100" "check --socket-mem 1024,1024 -v" "fix -n 3100" "pools -v" "mounts -v"; do
		# shellcheck disable=SC2086
		env -u COLUMNS "$HPDIAG" --sysroot "$FIXTURES/$fx" --color never $args > "$T/w" 2>&1
		long=$(grep -v '^      remedy:   \|^      [a-z]*sudo \|^      echo \|^      umount \|^      rm -f \|^      [a-z-]* .*hpdiag fix' "$T/w" |
			awk 'length($0) > 100')
		[ -z "$long" ] && pass "$fx $args: every line within 100 columns" ||
			fail "$fx $args: lines past 100 columns: $long"
	done
done
env COLUMNS=60 "$HPDIAG" --sysroot "$FIXTURES/seed-000" --color never check -n 3100 > "$T/w" 2>&1
long=$(grep -v '^      remedy:   ' "$T/w" | grep -v '^needs:\|^workload:' | awk 'length($0) > 60')
[ -z "$long" ] && pass "COLUMNS=60: the findings within 60 columns" ||
	fail "COLUMNS=60: lines past 60: $long"
finish
