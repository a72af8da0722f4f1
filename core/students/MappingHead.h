// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/arg.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

namespace ssondo {

struct MappingHeadOptions
{
    MappingHeadOptions(std::int64_t in, std::int64_t out) : in_features_(in), out_features_(out) {}
    /// student embedding dimension
    TORCH_ARG(std::int64_t, in_features);
    /// teacher embedding dimension
    TORCH_ARG(std::int64_t, out_features);
    /// hidden width (S-SONDO: 1280, as EfficientAT's classifier)
    TORCH_ARG(std::int64_t, hidden) = 1280;
    /// dropout after the hidden layer
    TORCH_ARG(double, dropout) = 0.2;
};

/// The S-SONDO mapping head: Linear(emb → 1280) → hardswish → dropout → Linear(1280 → teacher dim);
/// 6,149,120 parameters for 960 → 3840. Used only during distillation and thrown away after.
/// Keys `mlp.0.*`, `mlp.3.*` as the reference's `classification_head.mlp`.
class MappingHeadImpl : public torch::nn::Module
{
public:
    explicit MappingHeadImpl(MappingHeadOptions options);

    /// emb: [B, in] → [B, out]. With segments: [B, S, in] → mean over S of the mapped segments → [B, out].
    at::Tensor forward(const at::Tensor& emb);
    const MappingHeadOptions& options() const { return m_options; }

    torch::nn::Sequential mlp{nullptr};

private:
    MappingHeadOptions m_options;
};
TORCH_MODULE(MappingHead);

} // namespace ssondo
