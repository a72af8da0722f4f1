// SPDX-License-Identifier: GPL-3.0-or-later
#include "distill/PreciseBatchNorm.h"

#include "distill/DataPipeline.h"
#include "students/StudentBackbone.h"

#include <torch/torch.h>

namespace ssondo {

void recomputeBatchNorm(torch::nn::Module& model, DataPipeline& pipeline, Batches batches,
                        const std::string& device)
{
    std::vector<torch::nn::BatchNorm2dImpl*> bns;
    for (auto& m : model.modules(false))
        if (auto* bn = m->as<torch::nn::BatchNorm2d>())
            bns.push_back(bn);
    std::vector<c10::optional<double>> momenta;
    for (auto* bn : bns) {
        momenta.push_back(bn->options.momentum());
        bn->options.momentum(c10::nullopt); // cumulative average over the batches below
        bn->reset_running_stats();
    }
    model.train();
    torch::NoGradGuard ng;
    pipeline.start(std::move(batches));
    while (auto b = pipeline.next())
        model.as<StudentBackbone>()->forward(b->mel.to(torch::Device(device)));
    pipeline.stop();
    for (std::size_t i = 0; i < bns.size(); ++i)
        bns[i]->options.momentum(momenta[i]);
}

} // namespace ssondo
