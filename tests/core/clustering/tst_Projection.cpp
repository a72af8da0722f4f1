// SPDX-License-Identifier: GPL-3.0-or-later
// 2-D PCA map on data with known principal axes: axes recovered, variance shares right, coordinates
// equal to the projection, reproducible.

#include "clustering/Projection.h"
#include "data/EmbeddingStore.h"

#include <ATen/ATen.h>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace ssondo;

class tst_Projection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void recoversPrincipalAxes();
};

void tst_Projection::recoversPrincipalAxes()
{
    // 2,000 points in 64-d: standard deviations 10 and 5 along two random orthonormal axes, 1 elsewhere.
    at::manual_seed(3);
    const std::int64_t n = 2000, d = 64;
    const at::Tensor basis = std::get<0>(at::linalg_qr(at::randn({d, d}, at::kDouble)));
    at::Tensor scales = at::ones({d}, at::kDouble);
    scales[0] = 10;
    scales[1] = 5;
    const at::Tensor x =
        (at::matmul(at::randn({n, d}, at::kDouble) * scales, basis.t()) + 3.0).to(at::kFloat);
    QTemporaryDir dir;
    EmbeddingStoreInfo info;
    info.teacherIdentity = "t";
    info.datasetName = "d";
    info.datasetVersion = "1";
    info.dim = d;
    for (std::int64_t i = 0; i < n; ++i)
        info.clipPaths.push_back(std::to_string(i));
    auto store = EmbeddingStore::openOrCreate(dir.path().toStdString() + "/s", info);
    for (std::int64_t i = 0; i < n; ++i)
        store->write(i, x[i].contiguous().data_ptr<float>());
    const auto rows = store->rowsIn(EmbeddingStore::RowState::Done);

    const Projection2D p = pca2d(*store, rows);
    QCOMPARE(p.coords.sizes().vec(), (std::vector<std::int64_t>{n, 2}));
    const double c0 = std::abs(at::dot(p.components[0].to(at::kDouble), basis.select(1, 0)).item<double>());
    const double c1 = std::abs(at::dot(p.components[1].to(at::kDouble), basis.select(1, 1)).item<double>());
    qInfo("|cos| to the true axes: %.5f, %.5f; explained %.3f, %.3f", c0, c1, p.explained[0], p.explained[1]);
    QVERIFY(c0 > 0.999 && c1 > 0.995);
    // Expected shares: 100 / (100 + 25 + 62) and 25 / 187.
    QVERIFY(std::abs(p.explained[0] - 100.0 / 187) < 0.03);
    QVERIFY(std::abs(p.explained[1] - 25.0 / 187) < 0.02);
    // Coordinates are the centred data projected on the axes.
    const at::Tensor centred = x - x.mean(0);
    QVERIFY(at::allclose(p.coords, at::matmul(centred, p.components.t()), 1e-3, 1e-2));
    // Same seed, same map (orientation included).
    QVERIFY(at::equal(pca2d(*store, rows).coords, p.coords));
}

QTEST_GUILESS_MAIN(tst_Projection)
#include "tst_Projection.moc"
