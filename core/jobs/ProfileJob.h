// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "experiments/EvaluationLog.h"

#include <cstdint>
#include <optional>
#include <string>

namespace ssondo {

class ProgressSink;
class StopToken;
class Workspace;

struct ProfileConfig
{
    std::int64_t runId = 0;  ///< profile this run's student (and measure its agreement) ...
    std::string teacherFile; ///< ... and/or this TorchScript teacher
    int latencyRuns = 15;    ///< timed calls (median reported)
    int threads = 0;         ///< intra-op threads while timing (0: every core)
    bool agreement = true;   ///< teacher–student agreement on the run's held-out clips
    bool layers = false;     ///< also time, count and size each block of the student
    int k = 10;              ///< neighbours of the overlap
    int workers = 0;
    std::string commandLine;
};

struct ProfileResult
{
    std::optional<ModelProfileRecord> student, teacher;
    std::optional<AgreementRecord> agreement;
};

/// Model profile (parameters, serialised size, MACs and median CPU latency per 10 s clip, front
/// end included) of a run's student and/or a TorchScript teacher, and the run's embedding
/// agreement with its teacher on its held-out validation clips (mean cosine of the projected
/// embeddings, kNN overlap@k); stored in the experiment log. With `layers`, the student's time,
/// MACs and parameters per block (its front end, each of its blocks, what runs between them) are
/// stored with its profile.
class ProfileJob
{
public:
    static ProfileResult run(Workspace& workspace, const ProfileConfig& config, ProgressSink& sink,
                             const StopToken& stop);
};

} // namespace ssondo
