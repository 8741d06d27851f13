#!/usr/bin/env bash
# Builds the tertulia-text fuzz target (fuzz/, a crate outside the workspace) on the stable
# toolchain and runs it: first on the seed inputs, then for a short coverage-guided session.
#
# The target is a cargo-fuzz target (libfuzzer-sys). cargo-fuzz itself needs nightly flags;
# here the same instrumentation is asked for with stable codegen options (sanitizer
# coverage through -Cpasses/-Cllvm-args), without AddressSanitizer. To fuzz at length:
#   cargo install cargo-fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run text
# or run this script with FUZZ_SECONDS set.
#
# Usage: .ci/text-fuzz.sh   (FUZZ_SECONDS, default 30)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/fuzz"
if ! command -v c++ >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq g++ >/dev/null
fi
export CARGO_TARGET_DIR="$root/target/fuzz"
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks"
# An explicit --target keeps RUSTFLAGS away from build scripts and proc macros.
host="$(rustc -vV | sed -n 's/^host: //p')"
cargo build --release --locked --bin text --target "$host"
target="$CARGO_TARGET_DIR/$host/release/text"
"$target" seeds/*
corpus="$(mktemp -d)"
cp seeds/* "$corpus/"
"$target" -max_total_time="${FUZZ_SECONDS:-30}" -max_len=2048 -timeout=10 "$corpus"
rm -rf "$corpus"
echo "fuzz/text: 1 passed, 0 failed"
