# shellcheck shell=bash
# Shared helpers for scripts/interop/*.sh (sourced, not executed).
# Helpers report fatal problems with die(); callers run under `set -euo pipefail`.

die() { echo "ERROR: $*" >&2; exit 1; }
note() { echo "[$(basename "$0" .sh)] $*" >&2; }

require_root() { [ "$(id -u)" = 0 ] || die "must run as root (CI runs as root)"; }

# usage_and_workdir ACTION [WORKDIR] -> sets global WORKDIR (absolute, created).
usage_and_workdir() {
  case "${1:-}" in
    install) return 0 ;;
    start|stop) [ -n "${2:-}" ] || die "usage: $0 install|start|stop WORKDIR" ;;
    *) die "usage: $0 install|start|stop WORKDIR" ;;
  esac
  if [ "$1" = stop ] && [ ! -d "$2" ]; then note "$2 does not exist: nothing to stop"; exit 0; fi
  mkdir -p "$2"
  # shellcheck disable=SC2034  # WORKDIR is used by the sourcing script
  WORKDIR=$(cd "$2" && pwd -P)
}

# apt_install PKG...: non-interactive install that never starts services.
# A temporary policy-rc.d (exit 101) makes invoke-rc.d/deb-systemd-invoke skip starts.
apt_install() {
  local policy=/usr/sbin/policy-rc.d created=0 rc=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod 755 "$policy"; created=1; fi
  export DEBIAN_FRONTEND=noninteractive
  local opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=600
              -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  # Package lists may be missing on a fresh machine: update once and retry.
  apt-get install "${opts[@]}" "$@" || { apt-get update -q && apt-get install "${opts[@]}" "$@"; } || rc=$?
  [ "$created" = 0 ] || rm -f "$policy"
  [ "$rc" = 0 ] || die "apt-get install $* failed (rc=$rc)"
}

# stop_system_service NAME: make sure the distro's own instance is not running.
stop_system_service() {
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
    systemctl disable --now "$1" >/dev/null 2>&1 || true
  elif [ -x "/etc/init.d/$1" ]; then
    "/etc/init.d/$1" stop >/dev/null 2>&1 || true
  fi
}

# make_traversable DIR USER: give "others" search (x) permission on DIR and its ancestors
# when USER cannot reach DIR (e.g. mktemp -d / JUnit @TempDir dirs are mode 700).
# Only o+x is added (no read/list), so directory contents stay private.
make_traversable() {
  local d=$1 user=$2
  runuser -u "$user" -- test -x "$d" 2>/dev/null && return 0
  while [ "$d" != / ]; do
    [ -n "$(find "$d" -maxdepth 0 -perm -o+x)" ] || { note "chmod o+x $d (so $user can reach the work dir)"; chmod o+x "$d"; }
    d=$(dirname "$d")
  done
  runuser -u "$user" -- test -x "$1" || die "user $user still cannot reach $1"
}

# port_free PORT: die if something already listens on 127.0.0.1:PORT (e.g. a leftover instance).
port_free() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    die "127.0.0.1:$1 is already in use (leftover instance? run '$0 stop WORKDIR' or pick another port)"
  fi
}

# wait_port HOST PORT LOG [SECONDS] [PIDFILE]: wait until HOST:PORT accepts TCP connections.
wait_port() {
  local host=$1 port=$2 log=$3 secs=${4:-30} pidfile=${5:-} i
  for ((i = 0; i < secs * 5; i++)); do
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then return 0; fi
    if [ -n "$pidfile" ] && [ -s "$pidfile" ] && ! pidfile_alive "$pidfile"; then
      break   # the server died: no point in waiting longer
    fi
    sleep 0.2
  done
  echo "ERROR: $host:$port did not accept connections within ${secs}s. Tail of $log:" >&2
  tail -n 40 "$log" >&2 2>/dev/null || echo "(no log at $log)" >&2
  exit 1
}

# alive PID: true if PID runs (a zombie waiting to be reaped by init counts as dead).
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

# pidfile_alive PIDFILE: true if PIDFILE exists and its first line names a live process.
pidfile_alive() { [ -s "$1" ] && alive "$(head -n1 "$1" | tr -dc 0-9)"; }

# stop_pidfile PIDFILE [SECONDS]: SIGTERM the pid in PIDFILE, wait, then SIGKILL. Tolerant.
stop_pidfile() {
  local pidfile=$1 secs=${2:-15} pid i
  [ -s "$pidfile" ] || { note "no pid file $pidfile (not running)"; return 0; }
  pid=$(head -n1 "$pidfile" | tr -dc 0-9)
  if [ -z "$pid" ] || ! alive "$pid"; then
    note "pid ${pid:-?} from $pidfile is not running"; rm -f "$pidfile"; return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < secs * 5; i++)); do alive "$pid" || break; sleep 0.2; done
  if alive "$pid"; then note "pid $pid ignored SIGTERM, sending SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$pidfile"; note "stopped pid $pid"
}

# write_env FILE KEY=VALUE...: one KEY=VALUE per line, written atomically.
write_env() {
  local file=$1; shift
  printf '%s\n' "$@" >"$file.tmp" && mv -f "$file.tmp" "$file"
  note "wrote $file"
}

# short_dir PREFERRED NAME: echo PREFERRED, or a short /tmp dir if PREFERRED is too long for
# unix socket paths (sun_path is 108 bytes). The fallback is recorded in PREFERRED.link.
short_dir() {
  local want=$1 name=$2
  if [ "${#want}" -le 70 ]; then mkdir -p "$want"; echo "$want"; return; fi
  local d; d=$(mktemp -d "/tmp/$name.XXXXXX"); chmod 755 "$d"
  ln -sfn "$d" "$want"; echo "$d"
}
