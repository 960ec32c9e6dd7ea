#!/usr/bin/env bash
# Migration benchmark (issue 5): `mailops migrate run --accounts accounts.csv --parallel N`
# against mbsync (Debian isync, PipelineDepth 50, one channel per account, N channels at once
# through xargs -P N) on the same Dovecot, the same data, in the same run; imapsync too when
# IMAPSYNC=/path/to/imapsync is set (N accounts at once). Each tool copies into its own fresh,
# empty target accounts. Twice: over plain loopback, and through bench/lib/delay_proxy.py, which
# adds DELAY_MS (default 10 ms) each way (20 ms RTT). Prints messages/s, the ratios, the time of a
# second `migrate run` with nothing new (the median of three, once the first run's files are written
# back; share of the first; goal <= 5%; and the same run through the batch job, fast path off), the JVM's peak RSS, and the
# CPU seconds of the client and of the Dovecot server (master + its imap processes) for each tool.
#
# Data: `mailops storage sample` (1 domain x ACCOUNTS accounts x MESSAGES/ACCOUNTS messages,
# several folders each), made once per size and cached in bench/out/migrate/store-AxM, copied into a private
# Dovecot that this script starts (scripts/interop/dovecot.sh on IMAP port BENCH_IMAP_PORT, default
# 15143) and stops on exit, whatever happens. Every copy is counted on the target afterwards: a
# tool that copied fewer messages than the source holds fails the benchmark.
#
# Usage: bench/migrate.sh [MESSAGES [ACCOUNTS]]   (root; default 20000 10)
#        bench/migrate.sh small                   (2,000 messages, 2 accounts: for iteration)
#   PARALLEL=N        accounts at once for every tool (default: ACCOUNTS)
#   ROUNDS=3          first copies per tool and setting, alternated (mbsync, mailops, mbsync, ...);
#                     the medians are compared (single runs of either tool varied by 15-20%)
#   BENCH_NETS="loopback delay"   which settings to run (default both)
#   DELAY_MS=10       delay per direction of the proxy
#   IMAPSYNC=/path    also run imapsync (absolute path of the script)
#   MAILOPS_JAVA_OPTS passed to the JVM as bin/mailops does
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if [[ ${1:-} = small ]]; then n=2000; accounts=2; else n=${1:-20000}; accounts=${2:-10}; fi
parallel=${PARALLEL:-$accounts}
rounds=${ROUNDS:-3}
nets=${BENCH_NETS:-loopback delay}
delay_ms=${DELAY_MS:-10}
port=${BENCH_IMAP_PORT:-15143}
proxy_port=$((port + 1))
[[ $(id -u) = 0 ]] || { echo "bench: run as root (Dovecot's mail tree belongs to user mail)" >&2; exit 1; }
command -v mbsync >/dev/null || { echo "bench: install mbsync (apt-get install isync)" >&2; exit 1; }
command -v dovecot >/dev/null || { echo "bench: install Dovecot (scripts/interop/all.sh install)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench: install GNU time (apt-get install time)" >&2; exit 1; }
command -v bc >/dev/null || { echo "bench: install bc (apt-get install bc)" >&2; exit 1; }
[[ -f jobs/target/mailops.jar && -d jobs/target/lib ]] || ./mvnw -q -B -pl jobs -am package -DskipTests

work=$root/bench/out/migrate
per=$(( (n + accounts - 1) / accounts ))
store=$work/store-${accounts}x$per
mkdir -p "$work"
if [[ ! -f $store.done ]]; then
  rm -rf "$store"
  echo "bench: making a sample store of $accounts x $per messages (once; cached in $store)"
  bin/mailops storage sample --out "$store" --domains 1 --accounts "$accounts" --messages "$per" >/dev/null
  touch "$store.done"
fi
domain=$(cd "$store" && set -- * && echo "$1")
mapfile -t sources < <(cd "$store/$domain" && ls | sort | sed "s/\$/@$domain/")
messages=$(find "$store" -type f \( -path '*/cur/*' -o -path '*/new/*' \) | wc -l)
bytes=$(find "$store" -type f \( -path '*/cur/*' -o -path '*/new/*' \) -printf '%s\n' | awk '{s += $1} END {printf "%.0f\n", s}')
targets() { local t=$1 i; for i in "${!sources[@]}"; do echo "$t$i@target.test"; done; }
extra="${sources[*]} $(targets mo | tr '\n' ' ')$(targets mb | tr '\n' ' ')$(targets is | tr '\n' ' ')"

