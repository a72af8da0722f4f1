// SPDX-License-Identifier: GPL-3.0-or-later
// Trustworthiness of a map: the value scikit-learn's sklearn.manifold.trustworthiness gives for a
// fixed input (computed once with scikit-learn 1.2, Debian 12, and written here), 1 for a map that
// keeps every neighbourhood, and the worst case of a map that reverses them.

#include "clustering/MapQuality.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <QtTest/QtTest>

using namespace ssondo;

class tst_MapQuality : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesScikitLearn_data();
    void matchesScikitLearn();
    void perfectMapIsOne();
    void badArguments();
};

void tst_MapQuality::matchesScikitLearn_data()
{
    QTest::addColumn<int>("k");
    QTest::addColumn<double>("expected");
    // /usr/bin/python3: i = arange(60); x = [cos .7i, sin 1.3i, i/30]; y = [i cos 2.1i, sin .37i];
    // trustworthiness(x, y, n_neighbors=k)
    QTest::newRow("k=1") << 1 << 0.47844827586206895;
    QTest::newRow("k=5") << 5 << 0.5510897435897436;
    QTest::newRow("k=10") << 10 << 0.5832584269662922;
}

void tst_MapQuality::matchesScikitLearn()
{
    QFETCH(int, k);
    QFETCH(double, expected);
    const at::Tensor i = at::arange(60, at::kDouble);
    const at::Tensor x = at::stack({at::cos(i * 0.7), at::sin(i * 1.3), i / 30}, 1);
    const at::Tensor y = at::stack({at::cos(i * 2.1) * i, at::sin(i * 0.37)}, 1);
    // The sum is of integer ranks over a rational normaliser: only a tie between two distances
    // (none here: the points are in general position) could move it, so 1e-12 is rounding only.
    QVERIFY2(std::abs(trustworthiness(x, y, k) - expected) < 1e-12,
             qPrintable(QString::number(trustworthiness(x, y, k), 'g', 17)));
}

void tst_MapQuality::perfectMapIsOne()
{
    at::manual_seed(3);
    const at::Tensor x = at::randn({200, 2});
    QCOMPARE(trustworthiness(x, x * 3.0 + 1.0, 10), 1.0); // a similarity keeps every rank
    // Points on a line mapped to the line folded at its middle: neighbourhoods of the two halves
    // meet on the map (scikit-learn: 0.601; equidistant ties on the line are ranked apart there
    // and together here, so only a bound is asserted).
    const at::Tensor t = at::arange(100, at::kDouble).unsqueeze(1);
    const at::Tensor folded =
        at::cat({(t - 49.5).abs() + 0.01 * (t > 49.5).to(at::kDouble), at::zeros_like(t)}, 1);
    const double folding = trustworthiness(t, folded, 5);
    QVERIFY2(folding < 0.8, qPrintable(QString::number(folding)));
}

void tst_MapQuality::badArguments()
{
    const at::Tensor x = at::randn({10, 3});
    QVERIFY_THROWS_EXCEPTION(InputError, trustworthiness(x, at::randn({9, 2}), 2));
    QVERIFY_THROWS_EXCEPTION(InputError, trustworthiness(x, at::randn({10, 2}), 5)); // k >= n / 2
    QVERIFY_THROWS_EXCEPTION(InputError, trustworthiness(x, at::randn({10, 2}), 0));
}

QTEST_GUILESS_MAIN(tst_MapQuality)
#include "tst_MapQuality.moc"
