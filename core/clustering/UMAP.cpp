// SPDX-License-Identifier: GPL-3.0-or-later
#include "clustering/UMAP.h"

#include "clustering/Neighbours.h"
#include "clustering/Projection.h"
#include "util/Error.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace ssondo {

namespace {

/// A symmetric sparse graph in CSR form.
struct Graph
{
    std::int64_t n = 0;
    std::vector<std::int64_t> rowStart; // n + 1
    std::vector<std::int64_t> col;
    std::vector<double> val;
};

void checkInput(const at::Tensor& x, const UmapOptions& o)
{
    if (x.dim() != 2 || x.size(1) < 1)
        throw InputError("UMAP needs a [rows, dim] matrix");
    if (x.size(0) < 4)
        throw InputError("UMAP needs at least 4 points (got " + std::to_string(x.size(0)) + ")");
    if (o.neighbours < 2 || !(o.minDist >= 0) || !(o.spread > 0) || o.minDist > o.spread || o.epochs < 0 ||
        !(o.learningRate > 0) || o.negativeSampleRate < 0 || !(o.repulsionStrength >= 0))
        throw InputError("UMAP: neighbours must be >= 2, 0 <= min_dist <= spread, epochs >= 0, "
                         "learning rate > 0, negative sample rate >= 0");
    if (o.init != "spectral" && o.init != "pca")
        throw InputError("UMAP: init must be spectral or pca (got '" + o.init + "')");
    if (!at::isfinite(x).all().item<bool>())
        throw InputError("UMAP: the embeddings contain NaN or infinite values");
}

/// ρ_i (distance to the nearest other point) and σ_i (bisection: Σ_j exp(−(d_ij − ρ_i)/σ_i) = log2 k,
/// k counting the point itself), as umap-learn's smooth_knn_dist with local connectivity 1.
void smoothDistances(const std::vector<double>& dist, std::int64_t n, std::int64_t k,
                     std::vector<double>& rho, std::vector<double>& sigma)
{
    const double target = std::log2(double(k + 1));
    double meanAll = 0; // umap-learn's mean over the k + 1 columns, the point's own 0 included
    for (double d : dist)
        meanAll += std::isfinite(d) ? d : 0.0;
    meanAll /= double(n * (k + 1));
    rho.assign(size_t(n), 0.0);
    sigma.assign(size_t(n), 1.0);
    at::parallel_for(0, n, 256, [&](std::int64_t b, std::int64_t e) {
        for (std::int64_t i = b; i < e; ++i) {
            const double* d = dist.data() + i * k;
            double meanI = 0;
            for (std::int64_t j = 0; j < k; ++j) {
                if (std::isfinite(d[j]) && d[j] > 0 && rho[size_t(i)] == 0)
                    rho[size_t(i)] = d[j];
                meanI += std::isfinite(d[j]) ? d[j] : 0.0;
            }
            meanI /= double(k + 1);
            double lo = 0, hi = INFINITY, mid = 1;
            for (int it = 0; it < 64; ++it) {
                double psum = 0;
                for (std::int64_t j = 0; j < k; ++j) {
                    const double r = d[j] - rho[size_t(i)];
                    psum += !std::isfinite(d[j]) ? 0.0 : r > 0 ? std::exp(-r / mid) : 1.0;
                }
                if (std::abs(psum - target) < 1e-5)
                    break;
                if (psum > target)
                    hi = mid, mid = 0.5 * (lo + hi);
                else
                    lo = mid, mid = std::isinf(hi) ? mid * 2 : 0.5 * (lo + hi);
            }
            sigma[size_t(i)] = std::max(mid, 1e-3 * (rho[size_t(i)] > 0 ? meanI : meanAll));
        }
    });
}

/// The fuzzy simplicial set: memberships w_ij = exp(−(d_ij − ρ_i)/σ_i) (1 within ρ_i), then the
/// fuzzy union A + Aᵀ − A∘Aᵀ.
Graph fuzzyGraph(const NeighbourLists& nb, std::int64_t n)
{
    const std::int64_t k = nb.k;
    std::vector<double> dist(size_t(n * k));
    for (std::size_t a = 0; a < dist.size(); ++a)
        dist[a] = nb.index[a] < 0 ? INFINITY : std::sqrt(std::max(0.0f, nb.value[a]));
    std::vector<double> rho, sigma;
    smoothDistances(dist, n, k, rho, sigma);
    struct Entry
    {
        std::int64_t i, j;
        double w;
    };
    std::vector<Entry> entries;
    entries.reserve(size_t(2 * n * k));
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t m = 0; m < k; ++m) {
            const std::int64_t j = nb.of(i)[m];
            if (j < 0)
                continue;
            const double r = dist[size_t(i * k + m)] - rho[size_t(i)];
            const double w = r <= 0 ? 1.0 : std::exp(-r / sigma[size_t(i)]);
            entries.push_back({i, j, w});
            entries.push_back({j, i, w});
        }
    std::sort(entries.begin(), entries.end(),
              [](const Entry& x, const Entry& y) { return x.i != y.i ? x.i < y.i : x.j < y.j; });
    Graph g;
    g.n = n;
    g.rowStart.assign(size_t(n + 1), 0);
    for (std::size_t a = 0; a < entries.size();) {
        std::size_t b = a + 1;
        while (b < entries.size() && entries[b].i == entries[a].i && entries[b].j == entries[a].j)
            ++b;
        // One entry: only one of A_ij, A_ji is non-zero. Two: w1 + w2 − w1·w2.
        const double w =
            b - a == 1 ? entries[a].w : entries[a].w + entries[a + 1].w - entries[a].w * entries[a + 1].w;
        g.col.push_back(entries[a].j);
        g.val.push_back(w);
        ++g.rowStart[size_t(entries[a].i + 1)];
        a = b;
    }
    std::partial_sum(g.rowStart.begin(), g.rowStart.end(), g.rowStart.begin());
    return g;
}

