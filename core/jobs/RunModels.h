// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "distill/TrainConfig.h"
#include "experiments/RunLog.h"
#include "students/MappingHead.h"
#include "students/StudentBackbone.h"

#include <memory>
#include <string>
#include <vector>

namespace ssondo {

class EmbeddingStore;
class Workspace;

/// A run's trained student and mapping head, rebuilt from its config and loaded from its last
/// checkpoint, in evaluation mode on the CPU.
struct RunModels
{
    RunRecord run;
    TrainConfig config;
    std::shared_ptr<StudentBackbone> student;
    MappingHead head{nullptr};
    std::int64_t teacherDim = 0;
    std::string checkpointPath;
};

/// Throws InputError when the run has no checkpoint yet or its files are damaged.
RunModels loadRunModels(Workspace& workspace, std::int64_t runId);

/// What a run was trained on, opened again: its teacher's embedding store, the dataset, the clips'
/// paths (absolute) and labels by dataset position, and its train / validation split.
struct RunData
{
    std::shared_ptr<EmbeddingStore> store;
    std::string dataset;
    std::vector<std::string> paths, relativePaths, labels;
    std::vector<std::int64_t> train, val;
};
/// Throws InputError when the dataset changed since the embeddings were extracted.
RunData loadRunData(Workspace& workspace, const TrainConfig& config);

} // namespace ssondo
