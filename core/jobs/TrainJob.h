// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "distill/Trainer.h"

#include <cstdint>
#include <string>

namespace ssondo {

class Communicator;
class ProgressSink;
class StopToken;
class Workspace;

/// The training job: a config (or the run to resume) → a Trainer → the workspace. Running the same
/// config again — or `resumeRunId` — continues an unfinished run from its last checkpoint.
///
/// With a Communicator of several ranks it is one process of a data-parallel job (see
/// DataParallel): two ranks compute what one process computes with the whole batch, up to
/// rounding, except for mixup pairs and head dropout masks, which are drawn per rank.
class TrainJob
{
public:
    static TrainResult run(Workspace& workspace, TrainConfig config, const std::string& commandLine,
                           ProgressSink& sink, const StopToken& stop, std::int64_t resumeRunId = 0,
                           Communicator* comm = nullptr);
};

} // namespace ssondo
