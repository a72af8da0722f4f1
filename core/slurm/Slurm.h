// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ssondo {

class Database;
class Workspace;

/// What a job asks of the cluster (the `sbatch` options `ssondo slurm` writes).
struct SlurmResources
{
    std::string partition; ///< empty: the cluster's default
    std::string time = "04:00:00";
    std::string account, qos, mem;  ///< optional
    int nodes = 1;                  ///< training: nodes
    int tasksPerNode = 1;           ///< training: ranks per node
    int gpus = 0;                   ///< GPUs per node (training) or per shard (extraction)
    int cpusPerTask = 0;            ///< 0: not set
    std::vector<std::string> extra; ///< more sbatch options, verbatim ("--constraint=a100")
};

/// One submission recorded in the workspace (table slurm_jobs).
struct SlurmJobRecord
{
    std::int64_t id = 0;
    std::string slurmJobId; ///< the job (training) or job array (extraction)
    std::string mergeJobId; ///< extraction: the job that merges the shards after the array
    std::string kind;       ///< extract | train | sweep (target "sweep:ID")
    std::string target;     ///< dataset or run name
    std::string command;    ///< the `ssondo slurm ...` command as typed
    std::string jobCommand; ///< the `ssondo ...` command each task runs
    std::string scriptPath; ///< the sbatch script (relative to the workspace)
    int tasks = 1;          ///< shards or ranks
    std::string partsPath;  ///< extraction: part folder (relative), for progress
    std::string state = "PENDING", reason;
    std::string submittedAt, updatedAt;
};

/// Progress of a submission read from the workspace: the shards' progress files (extraction) or
/// the job rows that rank 0 / the merge step write.
struct SlurmProgress
{
    std::int64_t done = 0, total = -1;
    double rate = 0;     ///< clips/s or steps/s
    std::string detail;  ///< "2 of 2 shards running" or the training job's message
    std::string summary; ///< workspace outcome once finished
};

/// Writing, submitting and following Slurm jobs. Scripts run the same `ssondo` binary (a path the
/// compute nodes can see) on the same workspace, which must be on a shared file system.
class Slurm
{
public:
    /// Script for an extraction array: task I runs `ssondo -w WS extract ARGS --shard I/N`.
    static std::string extractArrayScript(const std::string& ssondo, const std::string& workspace,
                                          const std::vector<std::string>& extractArgs, int shards,
                                          const SlurmResources& res, const std::string& logDir,
                                          const std::string& name);
    /// Script of the step after the array: `ssondo -w WS extract ARGS --merge-shards N`.
    static std::string mergeScript(const std::string& ssondo, const std::string& workspace,
                                   const std::vector<std::string>& extractArgs, int shards,
                                   const SlurmResources& res, const std::string& logDir,
                                   const std::string& name);
    /// Script for a sweep's job array: task I runs `ssondo -w WS sweep -c FILE --run-index I`,
    /// at most `parallel` at a time (0: as the cluster allows).
    static std::string sweepArrayScript(const std::string& ssondo, const std::string& workspace,
                                        const std::string& sweepFile, int runs, int parallel,
                                        const SlurmResources& res, const std::string& logDir,
                                        const std::string& name);
    /// Script for data-parallel training: `srun ssondo -w WS train ARGS` over nodes × tasks.
    static std::string trainScript(const std::string& ssondo, const std::string& workspace,
                                   const std::vector<std::string>& trainArgs, const SlurmResources& res,
                                   const std::string& logDir, const std::string& name);

    /// Runs `sbatch --parsable [--dependency=afterok:DEP] SCRIPT` and returns the job id. Throws
    /// Error with sbatch's message when it fails (or when sbatch is not installed).
    static std::string submit(const std::string& scriptPath, const std::string& afterOk = {});
    /// Cancels jobs (scancel).
    static void cancel(const std::vector<std::string>& jobIds);

    /// State of each job id ("PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED", ...):
    /// squeue for jobs still known to the controller, then `scontrol show job`, then sacct. An array
    /// reports its tasks' states combined (any running → RUNNING, any failed → FAILED...). Ids
    /// nobody knows any more are left out.
    static std::map<std::string, std::string> states(const std::vector<std::string>& jobIds);

    /// Shell-quoted words.
    static std::string quote(const std::string& word);
};

/// The workspace's record of submissions.
class SlurmCatalog
{
public:
    explicit SlurmCatalog(Database& db) : m_db(db) {}
    std::int64_t add(const SlurmJobRecord& r);
    std::vector<SlurmJobRecord> list(int limit = 100);
    SlurmJobRecord get(std::int64_t id);
    void setState(std::int64_t id, const std::string& state, const std::string& reason = {});
    /// Progress of `r` from the workspace (`workspaceDir` holds the part folders).
    SlurmProgress progress(const SlurmJobRecord& r, const std::string& workspaceDir);

private:
    Database& m_db;
};

/// A finished state (the job will not change any more).
bool slurmStateFinal(const std::string& state);

} // namespace ssondo
