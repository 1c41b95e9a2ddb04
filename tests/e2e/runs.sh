# SPDX-License-Identifier: GPL-2.0-or-later
# render_runs EXPECTED_FILE SYSROOT: re-runs every "$ hpdiag ARGS" header of
# an expected file against SYSROOT and prints the file as it should be: each
# header, the command's stdout and stderr, and "[exit N]".  Used by
# tests/e2e/fixtures.sh (which diffs) and scripts/regen-expected (which writes).
render_runs() {
	rr_root=$2
	grep '^\$ hpdiag' "$1" | while IFS= read -r rr_header; do
		printf '%s\n' "$rr_header"
		eval "set -- ${rr_header#\$ hpdiag}"
		rr_rc=0
		# As a terminal shows it: 100 columns.
		env -u COLUMNS NO_COLOR= "$HPDIAG" --sysroot "$rr_root" --color never "$@" 2>&1 ||
			rr_rc=$?
		printf '[exit %d]\n\n' "$rr_rc"
	done
}