h=$work/harness
proxy_pid=
stop_all() {
  [[ -z $proxy_pid ]] || kill "$proxy_pid" 2>/dev/null || true
  scripts/interop/dovecot.sh stop "$h" >/dev/null 2>&1 || true
}
trap stop_all EXIT
stop_all
rm -rf "$h"
DOVECOT_IMAP_PORT=$port DOVECOT_POP3_PORT=$((port + 2)) DOVECOT_EXTRA_USERS="$extra" \
  scripts/interop/dovecot.sh start "$h" >/dev/null
# shellcheck disable=SC1091
source "$h/dovecot.env"
mkdir -p "$VMAIL/$domain"
for s in "${sources[@]}"; do cp -a "$store/$domain/${s%@*}" "$VMAIL/$domain/"; done
chown -R mail:mail "$VMAIL"
pwfile=$work/password
printf '%s\n' "$PASSWORD" >"$pwfile"
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }
# total messages of an account, over doveadm (the server's own count)
count() { doveadm -c "$DOVECOT_CONF" -f flow mailbox status -u "$1" -t messages '*' | sed 's/.*=//'; }
total() { local t=$1 sum=0 u; for u in $(targets "$t"); do sum=$((sum + $(count "$u"))); done; echo $sum; }
wipe() { local u; for u in $(targets "$1"); do rm -rf "${VMAIL:?}/target.test/${u%@*}"; done; }
src_total=0; for s in "${sources[@]}"; do src_total=$((src_total + $(count "$s"))); done
# CPU seconds (user+sys) the private Dovecot has used so far: its master, the children it has
# reaped (every imap process of a finished connection) and the children still alive (auth, log,
# ...). Waits (up to 5 s) for the imap processes of the tool that just ended to exit first.
server_cpu() {
  local m c; m=$(cat "$h/dovecot/run/master.pid")
  for _ in $(seq 50); do pgrep -P "$m" -x imap >/dev/null || break; sleep 0.1; done
  { cat "/proc/$m/stat"; for c in $(pgrep -P "$m"); do cat "/proc/$c/stat" 2>/dev/null || true; done; } \
    | awk -v t="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); s += $12 + $13 + $14 + $15 } END { printf "%.2f\n", s / t }'
}
# before each timed copy: the last copy's 1.3 GB of new files (and the wiped targets) written
# back now, not during the next tool's run (until 2026-11-23 mailops, timed right after mbsync,
# ran beside the write-back of mbsync's copy)
settle() { sync; sleep 1; }
# the median of the numbers given (the middle one; the lower middle of an even count)
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
range() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } END { printf "%.1f-%.1f", lo, $1 }'; }
check() {
  local got; got=$(total "$1")
  [[ $got = "$src_total" ]] || { echo "bench: $2 left $got of $src_total messages on its targets" >&2; exit 1; }
}

# warm the page cache and Dovecot's indexes of the sources, and make the CDS archive (bin/mailops)
for s in "${sources[@]}"; do doveadm -c "$DOVECOT_CONF" fetch -u "$s" 'size.physical' ALL >/dev/null; done
bin/mailops --help >/dev/null 2>&1 || true
bin/mailops migrate run --help >/dev/null 2>&1 || true # the migrate run archive (bin/mailops)

echo "bench: $messages messages ($((bytes / 1048576)) MiB), $accounts accounts, --parallel $parallel;" \
  "Dovecot $(dovecot --version | cut -d' ' -f1) on 127.0.0.1:$port; $(nproc) cores"
