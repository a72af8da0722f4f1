// The Train page: debiased smoothing, the form as the equivalent `ssondo train` command (only the
// keys that differ from the paper's defaults), validation before start, TOML round trip, and live
// curves filling while a "job" (another connection) streams metric points into the log, including
// a resumed run that truncates its curve.

#include "WorkspaceController.h"
#include "distill/TrainConfig.h"
#include "experiments/RunLog.h"
#include "pages/TrainPage.h"
#include "plots/CurvePlot.h"
#include "plots/HistogramPlot.h"
#include "support/DemoWorkspace.h"

#include <QtTest/QtTest>
#include <QtWidgets/QtWidgets>

#include <cmath>

using namespace ssondo;
using namespace ssondo::ui;

class tst_TrainPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void smoothingIsDebiased();
    void formGivesEquivalentCommand();
    void validatesBeforeStart();
    void curvesFillWhileAJobStreams();

private:
    QTemporaryDir m_dir;
    testing::DemoWorkspace m_demo;
};

void tst_TrainPage::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("ssondo-tests"));
    QSettings().clear();
    m_demo = testing::makeDemoWorkspace(m_dir.path().toStdString(), 2);
}

void tst_TrainPage::smoothingIsDebiased()
{
    // A constant stays constant from the first point (a plain EMA would start at 0.4 · 5 = 2).
    const QVector<double> flat = debiasedEma({5, 5, 5, 5}, 0.6);
    for (double v : flat)
        QVERIFY(std::abs(v - 5) < 1e-12);
    // By hand: ema1 = 0.4·1 = 0.4 → /0.4 = 1; ema2 = 0.6·0.4 + 0.4·3 = 1.44 → /(1 − 0.36) = 2.25.
    const QVector<double> s = debiasedEma({1, 3}, 0.6);
    QVERIFY(std::abs(s[0] - 1) < 1e-12 && std::abs(s[1] - 2.25) < 1e-12);
    // NaN points are skipped, not propagated.
    const QVector<double> gap = debiasedEma({1, std::nan(""), 3}, 0.6);
    QVERIFY(std::isnan(gap[1]) && std::abs(gap[2] - 2.25) < 1e-12);
    QCOMPARE(debiasedEma({2, 7}, 0.0), (QVector<double>{2, 7}));
}

void tst_TrainPage::formGivesEquivalentCommand()
{
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    TrainPage page(&c);
    page.refresh();
    TrainConfig cfg;
    cfg.embeddings = m_demo.embeddingSet;
    cfg.clustering = m_demo.clustering;
    cfg.sampler = "balanced";
    cfg.lr = 2e-3;
    cfg.epochs = 12;
    cfg.name = "from the form";
    page.setConfig(cfg);
    const TrainConfig back = page.config();
    QCOMPARE(back.differences(cfg), std::vector<std::string>{});
    const QStringList args = page.trainArguments();
    QCOMPARE(args.first(), QStringLiteral("train"));
    QVERIFY(args.contains(QStringLiteral("sampler.kind=balanced")));
    QVERIFY(args.contains(QStringLiteral("optim.lr=2e-03")) || args.contains(QStringLiteral("optim.lr=0.002")));
    QVERIFY(args.contains(QStringLiteral("train.epochs=12")));
    QVERIFY(!args.join(' ').contains(QStringLiteral("loss.kind"))); // equal to the default: not repeated
    QCOMPARE(args.mid(args.indexOf(QStringLiteral("--name")), 2), (QStringList{"--name", "from the form"}));
    QVERIFY(page.commandView()->toPlainText().startsWith(QStringLiteral("ssondo train --set")));
    // The arguments really parse: `ssondo train --print-config` with them gives the same config.
    QProcess p;
    QStringList printArgs{"-w", QString::fromStdString(m_demo.dir)};
    printArgs << args << "--print-config";
    p.start(QStringLiteral(SSONDO_CLI_PATH), printArgs);
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    const TrainConfig printed = TrainConfig::fromToml(p.readAllStandardOutput().toStdString());
    QCOMPARE(printed.differences(cfg), std::vector<std::string>{});
}

