// SPDX-License-Identifier: GPL-3.0-or-later
// Fault injection: `ssondo train` killed with SIGKILL at 10 random moments (seeded), each time
// resumed by running the same command again. After every kill the database passes
// PRAGMA integrity_check, the checkpoint on disk (if any) loads completely (never half written)
// and is not ahead of the logged curve; after every resume the run is done, each step is logged
// exactly once, and the curve is the uninterrupted run's.

#include "distill/Checkpoint.h"
#include "experiments/Database.h"
#include "experiments/RunLog.h"
#include "students/MappingHead.h"
#include "students/StudentRegistry.h"
#include "workspace/Workspace.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <csignal>
#include <filesystem>
#include <random>

using namespace ssondo;

class tst_KillTrials : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void tenKillsTenResumes();

private:
    int run(const QStringList& args, QByteArray* err = nullptr);
    QStringList trainArgs() const;
    std::vector<std::pair<std::int64_t, double>> curve(std::int64_t run);
    /// Training-loss points logged so far by the run named trial-N (0 before it exists).
    std::int64_t loggedFor(int trial);
    QTemporaryDir m_dir;
    QString m_ws;
};

int tst_KillTrials::run(const QStringList& args, QByteArray* err)
{
    QProcess p;
    p.start(QStringLiteral(SSONDO_CLI_PATH), args);
    p.waitForFinished(600000);
    if (err)
        *err = p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

QStringList tst_KillTrials::trainArgs() const
{
    return {"-w",
            m_ws,
            "-q",
            "train",
            "--dataset",
            "tiny",
            "--width",
            "0.4",
            "--clip-seconds",
            "1",
            "--batch-size",
            "4",
            "--epochs",
            "4",
            "--samples-per-epoch",
            "16",
            "--schedule",
            "constant",
            "--lr",
            "1e-3",
            "--workers",
            "1",
            "--set",
            "train.log_every=1",
            "--set",
            "train.checkpoint_every=2"};
}

std::vector<std::pair<std::int64_t, double>> tst_KillTrials::curve(std::int64_t runId)
{
    auto w = Workspace::open(m_ws.toStdString(), true);
    std::vector<std::pair<std::int64_t, double>> out;
    for (const auto& p : RunLog(w->database()).metrics(runId, "train_loss"))
        out.emplace_back(p.step, p.value);
    return out;
}

std::int64_t tst_KillTrials::loggedFor(int trial)
{
    try {
        auto w = Workspace::open(m_ws.toStdString(), true);
        const auto runs = RunLog(w->database()).list();
        if (runs.empty() || runs.back().name != QString("trial-%1").arg(trial).toStdString())
            return 0;
        return std::int64_t(RunLog(w->database()).metrics(runs.back().id, "train_loss").size());
    } catch (const std::exception&) {
        return 0; // being created
    }
}

void tst_KillTrials::initTestCase()
{
    const QString data = m_dir.path() + "/data";
    m_ws = m_dir.path() + "/ws";
    QCOMPARE(run({"-q", "dataset", "synth", data, "--clips-per-class", "2", "--min-seconds", "1",
                  "--max-seconds", "2"}),
             0);
    QCOMPARE(run({"workspace", "init", m_ws}), 0);
    QCOMPARE(run({"-w", m_ws, "-q", "dataset", "add", data, "--name", "tiny"}), 0);
    QCOMPARE(run({"-w", m_ws, "-q", "extract", "--dataset", "tiny"}), 0);
}

void tst_KillTrials::tenKillsTenResumes()
{
    // The uninterrupted run: its curve and its duration.
    QElapsedTimer timer;
    timer.start();
    QByteArray err;
    QVERIFY2(run(trainArgs() << "--name"
                             << "reference",
                 &err) == 0,
             err.constData());
    const double seconds = double(timer.elapsed()) / 1000.0;
    const auto expected = curve(1);
    QCOMPARE(expected.size(), size_t(16));

    // A random moment: after a random number of logged steps (0 to 14 of 16), plus a random part
    // of a step — by progress rather than by clock, so a loaded machine moves nothing.
    std::mt19937 rng(2026);
    std::uniform_int_distribution<int> afterSteps(0, 14);
    std::uniform_int_distribution<int> extraMs(0, 400);
    const double msPerStep = 1000.0 * seconds / 16.0;
    int withCheckpoint = 0, killedMidRun = 0;
    for (int trial = 1; trial <= 10; ++trial) {
        const QStringList args = trainArgs() << "--name" << QString("trial-%1").arg(trial);
        const int steps = afterSteps(rng), extra = int(extraMs(rng) * std::min(1.0, msPerStep / 400.0));
        QProcess p;
        QElapsedTimer since;
        since.start();
        p.start(QStringLiteral(SSONDO_CLI_PATH), args);
        QVERIFY(p.waitForStarted());
        while (steps > 0 && p.state() == QProcess::Running && loggedFor(trial) < steps)
            QTest::qWait(20);
        QTest::qWait(extra);
        const double at = double(since.elapsed()) / 1000.0;
        ::kill(pid_t(p.processId()), SIGKILL);
        QVERIFY(p.waitForFinished(30000));
        const bool killed = p.exitStatus() == QProcess::CrashExit;
        killedMidRun += killed;

        auto w = Workspace::open(m_ws.toStdString(), true);
        auto check = w->database().prepare("PRAGMA integrity_check");
        QVERIFY(check.step());
        QCOMPARE(check.columnText(0), std::string("ok"));
        const auto runs = RunLog(w->database()).list();
        const RunRecord r = runs.back();
        const bool hasRun = r.name == QString("trial-%1").arg(trial).toStdString();
        std::int64_t logged = 0, checkpointStep = -1;
        if (hasRun) {
            logged = std::int64_t(curve(r.id).size());
            const auto ckpt = std::filesystem::path(w->dir()) / r.dir / "checkpoint.pt";
            if (std::filesystem::exists(ckpt)) {
                // The checkpoint on disk is whole: every tensor and the optimizer state load.
                auto student = StudentRegistry::instance().create("mn10", StudentOptions{0.4, 16});
                MappingHead head(MappingHeadOptions(student->embeddingDim(), 3840));
                std::vector<at::Tensor> params = student->parameters();
                for (auto& q : head->parameters())
                    params.push_back(q);
                torch::optim::Adam opt(params, torch::optim::AdamOptions(1e-3));
                const TrainState s = loadCheckpoint(ckpt.string(), *student, *head, opt);
                checkpointStep = s.globalStep;
                ++withCheckpoint;
                QVERIFY2(checkpointStep <= logged, "a checkpoint never points past the logged curve");
            }
        }
        qInfo("trial %2d: SIGKILL after step %2d + %3d ms (%.2f s, %s): %lld steps logged, checkpoint at "
              "step %lld",
              trial, steps, extra, at, killed ? "mid-run" : "had finished", (long long)logged,
              (long long)checkpointStep);

        // The same command again finishes the run, on the reference curve, each step once.
        QVERIFY2(run(args, &err) == 0, err.constData());
        auto w2 = Workspace::open(m_ws.toStdString(), true);
        const RunRecord done = RunLog(w2->database()).list().back();
        QCOMPARE(QString::fromStdString(done.name), QString("trial-%1").arg(trial));
        QCOMPARE(runStatuses().nameOf(done.status), std::string("done"));
        const auto got = curve(done.id);
        QCOMPARE(got.size(), expected.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
            QCOMPARE(got[i].first, expected[i].first);
            QVERIFY2(std::abs(got[i].second - expected[i].second) < 1e-5,
                     qPrintable(QString("trial %1 step %2: %3 vs %4")
                                    .arg(trial)
                                    .arg(got[i].first)
                                    .arg(got[i].second)
                                    .arg(expected[i].second)));
        }
    }
    qInfo("%d of 10 kills landed mid-run, %d with a checkpoint on disk; every one resumed onto the reference "
          "curve",
          killedMidRun, withCheckpoint);
    QVERIFY(killedMidRun >= 8);
}

QTEST_GUILESS_MAIN(tst_KillTrials)
#include "tst_KillTrials.moc"
