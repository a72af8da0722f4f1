// SPDX-License-Identifier: GPL-3.0-or-later
#include "students/DyMN.h"

#include "students/BlockScope.h"
#include "students/SyncBatchNorm.h"

#include "students/MobileNetV3.h"

#include <torch/torch.h>

#include <cmath>
#include <sstream>

namespace ssondo {

namespace {

SyncBatchNorm2d bn(std::int64_t c)
{
    return SyncBatchNorm2d(torch::nn::BatchNorm2dOptions(c).eps(0.001).momentum(0.01));
}

/// The context every dynamic part of a block reads: h_c [B, H, 1, 1] (Dy-Conv, Dy-ReLU) and the
/// frequency and time sequences g_cf [B, exp, F', 1], g_ct [B, exp, 1, T'] (coordinate attention).
struct Context
{
    at::Tensor hc, gcf, gct;
};

struct ContextGenImpl : torch::nn::Module
{
    ContextGenImpl(std::int64_t in, std::int64_t h, std::int64_t exp, std::int64_t stride) : stride(stride)
    {
        joint_conv =
            register_module("joint_conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, h, 1).bias(false)));
        joint_norm = register_module("joint_norm", bn(h));
        conv_f = register_module("conv_f", torch::nn::Conv2d(torch::nn::Conv2dOptions(h, exp, 1)));
        conv_t = register_module("conv_t", torch::nn::Conv2d(torch::nn::Conv2dOptions(h, exp, 1)));
    }
    Context forward(const at::Tensor& x)
    {
        const at::Tensor cf = x.mean(3, true);                       // [B, C, F, 1]
        const at::Tensor ct = x.mean(2, true).permute({0, 1, 3, 2}); // [B, C, T, 1]
        const std::int64_t f = cf.size(2), t = ct.size(2);
        const at::Tensor g = at::hardswish(joint_norm(joint_conv(at::cat({cf, ct}, 2))));
        const auto parts = g.split({f, t}, 2);
        at::Tensor hcf = parts[0], hct = parts[1].permute({0, 1, 3, 2});
        if (stride > 1) { // AvgPool (3, 1)/(2, 1), padding counted, as the reference
            hcf = at::avg_pool2d(hcf, {3, 1}, {stride, 1}, {1, 0});
            hct = at::avg_pool2d(hct, {1, 3}, {1, stride}, {0, 1});
        }
        return {g.mean(2, true), conv_f(hcf), conv_t(hct)};
    }
    std::int64_t stride;
    torch::nn::Conv2d joint_conv{nullptr}, conv_f{nullptr}, conv_t{nullptr};
    SyncBatchNorm2d joint_norm{nullptr};
};
TORCH_MODULE(ContextGen);

/// Dynamic convolution: K = 4 kernels W_i, mixed per sample by softmax(linear(h_c) / T).
/// weight: [1, 1, K, out · in/groups · k · k], row i = W_i flattened (the reference layout).
struct DynamicConvImpl : torch::nn::Module
{
    DynamicConvImpl(std::int64_t in, std::int64_t out, std::int64_t context, std::int64_t k,
                    std::int64_t stride, std::int64_t groups, double temperature)
        : in(in), out(out), k(k), stride(stride), groups(groups), temperature(temperature)
    {
        residuals = register_module("residuals", torch::nn::Sequential(torch::nn::Linear(context, kKernels)));
        // Each kernel initialised on its own, Kaiming normal with fan-out (as EfficientAT).
        at::Tensor w = at::empty({kKernels, out, in / groups, k, k});
        for (int i = 0; i < kKernels; ++i)
            torch::nn::init::kaiming_normal_(w[i], 0.0, torch::kFanOut);
        weight = register_parameter("weight", w.reshape({1, 1, kKernels, -1}));
    }
    at::Tensor forward(const at::Tensor& x, const at::Tensor& hc)
    {
        const std::int64_t b = x.size(0);
        const at::Tensor att =
            at::softmax(residuals->forward(hc.reshape({b, -1})) / temperature, -1); // [B, K]
        const at::Tensor w =
            at::matmul(att, weight.reshape({kKernels, -1})).reshape({b * out, in / groups, k, k});
        const at::Tensor y = at::conv2d(x.reshape({1, b * in, x.size(2), x.size(3)}), w, {}, stride,
                                        (k - 1) / 2, 1, groups * b);
        return y.reshape({b, out, y.size(2), y.size(3)});
    }
    static constexpr int kKernels = 4;
    std::int64_t in, out, k, stride, groups;
    double temperature;
    torch::nn::Sequential residuals{nullptr};
    at::Tensor weight;
};
TORCH_MODULE(DynamicConv);

/// Dynamic ReLU-B, M = 2: y = max(a1·x + b1, a2·x + b2) per channel, coefficients from h_c.
struct DyReLUImpl : torch::nn::Module
{
    DyReLUImpl(std::int64_t channels, std::int64_t context) : channels(channels)
    {
        coef_net =
            register_module("coef_net", torch::nn::Sequential(torch::nn::Linear(context, 4 * channels)));
        lambdas = register_buffer("lambdas", torch::tensor({1.0f, 1.0f, 0.5f, 0.5f}));
        init_v = register_buffer("init_v", torch::tensor({1.0f, 0.0f, 0.0f, 0.0f}));
    }
    at::Tensor forward(const at::Tensor& x, const at::Tensor& hc)
    {
        const std::int64_t b = x.size(0);
        const at::Tensor theta = 2 * at::sigmoid(coef_net->forward(hc.reshape({b, -1}))) - 1;
        const at::Tensor coefs = theta.reshape({b, channels, 1, 1, 4}) * lambdas + init_v;
        const at::Tensor xm = x.unsqueeze(-1) * coefs.slice(-1, 0, 2) + coefs.slice(-1, 2, 4);
        return at::maximum(xm.select(-1, 0), xm.select(-1, 1));
    }
    std::int64_t channels;
    torch::nn::Sequential coef_net{nullptr};
    at::Tensor lambdas, init_v;
};
TORCH_MODULE(DyReLU);

struct DyBlockImpl : torch::nn::Module
{
    DyBlockImpl(std::int64_t in, std::int64_t kernel, std::int64_t exp, std::int64_t out, bool hardswish,
                std::int64_t stride, std::int64_t context, double temperature)
        : hardswish(hardswish), expand(exp != in), residual(stride == 1 && in == out)
    {
        context_gen = register_module("context_gen", ContextGen(in, context, exp, stride));
        if (expand) {
            exp_conv = register_module("exp_conv", DynamicConv(in, exp, context, 1, 1, 1, temperature));
            exp_norm = register_module("exp_norm", bn(exp));
        }
        depth_conv =
            register_module("depth_conv", DynamicConv(exp, exp, context, kernel, stride, exp, temperature));
        depth_norm = register_module("depth_norm", bn(exp));
        depth_act = register_module("depth_act", DyReLU(exp, context));
        proj_conv = register_module("proj_conv", DynamicConv(exp, out, context, 1, 1, 1, temperature));
        proj_norm = register_module("proj_norm", bn(out));
    }
    at::Tensor forward(const at::Tensor& input)
    {
        const Context g = context_gen->forward(input);
        at::Tensor x = input;
        if (expand) {
            x = exp_norm(exp_conv->forward(x, g.hc));
            x = hardswish ? at::hardswish(x) : at::relu(x);
        }
        x = depth_act->forward(depth_norm(depth_conv->forward(x, g.hc)), g.hc);
        x = x * at::sigmoid(g.gcf) * at::sigmoid(g.gct); // coordinate attention
        x = proj_norm(proj_conv->forward(x, g.hc));
        return residual ? x + input : x;
    }
    bool hardswish, expand, residual;
    ContextGen context_gen{nullptr};
    DynamicConv exp_conv{nullptr}, depth_conv{nullptr}, proj_conv{nullptr};
    SyncBatchNorm2d exp_norm{nullptr}, depth_norm{nullptr}, proj_norm{nullptr};
    DyReLU depth_act{nullptr};
};
TORCH_MODULE(DyBlock);

struct Cfg
{
    std::int64_t in, kernel, exp, out;
    bool hardswish;
    std::int64_t stride;
};

} // namespace

DyMNImpl::DyMNImpl(DyMNOptions options) : m_options(options)
{
    TORCH_CHECK(options.width_mult() > 0 && options.width_mult() <= 8, "DyMN: width_mult must be in (0, 8]");
    TORCH_CHECK(options.temperature() > 0, "DyMN: temperature must be positive");
    const double w = options.width_mult();
    auto ch = [&](std::int64_t c) { return MobileNetV3Impl::makeDivisible(double(c) * w); };
    const Cfg table[] = {
        {16, 3, 16, 16, false, 1},   {16, 3, 64, 24, false, 2},   {24, 3, 72, 24, false, 1},
        {24, 5, 72, 40, false, 2},   {40, 5, 120, 40, false, 1},  {40, 5, 120, 40, false, 1},
        {40, 3, 240, 80, true, 2},   {80, 3, 200, 80, true, 1},   {80, 3, 184, 80, true, 1},
        {80, 3, 184, 80, true, 1},   {80, 3, 480, 112, true, 1},  {112, 3, 672, 112, true, 1},
        {112, 5, 672, 160, true, 2}, {160, 5, 960, 160, true, 1}, {160, 5, 960, 160, true, 1},
    };
    // Registration order as EfficientAT (layers, in_c, out_c), so the state-dict order matches too.
    layers = register_module("layers", torch::nn::ModuleList());
    const std::int64_t ctxMin = MobileNetV3Impl::makeDivisible(32 * w),
                       ctxMax = MobileNetV3Impl::makeDivisible(128 * w);
    for (const Cfg& c : table) {
        const std::int64_t exp = ch(c.exp);
        const std::int64_t context =
            std::clamp(MobileNetV3Impl::makeDivisible(double(exp / 4)), ctxMin, ctxMax);
        layers->push_back(DyBlock(ch(c.in), c.kernel, exp, ch(c.out), c.hardswish, c.stride, context,
                                  options.temperature()));
    }
    in_c = register_module(
        "in_c",
        torch::nn::Sequential(
            torch::nn::Conv2d(torch::nn::Conv2dOptions(1, ch(16), 3).stride(2).padding(1).bias(false)),
            bn(ch(16)), torch::nn::Functional([](const at::Tensor& x) { return at::hardswish(x); })));
    m_embeddingDim = 6 * ch(160);
    for (std::size_t i = 0; i < layers->size(); ++i)
        m_blockNames.push_back("layers." + std::to_string(i));
    out_c = register_module(
        "out_c",
        torch::nn::Sequential(
            torch::nn::Conv2d(torch::nn::Conv2dOptions(ch(160), m_embeddingDim, 1).bias(false)),
            bn(m_embeddingDim), torch::nn::Functional([](const at::Tensor& x) { return at::hardswish(x); })));
    // EfficientAT's initialisation: Conv2d Kaiming normal fan-out, BN 1/0, Linear N(0, 0.01).
    torch::NoGradGuard ng;
    for (auto& m : modules(false)) {
        if (auto* conv = m->as<torch::nn::Conv2d>()) {
            torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut);
            if (conv->options.bias())
                torch::nn::init::zeros_(conv->bias);
        } else if (auto* b = m->as<torch::nn::BatchNorm2d>()) {
            torch::nn::init::ones_(b->weight);
            torch::nn::init::zeros_(b->bias);
        } else if (auto* lin = m->as<torch::nn::Linear>()) {
            torch::nn::init::normal_(lin->weight, 0, 0.01);
            torch::nn::init::zeros_(lin->bias);
        }
    }
}

std::string DyMNImpl::architecture() const
{
    const int w = int(std::lround(m_options.width_mult() * 10));
    std::ostringstream s;
    s << "dymn" << (w < 10 ? "0" : "") << w;
    return s.str();
}

at::Tensor DyMNImpl::forward(at::Tensor mel)
{
    TORCH_CHECK(mel.dim() == 4 && mel.size(1) == 1, "DyMN expects [B, 1, mels, frames], got ", mel.sizes());
    at::Tensor x = studentBlock("in_c", [&] { return in_c->forward(mel); });
    std::size_t i = 0;
    for (const auto& layer : *layers)
        x = studentBlock(m_blockNames[i++], [&] { return layer->as<DyBlock>()->forward(x); });
    return studentBlock("out_c", [&] { return out_c->forward(x).mean({2, 3}); });
}

} // namespace ssondo
