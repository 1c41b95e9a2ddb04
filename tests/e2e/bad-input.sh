#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Broken captured trees: every one must give exit 3 and one line on stderr
# naming the file and what is wrong - never a crash, a hang or a verdict.
. "$TESTLIB"

# broken NAME FILE CONTENT WORDS: copy seed-000, replace FILE, run check.
broken() {
	name=$1 file=$2 content=$3 words=$4
	rm -rf "$T/tree"
	cp -a "$FIXTURES/seed-000" "$T/tree"
	rm -rf "$T/tree/$file"
	case $content in
	@missing) ;;
	@dir) mkdir -p "$T/tree/$file" ;;
	@fifo) mkfifo "$T/tree/$file" ;;
	@huge) truncate -s 1G "$T/tree/$file" ;;
	@nul) printf '3096\000\n' > "$T/tree/$file" ;;
	@binary) head -c 4096 /dev/urandom > "$T/tree/$file" ;;
	@outside) ln -s /proc/meminfo "$T/tree/$file" ;;
	@chardev) mknod "$T/tree/$file" c 1 3 ;;	# a /dev/null
	*) printf '%s' "$content" > "$T/tree/$file" ;;
	esac
	expect_exit 3 "$name" -- timeout 20 "$HPDIAG" --sysroot "$T/tree" check -n 8
	lines=$(printf '%s\n' "$err" | grep -c .)
	[ "$lines" -eq 1 ] || fail "$name: $lines lines on stderr: $err"
	contains "$err" "$T/tree/$file" "$name: names the file"
	contains "$err" "$words" "$name: says what is wrong"
	[ -z "$out" ] || fail "$name: printed a report: $out"
}

broken "truncated meminfo" proc/meminfo "MemTotal:    16318" "line 1"
broken "meminfo cut before its hugepage lines" proc/meminfo "MemTotal: 16318412 kB
MemFree: 7340032 kB
" "no Hugepagesize"
broken "non-numeric meminfo" proc/meminfo "MemTotal: many kB
" "line 1"
broken "overflowing meminfo" proc/meminfo "MemTotal: 99999999999999999999999 kB
" "out of range"
broken "missing meminfo" proc/meminfo @missing "missing"
broken "directory for meminfo" proc/meminfo @dir "is a directory"
broken "FIFO for meminfo" proc/meminfo @fifo "not a regular file"
broken "1 GB meminfo" proc/meminfo @huge "larger than"
broken "binary meminfo" proc/meminfo @binary "proc/meminfo"
broken "empty free_hugepages" sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages "" "not a number"
broken "negative free_hugepages" sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages "-5
" "not a number"
broken "65-bit nr_hugepages" sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages "36893488147419103232
" "out of range"
broken "NUL in max_map_count" proc/sys/vm/max_map_count @nul "NUL"
broken "missing max_map_count" proc/sys/vm/max_map_count @missing "missing"
broken "garbage limits" proc/self/limits "Limit Soft Hard
" "Max data size"
broken "bad mountinfo line" proc/self/mountinfo "40 26 0:45 / /dev/hugepages
" "line 1"
broken "bad hugetlbfs pagesize" proc/self/mountinfo "40 26 0:45 / /dev/huge\\040pages rw - hugetlbfs nodev rw,pagesize=2Q
" "bad pagesize"
broken "bad buddyinfo" proc/buddyinfo "Node 0, zone Normal 1 two 3
" "line 1"
broken "bad node meminfo" sys/devices/system/node/node0/meminfo "Node 0 MemTotal: ?
" "line 1"
broken "bad snapshot metadata" hpdiag.snapshot "format 1
mount /dev/hugepages writable=yes
" "line 2"
broken "symlink out of the tree" proc/meminfo @outside "symbolic link"
# Page sizes that are no page size: the model divides by them.
meminfo_with() {	# the seed-000 meminfo with its Hugepagesize line replaced
	sed "s/^Hugepagesize:.*/Hugepagesize: $1/" "$FIXTURES/seed-000/proc/meminfo"
}
broken "Hugepagesize of 0" proc/meminfo "$(meminfo_with '0 kB')" "not a page size"
broken "Hugepagesize of 3 kB" proc/meminfo "$(meminfo_with '3 kB')" "not a page size"
broken "hugetlbfs pagesize=0" proc/self/mountinfo "40 26 0:45 / /dev/hugepages rw - hugetlbfs nodev rw,pagesize=0
" "bad pagesize"
broken "hugetlbfs pagesize=3M" proc/self/mountinfo "40 26 0:45 / /dev/hugepages rw - hugetlbfs nodev rw,pagesize=3M
" "bad pagesize"
# A pool directory whose size is no page size.
rm -rf "$T/tree"
cp -a "$FIXTURES/seed-000" "$T/tree"
mv "$T/tree/sys/kernel/mm/hugepages/hugepages-2048kB" "$T/tree/sys/kernel/mm/hugepages/hugepages-3kB"
expect_exit 3 "pool of 3 kB pages" -- "$HPDIAG" --sysroot "$T/tree" check -n 8
contains "$err" "$T/tree/sys/kernel/mm/hugepages: hugepages-3kB: not a page size" \
	"pool of 3 kB pages: names the directory"
# A hugetlbfs mount on a kernel without hugepages (no size to give it).
rm -rf "$T/tree"
cp -a "$FIXTURES/no-hugetlb" "$T/tree"
printf '40 26 0:45 / /dev/hugepages rw - hugetlbfs nodev rw\n' >> "$T/tree/proc/self/mountinfo"
expect_exit 3 "hugetlbfs without a page size" -- "$HPDIAG" --sysroot "$T/tree" check -m 64
contains "$err" "no pagesize= option" "hugetlbfs without a page size: says so"
if [ "$(id -u)" -eq 0 ]; then
	broken "device file for meminfo" proc/meminfo @chardev "not a regular file"
	broken "device file for max_map_count" proc/sys/vm/max_map_count @chardev "not a regular file"
fi

# Bad command lines: exit 3 and one line that says what is wrong, nothing
# else printed.
usage() {	# WORDS ARGS...: hpdiag ARGS on seed-000
	words=$1
	shift
	expect_exit 3 "hpdiag $*" -- "$HPDIAG" --sysroot "$FIXTURES/seed-000" "$@"
	lines=$(printf '%s\n' "$err" | grep -c .)
	[ "$lines" -eq 1 ] || fail "hpdiag $*: $lines lines on stderr: $err"
	contains "$err" "$words" "hpdiag $*: says '$words'"
	[ -z "$out" ] || fail "hpdiag $*: printed: $out"
}
usage "not a list of MiB per node" check --socket-mem 1,,2	# DPDK rejects it too
usage "not a list of MiB per node" check --socket-mem 2,
usage "not a list of MiB per node" check --socket-mem ,1
usage "not a list of MiB per node" check --socket-mem 1,x
usage "asks for no memory" check --socket-mem 0,0
usage "option '-m' needs an argument (MB)" check -m
usage "option '--pid' needs an argument (PID)" check --pid
usage "unknown option '--bogus'" check --bogus
usage "option '-q' does not apply" pools -q
usage "option '--apply' does not apply" pools --apply

# An empty root.
mkdir -p "$T/empty"
expect_exit 3 "empty root" -- "$HPDIAG" --sysroot "$T/empty" check
contains "$err" "$T/empty/proc/meminfo: missing" "empty root names meminfo"
finish
