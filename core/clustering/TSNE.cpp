// SPDX-License-Identifier: GPL-3.0-or-later
#include "clustering/TSNE.h"

#include "clustering/Neighbours.h"
#include "util/Error.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace ssondo {

namespace {

/// Sparse symmetric affinities in CSR form.
struct Sparse
{
    std::vector<std::int64_t> rowStart; // n + 1
    std::vector<std::int64_t> col;
    std::vector<double> val;
};

/// Quadtree over 2-D points: every node keeps its centre of mass and point count. The fields the
/// force traversal reads (centre of mass, squared width, count, first child) are packed in 32 bytes
/// per node; those only the build needs are kept apart.
class QuadTree
{
public:
    explicit QuadTree(const std::vector<double>& y)
    {
        const std::int64_t n = std::int64_t(y.size() / 2);
        double minX = y[0], maxX = y[0], minY = y[1], maxY = y[1];
        for (std::int64_t i = 1; i < n; ++i) {
            minX = std::min(minX, y[size_t(2 * i)]), maxX = std::max(maxX, y[size_t(2 * i)]);
            minY = std::min(minY, y[size_t(2 * i + 1)]), maxY = std::max(maxY, y[size_t(2 * i + 1)]);
        }
        const double half = 0.5 * std::max(maxX - minX, maxY - minY) * (1 + 1e-5) + 1e-9;
        m_nodes.reserve(size_t(2 * n + 16));
        m_build.reserve(size_t(2 * n + 16));
        m_next.assign(size_t(n), -1);
        addNode(0.5 * (minX + maxX), 0.5 * (minY + maxY), half);
        for (std::int64_t i = 0; i < n; ++i)
            insert(0, y[size_t(2 * i)], y[size_t(2 * i + 1)], 0);
        order(0, y);
    }

    /// The points in the order of the tree's leaves: neighbours in the plane are neighbours in
    /// this order, so the traversals of consecutive points touch the same nodes (cache locality).
    const std::vector<std::int64_t>& leafOrder() const { return m_order; }

    /// Σ_j q_ij² (y_i − y_j) (unnormalised) into f, returns Σ_j q_ij for point (px, py).
    double repulsion(double px, double py, double theta, double& fx, double& fy) const
    {
        double z = 0;
        const double theta2 = theta * theta;
        // Explicit stack: recursion depth is bounded anyway, but this keeps it allocation-free.
        std::int32_t stack[512];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            const Node& nd = m_nodes[size_t(stack[--top])];
            if (nd.count == 0)
                continue;
            const double dx = px - nd.comX, dy = py - nd.comY;
            const double d2 = dx * dx + dy * dy;
            const bool leaf = nd.child < 0;
            if (leaf || nd.width2 < theta2 * d2) {
                if (leaf && d2 < 1e-24 && nd.count == 1)
                    continue; // the point itself
                const double q = 1.0 / (1.0 + d2);
                // A leaf holding duplicates of the query point contributes its other copies.
                const double mult = (leaf && d2 < 1e-24) ? double(nd.count - 1) : double(nd.count);
                z += mult * q;
                fx += mult * q * q * dx;
                fy += mult * q * q * dy;
                continue;
            }
            for (int c = 0; c < 4 && top < 508; ++c)
                stack[top++] = nd.child + c;
        }
        return z;
    }

private:
    struct Node // what the traversal reads
    {
        double comX = 0, comY = 0;
        double width2 = 0; // (2 · half-width)²
        std::int32_t count = 0;
        std::int32_t child = -1; // first of four children
    };
    struct Build // what only the build reads
    {
        double cx, cy, half;
        double px = 0, py = 0;  // the point of a leaf
        std::int64_t head = -1; // a leaf's first point; the others follow in m_next
    };

    void addNode(double cx, double cy, double half)
    {
        Node nd;
        nd.width2 = (2 * half) * (2 * half);
        m_nodes.push_back(nd);
        m_build.push_back(Build{cx, cy, half, 0, 0, -1});
    }

