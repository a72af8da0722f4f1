// SPDX-License-Identifier: GPL-3.0-or-later
#include "clustering/Projection.h"

#include "clustering/KMeans.h"
#include "data/EmbeddingStore.h"
#include "util/Error.h"

#include <ATen/ATen.h>

namespace ssondo {

Projection2D pca2d(const EmbeddingStore& store, const std::vector<std::int64_t>& rows, bool normalize,
                   std::uint64_t seed, int iterations)
{
    const std::int64_t n = std::int64_t(rows.size()), d = store.dim();
    if (n < 3)
        throw InputError("PCA needs at least 3 embedded clips");
    constexpr std::int64_t kBatch = 8192;
    auto batch = [&](std::int64_t s) {
        const std::int64_t e = std::min(n, s + kBatch);
        return clusteringView(store.rowsAt({rows.begin() + s, rows.begin() + e}), normalize).to(at::kDouble);
    };
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
    p.coords = at::matmul(b, v).to(at::kFloat).contiguous();
    p.components = components.to(at::kFloat).contiguous();
    for (int a = 0; a < 2; ++a)
        p.explained.push_back(total > 0 ? s[a].item<double>() * s[a].item<double>() / total : 0.0);
    return p;
}

} // namespace ssondo
