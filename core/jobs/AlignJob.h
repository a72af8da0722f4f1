// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "distill/Alignment.h"

#include <cstdint>
#include <vector>

namespace ssondo {

class ProgressSink;
class StopToken;
class Workspace;

struct AlignConfig
{
    std::int64_t runId = 0;
    std::int64_t clips = 0; ///< sample size for a run without snapshots (0: the training default)
    int k = 10;             ///< neighbours of the kNN overlap
    int workers = 0;        ///< decoding threads (0: cores − 1)
};

struct AlignResult
{
    std::int64_t runId = 0, clips = 0;
    bool snapshotMade = false; ///< the run had none: one was made now from its last checkpoint
    std::int64_t snapshotEpoch = 0;
    std::vector<AlignmentScores> epochs;
};

/// The alignment of a run's student with its teacher on the run's alignment sample, per kept
/// snapshot (step 0 and every epoch when the run kept them): mean cosine, kNN overlap@k and the
/// mean cosine per teacher cluster, in the space of the run's loss.target_norm. A run trained
/// without snapshots (align_clips = 0, or an older run) gets one now, from its last checkpoint.
class AlignJob
{
public:
    static AlignResult run(Workspace& workspace, const AlignConfig& config, ProgressSink& sink,
                           const StopToken& stop);
};

} // namespace ssondo
