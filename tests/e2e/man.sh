#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The man page is lint-clean and documents every command, option, check id
# and cause the binary knows.
. "$TESTLIB"
[ -f "$MANPAGE" ] || { fail "no man page at $MANPAGE"; finish; }
if command -v mandoc >/dev/null 2>&1; then
	lint=$(mandoc -Tlint -W warning "$MANPAGE" 2>&1)
	[ -z "$lint" ] && pass "mandoc -Tlint is clean" || fail "mandoc -Tlint: $lint"
else
	echo "mandoc missing: lint skipped"
fi
man=$(cat "$MANPAGE")
for cmd in $("$HPDIAG" --help | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on=0}'); do
	contains "$man" ".It Cm $cmd" "man page documents command $cmd"
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
	  pool_exhausted node_pool_exhausted no_pool no_mount mount_permission \
	  cgroup_hugetlb_limit map_count_limit rlimit_nofile rlimit_data rlimit_as \
	  rlimit_memlock va_space unknown; do
	case $man in
	*"$id"*) pass "man page names $id" ;;
	*) fail "man page lacks $id" ;;
	esac
done
finish
