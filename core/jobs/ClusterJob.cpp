// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/ClusterJob.h"

#include "data/DatasetCatalog.h"
#include "data/EmbeddingCatalog.h"
#include "data/EmbeddingStore.h"
#include "data/NpyFile.h"
#include "experiments/JobLog.h"
#include "util/Error.h"
#include "util/ErrorText.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "workspace/Workspace.h"

#include <ATen/ATen.h>

#include <chrono>
#include <filesystem>

namespace fs = std::filesystem;

namespace ssondo {

std::vector<ClusteringRecord> ClusterJob::run(Workspace& ws, const ClusterConfig& cfg, ProgressSink& sink,
                                              const StopToken& stop)
{
    const auto es = EmbeddingCatalog(ws.database()).getUsable(cfg.embeddings, "cluster");
    auto store = EmbeddingStore::open((fs::path(ws.dir()) / es.path).string());
    const auto rows = store->rowsIn(EmbeddingStore::RowState::Done);
    std::vector<std::string> labels;
    for (const auto& c : DatasetCatalog(ws.database()).clips(es.datasetId))
        labels.push_back(c.label);
    labels.resize(size_t(store->rows()));
    const std::vector<std::int64_t> ks =
        cfg.kRange.empty() ? std::vector<std::int64_t>{cfg.kmeans.k} : cfg.kRange;

    JobLog jobs(ws.database());
    const auto jobId = jobs.start("cluster", es.datasetName + " #" + std::to_string(es.id), cfg.commandLine);
    std::vector<ClusteringRecord> out;
    try {
        for (size_t i = 0; i < ks.size(); ++i) {
            if (stop.requested())
                break;
            const auto t0 = std::chrono::steady_clock::now();
            KMeansOptions o = cfg.kmeans;
            o.k = ks[i];
            const KMeansResult km = runKMeans(*store, rows, o, &sink, &stop);
            ClusteringRecord r;
            r.embeddingSetId = es.id;
            r.k = o.k;
            r.normalized = o.normalize;
            r.seed = std::int64_t(o.seed);
            r.iterations = o.iterations;
            r.restarts = o.restarts;
            r.init = o.plusPlus ? "k-means++" : "random";
            r.rows = std::int64_t(rows.size());
            r.quality = clusterQuality(*store, rows, km.assignment, o.k, o.normalize, labels, 2000, o.seed);
            r.sizes = km.sizes;
            r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            // Centroids next to the store, named by content so that a sweep never overwrites.
            const fs::path dir = fs::path(ws.dir()) / "clusterings";
            fs::create_directories(dir);
            const std::string name = "set" + std::to_string(es.id) + "-k" + std::to_string(o.k) +
                                     (o.normalize ? "-l2" : "") + "-seed" + std::to_string(o.seed) + "-" +
                                     std::to_string(std::time(nullptr)) + ".npy";
            NpyFile::write((dir / name).string(), {km.centroids.size(0), km.centroids.size(1)},
                           km.centroids.data_ptr<float>());
            r.centroidsPath = "clusterings/" + name;
            r.id = ClusteringCatalog(ws.database()).save(r, rows, km.assignment);
            sink.metric("silhouette", r.quality.silhouette, o.k, -1);
            sink.metric("inertia", r.quality.inertia, o.k, -1);
            sink.metric("davies_bouldin", r.quality.daviesBouldin, o.k, -1);
            sink.progress("sweep", std::int64_t(i + 1), std::int64_t(ks.size()));
            out.push_back(r);
        }
    } catch (const std::exception& e) {
        jobs.finish(jobId, JobState::Failed, errorText(e));
        throw;
    }
    jobs.finish(jobId, stop.requested() ? JobState::Stopped : JobState::Done,
                std::to_string(out.size()) + " clustering(s) of " + std::to_string(rows.size()) + " clips");
    return out;
}

} // namespace ssondo
