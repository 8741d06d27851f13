# Shared settings for the local Bluesky network scripts. Sourced, not run.
# Every value can be overridden from the environment.

# Where node 22 and @atproto/dev-env are installed (kept between runs).
BSKY_NET_HOME="${TERTULIA_BSKY_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/tertulia/bluesky-network}"
# Where the running network keeps its state (wiped at each start). It must be reachable by
# the postgres user when the scripts run as root, hence not under a private home directory.
BSKY_NET_STATE="${TERTULIA_BSKY_STATE:-/tmp/tertulia-bluesky-network}"

BSKY_NODE_VERSION="22.23.3"          # the @atproto packages need node >= 22
BSKY_DEV_ENV_VERSION="0.6.7"         # @atproto/dev-env: PLC, PDS, AppView, bsync, Ozone
BSKY_PG_BIN="${TERTULIA_BSKY_PG_BIN:-/usr/lib/postgresql/15/bin}"

BSKY_PG_PORT="${TERTULIA_BSKY_PG_PORT:-55432}"
BSKY_PLC_PORT="${TERTULIA_BSKY_PLC_PORT:-2582}"
BSKY_PDS_PORT="${TERTULIA_BSKY_PDS_PORT:-2583}"
BSKY_APPVIEW_PORT="${TERTULIA_BSKY_APPVIEW_PORT:-2584}"
BSKY_OZONE_PORT="${TERTULIA_BSKY_OZONE_PORT:-2587}"
BSKY_CONTROL_PORT="${TERTULIA_BSKY_CONTROL_PORT:-2589}"

BSKY_NODE_BIN="$BSKY_NET_HOME/node/package/bin"
BSKY_PID_FILE="$BSKY_NET_STATE/network.pid"
BSKY_ENV_FILE="$BSKY_NET_STATE/env"
BSKY_LOG_FILE="$BSKY_NET_STATE/network.log"

say() { printf '[bluesky-network] %s\n' "$*"; }

# Runs a PostgreSQL binary as the postgres user when we are root (postgres refuses to run as
# root), as ourselves otherwise.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
