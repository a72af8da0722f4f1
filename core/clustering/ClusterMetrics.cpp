// SPDX-License-Identifier: GPL-3.0-or-later
#include "clustering/ClusterMetrics.h"

#include "clustering/KMeans.h"
#include "data/EmbeddingStore.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
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

namespace {

/// Per cluster: mean, size and mean distance of its points to the mean (Davies–Bouldin's
/// scatter), and the within- and between-cluster sums of squares, in two streamed passes over the
/// rows (float64).
struct ClusterMoments
{
    at::Tensor means, counts, scatter;
    double within = 0, between = 0;
};

ClusterMoments moments(const EmbeddingStore& store, const std::vector<std::int64_t>& rows,
                       const std::vector<std::int64_t>& assignment, std::int64_t k, bool normalize)
{
    const std::int64_t n = std::int64_t(rows.size()), d = store.dim();
    constexpr std::int64_t kBatch = 8192;
    auto batch = [&](std::int64_t s, std::int64_t e) {
        return std::make_pair(
            clusteringView(store.rowsAt({rows.begin() + s, rows.begin() + e}), normalize).to(at::kDouble),
            at::tensor(std::vector<std::int64_t>(assignment.begin() + s, assignment.begin() + e)));
    };
    ClusterMoments m;
    at::Tensor sums = at::zeros({k, d}, at::kDouble);
    m.counts = at::zeros({k}, at::kDouble);
    double sumSq = 0;
    for (std::int64_t s = 0; s < n; s += kBatch) {
        const auto [x, c] = batch(s, std::min(n, s + kBatch));
        sums.index_add_(0, c, x);
        m.counts.index_add_(0, c, at::ones({x.size(0)}, at::kDouble));
        sumSq += x.square().sum().item<double>();
    }
    m.means = sums / m.counts.clamp_min(1).unsqueeze(1);
    const at::Tensor mu = sums.sum(0) / double(n);
    m.within = sumSq - (m.counts * m.means.square().sum(1)).sum().item<double>();
    m.between = (m.counts * (m.means - mu).square().sum(1)).sum().item<double>();
    m.scatter = at::zeros({k}, at::kDouble);
    for (std::int64_t s = 0; s < n; s += kBatch) {
        const auto [x, c] = batch(s, std::min(n, s + kBatch));
        m.scatter.index_add_(0, c, (x - m.means.index_select(0, c)).norm(2, 1));
    }
    m.scatter = m.scatter / m.counts.clamp_min(1);
    return m;
}

/// Davies–Bouldin: the mean over non-empty clusters i of max_j (s_i + s_j) / ‖μ_i − μ_j‖, in
/// blocks of clusters so that k = 100,000 needs a few hundred MB, not the k × k matrix at once.
double daviesBouldin(const ClusterMoments& m)
{
    const at::Tensor used = m.counts > 0;
    const std::int64_t k = m.means.size(0), nonEmpty = used.sum().item<std::int64_t>();
    if (nonEmpty < 2)
        return 0.0;
    const std::int64_t block = std::max<std::int64_t>(1, (std::int64_t(1) << 25) / k);
    double sum = 0;
    for (std::int64_t b = 0; b < k; b += block) {
        const std::int64_t e = std::min(k, b + block);
        const at::Tensor dist = at::cdist(m.means.slice(0, b, e), m.means).clamp_min(1e-12); // [block, k]
        at::Tensor ratio = (m.scatter.slice(0, b, e).unsqueeze(1) + m.scatter.unsqueeze(0)) / dist;
        at::Tensor skip = used.logical_not().unsqueeze(0).expand_as(ratio).clone(); // empty clusters j
        skip.diagonal(b).fill_(true); // j = i (diagonal offset b: row r is cluster b + r)
        ratio.masked_fill_(skip, 0.0);
        const at::Tensor worst = std::get<0>(ratio.max(1));
        sum += (worst * used.slice(0, b, e).to(at::kDouble)).sum().item<double>();
    }
    return sum / double(nonEmpty);
}

/// Mean silhouette of the sampled points x [m, d] (float64) with their clusters [m].
double silhouette(const at::Tensor& x, const at::Tensor& clusters, std::int64_t k)
{
    if (x.size(0) == 0)
        return 0.0;
    const at::Tensor dist = at::cdist(x.unsqueeze(0), x.unsqueeze(0)).squeeze(0); // [m, m]
    const at::Tensor onehot = at::one_hot(clusters, k).to(at::kDouble);           // [m, k]
    const at::Tensor perCluster = at::matmul(dist, onehot); // Σ distances to each cluster
    const at::Tensor sizes = onehot.sum(0);                 // [k]
    const at::Tensor own = sizes.index_select(0, clusters);
    const at::Tensor a = perCluster.gather(1, clusters.unsqueeze(1)).squeeze(1) / (own - 1).clamp_min(1);
    const at::Tensor mean = perCluster / sizes.clamp_min(1).unsqueeze(0);
    const at::Tensor excluded = onehot.to(at::kBool) | (sizes == 0).unsqueeze(0);
    const at::Tensor b = std::get<0>(mean.masked_fill(excluded, INFINITY).min(1));
    // A singleton scores 0, and so does a point with no other cluster to compare with.
    const at::Tensor s =
        ((b - a) / at::maximum(a, b).clamp_min(1e-300)).masked_fill((own <= 1) | at::isinf(b), 0.0);
    return s.sum().item<double>() / double(x.size(0));
}

/// NMI, ARI and purity against the clips' labels (clips without a label left out).
void scoreAgainstLabels(ClusterQuality& q, const std::vector<std::int64_t>& rows,
                        const std::vector<std::int64_t>& assignment, const std::vector<std::string>& labels)
{
    std::map<std::string, std::int64_t> ids;
    std::vector<std::int64_t> lab, clu;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string& l =
            labels.size() > std::size_t(rows[i]) ? labels[std::size_t(rows[i])] : std::string();
        if (l.empty())
            continue;
        lab.push_back(ids.emplace(l, std::int64_t(ids.size())).first->second);
        clu.push_back(assignment[i]);
    }
    if (ids.size() >= 2) {
        q.nmi = normalizedMutualInformation(clu, lab);
        q.ari = adjustedRandIndex(clu, lab);
        q.purity = purity(clu, lab);
    }
}

} // namespace

