// SPDX-License-Identifier: GPL-3.0-or-later
// k-means and cluster quality on data with known structure; label-agreement measures against
// hand-computed values (the demo set's measures were also checked against scikit-learn 1.2: same
// silhouette, Calinski–Harabasz, Davies–Bouldin, NMI and ARI to 4 digits).

#include "clustering/ClusterMetrics.h"
#include "clustering/KMeans.h"
#include "data/EmbeddingStore.h"

#include <ATen/ATen.h>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace ssondo;

class tst_KMeans : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void recoversBlobs_data();
    void recoversBlobs();
    void sampledTrainingAssignsEveryRow();
    void labelMeasures();
    void plusPlusFindsSmallBlobs();
    void rejectsBadK();

private:
    std::unique_ptr<EmbeddingStore> makeBlobs(const QString& dir, int perBlob,
                                              std::vector<std::string>& labels);
};

std::unique_ptr<EmbeddingStore> tst_KMeans::makeBlobs(const QString& dir, int perBlob,
                                                      std::vector<std::string>& labels)
{
    // Four tight Gaussian blobs in 16-d, of sizes perBlob, 2·perBlob, 3·perBlob, 4·perBlob.
    at::manual_seed(5);
    const at::Tensor centres = at::randn({4, 16}) * 10;
    std::vector<at::Tensor> rows;
    EmbeddingStoreInfo info;
    info.teacherIdentity = "blobs";
    info.datasetName = "blobs";
    info.datasetVersion = "1";
    info.dim = 16;
    for (int b = 0; b < 4; ++b)
        for (int i = 0; i < perBlob * (b + 1); ++i) {
            rows.push_back(centres[b] + at::randn({16}) * 0.5);
            labels.push_back("blob" + std::to_string(b));
            info.clipPaths.push_back(std::to_string(info.clipPaths.size()) + ".wav");
        }
    auto store = EmbeddingStore::openOrCreate(dir.toStdString(), info);
    for (size_t i = 0; i < rows.size(); ++i)
        store->write(std::int64_t(i), rows[i].contiguous().data_ptr<float>());
    return store;
}

void tst_KMeans::recoversBlobs_data()
{
    QTest::addColumn<bool>("normalize");
    QTest::newRow("raw") << false;
    QTest::newRow("l2-normalised") << true;
}

void tst_KMeans::recoversBlobs()
{
    QFETCH(bool, normalize);
    QTemporaryDir dir;
    std::vector<std::string> labels;
    auto store = makeBlobs(dir.path() + "/s", 25, labels);
    const auto rows = store->rowsIn(EmbeddingStore::RowState::Done);
    KMeansOptions o;
    o.k = 4;
    o.normalize = normalize;
    const KMeansResult r = runKMeans(*store, rows, o);
    QCOMPARE(r.assignment.size(), rows.size());
    std::vector<std::int64_t> sizes = r.sizes;
    std::sort(sizes.begin(), sizes.end());
    QCOMPARE(sizes, (std::vector<std::int64_t>{25, 50, 75, 100}));
    const ClusterQuality q = clusterQuality(*store, rows, r.assignment, 4, normalize, labels);
    qInfo("silhouette %.3f CH %.1f DB %.3f NMI %.3f ARI %.3f purity %.3f", q.silhouette, q.calinskiHarabasz,
          q.daviesBouldin, *q.nmi, *q.ari, *q.purity);
    QVERIFY(q.silhouette > 0.8);
    QVERIFY(q.daviesBouldin < 0.3);
    QVERIFY(q.calinskiHarabasz > 100);
    QCOMPARE(*q.ari, 1.0);
    QVERIFY(std::abs(*q.nmi - 1.0) < 1e-12);
    QCOMPARE(*q.purity, 1.0);
    QVERIFY(std::abs(q.inertia - r.inertia) / r.inertia < 1e-3); // both are the within-cluster sum of squares
}

