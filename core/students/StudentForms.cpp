// SPDX-License-Identifier: GPL-3.0-or-later
#include "students/StudentForms.h"

#include "students/SyncBatchNorm.h"

#include <torch/torch.h>

namespace ssondo {

void copyStudentState(const torch::nn::Module& from, torch::nn::Module& to)
{
    torch::NoGradGuard ng;
    auto copyAll = [](const auto& source, auto target) {
        for (const auto& item : source) {
            at::Tensor* t = target.find(item.key());
            TORCH_CHECK(t != nullptr, "copyStudentState: the copy has no '", item.key(), "'");
            TORCH_CHECK(t->sizes() == item.value().sizes(), "copyStudentState: '", item.key(), "' is ",
                        item.value().sizes(), " in the source and ", t->sizes(), " in the copy");
            t->copy_(item.value());
        }
    };
    copyAll(from.named_parameters(), to.named_parameters());
    copyAll(from.named_buffers(), to.named_buffers());
}

namespace {

/// Folds `bn` into `conv`, as foldBatchNorms says.
void foldInto(torch::nn::Conv2dImpl& conv, SyncBatchNorm2dImpl& bn)
{
    torch::NoGradGuard ng;
    const auto& o = bn.options;
    const at::Tensor var = bn.running_var.to(at::kDouble), mean = bn.running_mean.to(at::kDouble);
    at::Tensor scale = (var + o.eps()).rsqrt();
    at::Tensor shift = -mean * scale;
    if (o.affine()) {
        scale = scale * bn.weight.to(at::kDouble);
        shift = shift * bn.weight.to(at::kDouble) + bn.bias.to(at::kDouble);
    }
    if (conv.bias.defined())
        shift = shift + conv.bias.to(at::kDouble) * scale;
    const at::Tensor w = conv.weight.to(at::kDouble) * scale.view({-1, 1, 1, 1});
    conv.weight.set_data(w.to(conv.weight.scalar_type()));
    // Not registered: a convolution built without a bias has "bias" registered as undefined, and
    // the forward reads the member.
    conv.bias = shift.to(conv.weight.scalar_type());
    bn.setFolded();
}

} // namespace

int foldBatchNorms(torch::nn::Module& module)
{
    int folded = 0;
    for (const auto& m : module.modules()) {
        auto* seq = m->as<torch::nn::Sequential>();
        if (!seq)
            continue;
        for (std::size_t i = 0; i + 1 < seq->size(); ++i) {
            auto* conv = seq->ptr(i)->as<torch::nn::Conv2d>();
            auto* bn = seq->ptr(i + 1)->as<SyncBatchNorm2dImpl>();
            if (conv && bn && bn->options.track_running_stats() && !bn->folded()) {
                foldInto(*conv, *bn);
                ++folded;
            }
        }
    }
    return folded;
}

void toChannelsLast(torch::nn::Module& module)
{
    torch::NoGradGuard ng;
    for (auto& p : module.parameters())
        if (p.dim() == 4)
            p.set_data(p.contiguous(at::MemoryFormat::ChannelsLast));
    for (auto& b : module.buffers())
        if (b.dim() == 4)
            b.set_data(b.contiguous(at::MemoryFormat::ChannelsLast));
}

bool trainsChannelsLast(const std::string& device)
{
    return device == "cpu";
}

} // namespace ssondo
