// SPDX-License-Identifier: GPL-3.0-or-later
#include "eval/LinearProbe.h"

#include "util/Error.h"
#include "util/Hash.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"

#include <ATen/ATen.h>
#include <torch/optim/lbfgs.h>

#include <faiss/IndexFlat.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <set>

namespace ssondo {

namespace {

FoldPlan crossValidation(std::vector<int> fold, int numFolds, std::string protocol)
{
    FoldPlan p;
    p.fold = std::move(fold);
    p.numFolds = numFolds;
    p.protocol = std::move(protocol);
    for (int f = 0; f < numFolds; ++f) {
        p.testFolds.push_back(f);
        p.validationFor.push_back((f + 1) % numFolds);
    }
    return p;
}

std::vector<std::int64_t> rowsWhere(const FoldPlan& plan, const std::function<bool(int)>& pred)
{
    std::vector<std::int64_t> rows;
    for (std::size_t i = 0; i < plan.fold.size(); ++i)
        if (plan.fold[i] >= 0 && pred(plan.fold[i]))
            rows.push_back(std::int64_t(i));
    return rows;
}

at::Tensor index(const at::Tensor& t, const std::vector<std::int64_t>& rows)
{
    return t.index_select(0, at::tensor(rows, at::kLong));
}

/// Targets for the loss: class indices [n] (single-label) or a multi-hot [n, C] float matrix.
at::Tensor targetsOf(const ProbeData& d, const std::vector<std::int64_t>& rows)
{
    if (!d.multiLabel) {
        std::vector<std::int64_t> y;
        y.reserve(rows.size());
        for (auto r : rows)
            y.push_back(d.labels[size_t(r)].front());
        return at::tensor(y, at::kLong);
    }
    at::Tensor y = at::zeros({std::int64_t(rows.size()), d.numClasses});
    auto acc = y.accessor<float, 2>();
    for (std::size_t i = 0; i < rows.size(); ++i)
        for (int c : d.labels[size_t(rows[i])])
            acc[std::int64_t(i)][c] = 1.f;
    return y;
}

/// Masked tasks: 1 where a row's class is annotated [n, C]; undefined when every label is known.
at::Tensor maskOf(const ProbeData& d, const std::vector<std::int64_t>& rows)
{
    if (d.known.empty())
        return {};
    at::Tensor m = at::zeros({std::int64_t(rows.size()), d.numClasses});
    auto acc = m.accessor<float, 2>();
    for (std::size_t i = 0; i < rows.size(); ++i)
        for (int c : d.known[size_t(rows[i])])
            acc[std::int64_t(i)][c] = 1.f;
    return m;
}

/// The labels (and, masked, the known classes) of `rows`, for scoring.
struct RowLabels
{
    std::vector<std::vector<int>> labels, known;
};

RowLabels labelsOf(const ProbeData& d, const std::vector<std::int64_t>& rows)
{
    RowLabels out;
    for (auto r : rows) {
        out.labels.push_back(d.labels[size_t(r)]);
        if (!d.known.empty())
            out.known.push_back(d.known[size_t(r)]);
    }
    return out;
}

struct Logistic
{
    at::Tensor w, b; // [D, C], [C]
    bool converged = true;
    at::Tensor scores(const at::Tensor& x) const { return at::addmm(b, x, w); }
};

/// Gradient size at which a fit counts as converged: L-BFGS stops at 1e-6 or on a stalled change;
/// a fit still steeper than this after its iterations is reported, not hidden.
constexpr double kConvergedGrad = 1e-4;

/// Mean cross-entropy; with a mask, the mean over the annotated entries only.
at::Tensor dataLoss(const at::Tensor& logits, const at::Tensor& y, bool multiLabel, const at::Tensor& mask)
{
    if (!multiLabel)
        return at::cross_entropy_loss(logits, y);
    if (!mask.defined())
        return at::binary_cross_entropy_with_logits(logits, y);
    const at::Tensor each = at::binary_cross_entropy_with_logits(logits, y, {}, {}, at::Reduction::None);
    return (each * mask).sum() / mask.sum().clamp_min(1);
}

/// The probe's objective at (w, b): mean cross-entropy + wd/2 ‖W‖² (the bias is not penalised);
/// with `rowScale` [D, 1], the penalty is wd/2 ‖rowScale ⊙ W‖² (the preconditioned coordinates).
at::Tensor objective(const at::Tensor& x, const at::Tensor& y, const at::Tensor& mask, bool multiLabel,
                     double wd, const at::Tensor& w, const at::Tensor& b, const at::Tensor& rowScale = {})
{
    // The loss in float64: L-BFGS stops when it changes by less than 1e-9, which float32 cannot
    // resolve near a loss of 4; in float32, fits stopped with gradients above kConvergedGrad.
    const auto f64 = [](const at::Tensor& t) {
        return t.defined() && t.is_floating_point() ? t.to(at::kDouble) : t;
    };
    const at::Tensor loss = dataLoss(f64(at::addmm(b, x, w)), f64(y), multiLabel, f64(mask));
    if (wd <= 0)
        return loss;
    return loss + 0.5 * wd * f64(rowScale.defined() ? w * rowScale : w).pow(2).sum();
}

/// The largest entry of the objective's gradient (in W and b) at m.
double steepestGradient(const at::Tensor& x, const at::Tensor& y, const at::Tensor& mask, bool multiLabel,
                        double wd, const Logistic& m)
{
    const at::Tensor w = m.w.clone().set_requires_grad(true), b = m.b.clone().set_requires_grad(true);
    objective(x, y, mask, multiLabel, wd, w, b).backward();
    return std::max(w.grad().abs().max().item<double>(), b.grad().abs().max().item<double>());
}

/// The coordinates the probe's L-BFGS works in. Standardised embeddings are strongly correlated (a
/// student's 960 features span far fewer directions), so the penalised loss is ill-conditioned in W
/// and L-BFGS crawls: in bench_evaluate every fit ran to its iteration cap. At W = 0 the Hessian is
/// c·Σ ⊗ (class coupling) + wd·I, with Σ = XᵀX/n = U·diag(s)·Uᵀ and c the curvature of the link
/// there (1/C for a softmax over C classes, 1/4 for a sigmoid). L-BFGS searches V with
/// W = U·diag(d)·V, d = (c·s + wd + floor)^-1/2, where that Hessian is the identity: the rows are
/// rotated onto the principal axes once (xu = X·U) and each fit scales them by d. The penalty
/// ‖W‖² = ‖d ⊙ V‖² (U's columns are orthonormal), so the problem and its optimum are those of the
/// plain fit.
struct Preconditioner
{
    at::Tensor u, s, xu; // float32 [D, r] principal axes, [r] their variances, [n, r] the rotated rows
    double curvature, meanVariance;
    Preconditioner(const at::Tensor& x, double curvature) : curvature(curvature)
    {
        // In float64, from the smaller Gram matrix: XᵀX/n (D × D) or, with fewer rows than
        // features, XXᵀ/n = A·diag(s)·Aᵀ, whose axes X·A_i/√(n·s_i) span the rows (W has no part
        // outside them at the optimum: there the loss is flat and the penalty pulls it to 0).
        const at::Tensor x64 = x.to(at::kDouble);
        const double n = double(x.size(0)), dim = double(x.size(1));
        if (dim <= n) {
            auto [values, vectors] = at::linalg_eigh(at::mm(x64.t(), x64) / n);
            s = values.clamp_min(0);
            u = vectors;
        } else {
            auto [values, vectors] = at::linalg_eigh(at::mm(x64, x64.t()) / n);
            const at::Tensor keep = values > values.max() * 1e-10; // the rank of x
            s = values.index({keep});
            u = at::mm(x64.t(), vectors.index({at::indexing::Slice(), keep})) / (s * n).sqrt();
        }
        meanVariance = s.sum().item<double>() / dim;
        s = s.to(at::kFloat);
        u = u.to(at::kFloat).contiguous();
        xu = at::mm(x, u);
    }
    /// d for weight decay wd, [r, 1]. The floor bounds the scale of directions the rows barely span
    /// (and of every direction at wd = 0): 1e-4 of the mean curvature c·mean variance, which is c
    /// for standardised features (and is taken as c when every feature is constant).
    at::Tensor scale(double wd) const
    {
        const double floor = 1e-4 * curvature * (meanVariance > 0 ? meanVariance : 1.0);
        return (s * curvature + (wd + floor)).rsqrt().unsqueeze(1);
    }
};

/// Full-batch L-BFGS on the objective, from `init` when given, in the coordinates of `pc` (whose
/// rows are those of x).
Logistic fit(const at::Tensor& x, const at::Tensor& y, const at::Tensor& mask, std::int64_t classes,
             bool multiLabel, double wd, int maxIterations, const Logistic* init, const Preconditioner& pc)
{
    const at::Tensor d = pc.scale(wd), z = pc.xu * d.t(); // z·V = x·W for W = U·(d ⊙ V)
    at::Tensor v = init ? at::mm(pc.u.t(), init->w) / d : at::zeros({pc.u.size(1), classes});
    Logistic m;
    v.set_requires_grad(true);
    m.b = (init ? init->b.clone() : at::zeros({classes})).set_requires_grad(true);
    torch::optim::LBFGS opt(std::vector<at::Tensor>{v, m.b}, torch::optim::LBFGSOptions(1.0)
                                                                 .max_iter(maxIterations)
                                                                 .tolerance_grad(1e-6)
                                                                 .tolerance_change(1e-9)
                                                                 .history_size(20)
                                                                 .line_search_fn("strong_wolfe"));
    auto closure = [&]() {
        opt.zero_grad();
        at::Tensor loss = objective(z, y, mask, multiLabel, wd, v, m.b, d);
        loss.backward();
        return loss;
    };
    opt.step(closure);
    m.w = at::mm(pc.u, v.detach() * d);
    m.b = m.b.detach();
    m.converged = steepestGradient(x, y, mask, multiLabel, wd, m) <= kConvergedGrad;
    return m;
}

/// The curvature of the probe's link at W = 0 (see Preconditioner).
double linkCurvature(const ProbeData& d)
{
    return d.multiLabel ? 0.25 : 1.0 / double(d.numClasses);
}

double scoreOf(const at::Tensor& scores, const RowLabels& y, bool multiLabel)
{
    if (!multiLabel)
        return accuracyScore(scores, y.labels);
    return meanAveragePrecision(scores, y.labels, y.known.empty() ? nullptr : &y.known);
}

at::Tensor l2normalize(const at::Tensor& x)
{
    return (x / x.norm(2, {1}, true).clamp_min(1e-12)).contiguous();
}

/// Similarity-weighted votes of the k nearest training rows by cosine → [nTest, C] scores.
at::Tensor knnScores(const at::Tensor& train, const at::Tensor& trainTargets, const at::Tensor& test, int k,
                     std::int64_t classes, bool multiLabel)
{
    const at::Tensor a = l2normalize(train), q = l2normalize(test);
    faiss::IndexFlatIP index(int(a.size(1)));
    index.add(faiss::Index::idx_t(a.size(0)), a.data_ptr<float>());
    const std::int64_t kk = std::min<std::int64_t>(k, a.size(0));
    std::vector<float> sim(size_t(q.size(0) * kk));
    std::vector<faiss::Index::idx_t> nn(sim.size());
    index.search(faiss::Index::idx_t(q.size(0)), q.data_ptr<float>(), faiss::Index::idx_t(kk), sim.data(),
                 nn.data());
    at::Tensor out = at::zeros({q.size(0), classes});
    auto o = out.accessor<float, 2>();
    const at::Tensor t = trainTargets.contiguous();
    for (std::int64_t i = 0; i < q.size(0); ++i) {
        double total = 0;
        for (std::int64_t j = 0; j < kk; ++j) {
            const auto n = nn[size_t(i * kk + j)];
            if (n < 0)
                continue;
            // Shift similarities to [0, 2] so that negative ones still vote (weakly).
            const float w = 1.f + sim[size_t(i * kk + j)];
            total += w;
            if (multiLabel) {
                const float* row = t.data_ptr<float>() + n * classes;
                for (std::int64_t c = 0; c < classes; ++c)
                    o[i][c] += w * row[c];
            } else {
                o[i][t.data_ptr<std::int64_t>()[n]] += w;
            }
        }
        if (total > 0)
            for (std::int64_t c = 0; c < classes; ++c)
                o[i][c] = float(o[i][c] / total);
    }
    return out;
}

/// scikit-learn's StandardScaler: statistics in float64, a feature divided by its standard
/// deviation unless it is constant up to rounding (then by 1). A fixed floor added to the deviation
/// would flatten features that vary little but carry the labels: an early student's embeddings
/// vary by ~1e-6 about a common vector, and with a 1e-6 floor bench_evaluate's probe scored 0.74
/// where scikit-learn's scored 0.91 on the same embeddings.
struct Standardizer
{
    at::Tensor mean, inv; // float64, [1, D]
    explicit Standardizer(const at::Tensor& x)
    {
        const at::Tensor x64 = x.to(at::kDouble);
        mean = x64.mean(0, true);
        const at::Tensor var = x64.var(0, false, true);
        // constant: a variance within what float64 rounding of the sums can make (scikit-learn's
        // _is_constant_feature); equal float32 values give no more than that
        const double n = double(x.size(0)), eps = std::numeric_limits<double>::epsilon();
        const at::Tensor bound = (n * eps * mean.abs()).square() + n * eps * var;
        inv = at::where(var > bound, var.sqrt().reciprocal(), at::ones_like(var));
    }
    at::Tensor operator()(const at::Tensor& x) const
    {
        return ((x.to(at::kDouble) - mean) * inv).to(x.scalar_type()).contiguous();
    }
};

/// Throws InputError unless the data, the fold plan and the options fit together.
void checkProbeInput(const ProbeData& d, const FoldPlan& plan, const ProbeOptions& o)
{
    if (!d.features.defined() || d.features.dim() != 2 || d.features.size(0) != std::int64_t(d.labels.size()))
        throw InputError("linear probe: features must be [rows, dim] with one label list per row");
    if (plan.fold.size() != d.labels.size())
        throw InputError("linear probe: the fold plan has " + std::to_string(plan.fold.size()) +
                         " rows, the data " + std::to_string(d.labels.size()));
    if (d.numClasses < 2)
        throw InputError("linear probe: at least 2 classes are needed (got " + std::to_string(d.numClasses) +
                         ")");
    if (o.weightDecays.empty())
        throw InputError("linear probe: the weight-decay grid is empty");
    if (!d.known.empty() && (d.known.size() != d.labels.size() || !d.multiLabel))
        throw InputError("linear probe: known-label masks need a multi-label task and one mask per row");
    for (const auto& l : d.labels)
        for (int c : l)
            if (c < 0 || c >= d.numClasses)
                throw InputError("linear probe: class index " + std::to_string(c) + " out of range");
    if (!at::isfinite(d.features).all().item<bool>())
        throw InputError("linear probe: the embeddings contain NaN or infinite values");
}

/// Chooses the weight decay of the grid (strongest first) that scores best on the validation rows.
void chooseWeightDecay(const at::Tensor& x, const ProbeData& d, const std::vector<std::int64_t>& train,
                       const std::vector<std::int64_t>& val, const std::vector<double>& grid,
                       int maxIterations, ProbeFold& pf)
{
    const Standardizer st(index(x, train));
    const at::Tensor xt = st(index(x, train)), xv = st(index(x, val));
    const Preconditioner pc(xt, linkCurvature(d));
    const at::Tensor yt = targetsOf(d, train), mt = maskOf(d, train);
    const auto yv = labelsOf(d, val);
    Logistic prev;
    double best = -1;
    for (std::size_t g = 0; g < grid.size(); ++g) {
        const Logistic m =
            fit(xt, yt, mt, d.numClasses, d.multiLabel, grid[g], maxIterations, g ? &prev : nullptr, pc);
        const double s = scoreOf(m.scores(xv), yv, d.multiLabel);
        pf.validationScores.push_back(s);
        pf.converged &= m.converged;
        if (s > best + 1e-12) // ties keep the stronger penalty (seen first)
            best = s, pf.weightDecay = grid[g];
        prev = m;
    }
    pf.validationScore = best;
}

/// One round: test fold f, validation fold plan.validationFor[f], training on the others.
ProbeFold probeRound(const at::Tensor& x, const ProbeData& d, const FoldPlan& plan, int f,
                     const std::vector<double>& grid, const ProbeOptions& o)
{
    const int v = plan.validationFor[size_t(f)];
    const auto test = rowsWhere(plan, [&](int g) { return g == f; });
    const auto val = rowsWhere(plan, [&](int g) { return g == v; });
    const auto train = rowsWhere(plan, [&](int g) { return g != f && g != v; });
    const auto fitRows = rowsWhere(plan, [&](int g) { return g != f; });
    if (test.empty() || val.empty() || train.empty())
        throw InputError("fold " + std::to_string(f) + " leaves no test, validation or training rows");
    ProbeFold pf;
    pf.fold = f;
    pf.trainRows = std::int64_t(fitRows.size());
    pf.testRows = std::int64_t(test.size());

    // Choose the weight decay on the validation fold.
    chooseWeightDecay(x, d, train, val, grid, o.maxIterations, pf);
    // Refit on train + validation, score the test fold.
    const Standardizer st(index(x, fitRows));
    const at::Tensor xf = st(index(x, fitRows));
    const at::Tensor yf = targetsOf(d, fitRows);
    const Logistic m =
        fit(xf, yf, maskOf(d, fitRows), d.numClasses, d.multiLabel, pf.weightDecay, o.maxIterations, nullptr,
            Preconditioner(xf, linkCurvature(d)));
    pf.converged &= m.converged;
    const auto yTest = labelsOf(d, test);
    pf.score = scoreOf(m.scores(st(index(x, test))), yTest, d.multiLabel);
    if (o.knnK > 0)
        pf.knnScore =
            scoreOf(knnScores(index(x, fitRows), yf, index(x, test), o.knnK, d.numClasses, d.multiLabel),
                    yTest, d.multiLabel);
    return pf;
}

/// The means and 95% confidence intervals over the folds.
void summarise(ProbeResult& res)
{
    std::vector<double> s, k;
    for (const auto& pf : res.folds)
        s.push_back(pf.score), k.push_back(pf.knnScore);
    if (!s.empty()) {
        res.mean = std::accumulate(s.begin(), s.end(), 0.0) / double(s.size());
        res.knnMean = std::accumulate(k.begin(), k.end(), 0.0) / double(k.size());
    }
    res.ci95 = ci95HalfWidth(s);
    res.knnCi95 = ci95HalfWidth(k);
}

} // namespace

FoldPlan FoldPlan::fromFolds(const std::vector<int>& folds, const std::string& protocol)
{
    std::set<int> distinct;
    for (int f : folds)
        if (f >= 0)
            distinct.insert(f);
    if (distinct.size() < 3)
        throw InputError("cross-validation needs at least 3 folds (got " + std::to_string(distinct.size()) +
                         ")");
    std::map<int, int> renumber;
    for (int f : distinct)
        renumber[f] = int(renumber.size());
    std::vector<int> out;
    out.reserve(folds.size());
    for (int f : folds)
        out.push_back(f >= 0 ? renumber[f] : -1);
    return crossValidation(std::move(out), int(distinct.size()), protocol);
}

FoldPlan FoldPlan::stratified(const std::vector<int>& primaryLabel, int k, std::uint64_t seed)
{
    if (k < 3)
        throw InputError("--folds must be at least 3 (got " + std::to_string(k) + ")");
    std::map<int, std::vector<std::int64_t>> byClass;
    for (std::size_t i = 0; i < primaryLabel.size(); ++i)
        if (primaryLabel[i] >= 0)
            byClass[primaryLabel[i]].push_back(std::int64_t(i));
    std::vector<int> fold(primaryLabel.size(), -1);
    // Deal each class's shuffled rows round-robin, continuing where the previous class stopped so
    // that fold sizes differ by at most one.
    int next = 0;
    for (auto& [c, rows] : byClass) {
        std::shuffle(rows.begin(), rows.end(), std::mt19937_64(mixSeed(seed, std::uint64_t(c))));
        for (auto r : rows) {
            fold[size_t(r)] = next;
            next = (next + 1) % k;
        }
    }
    return crossValidation(std::move(fold), k,
                           "stratified " + std::to_string(k) + "-fold, seed " + std::to_string(seed));
}

FoldPlan FoldPlan::fromSplits(const std::vector<std::string>& split, std::uint64_t seed)
{
    FoldPlan p;
    p.numFolds = 3;
    std::vector<std::int64_t> train;
    bool hasValid = false, hasTest = false;
    for (const auto& s : split) {
        const int f = s == "test" ? 0 : s == "valid" ? 1 : s == "train" ? 2 : -1;
        hasTest |= f == 0, hasValid |= f == 1;
        if (f == 2)
            train.push_back(std::int64_t(p.fold.size()));
        p.fold.push_back(f);
    }
    p.protocol = "train/valid/test split";
    if (!hasValid && train.size() >= 2) {
        // Choose the weight decay on a seeded eighth of train (at least one row), refit on all of it.
        std::shuffle(train.begin(), train.end(), std::mt19937_64(seed));
        const std::size_t n = std::max<std::size_t>(1, (train.size() + 4) / 8);
        for (std::size_t i = 0; i < n; ++i)
            p.fold[size_t(train[i])] = 1;
        hasValid = true;
        p.protocol = "train/test split, weight decay chosen on a seeded eighth of train (seed " +
                     std::to_string(seed) + ")";
    }
    if (train.empty() || !hasValid || !hasTest)
        throw InputError("a split evaluation needs train, valid and test clips");
    p.testFolds = {0};
    p.validationFor = {1, 2, 0};
    return p;
}

ProbeResult runLinearProbe(const ProbeData& d, const FoldPlan& plan, const ProbeOptions& o,
                           ProgressSink* sink, const StopToken* stop)
{
    const auto t0 = std::chrono::steady_clock::now();
    checkProbeInput(d, plan, o);

    ProbeResult res;
    res.metric = d.multiLabel ? "mAP" : "accuracy";
    std::vector<double> grid = o.weightDecays;
    std::sort(grid.begin(), grid.end(), std::greater<>()); // strongest first: a smooth warm-started path
    res.grid = grid;
    const at::Tensor x = d.features.to(at::kFloat).contiguous();
    std::int64_t round = 0;
    for (int f : plan.testFolds) {
        if (stop && stop->requested())
            break;
        const ProbeFold pf = probeRound(x, d, plan, f, grid, o);
        res.folds.push_back(pf);
        if (sink) {
            sink->progress("probe", ++round, std::int64_t(plan.testFolds.size()));
            char line[200];
            std::snprintf(line, sizeof line, "fold %d: %s %.4f (kNN %.4f), weight decay %g%s", f,
                          res.metric.c_str(), pf.score, pf.knnScore, pf.weightDecay,
                          pf.converged ? "" : " (L-BFGS did not converge in its iterations)");
            sink->info(line);
        }
    }
    summarise(res);
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return res;
}

} // namespace ssondo
