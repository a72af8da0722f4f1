// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace ssondo {

/// Trustworthiness of a map (Venna & Kaski, 2001; scikit-learn's `trustworthiness`): how far the
/// k nearest neighbours of each point on the map are from being its k nearest in the input,
///   T(k) = 1 − 2 / (n k (2n − 3k − 1)) · Σ_i Σ_{j ∈ U_k(i)} (r(i, j) − k),
/// with r(i, j) the rank of j among i's neighbours in the input and U_k(i) the map neighbours that
/// are not input neighbours. 1 when every map neighbourhood is an input neighbourhood.
/// x: [n, D] input rows, y: [n, d] map; Euclidean in both. O(n² D) time, O(block · n) memory.
/// Throws InputError unless 1 ≤ k < n / 2.
double trustworthiness(const at::Tensor& x, const at::Tensor& y, std::int64_t k = 10);

} // namespace ssondo
