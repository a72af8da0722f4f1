// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/MapJob.h"

#include "clustering/KMeans.h"
#include "clustering/MapQuality.h"
#include "clustering/Projection.h"
#include "data/EmbeddingCatalog.h"
#include "data/EmbeddingStore.h"
#include "data/NpyFile.h"
#include "experiments/JobLog.h"
#include "util/Error.h"
#include "util/ErrorText.h"
#include "util/Hash.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "workspace/Workspace.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <numeric>
#include <random>

namespace fs = std::filesystem;

namespace ssondo {

namespace {

/// The map's trustworthiness (k = 10) on a seeded sample of at most 2,000 of its rows, against the
/// rows it was computed from (normalised when the map was): a number to compare methods by.
void addTrustworthiness(const EmbeddingStore& store, const std::vector<std::int64_t>& rows,
                        const at::Tensor& coords, const MapConfig& cfg, nlohmann::json& params)
{
    constexpr std::int64_t kSample = 2000, kNeighbours = 10;
    std::vector<std::int64_t> pick(rows.size());
    std::iota(pick.begin(), pick.end(), 0);
    if (std::int64_t(pick.size()) > kSample) {
        std::shuffle(pick.begin(), pick.end(), std::mt19937_64(mixSeed(cfg.seed, 0x7e5)));
        pick.resize(size_t(kSample));
        std::sort(pick.begin(), pick.end());
    }
    if (std::int64_t(pick.size()) <= 2 * kNeighbours)
        return;
    std::vector<std::int64_t> storeRows;
    for (std::int64_t i : pick)
        storeRows.push_back(rows[size_t(i)]);
    const at::Tensor x = clusteringView(store.rowsAt(storeRows), cfg.normalize);
    const at::Tensor y = coords.index_select(0, at::tensor(pick, at::kLong));
    params["trustworthiness"] = trustworthiness(x, y, kNeighbours);
    params["trustworthiness_rows"] = std::int64_t(pick.size());
}

} // namespace

MapRecord MapJob::run(Workspace& ws, const MapConfig& cfg, ProgressSink& sink, const StopToken& stop)
{
    if (cfg.method != "tsne" && cfg.method != "umap" && cfg.method != "pca")
        throw InputError("--method must be tsne, umap or pca (got '" + cfg.method + "')");
    if (cfg.maxPoints < 0)
        throw InputError("--max-points must be >= 0");
    const auto t0 = std::chrono::steady_clock::now();
    Database& db = ws.database();
    const EmbeddingSetRecord es = EmbeddingCatalog(db).getUsable(cfg.embeddings, "map");
    const auto store = EmbeddingStore::open((fs::path(ws.dir()) / es.path).string());
    std::vector<std::int64_t> rows = store->rowsIn(EmbeddingStore::RowState::Done);
    if (cfg.method != "pca" && cfg.maxPoints > 0 && std::int64_t(rows.size()) > cfg.maxPoints) {
        std::shuffle(rows.begin(), rows.end(), std::mt19937_64(mixSeed(cfg.seed, 0x7a9)));
        rows.resize(size_t(cfg.maxPoints));
        std::sort(rows.begin(), rows.end());
        sink.info(std::string(cfg.method == "umap" ? "UMAP" : "t-SNE") + " on a seeded sample of " +
                  std::to_string(cfg.maxPoints) + " of " + std::to_string(store->rows()) + " clips");
    }
    JobLog jobs(db);
    const std::int64_t jobId = jobs.start(
        "map", "embedding set " + std::to_string(es.id) + " (" + cfg.method + ")", cfg.commandLine);
    try {
        nlohmann::json params{{"seed", cfg.seed}, {"normalized", cfg.normalize}};
        at::Tensor coords;
        int ran = 0, asked = 0; // iterations or epochs
        if (cfg.method == "pca") {
            const Projection2D p = pca2d(*store, rows, cfg.normalize, cfg.seed);
            coords = p.coords;
            params["explained"] = p.explained;
        } else if (cfg.method == "umap") {
            UmapOptions o = cfg.umap;
            o.seed = cfg.seed;
            const UmapResult r = umap2d(clusteringView(store->rowsAt(rows), cfg.normalize), o, &sink, &stop);
            coords = r.coords;
            ran = r.epochsRun, asked = r.epochs;
            params.update({{"neighbours", o.neighbours},
                           {"min_dist", o.minDist},
                           {"epochs", r.epochsRun},
                           {"init", r.initUsed},
                           {"a", r.a},
                           {"b", r.b},
                           {"components", r.components}});
        } else {
            TsneOptions o = cfg.tsne;
            o.seed = cfg.seed;
            const TsneResult r = tsne2d(clusteringView(store->rowsAt(rows), cfg.normalize), o, &sink, &stop);
            coords = r.coords;
            ran = r.iterationsRun, asked = o.iterations;
            params.update({{"perplexity", r.perplexityUsed},
                           {"iterations", r.iterationsRun},
                           {"theta", o.theta},
                           {"kl_divergence", r.klDivergence}});
        }
        if (stop.requested() && ran < asked) {
            jobs.finish(jobId, JobState::Stopped,
                        "stopped after " + std::to_string(ran) + " of " + std::to_string(asked));
            return {};
        }
        addTrustworthiness(*store, rows, coords, cfg, params);
        // One row per store row so that the map joins the clip table directly; NaN off the map.
        at::Tensor full = at::full({store->rows(), 2}, std::nanf(""), at::kFloat);
        full.index_copy_(0, at::tensor(rows, at::kLong), coords.to(at::kFloat));
        MapRecord rec;
        rec.embeddingSetId = es.id;
        rec.method = cfg.method;
        rec.paramsJson = params.dump();
        rec.rows = std::int64_t(rows.size());
        rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        fs::create_directories(fs::path(ws.dir()) / "maps");
        rec.path = "maps/set" + std::to_string(es.id) + "-" + cfg.method + "-" +
                   std::to_string(std::time(nullptr)) + "-" + std::to_string(jobId) + ".npy";
        const fs::path file = fs::path(ws.dir()) / rec.path;
        const fs::path tmp = file.string() + ".tmp";
        NpyFile::write(tmp.string(), {store->rows(), 2}, full.contiguous().data_ptr<float>());
        fs::rename(tmp, file);
        rec.id = ClusteringCatalog(db).addMap(rec);
        jobs.finish(jobId, JobState::Done, std::to_string(rec.rows) + " points, " + cfg.method);
        return rec;
    } catch (const std::exception& e) {
        jobs.finish(jobId, JobState::Failed, errorText(e));
        throw;
    }
}

MapData MapJob::load(Workspace& ws, std::int64_t mapId)
{
    MapData d;
    d.record = ClusteringCatalog(ws.database()).getMap(mapId);
    const std::string path = (fs::path(ws.dir()) / d.record.path).string();
    if (!fs::exists(path))
        throw InputError("map " + std::to_string(mapId) + ": its file " + path + " is missing");
    const NpyArray a = NpyFile::read(path);
    if (a.shape.size() != 2 || a.shape[1] != 2)
        throw InputError("map " + std::to_string(mapId) + ": " + path + " is not a [rows, 2] matrix");
    d.coords = at::from_blob(const_cast<float*>(a.data.data()), {a.shape[0], 2}, at::kFloat).clone();
    return d;
}

} // namespace ssondo
