// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ssondo {

class EmbeddingStore;

/// Quality of a clustering, as the Clusters page and `ssondo cluster` report it.
struct ClusterQuality
{
    double inertia = 0;          ///< Σ squared distance to the centroid (lower is tighter)
    double silhouette = 0;       ///< mean silhouette on a seeded sample, in [−1, 1] (higher is better)
    double calinskiHarabasz = 0; ///< between/within dispersion ratio (higher is better)
    double daviesBouldin = 0;    ///< mean worst-case similarity between clusters (lower is better)
    std::optional<double> nmi, ari, purity; ///< against labels, when the clips have labels
    std::int64_t silhouetteSample = 0;
};

/// Computes every measure, streaming over the rows of the store (x as clusteringView sees them).
/// labels: one per row ("" = none); label measures are computed when at least two distinct labels exist.
ClusterQuality clusterQuality(const EmbeddingStore& store, const std::vector<std::int64_t>& rows,
                              const std::vector<std::int64_t>& assignment, std::int64_t k, bool normalize,
                              const std::vector<std::string>& labels, std::int64_t silhouetteSample = 2000,
                              std::uint64_t seed = 42);

/// Label agreement of two partitions (exposed for tests).
double normalizedMutualInformation(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b);
double adjustedRandIndex(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b);
double purity(const std::vector<std::int64_t>& clusters, const std::vector<std::int64_t>& labels);

} // namespace ssondo
