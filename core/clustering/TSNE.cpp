// SPDX-License-Identifier: GPL-3.0-or-later
#include "clustering/TSNE.h"

#include "clustering/Neighbours.h"
#include "util/Error.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
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

/// Quadtree nodes and the inserts that grow them (one cell's subtree, or the whole tree).
class Cells
{
public:
    struct Node // what the traversal reads
    {
        float comX = 0, comY = 0;
        float width2 = 0; // (2 · half-width)²
        std::int32_t count = 0;
        std::int32_t child = -1; // first of four children
    };
    struct Build // what only the build reads
    {
        double cx, cy, half;
        double px = 0, py = 0;     // the point of a leaf
        double sumX = 0, sumY = 0; // Σ of the points' coordinates (the centre of mass × count)
        std::int64_t head = -1;    // a leaf's first point; the others follow in next
    };

    std::vector<Node> nodes;
    std::vector<Build> build;

    void addNode(double cx, double cy, double half)
    {
        Node nd;
        nd.width2 = float((2 * half) * (2 * half));
        nodes.push_back(nd);
        build.push_back(Build{cx, cy, half, 0, 0, 0, 0, -1});
    }

    void subdivide(std::int32_t idx)
    {
        const Build p = build[size_t(idx)];
        const double h = p.half / 2;
        const std::int32_t first = std::int32_t(nodes.size());
        addNode(p.cx - h, p.cy - h, h);
        addNode(p.cx + h, p.cy - h, h);
        addNode(p.cx - h, p.cy + h, h);
        addNode(p.cx + h, p.cy + h, h);
        nodes[size_t(idx)].child = first;
    }

    std::int32_t quadrant(std::int32_t idx, double x, double y) const
    {
        const Build& b = build[size_t(idx)];
        return nodes[size_t(idx)].child + (x >= b.cx ? 1 : 0) + (y >= b.cy ? 2 : 0);
    }

    /// Inserts point (x, y) under node 0, which sits `depth` levels below the tree's root; next and
    /// leafOf are per point (this subtree's points only are written; leafOf in this subtree's indices).
    void insert(std::int64_t point, double x, double y, int depth, std::vector<std::int64_t>& next,
                std::vector<std::int32_t>& leafOf)
    {
        std::int32_t idx = 0;
        for (;;) {
            Node& nd = nodes[size_t(idx)];
            Build& b = build[size_t(idx)];
            b.sumX += x;
            b.sumY += y;
            ++nd.count;
            if (nd.child < 0) {
                if (nd.count == 1) {
                    b.px = x, b.py = y;
                    next[size_t(point)] = -1, b.head = point;
                    leafOf[size_t(point)] = idx;
                    return;
                }
                // Duplicates (or too deep): keep several points in one leaf.
                if ((b.px == x && b.py == y) || depth > 48) {
                    next[size_t(point)] = b.head, b.head = point;
                    leafOf[size_t(point)] = idx;
                    return;
                }
                pushDown(idx, next, leafOf);
            }
            idx = quadrant(idx, x, y);
            ++depth;
        }
    }

private:
    /// Splits leaf idx and moves its point (and that point's duplicates) one level down.
    void pushDown(std::int32_t idx, std::vector<std::int64_t>& next, std::vector<std::int32_t>& leafOf)
    {
        subdivide(idx);
        const Build old = build[size_t(idx)];
        const std::int32_t q = quadrant(idx, old.px, old.py);
        Node& ch = nodes[size_t(q)];
        Build& cb = build[size_t(q)];
        ch.count = nodes[size_t(idx)].count - 1; // the old point and its duplicates
        cb.sumX = old.px * double(ch.count), cb.sumY = old.py * double(ch.count);
        cb.px = old.px, cb.py = old.py;
        cb.head = old.head;
        for (std::int64_t p = old.head; p >= 0; p = next[size_t(p)])
            leafOf[size_t(p)] = q;
        build[size_t(idx)].head = -1;
    }
};

