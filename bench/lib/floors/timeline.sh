#!/usr/bin/env bash
# timeline.sh HOME: polls the running `backup run` java under MAILOPS_HOME=HOME every 0.25 s: seconds since
# it started, its CPU seconds, folders in its checkpoint
home=$1
hz=$(getconf CLK_TCK)
for i in $(seq 1 400); do
  pid=$(pgrep -f "java.*backup run" | head -1); [[ -n $pid ]] && break; sleep 0.05
done
t0=$(date +%s.%N)
while kill -0 "$pid" 2>/dev/null; do
  cpu=$(awk -v hz=$hz '{printf "%.2f", ($14+$15)/hz}' /proc/$pid/stat 2>/dev/null)
  f=$(cat "$home"/backup/state/*.checkpoint 2>/dev/null | wc -l)
  printf '%.2f %s %s\n' "$(echo "$(date +%s.%N) - $t0" | bc)" "$cpu" "$f"
  sleep 0.25
done
