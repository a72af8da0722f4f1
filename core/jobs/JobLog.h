#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ssondo {

class Database;

/// A job as recorded in the workspace (the jobs dock lists these).
struct JobRecord
{
    std::int64_t id = 0;
    std::string kind;    ///< "scan", "extract", "cluster", "train", "evaluate", "demo", ...
    std::string target;  ///< dataset, run or embedding set it works on
    std::string command; ///< the `ssondo ...` command line that runs it
    std::string state;   ///< queued, running, stopped, failed, done
    std::int64_t pid = 0;
    std::string host;
    std::int64_t done = 0, total = -1;
    std::optional<double> rate;
    std::string message; ///< error or summary
    std::string logPath;
    std::string startedAt, updatedAt, finishedAt;
    std::string slurmJobId; ///< "123" or "123_4" (array task) when it ran inside a Slurm job
};

/// Records jobs in the workspace database so that any process (GUI, terminal, Slurm) sees them.
class JobLog
{
public:
    explicit JobLog(Database& db) : m_db(db) {}

    /// Inserts a running job for this process (pid, host) and returns its id.
    std::int64_t start(const std::string& kind, const std::string& target, const std::string& command,
                       const std::string& logPath = {});
    void progress(std::int64_t id, std::int64_t done, std::int64_t total, std::optional<double> rate);
    /// state: done, failed or stopped.
    void finish(std::int64_t id, const std::string& state, const std::string& message);
    std::vector<JobRecord> list(int limit = 200);
    std::optional<JobRecord> get(std::int64_t id);
    /// Marks jobs "running" on this host whose process no longer exists as failed (crashed).
    int reapDead();

private:
    Database& m_db;
};

} // namespace ssondo
