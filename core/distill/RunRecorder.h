// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "experiments/RunLog.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace ssondo {

class DataParallel;
class ProgressSink;
class Workspace;
struct EmbeddingSetRecord;
struct TrainConfig;

/// Everything a training run writes to the workspace: its record and folder, its job row, its
/// metric points, and how it ends. In a data-parallel job only rank 0 writes; the other ranks
/// have a recorder that writes nothing (enabled() is false), so the trainer never asks which rank
/// it is. Metric points are buffered and written at most every 2 s, and always before a checkpoint:
/// a checkpoint never points past the logged curve.
class RunRecorder
{
public:
    RunRecorder(Workspace& workspace, DataParallel& dp, std::string commandLine, ProgressSink& sink);

    bool enabled() const { return m_enabled; }
    /// The run to continue (`resumeRunId`, else the unfinished run of the same config) or a new
    /// one; every rank gets rank 0's id and name. Creates the run folder and its config.toml.
    /// existing(): the run was there before.
    RunRecord& open(const TrainConfig& config, const EmbeddingSetRecord& set, std::int64_t resumeRunId);
    bool existing() const { return m_existing; }
    const RunRecord& run() const { return m_run; }
    std::string runDir() const; ///< absolute

    /// The run starts (again) at `step`: points after it are dropped (a resumed run redoes them),
    /// the record is updated and marked running, a job row is opened.
    void start(std::int64_t step, std::int64_t totalSteps, bool resumed);
    /// One metric point (to the sink at once, to the log with the next flush).
    void metric(const std::string& name, double value, std::int64_t step, std::int64_t epoch,
                double wallSeconds);
    /// Writes the buffered points and the job's progress when 2 s have passed, or now when forced.
    void flush(bool force, std::int64_t step);
    /// Records the checkpoint file as an artifact, with its checksum.
    void addCheckpoint(const std::string& path);
    void finish(RunStatus status, const std::string& summary);
    /// The run failed: what was buffered is written if it can be, then the status.
    void fail(const std::string& message);

private:
    Workspace& m_ws;
    DataParallel& m_dp;
    RunLog m_runs;
    std::string m_commandLine;
    ProgressSink& m_sink;
    bool m_enabled;
    RunRecord m_run;
    bool m_existing = false;
    std::int64_t m_jobId = 0, m_firstStep = 0, m_totalSteps = 0;
    std::vector<MetricPoint> m_buffer;
    std::chrono::steady_clock::time_point m_lastFlush, m_started;
};

} // namespace ssondo
