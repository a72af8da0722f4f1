// SPDX-License-Identifier: GPL-3.0-or-later
// The Train page: debiased smoothing, the form as the equivalent `ssondo train` command (only the
// keys that differ from the paper's defaults), validation before start, TOML round trip, and live
// curves filling while a "job" (another connection) streams metric points into the log, including
// a resumed run that truncates its curve.

#include "WorkspaceController.h"
#include "distill/TrainConfig.h"
#include "experiments/Database.h"
#include "experiments/JobLog.h"
#include "experiments/RunLog.h"
#include "jobs/JobsDock.h"
#include "pages/ConfigForm.h"
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
    void everyKeyOfALoadedTomlReachesStart();
    void formIsMadeFromTheSchema();
    void stopStopsTheRunShown();
    void emptyStateAndStartInView();
    void clipLengthFollowsShortClips();

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
    QVERIFY(args.contains(QStringLiteral("optim.lr=2e-03")) ||
            args.contains(QStringLiteral("optim.lr=0.002")));
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
    auto* clustering = qobject_cast<QComboBox*>(page.form()->editor(QStringLiteral("sampler.clustering")));
    QVERIFY(clustering);
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
    r.status = RunStatus::Running;
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

/// A config with every key away from its default (and valid on the demo workspace).
static TrainConfig everyKeyChanged(const testing::DemoWorkspace& demo)
{
    const std::string toml =
        "name = 'all keys'\ntags = ['a', 'b']\n"
        "[data]\nembeddings = " +
        std::to_string(demo.embeddingSet) +
        "\ndataset = 'demo'\nval_fraction = 0.2\nclip_seconds = 2.5\ncache = false\nworkers = 1\n"
        "[student]\narch = 'dymn10'\nwidth = 0.5\nm_channels = 8\ninit = '/models/init.pt'\n"
        "[head]\nhidden = 64\ndropout = 0.1\n"
        "[loss]\nkind = 'clap'\ntemperature = 0.2\ntarget_norm = 'center'\n"
        "[sampler]\nkind = 'balanced'\nclustering = " +
        std::to_string(demo.clustering) +
        "\n[optim]\noptimizer = 'sgd'\nlr = 0.003\nweight_decay = 0.01\nschedule = 'cosine'\n"
        "warmup_epochs = 2.0\nrampdown_start = 10.0\nrampdown_epochs = 5.0\nrampdown_final = 0.1\n"
        "grad_clip = 1.0\n"
        "[train]\nepochs = 3\nbatch_size = 8\nsamples_per_epoch = 32\nseed = 7\ndevice = 'cpu'\n"
        "mixup = 0.3\nspecaugment = true\nfreq_mask = 10\ntime_mask = 20\ncheckpoint_every = 50\n"
        "log_every = 2\nprecise_bn = 16\nalign_clips = 8\n";
    return TrainConfig::fromToml(toml, "every-key.toml");
}

void tst_TrainPage::everyKeyOfALoadedTomlReachesStart()
{
    const TrainConfig loaded = everyKeyChanged(m_demo);
    const TrainConfig defaults;
    for (const ConfigKey& k : TrainConfig::schema()) // the file really sets every key away from its default
        QVERIFY2(loaded.valueText(k.key) != defaults.valueText(k.key), k.key.c_str());
    const QString file = m_dir.path() + QStringLiteral("/every-key.toml");
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray::fromStdString(loaded.toToml()));
    }
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    TrainPage page(&c);
    page.refresh();
    page.loadTomlFile(file);
    QCOMPARE(page.config().differences(loaded), std::vector<std::string>{});
    // Start runs exactly that config: its arguments, given to `ssondo train --print-config`.
    QSignalSpy run(&page, &Page::runCommand);
    auto* start = page.findChild<QPushButton*>(QStringLiteral("startRun"));
    QVERIFY(start && start->isEnabled());
    start->click();
    QCOMPARE(run.count(), 1);
    QProcess p;
    p.start(QStringLiteral(SSONDO_CLI_PATH),
            QStringList{"-w", QString::fromStdString(m_demo.dir)} + run.at(0).at(0).toStringList()
                << "--print-config");
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const TrainConfig started = TrainConfig::fromToml(p.readAllStandardOutput().toStdString());
    QCOMPARE(started.differences(loaded), std::vector<std::string>{});
}

void tst_TrainPage::formIsMadeFromTheSchema()
{
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    TrainPage page(&c);
    page.refresh();
    for (const ConfigKey& k : TrainConfig::schema()) {
        QWidget* editor = page.form()->editor(QString::fromStdString(k.key));
        QVERIFY2(editor, k.key.c_str()); // every key has a widget
        QVERIFY2(editor->toolTip().contains(QString::fromStdString(k.doc).toHtmlEscaped()), k.key.c_str());
        if (auto* combo = qobject_cast<QComboBox*>(editor); combo && k.type == ConfigKey::Type::Text)
            for (const auto& choice : k.choices()) // the combo offers what the table lists
                QVERIFY2(combo->findData(QString::fromStdString(choice.name)) >= 0, choice.name.c_str());
    }
    // Advanced keys are folded until asked for.
    page.resize(1400, 900);
    page.show();
    QVERIFY(!page.form()->editor(QStringLiteral("train.precise_bn"))->isVisible());
    QVERIFY(page.form()->editor(QStringLiteral("loss.kind"))->isVisible());
    page.form()->setAdvancedShown(true);
    QVERIFY(page.form()->editor(QStringLiteral("train.precise_bn"))->isVisible());
    // A refused value is said, and the config keeps the last good one.
    auto* lr = qobject_cast<QLineEdit*>(page.form()->editor(QStringLiteral("optim.lr")));
    QVERIFY(lr);
    lr->setText(QStringLiteral("7"));
    Q_EMIT lr->editingFinished();
    QVERIFY2(page.validationError().contains(QStringLiteral("optim.lr")), qPrintable(page.validationError()));
    QCOMPARE(page.config().lr, TrainConfig{}.lr);
}

