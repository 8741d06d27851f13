#!/usr/bin/env bash
# Runs tertulia-bluesky's real-network tests: installs a local Bluesky network (PLC, PDS,
# AppView from npm `@atproto/dev-env`, with its own PostgreSQL from apt) if it is not
# installed yet, starts it on 127.0.0.1 in the background, waits until it answers, runs the
# tests that need it (`--ignored`) and the cross-posting example against it, and stops it,
# whatever happened. Works on a fresh Debian machine as root; about 3 minutes the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
NETWORK=scripts/bluesky-network

step() { printf '\n== %s\n' "$*"; }

step "bluesky network: install"
bash "$NETWORK/setup.sh"

step "bluesky network: start"
trap 'step "bluesky network: stop"; bash "$NETWORK/stop.sh"' EXIT
eval "$(bash "$NETWORK/start.sh")"

step "tertulia-bluesky against the real network"
cargo test -p tertulia-bluesky --test real_network -- --ignored

step "examples/cross_post.rs against the real network"
# A fresh account on the local PDS, and a 1x1 PNG to attach.
HANDLE="cafe$(date +%s).test"
curl -sf -X POST "$TERTULIA_BSKY_PDS_URL/xrpc/com.atproto.server.createAccount" \
  -H 'content-type: application/json' \
  -d "{\"handle\":\"$HANDLE\",\"email\":\"$HANDLE@example.com\",\"password\":\"una-clave-larga-de-prueba\"}" >/dev/null
IMAGE="$(mktemp --suffix=.png)"
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82' > "$IMAGE"
TERTULIA_BLUESKY_SERVICE="$TERTULIA_BSKY_PDS_URL" TERTULIA_BLUESKY_HANDLE="$HANDLE" \
TERTULIA_BLUESKY_PASSWORD=una-clave-larga-de-prueba TERTULIA_BLUESKY_WEB="$TERTULIA_BSKY_APPVIEW_URL" \
  cargo run -q --example cross_post --features bluesky,mastodon,text -- \
    --text "Abrimos a las 8 ☕ #CaféTertulia https://example.com" --language es \
    --image "$IMAGE" --alt "Un píxel de prueba"
rm -f "$IMAGE"
