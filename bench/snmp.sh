#!/usr/bin/env bash
# SNMP agent benchmark: GET requests per second and the wall time of a full-subtree snmpbulkwalk,
# against `mailops snmp serve` and against Debian's net-snmp snmpd (a private instance serving its
# own system/UCD subtrees, scripts/interop/netsnmp.sh), in the same run with the same clients;
# prints the ratios. Goals: our GET rate >= 0.5x snmpd's; a bulkwalk of our whole subtree < 50 ms.
#
# GET load: bench/lib/snmp-get-rate.py (one request in flight, SNMPv2c, SECONDS per round after a
# 1 s warm-up), interleaved rounds (mailops, snmpd, mailops, snmpd, ...) so both see the same load
# on a shared machine; the median round counts. Three GETs each: sysUpTime.0 (protocol cost only),
# one scalar (ours: moQueueTotal, read from the report database through the 1 s cache; snmpd:
# UCD laLoadInt.1, read from /proc/loadavg), and a 10-object GET.
# Bulkwalk: hyperfine over `snmpbulkwalk -v2c -Cr25` of our subtree and of snmpd's UCD subtree
# (.1.3.6.1.4.1.2021) (process start of snmpbulkwalk included in both).
#
# The report database is filled once by `mailops report collect --from-logs` over a generated
# log (bench/lib/maillog-gen.py) under bench/out/snmp/, with the per-domain scope on (so our
# subtree has its domain table; the per-account scope stays off, as by default).
#
# Usage: bench/snmp.sh [SECONDS] [ROUNDS]   (root for snmpd; hyperfine; python3; the jar built:
#   ./mvnw -o -q -DskipTests package -pl jobs -am)
#   SNMP_BENCH_AGENT_PORT / SNMP_BENCH_SNMPD_PORT  UDP ports (default 31181 / 31191)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
rounds=${2:-3}
[[ $(id -u) = 0 ]] || { echo "bench: run as root (snmpd via scripts/interop/netsnmp.sh)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench: install hyperfine (apt-get install hyperfine)" >&2; exit 1; }
command -v snmpbulkwalk >/dev/null || { echo "bench: run scripts/interop/netsnmp.sh install" >&2; exit 1; }
[[ -f jobs/target/mailops.jar && -d jobs/target/lib ]] \
  || { echo "bench: build the jar first: ./mvnw -o -q -DskipTests package -pl jobs -am" >&2; exit 1; }

out=$PWD/bench/out/snmp
agent_port=${SNMP_BENCH_AGENT_PORT:-31181}
snmpd_port=${SNMP_BENCH_SNMPD_PORT:-31191}
base=1.3.6.1.4.1.8072.9999.9999
export MAILOPS_HOME=$out/home
mkdir -p "$out" "$MAILOPS_HOME"

