// SPDX-License-Identifier: GPL-3.0-or-later
#include "distill/TrainingData.h"

#include "clustering/ClusteringCatalog.h"
#include "data/EmbeddingStore.h"
#include "distill/Losses.h"
#include "distill/TrainConfig.h"
#include "util/Error.h"
#include "util/Hash.h"
#include "workspace/Workspace.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <filesystem>
#include <random>

namespace fs = std::filesystem;

namespace ssondo {

TrainValSplit splitTrainVal(const std::vector<std::int64_t>& pool, std::int64_t seed, double valFraction)
{
    std::vector<std::int64_t> shuffled = pool;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(mixSeed(std::uint64_t(seed), 0x5eed)));
    const std::size_t nVal =
        valFraction > 0
            ? std::max<std::size_t>(1, std::size_t(std::llround(valFraction * double(pool.size()))))
            : 0;
    TrainValSplit out;
    out.val.assign(shuffled.begin(), shuffled.begin() + long(nVal));
    out.train.assign(shuffled.begin() + long(nVal), shuffled.end());
    std::sort(out.val.begin(), out.val.end());
    std::sort(out.train.begin(), out.train.end());
    return out;
}

at::Tensor meanRows(const EmbeddingStore& store, const std::vector<std::int64_t>& rows)
{
    at::Tensor sum = at::zeros({store.dim()}, at::kDouble);
    for (std::size_t i = 0; i < rows.size(); i += 4096) {
        std::vector<std::int64_t> part(rows.begin() + long(i),
                                       rows.begin() + long(std::min(rows.size(), i + 4096)));
        sum += store.rowsAt(part).to(at::kDouble).sum(0);
    }
    return (sum / double(std::max<std::size_t>(1, rows.size()))).to(at::kFloat);
}

TrainingData TrainingData::load(Workspace& ws, TrainConfig& cfg)
{
    TrainingData d;
    EmbeddingCatalog embeddings(ws.database());
    if (cfg.embeddings > 0) {
        d.m_set = embeddings.getUsable(cfg.embeddings, "train on");
    } else if (auto latest = embeddings.latestFor(cfg.dataset)) {
        d.m_set = *latest;
    } else {
        throw InputError("no teacher embeddings for dataset '" + cfg.dataset +
                         "'; run `ssondo extract --dataset " + cfg.dataset + "` first");
    }
    cfg.embeddings = d.m_set.id;
    cfg.dataset = d.m_set.datasetName;
    d.m_store = EmbeddingStore::open((fs::path(ws.dir()) / d.m_set.path).string());
    DatasetCatalog datasets(ws.database());
    d.m_dataset = datasets.get(d.m_set.datasetName);
    if (d.m_dataset.version != d.m_set.datasetVersion)
        throw InputError("dataset '" + d.m_dataset.name + "' changed since embedding set " +
                         std::to_string(d.m_set.id) + " was extracted; run `ssondo extract --dataset " +
                         d.m_dataset.name + "` again");
    d.m_clips = datasets.clips(d.m_dataset.id);
    for (const auto& c : d.m_clips)
        d.m_paths.push_back((fs::path(d.m_dataset.root) / c.path).string());
    const std::vector<std::int64_t> pool = d.m_store->rowsIn(EmbeddingStore::RowState::Done);
    if (pool.size() < 4)
        throw InputError("embedding set " + std::to_string(d.m_set.id) + " has only " +
                         std::to_string(pool.size()) + " embedded clips; at least 4 are needed to train");
    auto split = splitTrainVal(pool, cfg.seed, cfg.valFraction);
    d.m_train = std::move(split.train);
    d.m_val = std::move(split.val);
    const SamplerEntry& sampler = samplers().get(cfg.sampler, "sampler.kind");
    if (sampler.needsClustering || losses().get(cfg.loss, "loss.kind").needsClusters)
        d.loadClusters(ws, cfg.clustering);
    std::vector<std::int64_t> trainClusters;
    if (d.hasClusters())
        for (auto r : d.m_train)
            trainClusters.push_back(d.clusterOf(r));
    d.m_sampler = std::make_shared<Sampler>(sampler.make(d.m_train, trainClusters, std::uint64_t(cfg.seed)));
    return d;
}

void TrainingData::loadClusters(Workspace& ws, std::int64_t clustering)
{
    ClusteringCatalog clusterings(ws.database());
    const ClusteringRecord cr = clusterings.get(clustering);
    if (cr.embeddingSetId != m_set.id)
        throw InputError("clustering " + std::to_string(cr.id) + " was made on embedding set " +
                         std::to_string(cr.embeddingSetId) + ", not on set " + std::to_string(m_set.id));
    m_clusterOf = clusterings.assignments(cr.id, m_store->rows());
    for (auto r : m_train)
        if (m_clusterOf[std::size_t(r)] < 0)
            throw InputError("clustering " + std::to_string(cr.id) + " has no cluster for clip row " +
                             std::to_string(r) + "; cluster the embedding set again");
}

at::Tensor TrainingData::clustersOf(const std::vector<std::int64_t>& rows, const c10::Device& device) const
{
    if (m_clusterOf.empty())
        return {};
    std::vector<std::int64_t> c;
    for (auto r : rows)
        c.push_back(m_clusterOf[std::size_t(r)]);
    return at::tensor(c, at::TensorOptions().dtype(at::kLong)).to(device);
}

std::int64_t TrainingData::clusterCount() const
{
    return m_clusterOf.empty() ? 0 : *std::max_element(m_clusterOf.begin(), m_clusterOf.end()) + 1;
}

} // namespace ssondo
