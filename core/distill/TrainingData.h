// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/DatasetCatalog.h"
#include "data/EmbeddingCatalog.h"
#include "data/Sampler.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace c10 {
struct Device;
}

namespace ssondo {

class EmbeddingStore;
class Workspace;
struct TrainConfig;

struct TrainValSplit
{
    std::vector<std::int64_t> train, val; ///< sorted store rows
};
/// The run's deterministic split of the embedded rows: a share `valFraction` (at least one row
/// when > 0) held out for validation, chosen by the seed. Agreement and evaluation reuse it.
TrainValSplit splitTrainVal(const std::vector<std::int64_t>& pool, std::int64_t seed, double valFraction);

/// Mean of the given rows of a store, [dim] float32, summed in float64 chunks (the set may not
/// fit in memory).
at::Tensor meanRows(const EmbeddingStore& store, const std::vector<std::int64_t>& rows);

/// What a run trains on, read from the workspace: the teacher's embedding set and its dataset,
/// the clips' paths, the deterministic train / validation split, the teacher cluster of every
/// row (when the sampler or the loss needs clusters) and the sampler over the training rows.
class TrainingData
{
public:
    /// Resolves config.embeddings (the latest usable set of config.dataset when 0) and
    /// config.dataset. Throws InputError saying what to do when something is missing or stale.
    static TrainingData load(Workspace& workspace, TrainConfig& config);

    const EmbeddingSetRecord& set() const { return m_set; }
    const DatasetRecord& dataset() const { return m_dataset; }
    const std::vector<ClipInfo>& clips() const { return m_clips; }
    const EmbeddingStore& store() const { return *m_store; }
    const std::vector<std::string>& paths() const { return m_paths; } ///< absolute, by dataset position
    const std::vector<std::int64_t>& train() const { return m_train; }
    const std::vector<std::int64_t>& val() const { return m_val; }
    const Sampler& sampler() const { return *m_sampler; }
    /// Teacher cluster of each of `rows` on `device` ([n] int64), undefined without clusters.
    at::Tensor clustersOf(const std::vector<std::int64_t>& rows, const c10::Device& device) const;
    bool hasClusters() const { return !m_clusterOf.empty(); }
    std::int64_t clusterOf(std::int64_t row) const { return m_clusterOf[std::size_t(row)]; }
    /// 1 + the largest cluster id (0 without clusters).
    std::int64_t clusterCount() const;

private:
    void loadClusters(Workspace& workspace, std::int64_t clustering);

    EmbeddingSetRecord m_set;
    DatasetRecord m_dataset;
    std::vector<ClipInfo> m_clips;
    std::shared_ptr<EmbeddingStore> m_store;
    std::vector<std::string> m_paths;
    std::vector<std::int64_t> m_train, m_val, m_clusterOf;
    std::shared_ptr<Sampler> m_sampler;
};

} // namespace ssondo
