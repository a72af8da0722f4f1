// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "distill/Batches.h"

#include <string>

namespace torch::nn {
class Module;
}

namespace ssondo {

class DataPipeline;

/// Precise BN (Wu & Johnson, "Rethinking batch in BatchNorm", 2021): replaces the running
/// statistics of `student`'s batch norms by their exact average over `batches` of training clips.
/// With the reference's momentum of 0.01 the running averages lag far behind the weights in short
/// runs, and evaluation mode would then measure another network than the one being trained. With
/// synchronised batch norm the statistics are those of the global batches.
void recomputeBatchNorm(torch::nn::Module& student, DataPipeline& pipeline, Batches batches,
                        const std::string& device);

} // namespace ssondo
