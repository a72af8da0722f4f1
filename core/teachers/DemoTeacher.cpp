// SPDX-License-Identifier: GPL-3.0-or-later
#include "teachers/DemoTeacher.h"

#include "util/Error.h"

#include <torch/torch.h>

namespace ssondo {

struct DemoTeacher::Net : torch::nn::Module
{
    torch::nn::ModuleList bandIn{nullptr}; // one projection per frequency band
    torch::nn::Linear hidden{nullptr};
    torch::nn::Linear out{nullptr};

    Net()
    {
        // Random features, drawn once from a fixed seed on a private generator (the global torch
        // seed of the caller is neither used nor changed). Scaled so activations stay O(1).
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(kSeed);
        auto init = [&](torch::nn::Linear& l) {
            torch::NoGradGuard ng;
            const double fanIn = double(l->weight.size(1));
            l->weight.copy_(at::randn(l->weight.sizes(), gen, at::kFloat) * std::sqrt(1.0 / fanIn));
            l->bias.copy_(at::randn(l->bias.sizes(), gen, at::kFloat) * 0.5);
        };
        bandIn = register_module("band_in", torch::nn::ModuleList());
        for (int b = 0; b < kBands; ++b) {
            torch::nn::Linear l(kPatchMels * kPatchFrames, kHidden);
            init(l);
            bandIn->push_back(l);
        }
        hidden = register_module("hidden", torch::nn::Linear(kHidden, kHidden));
        out = register_module("out", torch::nn::Linear(kHidden, kTokenDim));
        init(hidden);
        init(out);
        for (auto& p : parameters())
            p.set_requires_grad(false);
        eval();
    }
};

DemoTeacher::DemoTeacher()
    : m_net(std::make_unique<Net>()), m_frontEnd(LogMelOptions()
                                                     .sample_rate(16000)
                                                     .n_fft(400)
                                                     .win_length(400)
                                                     .hop_length(160)
                                                     .n_mels(80)
                                                     .f_min(50)
                                                     .f_max(8000))
{
}

DemoTeacher::~DemoTeacher() = default;

std::string DemoTeacher::identity() const
{
    return "demo-v1-" + std::to_string(kSeed);
}

std::string DemoTeacher::description() const
{
    return "demo teacher: fixed-seed random-feature network (" + std::to_string(parameterCount() / 1000000) +
           " M parameters), NOT a pretrained model";
}

std::int64_t DemoTeacher::parameterCount() const
{
    std::int64_t n = 0;
    for (const auto& p : m_net->parameters())
        n += p.numel();
    return n;
}

void DemoTeacher::to(const std::string& device)
{
    m_net->to(torch::Device(device));
}

at::Tensor DemoTeacher::embed(const at::Tensor& wav)
{
    TORCH_CHECK(wav.dim() == 2, "demo teacher expects [B, T], got ", wav.sizes());
    torch::NoGradGuard ng;
    const auto device = m_net->out->weight.device();
    // [B, 1, 80, frames]; standardise log-mels with fixed constants (no per-clip normalisation:
    // loudness is part of what the embedding encodes).
    at::Tensor x = (m_frontEnd.forward(wav.to(device)).squeeze(1) + 4.5) / 3.0;
    const std::int64_t B = x.size(0);
    const std::int64_t chunks = std::max<std::int64_t>(1, x.size(2) / kPatchFrames);
    if (x.size(2) < chunks * kPatchFrames)
        x = at::constant_pad_nd(x, {0, chunks * kPatchFrames - x.size(2)}, 0.0);
    x = x.slice(2, 0, chunks * kPatchFrames);
    // [B, bands, mels/band, chunks, frames/chunk] -> [B, bands, chunks, patch]
    x = x.reshape({B, kBands, kPatchMels, chunks, kPatchFrames})
            .permute({0, 1, 3, 2, 4})
            .reshape({B, kBands, chunks, kPatchMels * kPatchFrames});
    // Centre each patch on its own mean: the features then describe spectral shape and temporal
    // texture rather than one shared offset, so embeddings spread out instead of pointing the same way.
    x = x - x.mean(-1, true);
    std::vector<at::Tensor> bands;
    for (int b = 0; b < kBands; ++b)
        bands.push_back(at::tanh(m_net->bandIn[size_t(b)]->as<torch::nn::Linear>()->forward(x.select(1, b))));
    at::Tensor h = at::stack(bands, 1); // [B, bands, chunks, hidden]
    h = at::tanh(m_net->hidden->forward(h));
    at::Tensor tokens = m_net->out->forward(h); // [B, bands, chunks, 768]
    // Remove the response to a flat (all-zero, centred) patch: the biases would otherwise add one
    // direction shared by every clip, and the embeddings would all point the same way.
    {
        std::vector<at::Tensor> flat;
        for (int b = 0; b < kBands; ++b)
            flat.push_back(at::tanh(m_net->bandIn[size_t(b)]->as<torch::nn::Linear>()->bias));
        const at::Tensor f =
            m_net->out->forward(at::tanh(m_net->hidden->forward(at::stack(flat, 0)))); // [bands, 768]
        tokens = tokens - f.unsqueeze(1).unsqueeze(0);
    }
    return tokens.mean(2).reshape({B, kBands * kTokenDim}).to(at::kFloat).cpu().contiguous();
}

} // namespace ssondo