/// Quadtree over 2-D points: every node keeps its centre of mass and point count. The fields the
/// force traversal reads (centre of mass, squared width, count, first child) are packed in 20 bytes
/// per node, in float (the build sums in double and rounds once: 1e-7 of the layout's extent, far
/// below what θ = 0.5 approximates); those only the build needs are kept apart.
///
/// The root and its first two levels are always split: the 16 cells two levels down grow their
/// subtrees in parallel (each in the insertion order of its own points), and are then laid end to
/// end. The tree is therefore the same whatever the thread count. An always-split node holding one
/// point gives the same forces as the leaf it would otherwise be (its one child has its centre).
class QuadTree
{
public:
    /// insertion: the order to insert the points in (the previous tree's leaf order: consecutive
    /// inserts then walk the same path, which keeps the build in cache), or null for 0 … n − 1.
    explicit QuadTree(const std::vector<double>& y, const std::vector<std::int64_t>* insertion = nullptr)
    {
        const std::int64_t n = std::int64_t(y.size() / 2);
        double minX = y[0], maxX = y[0], minY = y[1], maxY = y[1];
        for (std::int64_t i = 1; i < n; ++i) {
            minX = std::min(minX, y[size_t(2 * i)]), maxX = std::max(maxX, y[size_t(2 * i)]);
            minY = std::min(minY, y[size_t(2 * i + 1)]), maxY = std::max(maxY, y[size_t(2 * i + 1)]);
        }
        const double half = 0.5 * std::max(maxX - minX, maxY - minY) * (1 + 1e-5) + 1e-9;
        m_next.assign(size_t(n), -1);
        m_leafOf.assign(size_t(n), -1);
        m_tree.nodes.reserve(size_t(2 * n + 32));
        m_tree.build.reserve(size_t(2 * n + 32));
        m_tree.addNode(0.5 * (minX + maxX), 0.5 * (minY + maxY), half);
        m_tree.subdivide(0); // nodes 1–4
        for (std::int32_t q = 1; q <= 4; ++q)
            m_tree.subdivide(q); // nodes 5 + 4 (q − 1) + quadrant
        std::vector<Cells> cells = growCells(y, insertion);
        join(cells);
        for (std::size_t i = 0; i < m_tree.nodes.size(); ++i) {
            const double c = std::max(1.0, double(m_tree.nodes[i].count));
            m_tree.nodes[i].comX = float(m_tree.build[i].sumX / c);
            m_tree.nodes[i].comY = float(m_tree.build[i].sumY / c);
        }
        order(0, y);
    }

    /// The points in the order of the tree's leaves: neighbours in the plane are neighbours in
    /// this order, so the traversals of consecutive points touch the same nodes (cache locality).
    const std::vector<std::int64_t>& leafOrder() const { return m_order; }

    /// The leaf that holds point i.
    std::int32_t leafOf(std::int64_t i) const { return m_leafOf[size_t(i)]; }

    /// Σ_j q_ij² (y_i − y_j) (unnormalised) into f, returns Σ_j q_ij for point (px, py) held by
    /// leaf `own` (the point itself is left out by its leaf, not by its distance: centres of mass
    /// are stored rounded to float).
    double repulsion(double px, double py, std::int32_t own, double theta, double& fx, double& fy) const
    {
        const std::vector<Cells::Node>& nodes = m_tree.nodes;
        double z = 0;
        const double theta2 = theta * theta;
        // Explicit stack: recursion depth is bounded anyway, but this keeps it allocation-free.
        std::int32_t stack[512];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            const std::int32_t at = stack[--top];
            const Cells::Node& nd = nodes[size_t(at)];
            if (nd.count == 0)
                continue;
            const double dx = px - double(nd.comX), dy = py - double(nd.comY);
            const double d2 = dx * dx + dy * dy;
            const bool leaf = nd.child < 0;
            if (leaf || double(nd.width2) < theta2 * d2) {
                // The query's own leaf contributes its other points (duplicates) only.
                const double mult = double(at == own ? nd.count - 1 : nd.count);
                if (mult == 0)
                    continue;
                const double q = 1.0 / (1.0 + d2);
                z += mult * q;
                fx += mult * q * q * dx;
                fy += mult * q * q * dy;
                continue;
            }
            for (int c = 0; c < 4 && top < 508; ++c) // empty quadrants are not visited
                if (nodes[size_t(nd.child + c)].count > 0)
                    stack[top++] = nd.child + c;
        }
        return z;
    }

