// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ssondo {

class Database;

/// One linear-probe evaluation of a run's student or of a teacher on a labelled task.
struct EvaluationRecord
{
    std::int64_t id = 0;
    std::int64_t runId = 0;          ///< 0: the teacher itself
    std::string teacherIdentity;     ///< the teacher (of the run)
    std::int64_t embeddingSetId = 0; ///< the embeddings probed
    std::string task, taskVersion;   ///< dataset name and version
    std::string protocol;            ///< folds used; equal protocols are comparable
    std::string metric;              ///< "accuracy" or "mAP"
    double mean = 0;
    std::optional<double> ci95, knnMean, knnCi95;
    std::string foldsJson; ///< per-fold scores and chosen weight decays
    std::int64_t clips = 0, classes = 0;
    double seconds = 0;
    std::string createdAt;
};

/// Size and speed of a model.
struct ModelProfileRecord
{
    std::int64_t id = 0;
    std::int64_t runId = 0; ///< 0: a teacher file
    std::string subject;    ///< "mn10 (run 3)" or the teacher's path
    std::int64_t backboneParams = 0, headParams = 0, fileBytes = 0, macs = 0;
    double latencyMs = 0;
    std::int64_t latencyRuns = 0, threads = 0;
    /// `profile --layers`: {"call_ms", "blocks": [{"name", "ms", "macs", "params"}]} (JSON), else empty
    std::string layersJson;
    std::string createdAt;
};

/// How closely a run's projected embeddings follow the teacher's on held-out clips.
struct AgreementRecord
{
    std::int64_t id = 0, runId = 0, clips = 0, k = 10;
    double meanCosine = 0, knnOverlap = 0;
    std::string createdAt;
};

/// A run's latest score on one task and its teacher's on the same task and folds.
struct TaskScore
{
    EvaluationRecord student;
    std::optional<EvaluationRecord> teacher;
    std::optional<double> pctOfTeacher;
};

/// A run's scores over the tasks it was evaluated on, and its "% of teacher" over the tasks that
/// have a teacher reference (average of the student's scores / average of the teacher's).
struct RunScores
{
    std::vector<TaskScore> tasks;
    std::optional<double> pctOfTeacher;
    std::size_t tasksWithTeacher = 0;
};

/// Evaluations, model profiles and agreements in the workspace database.
class EvaluationLog
{
public:
    explicit EvaluationLog(Database& db) : m_db(db) {}

    std::int64_t add(const EvaluationRecord& r);
    /// Newest first; runId < 0: all, 0: teachers only, > 0: that run.
    std::vector<EvaluationRecord> list(std::int64_t runId = -1);
    /// The newest evaluation of the teacher `teacherIdentity` itself on the task version with the
    /// same protocol and metric (the reference of a student's "% of teacher").
    std::optional<EvaluationRecord> teacherReference(const std::string& teacherIdentity,
                                                     const std::string& task, const std::string& taskVersion,
                                                     const std::string& protocol, const std::string& metric);
    /// The newest evaluation of each task for a run (or the teacher, runId 0 and identity).
    std::vector<EvaluationRecord> latestPerTask(std::int64_t runId, const std::string& teacherIdentity = {});

    /// The latest evaluation of each task of a run, with the teacher references.
    RunScores runScores(std::int64_t runId);

    std::int64_t addProfile(const ModelProfileRecord& r);
    std::optional<ModelProfileRecord> latestProfile(std::int64_t runId, const std::string& subject = {});
    /// The run's latest profile that has a per-block breakdown (`profile --layers`).
    std::optional<ModelProfileRecord> latestLayerProfile(std::int64_t runId);
    std::vector<ModelProfileRecord> profiles();

    std::int64_t addAgreement(const AgreementRecord& r);
    std::optional<AgreementRecord> latestAgreement(std::int64_t runId);

private:
    Database& m_db;
};

/// "% of teacher" as the paper computes it: the student's average over tasks divided by the
/// teacher's average over the same tasks, × 100. Pairs are (student score, teacher score).
double percentOfTeacher(const std::vector<std::pair<double, double>>& pairs);

} // namespace ssondo
