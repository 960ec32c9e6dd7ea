#!/usr/bin/env bash
# Private Postfix instance for integration tests: smtpd on 127.0.0.1:POSTFIX_SMTP_PORT (10025),
# everything is relayed to a dead loopback port (POSTFIX_DEAD_PORT, 10026), so mail is deferred
# and stays in the private queue. Nothing leaves the machine, no DNS lookups.
# With a Dovecot of scripts/interop/dovecot.sh started first in the same WORKDIR (its dovecot.env
# names LMTP_PORT and REPORT_USERS), mail to the virtual domain REPORT_DOMAIN (report.test) is
# delivered to that Dovecot over LMTP, and RCPT TO an unknown user of it is rejected (550 User
# unknown in virtual mailbox table); without it, that domain is relayed like any other.
# A second smtpd on 127.0.0.1:POSTFIX_NORELAY_PORT (SMTP port - 1: 10024) does not trust mynetworks: relaying
# through it is refused (554 Relay access denied); local domains are accepted as on SMTP_PORT.
# usage: scripts/interop/postfix.sh install|start|stop WORKDIR
#   layout: WORKDIR/postfix/{etc,spool,lib,maillog,start.log}
#   writes WORKDIR/postfix.env (SMTP_HOST SMTP_PORT DEAD_PORT NORELAY_PORT CONFIG_DIR QUEUE_DIR MAILLOG
#                               SYSLOG_NAME REPORT_DOMAIN; REPORT_DOMAIN empty without LMTP delivery)
# Use the instance with: sendmail -C CONFIG_DIR, postqueue -c CONFIG_DIR -j, postcat -c CONFIG_DIR
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
. "$HERE/lib.sh"
require_root
usage_and_workdir "$@"

SMTP_PORT=${POSTFIX_SMTP_PORT:-10025}
DEAD_PORT=${POSTFIX_DEAD_PORT:-10026}
# default 10024 = SMTP port - 1, so instances started with their own SMTP port (bench/, scripts/testdata/)
# do not collide with the default harness or with their own helper ports (SMTP port + 1, + 2, …)
NORELAY_PORT=${POSTFIX_NORELAY_PORT:-$((SMTP_PORT - 1))}
SYSLOG_NAME=postfix-mailops

install() {
  # pflogsumm: jobs' ReportInteropIT compares `mailops report summary` with it on this instance's log
  if command -v postfix >/dev/null && command -v postconf >/dev/null && [ -x /usr/sbin/pflogsumm ]; then
    note "postfix already installed: $(postconf -d -h mail_version 2>/dev/null || echo '?')"; return 0
  fi
  # "No configuration": the package installs no /etc/postfix/main.cf, so the system-wide
  # Postfix cannot run at all; our private instance brings its own main.cf.
  echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
  apt_install postfix pflogsumm
  stop_system_service postfix
}

