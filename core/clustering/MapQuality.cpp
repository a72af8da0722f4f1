// SPDX-License-Identifier: GPL-3.0-or-later
#include "clustering/MapQuality.h"

#include "clustering/Neighbours.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <vector>

namespace ssondo {

namespace {

/// Σ over the rows of one block of (rank − k) of the map neighbours ranked beyond k in the input.
/// d2: [rows, n] squared input distances (float64) of rows first … first + rows.
double blockPenalty(const at::Tensor& d2, std::int64_t first, const NeighbourLists& mapNb)
{
    const std::int64_t rows = d2.size(0), n = d2.size(1), k = mapNb.k;
    std::vector<double> part(static_cast<std::size_t>(rows), 0.0);
    const double* d = d2.data_ptr<double>();
    at::parallel_for(0, rows, 8, [&](std::int64_t b, std::int64_t e) {
        for (std::int64_t r = b; r < e; ++r) {
            const std::int64_t i = first + r;
            const double* row = d + r * n;
            for (std::int64_t m = 0; m < k; ++m) {
                const std::int64_t j = mapNb.of(i)[m];
                if (j < 0)
                    continue;
                // rank of j among i's other points: 1 + those strictly nearer (the point itself excluded)
                std::int64_t nearer = 0;
                for (std::int64_t l = 0; l < n; ++l)
                    nearer += (row[l] < row[j]) & (l != i);
                if (nearer + 1 > k)
                    part[size_t(r)] += double(nearer + 1 - k);
            }
        }
    });
    double sum = 0;
    for (double v : part) // fixed order: the same sum whatever the thread count
        sum += v;
    return sum;
}

} // namespace

double trustworthiness(const at::Tensor& x, const at::Tensor& y, std::int64_t k)
{
    if (x.dim() != 2 || y.dim() != 2 || x.size(0) != y.size(0))
        throw InputError("trustworthiness: the input and the map must be [n, ·] with the same n");
    const std::int64_t n = x.size(0);
    if (k < 1 || 2 * k >= n)
        throw InputError("trustworthiness: k must be in [1, n / 2) (k " + std::to_string(k) + ", n " +
                         std::to_string(n) + ")");
    const NeighbourLists mapNb = nearestOthers(y, k);
    const at::Tensor xd = x.to(at::kDouble).contiguous();
    const at::Tensor sq = xd.square().sum(1);
    constexpr std::int64_t kBlock = 512;
    double penalty = 0;
    for (std::int64_t s = 0; s < n; s += kBlock) {
        const std::int64_t rows = std::min(kBlock, n - s);
        const at::Tensor b = xd.narrow(0, s, rows);
        // ‖a‖² + ‖b‖² − 2ab in float64: ranks only need the order of the distances of one row.
        const at::Tensor d2 =
            (sq.narrow(0, s, rows).unsqueeze(1) + sq.unsqueeze(0) - 2.0 * at::matmul(b, xd.t())).contiguous();
        penalty += blockPenalty(d2, s, mapNb);
    }
    const double nn = double(n), kk = double(k);
    return 1.0 - penalty * 2.0 / (nn * kk * (2.0 * nn - 3.0 * kk - 1.0));
}

} // namespace ssondo
