#!/usr/bin/env bash
# Private PostgreSQL cluster for integration tests on 127.0.0.1:PG_PORT (default 15432).
# usage: scripts/interop/postgresql.sh install|start|stop WORKDIR
#   layout: WORKDIR/pg/{data,run,postgresql.log}; owned by the postgres OS user, because
#   initdb/postgres refuse to run as root. If WORKDIR's parents are not searchable by
#   postgres (mktemp -d / @TempDir are 0700), o+x is added to them (search only, no listing).
#   role/database: mailops / mailops, password mailops (scram-sha-256 over TCP);
#   the postgres superuser can connect without password only over the private unix socket.
#   writes WORKDIR/postgresql.env (PG_URL PG_USER PG_PASSWORD PG_HOST PG_PORT PG_DATABASE)
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
. "$HERE/lib.sh"
require_root
usage_and_workdir "$@"

PORT=${PG_PORT:-15432}

# Newest installed server version's bin dir, e.g. /usr/lib/postgresql/15/bin
pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }

install() {
  local bin; bin=$(pg_bindir)
  if [ -n "$bin" ] && [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ]; then
    note "postgresql already installed: $("$bin/postgres" --version)"; return 0
  fi
  # Debian's postinst creates a "main" cluster (:5432) but, with policy-rc.d, does not start it.
  apt_install postgresql
  stop_system_service postgresql
}

pg() { runuser -u postgres -- "$@"; }   # run a command as the postgres OS user

start() {
  local bin; bin=$(pg_bindir)
  [ -n "$bin" ] && [ -x "$bin/initdb" ] || die "postgresql not installed: run $0 install"
  local G=$WORKDIR/pg
  local data=$G/data log=$G/postgresql.log
  ! pidfile_alive "$data/postmaster.pid" || die "postgresql already running for $WORKDIR; stop it first"
  port_free "$PORT"
  mkdir -p "$G"
  local run; run=$(short_dir "$G/run" pg-run)            # socket path must stay < 108 bytes
  chown postgres:postgres "$G" "$run"; chmod 700 "$run"
  make_traversable "$G" postgres

  if [ ! -s "$data/PG_VERSION" ]; then
    note "initdb $data"
    mkdir -p "$data"; chown postgres:postgres "$data"; chmod 700 "$data"
    pg "$bin/initdb" -D "$data" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$G/initdb.log" 2>&1 \
      || { tail -n 30 "$G/initdb.log" >&2; die "initdb failed"; }
    # private test instance: listen on loopback only, socket inside WORKDIR, fast and unsafe I/O
    cat >>"$data/postgresql.conf" <<EOF

# --- added by scripts/interop/postgresql.sh ---
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$run'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
EOF
    # pg_hba.conf from initdb: local=trust, host=scram-sha-256 (only 127.0.0.1 is listened on)
  fi

  note "starting postgresql on 127.0.0.1:$PORT, log $log"
  pg "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 -o "-p $PORT -k '$run'" start </dev/null >"$G/pg_ctl.log" 2>&1 \
    || { cat "$G/pg_ctl.log" >&2; tail -n 30 "$log" >&2 2>/dev/null; die "pg_ctl start failed"; }
  wait_port 127.0.0.1 "$PORT" "$log" 30 "$data/postmaster.pid"

  # role + database (idempotent, so a restart of an existing cluster also works)
  local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$run" -p "$PORT" -U postgres -d postgres)
  pg "${psql[@]}" <<'SQL' >>"$G/pg_ctl.log" 2>&1 || { cat "$G/pg_ctl.log" >&2; die "creating role/database mailops failed"; }
SELECT 'CREATE ROLE mailops LOGIN CREATEDB' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mailops') \gexec
ALTER ROLE mailops PASSWORD 'mailops';
SELECT 'CREATE DATABASE mailops OWNER mailops' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'mailops') \gexec
SQL

  write_env "$WORKDIR/postgresql.env" "PG_URL=jdbc:postgresql://127.0.0.1:$PORT/mailops" \
    PG_USER=mailops PG_PASSWORD=mailops PG_HOST=127.0.0.1 "PG_PORT=$PORT" PG_DATABASE=mailops
}

stop() {
  local G=$WORKDIR/pg bin; bin=$(pg_bindir)
  local pidfile=$G/data/postmaster.pid
  if [ -n "$bin" ] && pidfile_alive "$pidfile"; then
    # fast shutdown: roll back open transactions, disconnect clients, stop the postmaster
    pg "$bin/pg_ctl" -D "$G/data" -m fast -w -t 30 stop </dev/null >&2 || stop_pidfile "$pidfile" 15
  else
    note "postgresql not running for $WORKDIR"
  fi
  if [ -L "$G/run" ]; then rm -rf "$(readlink "$G/run")"; rm -f "$G/run"; fi
}

"$1"
