// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "students/StudentBackbone.h"

#include <torch/arg.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/container/sequential.h>

#include <string>
#include <vector>

namespace ssondo {

struct DyMNOptions
{
    /// channel multiplier: 1.0 gives dymn10 (8,643,312 backbone parameters, 960-d embedding)
    TORCH_ARG(double, width_mult) = 1.0;
    /// softmax temperature of the dynamic convolutions' kernel attention (S-SONDO keeps 30)
    TORCH_ARG(double, temperature) = 30.0;
};

/// Dynamic MobileNet (Schmid et al., "Dynamic convolutional neural networks as efficient pre-trained
/// audio models", TASLP 2024; EfficientAT's "dymn"): mn10's channel layout with every block dynamic —
/// a context generator (joint frequency/time sequence conv, hardswish) parameterises dynamic
/// convolutions (4 kernels mixed by softmax(linear(context) / 30)), Dynamic ReLU-B (2 pieces) after
/// the depthwise conv, and coordinate attention. Keys follow EfficientAT (`in_c`, `layers.N`,
/// `out_c`), so its ImageNet-pretrained state dicts load key for key.
class DyMNImpl : public StudentBackbone
{
public:
    explicit DyMNImpl(DyMNOptions options = {});

    /// mel: [B, 1, mels, frames] → [B, embeddingDim()].
    at::Tensor forward(at::Tensor mel) override;
    std::int64_t embeddingDim() const override { return m_embeddingDim; }
    std::string architecture() const override;
    const DyMNOptions& options() const { return m_options; }

    torch::nn::ModuleList layers{nullptr};
    torch::nn::Sequential in_c{nullptr};
    torch::nn::Sequential out_c{nullptr};

private:
    DyMNOptions m_options;
    std::int64_t m_embeddingDim = 0;
    std::vector<std::string> m_blockNames; ///< profile names of the blocks (their parameter prefixes)
};
TORCH_MODULE(DyMN);

} // namespace ssondo
