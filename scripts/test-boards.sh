#!/usr/bin/env bash
# The wasm3 tier: runs when WASM3_DIR points at a wasm3 build (see README), says so when skipped.
set -euo pipefail
if [ -z "${WASM3_DIR:-}" ]; then
  echo "SKIPPED wasm3 tier: WASM3_DIR is not set (see README, 'Running the core in wasm3')"
  exit 0
fi
make -C boards/linux WASM3_DIR="$WASM3_DIR"
for build in pure host; do
  boards/linux/build/wasmpeer-linux selftest "build/core-$build.wasm"
done