/// Drops the edges below max / epochs (they would never be sampled), as umap-learn does.
Graph pruned(const Graph& g, int epochs)
{
    const double cut = *std::max_element(g.val.begin(), g.val.end()) / double(epochs);
    Graph p;
    p.n = g.n;
    p.rowStart.push_back(0);
    for (std::int64_t i = 0; i < g.n; ++i) {
        for (std::int64_t a = g.rowStart[size_t(i)]; a < g.rowStart[size_t(i + 1)]; ++a)
            if (g.val[size_t(a)] >= cut)
                p.col.push_back(g.col[size_t(a)]), p.val.push_back(g.val[size_t(a)]);
        p.rowStart.push_back(std::int64_t(p.col.size()));
    }
    return p;
}

std::int64_t componentCount(const Graph& g)
{
    std::vector<std::int64_t> parent(static_cast<std::size_t>(g.n));
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](std::int64_t v) {
        while (parent[size_t(v)] != v)
            v = parent[size_t(v)] = parent[size_t(parent[size_t(v)])];
        return v;
    };
    std::int64_t count = g.n;
    for (std::int64_t i = 0; i < g.n; ++i)
        for (std::int64_t a = g.rowStart[size_t(i)]; a < g.rowStart[size_t(i + 1)]; ++a) {
            const std::int64_t r = find(i), s = find(g.col[size_t(a)]);
            if (r != s)
                parent[size_t(r)] = s, --count;
        }
    return count;
}

/// y = D^−½ W D^−½ x for one vector (the normalised adjacency; its top eigenvalue is 1).
at::Tensor normalisedProduct(const Graph& g, const std::vector<double>& dinv, const at::Tensor& x)
{
    at::Tensor y = at::empty({g.n}, at::kDouble);
    const double* xv = x.data_ptr<double>();
    double* yv = y.data_ptr<double>();
    at::parallel_for(0, g.n, 1024, [&](std::int64_t b, std::int64_t e) {
        for (std::int64_t i = b; i < e; ++i) {
            double s = 0;
            for (std::int64_t a = g.rowStart[size_t(i)]; a < g.rowStart[size_t(i + 1)]; ++a)
                s += g.val[size_t(a)] * dinv[size_t(g.col[size_t(a)])] * xv[g.col[size_t(a)]];
            yv[i] = dinv[size_t(i)] * s;
        }
    });
    return y;
}

