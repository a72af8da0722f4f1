// SPDX-License-Identifier: GPL-3.0-or-later
// Each distillation loss against values computed by hand on tiny tensors.

#include "distill/Losses.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <QtTest/QtTest>

#include <cmath>

using namespace ssondo;

class tst_Losses : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void handComputed_data();
    void handComputed();
    void clusterMaskExcludesOtherPositives();
    void gradientsFlow();
    void names();
};

static at::Tensor t2(std::initializer_list<float> v, std::int64_t rows)
{
    std::vector<float> data(v);
    return at::from_blob(data.data(), {rows, std::int64_t(data.size()) / rows}, at::kFloat).clone();
}

namespace {

struct Case
{
    const char* row;
    QString loss;
    double expected;
};

/// Hand-computed values of every loss of the table, on pred = [[1, 0], [0, 2]] and
/// target = [[1, 1], [0, 1]] (clusters (0, 1), T = 1).
std::vector<Case> handComputedCases()
{
    std::vector<Case> c;
    // pred = [[1, 0], [0, 2]], target = [[1, 1], [0, 1]]
    // cosine: row 0 cos = 1/√2, row 1 cos = 1 → mean(1 − cos) = (1 − 0.70710678) / 2
    c.push_back({"cosine", "cosine", (1 - 1 / std::sqrt(2.0)) / 2});
    // mse: differences (0, −1, 0, 1) → 2 / 4
    c.push_back({"mse", "mse", 0.5});
    c.push_back({"l1", "l1", 0.5});
    // kl, T = 1: row 0: p = softmax(1,1) = (.5,.5), q = softmax(1,0) = (e/(1+e), 1/(1+e))
    //   KL = Σ p (log p − log q) = .5 log(.5(1+e)/e) + .5 log(.5(1+e))
    // row 1: p = softmax(0,1), q = softmax(0,2)
    {
        const double e = std::exp(1.0);
        const double r0 = 0.5 * std::log(0.5 * (1 + e) / e) + 0.5 * std::log(0.5 * (1 + e));
        const double p0 = 1 / (1 + e), p1 = e / (1 + e);
        const double q0 = 1 / (1 + std::exp(2.0)), q1 = std::exp(2.0) / (1 + std::exp(2.0));
        const double r1 = p0 * std::log(p0 / q0) + p1 * std::log(p1 / q1);
        c.push_back({"kl T=1", "kl", (r0 + r1) / 2});
    }
    // clap, T = 1: S = cos matrix [[1/√2, 0], [1/√2, 1]] (rows pred, cols target)
    //   rows: CE(row0, 0) = −log(e^{.7071}/(e^{.7071}+1)); CE(row1, 1) = −log(e/(e^{.7071}+e))
    //   cols: CE(col0 = (.7071, .7071), 0) = log 2; CE(col1 = (0, 1), 1) = −log(e/(1+e))
    {
        const double a = 1 / std::sqrt(2.0), e = std::exp(1.0);
        const double rows = -std::log(std::exp(a) / (std::exp(a) + 1)) - std::log(e / (std::exp(a) + e));
        const double cols = std::log(2.0) - std::log(e / (1 + e));
        c.push_back({"clap T=1", "clap", 0.5 * (rows / 2 + cols / 2)});
    }
    // cluster contrastive, clusters (0, 1), T = 1: each anchor has one positive (itself) and one
    // negative: anchor 0: log(1 + e^{s01 − s00}) = log(1 + e^{0 − .7071}); anchor 1: log(1 + e^{.7071 − 1})
    {
        const double a = 1 / std::sqrt(2.0);
        c.push_back({"cluster contrastive", "cluster_contrastive",
                     (std::log1p(std::exp(-a)) + std::log1p(std::exp(a - 1))) / 2});
    }
    return c;
}

} // namespace

void tst_Losses::handComputed_data()
{
    QTest::addColumn<QString>("loss");
    QTest::addColumn<double>("expected");
    for (const Case& c : handComputedCases())
        QTest::newRow(c.row) << c.loss << c.expected;
}

