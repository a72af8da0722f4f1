// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "clustering/ClusteringCatalog.h"
#include "clustering/TSNE.h"
#include "clustering/UMAP.h"

#include <ATen/core/Tensor.h>

#include <string>

namespace ssondo {

class ProgressSink;
class StopToken;
class Workspace;

struct MapConfig
{
    std::int64_t embeddings = 0;    ///< embedding set id
    std::string method = "tsne";    ///< "tsne", "umap" or "pca"
    std::int64_t maxPoints = 20000; ///< seeded sample of the embedded rows beyond this (0: all)
    bool normalize = false;         ///< L2-normalise rows first (cosine geometry)
    std::uint64_t seed = 42;
    TsneOptions tsne;
    UmapOptions umap;
    std::string commandLine;
};

/// A stored map with its coordinates: [store rows, 2] float32, NaN for rows not on the map.
struct MapData
{
    MapRecord record;
    at::Tensor coords;
};

/// 2-D maps of embedding sets for the Clusters page and for scripts: PCA (streamed, every row),
/// Barnes–Hut t-SNE or UMAP (on a seeded sample of up to maxPoints rows), stored in the workspace
/// with their trustworthiness (k = 10, on a seeded sample of at most 2,000 of the mapped rows).
class MapJob
{
public:
    static MapRecord run(Workspace& workspace, const MapConfig& config, ProgressSink& sink,
                         const StopToken& stop);
    /// Reads a stored map. Throws InputError when its file is missing or damaged.
    static MapData load(Workspace& workspace, std::int64_t mapId);
};

} // namespace ssondo
