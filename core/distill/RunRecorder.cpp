// SPDX-License-Identifier: GPL-3.0-or-later
#include "distill/RunRecorder.h"

#include "data/EmbeddingCatalog.h"
#include "distill/TrainConfig.h"
#include "distributed/DataParallel.h"
#include "experiments/JobLog.h"
#include "util/AtomicFile.h"
#include "util/Hash.h"
#include "util/ProgressSink.h"
#include "workspace/Workspace.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace ssondo {

RunRecorder::RunRecorder(Workspace& ws, DataParallel& dp, std::string commandLine, ProgressSink& sink)
    : m_ws(ws), m_dp(dp), m_runs(ws.database()), m_commandLine(std::move(commandLine)), m_sink(sink),
      m_enabled(dp.leads()), m_lastFlush(std::chrono::steady_clock::now()), m_started(m_lastFlush)
{
}

RunRecord& RunRecorder::open(const TrainConfig& cfg, const EmbeddingSetRecord& set, std::int64_t resumeRunId)
{
    m_dp.barrier(); // every rank has read what it needs before rank 0 writes
    if (!m_enabled) {
        // Rank 0 chose or created the run; the others take its id and name.
        const std::string idName = m_dp.broadcast("", "run");
        m_run.id = std::stoll(idName.substr(0, idName.find('\n')));
        m_run.name = idName.substr(idName.find('\n') + 1);
    } else if (resumeRunId > 0) {
        m_run = m_runs.get(resumeRunId);
        m_existing = true;
    } else if (auto r = m_runs.resumable(cfg.hash())) {
        m_run = *r;
        m_existing = true;
    } else {
        m_run.name = cfg.name.empty() ? cfg.arch + "-" + cfg.loss + "-" + cfg.sampler : cfg.name;
        m_run.embeddingSetId = set.id;
        m_run.teacher = set.teacherDescription;
        m_run.clusteringId = cfg.clustering;
        m_run.student = cfg.arch + (cfg.width != 1.0 ? " x" + std::to_string(cfg.width).substr(0, 4) : "");
        m_run.sampler = cfg.sampler;
        m_run.loss = cfg.loss;
        m_run.seed = cfg.seed;
        m_run.configToml = cfg.toToml();
        m_run.configHash = cfg.hash();
        for (const auto& t : cfg.tags)
            m_run.tags += (m_run.tags.empty() ? "" : ",") + t;
        m_run.id = m_runs.create(m_run);
        if (cfg.name.empty())
            m_run.name += "-" + std::to_string(m_run.id);
    }
    if (m_enabled)
        m_dp.broadcast(std::to_string(m_run.id) + "\n" + m_run.name, "run");
    if (m_enabled) {
        fs::create_directories(runDir());
        writeFileAtomic((fs::path(runDir()) / "config.toml").string(),
                        m_run.configToml.empty() ? cfg.toToml() : m_run.configToml);
    }
    m_run.dir = fs::relative(runDir(), m_ws.dir()).string();
    return m_run;
}

std::string RunRecorder::runDir() const
{
    return (fs::path(m_ws.runsDir()) / std::to_string(m_run.id)).string();
}

void RunRecorder::start(std::int64_t step, std::int64_t totalSteps, bool resumed)
{
    m_firstStep = step;
    m_totalSteps = totalSteps;
    m_started = std::chrono::steady_clock::now();
    if (!m_enabled)
        return;
    m_runs.truncateMetrics(m_run.id, resumed ? step : -1);
    m_runs.update(m_run);
    m_runs.setStatus(m_run.id, RunStatus::Running);
    m_jobId = JobLog(m_ws.database()).start("train", m_run.name, m_commandLine, {}, m_run.id);
}

void RunRecorder::metric(const std::string& name, double value, std::int64_t step, std::int64_t epoch,
                         double wallSeconds)
{
    if (!m_enabled)
        return;
    m_buffer.push_back({step, epoch, wallSeconds, name, value});
    m_sink.metric(name, value, step, epoch);
}

void RunRecorder::flush(bool force, std::int64_t step)
{
    const auto now = std::chrono::steady_clock::now();
    if (!m_enabled || (!force && now - m_lastFlush < std::chrono::seconds(2)))
        return;
    m_runs.addMetrics(m_run.id, m_buffer);
    m_buffer.clear();
    // Steps per second of wall time (validation included), in the unit of done/total, so that the
    // jobs dock's ETA is right.
    const double secs = std::chrono::duration<double>(now - m_started).count();
    JobLog(m_ws.database())
        .progress(m_jobId, step, m_totalSteps, secs > 0 ? double(step - m_firstStep) / secs : 0.0);
    m_lastFlush = now;
}

void RunRecorder::addCheckpoint(const std::string& path)
{
    if (!m_enabled || !fs::exists(path))
        return;
    ArtifactRecord art;
    art.runId = m_run.id;
    art.kind = "checkpoint";
    art.path = (fs::path(m_run.dir) / "checkpoint.pt").string();
    art.sha256 = sha256File(path);
    art.bytes = std::int64_t(fs::file_size(path));
    m_runs.addArtifact(art);
}

void RunRecorder::finish(RunStatus status, const std::string& summary)
{
    if (!m_enabled)
        return;
    m_runs.setStatus(m_run.id, status, summary);
    JobLog(m_ws.database())
        .finish(m_jobId, status == RunStatus::Done ? JobState::Done : JobState::Stopped, summary);
}

void RunRecorder::fail(const std::string& message)
{
    if (!m_enabled)
        return;
    try {
        m_runs.addMetrics(m_run.id, m_buffer);
        m_buffer.clear();
    } catch (...) {
        // the failure may be the database itself: the status below is what matters
    }
    m_runs.setStatus(m_run.id, RunStatus::Failed, message);
    if (m_jobId > 0)
        JobLog(m_ws.database()).finish(m_jobId, JobState::Failed, message);
}

} // namespace ssondo
