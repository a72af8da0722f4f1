// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "students/StudentBackbone.h"

#include <torch/arg.h>
#include <torch/nn/modules/container/sequential.h>

#include <string>
#include <vector>

namespace ssondo {

/// Settings of the MobileNetV3 student (EfficientAT's "mn" models; mn10 = width 1.0).
struct MobileNetV3Options
{
    /// channel multiplier: 1.0 gives mn10 (2,971,664 backbone parameters), 0.4 mn04, 2.0 mn20...
    TORCH_ARG(double, width_mult) = 1.0;
    /// input channels (1 for a log-mel spectrogram)
    TORCH_ARG(std::int64_t, in_channels) = 1;
};

/// MobileNetV3 backbone as in EfficientAT (Schmid et al., "Efficient large-scale audio tagging via
/// transformer-to-CNN knowledge distillation", ICASSP 2023), adapted from Howard et al. 2019:
/// stem conv 3x3/2 + BN + hardswish, 15 inverted-residual blocks (reference/SSONDO.md's table),
/// channel squeeze-excitation where marked, a 1x1 conv to 6 x last channels, global average pool.
/// Submodule names follow EfficientAT's `features.N...` so its state dicts load key for key.
class MobileNetV3Impl : public StudentBackbone
{
public:
    explicit MobileNetV3Impl(MobileNetV3Options options = {});

    /// mel: [B, 1, 128, frames] → [B, 960 x width] (width-adjusted).
    at::Tensor forward(at::Tensor mel) override;
    /// mel → last feature map [B, C, F', T'] before pooling (960 x 4 x 20 for 128 x 624).
    at::Tensor featureMap(at::Tensor mel);
    std::int64_t embeddingDim() const override { return m_embeddingDim; }
    std::string architecture() const override;
    const MobileNetV3Options& options() const { return m_options; }

    /// EfficientAT's channel rounding: nearest multiple of 8, never 10% below v.
    static std::int64_t makeDivisible(double v, std::int64_t divisor = 8);

    torch::nn::Sequential features{nullptr};

private:
    MobileNetV3Options m_options;
    std::int64_t m_embeddingDim = 0;
    std::vector<std::string> m_blockNames; ///< profile names of the blocks (their parameter prefixes)
};
TORCH_MODULE(MobileNetV3);

} // namespace ssondo
