#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Privilege and processes: hpdiag refuses to run setuid or setgid; `vma
# --top` counts processes that exit (or whose PID is reused) during its scan
# as vanished, with no error; --pid of a process that is gone is refused.
. "$TESTLIB"

# A setuid copy, run by an unprivileged user (where the mount honours it).
# (Not a sanitizer build: LeakSanitizer cannot run in a setuid process.)
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
   [ -z "${HPDIAG_SANITIZED:-}" ] &&
   ! findmnt -no OPTIONS -T "$T" | grep -qw nosuid; then
	chmod 755 "$T"
	cp "$HPDIAG" "$T/hpdiag-suid"
	cp "$(dirname "$HPDIAG")/libhpdiag-trace.so" "$T/" 2>/dev/null
	chmod 4755 "$T/hpdiag-suid"
	expect_exit 3 "setuid root, run by nobody: refused" -- setpriv --reuid=nobody \
		--regid=nogroup --clear-groups "$T/hpdiag-suid" --version
	contains "$err" "refusing to run setuid or setgid" "says why"
	chgrp root "$T/hpdiag-suid"	# before chmod: chgrp clears the bits
	chmod 2755 "$T/hpdiag-suid"
	expect_exit 3 "setgid, run by nobody: refused" -- setpriv --reuid=nobody \
		--regid=nogroup --clear-groups "$T/hpdiag-suid" check
	rm -f "$T/hpdiag-suid"
else
	echo "not root, no setpriv, or $T is nosuid: setuid test skipped"
fi
expect_exit 0 "an ordinary run is not refused" -- "$HPDIAG" --version

# Processes that come and go while vma --top scans.
churn() {
	i=0
	while [ "$i" -lt 400 ]; do
		sleep 0.01 &
		i=$((i + 1))
	done
	wait
}
churn &
ch=$!
fails=0
for _ in 1 2 3 4 5 6 7 8; do
	"$HPDIAG" vma --top 5 > "$T/top" 2> "$T/top.err"
	rc=$?
	if [ "$rc" -gt 1 ] || [ -s "$T/top.err" ]; then
		fails=$((fails + 1))
		fail "vma --top during churn: exit $rc: $(cat "$T/top.err")"
	fi
done
wait "$ch"
[ "$fails" -eq 0 ] && pass "vma --top while processes come and go: no error"

# --pid of a process that is gone.
sleep 0 &
gone=$!
wait "$gone"
expect_exit 3 "--pid of an exited process" -- "$HPDIAG" check --pid "$gone"
contains "$err" "/proc/$gone" "names the process"
# --pid of a process whose maps and fds hpdiag cannot read (root's, read
# by nobody, as /proc/1 of a guarded init is even to root): its rlimits
# are still reported, and what cannot be read is named, not fatal.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 && [ -z "${HPDIAG_SANITIZED:-}" ]; then
	sleep 60 &
	guarded=$!
	chmod 755 "$T"
	expect_exit 0 "limits --pid of root's process, run by nobody" -- setpriv --reuid=nobody \
		--regid=nogroup --clear-groups "$HPDIAG" limits --pid "$guarded"
	contains "$out" "VMAs                         unknown: /proc/$guarded/maps cannot be read" \
		"names the maps it cannot read"
	contains "$out" "  nofile   " "still reports its rlimits"
	out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$HPDIAG" check -n 1 \
		--pid "$guarded" 2>&1)
	contains "$out" "a default: the maps of --pid cannot be read" \
		"check takes a default baseline and says why"
	kill "$guarded"
	wait "$guarded" 2>/dev/null
fi
# A snapshot of --pid replays with the hint it prints.
sleep 60 &
snap_pid=$!
expect_exit 0 "snapshot --pid" -- "$HPDIAG" snapshot -o "$T/snap" --pid "$snap_pid"
hint=$(printf '%s\n' "$out" | sed -n 's/^replay it with: //p')
contains "$hint" "--pid $snap_pid" "the replay hint names --pid"
kill "$snap_pid"
wait "$snap_pid" 2>/dev/null
# The hint names the installed hpdiag: run it with this build.
sh -c "\"\$HPDIAG\"${hint#hpdiag}" > "$T/replay" 2>&1
rc=$?
[ "$rc" -le 2 ] && pass "the replay hint runs (exit $rc)" ||
	fail "the replay hint: exit $rc: $(cat "$T/replay")"
finish