/// The eigenvectors of the 2nd and 3rd smallest eigenvalues of the normalised Laplacian
/// I − D^−½ W D^−½ of a connected graph: Lanczos with full reorthogonalisation on the normalised
/// adjacency, with its known top eigenvector D^½ 1 projected out. [n, 2] float64.
at::Tensor spectralLayout(const Graph& g, std::uint64_t seed)
{
    std::vector<double> deg(size_t(g.n), 0.0), dinv(size_t(g.n));
    for (std::int64_t i = 0; i < g.n; ++i) {
        for (std::int64_t a = g.rowStart[size_t(i)]; a < g.rowStart[size_t(i + 1)]; ++a)
            deg[size_t(i)] += g.val[size_t(a)];
        dinv[size_t(i)] = deg[size_t(i)] > 0 ? 1.0 / std::sqrt(deg[size_t(i)]) : 0.0;
    }
    at::Tensor top = at::tensor(deg, at::kDouble).sqrt();
    top /= top.norm();
    const std::int64_t steps =
        std::min<std::int64_t>(g.n - 1, std::max<std::int64_t>(60, std::int64_t(3 * std::sqrt(double(g.n)))));
    at::Tensor basis = at::zeros({steps + 1, g.n}, at::kDouble); // Lanczos vectors, one per row
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    at::Tensor q = at::randn({g.n}, gen, at::kDouble);
    q -= top * at::dot(top, q);
    basis[0] = q / q.norm();
    std::vector<double> alpha, beta;
    std::int64_t m = 0;
    for (; m < steps; ++m) {
        at::Tensor w = normalisedProduct(g, dinv, basis[m]);
        alpha.push_back(at::dot(w, basis[m]).item<double>());
        for (int pass = 0; pass < 2; ++pass) { // full reorthogonalisation, twice is enough
            const at::Tensor done = basis.narrow(0, 0, m + 1);
            w -= at::matmul(done.t(), at::matmul(done, w));
            w -= top * at::dot(top, w);
        }
        const double b = w.norm().item<double>();
        if (b < 1e-10) { // an invariant subspace: its eigenvalues are exact
            ++m;
            break;
        }
        beta.push_back(b);
        basis[m + 1] = w / b;
    }
    at::Tensor t = at::zeros({m, m}, at::kDouble);
    for (std::int64_t i = 0; i < m; ++i) {
        t[i][i] = alpha[size_t(i)];
        if (i + 1 < m)
            t[i][i + 1] = t[i + 1][i] = beta[size_t(i)];
    }
    auto [values, vectors] = at::linalg_eigh(t);                     // ascending
    const at::Tensor ritz = vectors.narrow(1, m - 2, 2).flip({1});   // the two largest
    at::Tensor layout = at::matmul(basis.narrow(0, 0, m).t(), ritz); // [n, 2]
    for (int a = 0; a < 2; ++a) { // stable orientation: the largest loading positive
        const auto idx = layout.select(1, a).abs().argmax().item<std::int64_t>();
        if (layout[idx][a].item<double>() < 0)
            layout.select(1, a).mul_(-1);
    }
    return layout;
}

/// The starting layout: scaled so that its largest coordinate is 10, jittered (σ 1e-4), then
/// each axis stretched to [0, 10], as umap-learn does.
std::vector<double> startingLayout(const at::Tensor& x, const Graph& g, const UmapOptions& o, UmapResult& res)
{
    at::Tensor init;
    if (o.init == "spectral" && res.components == 1 && g.n > 3) {
        init = spectralLayout(g, o.seed);
        res.initUsed = "spectral";
    } else {
        init = pca2d(x, o.seed).coords.to(at::kDouble);
        res.initUsed = o.init == "pca" ? "pca"
                                       : "pca (the neighbour graph has " + std::to_string(res.components) +
                                             " components)";
    }
    const double top = init.abs().max().item<double>();
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(o.seed + 1);
    init = init * (top > 0 ? 10.0 / top : 1.0) + 1e-4 * at::randn({g.n, 2}, gen, at::kDouble);
    const at::Tensor lo = std::get<0>(init.min(0)), hi = std::get<0>(init.max(0));
    init = (10.0 * (init - lo) / (hi - lo).clamp_min(1e-12)).contiguous();
    const double* p = init.data_ptr<double>();
    return {p, p + 2 * g.n};
}

