#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks the code against an official CUDA LibTorch 2.x (the one inside a pip PyTorch) on a GPU
# machine that has PyTorch but not this project's other dependencies:
#   1. every core/ and app/cli/ source compiles against its headers (syntax only; FAISS, libsndfile,
#      soxr, SQLite, toml++, nlohmann-json and CLI11 headers are copied beforehand into
#      .devhdr/include: cp -r /usr/include/{faiss,toml++,nlohmann,CLI} /usr/include/{sndfile.h,
#      sndfile.hh,soxr.h,sqlite3.h,zlib.h,zconf.h} .devhdr/include/);
#   2. the torch-only parts (device choice, log-mel front end, the three students, the mapping head)
#      link against libtorch_cuda, `--device auto` resolves to cuda, and GPU outputs match the CPU.
# Environment: QUICK=1 skips step 1; TRAINMODE=1 compares in training mode (BatchNorm on batch
# statistics: randomly initialised students otherwise output values near 1e-13, where float
# rounding dominates any comparison). Writes the syntax results to $OUT when set.
# Run from the repository root: bash packaging/check-cuda-libtorch.sh
set -u
T=$(python3 -c "import torch,os;print(os.path.dirname(torch.__file__))")
ABI=$(python3 -c "import torch;print(int(torch._C._GLIBCXX_USE_CXX11_ABI))")
echo "torch $(python3 -c 'import torch;print(torch.__version__, torch.version.cuda)') abi=$ABI at $T"
nvidia-smi --query-gpu=name --format=csv,noheader
FLAGS="-std=c++17 -O1 -D_GLIBCXX_USE_CXX11_ABI=$ABI -DTOML_HEADER_ONLY=1 -Icore -Iapp -I.devhdr/include -isystem $T/include -isystem $T/include/torch/csrc/api/include -w"
if [ -z "${QUICK:-}" ]; then
ls core/*/*.cpp app/cli/*.cpp > /tmp/srcs
echo "syntax check of $(wc -l < /tmp/srcs) files"
cat /tmp/srcs | xargs -P 16 -I{} sh -c "g++ $FLAGS -fsyntax-only {} 2> /tmp/err_\$(echo {} | tr / _) && echo OK {} || echo FAIL {}" > "${OUT:-/tmp}/syntax.txt"
grep -c '^OK' "${OUT:-/tmp}/syntax.txt"; grep '^FAIL' "${OUT:-/tmp}/syntax.txt"
for f in /tmp/err_*; do [ -s "$f" ] && { echo "== $f"; grep -m5 error "$f"; }; done | head -60
fi
cat > /tmp/gpu_main.cpp <<'CPP'
#include "audio/LogMelFrontEnd.h"
#include "students/MappingHead.h"
#include "students/StudentRegistry.h"
#include "util/Device.h"
#include <torch/torch.h>
#include <ATen/Context.h>
#include <chrono>
#include <cstdio>
using namespace ssondo;
int main() {
  const std::string dev = resolveDevice("auto");
  std::printf("resolveDevice(auto) = %s\n", dev.c_str());
  torch::manual_seed(0);
  const at::Tensor wav = torch::randn({4, 320000}) * 0.1;
  LogMelFrontEnd fe;
  const at::Tensor melCpu = fe.forward(wav);
  const at::Tensor melGpu = fe.forward(wav.to(torch::Device(dev))).cpu();
  std::printf("front end [%ld,%ld,%ld,%ld] max |cpu-gpu| %.3g\n", melCpu.size(0), melCpu.size(1), melCpu.size(2), melCpu.size(3), (melCpu - melGpu).abs().max().item<double>());
  for (int tf32 = getenv("TRAINMODE") ? 0 : 1; tf32 >= 0; --tf32) {
  at::globalContext().setAllowTF32CuDNN(tf32);
  at::globalContext().setAllowTF32CuBLAS(tf32);
  std::printf("TF32 %s\n", tf32 ? "allowed (LibTorch default for cuDNN)" : "off");
  for (const char* arch : {"mn10", "dymn10", "eres2net"}) {
    auto s = StudentRegistry::instance().create(arch, StudentOptions{1.0, 16});
    if (getenv("TRAINMODE")) s->train(); else s->eval(); // train mode: BN on batch statistics, activations O(1)
    torch::NoGradGuard ng;
    torch::manual_seed(1);
    const at::Tensor cpu = s->forward(melCpu);
    s->to(torch::Device(dev));
    const at::Tensor x = melCpu.to(torch::Device(dev));
    torch::manual_seed(1);
    at::Tensor gpu = s->forward(x);
    const at::Tensor first = gpu.cpu();
    if (dev != "cpu") torch::cuda::synchronize();
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 10; ++i) gpu = s->forward(x);
    if (dev != "cpu") torch::cuda::synchronize();
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / 10;
    const double rel = ((cpu - first).norm() / cpu.norm()).item<double>();
    std::printf("%-8s %ld params, out [%ld,%ld], |cpu| %.3g, rel |cpu-gpu| %.2e, %.2f ms per batch of 4 x 10 s on %s\n", arch, parameterCount(*s), gpu.size(0), gpu.size(1), cpu.norm().item<double>(), rel, ms, dev.c_str());
  }
  }
  MappingHead head(MappingHeadOptions(960, 3840));
  head->to(torch::Device(dev));
  std::printf("head %ld params\n", parameterCount(*head));
  return 0;
}
CPP
SRC="core/util/Device.cpp core/audio/LogMelFrontEnd.cpp core/audio/MelFilterBank.cpp core/students/MobileNetV3.cpp core/students/DyMN.cpp core/students/ERes2Net.cpp core/students/MappingHead.cpp core/students/StudentRegistry.cpp"
g++ $FLAGS -O2 /tmp/gpu_main.cpp $SRC -o /tmp/gpu_main -L$T/lib -Wl,-rpath,$T/lib -ltorch -ltorch_cpu -ltorch_cuda -lc10 -lc10_cuda -Wl,--no-as-needed -ltorch_cuda 2>&1 | grep -m20 -E "error|undefined" 
/tmp/gpu_main
