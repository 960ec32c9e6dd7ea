#!/usr/bin/env bash
# Regenerates the Postfix queue test resources (storage-tools/src/test/resources/postfix-queue/)
# from a REAL Postfix: a private instance on loopback (scripts/interop/postfix.sh), a bounded
# Python SMTP sink that accepts bob@ (250), rejects reject@ (550 5.1.1) and defers everyone else
# (450 4.2.0), and a bounded Python milter that appends a recipient and a header (this makes
# cleanup write real pointer and padding records). Nothing leaves the machine.
#
# usage (root): scripts/testdata/make-postfix-queue.sh [OUTDIR]
#   env: POSTFIX_SMTP_PORT (10125) POSTFIX_DEAD_PORT (10126) SINK_PORT (10127) MILTER_PORT (10128)
#        KEEP_WORK=1 keeps the scratch instance under $WORK for inspection.
#
# Output (all regenerated):
#   spool/{deferred,hold,maildrop,defer,bounce}/...  the queue files and logfiles, as Postfix left them
#   files.txt      "mode mtime path" per file: git keeps neither, the test fixture restores both
#   ids.txt        name=queue_id for the scenarios below
#   expected/      postqueue -j, qshape and postconf output on this queue; qshape runs with its
#                  clock pinned (qshape-cases.txt: name, epoch second, arguments)
#   broken/        a truncated real queue file and a random-byte file, for problem reporting
#
# Scenarios: alice (1 rcpt, full headers), multi (bob done = D record, carol+dave deferred),
# nullsender (sender <>, then held and force-expired: hold/ mode 0710), quoted (quoted local
# parts; force-expired while deferred: mode 0710), extract (sendmail -t: recipients in the
# extracted segment), bounce (reject@ bounced = D record + bounce/ logfile kept because the
# bounce service cannot post the NDR, frank@ deferred), smtp (submitted over SMTP), milter
# (pointer records, padding, appended recipient and header), long (long queue ID, 3000-byte
# header line = L records), longhold (long queue ID, held), drop (maildrop: Postfix stopped).
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${1:-$ROOT/storage-tools/src/test/resources/postfix-queue}
export POSTFIX_SMTP_PORT=${POSTFIX_SMTP_PORT:-10125} POSTFIX_DEAD_PORT=${POSTFIX_DEAD_PORT:-10126}
SINK_PORT=${SINK_PORT:-10127}
MILTER_PORT=${MILTER_PORT:-10128}
[ "$(id -u)" = 0 ] || { echo "must run as root" >&2; exit 1; }
for t in postfix postconf postqueue postsuper qshape jq python3; do
  command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || { echo "missing $t" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/pfq-data.XXXXXX)
SINK_PID= MILTER_PID=
cleanup() {
  [ -z "$SINK_PID" ] || kill "$SINK_PID" 2>/dev/null || true
  [ -z "$MILTER_PID" ] || kill "$MILTER_PID" 2>/dev/null || true
  "$ROOT/scripts/interop/postfix.sh" stop "$WORK" >/dev/null 2>&1 || true
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
log() { echo "[make-postfix-queue] $*" >&2; }

cat >"$WORK/sink.py" <<'PY'
import socket, sys, threading, time
port, life = int(sys.argv[1]), float(sys.argv[2])
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port)); srv.listen(16); srv.settimeout(1)
end = time.time() + life
def handle(c):
    f = c.makefile("rwb")
    def say(s): f.write((s + "\r\n").encode()); f.flush()
    say("220 sink.test ESMTP")
    ok = 0
    while True:
        line = f.readline()
        if not line: break
        cmd = line.decode("latin-1").strip(); up = cmd.upper()
        if up.startswith("EHLO"): say("250-sink.test"); say("250 8BITMIME")
        elif up.startswith("HELO"): say("250 sink.test")
        elif up.startswith("MAIL"): ok = 0; say("250 2.1.0 ok")
        elif up.startswith("RCPT"):
            a = cmd.lower()
            if "<bob@" in a: ok += 1; say("250 2.1.5 ok")
            elif "<reject@" in a: say("550 5.1.1 no such user here")
            else: say("450 4.2.0 mailbox busy, try later")
        elif up == "DATA":
            if ok == 0: say("554 5.5.1 no valid recipients"); continue
            say("354 go")
            while True:
                l = f.readline()
                if not l or l in (b".\r\n", b".\n"): break
            say("250 2.0.0 queued")
        elif up == "QUIT": say("221 bye"); break
        else: say("250 ok")
    c.close()
while time.time() < end:
    try: c, _ = srv.accept()
    except socket.timeout: continue
    threading.Thread(target=handle, args=(c,), daemon=True).start()
PY

cat >"$WORK/milter.py" <<'PY'
# Minimal milter (protocol v6): at end of message, add a recipient and a header.
import socket, struct, sys, threading, time
port, life = int(sys.argv[1]), float(sys.argv[2])
def pkt(c, cmd, data=b""): c.sendall(struct.pack(">I", len(data) + 1) + cmd + data)
def recv(c, n):
    b = b""
    while len(b) < n:
        x = c.recv(n - len(b))
        if not x: return None
        b += x
    return b
