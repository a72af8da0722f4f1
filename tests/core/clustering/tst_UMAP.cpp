// SPDX-License-Identifier: GPL-3.0-or-later
// UMAP on data with known structure: the curve parameters are umap-learn's, separated clusters stay
// separated, a helix is unrolled better than PCA can, a seed gives the same map, a graph in pieces
// falls back to the PCA start, bad inputs are refused and a stop ends it early.

#include "clustering/MapQuality.h"
#include "clustering/Projection.h"
#include "clustering/UMAP.h"
#include "util/Error.h"
#include "util/StopToken.h"

#include <ATen/ATen.h>
#include <QtTest/QtTest>

using namespace ssondo;

namespace {

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
    int good = 0;
    for (std::int64_t i = 0; i < y.size(0); ++i) {
        const at::Tensor idx = std::get<1>(d[i].topk(6, 0, /*largest=*/false));
        int same = 0;
        for (int j = 1; j < 6; ++j)
            same += labels[size_t(idx[j].item<std::int64_t>())] == labels[size_t(i)];
        good += same >= 3;
    }
    return double(good) / double(y.size(0));
}

} // namespace

class tst_UMAP : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void curveIsUmapLearns_data();
    void curveIsUmapLearns();
    void separatesClusters();
    void unrollsAHelix();
    void seededAndDeterministic();
    void piecesStartFromPca();
    void refusesBadInput();
    void stops();
};

void tst_UMAP::curveIsUmapLearns_data()
{
    QTest::addColumn<double>("minDist");
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    // umap.umap_.find_ab_params(1.0, min_dist) of umap-learn 0.5.3 (scipy's curve_fit), Debian 12.
    QTest::newRow("0.1") << 0.1 << 1.5769434601962196 << 0.8950608779914887;
    QTest::newRow("0.5") << 0.5 << 0.583030020479462 << 1.3341669929263487;
}

void tst_UMAP::curveIsUmapLearns()
{
    QFETCH(double, minDist);
    QFETCH(double, a);
    QFETCH(double, b);
    double fa = 0, fb = 0;
    umapCurve(1.0, minDist, fa, fb);
    // Both are least-squares minima of the same smooth 2-parameter problem, stopped by different
    // tolerances (curve_fit's 1.5e-8 relative); 1e-4 is far above either and far below any effect.
    QVERIFY2(std::abs(fa - a) < 1e-4 * a && std::abs(fb - b) < 1e-4 * b,
             qPrintable(QStringLiteral("a %1 b %2").arg(fa, 0, 'g', 10).arg(fb, 0, 'g', 10)));
}

void tst_UMAP::separatesClusters()
{
    std::vector<int> labels;
    const at::Tensor x = blobs(6, 60, 32, labels, 7);
    const UmapResult r = umap2d(x);
    QCOMPARE(r.coords.sizes(), (at::IntArrayRef{360, 2}));
    QCOMPARE(r.epochsRun, 500); // umap-learn's default up to 10,000 points
    // Clusters 4σ apart leave no edge between them: the spectral start needs one piece.
    QCOMPARE(r.components, std::int64_t(6));
    QVERIFY(at::isfinite(r.coords).all().item<bool>());
    const double agree = knnAgreement(r.coords, labels);
    QVERIFY2(agree > 0.97, qPrintable(QString::number(agree)));
    const double trust = trustworthiness(x, r.coords, 10);
    QVERIFY2(trust > 0.9, qPrintable(QString::number(trust)));
}

void tst_UMAP::unrollsAHelix()
{
    // 1,000 points on five turns of a helix whose turns are ten point spacings apart: PCA sees
    // the circle and lays the turns on top of each other; UMAP keeps the curve's neighbourhoods.
    const at::Tensor t = at::linspace(0, 10 * M_PI, 1000, at::kDouble);
    at::manual_seed(1);
    const at::Tensor x =
        (at::stack({at::cos(t), at::sin(t), 0.05 * t}, 1) + 0.003 * at::randn({1000, 3}, at::kDouble))
            .to(at::kFloat);
    const UmapResult r = umap2d(x);
    QCOMPARE(r.initUsed, std::string("spectral"));
    const double umapTrust = trustworthiness(x, r.coords, 10);
    const double pcaTrust = trustworthiness(x, pca2d(x).coords, 10);
    QVERIFY2(umapTrust > 0.995 && umapTrust > pcaTrust + 0.01, // measured: 0.99995 vs 0.973
             qPrintable(QStringLiteral("UMAP %1, PCA %2").arg(umapTrust).arg(pcaTrust)));
}

void tst_UMAP::seededAndDeterministic()
{
    std::vector<int> labels;
    const at::Tensor x = blobs(3, 40, 8, labels, 2);
    UmapOptions o;
    o.epochs = 100;
    const at::Tensor a = umap2d(x, o).coords, b = umap2d(x, o).coords;
    QVERIFY(at::equal(a, b)); // sequential SGD, fixed generator: the same bits for a seed
    o.seed = 43;
    QVERIFY(!at::equal(a, umap2d(x, o).coords));
    o.init = "pca";
    QCOMPARE(umap2d(x, o).initUsed, std::string("pca"));
}

void tst_UMAP::piecesStartFromPca()
{
    // Two tight groups far apart, 5 neighbours: no edge joins them.
    at::manual_seed(5);
    const at::Tensor x = at::cat({at::randn({30, 4}) * 0.01, at::randn({30, 4}) * 0.01 + 100});
    UmapOptions o;
    o.neighbours = 5;
    o.epochs = 50;
    const UmapResult r = umap2d(x, o);
    QCOMPARE(r.components, std::int64_t(2));
    QVERIFY2(r.initUsed.rfind("pca (", 0) == 0, r.initUsed.c_str());
    QVERIFY(at::isfinite(r.coords).all().item<bool>());
}

void tst_UMAP::refusesBadInput()
{
    QVERIFY_THROWS_EXCEPTION(InputError, umap2d(at::randn({3, 4})));
    at::Tensor bad = at::randn({20, 4});
    bad[3][1] = NAN;
    QVERIFY_THROWS_EXCEPTION(InputError, umap2d(bad));
    UmapOptions o;
    o.init = "random";
    QVERIFY_THROWS_EXCEPTION(InputError, umap2d(at::randn({20, 4}), o));
    o = {};
    o.minDist = 2; // above spread
    QVERIFY_THROWS_EXCEPTION(InputError, umap2d(at::randn({20, 4}), o));
}

void tst_UMAP::stops()
{
    StopToken stop;
    stop.request();
    const UmapResult r = umap2d(at::randn({50, 4}), {}, nullptr, &stop);
    QCOMPARE(r.epochsRun, 0);
    QCOMPARE(r.coords.size(0), 50);
}

QTEST_GUILESS_MAIN(tst_UMAP)
#include "tst_UMAP.moc"