    void insert(std::int32_t idx, double x, double y, int depth)
    {
        const std::int64_t point = m_inserted++;
        for (;;) {
            Node& nd = m_nodes[size_t(idx)];
            Build& b = m_build[size_t(idx)];
            const double c = double(nd.count);
            nd.comX = (nd.comX * c + x) / (c + 1);
            nd.comY = (nd.comY * c + y) / (c + 1);
            ++nd.count;
            if (nd.child < 0) {
                if (nd.count == 1) {
                    b.px = x, b.py = y;
                    m_next[size_t(point)] = -1, b.head = point;
                    return;
                }
                // Duplicates (or too deep): keep several points in one leaf.
                if ((b.px == x && b.py == y) || depth > 48) {
                    m_next[size_t(point)] = b.head, b.head = point;
                    return;
                }
                subdivide(idx);
                // Push the leaf's old point down one level.
                const Node& again = m_nodes[size_t(idx)];
                Build& old = m_build[size_t(idx)];
                const std::int32_t q = quadrant(idx, old.px, old.py);
                Node& ch = m_nodes[size_t(q)];
                Build& cb = m_build[size_t(q)];
                ch.comX = old.px, ch.comY = old.py;
                ch.count = again.count - 1; // the old point and its duplicates
                cb.px = old.px, cb.py = old.py;
                cb.head = old.head;
                old.head = -1;
            }
            idx = quadrant(idx, x, y);
            ++depth;
        }
    }

    void subdivide(std::int32_t idx)
    {
        const Build p = m_build[size_t(idx)];
        const double h = p.half / 2;
        const std::int32_t first = std::int32_t(m_nodes.size());
        addNode(p.cx - h, p.cy - h, h);
        addNode(p.cx + h, p.cy - h, h);
        addNode(p.cx - h, p.cy + h, h);
        addNode(p.cx + h, p.cy + h, h);
        m_nodes[size_t(idx)].child = first;
    }

    std::int32_t quadrant(std::int32_t idx, double x, double y) const
    {
        const Build& b = m_build[size_t(idx)];
        return m_nodes[size_t(idx)].child + (x >= b.cx ? 1 : 0) + (y >= b.cy ? 2 : 0);
    }

    void order(std::int32_t root, const std::vector<double>& y)
    {
        m_order.reserve(y.size() / 2);
        std::vector<std::int32_t> stack{root};
        while (!stack.empty()) {
            const std::int32_t idx = stack.back();
            stack.pop_back();
            const Node& nd = m_nodes[size_t(idx)];
            if (nd.child < 0) {
                for (std::int64_t i = m_build[size_t(idx)].head; i >= 0; i = m_next[size_t(i)])
                    m_order.push_back(i);
                continue;
            }
            for (int c = 3; c >= 0; --c)
                stack.push_back(nd.child + c);
        }
    }

    std::vector<Node> m_nodes;
    std::vector<Build> m_build;
    std::vector<std::int64_t> m_next; // per point: the next point of its leaf (-1: last)
    std::vector<std::int64_t> m_order;
    std::int64_t m_inserted = 0;
};

/// Point i's k nearest other points into ci[0..k) and their squared distances into d (∞ where
/// there are fewer).
void otherNeighbours(const NeighbourLists& nb, std::int64_t i, std::int64_t* ci, std::vector<double>& d)
{
    for (std::int64_t m = 0; m < nb.k; ++m) {
        const std::int64_t o = nb.of(i)[m];
        ci[m] = o < 0 ? i : o; // fewer neighbours than k: zero weight
        d[size_t(m)] =
            o < 0 ? std::numeric_limits<double>::infinity() : std::max(0.0, double(nb.valuesOf(i)[m]));
    }
}

/// Unnormalised p_j ∝ exp(−β (d_j − min d)), β found by bisection so that the entropy is `target`.
void bisectBandwidth(const std::vector<double>& d, double target, std::vector<double>& p)
{
    const std::size_t k = d.size();
    const double dmin = *std::min_element(d.begin(), d.end());
    double beta = 1, lo = 0, hi = std::numeric_limits<double>::infinity();
    for (int it = 0; it < 200; ++it) {
        double sum = 0, h = 0;
        for (std::size_t j = 0; j < k; ++j) {
            p[j] = std::isfinite(d[j]) ? std::exp(-beta * (d[j] - dmin)) : 0.0;
            sum += p[j];
        }
        for (std::size_t j = 0; j < k; ++j)
            if (p[j] > 0)
                h += beta * (d[j] - dmin) * p[j];
        h = h / sum + std::log(sum); // entropy in nats
        if (std::abs(h - target) < 1e-5)
            break;
        if (h > target)
            lo = beta, beta = std::isinf(hi) ? beta * 2 : 0.5 * (beta + hi);
        else
            hi = beta, beta = 0.5 * (beta + lo);
    }
}