/// SplitMix64: the negative samples, the same sequence on every machine.
struct Random
{
    std::uint64_t state;
    std::uint64_t next()
    {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
};

/// The SGD of umap-learn's optimize_layout_euclidean: every edge is sampled in proportion to its
/// weight; each sample pulls its two ends together and pushes its head from negativeSampleRate
/// random points.
class Layout
{
public:
    Layout(const Graph& g, std::vector<double> y, const UmapOptions& o, double a, double b)
        : m_y(std::move(y)), m_o(o), m_a(a), m_b(b), m_n(g.n), m_rng{o.seed ^ 0x5eedULL}
    {
        const double top = *std::max_element(g.val.begin(), g.val.end());
        for (std::int64_t i = 0; i < g.n; ++i)
            for (std::int64_t e = g.rowStart[size_t(i)]; e < g.rowStart[size_t(i + 1)]; ++e) {
                m_head.push_back(i);
                m_tail.push_back(g.col[size_t(e)]);
                m_every.push_back(top / g.val[size_t(e)]); // epochs between samples
            }
        m_next = m_every;
        for (double v : m_every)
            m_everyNeg.push_back(o.negativeSampleRate > 0 ? v / o.negativeSampleRate : INFINITY);
        m_nextNeg = m_everyNeg;
    }

    std::int64_t edges() const { return std::int64_t(m_head.size()); }
    const std::vector<double>& coords() const { return m_y; }

    void epoch(int e, double alpha)
    {
        for (std::size_t s = 0; s < m_head.size(); ++s) {
            if (m_next[s] > double(e))
                continue;
            double* cur = &m_y[size_t(2 * m_head[s])];
            attract(cur, &m_y[size_t(2 * m_tail[s])], alpha);
            m_next[s] += m_every[s];
            const int negatives =
                m_o.negativeSampleRate > 0 ? int((double(e) - m_nextNeg[s]) / m_everyNeg[s]) : 0;
            for (int p = 0; p < negatives; ++p) {
                const std::int64_t k = std::int64_t(m_rng.next() % std::uint64_t(m_n));
                if (k == m_head[s])
                    continue;
                repel(cur, &m_y[size_t(2 * k)], alpha);
            }
            m_nextNeg[s] += double(negatives) * m_everyNeg[s];
        }
    }

private:
    static double clip(double v) { return v > 4 ? 4 : v < -4 ? -4 : v; }

    void attract(double* cur, double* other, double alpha) const
    {
        const double dx = cur[0] - other[0], dy = cur[1] - other[1];
        const double d2 = dx * dx + dy * dy;
        if (d2 <= 0)
            return;
        const double pb = std::exp(m_b * std::log(d2)); // d2^b
        const double coeff = -2.0 * m_a * m_b * (pb / d2) / (m_a * pb + 1.0);
        const double gx = clip(coeff * dx) * alpha, gy = clip(coeff * dy) * alpha;
        cur[0] += gx, cur[1] += gy;
        other[0] -= gx, other[1] -= gy;
    }

    void repel(double* cur, const double* other, double alpha) const
    {
        const double dx = cur[0] - other[0], dy = cur[1] - other[1];
        const double d2 = dx * dx + dy * dy;
        if (d2 <= 0) { // the same place: the largest push, as umap-learn
            cur[0] += 4 * alpha, cur[1] += 4 * alpha;
            return;
        }
        const double pb = std::exp(m_b * std::log(d2));
        const double coeff = 2.0 * m_o.repulsionStrength * m_b / ((0.001 + d2) * (m_a * pb + 1.0));
        cur[0] += clip(coeff * dx) * alpha, cur[1] += clip(coeff * dy) * alpha;
    }

