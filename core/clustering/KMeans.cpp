#include "clustering/KMeans.h"

#include "data/EmbeddingStore.h"
#include "util/Error.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"

#include <ATen/ATen.h>
#include <faiss/Clustering.h>
#include <faiss/IndexFlat.h>

#include <algorithm>
#include <random>

namespace ssondo {

at::Tensor clusteringView(const at::Tensor& rows, bool normalize)
{
    if (!normalize)
        return rows.contiguous();
    return (rows / rows.norm(2, 1, true).clamp_min(1e-12)).contiguous();
}

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
    cp.nredo = o.restarts;
    cp.seed = int(o.seed & 0x7fffffff);
    cp.spherical = o.normalize;
    cp.max_points_per_centroid = int(std::max<std::int64_t>(1, (cap + o.k - 1) / o.k));
    cp.min_points_per_centroid = 1;
    cp.verbose = false;
    faiss::Clustering clus(int(d), int(o.k), cp);
    faiss::IndexFlatL2 index(d);
    sink.progress("kmeans", 0, n);
    clus.train(faiss::Index::idx_t(x.size(0)), x.data_ptr<float>(), index);

    KMeansResult r;
    r.trainRows = x.size(0);
    r.centroids = at::from_blob(clus.centroids.data(), {o.k, d}, at::kFloat).clone();
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
