#!/usr/bin/env bash
# The wasm3 tier: runs when WASM3_DIR points at a wasm3 build (see boards/linux/README.md),
# says so in one line when skipped. Builds boards/linux (wasm3 + mbedTLS), then runs the
# selftest of both core builds and of the host-imports test entry in wasm3, then `serve` as a
# peer against werift and Chromium; fails if any fails.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ -z "${WASM3_DIR:-}" ]; then
  echo "SKIPPED wasm3 tier: WASM3_DIR is not set (see boards/linux/README.md)"
  exit 0
fi
make -C boards/linux WASM3_DIR="$WASM3_DIR" ${WASM3_BUILD:+WASM3_BUILD="$WASM3_BUILD"} || exit 1

host=boards/linux/build/wasmpeer-linux
failed=0
run() {
  echo "== wasm3: $host selftest $1"
  "$host" selftest "$1" || failed=1
}
run build/core-pure.wasm
run build/core-host.wasm
# The mbedTLS provider against the known answers Node's provider passes (test/core/hostimports.test.ts).
if [ -f build/test/entry_hostimports-host.wasm ]; then
  run build/test/entry_hostimports-host.wasm
else
  echo "(no build/test/entry_hostimports-host.wasm: run 'node scripts/build-test-entries.mjs hostimports' to check the mbedTLS provider too)"
fi
# The interpreted core as a real peer: `wasmpeer-linux serve` against werift and headless Chromium
# (test/host/boards-peer.test.ts; bundled by `make build`).
if [ -f build/js/test/host/boards-peer.test.mjs ]; then
  echo "== wasm3: $host serve against werift and Chromium"
  WASM3_DIR="$WASM3_DIR" node --test --test-reporter=spec build/js/test/host/boards-peer.test.mjs || failed=1
else
  echo "(no build/js/test/host/boards-peer.test.mjs: run 'make build' to test 'serve' too)"
fi
# The ESP32-S3 project's host-side check: its shared sources under its defines (see boards/esp32s3).
echo "== esp32s3: scripts/esp32s3.sh check"
WASM3_DIR="$WASM3_DIR" bash scripts/esp32s3.sh check || failed=1
if [ "$failed" != 0 ]; then
  echo "wasm3 tier FAILED"
  exit 1
fi
echo "wasm3 tier ok ($("$host" --help | tail -1))"
