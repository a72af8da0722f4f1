// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "experiments/SweepLog.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ssondo {

class ProgressSink;
class StopToken;
class Workspace;

/// What one run of a sweep came to.
struct SweepRunOutcome
{
    SweepRunStatus status = SweepRunStatus::Pending;
    std::int64_t runId = 0;
    std::optional<double> metric;
    std::string message;
};

/// One run of a sweep, in this process: marks it running, trains it (TrainJob: an unfinished run of
/// the same config resumes from its checkpoint), reads the sweep's metric (the best validation
/// cosine, or a linear probe's score on the metric's task after an evaluation), and records the
/// outcome. `workers` (when > 0) replaces data.workers = 0 (cores - 1), which several runs side by
/// side would oversubscribe; it is not part of a run's identity. With `stopIfBelow` > 0 the run
/// stops early (status pruned, the reason recorded with it) at the end of an epoch whose validation
/// cosine is below that fraction of the best other run of the sweep at the same epoch. An error is recorded
/// as the run's failure and returned, not thrown: the sweep goes on.
class SweepJob
{
public:
    static SweepRunOutcome runOne(Workspace& workspace, const SweepRecord& sweep, const SweepRunRecord& run,
                                  const std::string& commandLine, ProgressSink& sink, const StopToken& stop,
                                  std::int64_t workers = 0, double stopIfBelow = 0);

    /// Early stopping: the reason to stop a run whose validation cosine at some epoch is below
    /// `fraction` × the best of the other runs at the same epoch, or nullopt. `mine` and `others`
    /// map epoch → validation cosine (others: the best over the other runs).
    static std::optional<std::string> pruneReason(const std::map<std::int64_t, double>& mine,
                                                  const std::map<std::int64_t, double>& bestOthers,
                                                  double fraction);
    /// The sweep's runs' validation cosine per epoch, from the log (run id → epoch → value).
    static std::map<std::int64_t, std::map<std::int64_t, double>>
    curves(Workspace& workspace, const std::vector<SweepRunRecord>& runs);
};

} // namespace ssondo
