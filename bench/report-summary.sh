#!/usr/bin/env bash
# Mail log summary benchmark (issue 7): `mailops report summary --logs FILE --json` against
# `pflogsumm FILE` (Debian pflogsumm 1.1.5) on the same log of N (default 1,000,000) Postfix +
# Dovecot lines, in the same run; prints lines/s of each and the ratio (goal: mailops >= 5x
# faster), and checks that the grand totals are equal (printed side by side).
#
# The log is made by bench/lib/maillog-gen.py, which replays the line shapes of real logs with
# fresh queue ids, addresses and times over one day (traditional timestamps), and is cached in
# bench/out/report-summary/. pflogsumm prints large numbers in k/m units; for the comparison of
# the totals a copy of it with the unit scaling switched off (display only) is run once.
#
# A third command times mailops with the full tiered JIT (MAILOPS_JAVA_OPTS=-XX:TieredStopAtLevel=4,
# which overrides bin/mailops' flag): bin/mailops runs `report summary` with C1 only (ADR 0004),
# because the C2 compilations cost more than they save in a run of a few seconds.
#
# Usage: bench/report-summary.sh [LINES] [RUNS]   (python3, pflogsumm; hyperfine if present)
#   REPORT_BENCH_REGEN=1  throw the cached log away and make a new one
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
runs=${2:-3}
command -v pflogsumm >/dev/null || { echo "bench: install pflogsumm (apt-get install pflogsumm)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench: install python3" >&2; exit 1; }
jar=jobs/target/mailops.jar
if [[ ! -f $jar || -n $(find reporting/src/main jobs/src/main -newer "$jar" -name '*.java' -print -quit) ]]; then
  ./mvnw -o -q -B -pl jobs -am package -DskipTests
fi

out=$PWD/bench/out
work=$out/report-summary
log=$work/mail.log
export MAILOPS_HOME=$out/home
mkdir -p "$work"
if [[ ${REPORT_BENCH_REGEN:-0} = 1 || ! -f $log || $(wc -l <"$log") -lt $n ]]; then
  echo "bench: writing a log of $n lines (once; cached in $work)"
  python3 bench/lib/maillog-gen.py "$n" --seed 1 >"$log.tmp"
  mv "$log.tmp" "$log"
fi
lines=$(wc -l <"$log")
echo "bench: $lines lines, $(du -h "$log" | cut -f1)"

# 1. the grand totals, both ways
sed 's/^\$divByOneKAt .*/$divByOneKAt = 1e18;/; s/^\$divByOneMegAt .*/$divByOneMegAt = 1e18;/' \
  "$(command -v pflogsumm)" >"$work/pflogsumm-exact"
bin/mailops report summary --logs "$log" --json >"$work/mailops.json"
perl "$work/pflogsumm-exact" "$log" >"$work/pflogsumm.txt"
python3 - "$work" <<'PY'
import json, re, sys
work = sys.argv[1]
ours = json.load(open(f"{work}/mailops.json"))
text = open(f"{work}/pflogsumm.txt").read()
def pf(label):
    m = re.search(r"^\s*(\d+)\s+" + re.escape(label) + r"\b", text, re.M)
    return int(m.group(1)) if m else None
theirs = {"received": pf("received"), "delivered": pf("delivered"), "forwarded": pf("forwarded"),
          "deferred": pf("deferred"), "bounced": pf("bounced"), "rejected": pf("rejected"),
          "held": pf("held"), "discarded": pf("discarded"), "bytes_received": pf("bytes received"),
          "bytes_delivered": pf("bytes delivered"), "senders": pf("senders"), "recipients": pf("recipients")}
m = re.search(r"\((\d+)\s+deferrals\)", text)
theirs["deferrals"] = int(m.group(1)) if m else 0
bad = 0
print(f"{'total':16} {'mailops':>14} {'pflogsumm':>14}")
for k in ["received", "delivered", "forwarded", "deferred", "deferrals", "bounced", "rejected", "held",
          "discarded", "bytes_received", "bytes_delivered", "senders", "recipients"]:
    same = ours[k] == theirs[k]
    bad += not same
    print(f"{k:16} {ours[k]:>14} {theirs[k]:>14}{'' if same else '   DIFFERENT'}")
print("grand totals: " + ("equal" if not bad else f"{bad} DIFFERENT"))
sys.exit(1 if bad else 0)
PY

# 2. the timing, same file, same run
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/times.json" \
    "bin/mailops report summary --logs $log --json" "pflogsumm $log" \
    "env MAILOPS_JAVA_OPTS=-XX:TieredStopAtLevel=4 bin/mailops report summary --logs $log --json" >/dev/null
else
  python3 - "$work" "$runs" "$log" <<'PY'
import json, subprocess, sys, time
work, runs, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
res = []
for cmd in (["bin/mailops", "report", "summary", "--logs", log, "--json"], ["pflogsumm", log],
            ["env", "MAILOPS_JAVA_OPTS=-XX:TieredStopAtLevel=4", "bin/mailops", "report", "summary", "--logs", log,
             "--json"]):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)   # warm-up
    t = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        t.append(time.perf_counter() - t0)
    res.append({"command": " ".join(cmd), "mean": sum(t) / len(t), "min": min(t), "max": max(t)})
json.dump({"results": res}, open(f"{work}/times.json", "w"))
PY
fi
python3 - "$work" "$lines" <<'PY'
import json, sys
work, lines = sys.argv[1], int(sys.argv[2])
mailops, pflogsumm, tiered = json.load(open(f"{work}/times.json"))["results"]
def t(r): return f"mean {r['mean']:.2f} s (min {r['min']:.2f}, max {r['max']:.2f}), {lines / r['mean']:,.0f} lines/s"
print(f"mailops report summary --json: {t(mailops)}")
print(f"pflogsumm:                     {t(pflogsumm)}")
print(f"mailops, tiered JIT:           {t(tiered)}")
r = pflogsumm['mean'] / mailops['mean']
print(f"ratio pflogsumm / mailops: {r:.2f}x (goal >= 5x: {'met' if r >= 5 else 'NOT met'})")
print(f"ratio pflogsumm / mailops with the tiered JIT: {pflogsumm['mean'] / tiered['mean']:.2f}x")
PY
