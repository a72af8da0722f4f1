// SPDX-License-Identifier: GPL-3.0-or-later
// The map widget: points land where their coordinates say, the nearest point within a few pixels
// is found, box selection returns the points inside, hover and click signal the point, and a
// 200,000-point replot stays interactive.

#include "plots/QCustomPlotInclude.h"
#include "plots/ScatterMap.h"

#include <QtTest/QtTest>
#include <QtWidgets/QtWidgets>

#include <random>

using namespace ssondo::ui;

class tst_ScatterMap : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void geometryAndPicking();
    void hoverAndClick();
    void lassoSelects();
    void recolourKeepsView();
    void manyPointsStayFast();
};

void tst_ScatterMap::geometryAndPicking()
{
    ScatterMap m;
    m.resize(800, 600);
    m.show();
    QVERIFY(QTest::qWaitForWindowExposed(&m));
    m.setPoints({{0, 0}, {10, 0}, {0, 10}, {10, 10}, {5, 5}}, {0, 1, 1, 2, -1}, {"a", "b", "c"});
    m.plot()->replot();
    QCOMPARE(m.pointCount(), 5);
    QCOMPARE(m.legend()->count(), 3);
    QVERIFY(m.legend()->item(1)->text().contains("(2)"));
    // (10, 10) is up and to the right of (0, 0) on screen.
    QVERIFY(m.pixelOf(3).x() > m.pixelOf(0).x());
    QVERIFY(m.pixelOf(3).y() < m.pixelOf(0).y());
    for (int i = 0; i < 5; ++i)
        QCOMPARE(m.pointAt(m.pixelOf(i) + QPoint(2, -1)), i);
    QCOMPARE(m.pointAt(m.pixelOf(0) + QPoint(40, 0)), -1);
    const QRect upperRight(m.pixelOf(4) + QPoint(5, -400), m.pixelOf(3) + QPoint(20, 20));
    QCOMPARE(m.pointsIn(upperRight), QVector<int>{3});
}

void tst_ScatterMap::hoverAndClick()
{
    ScatterMap m;
    m.resize(600, 400);
    m.show();
    QVERIFY(QTest::qWaitForWindowExposed(&m));
    m.setPoints({{0, 0}, {1, 1}, {2, 0}}, {0, 0, 1}, {"x", "y"});
    m.plot()->replot();
    QSignalSpy hovered(&m, &ScatterMap::pointHovered);
    QSignalSpy clicked(&m, &ScatterMap::pointClicked);
    QTest::mouseMove(m.plot(), m.pixelOf(1));
    QTRY_VERIFY(!hovered.isEmpty());
    QCOMPARE(hovered.last().at(0).toInt(), 1);
    QTest::mouseClick(m.plot(), Qt::LeftButton, {}, m.pixelOf(2));
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.at(0).at(0).toInt(), 2);
    QCOMPARE(m.highlighted(), QVector<int>{2});
}

void tst_ScatterMap::lassoSelects()
{
    ScatterMap m;
    m.resize(600, 400);
    m.show();
    QVERIFY(QTest::qWaitForWindowExposed(&m));
    m.setPoints({{0, 0}, {1, 1}, {2, 0}, {1, -1}}, {0, 0, 1, 1}, {"x", "y"});
    m.plot()->replot();
    m.setMode(ScatterMap::Mode::Lasso);
    QSignalSpy selected(&m, &ScatterMap::pointsSelected);
    // A quadrilateral around points 0 and 1 only (data coordinates → pixels).
    auto px = [&](double x, double y) {
        return QPoint(int(m.plot()->xAxis->coordToPixel(x)), int(m.plot()->yAxis->coordToPixel(y)));
    };
    const QPoint a = px(-0.5, -0.3), b = px(-0.5, 1.5), c = px(1.5, 1.5), d = px(1.2, -0.3);
    QTest::mousePress(m.plot(), Qt::LeftButton, {}, a);
    for (const QPoint& p : {b, c, d}) {
        QMouseEvent move(QEvent::MouseMove, p, m.plot()->mapToGlobal(p), Qt::NoButton, Qt::LeftButton, {});
        QApplication::sendEvent(m.plot(), &move);
    }
    QTest::mouseRelease(m.plot(), Qt::LeftButton, {}, d);
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected.at(0).at(0).value<QVector<int>>(), (QVector<int>{0, 1}));
    QCOMPARE(m.pointsIn(QPolygon{a, b, c, d}), (QVector<int>{0, 1}));
}

void tst_ScatterMap::recolourKeepsView()
{
    ScatterMap m;
    m.resize(600, 400);
    m.setPoints({{0, 0}, {1, 1}, {2, 2}}, {0, 1, 2}, {"a", "b", "c"});
    m.plot()->xAxis->setRange(0.5, 1.5); // the user zoomed in
    m.setHighlighted({1});
    m.setGroups({1, 1, 0}, {"p", "q"});
    QCOMPARE(m.plot()->xAxis->range().lower, 0.5);
    QCOMPARE(m.groupOf(0), 1);
    QCOMPARE(m.legend()->count(), 2);
    QCOMPARE(m.highlighted(), QVector<int>{1});
}

void tst_ScatterMap::manyPointsStayFast()
{
    ScatterMap m;
    m.resize(1000, 700);
    m.show();
    QVERIFY(QTest::qWaitForWindowExposed(&m));
    std::mt19937 rng(3);
    std::normal_distribution<double> n;
    QVector<QPointF> pts;
    QVector<int> groups;
    for (int i = 0; i < 200000; ++i) {
        const int g = i % 50;
        pts << QPointF(g % 10 * 5 + n(rng), g / 10 * 5 + n(rng));
        groups << g;
    }
    QStringList names;
    for (int g = 0; g < 50; ++g)
        names << QString::number(g);
    m.setPoints(pts, groups, names);
    m.replotMilliseconds(); // warm
    double best = 1e9;
    for (int i = 0; i < 3; ++i)
        best = std::min(best, m.replotMilliseconds());
    qInfo("200,000 points: replot %.1f ms", best);
    QVERIFY2(best < 250, qPrintable(QString::number(best))); // generous here; bench_map measures it
}

QTEST_MAIN(tst_ScatterMap)
#include "tst_ScatterMap.moc"
