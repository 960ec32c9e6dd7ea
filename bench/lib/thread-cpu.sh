#!/usr/bin/env bash
# Per-thread CPU of a java command, JIT compiler and GC threads included (JFR leaves those out).
# Usage: bench/lib/thread-cpu.sh OUT -- COMMAND...
#   runs COMMAND under /usr/bin/time -v (OUT.out, OUT.time), samples /proc/PID/task/*/stat of the
#   java process it starts every 0.5 s, and writes the last sample of each thread, summed by
#   thread name without its number, to OUT.threads (seconds and share of the sampled total, then
#   the user and system seconds of that total).
#   A thread that ends between two samples loses at most 0.5 s; /usr/bin/time's user + sys is the
#   figure to quote, the split is approximate. Used for docs/benchmarks.md, Archive, fifth round.
set -uo pipefail
out=$1
shift 2
/usr/bin/time -v "$@" >"$out.out" 2>"$out.time" &
tp=$!
declare -A cpu sys name
jp=""
while kill -0 "$tp" 2>/dev/null; do
  [[ -z $jp ]] && jp=$(pgrep -P "$tp" java | head -1)
  if [[ -n $jp && -d /proc/$jp/task ]]; then
    for t in /proc/"$jp"/task/*; do
      s=$(cat "$t/stat" 2>/dev/null) || continue
      id=${t##*/}
      # shellcheck disable=SC2086
      set -- ${s##*) }   # fields after the command name: utime and stime are the 12th and 13th
      cpu[$id]=$((${12} + ${13}))
      sys[$id]=${13}
      name[$id]=$(cat "$t/comm" 2>/dev/null)
    done
  fi
  sleep 0.5
done
wait "$tp"
rc=$?
tck=$(getconf CLK_TCK)
for id in "${!cpu[@]}"; do
  echo "$(sed -E 's/[#0-9-]+$//; s/ +$//' <<<"${name[$id]}") ${sys[$id]} ${cpu[$id]}"
done | awk -v t="$tck" '{c = $NF; k = $(NF - 1); $NF = ""; $(NF - 1) = ""; g[$0] += c; y[$0] += k
    s += c; ys += k}
  END {for (k in g) printf "%8.2f s %5.1f%%  (user %.2f + sys %.2f)  %s\n", g[k] / t,
         100 * g[k] / s, (g[k] - y[k]) / t, y[k] / t, k;
       printf "%8.2f s 100.0%%  (user %.2f + sys %.2f)  total (sampled)\n", s / t, (s - ys) / t,
         ys / t}' | sort -nr >"$out.threads"
exit $rc
