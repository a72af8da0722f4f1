// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/ChoiceTable.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ssondo {

class Database;
struct SweepSpec;
struct SweepTrial;

/// Where one run of a sweep stands.
enum class SweepRunStatus { Pending, Running, Stopped, Failed, Pruned, Done };
const ChoiceTable<Named<SweepRunStatus>>& sweepRunStatuses();

/// A sweep as recorded in the experiment log.
struct SweepRecord
{
    std::int64_t id = 0;
    std::string name, specToml, specHash, method, metric;
    std::vector<std::string> keys; ///< the varied keys, in the sweep file's order
    std::string status = "created", message, createdAt, updatedAt;
};

/// One run of a sweep.
struct SweepRunRecord
{
    std::int64_t sweepId = 0;
    int index = 0, point = 0;
    std::int64_t seed = 0;
    std::vector<std::pair<std::string, std::string>> values;
    std::string configToml, configHash;
    std::int64_t runId = 0; ///< 0: not started yet
    SweepRunStatus status = SweepRunStatus::Pending;
    std::optional<double> metric;
    std::string message;
};

/// What each value of one varied key did: the metric's mean and spread over the finished runs
/// that had it.
struct SweepEffect
{
    std::string key, value;
    int runs = 0;
    double mean = 0, sd = 0, best = 0;
};

/// Sweeps and their runs in the workspace database.
class SweepLog
{
public:
    explicit SweepLog(Database& db) : m_db(db) {}

    /// The sweep of this spec (same hash) when it exists, else a new one with every run pending.
    /// Second member: true when it was created now.
    std::pair<SweepRecord, bool> openOrCreate(const SweepSpec& spec, const std::vector<SweepTrial>& trials);
    std::optional<SweepRecord> find(std::int64_t id);
    SweepRecord get(std::int64_t id); ///< throws InputError
    std::vector<SweepRecord> list();
    void setStatus(std::int64_t id, const std::string& status, const std::string& message = {});

    std::vector<SweepRunRecord> runs(std::int64_t sweepId);
    void setRun(std::int64_t sweepId, int index, SweepRunStatus status, std::int64_t runId,
                std::optional<double> metric, const std::string& message);
    /// The sweep's status from its runs (what array tasks, which have no scheduler, leave): done
    /// when none is left to run, else running.
    void updateStatusFromRuns(std::int64_t sweepId);
    /// Runs marked running whose process is gone (a killed sweep) become stopped: they resume.
    void releaseRunning(std::int64_t sweepId);

    /// Per varied key and value, over the done runs with a metric (higher is better).
    static std::vector<SweepEffect> effects(const SweepRecord& s, const std::vector<SweepRunRecord>& runs);

private:
    Database& m_db;
};

} // namespace ssondo
