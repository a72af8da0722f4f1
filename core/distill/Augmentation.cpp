// SPDX-License-Identifier: GPL-3.0-or-later
#include "distill/Augmentation.h"

#include "util/Hash.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace ssondo {

void specAugment(at::Tensor& mel, std::int64_t freqMask, std::int64_t timeMask, std::uint64_t stepSeed,
                 std::int64_t firstIndex)
{
    const std::int64_t F = mel.size(2), T = mel.size(3);
    for (std::int64_t b = 0; b < mel.size(0); ++b) {
        std::mt19937_64 rng(mixSeed(stepSeed, std::uint64_t(firstIndex + b) + 0x5bec));
        if (freqMask > 0) {
            const std::int64_t w = std::int64_t(rng() % std::uint64_t(std::min(freqMask, F)));
            const std::int64_t f0 = std::int64_t(rng() % std::uint64_t(std::max<std::int64_t>(1, F - w)));
            mel[b].slice(1, f0, f0 + w).zero_();
        }
        if (timeMask > 0) {
            const std::int64_t w = std::int64_t(rng() % std::uint64_t(std::min(timeMask, T)));
            const std::int64_t t0 = std::int64_t(rng() % std::uint64_t(std::max<std::int64_t>(1, T - w)));
            mel[b].slice(2, t0, t0 + w).zero_();
        }
    }
}

void mixup(at::Tensor& mel, at::Tensor& target, double alpha, std::mt19937_64& rng)
{
    if (alpha <= 0 || mel.size(0) < 2)
        return;
    std::gamma_distribution<double> g(alpha, 1.0);
    const double x = g(rng), y = g(rng);
    const double lam = x / std::max(1e-12, x + y);
    const at::Tensor perm =
        at::randperm(mel.size(0), at::TensorOptions().dtype(at::kLong).device(mel.device()));
    mel = lam * mel + (1 - lam) * mel.index_select(0, perm);
    target = lam * target + (1 - lam) * target.index_select(0, perm);
}

} // namespace ssondo
