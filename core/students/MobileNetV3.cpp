// SPDX-License-Identifier: GPL-3.0-or-later
#include "students/MobileNetV3.h"

#include "students/BlockScope.h"
#include "students/SyncBatchNorm.h"

#include <torch/torch.h>

#include <cmath>
#include <sstream>

namespace ssondo {

std::int64_t parameterCount(const torch::nn::Module& module)
{
    std::int64_t n = 0;
    for (const auto& p : module.parameters())
        n += p.numel();
    return n;
}

at::Tensor embedSegments(StudentBackbone& student, const at::Tensor& mel)
{
    if (mel.dim() == 4)
        return student.forward(mel);
    TORCH_CHECK(mel.dim() == 5, "embedSegments expects [B, S, 1, mels, frames], got ", mel.sizes());
    const std::int64_t b = mel.size(0), s = mel.size(1);
    return student.forward(mel.reshape({b * s, mel.size(2), mel.size(3), mel.size(4)}))
        .reshape({b, s, -1})
        .mean(1);
}

namespace {

enum class Act { ReLU, Hardswish, None };

SyncBatchNorm2d batchNorm(std::int64_t c)
{
    // EfficientAT: BatchNorm2d(eps=0.001, momentum=0.01)
    return SyncBatchNorm2d(torch::nn::BatchNorm2dOptions(c).eps(0.001).momentum(0.01));
}

/// A Sequential with a plain forward(Tensor), so that it can sit inside another Sequential.
struct PlainSequentialImpl : torch::nn::SequentialImpl
{
    using SequentialImpl::SequentialImpl;
    at::Tensor forward(at::Tensor x) { return SequentialImpl::forward(x); }
};
TORCH_MODULE(PlainSequential);

/// torchvision's ConvNormActivation: Sequential(conv (no bias), BN, activation) → keys N.0, N.1.
PlainSequential convNormAct(std::int64_t in, std::int64_t out, std::int64_t k, std::int64_t stride,
                            std::int64_t groups, Act act)
{
    PlainSequential s;
    s->push_back(torch::nn::Conv2d(
        torch::nn::Conv2dOptions(in, out, k).stride(stride).padding((k - 1) / 2).groups(groups).bias(false)));
    s->push_back(batchNorm(out));
    if (act == Act::ReLU)
        s->push_back(torch::nn::ReLU(torch::nn::ReLUOptions(true)));
    else if (act == Act::Hardswish)
        s->push_back(torch::nn::Functional([](const at::Tensor& x) { return at::hardswish(x); }));
    return s;
}

/// Channel squeeze-excitation (EfficientAT's SqueezeExcitation with se_dim = 1): mean over
/// frequency and time, fc1, ReLU, fc2, sigmoid, scale.
struct SqueezeExcitationImpl : torch::nn::Module
{
    SqueezeExcitationImpl(std::int64_t channels, std::int64_t squeeze)
    {
        fc1 = register_module("fc1", torch::nn::Linear(channels, squeeze));
        fc2 = register_module("fc2", torch::nn::Linear(squeeze, channels));
    }
    at::Tensor forward(const at::Tensor& x)
    {
        at::Tensor s = x.mean({2, 3});
        s = at::sigmoid(fc2(at::relu(fc1(s))));
        return x * s.unsqueeze(-1).unsqueeze(-1);
    }
    torch::nn::Linear fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(SqueezeExcitation);

/// EfficientAT's ConcurrentSEBlock with one (channel) SE layer: keys `conc_se_layers.0.fc1...`.
struct ConcurrentSEBlockImpl : torch::nn::Module
{
    explicit ConcurrentSEBlockImpl(std::int64_t channels)
    {
        conc_se_layers = register_module("conc_se_layers", torch::nn::ModuleList());
        conc_se_layers->push_back(
            SqueezeExcitation(channels, MobileNetV3Impl::makeDivisible(double(channels / 4))));
    }
    at::Tensor forward(const at::Tensor& x) { return conc_se_layers[0]->as<SqueezeExcitation>()->forward(x); }
    torch::nn::ModuleList conc_se_layers{nullptr};
};
TORCH_MODULE(ConcurrentSEBlock);

struct BlockConfig
{
    std::int64_t in, kernel, expanded, out;
    bool se;
    bool hardswish;
    std::int64_t stride;
};

/// Inverted residual: [expand 1x1] → depthwise kxk → [SE] → project 1x1; residual when the
/// shape is kept. Keys `block.N...` as in EfficientAT.
struct InvertedResidualImpl : torch::nn::Module
{
    explicit InvertedResidualImpl(const BlockConfig& c) : residual(c.stride == 1 && c.in == c.out)
    {
        const Act act = c.hardswish ? Act::Hardswish : Act::ReLU;
        block = register_module("block", torch::nn::Sequential());
        if (c.expanded != c.in)
            block->push_back(convNormAct(c.in, c.expanded, 1, 1, 1, act));
        block->push_back(convNormAct(c.expanded, c.expanded, c.kernel, c.stride, c.expanded, act));
        if (c.se)
            block->push_back(ConcurrentSEBlock(c.expanded));
        block->push_back(convNormAct(c.expanded, c.out, 1, 1, 1, Act::None));
    }
    at::Tensor forward(const at::Tensor& x)
    {
        at::Tensor y = block->forward(x);
        return residual ? y + x : y;
    }
    torch::nn::Sequential block{nullptr};
    bool residual;
};
TORCH_MODULE(InvertedResidual);

} // namespace

std::int64_t MobileNetV3Impl::makeDivisible(double v, std::int64_t divisor)
{
    std::int64_t nv = std::max<std::int64_t>(divisor, std::int64_t(v + divisor / 2.0) / divisor * divisor);
    if (double(nv) < 0.9 * v)
        nv += divisor;
    return nv;
}

std::string MobileNetV3Impl::architecture() const
{
    const int w = int(std::lround(m_options.width_mult() * 10));
    std::ostringstream s;
    s << "mn" << (w < 10 ? "0" : "") << w;
    return s.str();
}

MobileNetV3Impl::MobileNetV3Impl(MobileNetV3Options options) : m_options(options)
{
    TORCH_CHECK(options.width_mult() > 0 && options.width_mult() <= 8,
                "MobileNetV3: width_mult must be in (0, 8]");
    TORCH_CHECK(options.in_channels() >= 1, "MobileNetV3: in_channels must be >= 1");
    const double w = options.width_mult();
    auto ch = [&](std::int64_t c) { return makeDivisible(double(c) * w); };
    // (in, kernel, expanded, out, SE, hardswish, stride): reference/SSONDO.md, EfficientAT mn.
    const BlockConfig table[] = {
        {16, 3, 16, 16, false, false, 1},  {16, 3, 64, 24, false, false, 2},
        {24, 3, 72, 24, false, false, 1},  {24, 5, 72, 40, true, false, 2},
        {40, 5, 120, 40, true, false, 1},  {40, 5, 120, 40, true, false, 1},
        {40, 3, 240, 80, false, true, 2},  {80, 3, 200, 80, false, true, 1},
        {80, 3, 184, 80, false, true, 1},  {80, 3, 184, 80, false, true, 1},
        {80, 3, 480, 112, true, true, 1},  {112, 3, 672, 112, true, true, 1},
        {112, 5, 672, 160, true, true, 2}, {160, 5, 960, 160, true, true, 1},
        {160, 5, 960, 160, true, true, 1},
    };
    features = register_module("features", torch::nn::Sequential());
    features->push_back(convNormAct(options.in_channels(), ch(16), 3, 2, 1, Act::Hardswish));
    for (const BlockConfig& b : table)
        features->push_back(InvertedResidual(
            BlockConfig{ch(b.in), b.kernel, ch(b.expanded), ch(b.out), b.se, b.hardswish, b.stride}));
    const std::int64_t last = 6 * ch(160);
    features->push_back(convNormAct(ch(160), last, 1, 1, 1, Act::Hardswish));
    m_embeddingDim = last;
    for (std::size_t i = 0; i < features->size(); ++i)
        m_blockNames.push_back("features." + std::to_string(i));

    // Initialisation as EfficientAT/torchvision (He et al. 2015, fan-out for convolutions).
    torch::NoGradGuard ng;
    for (auto& m : modules(/*include_self=*/false)) {
        if (auto* conv = m->as<torch::nn::Conv2d>()) {
            torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut);
        } else if (auto* bn = m->as<torch::nn::BatchNorm2d>()) {
            torch::nn::init::ones_(bn->weight);
            torch::nn::init::zeros_(bn->bias);
        } else if (auto* lin = m->as<torch::nn::Linear>()) {
            torch::nn::init::normal_(lin->weight, 0, 0.01);
            torch::nn::init::zeros_(lin->bias);
        }
    }
}

at::Tensor MobileNetV3Impl::featureMap(at::Tensor mel)
{
    TORCH_CHECK(mel.dim() == 4 && mel.size(1) == m_options.in_channels(), "MobileNetV3 expects [B, ",
                m_options.in_channels(), ", mels, frames], got ", mel.sizes());
    at::Tensor x = mel;
    std::size_t i = 0;
    for (auto& block : *features) {
        x = studentBlock(m_blockNames[i++], [&] { return block.forward(x); });
    }
    return x;
}

at::Tensor MobileNetV3Impl::forward(at::Tensor mel)
{
    return featureMap(mel).mean({2, 3});
}

} // namespace ssondo
