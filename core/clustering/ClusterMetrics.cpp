#include "clustering/ClusterMetrics.h"

#include "clustering/KMeans.h"
#include "data/EmbeddingStore.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

namespace ssondo {

namespace {

using Table = std::map<std::pair<std::int64_t, std::int64_t>, double>;

double entropy(const std::map<std::int64_t, double>& counts, double n)
{
    double h = 0;
    for (const auto& [k, c] : counts)
        if (c > 0)
            h -= c / n * std::log(c / n);
    return h;
}

double comb2(double x)
{
    return x * (x - 1) / 2;
}

} // namespace

double normalizedMutualInformation(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b)
{
    const double n = double(a.size());
    std::map<std::int64_t, double> ca, cb;
    Table joint;
    for (size_t i = 0; i < a.size(); ++i) {
        ++ca[a[i]];
        ++cb[b[i]];
        ++joint[{a[i], b[i]}];
    }
    double mi = 0;
    for (const auto& [key, c] : joint)
        mi += c / n * std::log(c * n / (ca[key.first] * cb[key.second]));
    const double ha = entropy(ca, n), hb = entropy(cb, n);
    const double denom = (ha + hb) / 2; // arithmetic normalisation (scikit-learn's default)
    return denom > 0 ? std::clamp(mi / denom, 0.0, 1.0) : 1.0;
}

double adjustedRandIndex(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b)
{
    const double n = double(a.size());
    std::map<std::int64_t, double> ca, cb;
    Table joint;
    for (size_t i = 0; i < a.size(); ++i) {
        ++ca[a[i]];
        ++cb[b[i]];
        ++joint[{a[i], b[i]}];
    }
    double sumJoint = 0, sumA = 0, sumB = 0;
    for (const auto& [k, c] : joint)
        sumJoint += comb2(c);
    for (const auto& [k, c] : ca)
        sumA += comb2(c);
    for (const auto& [k, c] : cb)
        sumB += comb2(c);
    const double expected = sumA * sumB / comb2(n);
    const double maxIndex = (sumA + sumB) / 2;
    return maxIndex == expected ? 1.0 : (sumJoint - expected) / (maxIndex - expected);
}

double purity(const std::vector<std::int64_t>& clusters, const std::vector<std::int64_t>& labels)
{
    std::map<std::int64_t, std::map<std::int64_t, double>> table;
    for (size_t i = 0; i < clusters.size(); ++i)
        ++table[clusters[i]][labels[i]];
    double correct = 0;
    for (const auto& [c, row] : table) {
        double best = 0;
        for (const auto& [l, n] : row)
            best = std::max(best, n);
        correct += best;
    }
    return clusters.empty() ? 0.0 : correct / double(clusters.size());
}

ClusterQuality clusterQuality(const EmbeddingStore& store, const std::vector<std::int64_t>& rows,
                              const std::vector<std::int64_t>& assignment, std::int64_t k, bool normalize,
                              const std::vector<std::string>& labels, std::int64_t silhouetteSample,
                              std::uint64_t seed)
{
    ClusterQuality q;
    const std::int64_t n = std::int64_t(rows.size()), d = store.dim();
    // Pass 1: cluster sums, global sum, Σ‖x‖² (double precision).
    at::Tensor sums = at::zeros({k, d}, at::kDouble), counts = at::zeros({k}, at::kDouble);
    double sumSq = 0;
    constexpr std::int64_t kBatch = 8192;
    auto batchRows = [&](std::int64_t s, std::int64_t e) {
        return clusteringView(store.rowsAt({rows.begin() + s, rows.begin() + e}), normalize).to(at::kDouble);
    };
    auto batchLabels = [&](std::int64_t s, std::int64_t e) {
        return at::tensor(std::vector<std::int64_t>(assignment.begin() + s, assignment.begin() + e));
    };
    for (std::int64_t s = 0; s < n; s += kBatch) {
        const std::int64_t e = std::min(n, s + kBatch);
        const at::Tensor x = batchRows(s, e), c = batchLabels(s, e);
        sums.index_add_(0, c, x);
        counts.index_add_(0, c, at::ones({e - s}, at::kDouble));
        sumSq += x.square().sum().item<double>();
    }
    const at::Tensor safe = counts.clamp_min(1).unsqueeze(1);
    const at::Tensor means = sums / safe;
    const at::Tensor mu = sums.sum(0) / double(n);
    const double within = sumSq - (counts * means.square().sum(1)).sum().item<double>();
    const double between = (counts * (means - mu).square().sum(1)).sum().item<double>();
    q.inertia = within;
    const std::int64_t nonEmpty = (counts > 0).sum().item<std::int64_t>();
    q.calinskiHarabasz = (nonEmpty > 1 && n > nonEmpty && within > 0)
                             ? (between / double(nonEmpty - 1)) / (within / double(n - nonEmpty))
                             : 0.0;
    // Pass 2: mean distance of each cluster's points to its mean (Davies–Bouldin's scatter).
    at::Tensor scatter = at::zeros({k}, at::kDouble);
    for (std::int64_t s = 0; s < n; s += kBatch) {
        const std::int64_t e = std::min(n, s + kBatch);
        const at::Tensor x = batchRows(s, e), c = batchLabels(s, e);
        scatter.index_add_(0, c, (x - means.index_select(0, c)).norm(2, 1));
    }
    scatter = scatter / counts.clamp_min(1);
    const at::Tensor centreDist = at::cdist(means.unsqueeze(0), means.unsqueeze(0)).squeeze(0);
    double db = 0;
    std::int64_t used = 0;
    for (std::int64_t i = 0; i < k; ++i) {
        if (counts[i].item<double>() == 0)
            continue;
        double worst = 0;
        for (std::int64_t j = 0; j < k; ++j)
            if (j != i && counts[j].item<double>() > 0)
                worst = std::max(worst, (scatter[i].item<double>() + scatter[j].item<double>()) /
                                            std::max(1e-12, centreDist[i][j].item<double>()));
        db += worst;
        ++used;
    }
    q.daviesBouldin = used ? db / double(used) : 0.0;

    // Silhouette on a seeded sample.
    std::vector<std::int64_t> idx(static_cast<size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
        idx[size_t(i)] = i;
    if (n > silhouetteSample) {
        std::shuffle(idx.begin(), idx.end(), std::mt19937_64(seed));
        idx.resize(size_t(silhouetteSample));
    }
    std::vector<std::int64_t> sampleRows, sampleClusters;
    for (auto i : idx) {
        sampleRows.push_back(rows[size_t(i)]);
        sampleClusters.push_back(assignment[size_t(i)]);
    }
    q.silhouetteSample = std::int64_t(idx.size());
    const at::Tensor xs = clusteringView(store.rowsAt(sampleRows), normalize).to(at::kDouble);
    const at::Tensor dist = at::cdist(xs.unsqueeze(0), xs.unsqueeze(0)).squeeze(0); // [m, m]
    const at::Tensor cl = at::tensor(sampleClusters);
    const at::Tensor onehot = at::one_hot(cl, k).to(at::kDouble); // [m, k]
    const at::Tensor perCluster = at::matmul(dist, onehot);       // Σ distances to each cluster
    const at::Tensor sizes = onehot.sum(0);                       // [k]
    double sil = 0;
    auto pc = perCluster.accessor<double, 2>();
    auto sz = sizes.accessor<double, 1>();
    for (std::int64_t i = 0; i < std::int64_t(idx.size()); ++i) {
        const std::int64_t c = sampleClusters[size_t(i)];
        if (sz[c] <= 1)
            continue; // a singleton scores 0
        const double a = pc[i][c] / (sz[c] - 1);
        double b = 1e300;
        for (std::int64_t j = 0; j < k; ++j)
            if (j != c && sz[j] > 0)
                b = std::min(b, pc[i][j] / sz[j]);
        if (b < 1e300)
            sil += (b - a) / std::max(a, b);
    }
    q.silhouette = idx.empty() ? 0.0 : sil / double(idx.size());

    // Against labels.
    std::map<std::string, std::int64_t> ids;
    std::vector<std::int64_t> lab, clu;
    for (std::int64_t i = 0; i < n; ++i) {
        const std::string& l =
            labels.size() > size_t(rows[size_t(i)]) ? labels[size_t(rows[size_t(i)])] : std::string();
        if (l.empty())
            continue;
        lab.push_back(ids.emplace(l, std::int64_t(ids.size())).first->second);
        clu.push_back(assignment[size_t(i)]);
    }
    if (ids.size() >= 2) {
        q.nmi = normalizedMutualInformation(clu, lab);
        q.ari = adjustedRandIndex(clu, lab);
        q.purity = purity(clu, lab);
    }
    return q;
}

} // namespace ssondo
