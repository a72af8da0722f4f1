// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/SweepJob.h"

#include "distill/TrainConfig.h"
#include "experiments/RunLog.h"
#include "jobs/EvaluateJob.h"
#include "jobs/TrainJob.h"
#include "util/Error.h"
#include "util/ErrorText.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "workspace/Workspace.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

namespace ssondo {

namespace {

/// Forwards a training run's reports, and stops it (its own token) when its validation cosine at an
/// epoch falls below stop_if_below of the best other run of the sweep at that epoch: decided at the
/// epoch's end, before the next epoch starts, from the curves in the log. The caller's token
/// (a signal, the GUI) is relayed to it.
class EarlyStopSink : public ProgressSink
{
public:
    EarlyStopSink(ProgressSink& inner, Workspace& ws, const SweepRecord& sweep, int index, double fraction,
                  const StopToken& outer)
        : m_inner(inner), m_ws(ws), m_sweep(sweep), m_index(index), m_fraction(fraction), m_outer(outer),
          m_relay([this] {
              while (!m_done.load()) {
                  if (m_outer.requested())
                      m_stop.request();
                  std::this_thread::sleep_for(std::chrono::milliseconds(50));
              }
          })
    {
    }
    ~EarlyStopSink() override
    {
        m_done.store(true);
        m_relay.join();
    }
    const StopToken& token() const { return m_stop; }
    /// Why the run was stopped early ("" when it was not).
    std::string reason() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_reason;
    }

    void progress(const std::string& stage, std::int64_t done, std::int64_t total) override
    {
        m_inner.progress(stage, done, total);
    }
    void warning(const std::string& message, const std::string& where) override
    {
        m_inner.warning(message, where);
    }
    void info(const std::string& message) override { m_inner.info(message); }
    void metric(const std::string& name, double value, std::int64_t step, std::int64_t epoch) override
    {
        m_inner.metric(name, value, step, epoch);
        if (name != "val_cosine" || m_fraction <= 0 || m_stop.requested())
            return;
        std::map<std::int64_t, double> best;
        std::vector<SweepRunRecord> others;
        for (const auto& r : SweepLog(m_ws.database()).runs(m_sweep.id))
            if (r.index != m_index)
                others.push_back(r);
        for (const auto& [run, curve] : SweepJob::curves(m_ws, others))
            for (const auto& [e, v] : curve)
                best[e] = best.count(e) ? std::max(best[e], v) : v;
        if (auto why = SweepJob::pruneReason({{epoch, value}}, best, m_fraction)) {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_reason = *why;
            m_inner.info(*why);
            m_stop.request();
        }
    }

private:
    ProgressSink& m_inner;
    Workspace& m_ws;
    const SweepRecord& m_sweep;
    int m_index;
    double m_fraction;
    const StopToken& m_outer;
    StopToken m_stop;
    mutable std::mutex m_mutex;
    std::string m_reason;
    std::atomic<bool> m_done{false};
    std::thread m_relay;
};

} // namespace

SweepRunOutcome SweepJob::runOne(Workspace& ws, const SweepRecord& sweep, const SweepRunRecord& run,
                                 const std::string& commandLine, ProgressSink& sink, const StopToken& stop,
                                 std::int64_t workers, double stopIfBelow)
{
    SweepLog log(ws.database());
    SweepRunOutcome out;
    out.runId = run.runId;
    log.setRun(sweep.id, run.index, SweepRunStatus::Running, run.runId, std::nullopt, {});
    try {
        TrainConfig cfg = TrainConfig::fromToml(run.configToml, "sweep " + std::to_string(sweep.id) +
                                                                    " run " + std::to_string(run.index + 1));
        if (workers > 0 && cfg.workers == 0)
            cfg.workers = workers;
        EarlyStopSink early(sink, ws, sweep, run.index, stopIfBelow, stop);
        const TrainResult r = TrainJob::run(ws, cfg, commandLine, early, early.token());
        out.runId = r.runId;
        if (r.stopped && !early.reason().empty()) {
            out.status = SweepRunStatus::Pruned;
            out.message = early.reason();
            RunLog(ws.database()).setStatus(r.runId, RunStatus::Stopped, out.message);
        } else if (r.stopped) {
            out.status = SweepRunStatus::Stopped;
            out.message = "stopped after " + std::to_string(r.epochsDone) + " epochs";
        } else if (const std::string task =
                       sweep.metric.rfind("probe:", 0) == 0 ? sweep.metric.substr(6) : "";
                   task.empty()) {
            out.status = SweepRunStatus::Done;
            out.metric = r.bestValCosine;
        } else {
            EvaluateConfig ec;
            ec.task = task;
            ec.runId = r.runId;
            ec.device = cfg.device;
            ec.commandLine = commandLine;
            const EvaluateResult e = EvaluateJob::run(ws, ec, sink, stop);
            out.status = e.stopped ? SweepRunStatus::Stopped : SweepRunStatus::Done;
            if (!e.stopped)
                out.metric = e.evaluation.mean;
        }
    } catch (const std::exception& e) {
        out.status = SweepRunStatus::Failed;
        out.message = errorText(e);
        if (out.runId == 0)
            out.runId = RunLog(ws.database()).newestWithHash(run.configHash);
    }
    log.setRun(sweep.id, run.index, out.status, out.runId, out.metric, out.message);
    return out;
}

std::optional<std::string> SweepJob::pruneReason(const std::map<std::int64_t, double>& mine,
                                                 const std::map<std::int64_t, double>& bestOthers,
                                                 double fraction)
{
    if (!(fraction > 0))
        return std::nullopt;
    for (const auto& [epoch, value] : mine) {
        const auto it = bestOthers.find(epoch);
        if (it == bestOthers.end() || !(it->second > 0))
            continue; // no other run there yet, or nothing to be a fraction of
        if (value < fraction * it->second) {
            char buf[200];
            std::snprintf(
                buf, sizeof buf,
                "stopped early at epoch %lld: validation cosine %.4f < %.2f x %.4f (the best run there)",
                (long long)epoch, value, fraction, it->second);
            return std::string(buf);
        }
    }
    return std::nullopt;
}

std::map<std::int64_t, std::map<std::int64_t, double>>
SweepJob::curves(Workspace& ws, const std::vector<SweepRunRecord>& runs)
{
    RunLog log(ws.database());
    std::map<std::int64_t, std::map<std::int64_t, double>> out;
    for (const auto& r : runs) {
        if (r.runId == 0)
            continue;
        auto& c = out[r.runId];
        for (const auto& p : log.metrics(r.runId, "val_cosine"))
            c[p.epoch] = p.value;
    }
    return out;
}

} // namespace ssondo
