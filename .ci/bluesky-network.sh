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
