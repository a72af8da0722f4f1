// SPDX-License-Identifier: GPL-3.0-or-later
// The Experiments page's Sweeps tab on a real sweep (2 losses x 2 seeds trained on the demo
// workspace): curves coloured by the chosen key, a strip plot per varied key and the seed, one
// parallel-coordinates line per finished run, what each value did, "Select its runs", and the
// axis positions the plots share.

#include "WorkspaceController.h"
#include "experiments/SweepLog.h"
#include "experiments/SweepSpec.h"
#include "jobs/SweepJob.h"
#include "pages/ExperimentsPage.h"
#include "pages/SweepView.h"
#include "plots/CurvePlot.h"
#include "plots/QCustomPlotInclude.h"
#include "support/DemoWorkspace.h"

#include <QtTest/QtTest>
#include <QtWidgets/QtWidgets>

#include <set>

using namespace ssondo;
using namespace ssondo::ui;

class tst_SweepView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void axisPositions();
    void showsTheSweep();
    void liveWhileARunRuns();

private:
    QTemporaryDir m_dir;
    testing::DemoWorkspace m_demo;
    std::int64_t m_sweep = 0;
};

void tst_SweepView::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("ssondo-tests"));
    m_demo = testing::makeDemoWorkspace(m_dir.path().toStdString(), 2);
    const SweepSpec spec = SweepSpec::fromToml(R"(
name = "view"
seeds = [1, 2]
[base]
data.dataset = "demo"
data.clip_seconds = 1.0
student.width = 0.4
train.batch_size = 8
train.epochs = 2
train.samples_per_epoch = 8
[vary]
loss.kind = ["cosine", "mse"]
)",
                                               "view.toml");
    auto ws = Workspace::open(m_demo.dir);
    SweepLog log(ws->database());
    const auto [sweep, fresh] = log.openOrCreate(spec, spec.expand());
    QVERIFY(fresh);
    m_sweep = sweep.id;
    StopToken stop;
    for (const auto& r : log.runs(sweep.id)) {
        const SweepRunOutcome o = SweepJob::runOne(*ws, sweep, r, "test", nullProgressSink(), stop, 1);
        QVERIFY2(o.status == SweepRunStatus::Done, o.message.c_str());
    }
}

void tst_SweepView::axisPositions()
{
    QStringList ticks;
    std::vector<double> at;
    // Categories in the order met; numbers in order; a wide positive range on a log scale.
    QCOMPARE(SweepView::axisPositions({"mse", "cosine", "mse"}, &ticks, &at), (std::vector<double>{0, 1, 0}));
    QCOMPARE(ticks, (QStringList{"mse", "cosine"}));
    QCOMPARE(SweepView::axisPositions({"3", "1", "2"}), (std::vector<double>{1, 0, 0.5}));
    const auto lr = SweepView::axisPositions({"1e-4", "1e-3", "1e-2"}, &ticks, &at);
    QVERIFY(std::abs(lr[1] - 0.5) < 1e-12); // the geometric middle in the middle
    QCOMPARE(ticks, (QStringList{"1e-4", "1e-3", "1e-2"}));
    QCOMPARE(SweepView::axisPositions({"7", "7"}), (std::vector<double>{0.5, 0.5}));
}

void tst_SweepView::showsTheSweep()
{
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    ExperimentsPage page(&c);
    page.resize(1400, 900);
    page.refresh();
    SweepView* v = page.sweepView();
    QCOMPARE(v->shownSweep(), m_sweep);
    QCOMPARE(int(v->runs().size()), 4);
    // Curves: one per run, coloured by loss: two colours, one legend entry each.
    v->setColorKey("loss.kind");
    QCOMPARE(v->curves()->series().size(), 4);
    std::set<QRgb> colors;
    int inLegend = 0;
    for (const auto& s : v->curves()->series()) {
        colors.insert(s.color.rgb());
        inLegend += s.inLegend;
        QCOMPARE(s.value.size(), 2); // two epochs
    }
    QCOMPARE(int(colors.size()), 2);
    QCOMPARE(inLegend, 2);
    v->setColorKey("seed");
    QCOMPARE(v->curves()->series().size(), 4);
    // Strip plots: loss.kind and seed, four dots each at the runs' metrics.
    QCOMPARE(v->stripPlot()->axisRectCount(), 2);
    QCOMPARE(v->stripPlot()->graphCount(), 2);
    QCOMPARE(v->stripPlot()->graph(0)->dataCount(), 4);
    // Parallel coordinates: one line per finished run.
    QCOMPARE(v->parallelPlot()->plottableCount(), 4);
    // What each value did: cosine and mse, two runs each, mean of their metrics.
    QCOMPARE(v->effectsTable()->rowCount(), 2);
    QCOMPARE(v->effectsTable()->item(0, 2)->text(), QString("2"));
    double sum = 0;
    for (const auto& r : v->runs())
        if (r.values[0].second == "cosine")
            sum += *r.metric;
    QCOMPARE(v->effectsTable()->item(0, 3)->text(), QString::number(sum / 2, 'f', 4));
    // Select its runs: the runs table selects the sweep's four runs.
    QSignalSpy spy(v, &SweepView::selectRuns);
    v->findChild<QPushButton*>()->click();
    QCOMPARE(spy.count(), 1);
    auto selected = page.selectedRuns();
    std::sort(selected.begin(), selected.end());
    std::vector<std::int64_t> expected;
    for (const auto& r : v->runs())
        expected.push_back(r.runId);
    std::sort(expected.begin(), expected.end());
    QCOMPARE(selected, expected);
}

void tst_SweepView::liveWhileARunRuns()
{
    {
        auto ws = Workspace::open(m_demo.dir);
        SweepLog(ws->database()).setRun(m_sweep, 3, SweepRunStatus::Running, 0, std::nullopt, {});
    }
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    SweepView v(&c);
    v.show();
    v.refresh();
    QVERIFY(v.findChild<QTimer*>()->isActive());     // re-read every second while a run runs
    QCOMPARE(v.parallelPlot()->plottableCount(), 3); // the running one has no metric yet
    {
        auto ws = Workspace::open(m_demo.dir);
        SweepLog(ws->database()).setRun(m_sweep, 3, SweepRunStatus::Done, 0, 0.5, {});
    }
    QTRY_COMPARE_WITH_TIMEOUT(v.parallelPlot()->plottableCount(), 4, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!v.findChild<QTimer*>()->isActive(), 5000);
}

QTEST_MAIN(tst_SweepView)
#include "tst_SweepView.moc"