results=()
for net in $nets; do
  if [[ $net = delay ]]; then
    python3 bench/lib/delay_proxy.py "$proxy_port" 127.0.0.1 "$port" "$delay_ms" &
    proxy_pid=$!
    for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$proxy_port) 2>/dev/null && break; sleep 0.1; done
    p=$proxy_port
  else
    p=$port
  fi

  mb_runs=(); mo_runs=(); server_mb_runs=(); server_mo_runs=()
  for round in $(seq "$rounds"); do
    # mbsync: one channel per account, N at once
    wipe mb
    rc=$work/mbsyncrc
    rm -rf "$work/mbsync-state"; mkdir -p "$work/mbsync-state"
    : >"$rc"
    for i in "${!sources[@]}"; do
      for side in src dst; do
        user=${sources[$i]}; [[ $side = dst ]] && user=mb$i@target.test
        printf 'IMAPAccount %s%d\nHost 127.0.0.1\nPort %d\nUser %s\nPass %s\nSSLType None\nAuthMechs LOGIN\nPipelineDepth 50\n\nIMAPStore %s%d\nAccount %s%d\n\n' \
          "$side" "$i" "$p" "$user" "$PASSWORD" "$side" "$i" "$side" "$i" >>"$rc"
      done
      printf 'Channel ch%d\nFar :src%d:\nNear :dst%d:\nPatterns *\nCreate Near\nSync Pull\nExpunge None\nCopyArrivalDate yes\nSyncState %s/\n\n' \
        "$i" "$i" "$i" "$work/mbsync-state/ch$i" >>"$rc"
    done
    settle
    s0=$(server_cpu); t0=$(now)
    for i in "${!sources[@]}"; do echo "ch$i"; done | /usr/bin/time -f '%U %S' -o "$work/cpu-mbsync-$net" \
      xargs -P "$parallel" -n 1 mbsync -q -c "$rc"
    t1=$(now); s1=$(server_cpu)
    server_mb=$(echo "$s1 - $s0" | bc -l)
    mb_runs+=("$(secs "$t0" "$t1")"); server_mb_runs+=("$server_mb"); check mb mbsync
    cp "$work/cpu-mbsync-$net" "$work/cpu-mbsync-$net.$round"

    # mailops
    wipe mo
    export MAILOPS_HOME=$work/home-$net
    rm -rf "$MAILOPS_HOME"; mkdir -p "$MAILOPS_HOME"
    csv=$work/accounts-$net.csv
    echo "source_host,source_port,source_security,source_user,source_password_file,target_host,target_port,target_security,target_user,target_password_file" >"$csv"
    for i in "${!sources[@]}"; do
      echo "127.0.0.1,$p,none,${sources[$i]},$pwfile,127.0.0.1,$p,none,mo$i@target.test,$pwfile" >>"$csv"
    done
    settle
    s0=$(server_cpu); t0=$(now)
    /usr/bin/time -f '%M %U %S' -o "$work/rss-$net" bin/mailops migrate run --accounts "$csv" --parallel "$parallel" >"$work/mailops-$net.txt"
    t1=$(now); s1=$(server_cpu)
    server_mo=$(echo "$s1 - $s0" | bc -l)
    mo_runs+=("$(secs "$t0" "$t1")"); server_mo_runs+=("$server_mo"); check mo mailops
    cp "$work/rss-$net" "$work/rss-$net.$round"
  done
  mb=$(median "${mb_runs[@]}"); mo=$(median "${mo_runs[@]}")
  server_mb=$(median "${server_mb_runs[@]}"); server_mo=$(median "${server_mo_runs[@]}")
  # the CPU and RSS lines: the round whose mailops time was the median (mbsync: its median round)
  for round in $(seq "$rounds"); do
    [[ ${mo_runs[$((round - 1))]} = "$mo" ]] && cp "$work/rss-$net.$round" "$work/rss-$net"
    [[ ${mb_runs[$((round - 1))]} = "$mb" ]] && cp "$work/cpu-mbsync-$net.$round" "$work/cpu-mbsync-$net"
  done
  # the second run with nothing new: after the first run's 1.3 GB are written back (settle; the
  # kernel's writeback made single runs vary 0.5-0.7 s), three times, the median taken
  settle
  reruns=()
  for k in 1 2 3; do
    t0=$(now)
    /usr/bin/time -f '%U %S' -o "$work/cpu-rerun-$net.$k" bin/mailops migrate run --accounts "$csv" --parallel "$parallel" >"$work/mailops-$net-rerun.txt"
    t1=$(now)
    grep -q "Migration done: $accounts account(s), 0 failed" "$work/mailops-$net-rerun.txt" \
      || { echo "bench: the second run failed, see $work/mailops-$net-rerun.txt" >&2; exit 1; }
    reruns+=("$(secs "$t0" "$t1") $k")
  done
  read -r again k < <(printf '%s\n' "${reruns[@]}" | sort -n | sed -n 2p)
  again_range=$(printf '%s\n' "${reruns[@]}" | sort -n | awk 'NR == 1 { lo = $1 } END { printf "%.2f-%.2f", lo, $1 }')
  cp "$work/cpu-rerun-$net.$k" "$work/cpu-rerun-$net"
  check mo "mailops (second run)"
  # the same no-op run through the batch job (fast path off, ADR 0026), for comparison
  t0=$(now)
  MAILOPS_MIGRATE_FASTNOOP=false /usr/bin/time -f '%U %S' -o "$work/cpu-rerun-job-$net" \
    bin/mailops migrate run --accounts "$csv" --parallel "$parallel" >"$work/mailops-$net-rerun-job.txt"
  t1=$(now)
  again_job=$(secs "$t0" "$t1")
  grep -q "Migration done: $accounts account(s), 0 failed" "$work/mailops-$net-rerun-job.txt" \
    || { echo "bench: the second run through the job failed, see $work/mailops-$net-rerun-job.txt" >&2; exit 1; }

  is_line=
  if [[ -n ${IMAPSYNC:-} ]]; then
    wipe is
    t0=$(now)
    # sh -c SCRIPT IMAPSYNC PORT PWFILE WORK, and xargs appends INDEX USER: $1..$5
    for i in "${!sources[@]}"; do echo "$i ${sources[$i]}"; done | xargs -P "$parallel" -L 1 \
      sh -c 'perl "$0" --host1 127.0.0.1 --port1 "$1" --user1 "$5" --passfile1 "$2" --nossl1 --notls1 \
        --host2 127.0.0.1 --port2 "$1" --user2 "is$4@target.test" --passfile2 "$2" --nossl2 --notls2 \
        --nolog --pidfile "$3/imapsync-$4.pid" >/dev/null' "$IMAPSYNC" "$p" "$pwfile" "$work"
    t1=$(now)
    is=$(secs "$t0" "$t1"); check is imapsync
    is_line=$(printf '  imapsync %6.1f s %7.0f msg/s   mailops/imapsync %.2fx\n' "$is" \
      "$(echo "$messages / $is" | bc -l)" "$(echo "$is / $mo" | bc -l)")
  fi

  if [[ -n $proxy_pid ]]; then kill "$proxy_pid"; wait "$proxy_pid" 2>/dev/null || true; proxy_pid=; fi
  label=$net; [[ $net = delay ]] && label="delay proxy +${delay_ms} ms each way"
  results+=("$(printf '%s:\n  mailops  %6.1f s %7.0f msg/s   mbsync %6.1f s %7.0f msg/s   mailops/mbsync %.2fx (goal >= 1.5x)\n  (medians of %d alternated first copies each: mailops %s s, mbsync %s s)\n  second run (nothing new) %.2f s (median of 3, %s s) = %.1f%% of the first (goal <= 5%%; through the batch job %.2f s = %.1f%%); JVM peak RSS %d MiB\n  client CPU (user+sys): mailops %.1f s, mbsync %.1f s; second run %.1f s (through the job %.1f s)\n  server CPU (Dovecot, user+sys): mailops %.1f s, mbsync %.1f s\n%s' \
    "$label" "$mo" "$(echo "$messages / $mo" | bc -l)" "$mb" "$(echo "$messages / $mb" | bc -l)" \
    "$(echo "$mb / $mo" | bc -l)" "$rounds" "$(range "${mo_runs[@]}")" "$(range "${mb_runs[@]}")" "$again" "$again_range" "$(echo "100 * $again / $mo" | bc -l)" \
    "$again_job" "$(echo "100 * $again_job / $mo" | bc -l)" \
    $(( $(cut -d' ' -f1 "$work/rss-$net") / 1024 )) "$(awk '{print $2 + $3}' "$work/rss-$net")" \
    "$(awk '{print $1 + $2}' "$work/cpu-mbsync-$net")" "$(awk '{print $1 + $2}' "$work/cpu-rerun-$net")" \
    "$(awk '{print $1 + $2}' "$work/cpu-rerun-job-$net")" \
    "$server_mo" "$server_mb" "$is_line")")
done

printf '\nbench: %d messages, %d MiB, %d accounts, --parallel %d, %s cores\n' "$messages" \
  $((bytes / 1048576)) "$accounts" "$parallel" "$(nproc)"
printf '%s\n' "${results[@]}"
