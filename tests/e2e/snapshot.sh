#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `hpdiag snapshot -o DIR` on the live host, then `--sysroot DIR` gives the
# same report offline; it refuses a non-empty DIR and --sysroot.
. "$TESTLIB"
serialize "$@"
[ -r /proc/meminfo ] || skip "no /proc"

expect_exit 0 "snapshot" -- "$HPDIAG" snapshot -o "$T/snap"
contains "$out" "snapshot written to $T/snap" "says where it wrote"
for f in hpdiag.snapshot proc/meminfo proc/self/limits proc/self/maps \
	 proc/self/mountinfo proc/sys/vm/max_map_count; do
	[ -f "$T/snap/$f" ] && pass "captured $f" || fail "snapshot lacks $f"
done
if [ -d /sys/kernel/mm/hugepages ]; then
	for d in /sys/kernel/mm/hugepages/hugepages-*; do
		[ -f "$T/snap$d/free_hugepages" ] && pass "captured $d" ||
			fail "snapshot lacks $d/free_hugepages"
	done
fi
grep -q "^page_size $(getconf PAGESIZE)\$" "$T/snap/hpdiag.snapshot" &&
	pass "metadata records the base page size" || fail "no page_size in metadata"

# Offline equals live (pools and check), text and JSON.
for args in "pools" "--json pools" "check -m 64" "--json check -n 4" "mounts"; do
	# shellcheck disable=SC2086
	live=$("$HPDIAG" --color never $args 2>&1; echo "exit $?")
	# shellcheck disable=SC2086
	offline=$("$HPDIAG" --color never --sysroot "$T/snap" $args 2>&1; echo "exit $?")
	if [ "$live" = "$offline" ]; then
		pass "'$args' is the same offline"
	else
		fail "'$args' differs offline:"
		printf '%s\n' "$live" > "$T/live"; printf '%s\n' "$offline" > "$T/offline"
		diff -u "$T/live" "$T/offline" >&2
	fi
done

# The fds of the captured process are kept: a replay counts them too.
n=$(ls "$T/snap/proc/self/fd" | wc -l)
[ "$n" -gt 0 ] && pass "snapshot keeps $n fd links" || fail "snapshot has no fd links"
offline=$("$HPDIAG" --sysroot "$T/snap" --json limits)
case $offline in *"\"fd_count\": $n,"*) pass "replayed fd_count is $n" ;;
*) fail "replayed fd_count is not $n" ;; esac
# JSON output of snapshot escapes the directory name.
expect_exit 0 "snapshot --json" -- "$HPDIAG" --json snapshot -o "$T/a\"b"
contains "$out" '"directory": "'"$T"'/a\"b"' "the directory name is escaped"

expect_exit 3 "non-empty directory" -- "$HPDIAG" snapshot -o "$T/snap"
contains "$err" "is not empty" "refuses a non-empty directory"
expect_exit 3 "with --sysroot" -- "$HPDIAG" --sysroot "$T/snap" snapshot -o "$T/other"
expect_exit 3 "without -o" -- "$HPDIAG" snapshot
touch "$T/file"
expect_exit 3 "onto a file" -- "$HPDIAG" snapshot -o "$T/file"
mkdir "$T/empty"
expect_exit 0 "into an empty directory" -- "$HPDIAG" -q snapshot -o "$T/empty"
finish
