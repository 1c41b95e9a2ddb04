#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The corpus of explain (tests/logs/corpus): every log, explained from the
# log alone (--log-only) and with the host that produced it (--sysroot of
# the snapshot taken in that state).  Each answer must be the one recorded,
# and right (the ground truth) or honestly narrowed (the likeliest of the
# candidates the log leaves, the truth among them) - never wrong.  Prints
# the table and its totals.  CORPUS_WRITE=1 records the answers of this
# build in tests/logs/corpus instead (review `git diff` as for golden files).
. "$TESTLIB"
command -v python3 >/dev/null 2>&1 || skip "python3 missing"
HPDIAG="$HPDIAG" LOGS="$LOGS" FIXTURES="$FIXTURES" python3 - <<'PY'
import json, os, subprocess, sys

hpdiag, logs, fixtures = os.environ["HPDIAG"], os.environ["LOGS"], os.environ["FIXTURES"]
corpus = os.path.join(logs, "corpus")
write = os.environ.get("CORPUS_WRITE") == "1"

def host_dir(h):
    if h.startswith("fixtures/"):
        return os.path.join(fixtures, h[len("fixtures/"):])
    return os.path.join(logs, h)

def answer(args):
    p = subprocess.run([hpdiag, "--json"] + args, capture_output=True, text=True)
    if p.returncode == 3:
        return "error: " + p.stderr.strip(), [], False
    e = json.loads(p.stdout)["explain"]
    a = e["answer"]
    oc = e["outcome"]
    cands = [c["cause"] for c in e["candidates"]]
    if oc == "succeeded":
        ans = "pass"
    elif oc in ("other", "none"):
        ans = oc
    else:
        ans = ("warn:" if oc == "fallback" else "") + a["cause"] + ("" if a["certain"] else "?")
    want = {"succeeded": 0, "other": (0, 1), "none": 1, "fallback": 1, "failed": 2}[oc]
    ok = p.returncode in (want if isinstance(want, tuple) else (want,))
    return ans, cands, ok

def split(s):
    kind = "fail"
    if s.startswith("warn:"):
        kind, s = "warn", s[5:]
    if s in ("pass", "other", "none"):
        return s, None, True
    return kind, s.rstrip("?"), not s.endswith("?")

def classify(truth, ans, cands):
    tk, tc, _ = split(truth)
    ak, ac, certain = split(ans)
    if tk != ak:
        return "wrong"
    if tc == ac:
        return "right"
    if tc and ac and not certain and tc in cands:
        return "narrowed"
    return "wrong"

lines = open(corpus).read().split("\n")
totals = {m: {"right": 0, "narrowed": 0, "wrong": 0} for m in ("log-only", "default")}
failures = 0
out = []
print("%-26s %-21s %-23s %-9s %-23s %s" % ("log", "truth", "log-only", "", "default", ""))
for line in lines:
    f = line.split()
    if not f or line.startswith("#"):
        out.append(line)
        continue
    log, host, truth, rec_lo, rec_def = f[:5]
    path = os.path.join(logs, log)
    lo, lo_c, lo_ok = answer(["explain", "--log-only", path])
    de, de_c, de_ok = answer(["--sysroot", host_dir(host), "explain", path])
    row = []
    for mode, ans, cands, ok, rec in (("log-only", lo, lo_c, lo_ok, rec_lo),
                                      ("default", de, de_c, de_ok, rec_def)):
        cls = classify(truth, ans, cands)
        totals[mode][cls] += 1
        row += [ans, cls]
        if cls == "wrong":
            failures += 1
            print("FAIL: %s (%s): %s, the truth is %s (candidates %s)" %
                  (log, mode, ans, truth, ", ".join(cands) or "none"), file=sys.stderr)
        if not ok:
            failures += 1
            print("FAIL: %s (%s): the exit status does not fit %s" % (log, mode, ans),
                  file=sys.stderr)
        if not write and ans != rec:
            failures += 1
            print("FAIL: %s (%s): %s, recorded %s" % (log, mode, ans, rec), file=sys.stderr)
    print("%-26s %-21s %-23s %-9s %-23s %s" % (log, truth, row[0], row[1], row[2], row[3]))
    if write:
        rest = line.split(None, 5)[5] if len(f) > 5 else ""
        out.append("%-28s %-20s %-21s %-21s %-21s %s" % (log, host, truth, lo, de, rest))
    else:
        out.append(line)
    if not os.path.exists(path):
        failures += 1
        print("FAIL: %s: no such log" % log, file=sys.stderr)
recorded = {l.split()[0] for l in lines if l.split() and not l.startswith("#")}
for name in sorted(os.listdir(logs)):
    if name.endswith(".log") and name not in recorded:
        failures += 1
        print("FAIL: %s has no record in tests/logs/corpus" % name, file=sys.stderr)
n = len(recorded)
for mode in ("log-only", "default"):
    t = totals[mode]
    print("%-9s %d logs: %d right, %d honestly narrowed, %d wrong" %
          (mode, n, t["right"], t["narrowed"], t["wrong"]))
if n < 40:
    failures += 1
    print("FAIL: the corpus holds %d logs, fewer than 40" % n, file=sys.stderr)
if write:
    open(corpus, "w").write("\n".join(out))
    print("answers recorded in %s" % corpus)
sys.exit(1 if failures else 0)
PY
rc=$?
[ "$rc" -eq 0 ] && pass "corpus: every answer as recorded, none wrong" || fail "corpus (see above)"
finish
