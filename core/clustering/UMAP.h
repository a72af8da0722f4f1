// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>

namespace ssondo {

class ProgressSink;
class StopToken;

struct UmapOptions
{
    int neighbours = 15;            ///< n_neighbors, the point itself included (umap-learn's convention)
    double minDist = 0.1;           ///< min_dist
    double spread = 1.0;            ///< spread
    int epochs = 0;                 ///< 0: 500 up to 10,000 points, else 200 (umap-learn's default)
    double learningRate = 1.0;      ///< initial SGD step, decayed linearly to 0
    int negativeSampleRate = 5;     ///< negative samples per positive sample
    double repulsionStrength = 1.0; ///< gamma
    std::string init = "spectral";  ///< "spectral" (Laplacian eigenmap of the graph) or "pca"
    std::uint64_t seed = 42;
};

struct UmapResult
{
    at::Tensor coords; ///< [n, 2] float32
    int epochsRun = 0;
    int epochs = 0;              ///< epochs asked for (after the default)
    double a = 0, b = 0;         ///< the low-dimensional curve 1 / (1 + a d^2b)
    std::string initUsed;        ///< "spectral", or "pca" and why (a graph in several pieces)
    std::int64_t edges = 0;      ///< directed edges of the fuzzy graph that are sampled
    std::int64_t components = 0; ///< connected components of the neighbour graph
};

/// The curve parameters (a, b) of 1 / (1 + a x^2b) fitted by least squares to 1 below min_dist
/// and exp(−(x − min_dist) / spread) above, on 300 points of [0, 3 · spread] (umap-learn's
/// find_ab_params; min_dist 0.1, spread 1 give a ≈ 1.577, b ≈ 0.895).
void umapCurve(double spread, double minDist, double& a, double& b);

/// UMAP (McInnes, Healy & Melville, 2018) to two dimensions, as umap-learn 0.5 computes it:
/// exact k nearest neighbours (FAISS, Euclidean), per-point ρ and σ by bisection so that the
/// memberships sum to log2 k, fuzzy union A + Aᵀ − A∘Aᵀ, edges below max / epochs dropped, a
/// spectral initialisation (the normalised Laplacian's 2nd and 3rd eigenvectors by Lanczos; PCA when
/// the graph is in several pieces) scaled to [0, 10], then SGD with negative sampling and a
/// linearly decaying rate. Sequential SGD with a seeded generator: the same map for a seed, whatever
/// the thread count (umap-learn is single-threaded too when it is given a random_state).
/// x: [n, D] float. Throws InputError for fewer than 4 points or bad options.
UmapResult umap2d(const at::Tensor& x, const UmapOptions& options = {}, ProgressSink* sink = nullptr,
                  const StopToken* stop = nullptr);

} // namespace ssondo
