#!/usr/bin/env bash
# Postfix queue benchmark: `mailops queue list --json` against `postqueue -j` and `qshape deferred`
# on the same real queue of N (default 20,000) deferred messages, in the same run; prints the
# ratios (goal: list <= 1.0x postqueue -j) and the wall time of `mailops queue show ID` (goal
# < 0.7 s).
#
# The queue is made by a real Postfix (scripts/interop/postfix.sh: smtpd on loopback, relayhost a
# dead loopback port, so everything is deferred and nothing leaves): one pipelined SMTP session
# (bench/lib/queue-smtp.py), then wait until every message is deferred. It is kept under
# bench/out/queue-list/ and reused by later runs. For the timing the instance is restarted with
# qmgr, pickup and smtpd switched off, so no retry moves a file while it is measured; postqueue
# still works (it asks the showq daemon). Postfix is stopped on exit, whatever happens.
#
# Usage: bench/queue-list.sh [N] [RUNS]    (root; hyperfine; python3)
#   QUEUE_BENCH_REGEN=1  throw the cached queue away and make a new one
#   POSTFIX_SMTP_PORT / POSTFIX_DEAD_PORT  ports while generating (default 10325 / 10326)
#   QUEUE_BENCH_BASE=DIR  also time an earlier build in the same run: DIR holds its mailops.jar,
#     lib/ and mailops.jsa (made with --cds-training); run with bin/mailops's short-command flags
#   QUEUE_BENCH_ROUNDS=R  then also R interleaved rounds (mailops, postqueue -j[, earlier build],
#     one after the other) with per-round ratios: on a shared machine the load drifts between
#     hyperfine's blocks of runs, and a round sees the same load for all of them
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
runs=${2:-5}
[[ $(id -u) = 0 ]] || { echo "bench: run as root (the Postfix queue is readable by root and postfix only)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench: install hyperfine (apt-get install hyperfine)" >&2; exit 1; }
command -v postqueue >/dev/null || { echo "bench: install postfix (scripts/interop/postfix.sh install)" >&2; exit 1; }
[[ -f jobs/target/mailops.jar ]] || ./mvnw -q -B -DskipTests install

out=$PWD/bench/out
work=$out/queue-list
etc=$work/postfix/etc
queue=$work/postfix/spool
export POSTFIX_SMTP_PORT=${POSTFIX_SMTP_PORT:-10325} POSTFIX_DEAD_PORT=${POSTFIX_DEAD_PORT:-10326}
export MAILOPS_HOME=$out/home
mkdir -p "$out"

link=
stop_postfix() {
  scripts/interop/postfix.sh stop "$work" >/dev/null 2>&1 || true
  [[ -z $link ]] || rm -f "$link"
}
trap stop_postfix EXIT
count() { find "$@" -type f 2>/dev/null | wc -l; }

if [[ ${QUEUE_BENCH_REGEN:-0} = 1 || ! -f $work/generated || $(head -n1 "$work/generated") -lt $n ]]; then
  stop_postfix
  rm -rf "$work"
  t0=$(date +%s.%N)
  scripts/interop/postfix.sh start "$work"
  python3 bench/lib/queue-smtp.py 127.0.0.1 "$POSTFIX_SMTP_PORT" "$n"
  for ((i = 0; i < 1200; i++)); do
    [[ $(count "$queue"/{incoming,active,maildrop}) = 0 ]] && break
    sleep 0.5
  done
  t1=$(date +%s.%N)
  deferred=$(count "$queue/deferred")
  [[ $deferred -ge $n ]] || { echo "bench: only $deferred of $n messages deferred after 600 s; see $work/postfix/maillog" >&2; exit 1; }
  stop_postfix
  # timing phase: no queue manager (no retries), no pickup, no smtpd listener
  postconf -c "$etc" -M# qmgr/unix pickup/unix "127.0.0.1:$POSTFIX_SMTP_PORT/inet"
  printf '%s\n%s\n' "$deferred" "$(echo "$t1 - $t0" | bc)" >"$work/generated"
  echo "bench: made a queue of $deferred deferred messages in $(sed -n 2p "$work/generated") s (cached in $work)"
fi

# postfix.sh points queue_directory at a short /tmp symlink when the work dir path is long (unix
# socket path limit) and removes it on stop: make it again for this start
qdir=$(postconf -c "$etc" -h queue_directory)
if [[ $qdir != "$queue" && ! -e $qdir ]]; then ln -s "$queue" "$qdir"; link=$qdir; fi
script -qec "postfix -c '$etc' start" /dev/null </dev/null >"$work/postfix/start.log" 2>&1 \
  || { cat "$work/postfix/start.log" >&2; exit 1; }
