// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace ssondo {

class EmbeddingStore;

/// A 2-D map of embeddings for the Clusters page.
struct Projection2D
{
    at::Tensor coords;             ///< [n, 2] float32, one row per input row
    at::Tensor components;         ///< [2, D] principal axes (PCA)
    std::vector<double> explained; ///< share of the total variance on each axis (PCA)
    at::Tensor mean;               ///< [D] the mean the axes are centred on (PCA)
    /// Other rows ([m, D]) on the same axes.
    at::Tensor project(const at::Tensor& rows) const;
};

/// PCA to 2-D by randomised subspace iteration (Halko et al., 2011), streaming over the rows of a
/// memory-mapped store in batches: no D × D matrix, so 3840-d embeddings of millions of clips work.
/// Seeded; axes are oriented so that their largest loading is positive (stable colours and plots).
Projection2D pca2d(const EmbeddingStore& store, const std::vector<std::int64_t>& rows, bool normalize = false,
                   std::uint64_t seed = 42, int iterations = 6);

/// The same on rows in memory ([n, D]), unnormalised.
Projection2D pca2d(const at::Tensor& rows, std::uint64_t seed = 42, int iterations = 6);

} // namespace ssondo
