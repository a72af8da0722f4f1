// SPDX-License-Identifier: GPL-3.0-or-later
#include "clustering/KMeans.h"

#include "data/EmbeddingStore.h"
#include "util/Error.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"

#include <ATen/ATen.h>
#include <faiss/Clustering.h>
#include <faiss/IndexFlat.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace ssondo {

at::Tensor clusteringView(const at::Tensor& rows, bool normalize)
{
    if (!normalize)
        return rows.contiguous();
    return (rows / rows.norm(2, 1, true).clamp_min(1e-12)).contiguous();
}

namespace {

/// Greedy k-means++ seeding (Arthur & Vassilvitskii 2007; scikit-learn's variant with 2 + ln k
/// candidate draws per centre, keeping the one that lowers the potential most).
at::Tensor plusPlusSeeds(const at::Tensor& x, std::int64_t k, std::uint64_t seed)
{
    const std::int64_t m = x.size(0);
    std::mt19937_64 rng(seed);
    const int trials = 2 + int(std::log(double(k)));
    const at::Tensor sq = x.square().sum(1); // ‖x‖²
    auto distTo = [&](const at::Tensor& c) { // [m, c] squared distances to the rows of c
        return (sq.unsqueeze(1) - 2 * at::matmul(x, c.t()) + c.square().sum(1).unsqueeze(0)).clamp_min(0);
    };
    std::vector<std::int64_t> chosen{std::int64_t(rng() % std::uint64_t(m))};
    at::Tensor closest = distTo(x[chosen[0]].unsqueeze(0)).squeeze(1); // [m]
    std::uniform_real_distribution<double> uni(0.0, 1.0);
    for (std::int64_t c = 1; c < k; ++c) {
        const at::Tensor cum = closest.to(at::kDouble).cumsum(0);
        const double total = cum[m - 1].item<double>();
        std::vector<std::int64_t> cand;
        for (int t = 0; t < trials; ++t) {
            const double u = uni(rng) * total;
            std::int64_t i = at::searchsorted(cum, at::scalar_tensor(u, at::kDouble)).item<std::int64_t>();
            cand.push_back(std::min(i, m - 1));
        }
        const at::Tensor candIdx = at::tensor(cand, at::kLong);
        const at::Tensor d =
            at::minimum(distTo(x.index_select(0, candIdx)), closest.unsqueeze(1)); // [m, trials]
        const std::int64_t best = d.sum(0).argmin().item<std::int64_t>();
        chosen.push_back(cand[size_t(best)]);
        closest = d.select(1, best).contiguous();
    }
    return x.index_select(0, at::tensor(chosen, at::kLong)).contiguous();
}

} // namespace

KMeansResult runKMeans(const EmbeddingStore& store, const std::vector<std::int64_t>& rows,
                       const KMeansOptions& o, ProgressSink* sinkIn, const StopToken* stop)
{
    ProgressSink& sink = sinkIn ? *sinkIn : nullProgressSink();
    const std::int64_t n = std::int64_t(rows.size()), d = store.dim();
    if (o.k < 2 || o.k > n)
        throw InputError("k-means: k must be in [2, " + std::to_string(n) +
                         "] (the number of embedded clips), got " + std::to_string(o.k));
    if (o.iterations < 1 || o.restarts < 1)
        throw InputError("k-means: iterations and restarts must be >= 1");

    // 1. Train on a seeded sample.
    const std::int64_t cap = o.maxTrainRows > 0 ? o.maxTrainRows : 256 * o.k;
    std::vector<std::int64_t> sample = rows;
    if (n > cap) {
        std::shuffle(sample.begin(), sample.end(), std::mt19937_64(o.seed));
        sample.resize(size_t(cap));
        std::sort(sample.begin(), sample.end());
    }
    const at::Tensor x = clusteringView(store.rowsAt(sample), o.normalize);
    faiss::ClusteringParameters cp;
    cp.niter = o.iterations;
    cp.nredo = o.plusPlus ? 1 : o.restarts;
    cp.spherical = o.normalize;
    cp.max_points_per_centroid = int(std::max<std::int64_t>(1, (cap + o.k - 1) / o.k));
    cp.min_points_per_centroid = 1;
    cp.verbose = false;
    sink.progress("kmeans", 0, n);
    std::vector<float> best;
    double bestObjective = std::numeric_limits<double>::infinity();
    // k-means++: each restart is a fresh seeding (seed + restart) and one Lloyd run; FAISS's own
    // restarts (random rows) otherwise.
    for (int restart = 0; restart < (o.plusPlus ? o.restarts : 1); ++restart) {
        if (stop && stop->requested())
            throw Error("k-means stopped; nothing was saved");
        cp.seed = int((o.seed + std::uint64_t(restart)) & 0x7fffffff);
        faiss::Clustering clus(int(d), int(o.k), cp);
        if (o.plusPlus) {
            at::Tensor seeds = plusPlusSeeds(x, o.k, o.seed + std::uint64_t(restart));
            if (o.normalize)
                seeds = clusteringView(seeds, true);
            clus.centroids.assign(seeds.data_ptr<float>(), seeds.data_ptr<float>() + o.k * d);
        }
        faiss::IndexFlatL2 trainIndex(d);
        clus.train(faiss::Index::idx_t(x.size(0)), x.data_ptr<float>(), trainIndex);
        const double objective = clus.iteration_stats.empty() ? 0.0 : clus.iteration_stats.back().obj;
        if (best.empty() || objective < bestObjective)
            best = clus.centroids, bestObjective = objective;
    }
    faiss::IndexFlatL2 index(d);
    index.add(o.k, best.data());

    KMeansResult r;
    r.trainRows = x.size(0);
    r.centroids = at::from_blob(best.data(), {o.k, d}, at::kFloat).clone();
    // 2. Assign every row in batches straight from the store.
    r.assignment.resize(size_t(n));
    r.sizes.assign(size_t(o.k), 0);
    constexpr std::int64_t kBatch = 16384;
    std::vector<float> dist(kBatch);
    std::vector<faiss::Index::idx_t> label(kBatch);
    for (std::int64_t s = 0; s < n; s += kBatch) {
        if (stop && stop->requested())
            throw Error("k-means stopped before every clip was assigned; nothing was saved");
        const std::int64_t e = std::min(n, s + kBatch);
        const at::Tensor part =
            clusteringView(store.rowsAt({rows.begin() + s, rows.begin() + e}), o.normalize);
        index.search(e - s, part.data_ptr<float>(), 1, dist.data(), label.data());
        for (std::int64_t i = 0; i < e - s; ++i) {
            r.assignment[size_t(s + i)] = label[size_t(i)];
            ++r.sizes[size_t(label[size_t(i)])];
            r.inertia += double(dist[size_t(i)]);
        }
        sink.progress("kmeans", e, n);
    }
    return r;
}

} // namespace ssondo
