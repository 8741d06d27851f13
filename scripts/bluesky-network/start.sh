#!/usr/bin/env bash
# Starts the local Bluesky network installed by setup.sh in the background, waits until it
# answers, and writes the addresses tests read to $TERTULIA_BSKY_STATE/env:
#   TERTULIA_BSKY_PDS_URL, TERTULIA_BSKY_APPVIEW_URL, TERTULIA_BSKY_CONTROL_URL
# Source that file (or `eval "$(start.sh)"`: the same lines are printed on stdout) before
# `cargo test -p tertulia-bluesky --test real_network -- --ignored`.
# Idempotent: when the network already runs, it only prints the addresses again.
# Every start begins with an empty network. stop.sh stops it.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/common.sh"
READY_TIMEOUT="${TERTULIA_BSKY_READY_TIMEOUT:-120}"
CONTROL_URL="http://127.0.0.1:$BSKY_CONTROL_PORT"

print_env() {
  cat "$BSKY_ENV_FILE"
}

running() {
  [ -f "$BSKY_PID_FILE" ] && kill -0 "$(cat "$BSKY_PID_FILE")" 2>/dev/null
}

if running && curl -sf -o /dev/null "$CONTROL_URL/"; then
  say "already running (pid $(cat "$BSKY_PID_FILE"))" >&2
  print_env
  exit 0
fi

if [ ! -d "$BSKY_NET_HOME/node_modules/@atproto/dev-env" ] || [ ! -x "$BSKY_NODE_BIN/node" ]; then
  say "not installed: run $HERE/setup.sh first" >&2
  exit 1
fi
for p in "$BSKY_PLC_PORT" "$BSKY_PDS_PORT" "$BSKY_APPVIEW_PORT" "$BSKY_OZONE_PORT" "$BSKY_CONTROL_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    say "port $p on 127.0.0.1 is already taken: stop what listens there or set TERTULIA_BSKY_*_PORT" >&2
    exit 1
  fi
done

mkdir -p "$BSKY_NET_STATE"
chmod 755 "$BSKY_NET_STATE"

# --- PostgreSQL: a cluster of our own, on loopback only, kept between starts.
PGDATA="$BSKY_NET_STATE/postgres"
PGSOCK="$BSKY_NET_STATE/pgsocket"
if ! "$BSKY_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$BSKY_PG_PORT"; then
  mkdir -p "$PGDATA" "$PGSOCK"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGDATA" "$PGSOCK"; fi
  chmod 700 "$PGDATA"
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    as_pg "$BSKY_PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  as_pg "$BSKY_PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $BSKY_PG_PORT -k $PGSOCK -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
  say "postgres started on 127.0.0.1:$BSKY_PG_PORT" >&2
fi

# --- The network: fresh PDS data and blobs under $TMPDIR, schemas dropped by network.mjs.
DATA="$BSKY_NET_STATE/data"
rm -rf "$DATA" && mkdir -p "$DATA"
rm -f "$BSKY_ENV_FILE" "$BSKY_NET_STATE/info.json"
# Node resolves the imports of an ES module from its own directory: run a copy that sits
# beside the installed node_modules.
cp "$HERE/network.mjs" "$BSKY_NET_HOME/network.mjs"
(
  cd "$BSKY_NET_HOME"
  export PATH="$BSKY_NODE_BIN:$PATH" TMPDIR="$DATA" LOG_ENABLED="${LOG_ENABLED:-false}"
  export DB_POSTGRES_URL="postgresql://postgres@127.0.0.1:$BSKY_PG_PORT/postgres"
  export PLC_PORT="$BSKY_PLC_PORT" PDS_PORT="$BSKY_PDS_PORT" APPVIEW_PORT="$BSKY_APPVIEW_PORT"
  export OZONE_PORT="$BSKY_OZONE_PORT" CONTROL_PORT="$BSKY_CONTROL_PORT"
  export INFO_FILE="$BSKY_NET_STATE/info.json" PID_FILE="$BSKY_PID_FILE"
  export RATE_LIMITS="${TERTULIA_BSKY_RATE_LIMITS:-0}"
  exec setsid node "$BSKY_NET_HOME/network.mjs" </dev/null >"$BSKY_LOG_FILE" 2>&1
) &
echo $! > "$BSKY_PID_FILE"
say "starting (pid $(cat "$BSKY_PID_FILE"), log $BSKY_LOG_FILE)" >&2

deadline=$(( $(date +%s) + READY_TIMEOUT ))
until curl -sf -o /dev/null "$CONTROL_URL/"; do
  if ! running; then
    say "the network exited during start; its log ends with:" >&2
    tail -n 40 "$BSKY_LOG_FILE" >&2
    exit 1
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    say "not ready after ${READY_TIMEOUT}s; its log ends with:" >&2
    tail -n 40 "$BSKY_LOG_FILE" >&2
    "$HERE/stop.sh" >&2 || true
    exit 1
  fi
  sleep 0.2
done
# The PDS and the AppView answer their health checks once the control server is up; check.
curl -sf -o /dev/null "http://127.0.0.1:$BSKY_PDS_PORT/xrpc/_health"
curl -sf -o /dev/null "http://127.0.0.1:$BSKY_APPVIEW_PORT/xrpc/_health"

cat > "$BSKY_ENV_FILE" <<ENV
export TERTULIA_BSKY_PDS_URL=http://127.0.0.1:$BSKY_PDS_PORT
export TERTULIA_BSKY_APPVIEW_URL=http://127.0.0.1:$BSKY_APPVIEW_PORT
export TERTULIA_BSKY_CONTROL_URL=$CONTROL_URL
ENV
say "$(tail -n 1 "$BSKY_LOG_FILE")" >&2
print_env