def handle(c):
    while True:
        h = recv(c, 4)
        if h is None: break
        d = recv(c, struct.unpack(">I", h)[0])
        if d is None: break
        cmd = d[:1]
        if cmd == b"O": pkt(c, b"O", struct.pack(">III", 6, 0x01 | 0x04, 0))
        elif cmd in (b"D", b"A"): pass
        elif cmd == b"Q": break
        elif cmd == b"E":
            pkt(c, b"+", b"<archive@milter.invalid>\0")
            pkt(c, b"h", b"X-Milter\0added by the test milter\0")
            pkt(c, b"a")
        else: pkt(c, b"c")
    c.close()
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port)); srv.listen(4); srv.settimeout(1)
end = time.time() + life
while time.time() < end:
    try: c, _ = srv.accept()
    except socket.timeout: continue
    threading.Thread(target=handle, args=(c,), daemon=True).start()
PY

"$ROOT/scripts/interop/postfix.sh" start "$WORK"
. "$WORK/postfix.env"
C=$CONFIG_DIR Q=$QUEUE_DIR
pc() { postconf -c "$C" "$@"; }
reload() { script -qec "postfix -c '$C' reload" /dev/null >/dev/null; sleep 1; }
sm() { /usr/sbin/sendmail -C "$C" "$@"; }
pq() { postqueue -c "$C" -j 2>/dev/null; }  # stopped: "accessing queue directly"
# settle N [PATTERN]: wait until N messages are queued, none in incoming/active/maildrop, and every
# recipient has a delay_reason matching PATTERN.
settle() {
  local n=$1 pat=${2:-.} i
  for ((i = 0; i < 120; i++)); do
    if [ "$(pq | jq -s --arg p "$pat" --argjson n "$n" '
        length == $n and all(.[]; (.queue_name == "deferred" or .queue_name == "hold")
          and all(.recipients[]; (.delay_reason // "") | test($p)))')" = true ]; then return 0; fi
    sleep 0.5
  done
  pq >&2; tail -n 30 "$MAILLOG" >&2; echo "queue did not settle" >&2; exit 1
}
id_of() { pq | jq -r --arg a "$1" 'select(any(.recipients[]; .address == $a)) | .queue_id'; }

# The bounce service cannot post NDRs, so a bounced recipient's bounce/ logfile stays.
pc -P 'bounce/unix/cleanup_service_name=nocleanup'
reload

log "phase 1: short queue IDs, relay to a dead port"
printf 'From: Alice Sender <sender@mailhost.test>\nTo: Alice <alice@unreachable.example>\nSubject: Quarterly report\nMessage-ID: <alice-1@mailhost.test>\nDate: Sun, 22 Nov 2026 02:49:00 +0000\n\nHello Alice,\nthe report is attached.\n' \
  | sm -f sender@mailhost.test alice@unreachable.example
printf 'Subject: multi\n\nbody\n' | sm -f sender@mailhost.test bob@nowhere.invalid carol@nowhere.invalid dave@other.invalid
printf 'Subject: to hold\n\nhold me\n' | sm -f '' eve@hold.invalid
printf 'Subject: quoted\n\nq\n' | sm -f '"odd sender"@mailhost.test' '"john doe"@quoted.invalid' 'a..b@quoted.invalid'
printf 'To: tina@extract.invalid, tom@extract.invalid\nSubject: extracted\n\nt\n' | sm -t -f sender@mailhost.test
printf 'Subject: reject one\n\nr\n' | sm -f sender@mailhost.test reject@nowhere.invalid frank@nowhere.invalid
python3 - "$SMTP_PORT" <<'PY'
import smtplib, sys
s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]))
s.sendmail("smtp-sender@client.test", ["gina@smtp.invalid", "hal@smtp.invalid"],
  "From: SMTP Sender <smtp-sender@client.test>\r\nTo: gina@smtp.invalid\r\nSubject: via smtp\r\n"
  "Message-ID: <smtp-1@client.test>\r\nDate: Sun, 22 Nov 2026 02:50:00 +0000\r\n\r\nhello over smtp\r\n")
s.quit()
PY
python3 "$WORK/milter.py" "$MILTER_PORT" 60 & MILTER_PID=$!
sleep 0.5
pc -e "non_smtpd_milters=inet:127.0.0.1:$MILTER_PORT" milter_default_action=accept
reload
printf 'Subject: hi\n\nmilter\n' | sm -f sender@mailhost.test ivy@milter.invalid
settle 8
pc -X non_smtpd_milters milter_default_action
kill "$MILTER_PID"; MILTER_PID=

log "phase 2: relay to the sink (bob accepted, reject@ bounced, others 450), one attempt each"
python3 "$WORK/sink.py" "$SINK_PORT" 120 & SINK_PID=$!
sleep 0.5
pc -e "relayhost=[127.0.0.1]:$SINK_PORT"
reload
postqueue -c "$C" -f
settle 8 'said:'

log "phase 3: long queue IDs"
pc -e enable_long_queue_ids=yes
reload
long=$(python3 -c 'print("x" * 3000)')
printf 'Subject: long header\nX-Long: %s\n\nlong\n' "$long" | sm -f sender@mailhost.test liz@long.invalid
printf 'Subject: long id to hold\n\nheld\n' | sm -f sender@mailhost.test mike@long.invalid
settle 10 'said:'

log "phase 4: Postfix stopped; hold, expire, maildrop"
"$ROOT/scripts/interop/postfix.sh" stop "$WORK"
kill "$SINK_PID"; SINK_PID=
chown postfix "$MAILLOG"   # postsuper logs there itself, as postfix, while the master is down
declare -A IDS
for pair in alice=alice@unreachable.example multi=carol@nowhere.invalid nullsender=eve@hold.invalid \
    quoted='"john doe"@quoted.invalid' extract=tina@extract.invalid bounce=frank@nowhere.invalid \
    smtp=gina@smtp.invalid milter=ivy@milter.invalid long=liz@long.invalid longhold=mike@long.invalid; do
  IDS[${pair%%=*}]=$(id_of "${pair#*=}")
  [ -n "${IDS[${pair%%=*}]}" ] || { echo "no queue id for ${pair}" >&2; exit 1; }
done
postsuper -c "$C" -h "${IDS[nullsender]}"
postsuper -c "$C" -e "${IDS[nullsender]}"
postsuper -c "$C" -e "${IDS[quoted]}"
postsuper -c "$C" -h "${IDS[longhold]}"
printf 'Subject: dropped\n\nwhile Postfix was down\n' | sm -f sender@mailhost.test nina@drop.invalid
IDS[drop]=$(ls "$Q/maildrop")

log "phase 5: reference output from postqueue -j, qshape, postconf"
rm -rf "$OUT/spool" "$OUT/expected" "$OUT/broken" "$OUT/files.txt" "$OUT/ids.txt"
mkdir -p "$OUT/spool" "$OUT/expected" "$OUT/broken"
pq >"$OUT/expected/postqueue-j.jsonl"
pc -h minimal_backoff_time maximal_backoff_time queue_run_delay >"$OUT/expected/postconf.txt"
# qshape itself, with its clock pinned (Perl's time() overridden before the script is compiled),
# so that the ages fall into known buckets. Cases: NAME SECONDS-AFTER-FIRST-ARRIVAL QSHAPE-ARGS.
first=$(jq -s 'map(.arrival_time) | min' "$OUT/expected/postqueue-j.jsonl")
qshape_at() { MAIL_CONFIG=$C perl -e 'my $t = shift @ARGV; no warnings; *CORE::GLOBAL::time = sub () { $t };
  do "/usr/sbin/qshape"; die $@ if $@' "$@"; }
while read -r name offset args; do
  # shellcheck disable=SC2086  # args are word-split on purpose
  qshape_at $((first + offset)) $args >"$OUT/expected/qshape-$name.txt"
  echo "$name $((first + offset)) $args" >>"$OUT/expected/qshape-cases.txt"
done <<'CASES'
default 30 
deferred-hold 30 deferred hold
t1-b6 65 -t 1 -b 6 deferred hold
linear 125 -l -t 1 -b 4 deferred
senders 259200 -s deferred hold
t60-b8 172800 -t 60 -b 8 deferred hold maildrop
CASES

log "phase 6: copy the queue to $OUT"
( cd "$Q" && find maildrop incoming active deferred hold corrupt defer bounce -type f 2>/dev/null | sort ) >"$WORK/list"
while read -r f; do
  mkdir -p "$OUT/spool/$(dirname "$f")"
  cp "$Q/$f" "$OUT/spool/$f"
  stat -c '%a %Y %n' "$Q/$f" | sed "s|$Q/||" >>"$OUT/files.txt"
done <"$WORK/list"
for k in $(printf '%s\n' "${!IDS[@]}" | sort); do echo "$k=${IDS[$k]}"; done >"$OUT/ids.txt"

# Broken files: the first 300 bytes of the milter message (cut inside the content), and 400
# seeded random bytes. Both named like short queue IDs, in deferred/.
mkdir -p "$OUT/broken/deferred/B"
milter_file=$(grep " deferred/.*/${IDS[milter]}\$" "$OUT/files.txt" | awk '{print $3}')
head -c 300 "$OUT/spool/$milter_file" >"$OUT/broken/deferred/B/B0BAD000001"
python3 -c 'import random,sys; r=random.Random(20261122); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(400)))' \
  >"$OUT/broken/deferred/B/B0BAD000002"
printf '700 %s deferred/B/B0BAD000001\n700 %s deferred/B/B0BAD000002\n' "$first" "$first" >"$OUT/broken/files.txt"
log "done: $(wc -l <"$OUT/files.txt") files, ids: $(tr '\n' ' ' <"$OUT/ids.txt")"
