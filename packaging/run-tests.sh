#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing (Debian 12), builds S-SONDO Workbench (Release) into build/ and runs the
# whole test suite with ctest, UI tests offscreen. Exits non-zero on any failure.
#   packaging/run-tests.sh                 workbench + CLI + all tests
#   packaging/run-tests.sh --server-too    also the server build (SSONDO_BUILD_UI=OFF) and its tests
# Environment: BUILD_DIR (default build), JOBS (default nproc), CTEST_ARGS (extra ctest arguments).
set -euo pipefail
cd "$(dirname "$0")/.."

server=0
for a in "$@"; do
  case "$a" in
    --server-too) server=1 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "run-tests.sh: unknown argument $a" >&2; exit 2 ;;
  esac
done

# ccache can reuse objects compiled with the LibTorch precompiled header only with this sloppiness.
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
packaging/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
export QT_QPA_PLATFORM=offscreen
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}

start=$(date +%s)
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$BUILD_DIR" --parallel "$JOBS"
echo "run-tests: build took $(( $(date +%s) - start )) s"
ctest --test-dir "$BUILD_DIR" -LE bench --output-on-failure -j "$JOBS" ${CTEST_ARGS:-}

if (( server )); then
  # The server build must not reference Qt Widgets or QCustomPlot anywhere.
  SERVER_DIR=${BUILD_DIR}-server
  cmake -S . -B "$SERVER_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSSONDO_BUILD_UI=OFF -DSSONDO_BUILD_BENCH=OFF
  if grep -qiE "Qt6Widgets|QtWidgets|qcustomplot" "$SERVER_DIR/build.ninja"; then
    echo "run-tests: the SSONDO_BUILD_UI=OFF build references Qt Widgets or QCustomPlot" >&2
    exit 1
  fi
  cmake --build "$SERVER_DIR" --parallel "$JOBS"
  # The numerics variants rerun the same core code under other instruction sets: the workbench build
  # above has already run them, so the server build runs every other test once (docs/decisions.md).
  ctest --test-dir "$SERVER_DIR" -LE "bench|numerics" --output-on-failure -j "$JOBS" ${CTEST_ARGS:-}
fi
echo "run-tests: all passed in $(( $(date +%s) - start )) s"
