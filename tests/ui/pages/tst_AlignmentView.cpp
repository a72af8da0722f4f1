// SPDX-License-Identifier: GPL-3.0-or-later
// The Experiments page's Alignment tab on a real run (demo workspace, 2 epochs, a 12-clip sample):
// one snapshot per epoch and step 0 on the slider, the same mean cosine as `ssondo align`, lines and
// points drawn, per-cluster bars worst first, hover and click on a clip.

#include "WorkspaceController.h"
#include "jobs/AlignJob.h"
#include "jobs/TrainJob.h"
#include "pages/AlignmentView.h"
#include "pages/ExperimentsPage.h"
#include "plots/HistogramPlot.h"
#include "plots/QCustomPlotInclude.h"
#include "support/DemoWorkspace.h"

#include <QtTest/QtTest>
#include <QtWidgets/QtWidgets>

#include <cmath>

using namespace ssondo;
using namespace ssondo::ui;

class tst_AlignmentView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void showsTheRunThroughTraining();

private:
    QTemporaryDir m_dir;
    testing::DemoWorkspace m_demo;
    std::int64_t m_run = 0;
};

void tst_AlignmentView::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("ssondo-tests"));
    m_demo = testing::makeDemoWorkspace(m_dir.path().toStdString(), 2);
    auto ws = Workspace::open(m_demo.dir);
    TrainConfig c;
    c.embeddings = m_demo.embeddingSet;
    c.clustering = m_demo.clustering;
    c.sampler = "balanced";
    c.width = 0.4;
    c.clipSeconds = 1.0;
    c.batchSize = 8;
    c.epochs = 2;
    c.samplesPerEpoch = 16;
    c.alignClips = 12;
    StopToken stop;
    m_run = TrainJob::run(*ws, c, "test", nullProgressSink(), stop).runId;
}

void tst_AlignmentView::showsTheRunThroughTraining()
{
    WorkspaceController wc;
    QVERIFY(wc.open(QString::fromStdString(m_demo.dir)));
    ExperimentsPage page(&wc);
    page.resize(1400, 900);
    page.show();
    page.refresh();
    AlignmentView* v = page.alignmentView();
    page.setCurrentTab(page.findChild<QTabWidget*>()->indexOf(v));
    QCOMPARE(v->shownRun(), m_run);
    QCOMPARE(v->snapshotCount(), 3); // step 0 and two epochs
    QCOMPARE(v->epochSlider()->maximum(), 2);
    QCOMPARE(v->epochSlider()->value(), 2); // the last epoch first
    QCOMPARE(int(v->cosines().size()), 12);
    // The mean cosine shown is the one `ssondo align` computes (another path through the code).
    auto ws = Workspace::open(m_demo.dir);
    StopToken stop;
    AlignConfig ac;
    ac.runId = m_run;
    const AlignResult r = AlignJob::run(*ws, ac, nullProgressSink(), stop);
    QCOMPARE(int(r.epochs.size()), 3);
    double sum = 0;
    for (double c : v->cosines())
        sum += c;
    QVERIFY(std::abs(sum / 12 - r.epochs[2].meanCosine) < 1e-6);
    // Lines in 8 cosine bins, teacher and student points per colour group.
    QVERIFY(v->plot()->plottableCount() >= 8 + 2);
    // Bars: the sample's clusters, worst first.
    const int bars = v->clusterBars()->barCount();
    QVERIFY(bars >= 2 && bars <= 4);
    // The slider moves the students: step 0 is another picture, with its own cosines.
    const std::vector<double> last = v->cosines();
    v->epochSlider()->setValue(0);
    QVERIFY(v->cosines() != last);
    sum = 0;
    for (double c : v->cosines())
        sum += c;
    QVERIFY(std::abs(sum / 12 - r.epochs[0].meanCosine) < 1e-6);
    v->setColorBy("cluster");
    v->setColorBy("label");
    // Hover and click on a teacher point: the clip, its label, its cosine; a click opens it.
    QCoreApplication::processEvents();
    const at::Tensor t = v->map().teacher;
    const QPoint px(int(std::lround(v->plot()->xAxis->coordToPixel(t[3][0].item<double>()))),
                    int(std::lround(v->plot()->yAxis->coordToPixel(t[3][1].item<double>()))));
    const int clip = v->clipAt(px);
    QVERIFY(clip >= 0);
    QSignalSpy spy(&page, &ExperimentsPage::clipActivated);
    QTest::mouseClick(v->plot(), Qt::LeftButton, {}, px);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), QString("demo"));
    QVERIFY(spy.at(0).at(1).toString().endsWith(".wav") || spy.at(0).at(1).toString().contains('.'));
    if (const QByteArray dir = qgetenv("SSONDO_SCREENSHOT_DIR"); !dir.isEmpty()) { // for the docs
        v->epochSlider()->setValue(0);
        v->setColorBy("cosine");
        page.grab().save(QString::fromLocal8Bit(dir) + "/experiments-alignment-epoch0.png");
        v->epochSlider()->setValue(2);
        page.grab().save(QString::fromLocal8Bit(dir) + "/experiments-alignment-last.png");
    }
    // One UMAP of the teacher's and every snapshot's directions: the same snapshots, the same
    // cosines (they do not depend on the map), new axes.
    v->epochSlider()->setValue(2); // a union map opens at the last snapshot
    const std::vector<double> before = v->cosines();
    v->setMapMethod(QStringLiteral("umap"));
    QCOMPARE(v->map().method, std::string("umap"));
    QCOMPARE(v->snapshotCount(), 3);
    QCOMPARE(v->epochSlider()->value(), 2);
    QCOMPARE(v->cosines(), before);
    QVERIFY(v->plot()->xAxis->label().startsWith(QStringLiteral("UMAP 1")));
    QVERIFY(at::isfinite(v->map().students[2]).all().item<bool>());
    if (const QByteArray dir = qgetenv("SSONDO_SCREENSHOT_DIR"); !dir.isEmpty())
        page.grab().save(QString::fromLocal8Bit(dir) + "/experiments-alignment-umap.png");
    v->setMapMethod(QStringLiteral("pca"));
    QVERIFY(v->plot()->xAxis->label().startsWith(QStringLiteral("PC 1")));
}

QTEST_MAIN(tst_AlignmentView)
#include "tst_AlignmentView.moc"
