#!/usr/bin/env bash
# Smoke-test servers started by scripts/interop/*.sh start WORKDIR (only those with an env file).
# usage: scripts/interop/smoke.sh WORKDIR        (needs curl; psql for postgresql)
set -euo pipefail
W=$(cd "${1:?usage: $0 WORKDIR}" && pwd -P)
ok() { echo "OK   $*"; }
fail() { echo "FAIL $*" >&2; exit 1; }
has() { grep "$@" >/dev/null; }   # like grep -q, but reads all input (no SIGPIPE under pipefail)
envget() { grep -m1 "^$2=" "$W/$1.env" | cut -d= -f2-; }   # envget FILE KEY

if [ -f "$W/dovecot.env" ]; then
  port=$(envget dovecot IMAP_PORT) pop=$(envget dovecot POP3_PORT) conf=$(envget dovecot DOVECOT_CONF)
  vmail=$(envget dovecot VMAIL) pw=$(envget dovecot PASSWORD)
  curl -sS "imap://127.0.0.1:$port/" -u "alice@example.com:$pw" | has INBOX || fail "IMAP login"
  doveadm -c "$conf" mailbox status -u alice@example.com messages "Projekte/Übersicht" >/dev/null 2>&1 ||
    doveadm -c "$conf" mailbox create -u alice@example.com "Projekte/Übersicht"
  printf 'From: bob@example.org\nSubject: smoke\nMessage-ID: <smoke@example.org>\n\nbody\n' |
    doveadm -c "$conf" save -u alice@example.com -m "Projekte/Übersicht"
  ls "$vmail/example.com/alice/Maildir/.Projekte.&ANw-bersicht/new/" | has . || fail "Maildir folder/message"
  curl -sS "imap://127.0.0.1:$port/Projekte%2F%26ANw-bersicht;UID=1" -u "alice@example.com:$pw" |
    has '^Subject: smoke' || fail "IMAP fetch"
  curl -sS "pop3://127.0.0.1:$pop/" -u "bob@example.com:$pw" >/dev/null || fail "POP3 login"
  ok "dovecot: IMAP+POP3 login, .Projekte.&ANw-bersicht created, message fetched"
fi

if [ -f "$W/postgresql.env" ]; then
  PGPASSWORD=$(envget postgresql PG_PASSWORD) psql -X -qAt -h 127.0.0.1 -p "$(envget postgresql PG_PORT)" \
    -U "$(envget postgresql PG_USER)" -d mailops -c 'select 41+1' | has -x 42 || fail "postgresql query"
  ok "postgresql: mailops@127.0.0.1:$(envget postgresql PG_PORT)/mailops"
fi

if [ -f "$W/postfix.env" ]; then
  port=$(envget postfix SMTP_PORT) cfg=$(envget postfix CONFIG_DIR)
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  reply=""
  say() {  # send a line (if any), then read one complete SMTP reply
    [ -z "$1" ] || printf '%s\r\n' "$1" >&3
    local l; while IFS= read -r -t 10 l <&3; do reply+="$l"$'\n'; [[ $l =~ ^[0-9]{3}\  ]] && break; done
  }
  say ""; say "EHLO smoke.test"; say "MAIL FROM:<sender@mailhost.test>"
  say "RCPT TO:<alice@unreachable.example>"; say DATA; say $'Subject: smoke\r\n\r\nhello\r\n.'; say QUIT
  exec 3<&-
  grep -q '250 2.0.0 Ok: queued' <<<"$reply" || fail "SMTP session: $reply"
  for _ in $(seq 1 30); do postqueue -c "$cfg" -j | has '"queue_name": "deferred"' && break; sleep 0.5; done
  postqueue -c "$cfg" -j | has '"queue_name": "deferred"' || fail "no deferred message in queue"
  ok "postfix: SMTP accepted on $port, message deferred ($(postqueue -c "$cfg" -j | wc -l) in queue)"
fi

if [ -f "$W/vsftpd.env" ]; then
  u="$(envget vsftpd FTP_USER):$(envget vsftpd FTP_PASSWORD)" base="ftp://127.0.0.1:$(envget vsftpd FTP_PORT)"
  cert=$(envget vsftpd FTP_CERT) root=$(envget vsftpd FTP_ROOT)
  echo "smoke $(date)" >"$W/ftp-smoke.txt"
  curl -sS -u "$u" --ftp-create-dirs -T "$W/ftp-smoke.txt" "$base/smoke/plain.txt" || fail "FTP upload"
  curl -sS -u "$u" --ssl-reqd --tls-max 1.2 --cacert "$cert" --ftp-create-dirs -T "$W/ftp-smoke.txt" \
    "$base/smoke/tls.txt" || fail "FTPS upload"
  cmp -s "$W/ftp-smoke.txt" "$root/smoke/tls.txt" && cmp -s "$W/ftp-smoke.txt" "$root/smoke/plain.txt" \
    || fail "uploaded files not in FTP_ROOT"
  ok "vsftpd: FTP + FTPS (TLS 1.2) uploads landed in $root/smoke"
fi
