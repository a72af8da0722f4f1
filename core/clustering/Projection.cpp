// SPDX-License-Identifier: GPL-3.0-or-later
#include "clustering/Projection.h"

#include "clustering/KMeans.h"
#include "data/EmbeddingStore.h"
#include "util/Error.h"

#include <ATen/ATen.h>

namespace ssondo {

namespace {

constexpr std::int64_t kBatch = 8192;

/// PCA of n rows of dimension d given batch by batch: batch(s) is rows s … s + kBatch (float64).
template <typename Batch>
Projection2D pcaOfBatches(std::int64_t n, std::int64_t d, Batch batch, std::uint64_t seed, int iterations)
{
    if (n < 3)
        throw InputError("PCA needs at least 3 embedded clips");
    at::Tensor mean = at::zeros({d}, at::kDouble);
    double total = 0; // Σ‖x − μ‖² for the explained-variance shares
    for (std::int64_t s = 0; s < n; s += kBatch)
        mean += batch(s).sum(0);
    mean /= double(n);
    const std::int64_t r = std::min<std::int64_t>({10, d, n}); // 2 axes + oversampling
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    at::Tensor q = std::get<0>(at::linalg_qr(at::randn({d, r}, gen, at::kDouble)));
    for (int it = 0; it < iterations; ++it) {
        at::Tensor z = at::zeros({d, r}, at::kDouble);
        for (std::int64_t s = 0; s < n; s += kBatch) {
            const at::Tensor x = batch(s) - mean;
            z += at::matmul(x.t(), at::matmul(x, q));
        }
        q = std::get<0>(at::linalg_qr(z));
    }
    // Project, then a small SVD in the subspace gives the axes and their variances.
    std::vector<at::Tensor> parts;
    for (std::int64_t s = 0; s < n; s += kBatch) {
        const at::Tensor x = batch(s) - mean;
        total += x.square().sum().item<double>();
        parts.push_back(at::matmul(x, q));
    }
    const at::Tensor b = at::cat(parts, 0); // [n, r]
    auto svd = at::linalg_svd(b, /*full_matrices=*/false);
    const at::Tensor s = std::get<1>(svd);
    at::Tensor v = std::get<2>(svd).slice(0, 0, 2).t(); // [r, 2]
    at::Tensor components = at::matmul(q, v).t();       // [2, D]
    for (int a = 0; a < 2; ++a) {
        const auto idx = components[a].abs().argmax().item<std::int64_t>();
        if (components[a][idx].item<double>() < 0) {
            components[a] *= -1;
            v.select(1, a).mul_(-1);
        }
    }
    Projection2D p;
    p.mean = mean.to(at::kFloat);
    p.coords = at::matmul(b, v).to(at::kFloat).contiguous();
    p.components = components.to(at::kFloat).contiguous();
    for (int a = 0; a < 2; ++a)
        p.explained.push_back(total > 0 ? s[a].item<double>() * s[a].item<double>() / total : 0.0);
    return p;
}

} // namespace

Projection2D pca2d(const EmbeddingStore& store, const std::vector<std::int64_t>& rows, bool normalize,
                   std::uint64_t seed, int iterations)
{
    const std::int64_t n = std::int64_t(rows.size());
    auto batch = [&](std::int64_t s) {
        const std::int64_t e = std::min(n, s + kBatch);
        return clusteringView(store.rowsAt({rows.begin() + s, rows.begin() + e}), normalize).to(at::kDouble);
    };
    return pcaOfBatches(n, store.dim(), batch, seed, iterations);
}

Projection2D pca2d(const at::Tensor& rows, std::uint64_t seed, int iterations)
{
    const at::Tensor x = rows.to(at::kDouble);
    auto batch = [&](std::int64_t s) { return x.narrow(0, s, std::min(kBatch, x.size(0) - s)); };
    return pcaOfBatches(x.size(0), x.size(1), batch, seed, iterations);
}

at::Tensor Projection2D::project(const at::Tensor& rows) const
{
    return at::matmul(rows.to(at::kFloat) - mean, components.t());
}

} // namespace ssondo