void tst_Losses::handComputed()
{
    QFETCH(QString, loss);
    QFETCH(double, expected);
    const at::Tensor pred = t2({1, 0, 0, 2}, 2), target = t2({1, 1, 0, 1}, 2);
    const at::Tensor clusters = at::tensor(std::vector<std::int64_t>{0, 1});
    const double got = distillationLoss(loss.toStdString(), pred, target, 1.0, clusters).item<double>();
    QVERIFY2(std::abs(got - expected) < 1e-6,
             qPrintable(QString("%1 vs %2").arg(got, 0, 'g', 10).arg(expected, 0, 'g', 10)));
}

void tst_Losses::clusterMaskExcludesOtherPositives()
{
    // Three samples, 0 and 1 in the same cluster. For anchor 0, the positives are 0 and 1; the
    // denominator of each holds that positive and the negative 2 only, never the other positive.
    at::manual_seed(0);
    const at::Tensor pred = at::randn({3, 4}), target = at::randn({3, 4});
    const at::Tensor clusters = at::tensor(std::vector<std::int64_t>{5, 5, 7});
    const double T = 0.5;
    const at::Tensor s = at::cosine_similarity(pred.unsqueeze(1), target.unsqueeze(0), 2) / T;
    auto term = [&](int i, int p, std::vector<int> negs) {
        double den = std::exp(s[i][p].item<double>());
        for (int n : negs)
            den += std::exp(s[i][n].item<double>());
        return -std::log(std::exp(s[i][p].item<double>()) / den);
    };
    const double a0 = (term(0, 0, {2}) + term(0, 1, {2})) / 2;
    const double a1 = (term(1, 1, {2}) + term(1, 0, {2})) / 2;
    const double a2 = term(2, 2, {0, 1});
    const double expected = (a0 + a1 + a2) / 3;
    const double got = clusterContrastiveLoss(pred, target, clusters, T).item<double>();
    QVERIFY2(std::abs(got - expected) < 1e-5, qPrintable(QString("%1 vs %2").arg(got).arg(expected)));
    // All in one cluster: no negatives, nothing to push away, loss 0.
    QCOMPARE(clusterContrastiveLoss(pred, target, at::zeros({3}, at::kLong), T).item<double>(), 0.0);
}

void tst_Losses::gradientsFlow()
{
    for (const LossEntry& loss : losses()) {
        at::Tensor pred = at::randn({4, 6}).set_requires_grad(true);
        const at::Tensor target = at::randn({4, 6});
        at::Tensor l = distillationLoss(std::string(loss.name), pred, target, 0.1,
                                        at::tensor(std::vector<std::int64_t>{0, 0, 1, 2}));
        l.backward();
        QVERIFY2(pred.grad().defined() && at::isfinite(pred.grad()).all().item<bool>() &&
                     pred.grad().abs().sum().item<double>() > 0,
                 std::string(loss.name).c_str());
    }
}

void tst_Losses::names()
{
    // Every loss of the table has a hand-computed row in handComputed_data: adding a loss to the
    // table without its test fails here.
    QStringList table, tested;
    for (const LossEntry& loss : losses())
        table << QString::fromUtf8(loss.name.data(), int(loss.name.size()));
    for (const auto& c : handComputedCases())
        if (!tested.contains(c.loss))
            tested << c.loss;
    QCOMPARE(table, tested);
    QVERIFY(losses().get("clap", "").usesTemperature);
    QVERIFY(losses().get("cluster_contrastive", "").needsClusters);
    QVERIFY(!losses().get("cosine", "").needsClusters);
    QVERIFY_THROWS_EXCEPTION(InputError, losses().get("hinge", "loss.kind"));
    try {
        losses().get("hinge", "loss.kind");
    } catch (const InputError& e) {
        QVERIFY2(QByteArray(e.what()).contains("one of cosine, mse, l1, kl, clap, cluster_contrastive"),
                 e.what());
    }
}

QTEST_GUILESS_MAIN(tst_Losses)
#include "tst_Losses.moc"
