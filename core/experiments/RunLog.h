// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/ChoiceTable.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ssondo {

class Database;

/// Where a training run stands (the runs table's status column).
enum class RunStatus { Created, Running, Stopped, Failed, Done };
/// Names and meanings of the run statuses.
const ChoiceTable<Named<RunStatus>>& runStatuses();

/// A training run as recorded in the experiment log.
struct RunRecord
{
    std::int64_t id = 0;
    std::string name;
    RunStatus status = RunStatus::Created;
    std::int64_t embeddingSetId = 0, clusteringId = 0;
    std::string teacher, student, sampler, loss;
    std::int64_t seed = 0;
    std::string configToml, configHash, tags, notes, dir, message;
    std::int64_t backboneParams = 0, headParams = 0;
    std::string createdAt, startedAt, finishedAt, updatedAt;
};

/// One metric point.
struct MetricPoint
{
    std::int64_t step = 0, epoch = 0;
    double wallTime = 0;
    std::string name;
    double value = 0;
};

/// A file a run produced (checkpoint, export), with its checksum.
struct ArtifactRecord
{
    std::int64_t id = 0, runId = 0;
    std::string kind; ///< "checkpoint", "export"
    std::string path; ///< relative to the workspace when inside it, else absolute
    std::string sha256;
    std::int64_t bytes = 0;
    std::string createdAt;
};

/// Runs and their metric points in the workspace database.
class RunLog
{
public:
    explicit RunLog(Database& db) : m_db(db) {}
    Database& database() { return m_db; }

    std::int64_t create(const RunRecord& r);
    void update(const RunRecord& r); ///< name, message, dir, params, times (by id); not the status
    void setStatus(std::int64_t id, RunStatus status, const std::string& message = {});
    std::optional<RunRecord> find(std::int64_t id);
    RunRecord get(std::int64_t id); ///< throws InputError
    std::vector<RunRecord> list();
    /// The newest unfinished run (created, running, stopped, failed) with this config hash.
    std::optional<RunRecord> resumable(const std::string& configHash);
    /// The id of the newest run with this config hash, whatever its status (0: none).
    std::int64_t newestWithHash(const std::string& configHash);

    void setTags(std::int64_t id, const std::string& tags);
    void setNotes(std::int64_t id, const std::string& notes);
    void rename(std::int64_t id, const std::string& name);
    /// Deletes the run, its metric points and artifacts (the caller removes its folder).
    void remove(std::int64_t id);
    /// Best (max for cosines, min for losses) and last value of each metric of a run.
    struct Summary
    {
        std::string name;
        double last = 0, best = 0;
        std::int64_t points = 0;
    };
    std::vector<Summary> summaries(std::int64_t runId);

    /// Appends points in one transaction (fast: prepared statement, batched).
    void addMetrics(std::int64_t runId, const std::vector<MetricPoint>& points);
    /// Removes points logged after `step` (a resumed run redoes them).
    void truncateMetrics(std::int64_t runId, std::int64_t afterStep);
    std::vector<MetricPoint> metrics(std::int64_t runId, const std::string& name = {});
    /// Points logged after the row `afterRowid` (0: from the start), with their row ids, in order:
    /// what a live view reads every few tens of milliseconds.
    std::vector<std::pair<std::int64_t, MetricPoint>>
    metricsAfter(std::int64_t runId, std::int64_t afterRowid, int limit = 200000);
    /// Points of a run (a drop means a resumed run truncated its curve: re-read it).
    std::int64_t metricCount(std::int64_t runId);

    /// Records a file of a run (replacing an earlier record of the same kind and path).
    void addArtifact(const ArtifactRecord& a);
    std::vector<ArtifactRecord> artifacts(std::int64_t runId);

private:
    Database& m_db;
};

} // namespace ssondo
