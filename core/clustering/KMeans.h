// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace ssondo {

class EmbeddingStore;
class ProgressSink;
class StopToken;

struct KMeansOptions
{
    std::int64_t k = 50; ///< reference: 50
    int iterations = 25;
    int restarts = 1;              ///< runs from different seeds, the lowest objective kept
    bool plusPlus = true;          ///< k-means++ seeding (greedy, 2 + ln k trials); else random rows
    std::uint64_t seed = 42;       ///< reference: 42
    bool normalize = false;        ///< L2-normalise rows (spherical k-means); reference: raw
    std::int64_t maxTrainRows = 0; ///< rows sampled for training (0: 256 per centroid)
};

struct KMeansResult
{
    at::Tensor centroids;                 ///< [k, D] float32
    std::vector<std::int64_t> assignment; ///< cluster of rows[i]
    std::vector<std::int64_t> sizes;      ///< clips per cluster
    double inertia = 0;                   ///< Σ squared distance to the assigned centroid, all rows
    std::int64_t trainRows = 0;
};

/// FAISS k-means on the given rows of an embedding store, streaming: the centroids are trained on
/// a seeded sample (so more rows than fit in memory work), then every row is assigned in batches
/// read from the memory-mapped store. Throws InputError when k is not in [2, rows].
KMeansResult runKMeans(const EmbeddingStore& store, const std::vector<std::int64_t>& rows,
                       const KMeansOptions& options, ProgressSink* sink = nullptr,
                       const StopToken* stop = nullptr);

/// Rows [n, D] as the clustering sees them (L2-normalised when normalize).
at::Tensor clusteringView(const at::Tensor& rows, bool normalize);

} // namespace ssondo
