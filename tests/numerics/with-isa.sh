#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# with-isa.sh SETTING COMMAND [ARG...]: runs COMMAND with LibTorch's kernels held to one instruction
# set and one thread count, so that the numerically sensitive tests are shown to hold on CPUs and
# thread counts other than the one at hand. Exits 77 (ctest: skipped) when this CPU lacks the
# instruction set. ATen's own kernels follow ATEN_CPU_CAPABILITY, oneDNN's DNNL_MAX_CPU_ISA,
# OpenBLAS's (Debian builds it for every core type) OPENBLAS_CORETYPE; OMP_NUM_THREADS sets the
# intra-op threads of the tests and of every ssondo process they start.
#   default-1t   scalar ATen kernels, oneDNN SSE4.1, OpenBLAS Nehalem, 1 thread
#   avx2-2t      AVX2 everywhere, 2 threads
#   avx512-1t    AVX-512 everywhere, 1 thread (needs avx512f/bw/vl/dq)
set -euo pipefail
setting=${1:?setting}
shift
flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
need() {
  for f in "$@"; do
    [[ "$flags" == *" $f "* ]] || { echo "with-isa.sh: this CPU has no $f: $setting skipped" >&2; exit 77; }
  done
}
case "$setting" in
  default-1t) export ATEN_CPU_CAPABILITY=default DNNL_MAX_CPU_ISA=SSE41 OPENBLAS_CORETYPE=Nehalem OMP_NUM_THREADS=1 ;;
  avx2-2t) need avx2 fma
           export ATEN_CPU_CAPABILITY=avx2 DNNL_MAX_CPU_ISA=AVX2 OPENBLAS_CORETYPE=Haswell OMP_NUM_THREADS=2 ;;
  avx512-1t) need avx512f avx512bw avx512vl avx512dq
             export ATEN_CPU_CAPABILITY=avx512 DNNL_MAX_CPU_ISA=AVX512_CORE OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=1 ;;
  *) echo "with-isa.sh: unknown setting $setting (default-1t, avx2-2t, avx512-1t)" >&2; exit 2 ;;
esac
echo "with-isa.sh $setting: ATEN_CPU_CAPABILITY=$ATEN_CPU_CAPABILITY DNNL_MAX_CPU_ISA=$DNNL_MAX_CPU_ISA OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE OMP_NUM_THREADS=$OMP_NUM_THREADS" >&2
exec "$@"
