#!/usr/bin/env bash
# Builds, flashes and checks boards/esp32s3, the ESP-IDF project that runs core-host.wasm in
# wasm3 on an ESP32-S3 (see boards/esp32s3/README.md).
#   scripts/esp32s3.sh build          make build (if build/core-host.wasm is missing), idf.py build
#   scripts/esp32s3.sh flash PORT     build, then flash over PORT (e.g. /dev/ttyUSB0, /dev/ttyACM0)
#   scripts/esp32s3.sh monitor PORT   the board's console (Ctrl-] quits)
#   scripts/esp32s3.sh menuconfig     Wi-Fi network, ports, sessions, stack sizes (menu "wasmpeer")
#   scripts/esp32s3.sh check          what can be checked without ESP-IDF or a board (needs WASM3_DIR)
# build/flash/monitor/menuconfig need ESP-IDF 5.1+ in the shell (idf.py, IDF_PATH); without it
# they exit 2 saying how to install it.
set -euo pipefail
cd "$(dirname "$0")/.."
project=boards/esp32s3

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

need_idf() {
  if [ -z "${IDF_PATH:-}" ] || ! command -v idf.py >/dev/null 2>&1; then
    cat >&2 <<'MSG'
ESP-IDF is not set up in this shell (IDF_PATH is unset or idf.py is not on PATH).
boards/esp32s3 needs ESP-IDF 5.1 or later with the esp32s3 toolchain. Install it once:
  git clone -b v5.3.2 --recursive https://github.com/espressif/esp-idf.git ~/esp/esp-idf
  ~/esp/esp-idf/install.sh esp32s3
then, in every new shell:
  . ~/esp/esp-idf/export.sh
and run this script again. Espressif's guide (other systems, the VS Code extension):
  https://docs.espressif.com/projects/esp-idf/en/stable/esp32s3/get-started/index.html
MSG
    exit 2
  fi
}

need_core() {
  if [ ! -f build/core-host.wasm ]; then
    echo "== no build/core-host.wasm: make build"
    make build
  fi
}

idf() { (cd "$project" && idf.py "$@"); }

# set-target rewrites sdkconfig from sdkconfig.defaults, so only when it is not esp32s3 yet.
configure() {
  need_idf
  if [ ! -f "$project/sdkconfig" ] || ! grep -q '^CONFIG_IDF_TARGET="esp32s3"' "$project/sdkconfig"; then
    idf set-target esp32s3
  fi
}

build() {
  need_core
  configure
  if ! grep -q '^CONFIG_WASMPEER_WIFI_SSID=".\+"' "$project/sdkconfig" 2>/dev/null; then
    echo "note: no Wi-Fi network configured yet: run '$0 menuconfig' (menu wasmpeer) before flashing" >&2
  fi
  idf build
}

# The host-side checks: the shared sources as the ESP32-S3 project compiles them (its defines,
# warnings as errors), then boards/linux built with those defines on the wasm3 that WASM3_DIR's
# own CMake build made, running the cores' self-tests with the Kconfig default wasm3 stack.
# ESP-IDF's headers are not faked: app_main.c, wifi_sta.c and platform_esp.c are only compiled by
# ESP-IDF, and wasm3's ESP32 settings only take effect there.
check() {
  : "${WASM3_DIR:?check needs WASM3_DIR, a wasm3 checkout built by its own CMake (see boards/linux/README.md)}"
  need_core
  local shared_defs stack_kib dflags
  shared_defs=$(sed -n 's/^set(WASMPEER_SHARED_DEFINES \(.*\))$/\1/p' "$project/main/CMakeLists.txt")
  stack_kib=$(awk '/config WASMPEER_WASM3_STACK_KIB/ {f=1} f && /default/ {print $2; exit}' "$project/main/Kconfig.projbuild")
  if [ -z "$shared_defs" ] || [ -z "$stack_kib" ]; then
    echo "check: could not read the defines or the wasm3 stack size from $project" >&2
    exit 1
  fi
  local -a list
  read -ra list <<< "$shared_defs"
  dflags=$(printf -- '-D%s ' "${list[@]}")
  echo "== esp32s3 check: shared defines: $shared_defs; wasm3 stack ${stack_kib} KiB"

  # 1. The shared sources, warnings as errors. MBEDTLS_CFLAGS=-I<mbedTLS 3.x>/include with
  #    MBEDTLS_LIBS=<its>/library/libmbedcrypto.a (boards/linux's knobs) checks them against the
  #    mbedTLS generation ESP-IDF 5.x ships; without them, the system's.
  if [ -n "${MBEDTLS_CFLAGS:-}" ] && [ -z "${MBEDTLS_LIBS:-}" ]; then
    echo "check: MBEDTLS_CFLAGS without MBEDTLS_LIBS would link other headers' library; set both" >&2
    exit 2
  fi
  local f failed=0
  for f in wasm_host.c imports_basic.c crypto_mbedtls.c peer_driver.c http_min.c posix_net.c peer_loop.c; do
    # shellcheck disable=SC2086 # the flag list is meant to split
    if ! cc -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Wno-unused-parameter -Werror -fsyntax-only $dflags \
         -Iboards/linux -I"$WASM3_DIR/source" ${MBEDTLS_CFLAGS:-} "boards/linux/$f"; then
      echo "FAIL syntax: boards/linux/$f" >&2
      failed=1
    fi
  done
  [ "$failed" = 0 ] && echo "ok   shared sources compile with -Werror under the esp32s3 defines (${MBEDTLS_CFLAGS:-system mbedTLS})"

  # 2. boards/linux with the same defines (functions compiled on first call, the board's buffers).
  make -s -C boards/linux WASM3_DIR="$WASM3_DIR" OUT=build/esp32s3-defines CFLAGS="-O2 -g $dflags"
  local bin=boards/linux/build/esp32s3-defines/wasmpeer-linux core
  # The two cores, and the host-crypto known answers when built (scripts/build-test-entries.mjs hostimports).
  for core in build/core-host.wasm build/core-pure.wasm build/test/entry_hostimports-host.wasm; do
    [ -f "$core" ] || continue
    echo "== $core under the esp32s3 defines (--stack-kib $stack_kib)"
    "$bin" --log-level 1 --stack-kib "$stack_kib" selftest "$core" || failed=1
  done
  if [ "$failed" != 0 ]; then
    echo "esp32s3 check FAILED"
    exit 1
  fi
  echo "esp32s3 check ok (not compiled for the chip: that needs ESP-IDF, see boards/esp32s3/README.md)"
}

case "${1:-}" in
  build) build ;;
  flash)
    [ $# -eq 2 ] || usage
    build
    idf -p "$2" flash
    ;;
  monitor)
    [ $# -eq 2 ] || usage
    need_idf
    idf -p "$2" monitor
    ;;
  menuconfig)
    configure
    idf menuconfig
    ;;
  check) check ;;
  *) usage ;;
esac