for ((i = 0; i < 50; i++)); do postqueue -c "$etc" -j >/dev/null 2>&1 && break; sleep 0.2; done

total=$(postqueue -c "$etc" -j | wc -l)
listed=$(bin/mailops queue list --json --queue-dir "$queue" --config-dir "$etc" | wc -l)
id=$(postqueue -c "$etc" -j | sed -n "$((total / 2))p" | sed 's/.*"queue_id": *"\([0-9A-Za-z]*\)".*/\1/')
echo "bench: queue of $total messages ($(du -sh "$queue" | cut -f1)); mailops lists $listed; show uses $id"
[[ $listed = "$total" ]] || echo "bench: WARNING: mailops queue list printed $listed lines, postqueue -j $total" >&2

base=()
if [[ -n ${QUEUE_BENCH_BASE:-} ]]; then
  b=$QUEUE_BENCH_BASE
  base=("java -XX:SharedArchiveFile=$b/mailops.jsa -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off -XX:TieredStopAtLevel=1 -jar $b/mailops.jar queue list --json --queue-dir $queue --config-dir $etc")
fi
hyperfine -N --warmup 1 --runs "$runs" --export-json "$out/queue-list.json" \
  "bin/mailops queue list --json --queue-dir $queue --config-dir $etc" \
  "postqueue -c $etc -j" \
  "qshape -c $etc deferred" "${base[@]}" >/dev/null
hyperfine -N --warmup 1 --runs "$runs" --export-json "$out/queue-show.json" \
  "bin/mailops queue show $id --queue-dir $queue --config-dir $etc" \
  "bin/mailops queue --help" >/dev/null

rounds=${QUEUE_BENCH_ROUNDS:-0}
: >"$out/queue-rounds.txt"
for ((r = 0; r < rounds; r++)); do
  for c in "bin/mailops queue list --json --queue-dir $queue --config-dir $etc" "postqueue -c $etc -j" "${base[@]}"; do
    s=$(date +%s.%N); $c >/dev/null; e=$(date +%s.%N)
    printf '%s %s\n' "$r" "$(echo "$e - $s" | bc)" >>"$out/queue-rounds.txt"
  done
done

python3 - "$out" "$total" <<'PY'
import json, sys
out, total = sys.argv[1], int(sys.argv[2])
mailops, postqueue, qshape, *base = json.load(open(f"{out}/queue-list.json"))["results"]
show, start = json.load(open(f"{out}/queue-show.json"))["results"]
def t(r): return f"mean {r['mean']:.3f} s (min {r['min']:.3f}, max {r['max']:.3f})"
ok = lambda c: "met" if c else "NOT met"
print(f"queue: {total} messages")
print(f"mailops queue list --json: {t(mailops)}")
print(f"postqueue -j:              {t(postqueue)}")
print(f"qshape deferred:           {t(qshape)}")
r = mailops['mean'] / postqueue['mean']
print(f"ratio list / postqueue -j: {r:.2f}x (goal <= 1.0x: {ok(r <= 1.0)})")
print(f"ratio list / qshape:       {mailops['mean'] / qshape['mean']:.2f}x")
for b in base:
    print(f"earlier build (QUEUE_BENCH_BASE): {t(b)}; ratio to postqueue -j {b['mean'] / postqueue['mean']:.2f}x")
print(f"mailops queue show ID:     {t(show)} (goal < 0.7 s: {ok(show['mean'] < 0.7)})")
print(f"start-up (queue --help):   {t(start)}; list and show without it: "
      f"{mailops['mean'] - start['mean']:.3f} s and {show['mean'] - start['mean']:.3f} s")
rounds = {}
for line in open(f"{out}/queue-rounds.txt"):
    r, sec = line.split()
    rounds.setdefault(r, []).append(float(sec))
if rounds:
    rs = list(rounds.values())
    print(f"interleaved rounds: {len(rs)}; list / postqueue -j per round: "
          + " ".join(f"{x[0] / x[1]:.2f}" for x in rs)
          + f"; of the sums {sum(x[0] for x in rs) / sum(x[1] for x in rs):.2f}x"
          + f" (list {sum(x[0] for x in rs) / len(rs):.3f} s, postqueue -j {sum(x[1] for x in rs) / len(rs):.3f} s)")
    if all(len(x) > 2 for x in rs):
        print(f"  earlier build / postqueue -j of the sums: {sum(x[2] for x in rs) / sum(x[1] for x in rs):.2f}x"
              f" ({sum(x[2] for x in rs) / len(rs):.3f} s)")
PY
