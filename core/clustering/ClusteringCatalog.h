// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clustering/ClusterMetrics.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ssondo {

class Database;

struct ClusteringRecord
{
    std::int64_t id = 0, embeddingSetId = 0, k = 0;
    bool normalized = false;
    std::int64_t seed = 0, iterations = 0, restarts = 0, rows = 0;
    std::string init = "k-means++"; ///< "k-means++" or "random"
    ClusterQuality quality;
    std::vector<std::int64_t> sizes;
    std::string centroidsPath; ///< relative to the workspace
    double seconds = 0;
    std::string createdAt;
};

/// A 2-D map of an embedding set (its coordinates live in a .npy file, one row per store row).
struct MapRecord
{
    std::int64_t id = 0, embeddingSetId = 0;
    std::string method;     ///< "pca" or "tsne"
    std::string paramsJson; ///< seed, perplexity, normalised, explained variance, KL...
    std::int64_t rows = 0;  ///< points on the map
    std::string path;       ///< relative to the workspace: [store rows, 2] float32, NaN off the map
    double seconds = 0;
    std::string createdAt;
};

/// Clusterings and their per-clip assignments in the workspace database.
class ClusteringCatalog
{
public:
    explicit ClusteringCatalog(Database& db) : m_db(db) {}

    /// Stores a clustering and its assignments (store row → cluster) in one transaction.
    std::int64_t save(ClusteringRecord r, const std::vector<std::int64_t>& rows,
                      const std::vector<std::int64_t>& clusters);
    std::vector<ClusteringRecord> list();
    ClusteringRecord get(std::int64_t id); ///< throws InputError
    /// Cluster of each store row (−1 where the row was not clustered), sized `rowCount`.
    std::vector<std::int64_t> assignments(std::int64_t id, std::int64_t rowCount);

    std::int64_t addMap(const MapRecord& r);
    /// Newest first; embeddingSetId 0: every set.
    std::vector<MapRecord> maps(std::int64_t embeddingSetId = 0);
    MapRecord getMap(std::int64_t id); ///< throws InputError

private:
    Database& m_db;
};

} // namespace ssondo
