// SPDX-License-Identifier: GPL-3.0-or-later
#include "students/MappingHead.h"

#include <torch/torch.h>

namespace ssondo {

MappingHeadImpl::MappingHeadImpl(MappingHeadOptions o) : m_options(o)
{
    TORCH_CHECK(o.in_features() > 0 && o.out_features() > 0 && o.hidden() > 0,
                "mapping head: sizes must be positive");
    TORCH_CHECK(o.dropout() >= 0 && o.dropout() < 1, "mapping head: dropout must be in [0, 1)");
    mlp = register_module(
        "mlp", torch::nn::Sequential(
                   torch::nn::Linear(o.in_features(), o.hidden()),
                   torch::nn::Functional([](const at::Tensor& x) { return at::hardswish(x); }),
                   torch::nn::Dropout(o.dropout()), torch::nn::Linear(o.hidden(), o.out_features())));
    torch::NoGradGuard ng;
    for (auto& m : mlp->modules(false))
        if (auto* lin = m->as<torch::nn::Linear>()) {
            torch::nn::init::normal_(lin->weight, 0, 0.01); // as EfficientAT's classifier
            torch::nn::init::zeros_(lin->bias);
        }
}

at::Tensor MappingHeadImpl::forward(const at::Tensor& emb)
{
    if (emb.dim() == 3) // [B, S, in]: map each segment, then average (S-SONDO's segment rule)
        return mlp->forward(emb.reshape({-1, emb.size(2)})).reshape({emb.size(0), emb.size(1), -1}).mean(1);
    TORCH_CHECK(emb.dim() == 2, "mapping head expects [B, in] or [B, S, in], got ", emb.sizes());
    return mlp->forward(emb);
}

} // namespace ssondo
