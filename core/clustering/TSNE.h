// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace ssondo {

class ProgressSink;
class StopToken;

struct TsneOptions
{
    double perplexity = 30; ///< effective neighbours; lowered to (n − 1) / 3 for small sets
    int iterations = 1000;
    double theta = 0.5;            ///< Barnes–Hut accuracy (0: exact repulsion, O(n²))
    double earlyExaggeration = 12; ///< P multiplied during the first exaggerationIterations
    int exaggerationIterations = 250;
    double learningRate = 0; ///< 0: max(n / earlyExaggeration / 4, 50), scikit-learn's "auto"
    int pcaDims = 50;        ///< inputs wider than this are first reduced by PCA
    std::uint64_t seed = 42;
};

struct TsneResult
{
    at::Tensor coords;       ///< [n, 2] float32
    double klDivergence = 0; ///< KL(P‖Q) at the end (Q estimated with the same Barnes–Hut tree)
    int iterationsRun = 0;
    double perplexityUsed = 0;
};

/// Barnes–Hut t-SNE (van der Maaten, 2014) to two dimensions: PCA to pcaDims, exact k-nearest
/// neighbours (FAISS, k = 3 × perplexity) with per-point bandwidths found by bisection on the
/// perplexity, symmetric sparse affinities, PCA initialisation (scaled to std 1e-4), gradient
/// descent with momentum 0.5 → 0.8 and adaptive gains, repulsion from a quadtree with the θ
/// criterion. Deterministic for a seed on a given machine (per-point sums, fixed reduction order).
/// x: [n, D] float. Throws InputError for n < 4.
TsneResult tsne2d(const at::Tensor& x, const TsneOptions& options = {}, ProgressSink* sink = nullptr,
                  const StopToken* stop = nullptr);

} // namespace ssondo
