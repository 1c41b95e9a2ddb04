#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# --format prometheus: promtool accepts what every command writes; -o FILE
# is replaced atomically; a real prometheus-node-exporter on loopback
# serves hpdiag's series from its textfile directory; the example alert
# rules pass `promtool check rules` and their own `promtool test rules`.
. "$TESTLIB"

command -v promtool >/dev/null 2>&1 || skip "promtool (Debian prometheus) missing"

# Every command's metrics are valid exposition text.
for args in "check -n 3100" "pools" "mounts" "limits" "fix -n 3100" \
	    "check --socket-mem 1024,1024"; do
	fixture=seed-000
	case $args in *socket-mem*) fixture=two-node ;; esac
	# shellcheck disable=SC2086
	"$HPDIAG" --sysroot "$FIXTURES/$fixture" --format prometheus $args > "$T/m.prom"
	if lint=$(promtool check metrics < "$T/m.prom" 2>&1); then
		pass "promtool accepts '$args' on $fixture"
	else
		fail "promtool on '$args': $lint"
	fi
done
"$HPDIAG" vma --top 5 --format prometheus > "$T/vma.prom"
promtool check metrics < "$T/vma.prom" >/dev/null 2>&1 && pass "promtool accepts vma --top" ||
	fail "promtool on vma --top: $(promtool check metrics < "$T/vma.prom" 2>&1)"
contains "$(cat "$T/vma.prom")" "hpdiag_process_vmas{pid=" "vma --top: one series a process"

# The numbers are the snapshot's.
m=$(cat "$T/m.prom")
contains "$m" 'hpdiag_node_hugepages_free_pages{page_size_bytes="2097152",node="1"} 24' \
	"per-node free pages"
contains "$m" 'hpdiag_check_status{check="node_pool",cause="node_pool_exhausted",subject="node1",command="check"} 2' \
	"a failing finding is 2, with its cause and node"
contains "$m" 'hpdiag_check_status{check="node_pool",cause="",subject="node0",command="check"} 0' \
	"a passing finding is 0"
contains "$m" 'hpdiag_verdict{command="check"} 2' "the verdict"
contains "$m" 'hpdiag_vm_max_map_count_limit{command="check"} 65530' "vm.max_map_count"
contains "$m" '# TYPE hpdiag_workload_pages gauge' "HELP and TYPE lines"

# -o FILE: a new file appears whole, with no temporary file left.
mkdir "$T/textfile"
expect_exit 2 "-o FILE" -- "$HPDIAG" --sysroot "$FIXTURES/two-node" check \
	--socket-mem 1024,1024 --format prometheus -o "$T/textfile/hpdiag.prom"
[ -z "$out" ] && pass "nothing on stdout with -o" || fail "stdout: $out"
[ "$(ls -A "$T/textfile")" = hpdiag.prom ] && pass "only hpdiag.prom in the directory" ||
	fail "left behind: $(ls -A "$T/textfile")"
[ "$(stat -c %a "$T/textfile/hpdiag.prom")" = 644 ] && pass "mode 0644 for the collector" ||
	fail "mode $(stat -c %a "$T/textfile/hpdiag.prom")"
ino=$(stat -c %i "$T/textfile/hpdiag.prom")
"$HPDIAG" --sysroot "$FIXTURES/seed-000" check -n 3100 --format prometheus \
	-o "$T/textfile/hpdiag.prom"
[ "$(stat -c %i "$T/textfile/hpdiag.prom")" != "$ino" ] && pass "replaced by rename, not rewritten" ||
	fail "the file was rewritten in place"
expect_exit 3 "-o into a missing directory" -- "$HPDIAG" pools -o "$T/nodir/x.prom"
contains "$err" "$T/nodir/x.prom" "the error names the file"

# A real node_exporter scrapes the textfile directory, holding check's file
# and vma's as the timer writes them.
"$HPDIAG" vma --top 3 --format prometheus -o "$T/textfile/hpdiag-vma.prom"

NE=$(command -v prometheus-node-exporter || command -v node_exporter || true)
if [ -n "$NE" ]; then
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	"$NE" --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
		--collector.textfile --collector.textfile.directory="$T/textfile" \
		> "$T/ne.log" 2>&1 &
	ne=$!
	trap 'kill $ne 2>/dev/null; rm -rf "$T"' EXIT
	scraped=
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		scraped=$(python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$port/metrics', timeout=2).read().decode())" 2>/dev/null) && break
		sleep 0.25
	done
	contains "$scraped" 'hpdiag_check_status{cause="map_count_limit",check="map_count",command="check",subject=""} 2' \
		"node_exporter serves hpdiag's findings"
	contains "$scraped" 'hpdiag_verdict{command="vma"}' "and vma's, beside check's"
	case $scraped in
	*"was collected before"*) fail "node_exporter saw duplicate series" ;;
	esac
	contains "$scraped" 'hpdiag_hugepages_pool_pages{page_size_bytes="2097152"} 4096' \
		"node_exporter serves the pool"
	contains "$scraped" "node_textfile_scrape_error 0" "node_exporter read the file without error"
	kill "$ne" 2>/dev/null
	wait "$ne" 2>/dev/null
else
	echo "prometheus-node-exporter missing: scrape test skipped"
fi

# The example alert rules.
lint=$(promtool check rules "$CONTRIB/prometheus/hpdiag-alerts.yml" 2>&1) &&
	pass "promtool check rules" || fail "promtool check rules: $lint"
res=$(cd "$CONTRIB/prometheus" && promtool test rules hpdiag-alerts.test.yml 2>&1) &&
	pass "promtool test rules: each alert fires on hpdiag's series" ||
	fail "promtool test rules: $res"
finish