void tst_TrainPage::validatesBeforeStart()
{
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    TrainPage page(&c);
    page.refresh();
    TrainConfig cfg;
    cfg.embeddings = m_demo.embeddingSet;
    cfg.sampler = "balanced";
    page.setConfig(cfg);
    // Balanced sampling without a clustering is refused before anything runs.
    auto* clustering = page.findChildren<QComboBox*>().at(1);
    clustering->setCurrentIndex(clustering->findData(qlonglong(0)));
    QVERIFY(page.validationError().contains(QStringLiteral("clustering")));
    QSignalSpy run(&page, &Page::runCommand);
    for (QPushButton* b : page.findChildren<QPushButton*>())
        if (b->text() == QStringLiteral("Start")) {
            QVERIFY(!b->isEnabled());
            b->click();
        }
    QCOMPARE(run.count(), 0);
    cfg.sampler = "uniform";
    page.setConfig(cfg);
    QVERIFY(page.validationError().isEmpty());
}

void tst_TrainPage::curvesFillWhileAJobStreams()
{
    // The "job": another connection that writes a run and its points, as TrainJob does.
    auto writer = Workspace::open(m_demo.dir);
    RunLog log(writer->database());
    RunRecord r;
    r.name = "streamed";
    r.status = "running";
    r.student = "mn10";
    r.sampler = "balanced";
    r.loss = "cosine";
    r.embeddingSetId = m_demo.embeddingSet;
    r.configToml = TrainConfig{}.toToml(false);
    const std::int64_t runId = log.create(r);

    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    TrainPage page(&c);
    page.refresh();
    page.showRun(runId);
    log.addMetrics(runId, {{0, 0, 0.0, "baseline_val_cosine", 0.25}});
    for (int chunk = 0; chunk < 5; ++chunk) {
        std::vector<MetricPoint> pts;
        for (int i = 0; i < 20; ++i) {
            const int step = chunk * 20 + i + 1;
            pts.push_back({step, step / 50, step * 0.1, "train_loss", 1.0 / step});
        }
        pts.push_back({(chunk + 1) * 20, chunk, 1.0, "val_cosine", 0.3 + 0.05 * chunk});
        pts.push_back({(chunk + 1) * 20, chunk, 1.0, "val_loss_cluster/0", 0.5});
        pts.push_back({(chunk + 1) * 20, chunk, 1.0, "val_loss_cluster/1", 0.9 - 0.1 * chunk});
        log.addMetrics(runId, pts);
        page.pollMetrics();
        QCOMPARE(page.lossPlot()->series()[QStringLiteral("train_loss")].value.size(), (chunk + 1) * 20);
        QCOMPARE(page.cosinePlot()->series()[QStringLiteral("val_cosine")].value.size(), chunk + 1);
    }
    // Worst cluster first: cluster 0 (0.5) after cluster 1's last 0.5 ≥ … the order follows the values.
    QCOMPARE(page.clusterPlot()->barCount(), 2);
    QVERIFY(page.progressLabel()->text().contains(QStringLiteral("streamed")));
    // The smoothed train loss lies between the raw extremes and is drawn alongside the raw one.
    const QVector<double> drawn = page.lossPlot()->drawnValues(QStringLiteral("train_loss"));
    QCOMPARE(drawn.size(), 100);
    QVERIFY(drawn.last() > 1.0 / 100 && drawn.last() < 1.0);

    // A resumed run redoes steps after 50: its points are truncated and logged again.
    log.truncateMetrics(runId, 50);
    page.pollMetrics();
    QCOMPARE(page.lossPlot()->series()[QStringLiteral("train_loss")].value.size(), 50);
}

QTEST_MAIN(tst_TrainPage)
#include "tst_TrainPage.moc"
