#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# ASan + UBSan build of the core, the CLI and their tests (no Qt Widgets), then the tests with leak
# detection on and UBSan fatal. Slow: every LibTorch source compiled again with instrumentation
# (about 25 min on 2 cores).
#   packaging/run-sanitizers.sh [ctest arguments, e.g. -L core]
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSSONDO_SANITIZE=ON \
  -DSSONDO_BUILD_UI=OFF -DSSONDO_BUILD_BENCH=OFF
cmake --build build-asan --parallel "${JOBS:-$(nproc)}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir build-asan --output-on-failure -j "${JOBS:-$(nproc)}" "$@"
