#!/usr/bin/env bash
# Archive benchmark (issue 6), all in one run:
#   1. ingest of N (default 10,000, the size of piler's published benchmark) distinct ~100 kB
#      messages (text + one base64 attachment, bench/lib/archive-mail.py): `mailops archive
#      init` + `archive ingest`, msg/s, MB/s, CPU seconds and CPU per message, peak RSS (goal
#      >= 400 msg/s);
#   2. the same for the mixed sample store (`mailops storage sample --domains 2 --accounts 5
#      --messages N/10` = N messages; goal >= 1,000 msg/s);
#   3. search over an archive of ARCHIVE_BENCH_N (default 200,000) small text messages: ~200
#      queries each of one field (from:is:), five criteria and full text (body:contains:) in one
#      JVM that opened the archive once (ArchiveSearchProbe, on the test classpath; not part of
#      the command line), p50/p95 (goal p95 < 50 ms), and the index size as a share of the
#      archived bytes;
#   4. the Argon2id unlock each command pays, for the default cost and the alternatives of
#      docs/adr/0009-archive-ingest-durability-and-kdf.md (KdfProbe, one fresh JVM each).
#
# msg/s is given twice: for the whole `archive ingest` command (JVM start, Argon2id unlock,
# journal load, JIT warm-up included) and for the ingest itself as the command prints it (from
# the first message read to the last commit). CPU per message is the whole command's user + sys
# time over N, so it includes the fixed costs too; at N = 10,000 they are amortised as in
# piler's figure. The stores and the
# search archive are cached under bench/out/archive/ (ARCHIVE_BENCH_REGEN=1 makes them again);
# the ingest archives of steps 1 and 2 are made anew each run. The last run's are removed first,
# then the script waits 65 s: on ext4 without a journal (this machine's root file system) a new
# file skips every inode of its block group freed in the last 60 s (5 min while its inode table
# block is dirty, so `sync` first), one by one; after the removal of a 10,000-message archive that
# put 2.7 s of system time into the next ingest's blob writes (docs/adr/0033).
#
# Peer: piler (the open-source archiver the issue compares with) is not packaged for Debian (the
# Debian package "piler" is a genome repeat finder), so no peer runs here; the script prints
# piler's published figures (mailpiler.org FAQ), labelled as published, not measured.
#
# Usage: bench/archive.sh [N]    (no root needed; python3; /usr/bin/time)
#   ARCHIVE_BENCH_N=20000  a smaller search archive (e.g. for a quick run)
#   ARCHIVE_BENCH_ONLY=ingest  steps 1 and 2 only
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
search_n=${ARCHIVE_BENCH_N:-200000}
[[ -x /usr/bin/time ]] || { echo "bench: install GNU time (apt-get install time)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench: install python3" >&2; exit 1; }
[[ -f jobs/target/mailops.jar && -d archiver/target/test-classes ]] \
  || ./mvnw -q -B -DskipTests package

out=$PWD/bench/out
work=$out/archive
export MAILOPS_HOME=$work/home
export MAILOPS_ARCHIVE_PASSWORD=Bench-Archive-Password-6
mkdir -p "$work" "$MAILOPS_HOME"
cp="archiver/target/test-classes:archiver/target/classes:$(printf '%s:' jobs/target/lib/*.jar)"
regen=${ARCHIVE_BENCH_REGEN:-0}

# store DIR COUNT SIZE: a cached generated Maildir tree
store() {
  if [[ $regen = 1 || ! -f $1.done || $(cat "$1.done") != "$2 $3" ]]; then
    rm -rf "$1" "$1.done"
    echo "bench: generating $2 messages of ~$3 bytes in $1 (once; cached)"
    local parts p pids=()
    parts=$(nproc)
    for ((p = 0; p < parts; p++)); do   # one part per core, each with its own seed
      python3 bench/lib/archive-mail.py "$1" $(($2 * (p + 1) / parts)) "$3" \
        $((42 + $2 * p / parts)) $(($2 * p / parts)) &
      pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
    echo "$2 $3" >"$1.done"
  fi
}
bytes_of() { find "$1" -type f -path '*/cur/*' -printf '%s\n' | awk '{s += $1} END {print s}'; }
count_of() { find "$1" -type f \( -path '*/cur/*' -o -path '*/new/*' \) | wc -l; }
# field LABEL FILE: a value from /usr/bin/time -v output
field() { grep -F "$1" "$2" | sed 's/.*: //'; }
seconds() { # h:mm:ss or m:ss.ss -> seconds
  awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }' <<<"$1"
}

