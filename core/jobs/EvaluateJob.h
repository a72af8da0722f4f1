// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "eval/LinearProbe.h"
#include "experiments/EvaluationLog.h"

#include <cstdint>
#include <optional>
#include <string>

namespace ssondo {

class ProgressSink;
class StopToken;
class Workspace;

struct EvaluateConfig
{
    std::string task;               ///< labelled dataset (name or id)
    std::int64_t runId = 0;         ///< evaluate this run's student ...
    std::int64_t teacherSet = 0;    ///< ... or the teacher of this embedding set
    std::string foldsFrom = "auto"; ///< auto | dataset | split | stratified
    int folds = 5;                  ///< k of the stratified k-fold
    std::uint64_t seed = 42;        ///< of the stratified k-fold
    std::string metric = "auto";    ///< auto (mAP when clips have several labels) | accuracy | mAP
    ProbeOptions probe;
    bool withTeacher = true; ///< for a run: also evaluate its teacher when that makes % of teacher possible
    std::string device = "auto";
    int batchSize = 16;
    int workers = 0;
    std::string commandLine;
};

struct EvaluateResult
{
    EvaluationRecord evaluation; ///< as stored
    ProbeResult probe;
    std::optional<EvaluationRecord> teacher; ///< the teacher's evaluation on the same task and folds
    std::optional<double> pctOfTeacher;      ///< 100 × student mean / teacher mean
    std::string note;                        ///< why there is no % of teacher
    bool stopped = false;
};

/// Linear-probe evaluation of a run's student (its backbone embeds the task's clips; cached as an
/// embedding set) or of a teacher (its embeddings of the task) on a labelled dataset, with the
/// dataset's folds, its train/valid/test split, or a stratified k-fold; stored in the experiment
/// log. For a run, the teacher's evaluation on the same task and folds is the reference of its
/// "% of teacher" (made first when the teacher's embeddings of the task exist).
class EvaluateJob
{
public:
    static EvaluateResult run(Workspace& workspace, const EvaluateConfig& config, ProgressSink& sink,
                              const StopToken& stop);
};

} // namespace ssondo