start() {
  command -v postfix >/dev/null || die "postfix not installed: run $0 install"
  local P=$WORKDIR/postfix
  local etc=$P/etc spool=$P/spool lib=$P/lib maillog=$P/maillog
  local pidfile=$spool/pid/master.pid
  ! pidfile_alive "$pidfile" || die "postfix already running for $WORKDIR; stop it first"
  port_free "$SMTP_PORT"; port_free "$NORELAY_PORT"
  mkdir -p "$etc" "$spool" "$lib"
  # Postfix binds public/postlog by absolute path (unix sockets: max 107 bytes). For a long
  # WORKDIR, queue_directory is a short symlink in /tmp to the real spool (removed on stop).
  local qdir=$spool
  if [ $((${#spool} + 15)) -gt 100 ]; then
    qdir=$(mktemp -u /tmp/postfix-q.XXXXXX); ln -s "$spool" "$qdir"; echo "$qdir" >"$P/qdir-link"
  fi
  : >"$etc/main.cf"
  cp /etc/postfix/master.cf "$etc/master.cf"            # Debian's stock master.cf (has postlog)
  [ ! -e /etc/postfix/dynamicmaps.cf ] || cp /etc/postfix/dynamicmaps.cf "$etc/"
  [ ! -d /etc/postfix/dynamicmaps.cf.d ] || cp -r /etc/postfix/dynamicmaps.cf.d "$etc/"

  local pc=(postconf -c "$etc")
  "${pc[@]}" -e compatibility_level=3.6 \
    "queue_directory=$qdir" "data_directory=$lib" meta_directory=/etc/postfix \
    mail_owner=postfix setgid_group=postdrop "syslog_name=$SYSLOG_NAME" \
    myhostname=mailhost.test mydomain=test 'myorigin=$myhostname' mydestination= \
    inet_interfaces=loopback-only inet_protocols=ipv4 mynetworks=127.0.0.0/8 \
    "relayhost=[127.0.0.1]:$DEAD_PORT" default_transport=smtp relay_transport=relay \
    'local_transport=error:local delivery is disabled' alias_maps= alias_database= \
    "maillog_file=$maillog" "maillog_file_prefixes=$P" \
    smtpd_tls_security_level=none smtp_tls_security_level=none \
    smtpd_tls_cert_file= smtpd_tls_key_file= biff=no \
    queue_run_delay=60s minimal_backoff_time=60s maximal_backoff_time=300s
  # master.cf: no smtpd on :25, one on 127.0.0.1:SMTP_PORT; no chroot (queue is not /var/spool/postfix)
  "${pc[@]}" -M# smtp/inet
  "${pc[@]}" -Me "127.0.0.1:$SMTP_PORT/inet=127.0.0.1:$SMTP_PORT inet n - n - - smtpd"
  "${pc[@]}" -Me "127.0.0.1:$NORELAY_PORT/inet=127.0.0.1:$NORELAY_PORT inet n - n - - smtpd"
  "${pc[@]}" -Pe "127.0.0.1:$NORELAY_PORT/inet/smtpd_relay_restrictions=reject_unauth_destination"
  # LMTP delivery of REPORT_DOMAIN to the Dovecot of this WORKDIR, if it runs (dovecot.env)
  local lmtp_port="" report_users="" report_domain=""
  if [ -f "$WORKDIR/dovecot.env" ]; then
    lmtp_port=$(sed -n 's/^LMTP_PORT=//p' "$WORKDIR/dovecot.env")
    report_users=$(sed -n 's/^REPORT_USERS=//p' "$WORKDIR/dovecot.env")
  fi
  if [ -n "$lmtp_port" ] && [ -n "$report_users" ]; then
    report_domain=${report_users##*@}
    tr ',' '\n' <<<"$report_users" | sed 's/$/ OK/' >"$etc/report-users"
    "${pc[@]}" -e "virtual_mailbox_domains=$report_domain" "virtual_mailbox_maps=texthash:$etc/report-users" \
      "virtual_transport=lmtp:inet:127.0.0.1:$lmtp_port"
  fi
  "${pc[@]}" -F '*/*/chroot = n'
  chown postfix "$lib"
  make_traversable "$P" postfix                          # daemons drop to the postfix user

  note "starting postfix (SMTP 127.0.0.1:$SMTP_PORT and $NORELAY_PORT, relay to dead port $DEAD_PORT,"\
" ${report_domain:-no domain} over LMTP${lmtp_port:+ to 127.0.0.1:$lmtp_port}), log $maillog"
  # The postfix command only reports errors on a tty (otherwise to syslog): run it under script(1).
  script -qec "postfix -c '$etc' start" /dev/null </dev/null >"$P/start.log" 2>&1 || {
    cat "$P/start.log" >&2; tail -n 20 "$maillog" >&2 2>/dev/null || true; die "postfix start failed"; }
  local i; for ((i = 0; i < 50; i++)); do [ -s "$pidfile" ] && break; sleep 0.2; done
  wait_port 127.0.0.1 "$SMTP_PORT" "$maillog" 30 "$pidfile"
  wait_port 127.0.0.1 "$NORELAY_PORT" "$maillog" 30 "$pidfile"

  write_env "$WORKDIR/postfix.env" SMTP_HOST=127.0.0.1 "SMTP_PORT=$SMTP_PORT" "DEAD_PORT=$DEAD_PORT" \
    "NORELAY_PORT=$NORELAY_PORT" "CONFIG_DIR=$etc" "QUEUE_DIR=$spool" "MAILLOG=$maillog" \
    "SYSLOG_NAME=$SYSLOG_NAME" "REPORT_DOMAIN=$report_domain"
}

stop() {
  # `postfix stop` = SIGTERM to the master in the pid file; the master then ends its children
  stop_pidfile "$WORKDIR/postfix/spool/pid/master.pid" 20
  local link; link=$(cat "$WORKDIR/postfix/qdir-link" 2>/dev/null || true)
  if [ -n "$link" ] && [ -L "$link" ]; then rm -f "$link" "$WORKDIR/postfix/qdir-link"; fi
}

"$1"