ClusterQuality clusterQuality(const EmbeddingStore& store, const std::vector<std::int64_t>& rows,
                              const std::vector<std::int64_t>& assignment, std::int64_t k, bool normalize,
                              const std::vector<std::string>& labels, std::int64_t silhouetteSample,
                              std::uint64_t seed)
{
    ClusterQuality q;
    const std::int64_t n = std::int64_t(rows.size());
    const ClusterMoments m = moments(store, rows, assignment, k, normalize);
    q.inertia = m.within;
    const std::int64_t nonEmpty = (m.counts > 0).sum().item<std::int64_t>();
    q.calinskiHarabasz = (nonEmpty > 1 && n > nonEmpty && m.within > 0)
                             ? (m.between / double(nonEmpty - 1)) / (m.within / double(n - nonEmpty))
                             : 0.0;
    q.daviesBouldin = daviesBouldin(m);
    // Silhouette on a seeded sample.
    std::vector<std::int64_t> idx(static_cast<std::size_t>(n));
    std::iota(idx.begin(), idx.end(), 0);
    if (n > silhouetteSample) {
        std::shuffle(idx.begin(), idx.end(), std::mt19937_64(seed));
        idx.resize(std::size_t(silhouetteSample));
    }
    std::vector<std::int64_t> sampleRows, sampleClusters;
    for (auto i : idx) {
        sampleRows.push_back(rows[std::size_t(i)]);
        sampleClusters.push_back(assignment[std::size_t(i)]);
    }
    q.silhouetteSample = std::int64_t(idx.size());
    q.silhouette = silhouette(clusteringView(store.rowsAt(sampleRows), normalize).to(at::kDouble),
                              at::tensor(sampleClusters), k);
    scoreAgainstLabels(q, rows, assignment, labels);
    return q;
}

} // namespace ssondo