/// Symmetrise: p_ij = (p_j|i + p_i|j) / 2n, merged per row, from each point's k conditional affinities.
Sparse symmetrise(std::int64_t n, std::int64_t k, const std::vector<std::int64_t>& ci,
                  const std::vector<double>& cp)
{
    std::vector<std::vector<std::pair<std::int64_t, double>>> rows(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = 0; j < k; ++j) {
            const auto o = ci[size_t(i * k + j)];
            const double v = cp[size_t(i * k + j)];
            if (o == i || v <= 0)
                continue;
            rows[size_t(i)].push_back({o, v});
            rows[size_t(o)].push_back({i, v});
        }
    Sparse s;
    s.rowStart.push_back(0);
    for (std::int64_t i = 0; i < n; ++i) {
        auto& r = rows[size_t(i)];
        std::sort(r.begin(), r.end());
        for (std::size_t a = 0; a < r.size();) {
            std::size_t b = a;
            double v = 0;
            while (b < r.size() && r[b].first == r[a].first)
                v += r[b++].second;
            s.col.push_back(r[a].first);
            s.val.push_back(v / (2.0 * double(n)));
            a = b;
        }
        s.rowStart.push_back(std::int64_t(s.col.size()));
    }
    return s;
}

/// Conditional affinities from the k nearest neighbours, bandwidth by bisection on the entropy.
Sparse affinities(const at::Tensor& x, double perplexity, std::int64_t k)
{
    const std::int64_t n = x.size(0);
    const NeighbourLists nb = nearestOthers(x, k);
    const double target = std::log(perplexity);
    std::vector<std::int64_t> ci(size_t(n * k));
    std::vector<double> cp(size_t(n * k));
    at::parallel_for(0, n, 64, [&](std::int64_t b, std::int64_t e) {
        std::vector<double> d(static_cast<std::size_t>(k)), p(static_cast<std::size_t>(k));
        for (std::int64_t i = b; i < e; ++i) {
            otherNeighbours(nb, i, ci.data() + i * k, d);
            bisectBandwidth(d, target, p);
            double sum = 0;
            for (std::int64_t j = 0; j < k; ++j)
                sum += p[size_t(j)];
            for (std::int64_t j = 0; j < k; ++j)
                cp[size_t(i * k + j)] = sum > 0 ? p[size_t(j)] / sum : 0.0;
        }
    });
    return symmetrise(n, k, ci, cp);
}

/// Top principal directions of centred x: [n, dims] scores (float64), by eigen-decomposition of the
/// D × D covariance (D ≤ a few thousand).
at::Tensor pcaScores(const at::Tensor& x, std::int64_t dims)
{
    const at::Tensor c = x.to(at::kDouble) - x.to(at::kDouble).mean(0, true);
    const at::Tensor cov = at::matmul(c.t(), c);
    auto [evals, evecs] = at::linalg_eigh(cov);
    const std::int64_t d = evecs.size(1);
    at::Tensor top = evecs.slice(1, d - dims, d).flip({1}); // descending variance
    for (std::int64_t a = 0; a < dims; ++a) {               // stable orientation
        const auto idx = top.select(1, a).abs().argmax().item<std::int64_t>();
        if (top[idx][a].item<double>() < 0)
            top.select(1, a).mul_(-1);
    }
    return at::matmul(c, top);
}

/// Throws InputError unless t-SNE can run on `input` with the options `o`.
void checkInput(const at::Tensor& input, const TsneOptions& o)
{
    if (input.dim() != 2 || input.size(1) < 2)
        throw InputError("t-SNE needs a [rows, dim] matrix with at least 2 dimensions");
    const std::int64_t n = input.size(0);
    if (n < 4)
        throw InputError("t-SNE needs at least 4 points (got " + std::to_string(n) + ")");
    if (!(o.perplexity > 0) || o.iterations < 1 || !(o.theta >= 0) || !std::isfinite(o.perplexity) ||
        !std::isfinite(o.theta)) // NaN fails every comparison
        throw InputError("t-SNE: perplexity must be > 0, iterations >= 1 and theta >= 0");
    if (!at::isfinite(input).all().item<bool>())
        throw InputError("t-SNE: the embeddings contain NaN or infinite values");
}

