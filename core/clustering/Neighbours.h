// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace ssondo {

/// How neighbours are measured: squared Euclidean distance, or inner product (cosine on unit rows).
enum class NeighbourMetric { SquaredL2, InnerProduct };

/// The k nearest *other* rows of every row, nearest first: row i's list is index[i·k … i·k + k)
/// with its distances (SquaredL2) or similarities (InnerProduct) in value; −1 where there are
/// fewer than k other rows.
struct NeighbourLists
{
    std::int64_t k = 0;
    std::vector<std::int64_t> index;
    std::vector<float> value;
    const std::int64_t* of(std::int64_t i) const { return index.data() + i * k; }
    const float* valuesOf(std::int64_t i) const { return value.data() + i * k; }
};

/// Exact k-nearest-neighbour search of x's rows among themselves (FAISS flat index). x: [n, D]
/// float32, contiguous. The row itself is skipped wherever FAISS ranks it (duplicates may come
/// first). One home for the searches of t-SNE, UMAP, trustworthiness and the agreement scores.
NeighbourLists nearestOthers(const at::Tensor& x, std::int64_t k,
                             NeighbourMetric metric = NeighbourMetric::SquaredL2);

} // namespace ssondo
