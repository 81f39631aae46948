#!/usr/bin/env bash
# Installs the Debian packages named on the command line when their command or file is missing.
# Usage: scripts/ensure-packages.sh PACKAGE[:PROBE] ...   PROBE is a command name or an absolute path
# (default: the package name as a command). Runs apt-get update at most once per call.
set -euo pipefail
missing=()
for spec in "$@"; do
  pkg="${spec%%:*}"
  probe="${spec#*:}"
  [ "$probe" = "$spec" ] && probe="$pkg"
  if [[ "$probe" == /* ]]; then [ -e "$probe" ] && continue; else command -v "$probe" >/dev/null 2>&1 && continue; fi
  missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
