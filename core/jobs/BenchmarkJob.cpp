// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/BenchmarkJob.h"

#include "data/DatasetCatalog.h"
#include "data/EmbeddingCatalog.h"
#include "experiments/EvaluationLog.h"
#include "jobs/ExtractJob.h"
#include "util/ErrorText.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "workspace/Workspace.h"

#include <algorithm>

namespace ssondo {

namespace {

/// True when `evals` holds an evaluation of `task` at its current version.
bool evaluated(const std::vector<EvaluationRecord>& evals, const DatasetRecord& task)
{
    return std::any_of(evals.begin(), evals.end(), [&](const EvaluationRecord& e) {
        return e.task == task.name && e.taskVersion == task.version;
    });
}

/// The teacher of `set`'s embeddings of `task`, extracted now when it has none of its current version.
void ensureTeacherEmbeddings(Workspace& ws, const EmbeddingSetRecord& set, const DatasetRecord& task,
                             const EvaluateConfig& ev, ProgressSink& sink, const StopToken& stop)
{
    EmbeddingCatalog catalog(ws.database());
    const auto onTask = catalog.latestFor(task.name, set.teacherIdentity);
    if (onTask && onTask->datasetVersion == task.version && onTask->usable())
        return;
    ExtractConfig ex;
    ex.teacher.source = set.teacherSource;
    ex.teacher.sampleRate = set.teacherSampleRate;
    ex.teacher.windowSeconds = set.teacherWindow;
    ex.dataset = task.name;
    ex.device = ev.device;
    ex.workers = ev.workers;
    ex.commandLine = ev.commandLine;
    sink.info("Extracting the embeddings of '" + task.name + "' with " + set.teacherDescription);
    ExtractJob::run(ws, ex, sink, stop);
}

class Benchmark
{
public:
    Benchmark(Workspace& ws, const BenchmarkConfig& cfg, ProgressSink& sink, const StopToken& stop)
        : m_ws(ws), m_cfg(cfg), m_sink(sink), m_stop(stop), m_log(ws.database())
    {
    }

    BenchmarkResult run()
    {
        DatasetCatalog datasets(m_ws.database());
        std::vector<DatasetRecord> tasks;
        for (const auto& t : m_cfg.tasks)
            tasks.push_back(datasets.get(t));
        std::vector<std::string> identities;
        EmbeddingCatalog sets(m_ws.database());
        for (auto id : m_cfg.teacherSets) {
            const EmbeddingSetRecord set = sets.get(id);
            identities.push_back(set.teacherIdentity);
            for (const auto& task : tasks)
                teacherCell(set, task);
        }
        for (auto run : m_cfg.runs)
            for (const auto& task : tasks)
                studentCell(run, task);
        m_res.stopped = m_stop.requested();
        m_res.table = BenchmarkTable::build(m_ws.database(), m_cfg.runs, identities, m_cfg.tasks);
        return m_res;
    }

private:
    void teacherCell(const EmbeddingSetRecord& set, const DatasetRecord& task)
    {
        const std::string what = "teacher " + set.teacherDescription + " on " + task.name;
        if (m_stop.requested() || evaluated(m_log.latestPerTask(0, set.teacherIdentity), task))
            return;
        attempt(what, [&] {
            ensureTeacherEmbeddings(m_ws, set, task, m_cfg.evaluate, m_sink, m_stop);
            EvaluateConfig ev = m_cfg.evaluate;
            ev.task = task.name;
            ev.runId = 0;
            ev.teacherSet = set.id;
            return !EvaluateJob::run(m_ws, ev, m_sink, m_stop).stopped;
        });
    }

    void studentCell(std::int64_t run, const DatasetRecord& task)
    {
        const std::string what = "run " + std::to_string(run) + " on " + task.name;
        if (m_stop.requested() || evaluated(m_log.latestPerTask(run), task))
            return;
        attempt(what, [&] {
            EvaluateConfig ev = m_cfg.evaluate;
            ev.task = task.name;
            ev.runId = run;
            ev.teacherSet = 0;
            return !EvaluateJob::run(m_ws, ev, m_sink, m_stop).stopped;
        });
    }

    /// Runs one cell's evaluation; a failure is reported and the cell left missing.
    template <typename F> void attempt(const std::string& what, F&& evaluate)
    {
        m_sink.info("Evaluating " + what);
        try {
            if (evaluate())
                m_res.evaluated.push_back(what);
        } catch (const std::exception& e) {
            m_res.failed.push_back(what + ": " + errorText(e));
            m_sink.warning(errorText(e), what);
        }
    }

    Workspace& m_ws;
    const BenchmarkConfig& m_cfg;
    ProgressSink& m_sink;
    const StopToken& m_stop;
    EvaluationLog m_log;
    BenchmarkResult m_res;
};

} // namespace

BenchmarkResult BenchmarkJob::run(Workspace& workspace, const BenchmarkConfig& config, ProgressSink& sink,
                                  const StopToken& stop)
{
    return Benchmark(workspace, config, sink, stop).run();
}

} // namespace ssondo
