// SPDX-License-Identifier: GPL-3.0-or-later
#include "students/ERes2Net.h"

#include "students/BlockScope.h"

#include <torch/torch.h>

#include <cmath>

namespace ssondo {

namespace {

const char* const kFuseNames[] = {"fuse_mode12", "fuse_mode123", "fuse_mode1234", "fuse_mode12345"};

at::Tensor relu20(const at::Tensor& x)
{
    return at::clamp(x, 0.0, 20.0);
} // the reference's Hardtanh(0, 20)

torch::nn::Conv2d conv(std::int64_t in, std::int64_t out, std::int64_t k, std::int64_t stride,
                       bool bias = false)
{
    return torch::nn::Conv2d(
        torch::nn::Conv2dOptions(in, out, k).stride(stride).padding((k - 1) / 2).bias(bias));
}

/// Attentional feature fusion: a = 1 + tanh(local_att([x, y])), out = x·a + y·(2 − a).
struct AFFImpl : torch::nn::Module
{
    explicit AFFImpl(std::int64_t channels, std::int64_t r = 4)
    {
        const std::int64_t inter = channels / r;
        local_att = register_module(
            "local_att", torch::nn::Sequential(conv(2 * channels, inter, 1, 1, true), SyncBatchNorm2d(inter),
                                               torch::nn::SiLU(), conv(inter, channels, 1, 1, true),
                                               SyncBatchNorm2d(channels)));
    }
    at::Tensor forward(const at::Tensor& x, const at::Tensor& y)
    {
        const at::Tensor a = 1.0 + at::tanh(local_att->forward(at::cat({x, y}, 1)));
        return x * a + y * (2.0 - a);
    }
    torch::nn::Sequential local_att{nullptr};
};
TORCH_MODULE(AFF);

/// Res2Net block, scale 2: 1×1 conv (stride) → split in two → 3×3 on the first half, then on the
/// second half plus (or AFF-fused with) the first result → concat → 1×1 → + shortcut → ReLU20.
struct BlockImpl : torch::nn::Module
{
    BlockImpl(std::int64_t in, std::int64_t planes, std::int64_t stride, bool aff)
        : width(planes * 32 / 64), useAff(aff)
    {
        const std::int64_t out = planes * 2; // expansion 2
        conv1 = register_module("conv1", conv(in, 2 * width, 1, stride));
        bn1 = register_module("bn1", SyncBatchNorm2d(2 * width));
        convs = register_module("convs",
                                torch::nn::ModuleList(conv(width, width, 3, 1), conv(width, width, 3, 1)));
        bns = register_module("bns", torch::nn::ModuleList(SyncBatchNorm2d(width), SyncBatchNorm2d(width)));
        if (aff)
            fuse_models = register_module("fuse_models", torch::nn::ModuleList(AFF(width)));
        conv3 = register_module("conv3", conv(2 * width, out, 1, 1));
        bn3 = register_module("bn3", SyncBatchNorm2d(out));
        shortcut = register_module("shortcut", torch::nn::Sequential());
        if (stride != 1 || in != out) {
            shortcut->push_back(conv(in, out, 1, stride));
            shortcut->push_back(SyncBatchNorm2d(out));
        }
    }
    at::Tensor forward(const at::Tensor& x)
    {
        const at::Tensor o = relu20(bn1(conv1(x)));
        const auto parts = o.split(width, 1);
        const at::Tensor y0 = relu20(
            bns[0]->as<SyncBatchNorm2d>()->forward(convs[0]->as<torch::nn::Conv2d>()->forward(parts[0])));
        const at::Tensor in1 = useAff ? fuse_models[0]->as<AFF>()->forward(y0, parts[1]) : parts[1] + y0;
        const at::Tensor y1 =
            relu20(bns[1]->as<SyncBatchNorm2d>()->forward(convs[1]->as<torch::nn::Conv2d>()->forward(in1)));
        at::Tensor out = bn3(conv3(at::cat({y0, y1}, 1)));
        out = out + (shortcut->is_empty() ? x : shortcut->forward(x));
        return relu20(out);
    }
    std::int64_t width;
    bool useAff;
    torch::nn::Conv2d conv1{nullptr}, conv3{nullptr};
    SyncBatchNorm2d bn1{nullptr}, bn3{nullptr};
    torch::nn::ModuleList convs{nullptr}, bns{nullptr}, fuse_models{nullptr};
    torch::nn::Sequential shortcut{nullptr};
};
TORCH_MODULE(Block);

} // namespace

ERes2NetImpl::ERes2NetImpl(ERes2NetOptions options) : m_options(options)
{
    const std::int64_t m = options.m_channels();
    const auto& blocks = options.num_blocks();
    TORCH_CHECK(m >= 2 && m % 2 == 0, "ERes2Net: m_channels must be even and >= 2");
    TORCH_CHECK(blocks.size() == 5 && options.feat_dim() >= 16,
                "ERes2Net: the S-SONDO variant needs five block counts and feat_dim >= 16");
    conv1 = register_module("conv1", conv(1, m, 3, 1));
    bn1 = register_module("bn1", SyncBatchNorm2d(m));
    // layer planes m, 2m, 4m, 8m and, for the added fifth layer, 2m; AFF blocks from layer 3 on.
    const std::int64_t planes[] = {m, 2 * m, 4 * m, 8 * m, 2 * m};
    std::int64_t in = m;
    for (int l = 0; l < 5; ++l) {
        torch::nn::Sequential layer;
        for (std::int64_t b = 0; b < blocks[size_t(l)]; ++b) {
            layer->push_back(Block(in, planes[l], (b == 0 && l > 0) ? 2 : 1, l >= 2));
            in = planes[l] * 2;
        }
        m_layers.push_back(register_module("layer" + std::to_string(l + 1), layer));
    }
    const std::int64_t dsIn[] = {2 * m, 4 * m, 8 * m, 16 * m}, dsOut[] = {4 * m, 8 * m, 16 * m, 4 * m};
    for (int d = 0; d < 4; ++d)
        m_downsample.push_back(
            register_module("layer" + std::to_string(d + 1) + "_downsample", conv(dsIn[d], dsOut[d], 3, 2)));
    const std::int64_t fuseCh[] = {4 * m, 8 * m, 16 * m, 4 * m};
    for (int f = 0; f < 4; ++f)
        m_fuse.push_back(register_module(kFuseNames[f], AFF(fuseCh[f])));
    // Temporal statistics pooling of the last fused map: 4m channels × feat/16 bins, mean and std.
    m_embeddingDim = 2 * (4 * m) * (options.feat_dim() / 16);
}

std::string ERes2NetImpl::architecture() const
{
    return m_options.m_channels() == 16 ? "eres2net" : "eres2net_m" + std::to_string(m_options.m_channels());
}

at::Tensor ERes2NetImpl::forward(at::Tensor x)
{
    TORCH_CHECK(x.dim() == 4 && x.size(1) == 1 && x.size(2) == m_options.feat_dim(),
                "ERes2Net expects [B, 1, ", m_options.feat_dim(), ", frames], got ", x.sizes());
    auto fuse = [&](int i, const at::Tensor& a, const at::Tensor& b) {
        return std::static_pointer_cast<AFFImpl>(m_fuse[size_t(i)])->forward(a, b);
    };
    x = studentBlock("conv1+bn1", [&] { return at::relu(bn1(conv1(x))); }); // plain ReLU, as the reference
    auto layer = [&](int l, const at::Tensor& in) {
        return studentBlock("layer" + std::to_string(l + 1),
                            [&] { return m_layers[size_t(l)]->forward(in); });
    };
    // Each fusion with the downsampling of the previous fused map: one block.
    auto fused = [&](int i, const at::Tensor& a, const at::Tensor& previous) {
        const std::string name = "layer" + std::to_string(i + 1) + "_downsample+" + kFuseNames[i];
        return studentBlock(name, [&] { return fuse(i, a, m_downsample[size_t(i)]->forward(previous)); });
    };
    const at::Tensor out1 = layer(0, x);
    const at::Tensor out2 = layer(1, out1);
    const at::Tensor f12 = fused(0, out2, out1);
    const at::Tensor out3 = layer(2, out2);
    const at::Tensor f123 = fused(1, out3, f12);
    const at::Tensor out4 = layer(3, out3);
    const at::Tensor f1234 = fused(2, out4, f123);
    const at::Tensor out5 = layer(4, out4);
    const at::Tensor f12345 = fused(3, out5, f1234);
    // TSTP: mean and std (unbiased, + 1e-8 under the root) over time, channel-major flatten.
    return studentBlock("pooling", [&] {
        const at::Tensor mean = f12345.mean(-1).flatten(1);
        const at::Tensor std = at::sqrt(f12345.var(-1, /*unbiased=*/true) + 1e-8).flatten(1);
        return at::cat({mean, std}, 1);
    });
}

} // namespace ssondo
