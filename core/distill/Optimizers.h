// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/ChoiceTable.h"

#include <ATen/core/Tensor.h>

#include <memory>
#include <vector>

namespace torch::optim {
class Optimizer;
}

namespace ssondo {

/// One optimizer (optim.optimizer): what it is and how it is made over `params` with a learning
/// rate and a weight decay.
struct OptimizerEntry
{
    std::string_view name;
    std::string_view description;
    std::unique_ptr<torch::optim::Optimizer> (*make)(const std::vector<at::Tensor>& params, double lr,
                                                     double weightDecay);
};

/// adam (the reference's), adamw, sgd.
const ChoiceTable<OptimizerEntry>& optimizers();

} // namespace ssondo