void tst_TrainPage::stopStopsTheRunShown()
{
    // Two runs train at once, each in its own process (stand-ins: `sleep`), the second started last.
    auto ws = Workspace::open(m_demo.dir);
    RunLog log(ws->database());
    JobLog jobs(ws->database());
    QProcess shownProcess, otherProcess;
    shownProcess.start(QStringLiteral("sleep"), {QStringLiteral("60")});
    otherProcess.start(QStringLiteral("sleep"), {QStringLiteral("60")});
    QVERIFY(shownProcess.waitForStarted() && otherProcess.waitForStarted());
    std::int64_t runIds[2];
    std::int64_t jobIds[2];
    QProcess* processes[2] = {&shownProcess, &otherProcess};
    for (int i = 0; i < 2; ++i) {
        RunRecord r;
        r.name = i == 0 ? "shown" : "other";
        r.configToml = TrainConfig{}.toToml(false);
        runIds[i] = log.create(r);
        log.setStatus(runIds[i], RunStatus::Running);
        jobIds[i] = jobs.start("train", r.name, "ssondo train", {}, runIds[i]);
        ws->database()
            .prepare("UPDATE jobs SET pid = ?2 WHERE id = ?1")
            .bind(1, jobIds[i])
            .bind(2, std::int64_t(processes[i]->processId()))
            .run();
    }
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    TrainPage page(&c);
    JobsDock dock(&c);
    connect(&page, &TrainPage::stopJob, &dock, &JobsDock::stopJob);
    page.refresh();
    page.showRun(runIds[0]);
    QSignalSpy stop(&page, &TrainPage::stopJob);
    for (QPushButton* b : page.findChildren<QPushButton*>())
        if (b->text() == QStringLiteral("Stop"))
            b->click();
    QCOMPARE(stop.count(), 1);
    QCOMPARE(stop.at(0).at(0).toLongLong(), qlonglong(jobIds[0]));
    QVERIFY(shownProcess.waitForFinished(10000));      // SIGTERM reached the run on screen...
    QCOMPARE(otherProcess.state(), QProcess::Running); // ...and only it
    otherProcess.kill();
    otherProcess.waitForFinished();
    for (int i = 0; i < 2; ++i) {
        jobs.finish(jobIds[i], JobState::Stopped, "test");
        log.setStatus(runIds[i], RunStatus::Stopped);
    }
}

void tst_TrainPage::emptyStateAndStartInView()
{
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    TrainPage page(&c);
    page.resize(1400, 900);
    page.show();
    page.refresh();
    page.showRun(0);
    auto* empty = page.findChild<QLabel*>(QStringLiteral("trainEmptyState"));
    QVERIFY(empty && empty->isVisible());
    QVERIFY(empty->text().contains(QStringLiteral("No run yet")));
    QVERIFY(!page.lossPlot()->isVisible()); // no empty axes with tiny empty legends
    auto* start = page.findChild<QPushButton*>(QStringLiteral("startRun"));
    QVERIFY(start->isVisible());
    const QRect r(start->mapTo(&page, QPoint(0, 0)), start->size());
    QVERIFY2(QRect(0, 0, 1400, 900).contains(r), "Start is on screen without scrolling");
    if (qEnvironmentVariableIsSet("SSONDO_SCREENSHOTS"))
        page.grab().save(qEnvironmentVariable("SSONDO_SCREENSHOTS") + QStringLiteral("/train-empty.png"));
}

void tst_TrainPage::clipLengthFollowsShortClips()
{
    // The demo workspace's clips last 0.5–1.0 s: the page trains on 1 s clips and says why.
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    TrainPage page(&c);
    TrainConfig cfg; // no embedding set chosen: the page picks the newest and adapts
    page.setConfig(cfg);
    page.refresh();
    QCOMPARE(page.config().embeddings, m_demo.embeddingSet);
    QCOMPARE(page.config().clipSeconds, 1.0);
    QVERIFY2(page.noteLabel()->text().contains(QStringLiteral("Clip length 1 s")),
             qPrintable(page.noteLabel()->text()));
    // A length the user chose is kept.
    page.form()->setValue(QStringLiteral("data.clip_seconds"), QStringLiteral("3"));
    page.refresh();
    QCOMPARE(page.config().clipSeconds, 3.0);
}

QTEST_MAIN(tst_TrainPage)
#include "tst_TrainPage.moc"
