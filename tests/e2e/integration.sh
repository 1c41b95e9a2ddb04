#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What hpdiag ships besides the binary: the systemd units pass
# `systemd-analyze verify`; the preflight unit's command, run as systemd
# runs it with an environment file, fails the start exactly when the check
# fails; bash completion offers the commands, each command's options, page
# sizes and PIDs.
. "$TESTLIB"

bindir=$(dirname "$HPDIAG")
units=$T/units
mkdir -p "$units"
for in in "$CONTRIB"/systemd/*.service.in; do
	name=$(basename "$in" .in)
	sed "s|@sbindir@|$bindir|g" "$in" > "$units/$name"
done
cp "$CONTRIB/systemd/hpdiag-textfile.timer" "$units/"

if command -v systemd-analyze >/dev/null 2>&1; then
	v=$(cd "$units" && systemd-analyze verify --man=no hpdiag-textfile.service \
		hpdiag-textfile.timer hpdiag-preflight@dpdk.service 2>&1)
	[ -z "$v" ] && pass "systemd-analyze verify: the units are clean" ||
		fail "systemd-analyze verify: $v"
else
	echo "systemd-analyze missing: unit verification skipped"
fi

# The preflight unit: EnvironmentFile gives HPDIAG_ARGS, which systemd
# splits into words; SuccessExitStatus=1 lets warnings through.
unit=$units/hpdiag-preflight@.service
exec_line=$(sed -n 's/^ExecStart=//p' "$unit")
success=$(sed -n 's/^SuccessExitStatus=//p' "$unit")
contains "$exec_line" "$bindir/hpdiag check" "ExecStart runs hpdiag check"
run_unit() {	# $1: the environment file's HPDIAG_ARGS
	printf 'HPDIAG_ARGS="%s"\n' "$1" > "$T/dpdk.env"
	args=$(sed -n 's/^HPDIAG_ARGS="\(.*\)"$/\1/p' "$T/dpdk.env")
	cmd=$(printf '%s' "$exec_line" | sed "s|\$HPDIAG_ARGS|$args|")
	# shellcheck disable=SC2086
	$cmd > "$T/journal" 2>&1
	rc=$?
	for ok in 0 $success; do
		[ "$rc" -eq "$ok" ] && return 0
	done
	return 1
}
if run_unit "--sysroot $FIXTURES/seed-000 -n 3100"; then
	fail "a failing check did not fail the unit"
else
	pass "a failing check fails the unit (the application is not started)"
fi
contains "$(cat "$T/journal")" "[map_count_limit" "the findings go to the journal"
if run_unit "--sysroot $FIXTURES/seed-000 -m 64"; then
	pass "warnings only: the unit succeeds"
else
	fail "a check with warnings only failed the unit: $(cat "$T/journal")"
fi

# bash completion.
if command -v bash >/dev/null 2>&1; then
	complete_words() {	# words..., the last one being completed
		bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _hpdiag
			 printf "%s\n" "${COMPREPLY[@]}"' complete "$CONTRIB/bash-completion/hpdiag" "$@"
	}
	want=$("$HPDIAG" --help | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on=0}' | sort)
	got=$(complete_words "$HPDIAG" "" | sort)
	[ "$got" = "$want" ] && pass "completion offers every command of --help" ||
		fail "completion commands: $got; --help: $want"
	got=$(complete_words "$HPDIAG" fix --c | tr '\n' ' ')
	[ "$got" = "--cgroup --clean-stale --color --compact " ] && pass "options of the command" ||
		fail "fix --c completes to: $got"
	got=$(complete_words "$HPDIAG" check --format "")
	contains "$got" prometheus "--format values"
	got=$(complete_words "$HPDIAG" check --pid "")
	contains " $(echo $got) " " $$ " "--pid offers running PIDs"
	if [ -d /sys/kernel/mm/hugepages/hugepages-2048kB ]; then
		got=$(complete_words "$HPDIAG" check --page-size "")
		contains "$got" 2M "--page-size offers this kernel's sizes"
	fi
fi
finish
