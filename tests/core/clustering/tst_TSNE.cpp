// SPDX-License-Identifier: GPL-3.0-or-later
// Barnes–Hut t-SNE on data with known structure: separated clusters stay separated (2-D kNN
// agrees with the labels), Barnes–Hut agrees with the exact gradient, a seed gives the same map.

#include "clustering/TSNE.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <QtTest/QtTest>

using namespace ssondo;

namespace {

/// `clusters` Gaussian blobs in `dim`-d with `per` points each; labels out.
at::Tensor blobs(int clusters, int per, int dim, std::vector<int>& labels, std::uint64_t seed)
{
    at::manual_seed(std::int64_t(seed));
    const at::Tensor centres = at::randn({clusters, dim}) * 4;
    std::vector<at::Tensor> rows;
    labels.clear();
    for (int c = 0; c < clusters; ++c)
        for (int i = 0; i < per; ++i) {
            rows.push_back(centres[c] + at::randn({dim}));
            labels.push_back(c);
        }
    return at::stack(rows);
}

/// Share of points whose 5 nearest 2-D neighbours mostly share their label.
double knnAgreement(const at::Tensor& y, const std::vector<int>& labels)
{
    const at::Tensor d = at::cdist(y, y);
    const std::int64_t n = y.size(0);
    int good = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        const at::Tensor idx = std::get<1>(d[i].topk(6, 0, /*largest=*/false));
        int same = 0;
        for (int j = 1; j < 6; ++j)
            same += labels[size_t(idx[j].item<std::int64_t>())] == labels[size_t(i)];
        good += same >= 3;
    }
    return double(good) / double(n);
}

} // namespace

class tst_TSNE : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void separatesClusters_data();
    void separatesClusters();
    void barnesHutMatchesExact();
    void seededAndDeterministic();
    void duplicatesAndSmallInputs();
};

void tst_TSNE::separatesClusters_data()
{
    QTest::addColumn<int>("dim");
    QTest::addColumn<int>("per");
    QTest::newRow("16-d, no PCA") << 16 << 60;
    QTest::newRow("768-d through PCA") << 768 << 80;
}

void tst_TSNE::separatesClusters()
{
    QFETCH(int, dim);
    QFETCH(int, per);
    std::vector<int> labels;
    const at::Tensor x = blobs(6, per, dim, labels, 1);
    TsneOptions o;
    o.iterations = 500;
    const TsneResult r = tsne2d(x, o);
    QCOMPARE(r.coords.sizes(), (at::IntArrayRef{6 * per, 2}));
    QVERIFY(at::isfinite(r.coords).all().item<bool>());
    const double agree = knnAgreement(r.coords, labels);
    QVERIFY2(agree > 0.98, qPrintable(QString::number(agree)));
    QVERIFY(r.klDivergence > 0 && r.klDivergence < 2.0);
    // Clusters are compact and apart: mean within-cluster distance well below between-cluster.
    double within = 0, between = 0;
    int nw = 0, nb = 0;
    const at::Tensor d = at::cdist(r.coords, r.coords);
    for (int i = 0; i < 6 * per; i += 7)
        for (int j = i + 1; j < 6 * per; j += 5)
            (labels[size_t(i)] == labels[size_t(j)] ? (within += d[i][j].item<double>(), ++nw)
                                                    : (between += d[i][j].item<double>(), ++nb));
    QVERIFY2(within / nw < 0.35 * between / nb,
             qPrintable(QString("%1 vs %2").arg(within / nw).arg(between / nb)));
}

void tst_TSNE::barnesHutMatchesExact()
{
    std::vector<int> labels;
    const at::Tensor x = blobs(4, 30, 10, labels, 2);
    TsneOptions o;
    o.iterations = 1000; // converged: 250 exaggerated + 750 plain iterations
    o.theta = 0.0;       // exact O(n²) repulsion
    const TsneResult exact = tsne2d(x, o);
    o.theta = 0.5;
    const TsneResult bh = tsne2d(x, o);
    QVERIFY(knnAgreement(exact.coords, labels) > 0.98);
    QVERIFY(knnAgreement(bh.coords, labels) > 0.98);
    // Same objective reached within a few percent.
    QVERIFY2(std::abs(bh.klDivergence - exact.klDivergence) < 0.2 * exact.klDivergence + 0.005,
             qPrintable(QString("%1 vs %2").arg(bh.klDivergence).arg(exact.klDivergence)));
}

void tst_TSNE::seededAndDeterministic()
{
    std::vector<int> labels;
    const at::Tensor x = blobs(3, 40, 20, labels, 3);
    TsneOptions o;
    o.iterations = 200;
    const TsneResult a = tsne2d(x, o), b = tsne2d(x, o);
    QVERIFY(at::equal(a.coords, b.coords));
    o.seed = 7;
    const TsneResult c = tsne2d(x, o);
    QVERIFY(!at::equal(a.coords, c.coords));
}

void tst_TSNE::duplicatesAndSmallInputs()
{
    // Many identical rows must not break the tree, and the perplexity is lowered for small sets.
    at::Tensor x = at::zeros({40, 5});
    x.slice(0, 20, 40).fill_(3.0);
    x[0][0] = 0.01;
    TsneOptions o;
    o.iterations = 100;
    const TsneResult r = tsne2d(x, o);
    QVERIFY(at::isfinite(r.coords).all().item<bool>());
    QVERIFY(r.perplexityUsed < 30);
    QVERIFY_THROWS_EXCEPTION(InputError, tsne2d(at::randn({3, 5}), o));
    at::Tensor bad = at::randn({10, 4});
    bad[2][1] = std::nan("");
    QVERIFY_THROWS_EXCEPTION(InputError, tsne2d(bad, o));
}

QTEST_GUILESS_MAIN(tst_TSNE)
#include "tst_TSNE.moc"