    std::vector<double> m_y;
    const UmapOptions& m_o;
    double m_a, m_b;
    std::int64_t m_n;
    Random m_rng;
    std::vector<std::int64_t> m_head, m_tail;
    std::vector<double> m_every, m_next, m_everyNeg, m_nextNeg;
};

} // namespace

void umapCurve(double spread, double minDist, double& a, double& b)
{
    // Levenberg–Marquardt on the two parameters from (1, 1).
    std::vector<double> xs, ys;
    for (int i = 1; i < 300; ++i) { // x = 0 fits exactly for any (a, b)
        const double x = 3.0 * spread * i / 299.0;
        xs.push_back(x);
        ys.push_back(x < minDist ? 1.0 : std::exp(-(x - minDist) / spread));
    }
    auto cost = [&](double pa, double pb) {
        double c = 0;
        for (std::size_t i = 0; i < xs.size(); ++i) {
            const double r = 1.0 / (1.0 + pa * std::pow(xs[i], 2 * pb)) - ys[i];
            c += r * r;
        }
        return c;
    };
    a = 1, b = 1;
    double lambda = 1e-3, current = cost(a, b);
    for (int it = 0; it < 200; ++it) {
        double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
        for (std::size_t i = 0; i < xs.size(); ++i) {
            const double p = std::pow(xs[i], 2 * b), u = 1.0 + a * p;
            const double r = 1.0 / u - ys[i];
            const double da = -p / (u * u), db = -a * p * 2.0 * std::log(xs[i]) / (u * u);
            jaa += da * da, jab += da * db, jbb += db * db, ga += da * r, gb += db * r;
        }
        const double m11 = jaa * (1 + lambda), m22 = jbb * (1 + lambda), det = m11 * m22 - jab * jab;
        const double sa = -(m22 * ga - jab * gb) / det, sb = -(m11 * gb - jab * ga) / det;
        const double next = cost(a + sa, b + sb);
        if (next < current) {
            a += sa, b += sb, lambda *= 0.3;
            if (current - next < 1e-15 * current)
                break;
            current = next;
        } else {
            lambda *= 10;
        }
    }
}

UmapResult umap2d(const at::Tensor& input, const UmapOptions& o, ProgressSink* sink, const StopToken* stop)
{
    checkInput(input, o);
    const at::Tensor x = input.to(at::kFloat).contiguous();
    const std::int64_t n = x.size(0);
    UmapResult res;
    res.epochs = o.epochs > 0 ? o.epochs : (n <= 10000 ? 500 : 200);
    umapCurve(o.spread, o.minDist, res.a, res.b);
    const std::int64_t k = std::min<std::int64_t>(o.neighbours - 1, n - 1);
    if (sink)
        sink->info("UMAP on " + std::to_string(n) + " points (" + std::to_string(x.size(1)) + "-d), " +
                   std::to_string(k + 1) + " neighbours, min_dist " + std::to_string(o.minDist));
    const Graph g = pruned(fuzzyGraph(nearestOthers(x, k), n), res.epochs);
    res.components = componentCount(g);
    Layout layout(g, startingLayout(x, g, o, res), o, res.a, res.b);
    res.edges = layout.edges();
    double alpha = o.learningRate;
    for (int e = 0; e < res.epochs; ++e) {
        if (stop && stop->requested())
            break;
        layout.epoch(e, alpha);
        alpha = o.learningRate * (1.0 - double(e) / double(res.epochs));
        res.epochsRun = e + 1;
        if (sink && (e % 20 == 19 || e + 1 == res.epochs))
            sink->progress("UMAP", e + 1, res.epochs);
    }
    std::vector<double> y = layout.coords();
    res.coords = at::from_blob(y.data(), {n, 2}, at::kDouble).to(at::kFloat).clone();
    return res;
}

} // namespace ssondo
