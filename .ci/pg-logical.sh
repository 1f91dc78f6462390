#!/usr/bin/env bash
# A throwaway PostgreSQL cluster with wal_level=logical, for the change-capture tests (PostgresCdcSourceIT):
# 127.0.0.1:55432 only, trust authentication, superuser 'postgres', data in a temporary directory.
# Uses the PostgreSQL binaries already installed (Debian's package: /usr/lib/postgresql/<version>/bin).
#   .ci/pg-logical.sh start   (already running: exits 0; waits until it accepts connections)
#   .ci/pg-logical.sh stop
# Environment: PG_LOGICAL_DIR (default /tmp/fundament-pg-logical), PG_LOGICAL_PORT (default 55432).
set -euo pipefail
DIR="${PG_LOGICAL_DIR:-/tmp/fundament-pg-logical}"
PORT="${PG_LOGICAL_PORT:-55432}"
DATA="$DIR/data"

BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [[ -z "$BIN" || ! -x "$BIN/initdb" ]]; then
  echo "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin; install Debian's 'postgresql' package" >&2
  exit 1
fi

# initdb and postgres refuse to run as root: as root, run them as the 'postgres' system user.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

ready() {
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"
}

case "${1:-}" in
  start)
    if ready; then
      echo "PostgreSQL (logical) already on 127.0.0.1:$PORT"
      exit 0
    fi
    mkdir -p "$DIR"
    if [[ "$(id -u)" == 0 ]]; then chown postgres: "$DIR"; fi
    if [[ ! -f "$DATA/PG_VERSION" ]]; then
      rm -rf "$DATA"
      as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || {
        cat "$DIR/initdb.log" >&2
        exit 1
      }
      as_owner tee -a "$DATA/postgresql.conf" >/dev/null <<CONF
# fundament: change-capture tests
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
wal_level = logical
max_replication_slots = 20
max_wal_senders = 20
max_connections = 50
shared_buffers = 64MB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    fi
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 start >/dev/null || {
      tail -20 "$DIR/server.log" >&2
      exit 1
    }
    ready
    echo "PostgreSQL (logical) on 127.0.0.1:$PORT, data in $DATA"
    ;;
  stop)
    if [[ -f "$DATA/postmaster.pid" ]]; then
      as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null || true
    fi
    ;;
  *)
    echo "usage: $0 start | stop" >&2
    exit 64
    ;;
esac