/// The initial layout [x0, y0, x1, y1...]: the first two PCA scores, jittered, scaled to std 1e-4.
std::vector<double> initialLayout(const at::Tensor& scores, std::int64_t n, std::uint64_t seed)
{
    std::vector<double> y(size_t(2 * n));
    at::Tensor init = scores.slice(1, 0, 2).clone();
    const double sd = init.select(1, 0).std().item<double>();
    // Tiny deterministic jitter breaks exact ties (duplicate inputs), then scale to std 1e-4.
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    init = init / (sd > 0 ? sd : 1.0) + 1e-3 * at::randn({n, 2}, gen, at::kDouble);
    init = init * 1e-4;
    const double* p = init.contiguous().data_ptr<double>();
    std::copy(p, p + 2 * n, y.begin());
    return y;
}

/// Gradient descent on the 2-D layout: positions, velocities, gains and each point's force terms.
struct Descent
{
    explicit Descent(std::vector<double> layout)
        : y(std::move(layout)), upd(y.size(), 0.0), gains(y.size(), 1.0), grad(y.size()), zPart(y.size() / 2),
          rep(y.size())
    {
    }
    std::vector<double> y, upd, gains, grad;
    std::vector<double> zPart, rep; ///< per point: Σ_j q_ij (unnormalised), and the repulsion
};

/// Σ_j q_ij² (y_i − y_j) into (fx, fy) over every other point, exactly; returns Σ_j q_ij.
double exactRepulsion(const std::vector<double>& y, std::int64_t i, double& fx, double& fy)
{
    const std::int64_t n = std::int64_t(y.size() / 2);
    double z = 0.0;
    for (std::int64_t j = 0; j < n; ++j) {
        if (j == i)
            continue;
        const double dx = y[size_t(2 * i)] - y[size_t(2 * j)],
                     dy = y[size_t(2 * i + 1)] - y[size_t(2 * j + 1)];
        const double q = 1.0 / (1.0 + dx * dx + dy * dy);
        z += q;
        fx += q * q * dx, fy += q * q * dy;
    }
    return z;
}

/// Point i's repulsion (Barnes–Hut, or exact when theta is 0) and attraction from its sparse neighbours.
void pointForces(const Sparse& P, const QuadTree& tree, double theta, std::int64_t i, Descent& s)
{
    const std::vector<double>& y = s.y;
    double fx = 0, fy = 0;
    s.zPart[size_t(i)] =
        theta > 0 ? tree.repulsion(y[size_t(2 * i)], y[size_t(2 * i + 1)], theta, fx, fy) : 0.0;
    if (theta == 0)
        s.zPart[size_t(i)] = exactRepulsion(y, i, fx, fy);
    s.rep[size_t(2 * i)] = fx, s.rep[size_t(2 * i + 1)] = fy;
    // Attraction from the sparse neighbours.
    double ax = 0, ay = 0;
    for (std::int64_t a = P.rowStart[size_t(i)]; a < P.rowStart[size_t(i + 1)]; ++a) {
        const std::int64_t j = P.col[size_t(a)];
        const double dx = y[size_t(2 * i)] - y[size_t(2 * j)],
                     dy = y[size_t(2 * i + 1)] - y[size_t(2 * j + 1)];
        const double q = 1.0 / (1.0 + dx * dx + dy * dy);
        ax += P.val[size_t(a)] * q * dx;
        ay += P.val[size_t(a)] * q * dy;
    }
    s.grad[size_t(2 * i)] = ax, s.grad[size_t(2 * i + 1)] = ay;
}

/// One gradient step with momentum and adaptive gains, then the layout is centred again.
void step(Descent& s, double exag, double momentum, double lr, double z)
{
    const std::int64_t n = std::int64_t(s.y.size() / 2);
    double meanX = 0, meanY = 0;
    for (std::int64_t i = 0; i < 2 * n; ++i) {
        const double g = 4.0 * (exag * s.grad[size_t(i)] - s.rep[size_t(i)] / z);
        s.gains[size_t(i)] =
            (g > 0) != (s.upd[size_t(i)] > 0) ? s.gains[size_t(i)] + 0.2 : s.gains[size_t(i)] * 0.8;
        s.gains[size_t(i)] = std::max(s.gains[size_t(i)], 0.01);
        s.upd[size_t(i)] = momentum * s.upd[size_t(i)] - lr * s.gains[size_t(i)] * g;
        s.y[size_t(i)] += s.upd[size_t(i)];
        (i % 2 ? meanY : meanX) += s.y[size_t(i)];
    }
    meanX /= double(n), meanY /= double(n);
    for (std::int64_t i = 0; i < n; ++i)
        s.y[size_t(2 * i)] -= meanX, s.y[size_t(2 * i + 1)] -= meanY;
}