serve_pid=
cleanup() {
  [[ -z $serve_pid ]] || { kill -TERM "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; }
  SNMPD_PORT=$snmpd_port scripts/interop/netsnmp.sh stop "$out/netsnmp" >/dev/null 2>&1 || true
}
trap cleanup EXIT

if [[ ! -f $out/collected-domains ]]; then
  rm -rf "$MAILOPS_HOME"
  mkdir -p "$MAILOPS_HOME"
  [[ -f $out/mail.log ]] || python3 bench/lib/maillog-gen.py 200000 --seed 1 >"$out/mail.log"
  MAILOPS_REPORT_DOMAINSCOPE=true bin/mailops report collect --from-logs "$out/mail.log" >"$out/collect.out"
  touch "$out/collected-domains"
fi

SNMPD_PORT=$snmpd_port scripts/interop/netsnmp.sh start "$out/netsnmp" 2>"$out/netsnmp.start.log" \
  || { cat "$out/netsnmp.start.log" >&2; exit 1; }
bin/mailops snmp serve --listen "udp:127.0.0.1/$agent_port" --community public >"$out/serve.out" 2>&1 &
serve_pid=$!
for ((i = 0; i < 150; i++)); do
  grep -q '^serving ' "$out/serve.out" 2>/dev/null && break
  kill -0 "$serve_pid" 2>/dev/null || { cat "$out/serve.out" >&2; exit 1; }
  sleep 0.2
done
grep -q '^serving ' "$out/serve.out" || { echo "bench: mailops snmp serve did not start" >&2; cat "$out/serve.out" >&2; exit 1; }

objects=$(snmpbulkwalk -v2c -c public -On -Cr25 "127.0.0.1:$agent_port" ".$base" | wc -l)
snmpd_objects=$(snmpbulkwalk -v2c -c public -On -Cr25 "127.0.0.1:$snmpd_port" .1.3.6.1.4.1.2021 | wc -l)
[[ $objects -gt 0 ]] || { echo "bench: our subtree is empty; see $out/collect.out" >&2; exit 1; }

ten_ours=() ten_snmpd=()
for _ in 1 2 3 4 5 6 7 8 9 10; do ten_ours+=(".$base.1.3.1.0"); ten_snmpd+=(".1.3.6.1.4.1.2021.10.1.5.1"); done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
rate() { python3 bench/lib/snmp-get-rate.py 127.0.0.1 "$1" public "$secs" "${@:2}" | sed -n 's/^rate=\([0-9]*\).*/\1/p'; }
declare -A r
for name in uptime scalar ten; do r[$name.ours]=""; r[$name.snmpd]=""; done
for ((round = 1; round <= rounds; round++)); do
  r[uptime.ours]+="$(rate "$agent_port" .1.3.6.1.2.1.1.3.0) "
  r[uptime.snmpd]+="$(rate "$snmpd_port" .1.3.6.1.2.1.1.3.0) "
  r[scalar.ours]+="$(rate "$agent_port" ".$base.1.3.1.0") "
  r[scalar.snmpd]+="$(rate "$snmpd_port" .1.3.6.1.4.1.2021.10.1.5.1) "
  r[ten.ours]+="$(rate "$agent_port" "${ten_ours[@]}") "
  r[ten.snmpd]+="$(rate "$snmpd_port" "${ten_snmpd[@]}") "
done

hyperfine -N -w 3 -r 30 --export-json "$out/bulkwalk.json" \
  -n "mailops bulkwalk ($objects objects)" "snmpbulkwalk -v2c -c public -On -Cr25 127.0.0.1:$agent_port .$base" \
  -n "snmpd bulkwalk UCD ($snmpd_objects objects)" "snmpbulkwalk -v2c -c public -On -Cr25 127.0.0.1:$snmpd_port .1.3.6.1.4.1.2021" \
  >"$out/hyperfine.txt" 2>&1 || { cat "$out/hyperfine.txt" >&2; exit 1; }
read -r ours_ms snmpd_ms < <(python3 -c "import json;r=json.load(open('$out/bulkwalk.json'))['results'];print(' '.join(f\"{x['median']*1000:.1f}\" for x in r))")

echo "SNMP benchmark $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $rounds rounds of ${secs}s"
printf '%-34s %12s %12s %8s   (rounds: ours | snmpd)\n' "GET, one request in flight" "mailops/s" "snmpd/s" "ratio"
for name in uptime scalar ten; do
  o=$(tr ' ' '\n' <<<"${r[$name.ours]}" | grep . | median)
  s=$(tr ' ' '\n' <<<"${r[$name.snmpd]}" | grep . | median)
  label=$(case $name in uptime) echo "sysUpTime.0";; scalar) echo "one scalar (moQueueTotal | laLoad)";; ten) echo "10 objects per GET";; esac)
  printf '%-34s %12s %12s %7.2fx   (%s| %s)\n' "$label" "$o" "$s" "$(echo "$o / $s" | bc -l)" "${r[$name.ours]}" "${r[$name.snmpd]}"
done
echo "bulkwalk (median of 30, incl. snmpbulkwalk start): mailops $ours_ms ms for $objects objects; snmpd $snmpd_ms ms for $snmpd_objects UCD objects"
echo "goals: GET rate >= 0.5x snmpd; our bulkwalk < 50 ms"
