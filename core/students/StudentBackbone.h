// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/nn/module.h>

#include <cstdint>
#include <string>

namespace ssondo {

/// A student network without its mapping head: log-mel in, one embedding per input out.
/// This is what is evaluated and deployed after distillation.
class StudentBackbone : public torch::nn::Module
{
public:
    /// mel: [B, 1, n_mels, frames] log-mel (LogMelFrontEnd defaults) → [B, embeddingDim()].
    virtual at::Tensor forward(at::Tensor mel) = 0;
    virtual std::int64_t embeddingDim() const = 0;
    /// Registry name, e.g. "mn10".
    virtual std::string architecture() const = 0;
};

/// Number of parameters of a module (trainable or not).
std::int64_t parameterCount(const torch::nn::Module& module);

} // namespace ssondo

namespace ssondo {

/// Embeds clips cut into segments the S-SONDO way, the same for every student: the segments are
/// folded into the batch, embedded, and averaged per clip.
/// mel: [B, S, 1, mels, frames] (or [B, 1, mels, frames] for one segment) → [B, embeddingDim()].
at::Tensor embedSegments(StudentBackbone& student, const at::Tensor& mel);

} // namespace ssondo