# ingest LABEL STORE: init + ingest into a new archive, prints the figures
ingest() {
  local label=$1 src=$2 arch=$work/$1.archive
  local msgs mb
  msgs=$(count_of "$src")
  mb=$(bytes_of "$src" | awk '{printf "%.1f", $1 / 1e6}')
  rm -rf "$arch"
  # warm the page cache with every message of the store (until 2026-11-23 only INBOX/cur, 3,083
  # of the 10,000 mixed messages, so the rest came from the disk during the timed run)
  find "$src" -type f -exec cat {} + >/dev/null 2>&1 || true
  sync   # the last run's blob writes, so that their write-back is not this run's
  /usr/bin/time -v bin/mailops archive init --archive "$arch" >/dev/null 2>"$work/$label.init"
  /usr/bin/time -v bin/mailops archive ingest --archive "$arch" --from "maildir:$src" \
    >"$work/$label.out" 2>"$work/$label.time"
  local wall user sys rss init_wall said
  wall=$(seconds "$(field 'Elapsed (wall clock)' "$work/$label.time")")
  user=$(field 'User time' "$work/$label.time")
  sys=$(field 'System time' "$work/$label.time")
  rss=$(field 'Maximum resident set size' "$work/$label.time")
  init_wall=$(seconds "$(field 'Elapsed (wall clock)' "$work/$label.init")")
  said=$(sed -n 's/.*, in \(.*\)\.$/\1/p' "$work/$label.out")
  awk -v l="$label" -v m="$msgs" -v mb="$mb" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" \
    -v i="$init_wall" -v said="$said" 'BEGIN {
      printf "bench: %s: %d messages, %.1f MB: init %.1f s; ingest command %.1f s = %.0f msg/s,"\
        " %.1f MB/s, CPU %.1f s (user %.1f + sys %.1f) = %.2f ms/msg, peak RSS %.0f MiB;"\
        " ingest itself %s\n",
        l, m, mb, i, w, m / w, mb / w, u + s, u, s, (u + s) * 1000 / m, r / 1024, said }'
  grep -q ' 0 skipped' "$work/$label.out" || { cat "$work/$label.out"; echo "bench: $label skipped messages" >&2; }
}

echo "bench: $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench: peer: none run. piler is not packaged for Debian; its published figures"\
  "(mailpiler.org FAQ, not measured here): 10,000 x 100 kB in 4:03-4:11 = ~40 msg/s on"\
  "2 vCPU, 72-83 msg/s on 6 vCPU"

# 1 and 2: ingest
if [[ -e $work/big.archive || -e $work/mixed.archive ]]; then
  rm -rf "$work/big.archive" "$work/mixed.archive"
  sync
  echo "bench: removed the last run's archives; waiting 65 s (freed inodes, see above)"
  sleep 65
fi
# the first archive command after a build trains the archive commands' class-data archive
# (ADR 0036): here, not in the timed init
bin/mailops archive --help >/dev/null
store "$work/big" "$n" 100000
mixed=$work/mixed
if [[ $regen = 1 || ! -f $mixed.done || $(cat "$mixed.done") != "$n" ]]; then
  rm -rf "$mixed" "$mixed.done"
  echo "bench: generating the mixed sample store of $n messages (once; cached)"
  bin/mailops storage sample --out "$mixed" --domains 2 --accounts 5 --messages $((n / 10)) \
    >/dev/null
  echo "$n" >"$mixed.done"
fi
ingest big "$work/big"
ingest mixed "$mixed"
if [[ ${ARCHIVE_BENCH_ONLY:-} = ingest ]]; then
  echo "bench: done $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi

# 3: search
sstore=$work/search/store
sarch=$work/search/archive
store "$sstore" "$search_n" 2500
if [[ $regen = 1 || ! -f $sarch.done || $(cat "$sarch.done") != "$search_n" ]]; then
  rm -rf "$sarch" "$sarch.done"
  echo "bench: ingesting the $search_n-message search archive (once; cached in $sarch)"
  bin/mailops archive init --archive "$sarch" >/dev/null
  /usr/bin/time -v bin/mailops archive ingest --archive "$sarch" --from "maildir:$sstore" \
    >"$work/search.out" 2>"$work/search.time"
  echo "bench: search archive: $(sed -n 's/.*, in \(.*\)\.$/\1/p' "$work/search.out"), CPU"\
    "$(field 'User time' "$work/search.time") s user, peak RSS"\
    "$(( $(field 'Maximum resident set size' "$work/search.time") / 1024 )) MiB"
  echo "$search_n" >"$sarch.done"
fi
java -cp "$cp" io.mailops.archiver.ArchiveSearchProbe "$sarch" "$(bytes_of "$sstore")" 200 \
  | sed 's/^probe: /bench: search: /'

# 4: the Argon2id unlock
for k in "65536 3 1" "65536 3 2" "47104 1 1" "19456 2 1"; do
  # shellcheck disable=SC2086
  java -cp "$cp" io.mailops.archiver.KdfProbe $k 3 | sed 's/^kdf: /bench: /'
done
echo "bench: done $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
