// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <random>

namespace ssondo {

/// SpecAugment: per sample, one frequency band and one time span set to 0, widths uniform in
/// [0, mask). mel: [B, 1, n_mels, frames], changed in place. The masks of sample i depend only on
/// (stepSeed, firstIndex + i), its position in the global batch, so data-parallel ranks mask what
/// one process would.
void specAugment(at::Tensor& mel, std::int64_t freqMask, std::int64_t timeMask, std::uint64_t stepSeed,
                 std::int64_t firstIndex);

/// Mixup (Zhang et al., ICLR 2018): λ ~ Beta(alpha, alpha) from `rng`, the batch mixed with a
/// random permutation of itself (torch's generator), inputs and targets alike. mel [B, ...],
/// target [B, D]; a batch of one is left alone.
void mixup(at::Tensor& mel, at::Tensor& target, double alpha, std::mt19937_64& rng);

} // namespace ssondo
