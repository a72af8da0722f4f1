// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/Segmenter.h"

#include <ATen/ATen.h>
#include <QtTest/QtTest>

using namespace ssondo;

class tst_Segmenter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void segments_data();
    void segments();
    void contentIsPreserved();
};

void tst_Segmenter::segments_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<int>("expected");
    QTest::newRow("short clip padded") << 3.0 << 1;
    QTest::newRow("exactly one window") << 10.0 << 1;
    QTest::newRow("tail below 1 s dropped") << 10.5 << 1;
    QTest::newRow("tail of 1 s kept") << 11.0 << 2;
    QTest::newRow("three full windows") << 30.0 << 3;
    QTest::newRow("25 s") << 25.0 << 3;
    QTest::newRow("one sample") << 1.0 / 32000 << 1;
}

void tst_Segmenter::segments()
{
    QFETCH(double, seconds);
    QFETCH(int, expected);
    Segmenter seg(10.0, 32000, 1.0);
    const auto n = std::int64_t(std::llround(seconds * 32000));
    QCOMPARE(seg.numSegments(n), std::int64_t(expected));
    const at::Tensor out = seg.split(at::ones({n}));
    QCOMPARE(out.sizes().vec(), (std::vector<std::int64_t>{expected, 320000}));
    // Everything kept is there, padding is zero.
    const double kept = out.sum().item<double>();
    const double expectKept = std::min<double>(double(n), double(expected) * 320000);
    QCOMPARE(kept, expectKept);
}

void tst_Segmenter::contentIsPreserved()
{
    Segmenter seg(0.5, 100, 0.0); // 50-sample windows
    const at::Tensor x = at::arange(120, at::kFloat);
    const at::Tensor out = seg.split(x);
    QCOMPARE(out.size(0), std::int64_t(3));
    QVERIFY(at::equal(out[1], at::arange(50, 100, at::kFloat)));
    QCOMPARE(out[2][19].item<float>(), 119.f);
    QCOMPARE(out[2][20].item<float>(), 0.f);
    QVERIFY_THROWS_EXCEPTION(std::exception, Segmenter(0.0, 32000));
}

QTEST_GUILESS_MAIN(tst_Segmenter)
#include "tst_Segmenter.moc"
