// SPDX-License-Identifier: GPL-3.0-or-later
// Samplers: reproducible per (seed, epoch); uniform frequencies; the balanced sampler's cluster
// frequencies converge to uniform however unbalanced the clusters are.

#include "data/Sampler.h"

#include <QtTest/QtTest>

#include <cmath>
#include <map>

using namespace ssondo;

class tst_Sampler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void reproducible();
    void uniformFrequencies();
    void balancedClustersConvergeToUniform();
    void rejectsEmptyPool();
};

void tst_Sampler::reproducible()
{
    const Sampler s = Sampler::uniform({3, 5, 7, 9}, 42);
    QCOMPARE(s.epoch(3, 100), s.epoch(3, 100));
    QVERIFY(s.epoch(3, 100) != s.epoch(4, 100));
    QVERIFY(Sampler::uniform({3, 5, 7, 9}, 43).epoch(3, 100) != s.epoch(3, 100));
    for (auto v : s.epoch(0, 50))
        QVERIFY(v == 3 || v == 5 || v == 7 || v == 9);
}

void tst_Sampler::uniformFrequencies()
{
    std::vector<std::int64_t> pool(10);
    for (int i = 0; i < 10; ++i)
        pool[size_t(i)] = i;
    const Sampler s = Sampler::uniform(pool, 1);
    std::map<std::int64_t, int> counts;
    for (auto v : s.epoch(0, 100000))
        ++counts[v];
    for (const auto& [k, n] : counts)
        QVERIFY2(std::abs(n / 100000.0 - 0.1) < 0.01, qPrintable(QString("clip %1: %2").arg(k).arg(n)));
}

void tst_Sampler::balancedClustersConvergeToUniform()
{
    // Clusters of sizes 1, 10, 100, 1000: uniform drawing would give cluster 0 a 0.09% share.
    std::vector<std::int64_t> pool, clusters;
    const int sizes[] = {1, 10, 100, 1000};
    for (int c = 0; c < 4; ++c)
        for (int i = 0; i < sizes[c]; ++i) {
            pool.push_back(std::int64_t(pool.size()));
            clusters.push_back(c);
        }
    const Sampler s = Sampler::balanced(pool, clusters, 42);
    double maxDev = 1;
    for (std::int64_t n : {1000, 10000, 200000}) {
        std::vector<int> hits(4, 0);
        for (auto v : s.epoch(0, n))
            ++hits[size_t(clusters[size_t(v)])];
        maxDev = 0;
        for (int c = 0; c < 4; ++c)
            maxDev = std::max(maxDev, std::abs(hits[size_t(c)] / double(n) - 0.25));
        qInfo("%lld draws: max deviation of a cluster's share from 1/4: %.4f", (long long)n, maxDev);
    }
    QVERIFY(maxDev < 0.005);
    QVERIFY(std::abs(s.probability(0) - 0.25) < 1e-12); // the single-clip cluster
    QVERIFY(std::abs(s.probability(1) - 0.025) < 1e-12);
}

void tst_Sampler::rejectsEmptyPool()
{
    QVERIFY_THROWS_EXCEPTION(std::exception, Sampler::uniform({}, 1));
    QVERIFY_THROWS_EXCEPTION(std::exception, Sampler({1, 2}, {1.0, 0.0}, 1, "w"));
}

QTEST_GUILESS_MAIN(tst_Sampler)
#include "tst_Sampler.moc"
