// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clustering/ClusteringCatalog.h"
#include "clustering/KMeans.h"

#include <string>
#include <vector>

namespace ssondo {

class ProgressSink;
class StopToken;
class Workspace;

struct ClusterConfig
{
    std::int64_t embeddings = 0; ///< embedding set id
    KMeansOptions kmeans;
    std::vector<std::int64_t> kRange; ///< when not empty: a sweep over these k (each stored)
    std::string commandLine;
};

/// k-means on a set of teacher embeddings (every embedded clip assigned), its quality measures
/// (and, with labels, agreement with them), stored in the workspace with the centroids.
class ClusterJob
{
public:
    /// Returns the stored clusterings (one, or one per k of the sweep).
    static std::vector<ClusteringRecord> run(Workspace& workspace, const ClusterConfig& config,
                                             ProgressSink& sink, const StopToken& stop);
};

} // namespace ssondo
