// SPDX-License-Identifier: GPL-3.0-or-later
// The Clusters page on a real workspace (demo set, demo teacher, k-means, PCA map): it fills from the
// database, colours the map by cluster and by label, shows each cluster's size, weight and share of
// draws, clicking a point opens its clip, box selection lists clips, and the Run buttons start the
// `ssondo` commands shown.

#include "MainWindow.h"
#include "WorkspaceController.h"
#include "clustering/ClusteringCatalog.h"
#include "pages/ClustersPage.h"
#include "pages/DataPage.h"
#include "plots/ClipView.h"
#include "plots/QCustomPlotInclude.h"
#include "plots/ScatterMap.h"
#include "support/DemoWorkspace.h"

#include <QtTest/QtTest>
#include <QtWidgets/QtWidgets>

using namespace ssondo;
using namespace ssondo::ui;

class tst_ClustersPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void fillsFromWorkspace();
    void coloursByClusterAndLabel();
    void clusterTableShowsDraws();
    void clickOpensClipOnDataPage();
    void boxSelectionListsClips();
    void runButtonsStartCommands();
    void splitterSizesAreRemembered();

private:
    QTemporaryDir m_dir;
    testing::DemoWorkspace m_demo;
};

void tst_ClustersPage::initTestCase()
{
    qputenv("SSONDO_NO_AUDIO", "1");
    QCoreApplication::setOrganizationName(QStringLiteral("ssondo-tests"));
    QSettings().clear();
    m_demo = testing::makeDemoWorkspace(m_dir.path().toStdString());
}

void tst_ClustersPage::fillsFromWorkspace()
{
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    ClustersPage page(&c);
    page.resize(1200, 800);
    page.refresh();
    QCOMPARE(page.currentEmbeddingSet(), m_demo.embeddingSet);
    QCOMPARE(page.currentClustering(), m_demo.clustering);
    QCOMPARE(page.map()->pointCount(), 39);
    QVERIFY(page.metrics()->text().contains(QStringLiteral("k = 4")));
    QVERIFY(page.metrics()->text().contains(QStringLiteral("NMI")));
    // The map's points are the store rows, in order.
    for (int i = 0; i < 39; ++i)
        QCOMPARE(page.rowOfPoint(i), std::int64_t(i));
}

void tst_ClustersPage::coloursByClusterAndLabel()
{
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    ClustersPage page(&c);
    page.refresh();
    auto ws = Workspace::open(m_demo.dir, true);
    const auto assignment = ClusteringCatalog(ws->database()).assignments(m_demo.clustering, 39);
    page.setColourBy(QStringLiteral("cluster"));
    for (int i = 0; i < 39; ++i)
        QCOMPARE(page.map()->groupOf(i), int(assignment[size_t(i)]));
    QCOMPARE(page.map()->legend()->count(), 4);
    page.setColourBy(QStringLiteral("label"));
    QCOMPARE(page.map()->legend()->count(), 13);
    // Three clips per label: every label group has three points, and colours are stable.
    QVector<int> perGroup(13, 0);
    for (int i = 0; i < 39; ++i)
        ++perGroup[page.map()->groupOf(i)];
    QCOMPARE(perGroup, QVector<int>(13, 3));
    QCOMPARE(ScatterMap::groupColor(3), ScatterMap::groupColor(3));
    QVERIFY(ScatterMap::groupColor(3) != ScatterMap::groupColor(4));
    QVERIFY(ScatterMap::groupColor(2) != ScatterMap::groupColor(22)); // beyond 20 groups: shaded
}

void tst_ClustersPage::clusterTableShowsDraws()
{
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    ClustersPage page(&c);
    page.refresh();
    auto ws = Workspace::open(m_demo.dir, true);
    const auto rec = ClusteringCatalog(ws->database()).get(m_demo.clustering);
    QTableWidget* t = page.clusterTable();
    QCOMPARE(t->rowCount(), 4);
    double uniform = 0, balanced = 0;
    for (int r = 0; r < 4; ++r) {
        const int cluster = int(t->item(r, 0)->data(Qt::UserRole).toDouble());
        const double size = t->item(r, 1)->data(Qt::UserRole).toDouble();
        QCOMPARE(size, double(rec.sizes[size_t(cluster)]));
        QCOMPARE(t->item(r, 3)->data(Qt::UserRole).toDouble(), 1.0 / size); // weight 1 / size
        uniform += t->item(r, 4)->data(Qt::UserRole).toDouble();
        balanced += t->item(r, 5)->data(Qt::UserRole).toDouble();
        QCOMPARE(t->item(r, 5)->data(Qt::UserRole).toDouble(), 25.0); // 4 clusters: 25 % each
    }
    QVERIFY(std::abs(uniform - 100) < 1e-9 && std::abs(balanced - 100) < 1e-9);
    QCOMPARE(page.drawsChart()->plottableCount(), 2); // uniform and balanced bars
}

