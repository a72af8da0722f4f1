// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "eval/BenchmarkTable.h"
#include "jobs/EvaluateJob.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ssondo {

class ProgressSink;
class StopToken;
class Workspace;

struct BenchmarkConfig
{
    std::vector<std::int64_t> runs;        ///< students
    std::vector<std::int64_t> teacherSets; ///< teachers, each named by one of its embedding sets
    std::vector<std::string> tasks;
    /// How missing evaluations are made (folds, probe, device...); task, run and teacher are set
    /// per cell.
    EvaluateConfig evaluate;
};

struct BenchmarkResult
{
    BenchmarkTable table;
    std::vector<std::string> evaluated; ///< "run 3 on esc50", "teacher … on esc50": made by this job
    std::vector<std::string> failed;    ///< "… on esc50: why": left missing in the table
    bool stopped = false;
};

/// Table 1 of the paper for the given students and teachers: evaluates every (model, task) that
/// has no evaluation of the task's current version yet (a teacher's embeddings of the task are
/// extracted first when it has none; cached evaluations are reused), then builds the table from
/// the log. A cell that cannot be evaluated is reported and left missing; the others go on.
class BenchmarkJob
{
public:
    static BenchmarkResult run(Workspace& workspace, const BenchmarkConfig& config, ProgressSink& sink,
                               const StopToken& stop);
};

} // namespace ssondo
