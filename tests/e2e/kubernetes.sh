#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# contrib/kubernetes: the example pod is valid YAML of a Pod whose init
# container runs hpdiag with the application's hugepages (the same
# resources, requests equal to limits, the same HugePages emptyDir); its
# script, run against the captured view of a pod (tests/fixtures/pod-v2:
# the node's pool, the pod's 256 MiB hugetlb limit), lets the pod start
# when the workload fits and fails it with a readable termination message
# when it does not - on hpdiag's documented exit codes.
. "$TESTLIB"
# Findings on one line each, for the messages grepped below.
COLUMNS=1000
export COLUMNS

pod=$CONTRIB/kubernetes/hpdiag-preflight-pod.yaml
[ -f "$pod" ] || { fail "$pod missing"; finish; }
python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml missing"

# The pod, read as Kubernetes reads it; the init container's script out.
python3 - "$pod" "$T/script" "$T/args" <<'PY' && pass "valid YAML of a Pod with an hpdiag init container" || fail "the pod example"
import sys, yaml
pod = yaml.safe_load(open(sys.argv[1]))
assert pod["apiVersion"] == "v1" and pod["kind"] == "Pod", pod.get("kind")
spec = pod["spec"]
init = [c for c in spec["initContainers"] if c["name"] == "hpdiag-preflight"]
assert len(init) == 1, "no hpdiag-preflight init container"
init = init[0]
app = spec["containers"][0]
vols = {v["name"]: v for v in spec["volumes"]}
for c in (init, app):
    res = c["resources"]
    huge = {k: v for k, v in res["limits"].items() if k.startswith("hugepages-")}
    assert huge, c["name"] + ": no hugepages resource"
    # Kubernetes: hugepage requests equal limits, and cpu or memory too.
    for k, v in huge.items():
        assert res["requests"].get(k) == v, c["name"] + ": requests != limits"
    assert "memory" in res["limits"] or "cpu" in res["limits"]
    mounts = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}
    hp = [n for n in mounts if vols[n].get("emptyDir", {}).get("medium", "").startswith("HugePages")]
    assert hp, c["name"] + ": no HugePages emptyDir"
hi = {k: v for k, v in init["resources"]["limits"].items() if k.startswith("hugepages-")}
ha = {k: v for k, v in app["resources"]["limits"].items() if k.startswith("hugepages-")}
assert hi == ha, "the init container's hugepages differ from the application's"
assert init["command"] == ["/bin/sh", "-c"]
open(sys.argv[2], "w").write(init["args"][0])
env = {e["name"]: e["value"] for e in init.get("env", [])}
open(sys.argv[3], "w").write(env["HPDIAG_ARGS"])
PY
[ -s "$T/script" ] || finish
contains "$(cat "$T/script")" "hpdiag check --json" "the init container runs hpdiag check --json"
if command -v sh >/dev/null && sh -n "$T/script"; then
	pass "its script is valid sh"
else
	fail "its script does not parse"
fi

# Run the script as the pod would, hpdiag reading the pod's view (a
# fixture); /dev/termination-log is a file of the test's.
mkdir -p "$T/bin"
cat > "$T/bin/hpdiag" <<EOF
#!/bin/sh
exec "$HPDIAG" --sysroot "$FIXTURES/pod-v2" "\$@"
EOF
chmod 755 "$T/bin/hpdiag"
sed "s|/dev/termination-log|$T/termination-log|g" "$T/script" > "$T/run.sh"
run_pod() {	# run_pod HPDIAG_ARGS: the init container's exit status in $rc
	rm -f "$T/termination-log"
	PATH="$T/bin:$PATH" HPDIAG_ARGS="$1" HOSTNAME=dpdk-app sh "$T/run.sh" > "$T/log" 2>&1
	rc=$?
}
args=$(cat "$T/args")
run_pod "$args"
# The example asks 1 GiB; the captured pod has 256 MiB of hugepages.
[ "$rc" -eq 2 ] && pass "1 GiB in a pod of 256 MiB: the init container exits 2" ||
	fail "exit $rc: $(cat "$T/log")"
msg=$(cat "$T/termination-log" 2>/dev/null)
contains "$msg" "FAIL  cgroup_hugetlb" "the termination message names the failing check"
contains "$msg" "the pod may use 128 of the node's 700 free pages" "in words: the pod's budget"
contains "$msg" "hugepages-2Mi: 1Gi" "and the resource to raise"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["verdict"] == "fail", d["verdict"]' \
	"$T/log" && pass "the log is check's JSON report" || fail "log: $(head -c 300 "$T/log")"
run_pod "-m 128 --page-size 2M --huge-dir /dev/hugepages"
[ "$rc" -eq 0 ] && pass "128 MiB fit: the init container exits 0, the pod starts" ||
	fail "exit $rc: $(cat "$T/log")"
[ ! -s "$T/termination-log" ] && pass "no termination message when it passes" ||
	fail "termination message: $(cat "$T/termination-log")"
run_pod "-m 128 --page-size 2M --huge-dir /nonexistent/dir"
[ "$rc" -eq 2 ] && pass "no hugetlbfs where --huge-dir points: exit 2" || fail "exit $rc"
run_pod "-m 128 --cgroup relative"
[ "$rc" -eq 3 ] && pass "hpdiag cannot do its job (a usage error): the init container fails closed" ||
	fail "exit $rc: $(cat "$T/log")"
contains "$(cat "$T/termination-log")" "hpdiag could not check this pod (exit 3)" "and says so"
finish