void tst_ClustersPage::clickOpensClipOnDataPage()
{
    MainWindow w;
    w.resize(1300, 900);
    QVERIFY(w.openWorkspace(QString::fromStdString(m_demo.dir)));
    QVERIFY(w.setCurrentPage(QStringLiteral("clusters")));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    auto* page = qobject_cast<ClustersPage*>(w.page(QStringLiteral("clusters")));
    QVERIFY(page);
    page->map()->plot()->replot();
    QSignalSpy opened(page, &ClustersPage::clipActivated);
    const int point = 7;
    const QPoint px = page->map()->pixelOf(point);
    // Some other point may sit on the same pixel; click where point 7 is and check what opened.
    const int expected = page->map()->pointAt(px);
    QVERIFY(expected >= 0);
    QTest::mouseClick(page->map()->plot(), Qt::LeftButton, {}, px);
    QCOMPARE(opened.count(), 1);
    auto* data = qobject_cast<DataPage*>(w.page(QStringLiteral("data")));
    QCOMPARE(w.currentPage(), data);
    const QString clip = opened.at(0).at(1).toString();
    QVERIFY(data->clipView()->currentPath().endsWith(clip));
    QCOMPARE(page->map()->highlighted(), QVector<int>{expected});
}

void tst_ClustersPage::boxSelectionListsClips()
{
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    ClustersPage page(&c);
    page.resize(1200, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.refresh();
    page.map()->plot()->replot();
    const QRect all = page.map()->plot()->axisRect()->rect();
    const QVector<int> inside = page.map()->pointsIn(all);
    QCOMPARE(inside.size(), 39);
    // Half of the plot: fewer points, each listed with its path and label.
    QRect left = all;
    left.setWidth(all.width() / 2);
    const QVector<int> some = page.map()->pointsIn(left);
    QVERIFY(some.size() < 39);
    Q_EMIT page.map()->pointsSelected(some);
    QCOMPARE(page.selection()->count(), some.size());
    if (!some.isEmpty())
        QVERIFY(page.selection()->item(0)->text().contains(QStringLiteral(".")));
}

void tst_ClustersPage::runButtonsStartCommands()
{
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    ClustersPage page(&c);
    page.refresh();
    QSignalSpy run(&page, &Page::runCommand);
    const QStringList cluster = page.clusterCommand();
    QCOMPARE(cluster.mid(0, 3),
             (QStringList{"cluster", "--embeddings", QString::number(m_demo.embeddingSet)}));
    QVERIFY(cluster.contains("--k"));
    for (QPushButton* b : page.findChildren<QPushButton*>())
        if (b->text() == QStringLiteral("Run k-means") || b->text() == QStringLiteral("Compute map"))
            b->click();
    QCOMPARE(run.count(), 2);
    QCOMPARE(run.at(0).at(0).toStringList(), cluster);
    QCOMPARE(run.at(1).at(0).toStringList().first(), QStringLiteral("map"));
    QVERIFY(page.findChild<QLabel*>(QStringLiteral("commandPreview"))
                ->text()
                .contains(QStringLiteral("ssondo cluster")));
}

void tst_ClustersPage::splitterSizesAreRemembered()
{
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    QList<int> chosen;
    {
        ClustersPage page(&c);
        page.resize(1200, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto* split = qobject_cast<QSplitter*>(page.map()->parentWidget());
        QVERIFY(split);
        split->setSizes({300, 800});
        chosen = split->sizes();
        Q_EMIT split->splitterMoved(300, 1);
    }
    ClustersPage again(&c);
    again.resize(1200, 800);
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QCOMPARE(qobject_cast<QSplitter*>(again.map()->parentWidget())->sizes(), chosen);
}

QTEST_MAIN(tst_ClustersPage)
#include "tst_ClustersPage.moc"
