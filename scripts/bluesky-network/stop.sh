#!/usr/bin/env bash
# Stops the network started by start.sh and its PostgreSQL. Idempotent: stopping a stopped
# network does nothing.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/common.sh"

if [ -f "$BSKY_PID_FILE" ]; then
  pid="$(cat "$BSKY_PID_FILE")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    # network.mjs closes its services within 10 s; give it a little more, then insist.
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      say "network (pid $pid) did not stop in 15 s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    say "network stopped"
  fi
  rm -f "$BSKY_PID_FILE" "$BSKY_ENV_FILE"
fi

PGDATA="$BSKY_NET_STATE/postgres"
if [ -f "$PGDATA/postmaster.pid" ]; then
  as_pg "$BSKY_PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null && say "postgres stopped"
fi
