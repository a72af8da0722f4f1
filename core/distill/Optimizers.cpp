// SPDX-License-Identifier: GPL-3.0-or-later
#include "distill/Optimizers.h"

#include <torch/optim.h>

namespace ssondo {

const ChoiceTable<OptimizerEntry>& optimizers()
{
    static const ChoiceTable<OptimizerEntry> table(
        "optimizer",
        {{"adam", "Adam (the reference's; weight decay added to the gradient)",
          [](const std::vector<at::Tensor>& p, double lr,
             double wd) -> std::unique_ptr<torch::optim::Optimizer> {
              return std::make_unique<torch::optim::Adam>(p, torch::optim::AdamOptions(lr).weight_decay(wd));
          }},
         {"adamw", "AdamW (decoupled weight decay)",
          [](const std::vector<at::Tensor>& p, double lr,
             double wd) -> std::unique_ptr<torch::optim::Optimizer> {
              return std::make_unique<torch::optim::AdamW>(p,
                                                           torch::optim::AdamWOptions(lr).weight_decay(wd));
          }},
         {"sgd", "SGD with momentum 0.9",
          [](const std::vector<at::Tensor>& p, double lr,
             double wd) -> std::unique_ptr<torch::optim::Optimizer> {
              return std::make_unique<torch::optim::SGD>(
                  p, torch::optim::SGDOptions(lr).momentum(0.9).weight_decay(wd));
          }}});
    return table;
}

} // namespace ssondo
