#!/usr/bin/env bash
# Install/start/stop all interop test servers: dovecot, postgresql, postfix, vsftpd, netsnmp.
# usage: scripts/interop/all.sh install|start|stop WORKDIR
#   start: in order; if one fails, the ones already started are stopped again and rc=1.
#   stop:  in reverse order, continuing on errors; rc=1 if any stop failed.
# Each server writes WORKDIR/NAME.env (see the individual scripts).
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
NAMES=(dovecot postgresql postfix vsftpd netsnmp)
ACTION=${1:-}
WORKDIR=${2:-}

case "$ACTION" in
  install)
    for n in "${NAMES[@]}"; do "$HERE/$n.sh" install; done ;;
  start)
    [ -n "$WORKDIR" ] || { echo "usage: $0 install|start|stop WORKDIR" >&2; exit 1; }
    started=()
    for n in "${NAMES[@]}"; do
      if "$HERE/$n.sh" start "$WORKDIR"; then
        started=("$n" "${started[@]}")
      else
        echo "ERROR: $n failed to start; stopping: ${started[*]:-nothing}" >&2
        for s in "${started[@]}"; do "$HERE/$s.sh" stop "$WORKDIR" || true; done
        exit 1
      fi
    done ;;
  stop)
    [ -n "$WORKDIR" ] || { echo "usage: $0 install|start|stop WORKDIR" >&2; exit 1; }
    rc=0
    for ((i = ${#NAMES[@]} - 1; i >= 0; i--)); do
      "$HERE/${NAMES[i]}.sh" stop "$WORKDIR" || { echo "WARN: stopping ${NAMES[i]} failed" >&2; rc=1; }
    done
    exit "$rc" ;;
  *) echo "usage: $0 install|start|stop WORKDIR" >&2; exit 1 ;;
esac