/// KL(P‖Q) = Σ p log p − Σ p log q_ij, q_ij = (1 + d²)⁻¹ / Z.
double klDivergence(const Sparse& P, const std::vector<double>& y, double z)
{
    const std::int64_t n = std::int64_t(y.size() / 2);
    double kl = 0;
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t a = P.rowStart[size_t(i)]; a < P.rowStart[size_t(i + 1)]; ++a) {
            const std::int64_t j = P.col[size_t(a)];
            const double dx = y[size_t(2 * i)] - y[size_t(2 * j)],
                         dy = y[size_t(2 * i + 1)] - y[size_t(2 * j + 1)];
            const double q = 1.0 / (1.0 + dx * dx + dy * dy) / z;
            const double p = P.val[size_t(a)];
            kl += p * std::log(std::max(p, 1e-300) / std::max(q, 1e-300));
        }
    return kl;
}

} // namespace

TsneResult tsne2d(const at::Tensor& input, const TsneOptions& o, ProgressSink* sink, const StopToken* stop)
{
    checkInput(input, o);
    const std::int64_t n = input.size(0);
    TsneResult res;
    res.perplexityUsed = std::min(o.perplexity, double(n - 1) / 3.0);
    if (res.perplexityUsed < o.perplexity && sink)
        sink->warning("perplexity lowered to " + std::to_string(res.perplexityUsed) + " for " +
                      std::to_string(n) + " points");
    const std::int64_t k =
        std::min<std::int64_t>(n - 1, std::int64_t(std::floor(3 * res.perplexityUsed)) + 1);

    // PCA: reduce (and give the initial layout).
    const std::int64_t dims = std::min<std::int64_t>({input.size(1), std::int64_t(o.pcaDims), n});
    const at::Tensor scores = pcaScores(input, std::max<std::int64_t>(dims, 2));
    const at::Tensor reduced = input.size(1) > o.pcaDims
                                   ? scores.slice(1, 0, dims).to(at::kFloat).contiguous()
                                   : input.to(at::kFloat).contiguous();
    if (sink)
        sink->info("t-SNE on " + std::to_string(n) + " points (" + std::to_string(reduced.size(1)) +
                   "-d), perplexity " + std::to_string(res.perplexityUsed) + ", " + std::to_string(k) +
                   " neighbours");
    const Sparse P = affinities(reduced, res.perplexityUsed, k);

    Descent s(initialLayout(scores, n, o.seed));
    const double lr =
        o.learningRate > 0 ? o.learningRate : std::max(double(n) / o.earlyExaggeration / 4.0, 50.0);
    for (int it = 0; it < o.iterations; ++it) {
        if (stop && stop->requested())
            break;
        const bool early = it < o.exaggerationIterations;
        const double exag = early ? o.earlyExaggeration : 1.0;
        const double momentum = early ? 0.5 : 0.8;
        const QuadTree tree(s.y);
        const std::vector<std::int64_t>& order = tree.leafOrder(); // each point's forces are its own
        at::parallel_for(0, n, 256, [&](std::int64_t b, std::int64_t e) {
            for (std::int64_t i = b; i < e; ++i)
                pointForces(P, tree, o.theta, order[size_t(i)], s);
        });
        double z = 0;
        for (double v : s.zPart) // fixed order: deterministic whatever the thread count
            z += v;
        z = std::max(z, 1e-12);
        step(s, exag, momentum, lr, z);
        res.iterationsRun = it + 1;
        if (sink && (it % 50 == 49 || it + 1 == o.iterations))
            sink->progress("t-SNE", it + 1, o.iterations);
        if (it + 1 == o.iterations)
            res.klDivergence = klDivergence(P, s.y, z);
    }
    res.coords = at::from_blob(s.y.data(), {n, 2}, at::kDouble).to(at::kFloat).clone();
    return res;
}

} // namespace ssondo
