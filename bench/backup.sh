#!/usr/bin/env bash
# Backup benchmark (issue 4), all in one run on the same data, to a local vsftpd over explicit
# FTPS (TLS 1.2 for both sides):
#   1. full backup: `mailops backup run --full` against `tar -cf - | zstd -T0 | curl -T -`
#      (goal: ratio <= 1.0), both over FTPS, then both again over plain FTP (BENCH_PLAIN=0 skips);
#   2. incremental after flagging 1% of the messages and delivering 1% new ones: time and bytes
#      uploaded as a share of the full (goal: <= 5%); the same change through `restic backup` to
#      a local repository when Debian's restic is installed (`apt-get install restic`);
#   3. restore of one message by Message-ID from the incremental set (goal: < 1 s), hyperfine.
#
# The sample store (mailops storage sample, 5 domains x 10 accounts x N/50 messages) is made
# once and cached in bench/out/backup/store; each run works on a hard-linked copy, so the
# flag/deliver step never changes the cached store. BENCH_STORE=DIR uses an existing sample store
# elsewhere (e.g. the one of another worktree) instead; it is only read and hard-linked. vsftpd runs on FTP_PORT (default 10121,
# passive 10130-10139) so that it does not collide with the interop harness.
#
# Usage: bench/backup.sh [MESSAGES]   (root; default 50000; BENCH_RESTIC=0 skips restic)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-50000}
[[ $(id -u) = 0 ]] || { echo "bench: run as root (vsftpd runs as a system user)" >&2; exit 1; }
for c in zstd curl hyperfine vsftpd; do
  command -v $c >/dev/null || { echo "bench: install $c (apt-get install $c)" >&2; exit 1; }
done
[[ -f jobs/target/mailops.jar ]] || ./mvnw -q -B -DskipTests install

out=$PWD/bench/out
work=$out/backup
mkdir -p "$work" # before readlink -f, which fails when the parent is missing (a fresh clone)
store=$(readlink -f "${BENCH_STORE:-$work/store}")
live=$work/live
export MAILOPS_HOME=$work/home
export FTP_PORT=${FTP_PORT:-10121} FTP_PASV_MIN=${FTP_PASV_MIN:-10130} FTP_PASV_MAX=${FTP_PASV_MAX:-10139}

per=$(( (n + 49) / 50 ))
if [[ -n ${BENCH_STORE:-} ]]; then
  [[ -d $store ]] || { echo "bench: BENCH_STORE=$BENCH_STORE is no directory" >&2; exit 1; }
elif [[ ! -f $work/store.done || $(cat "$work/store.done") != "$per" ]]; then
  rm -rf "$store" "$work/store.done"
  echo "bench: making a sample store of $((per * 50)) messages (once; cached in $store)"
  bin/mailops storage sample --out "$store" --domains 5 --accounts 10 --messages "$per" >/dev/null
  echo "$per" >"$work/store.done"
fi
messages=$(find "$store" -type f \( -path '*/cur/*' -o -path '*/new/*' \) | wc -l)
bytes=$(du -sb "$store" | cut -f1)

