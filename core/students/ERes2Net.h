// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "students/StudentBackbone.h"

#include "students/SyncBatchNorm.h"
#include <torch/arg.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>

#include <vector>

namespace ssondo {

struct ERes2NetOptions
{
    /// base channels (S-SONDO: 16 → 1,368,068 parameters, 1024-d embedding)
    TORCH_ARG(std::int64_t, m_channels) = 16;
    /// mel bins of the input (the pooled statistics size follows from it)
    TORCH_ARG(std::int64_t, feat_dim) = 128;
    /// blocks per layer; five entries add the fifth layer of the S-SONDO variant
    TORCH_ARG(std::vector<std::int64_t>, num_blocks) = std::vector<std::int64_t>{3, 4, 6, 3, 3};
};

/// ERes2Net (Chen et al., "An Enhanced Res2Net with Local and Global Feature Fusion for Speaker
/// Verification", Interspeech 2023) in the S-SONDO variant: Res2Net blocks (expansion 2, base width
/// 32, scale 2) with attentional feature fusion (AFF) inside the blocks of layers 3–5, bottom-up
/// AFF fusion between stages, ReLU clipped at 20 inside the blocks, and temporal statistics pooling
/// (mean and unbiased std over time) of the last fused map → 1024-d for m_channels 16.
/// Submodule names follow the reference (conv1, layerN.i.convs.j, fuse_mode12, ...).
class ERes2NetImpl : public StudentBackbone
{
public:
    explicit ERes2NetImpl(ERes2NetOptions options = {});

    /// mel: [B, 1, feat_dim, frames] → [B, embeddingDim()].
    at::Tensor forward(at::Tensor mel) override;
    std::int64_t embeddingDim() const override { return m_embeddingDim; }
    std::string architecture() const override;
    const ERes2NetOptions& options() const { return m_options; }

private:
    ERes2NetOptions m_options;
    std::int64_t m_embeddingDim = 0;
    torch::nn::Conv2d conv1{nullptr};
    SyncBatchNorm2d bn1{nullptr};
    std::vector<torch::nn::Sequential> m_layers;
    std::vector<torch::nn::Conv2d> m_downsample;
    std::vector<std::shared_ptr<torch::nn::Module>> m_fuse;
};
TORCH_MODULE(ERes2Net);

} // namespace ssondo
