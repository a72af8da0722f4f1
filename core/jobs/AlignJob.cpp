// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/AlignJob.h"

#include "audio/LogMelFrontEnd.h"
#include "clustering/ClusteringCatalog.h"
#include "data/EmbeddingStore.h"
#include "distill/DataPipeline.h"
#include "distill/TargetNorm.h"
#include "experiments/RunLog.h"
#include "jobs/RunModels.h"
#include "util/Error.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "util/Threads.h"
#include "workspace/Workspace.h"

#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <unordered_map>

namespace fs = std::filesystem;

namespace ssondo {

namespace {

/// The teacher cluster of every dataset position, from the run's clustering (empty without one).
std::vector<std::int64_t> clustersOfRun(Workspace& ws, const RunModels& m, std::int64_t rows)
{
    if (m.config.clustering <= 0)
        return {};
    return ClusteringCatalog(ws.database()).assignments(m.config.clustering, rows);
}

/// Student + head on the sample, row-aligned (NaN rows for clips that fail to decode).
at::Tensor mappedEmbeddings(RunModels& m, const RunData& d, const std::vector<std::int64_t>& sample,
                            const AlignConfig& cfg, ProgressSink& sink, const StopToken& stop)
{
    const int workers = cfg.workers > 0 ? cfg.workers : std::max(1, logicalCores() - 1);
    DataPipeline pipeline({d.paths, d.store.get(), nullptr, m.config.clipSeconds}, LogMelOptions{}, workers,
                          &sink);
    std::vector<std::vector<std::int64_t>> batches;
    for (std::size_t i = 0; i < sample.size(); i += 16)
        batches.emplace_back(sample.begin() + long(i),
                             sample.begin() + long(std::min(sample.size(), i + 16)));
    std::unordered_map<std::int64_t, std::int64_t> slot;
    for (std::size_t i = 0; i < sample.size(); ++i)
        slot[sample[i]] = std::int64_t(i);
    at::Tensor out = at::full({std::int64_t(sample.size()), m.teacherDim}, NAN);
    torch::NoGradGuard ng;
    pipeline.start(batches);
    std::int64_t done = 0;
    while (auto b = pipeline.next()) {
        if (stop.requested())
            break;
        const at::Tensor pred = m.head->forward(m.student->forward(b->mel));
        for (std::size_t i = 0; i < b->items.size(); ++i)
            out[slot[b->items[i]]].copy_(pred[std::int64_t(i)]);
        done += std::int64_t(b->items.size());
        sink.progress("align", done, std::int64_t(sample.size()));
    }
    pipeline.stop();
    if (stop.requested())
        throw InputError("stopped");
    return out;
}

} // namespace

AlignResult AlignJob::run(Workspace& ws, const AlignConfig& cfg, ProgressSink& sink, const StopToken& stop)
{
    RunModels m = loadRunModels(ws, cfg.runId);
    const RunData d = loadRunData(ws, m.config);
    const std::string runDir = (fs::path(ws.dir()) / m.run.dir).string();
    const AlignmentLog log(runDir);
    const std::vector<std::int64_t> clusterOf = clustersOfRun(ws, m, d.store->rows());
    AlignResult res;
    res.runId = cfg.runId;
    if (log.epochs().empty()) {
        // No snapshot kept during training: one now, at the run's last checkpoint.
        const std::int64_t n =
            cfg.clips > 0 ? cfg.clips : AlignmentLog::defaultClips(std::int64_t(d.train.size()));
        const std::vector<std::int64_t> sample =
            log.hasSample() ? log.sample()
                            : AlignmentLog::chooseSample(d.train, clusterOf, n, std::uint64_t(m.config.seed));
        log.saveSample(sample);
        res.snapshotEpoch = std::int64_t(RunLog(ws.database()).metrics(cfg.runId, "val_cosine").size());
        sink.info("Run " + std::to_string(cfg.runId) + " kept no alignment snapshots: embedding " +
                  std::to_string(sample.size()) + " clips with its last checkpoint (epoch " +
                  std::to_string(res.snapshotEpoch) + ")");
        log.save(res.snapshotEpoch, mappedEmbeddings(m, d, sample, cfg, sink, stop));
        res.snapshotMade = true;
    }
    const std::vector<std::int64_t> sample = log.sample();
    res.clips = std::int64_t(sample.size());
    const TargetNorm norm = TargetNorm::ofRun(m.config.targetNorm, runDir, m.teacherDim);
    const at::Tensor teacher = norm.apply(d.store->rowsAt(sample));
    std::vector<std::int64_t> clusterOfRow;
    if (!clusterOf.empty())
        for (std::int64_t r : sample)
            clusterOfRow.push_back(clusterOf[std::size_t(r)]);
    for (std::int64_t e : log.epochs()) {
        const at::Tensor mapped = log.load(e);
        if (mapped.size(0) != res.clips)
            throw InputError(log.dir() + ": the snapshot of epoch " + std::to_string(e) + " has " +
                             std::to_string(mapped.size(0)) + " rows, the sample " +
                             std::to_string(res.clips));
        res.epochs.push_back(alignmentScores(e, teacher, mapped, clusterOfRow, cfg.k));
    }
    return res;
}

} // namespace ssondo
