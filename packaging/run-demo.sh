#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The S-SONDO Workbench demo from a bare Debian 12: installs what is missing, builds (Release) into
# build/, creates a demo workspace (a synthetic labelled dataset; nothing is downloaded) and opens
# the workbench on it. With --headless, or where there is no display, the same demo runs through
# the CLI and the script exits 0.
#   packaging/run-demo.sh [--headless] [WORKSPACE]      (default WORKSPACE: ./demo-workspace)
set -euo pipefail
cd "$(dirname "$0")/.."

headless=0
ws=""
for a in "$@"; do
  case "$a" in
    --headless) headless=1 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    -*) echo "run-demo.sh: unknown option $a" >&2; exit 2 ;;
    *) ws="$a" ;;
  esac
done
ws=${ws:-$PWD/demo-workspace}
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  headless=1
fi

# ccache can reuse objects compiled with the LibTorch precompiled header only with this sloppiness.
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
packaging/install-deps.sh --no-test-deps
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
targets=(ssondo)
(( headless )) || targets+=(ssondo-workbench)
cmake --build "$BUILD_DIR" --parallel "$(nproc)" --target "${targets[@]}"

"$BUILD_DIR/bin/ssondo" demo "$ws"
if (( headless )); then
  "$BUILD_DIR/bin/ssondo" -w "$ws" dataset show demo
  "$BUILD_DIR/bin/ssondo" -w "$ws" workspace show
  echo
  echo "Demo workspace ready: $ws (headless run; open it with $BUILD_DIR/bin/ssondo-workbench $ws)"
  exit 0
fi
exec "$BUILD_DIR/bin/ssondo-workbench" "$ws"