void tst_KMeans::sampledTrainingAssignsEveryRow()
{
    QTemporaryDir dir;
    std::vector<std::string> labels;
    auto store = makeBlobs(dir.path() + "/s", 50, labels); // 500 rows
    const auto rows = store->rowsIn(EmbeddingStore::RowState::Done);
    KMeansOptions o;
    o.k = 4;
    o.maxTrainRows = 60; // train on 60 rows, assign all 500
    const KMeansResult r = runKMeans(*store, rows, o);
    QCOMPARE(r.trainRows, std::int64_t(60));
    QCOMPARE(r.assignment.size(), size_t(500));
    const ClusterQuality q = clusterQuality(*store, rows, r.assignment, 4, false, labels);
    QCOMPARE(*q.ari, 1.0);
}

void tst_KMeans::labelMeasures()
{
    const std::vector<std::int64_t> a{0, 0, 1, 1, 2, 2}, permuted{5, 5, 3, 3, 4, 4}, merged{0, 0, 0, 0, 1, 1};
    QCOMPARE(adjustedRandIndex(a, permuted), 1.0);
    QVERIFY(std::abs(normalizedMutualInformation(a, permuted) - 1.0) < 1e-12);
    // merged vs a: contingency [[2,2,0],[0,0,2]]; Σ C(n_ij,2) = 3, Σ C(a_i,2) = 6+1 = 7, Σ C(b_j,2) = 3,
    // expected = 7·3/15 = 1.4, max = 5 → ARI = (3 − 1.4) / (5 − 1.4) = 0.4444…
    QVERIFY(std::abs(adjustedRandIndex(merged, a) - 1.6 / 3.6) < 1e-12);
    QCOMPARE(purity(merged, a), 4.0 / 6.0); // cluster 0 holds labels 0, 0, 1, 1 → 2 right; cluster 1 → 2
}

void tst_KMeans::plusPlusFindsSmallBlobs()
{
    // 12 far-apart blobs of very unequal sizes (4 to 400 rows): random rows as seeds usually put
    // several centres in the big blobs and miss small ones; k-means++ seeds one centre per blob.
    QTemporaryDir dir;
    at::manual_seed(9);
    const at::Tensor centres = at::randn({12, 16}) * 20;
    EmbeddingStoreInfo info;
    info.teacherIdentity = "unequal";
    info.datasetName = "unequal";
    info.datasetVersion = "1";
    info.dim = 16;
    std::vector<at::Tensor> rows;
    std::vector<std::int64_t> truth;
    for (int b = 0; b < 12; ++b)
        for (int i = 0; i < (b < 6 ? 4 : 400); ++i) {
            rows.push_back(centres[b] + at::randn({16}) * 0.3);
            truth.push_back(b);
            info.clipPaths.push_back(std::to_string(info.clipPaths.size()) + ".wav");
        }
    auto store = EmbeddingStore::openOrCreate((dir.path() + "/s").toStdString(), info);
    for (size_t i = 0; i < rows.size(); ++i)
        store->write(std::int64_t(i), rows[i].contiguous().data_ptr<float>());
    KMeansOptions o;
    o.k = 12;
    o.iterations = 10;
    o.restarts = 1;
    for (std::uint64_t seed : {1, 2, 3}) {
        o.seed = seed;
        const KMeansResult r = runKMeans(*store, store->rowsIn(EmbeddingStore::RowState::Done), o);
        QCOMPARE(adjustedRandIndex(r.assignment, truth), 1.0);
    }
}

void tst_KMeans::rejectsBadK()
{
    QTemporaryDir dir;
    std::vector<std::string> labels;
    auto store = makeBlobs(dir.path() + "/s", 1, labels); // 10 rows
    KMeansOptions o;
    o.k = 11;
    QVERIFY_THROWS_EXCEPTION(std::exception,
                             runKMeans(*store, store->rowsIn(EmbeddingStore::RowState::Done), o));
}

QTEST_GUILESS_MAIN(tst_KMeans)
#include "tst_KMeans.moc"
