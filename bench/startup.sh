#!/usr/bin/env bash
# Start-up and usage-report benchmark.
#  1. `mailops storage usage --help` must answer in under 0.7 s wall (no Spring context).
#  2. `mailops storage usage` over the sample store, against the peer tool `du` reading the same
#     tree (du sums file sizes; we parse every Maildir name, flags and sizes as well), ratio printed.
# Usage: bench/startup.sh [RUNS]   (needs hyperfine: apt-get install hyperfine)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
command -v hyperfine >/dev/null || { echo "bench: install hyperfine (apt-get install hyperfine)" >&2; exit 1; }
[[ -f jobs/target/mailops.jar ]] || ./mvnw -q -B -DskipTests install
out=bench/out; mkdir -p "$out"
store="$out/sample"
[[ -d "$store" ]] || bin/mailops storage sample --out "$store" >/dev/null
export MAILOPS_HOME="$out/home"

hyperfine -N --warmup 2 --runs "$runs" --export-json "$out/help.json" \
  'bin/mailops storage usage --help' >/dev/null
hyperfine -N --warmup 2 --runs "$runs" --export-json "$out/usage.json" \
  "bin/mailops storage usage --storage maildir:$store" "du -sb $store" >/dev/null

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
h = json.load(open(f"{out}/help.json"))["results"][0]
u = json.load(open(f"{out}/usage.json"))["results"]
ok = "PASS" if h["mean"] < 0.7 else "FAIL"
print(f"storage usage --help: mean {h['mean']:.3f} s, max {h['max']:.3f} s (target < 0.7 s: {ok})")
print(f"storage usage (sample store): mean {u[0]['mean']:.3f} s; du -sb: {u[1]['mean']:.3f} s; ratio {u[0]['mean']/u[1]['mean']:.1f}x")
PY
