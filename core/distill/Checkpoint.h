// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace torch::nn {
class Module;
}
namespace torch::optim {
class Optimizer;
}

namespace ssondo {

/// Where a run stands, saved with its weights.
struct TrainState
{
    std::int64_t epoch = 0;       ///< epoch in progress (0-based)
    std::int64_t stepInEpoch = 0; ///< batches of that epoch already done
    std::int64_t globalStep = 0;  ///< optimizer steps so far
    double bestValCosine = -2;
    double elapsedSeconds = 0; ///< training time before this process
};

/// Saves student, mapping head, optimizer and state to `path` atomically (temporary file, fsync,
/// rename): a crash or a full disk leaves the previous checkpoint intact, never half a file.
void saveCheckpoint(const std::string& path, torch::nn::Module& student, torch::nn::Module& head,
                    torch::optim::Optimizer& optimizer, const TrainState& state);

/// Loads what saveCheckpoint wrote. Throws InputError naming the file when it is damaged.
TrainState loadCheckpoint(const std::string& path, torch::nn::Module& student, torch::nn::Module& head,
                          torch::optim::Optimizer& optimizer);

/// Loads only the student and head weights of a checkpoint (for evaluation and export).
void loadCheckpointWeights(const std::string& path, torch::nn::Module& student, torch::nn::Module& head);

} // namespace ssondo
