#!/usr/bin/env bash
# Runs the networks' conformance data (twitter-text, Bluesky rich text, Mastodon status
# length) against tertulia-text. Prints one "N passed, M failed" line per file and section
# and fails if any case fails.
#
# Usage: .ci/text-conformance.sh [CONFORMANCE_DIR]   (default: ../shared/conformance,
# relative to the repository root)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$root/../shared/conformance}"
if [ ! -d "$dir" ]; then
    echo "conformance data not found at $dir" >&2
    exit 1
fi
dir="$(cd "$dir" && pwd)"
cd "$root"
cargo run --quiet -p tertulia-text --example conformance -- "$dir"
