#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/exec.sh: what `hpdiag exec` costs the application.  Real DPDK
# (dpdk-test, EAL init of -m MB on a private hugetlbfs mount, then exit)
# runs RUNS times bare and RUNS times under `hpdiag exec`, alternating.
# The bare run is started by bench/time-run.c as hpdiag starts it
# (posix_spawn from a C parent, wait4) and timed the same way, spawn to exit;
# the wrapped one as hpdiag's JSON reports it (its report after the exit is
# not the application's time).  Both the wall time and the application's
# CPU time are compared.  Goal: median wrapped / median bare <= 1.05.
# The pool and the mount are restored on every exit path.
# Environment: HPDIAG, MB (default 1024), RUNS (default 15).
set -u
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
HPDIAG=${HPDIAG:-$here/../src/hpdiag}
MB=${MB:-1024}
RUNS=${RUNS:-15}
[ "$(id -u)" -eq 0 ] || { echo "bench/exec.sh: needs root (the pool, a mount)" >&2; exit 1; }
command -v dpdk-test >/dev/null 2>&1 || {
	echo "bench: installing dpdk-dev (dpdk-test)" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q dpdk-dev >&2 || exit 1
}
[ -x "$HPDIAG" ] || make -C "$here/.." >&2 || exit 1
TIMERUN=$(mktemp)
cc -O2 -o "$TIMERUN" "$here/time-run.c" || exit 1

pool=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
old=$(cat "$pool")
tmp=$(mktemp -d)
cleanup() {
	rm -f "$tmp/mnt"/* 2>/dev/null
	mountpoint -q "$tmp/mnt" 2>/dev/null && umount "$tmp/mnt"
	rm -rf /var/run/dpdk/hpdbench
	echo "$old" > "$pool"
	rm -rf "$tmp" "$TIMERUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE
pages=$((MB / 2))
echo $((old + pages + 16)) > "$pool"
mkdir "$tmp/mnt"
mount -t hugetlbfs -o pagesize=2M nodev "$tmp/mnt"

HPDIAG=$HPDIAG TIMERUN=$TIMERUN MB=$MB RUNS=$RUNS MNT=$tmp/mnt python3 - <<'EOF'
import json, os, statistics, subprocess

hpdiag, mb, runs, mnt = os.environ["HPDIAG"], os.environ["MB"], int(os.environ["RUNS"]), os.environ["MNT"]
app = ["dpdk-test", "--no-pci", "-l", "0", "--file-prefix", "hpdbench", "-m", mb,
       "--huge-dir", mnt]
# No DPDK_TEST: dpdk-test initialises EAL, then reads "quit" at its prompt.
env = {k: v for k, v in os.environ.items() if k != "DPDK_TEST"}

def clean():
    for f in os.listdir(mnt):
        os.unlink(os.path.join(mnt, f))

def bare():
    p = subprocess.run([os.environ["TIMERUN"]] + app, input=b"quit\n",
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    clean()
    assert p.returncode == 0, p.returncode
    t, c = p.stderr.decode().split()[-2:]
    return float(t), float(c)

def wrapped():
    p = subprocess.run([hpdiag, "--json", "exec", "--"] + app, input=b"quit\n",
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    clean()
    d = json.loads(p.stdout)
    assert d["exec"]["exit_status"] == 0, d["exec"]
    return d["exec"]["seconds"], d["exec"]["cpu_seconds"]

bare(); wrapped()                     # warm the page cache
b, w = [], []
for _ in range(runs):
    b.append(bare())
    w.append(wrapped())
print(f"dpdk-test -m {mb} (EAL init, {int(mb) // 2} pages, then exit), {runs} runs each")
for i, what in ((1, "CPU time (user+system)"), (0, "wall time, fork to exit")):
    mb_, mw = statistics.median(x[i] for x in b), statistics.median(x[i] for x in w)
    print(f"  {what}: bare median {mb_:.3f} s, under hpdiag exec {mw:.3f} s: "
          f"ratio {mw / mb_:.3f}")
for i, what in ((0, "wall"), (1, "CPU")):
    ratio = statistics.median(x[i] for x in w) / statistics.median(x[i] for x in b)
    print(f"  goal: {what} time ratio <= 1.05: {ratio:.3f} {'PASS' if ratio <= 1.05 else 'MISS'}")
EOF
