// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/ChoiceTable.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ssondo {

class Database;

/// Where a job stands (the jobs table's state column).
enum class JobState { Queued, Running, Stopped, Failed, Done };
/// Names and meanings of the job states.
const ChoiceTable<Named<JobState>>& jobStates();

/// A job as recorded in the workspace (the jobs dock lists these).
struct JobRecord
{
    std::int64_t id = 0;
    std::string kind;    ///< "scan", "extract", "cluster", "train", "evaluate", "demo", ...
    std::string target;  ///< dataset, run or embedding set it works on
    std::string command; ///< the `ssondo ...` command line that runs it
    JobState state = JobState::Queued;
    std::int64_t pid = 0;
    std::string host;
    std::int64_t done = 0, total = -1;
    std::optional<double> rate;
    std::string message; ///< error or summary
    std::string logPath;
    std::string startedAt, updatedAt, finishedAt;
    std::string slurmJobId; ///< "123" or "123_4" (array task) when it ran inside a Slurm job
    std::int64_t runId = 0; ///< the training run a train job works on (0: not a train job)
};

/// Records jobs in the workspace database so that any process (GUI, terminal, Slurm) sees them.
class JobLog
{
public:
    explicit JobLog(Database& db) : m_db(db) {}

    /// Inserts a running job for this process (pid, host) and returns its id.
    std::int64_t start(const std::string& kind, const std::string& target, const std::string& command,
                       const std::string& logPath = {}, std::int64_t runId = 0);
    void progress(std::int64_t id, std::int64_t done, std::int64_t total, std::optional<double> rate);
    /// state: Done, Failed or Stopped.
    void finish(std::int64_t id, JobState state, const std::string& message);
    std::vector<JobRecord> list(int limit = 200);
    std::optional<JobRecord> get(std::int64_t id);
    /// The newest running job of training run `runId` (any host), if any.
    std::optional<JobRecord> runningJobOfRun(std::int64_t runId);
    /// Marks jobs "running" on this host whose process no longer exists as failed (crashed).
    int reapDead();

private:
    Database& m_db;
};

} // namespace ssondo