stop() { scripts/interop/vsftpd.sh stop "$work/ftp" >/dev/null 2>&1 || true; }
trap stop EXIT
stop
rm -rf "$work/ftp" "$live" "$MAILOPS_HOME" "$work/home-ftp" "$work/restic" "$work/restore-one"
scripts/interop/vsftpd.sh start "$work/ftp" >/dev/null
# shellcheck disable=SC1091
source "$work/ftp/vsftpd.env"
pw=$work/ftp.pw
printf '%s\n' "$FTP_PASSWORD" >"$pw"
cp -al "$store" "$live"
target="ftps://$FTP_USER@127.0.0.1:$FTP_PORT/mailops"
mo() { bin/mailops "$@" --to "$target" --password-file "$pw" --ca-file "$FTP_CERT"; }
now() { date +%s.%N; }
# CPU seconds (user + sys) of the vsftpd sessions that ended so far: the listener's children
ftp_cpu() {
  local pid; pid=$(head -n1 "$work/ftp/ftp/vsftpd.pid")
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f\n", ($16 + $17) / hz}' "/proc/$pid/stat"
}
# cpu FILE CMD...: runs CMD, appends its CPU seconds (user + sys, children included) to FILE
cpu() { local f=$1; shift; /usr/bin/time -f '%U %S' -o "$f.time" "$@"; awk '{printf "%.1f\n", $1 + $2}' "$f.time" >"$f"; }
# bytes in regular files below $1 (du -sb would also count directories, 4 KiB each: megabytes for a
# set's few hundred folder directories, which would swamp an incremental's share)
fbytes() { find "$1" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.0f\n", s}'; }
secs() { echo "$2 - $1" | bc; }

echo "bench: $messages messages, $((bytes / 1048576)) MiB in $store; vsftpd on 127.0.0.1:$FTP_PORT (FTPS)"

# the first run after a build writes the class-data archives (bin/mailops; `backup run` has its
# own, ADR 0020): not in a timed run
bin/mailops --help >/dev/null 2>&1 || true
bin/mailops backup run --help >/dev/null 2>&1 || true
# 1. full backup; the page cache is warmed first so that neither side pays the disk reads
find "$live" -type f -print0 | xargs -0 cat >/dev/null
f0=$(ftp_cpu); t0=$(now)
cpu "$work/peer.cpu" bash -c 'tar -cf - -C "$1" . | zstd -q -T0 -3 | curl -sS --ssl-reqd --tlsv1.2 \
  --tls-max 1.2 --cacert "$2" --ftp-create-dirs -T - "$3"' peer "$live" "$FTP_CERT" \
  "ftp://$FTP_USER:$FTP_PASSWORD@127.0.0.1:$FTP_PORT/peer/full.tar.zst"
t1=$(now); sleep 0.5; peer_ftp_cpu=$(echo "$(ftp_cpu) - $f0" | bc)
peer_full=$(secs "$t0" "$t1")
peer_bytes=$(stat -c %s "$FTP_ROOT/peer/full.tar.zst")
f0=$(ftp_cpu); t0=$(now)
cpu "$work/full.cpu" bin/mailops backup run --full --storage "maildir:$live" --to "$target" \
  --password-file "$pw" --ca-file "$FTP_CERT" >"$work/full.txt"
t1=$(now); sleep 0.5; mo_ftp_cpu=$(echo "$(ftp_cpu) - $f0" | bc)
mo_full=$(secs "$t0" "$t1")
mo_full_bytes=$(fbytes "$FTP_ROOT/mailops")

# 1b. the same pair over plain FTP (same vsftpd, no TLS on either side): both sides above pay
# for TLS (curl's --ssl-reqd is explicit FTPS with protected data connections, like mailops'
# ftps://); here neither does. Its own MAILOPS_HOME so that the incremental below finds the
# FTPS full's manifest cache. BENCH_PLAIN=0 skips it.
plain_line="plain FTP: skipped (BENCH_PLAIN=0)"
if [[ ${BENCH_PLAIN:-1} = 1 ]]; then
  f0=$(ftp_cpu); t0=$(now)
  cpu "$work/peer-ftp.cpu" bash -c 'tar -cf - -C "$1" . | zstd -q -T0 -3 | curl -sS \
    --ftp-create-dirs -T - "$2"' peer "$live" \
    "ftp://$FTP_USER:$FTP_PASSWORD@127.0.0.1:$FTP_PORT/peer-ftp/full.tar.zst"
  t1=$(now); sleep 0.5; peer_ftp_ftp_cpu=$(echo "$(ftp_cpu) - $f0" | bc)
  peer_plain=$(secs "$t0" "$t1")
  f0=$(ftp_cpu); t0=$(now)
  MAILOPS_HOME=$work/home-ftp cpu "$work/full-ftp.cpu" bin/mailops backup run --full \
    --storage "maildir:$live" --to "ftp://$FTP_USER@127.0.0.1:$FTP_PORT/mailops-ftp" \
    --password-file "$pw" >"$work/full-ftp.txt"
  t1=$(now); sleep 0.5; mo_ftp_ftp_cpu=$(echo "$(ftp_cpu) - $f0" | bc)
  mo_plain=$(secs "$t0" "$t1")
  rm -rf "$FTP_ROOT/peer-ftp" "$FTP_ROOT/mailops-ftp" # 4 GiB less on the disk
  plain_line=$(printf 'plain FTP:     mailops %.1f s (CPU %s + vsftpd %s)   tar|zstd -T0|curl %.1f s (CPU %s + vsftpd %s)   ratio %.2f' \
    "$mo_plain" "$(cat "$work/full-ftp.cpu")" "$mo_ftp_ftp_cpu" "$peer_plain" \
    "$(cat "$work/peer-ftp.cpu")" "$peer_ftp_ftp_cpu" "$(echo "$mo_plain / $peer_plain" | bc -l)")
fi

# 2. change 1%: flag (rename, as Dovecot does) and deliver new copies under fresh names
python3 bench/lib/change-1pct.py "$live" "$messages"
sleep 1
f0=$(ftp_cpu); t0=$(now)
cpu "$work/inc.cpu" bin/mailops backup run --incremental --storage "maildir:$live" --to "$target" \
  --password-file "$pw" --ca-file "$FTP_CERT" >"$work/incremental.txt"
t1=$(now); sleep 0.5; inc_ftp_cpu=$(echo "$(ftp_cpu) - $f0" | bc)
mo_inc=$(secs "$t0" "$t1")
mo_inc_bytes=$(( $(fbytes "$FTP_ROOT/mailops") - mo_full_bytes ))
inc_set=$(cd "$FTP_ROOT/mailops" && set -- *-incremental-* && echo "$1")
inc_files=$(find "$FTP_ROOT/mailops/$inc_set" -type f | wc -l)
inc_kinds=$(find "$FTP_ROOT/mailops/$inc_set" -type f -printf '%f\n' | sort | uniq -c | awk '{printf "%s%d %s", (NR > 1 ? ", " : ""), $1, $2}')

restic_line="restic: not installed (apt-get install restic)"
if [[ ${BENCH_RESTIC:-1} = 1 ]] && command -v restic >/dev/null; then
  export RESTIC_PASSWORD=bench RESTIC_REPOSITORY=$work/restic
  restic init -q >/dev/null
  rm -rf "$live" && cp -al "$store" "$live"
  t0=$(now); restic backup -q "$live" >/dev/null; t1=$(now)
  r_full=$(secs "$t0" "$t1"); r_full_bytes=$(fbytes "$work/restic")
  echo "bench: restic: repeating the same 1% change"
  # same change, same seed
  python3 bench/lib/change-1pct.py "$live" "$messages" >/dev/null
  t0=$(now); restic backup -q "$live" >/dev/null; t1=$(now)
  r_inc=$(secs "$t0" "$t1"); r_inc_bytes=$(( $(fbytes "$work/restic") - r_full_bytes ))
  restic_line=$(printf 'restic (local repo): full %.1f s, incremental %.2f s (%.1f%% of its full), %d KiB added' \
    "$r_full" "$r_inc" "$(echo "100 * $r_inc / $r_full" | bc -l)" $((r_inc_bytes / 1024)))
fi

# 3. one message back by Message-ID
acct=$(cd "$store" && set -- */* && echo "$1")         # DOMAIN/USER (no "| head": pipefail)
account="${acct#*/}@${acct%%/*}"
# the first message (in name order) that has a Message-ID (3% of the sample's have none)
one=
while IFS= read -r f; do grep -qi '^Message-ID:' "$f" && { one=$f; break; }; done \
  < <(find "$store/$acct/Maildir/cur" -type f | sort)
[[ -n $one ]] || { echo "bench: no message with a Message-ID in $store/$acct/Maildir/cur" >&2; exit 1; }
mid=$(grep -m1 -i '^Message-ID:' "$one" | sed 's/^[^<]*<\([^>]*\)>.*/\1/')
restore_cmd="bin/mailops backup restore latest --scope $account/INBOX --message-id '$mid' --into maildir:$work/restore-one --to $target --password-file $pw --ca-file $FTP_CERT"
hyperfine -N --warmup 1 --runs 5 --prepare "rm -rf $work/restore-one" --export-json "$work/restore.json" \
  "$restore_cmd" >/dev/null
restore_mean=$(python3 -c "import json;print('%.3f' % json.load(open('$work/restore.json'))['results'][0]['mean'])")
[[ $(find "$work/restore-one" -type f -path '*/cur/*' | wc -l) = 1 ]] || { echo "bench: the restore did not bring back exactly one message" >&2; exit 1; }

printf '\nbench: %d messages, %d MiB (sample store), vsftpd FTPS TLS 1.2 on loopback, %s cores\n' \
  "$messages" $((bytes / 1048576)) "$(nproc)"
printf 'full backup:   mailops %.1f s (%d MiB stored)   tar|zstd -T0|curl %.1f s (%d MiB)   ratio %.2f (goal <= 1.0)\n' \
  "$mo_full" $((mo_full_bytes / 1048576)) "$peer_full" $((peer_bytes / 1048576)) "$(echo "$mo_full / $peer_full" | bc -l)"
printf '               CPU s (user+sys): mailops %s + vsftpd %s   tar|zstd|curl %s + vsftpd %s\n' \
  "$(cat "$work/full.cpu")" "$mo_ftp_cpu" "$(cat "$work/peer.cpu")" "$peer_ftp_cpu"
echo "               $plain_line"
printf 'incremental:   mailops %.2f s = %.1f%% of the full, %d KiB uploaded = %.2f%% of the full (goal <= 5%%)\n' \
  "$mo_inc" "$(echo "100 * $mo_inc / $mo_full" | bc -l)" $((mo_inc_bytes / 1024)) "$(echo "100 * $mo_inc_bytes / $mo_full_bytes" | bc -l)"
printf '               CPU s (user+sys): mailops %s + vsftpd %s; %d files uploaded (%s)\n' \
  "$(cat "$work/inc.cpu")" "$inc_ftp_cpu" "$inc_files" "$inc_kinds"
echo "               $restic_line"
printf 'restore one message by Message-ID: %s s mean of 5 (goal < 1 s)\n' "$restore_mean"