private:
    static constexpr std::int32_t kFirstCell = 5, kCells = 16;

    /// Each point's cell two levels down, the cells grown in parallel.
    std::vector<Cells> growCells(const std::vector<double>& y, const std::vector<std::int64_t>* insertion)
    {
        const std::int64_t n = std::int64_t(y.size() / 2);
        std::vector<std::vector<std::int64_t>> members(kCells);
        for (std::int64_t k = 0; k < n; ++k) {
            const std::int64_t i = insertion ? (*insertion)[size_t(k)] : k;
            const double px = y[size_t(2 * i)], py = y[size_t(2 * i + 1)];
            members[size_t(m_tree.quadrant(m_tree.quadrant(0, px, py), px, py) - kFirstCell)].push_back(i);
        }
        std::vector<Cells> cells(kCells);
        std::atomic<std::int32_t> nextCell{0}; // taken as threads come free: the cells differ in size
        at::parallel_for(0, at::get_num_threads(), 1, [&](std::int64_t, std::int64_t) {
            for (std::int32_t c; (c = nextCell.fetch_add(1)) < kCells;) {
                const Cells::Build& g = m_tree.build[size_t(kFirstCell + c)];
                Cells& cell = cells[size_t(c)];
                cell.nodes.reserve(2 * members[size_t(c)].size() + 1);
                cell.build.reserve(2 * members[size_t(c)].size() + 1);
                cell.addNode(g.cx, g.cy, g.half);
                for (std::int64_t i : members[size_t(c)])
                    cell.insert(i, y[size_t(2 * i)], y[size_t(2 * i + 1)], 2, m_next, m_leafOf);
            }
        });
        return cells;
    }

    /// Lays the cells' subtrees after the top 21 nodes (a cell's root takes its place among them),
    /// renumbers children and leaves, and sums the top levels in a fixed order.
    void join(const std::vector<Cells>& cells)
    {
        for (std::int32_t c = 0; c < kCells; ++c) {
            const Cells& cell = cells[size_t(c)];
            const std::int32_t slot = kFirstCell + c;
            const std::int32_t shift = std::int32_t(m_tree.nodes.size()) - 1; // local l > 0 → l + shift
            for (std::size_t l = 0; l < cell.nodes.size(); ++l) {
                Cells::Node nd = cell.nodes[l];
                if (nd.child >= 0)
                    nd.child += shift;
                if (l == 0) {
                    m_tree.nodes[size_t(slot)] = nd, m_tree.build[size_t(slot)] = cell.build[0];
                } else {
                    m_tree.nodes.push_back(nd), m_tree.build.push_back(cell.build[l]);
                }
            }
            for (std::size_t l = 0; l < cell.nodes.size(); ++l)
                if (cell.nodes[l].child < 0)
                    for (std::int64_t p = cell.build[l].head; p >= 0; p = m_next[size_t(p)])
                        m_leafOf[size_t(p)] = l == 0 ? slot : std::int32_t(l) + shift;
        }
        for (std::int32_t up = 4; up >= 0; --up) { // level 1 (nodes 1–4), then the root
            Cells::Node& nd = m_tree.nodes[size_t(up)];
            Cells::Build& b = m_tree.build[size_t(up)];
            for (int q = 0; q < 4; ++q) {
                nd.count += m_tree.nodes[size_t(nd.child + q)].count;
                b.sumX += m_tree.build[size_t(nd.child + q)].sumX;
                b.sumY += m_tree.build[size_t(nd.child + q)].sumY;
            }
        }
    }

    void order(std::int32_t root, const std::vector<double>& y)
    {
        m_order.reserve(y.size() / 2);
        std::vector<std::int32_t> stack{root};
        while (!stack.empty()) {
            const std::int32_t idx = stack.back();
            stack.pop_back();
            const Cells::Node& nd = m_tree.nodes[size_t(idx)];
            if (nd.child < 0) {
                for (std::int64_t i = m_tree.build[size_t(idx)].head; i >= 0; i = m_next[size_t(i)])
                    m_order.push_back(i);
                continue;
            }
            for (int c = 3; c >= 0; --c)
                stack.push_back(nd.child + c);
        }
    }

    Cells m_tree;
    std::vector<std::int64_t> m_next;   // per point: the next point of its leaf (-1: last)
    std::vector<std::int32_t> m_leafOf; // per point: its leaf
    std::vector<std::int64_t> m_order;
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
        theta > 0 ? tree.repulsion(y[size_t(2 * i)], y[size_t(2 * i + 1)], tree.leafOf(i), theta, fx, fy)
                  : 0.0;
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
    std::vector<std::int64_t> previousOrder; // the last tree's leaf order: the next one's insertion order
    const double lr =
        o.learningRate > 0 ? o.learningRate : std::max(double(n) / o.earlyExaggeration / 4.0, 50.0);
    for (int it = 0; it < o.iterations; ++it) {
        if (stop && stop->requested())
            break;
        const bool early = it < o.exaggerationIterations;
        const double exag = early ? o.earlyExaggeration : 1.0;
        const double momentum = early ? 0.5 : 0.8;
        const QuadTree tree(s.y, previousOrder.empty() ? nullptr : &previousOrder);
        const std::vector<std::int64_t>& order = tree.leafOrder(); // each point's forces are its own
        at::parallel_for(0, n, 256, [&](std::int64_t b, std::int64_t e) {
            for (std::int64_t i = b; i < e; ++i)
                pointForces(P, tree, o.theta, order[size_t(i)], s);
        });
        previousOrder = order;
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
