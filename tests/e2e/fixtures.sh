#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs the binary against each fixture tree and compares text and JSON with
# tests/expected/<fixture>.out (regenerate with scripts/regen-expected and
# review the diff like code).
. "$TESTLIB"
. "$(dirname "$TESTLIB")/runs.sh"
n=0
for exp in "$EXPECTED"/*.out; do
	name=$(basename "$exp" .out)
	[ -d "$FIXTURES/$name" ] || { fail "$exp has no fixture tree $FIXTURES/$name"; continue; }
	render_runs "$exp" "$FIXTURES/$name" > "$T/$name.out"
	if diff -u "$exp" "$T/$name.out" > "$T/$name.diff"; then
		pass "$name: $(grep -c '^\$ hpdiag' "$exp") runs match"
	else
		fail "$name differs from $exp:"
		cat "$T/$name.diff" >&2
	fi
	n=$((n + 1))
done
[ "$n" -ge 4 ] || fail "only $n expected files"
finish
