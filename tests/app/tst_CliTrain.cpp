// SPDX-License-Identifier: GPL-3.0-or-later
// `ssondo extract` and `ssondo train` as processes: SIGTERM stops a run cleanly (checkpoint,
// status "stopped", exit 143); kill -9 mid-run and the same command again resumes from the last
// checkpoint and ends on the same curve as an uninterrupted run.

#include "experiments/Database.h"
#include "experiments/RunLog.h"
#include "workspace/Workspace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <csignal>
#include <filesystem>

using namespace ssondo;

class tst_CliTrain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sigtermStopsCleanly();
    void killNineResumesOnSameCurve();
    void runsCommands();
    void fullDiskIsReported();
    void alignFollowsTraining();

private:
    QString makeWorkspace(const QString& name);
    QStringList trainArgs(const QString& ws) const;
    int run(const QStringList& args, QByteArray* err = nullptr);
    std::int64_t stepsLogged(const QString& ws);
    std::vector<std::pair<std::int64_t, double>> curve(const QString& ws, std::int64_t run);
    QTemporaryDir m_dir;
    QString m_data;
};

int tst_CliTrain::run(const QStringList& args, QByteArray* err)
{
    QProcess p;
    p.start(QStringLiteral(SSONDO_CLI_PATH), args);
    p.waitForFinished(600000);
    if (err)
        *err = p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

void tst_CliTrain::initTestCase()
{
    m_data = m_dir.path() + "/data";
    QCOMPARE(run({"-q", "dataset", "synth", m_data, "--clips-per-class", "2", "--min-seconds", "1",
                  "--max-seconds", "2"}),
             0);
}

QString tst_CliTrain::makeWorkspace(const QString& name)
{
    const QString ws = m_dir.path() + "/" + name;
    [&] {
        QCOMPARE(run({"workspace", "init", ws}), 0);
        QCOMPARE(run({"-w", ws, "-q", "dataset", "add", m_data, "--name", "tiny"}), 0);
        QCOMPARE(run({"-w", ws, "-q", "extract", "--dataset", "tiny"}), 0);
    }();
    return ws;
}

QStringList tst_CliTrain::trainArgs(const QString& ws) const
{
    return {"-w",
            ws,
            "-q",
            "train",
            "--dataset",
            "tiny",
            "--width",
            "0.4",
            "--clip-seconds",
            "2",
            "--batch-size",
            "4",
            "--epochs",
            "4",
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

std::int64_t tst_CliTrain::stepsLogged(const QString& ws)
{
    try {
        auto w = Workspace::open(ws.toStdString(), true);
        auto runs = RunLog(w->database()).list();
        if (runs.empty())
            return 0;
        return std::int64_t(RunLog(w->database()).metrics(runs.back().id, "train_loss").size());
    } catch (const std::exception&) {
        return 0;
    }
}

std::vector<std::pair<std::int64_t, double>> tst_CliTrain::curve(const QString& ws, std::int64_t runId)
{
    auto w = Workspace::open(ws.toStdString(), true);
    std::vector<std::pair<std::int64_t, double>> out;
    for (const auto& p : RunLog(w->database()).metrics(runId, "train_loss"))
        out.emplace_back(p.step, p.value);
    return out;
}

void tst_CliTrain::sigtermStopsCleanly()
{
    const QString ws = makeWorkspace("term");
    QProcess p;
    p.start(QStringLiteral(SSONDO_CLI_PATH), trainArgs(ws));
    QVERIFY(p.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(stepsLogged(ws) >= 3, 120000);
    ::kill(pid_t(p.processId()), SIGTERM);
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 128 + SIGTERM);
    auto w = Workspace::open(ws.toStdString(), true);
    const RunRecord r = RunLog(w->database()).list().back();
    QCOMPARE(runStatuses().nameOf(r.status), std::string("stopped"));
    QVERIFY(std::filesystem::exists(std::filesystem::path(w->dir()) / r.dir / "checkpoint.pt"));
}

void tst_CliTrain::killNineResumesOnSameCurve()
{
    const QString ref = makeWorkspace("ref");
    QByteArray err;
    QVERIFY2(run(trainArgs(ref), &err) == 0, err.constData());
    const auto expected = curve(ref, 1);
    QVERIFY(expected.size() >= 8);

    const QString ws = makeWorkspace("nine");
    QProcess p;
    p.start(QStringLiteral(SSONDO_CLI_PATH), trainArgs(ws));
    QVERIFY(p.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(stepsLogged(ws) >= 5, 120000);
    ::kill(pid_t(p.processId()), SIGKILL);
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitStatus(), QProcess::CrashExit);
    {
        auto w = Workspace::open(ws.toStdString(), true);
        QCOMPARE(runStatuses().nameOf(RunLog(w->database()).list().back().status),
                 std::string("running")); // it had no chance to say
        // The database survived the kill intact.
        auto check = w->database().prepare("PRAGMA integrity_check");
        QVERIFY(check.step());
        QCOMPARE(check.columnText(0), std::string("ok"));
    }
    QVERIFY2(run(trainArgs(ws), &err) == 0, err.constData()); // the same command again
    auto w = Workspace::open(ws.toStdString(), true);
    const auto runs = RunLog(w->database()).list();
    QCOMPARE(runs.size(), size_t(1)); // resumed, not a new run
    QCOMPARE(runStatuses().nameOf(runs[0].status), std::string("done"));
    const auto got = curve(ws, runs[0].id);
    QCOMPARE(got.size(), expected.size()); // points after the checkpoint were redone, not duplicated
    for (size_t i = 0; i < got.size(); ++i) {
        QCOMPARE(got[i].first, expected[i].first);
        QVERIFY2(
            std::abs(got[i].second - expected[i].second) < 1e-5,
            qPrintable(
                QString("step %1: %2 vs %3").arg(got[i].first).arg(got[i].second).arg(expected[i].second)));
    }
}

void tst_CliTrain::runsCommands()
{
    const QString ws = m_dir.path() + "/ref"; // one finished run from killNineResumesOnSameCurve
    QStringList other = trainArgs(ws);
    other << "--seed"
          << "7"
          << "--epochs"
          << "1";
    QByteArray err;
    QVERIFY2(run(other, &err) == 0, err.constData());
    auto out = [&](const QStringList& args) {
        QProcess p;
        p.start(QStringLiteral(SSONDO_CLI_PATH), QStringList{"-w", ws} + args);
        p.waitForFinished(60000);
        return p.readAllStandardOutput();
    };
    const QJsonArray runs = QJsonDocument::fromJson(out({"--json", "runs", "list"})).array();
    QCOMPARE(runs.size(), 2);
    QVERIFY(runs.at(0).toObject()["metrics"].toObject().contains("val_cosine"));
    const QByteArray csv = out({"runs", "list", "--csv"});
    QCOMPARE(csv.trimmed().split('\n').size(), 3);
    QVERIFY(csv.startsWith("id,name,status,"));
    const QJsonObject cmp = QJsonDocument::fromJson(out({"--json", "runs", "compare", "1", "2"})).object();
    const QJsonObject cfg = cmp["config"].toObject();
    QVERIFY(cfg.contains("train.seed"));
    QVERIFY(cfg.contains("train.epochs"));
    QVERIFY(!cfg.contains("optim.lr")); // only the keys that differ
    QCOMPARE(cfg["train.seed"].toArray().at(1).toString(), QString("7"));
    QCOMPARE(run({"-w", ws, "runs", "tag", "2", "short,seed7"}), 0);
    QCOMPARE(run({"-w", ws, "runs", "note", "2", "one epoch only"}), 0);
    const QJsonObject two = QJsonDocument::fromJson(out({"--json", "runs", "show", "2"})).object();
    QCOMPARE(two["tags"].toString(), QString("short,seed7"));
    QCOMPARE(two["notes"].toString(), QString("one epoch only"));
    QCOMPARE(run({"-w", ws, "runs", "delete", "2", "--yes"}), 0);
    QCOMPARE(QJsonDocument::fromJson(out({"--json", "runs", "list"})).array().size(), 1);
    QCOMPARE(run({"-w", ws, "runs", "show", "2"}), 1);
}

void tst_CliTrain::fullDiskIsReported()
{
    // A file-size limit (ulimit -f, 20 MB) stands in for a full disk: the ~70 MB checkpoint cannot be
    // written. The command says what and where, exits 1, leaves no partial file and a consistent log;
    // the same command without the limit then finishes the run.
    const QString ws = makeWorkspace("full");
    QStringList args = trainArgs(ws);
    QStringList quoted;
    for (const QString& a : QStringList{QStringLiteral(SSONDO_CLI_PATH)} + args)
        quoted << QStringLiteral("'%1'").arg(a);
    QProcess p;
    p.start(QStringLiteral("/bin/sh"), {"-c", "ulimit -f 20000; exec " + quoted.join(' ')});
    QVERIFY(p.waitForFinished(300000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 1);
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.contains("checkpoint.pt") && err.contains("File too large"), err.constData());
    QVERIFY(!err.contains("terminate called"));
    const auto files = QDir(ws + "/runs/1").entryList(QDir::Files);
    QVERIFY2(!files.join(' ').contains("tmp"), qPrintable(files.join(' ')));
    QVERIFY(!files.contains("checkpoint.pt"));
    {
        auto w = Workspace::open(ws.toStdString(), true);
        QCOMPARE(runStatuses().nameOf(RunLog(w->database()).get(1).status), std::string("failed"));
        auto check = w->database().prepare("PRAGMA integrity_check");
        QVERIFY(check.step());
        QCOMPARE(check.columnText(0), std::string("ok"));
    }
    QByteArray err2;
    QVERIFY2(run(args, &err2) == 0, err2.constData());
    auto w = Workspace::open(ws.toStdString(), true);
    QCOMPARE(runStatuses().nameOf(RunLog(w->database()).get(1).status), std::string("done"));
    QVERIFY(QFileInfo(ws + "/runs/1/checkpoint.pt").size() > 20000 * 1024);
}

void tst_CliTrain::alignFollowsTraining()
{
    // Snapshots at step 0 and after each of 2 epochs on a 12-clip sample; `ssondo align` reads them.
    const QString ws = makeWorkspace("align");
    QStringList args = trainArgs(ws);
    args << "--epochs"
         << "2"
         << "--set"
         << "train.align_clips=12"
         << "--set"
         << "data.cache=false";
    QByteArray err;
    QVERIFY2(run(args, &err) == 0, err.constData());
    auto json = [&](const QStringList& a) {
        QProcess p;
        p.start(QStringLiteral(SSONDO_CLI_PATH), QStringList{"-w", ws, "--json"} + a);
        p.waitForFinished(300000);
        const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
        return QJsonDocument::fromJson(lines.last()).object(); // the "result" line
    };
    QJsonObject r = json({"align", "--run", "1"});
    QCOMPARE(r["clips"].toInt(), 12);
    QVERIFY(!r["snapshot_made"].toBool());
    const QJsonArray epochs = r["epochs"].toArray();
    QCOMPARE(epochs.size(), 3);
    for (int e = 0; e < 3; ++e) {
        const QJsonObject o = epochs.at(e).toObject();
        QCOMPARE(o["epoch"].toInt(), e);
        QCOMPARE(o["clips"].toInt(), 12);
        QVERIFY(std::abs(o["mean_cosine"].toDouble()) <= 1);
        QVERIFY(o["knn_overlap"].toDouble() >= 0 && o["knn_overlap"].toDouble() <= 1);
        QCOMPARE(o["k"].toInt(), 10);
    }
    const double trained = epochs.at(2).toObject()["mean_cosine"].toDouble();
    // The same from the checkpoint, on demand: remove the snapshots (the sample stays) and align
    // again. Both embed the same clips with the same weights; the training-time snapshot went
    // through float16 (each component within 2^-11 of its row's norm), which moves a cosine by
    // less than 1e-3.
    for (const QString& f : QDir(ws + "/runs/1/align").entryList({"epoch-*"}, QDir::Files))
        QVERIFY(QFile::remove(ws + "/runs/1/align/" + f));
    r = json({"align", "--run", "1"});
    QVERIFY(r["snapshot_made"].toBool());
    QCOMPARE(r["epochs"].toArray().size(), 1);
    const QJsonObject last = r["epochs"].toArray().at(0).toObject();
    QCOMPARE(last["epoch"].toInt(), 2);
    QVERIFY2(std::abs(last["mean_cosine"].toDouble() - trained) < 1e-3,
             qPrintable(QString("%1 vs %2").arg(last["mean_cosine"].toDouble()).arg(trained)));
    // The cost of the snapshots is recorded with the run.
    QProcess p;
    p.start(QStringLiteral(SSONDO_CLI_PATH), {"-w", ws, "--json", "runs", "show", "1"});
    p.waitForFinished(60000);
    const QJsonObject metrics =
        QJsonDocument::fromJson(p.readAllStandardOutput()).object()["metrics"].toObject();
    QCOMPARE(metrics["align_seconds"].toObject()["points"].toInt(), 3);
    QCOMPARE(metrics["align_share"].toObject()["points"].toInt(), 2);
    // A run without a checkpoint cannot be aligned: said, exit 1.
    QProcess bad;
    bad.start(QStringLiteral(SSONDO_CLI_PATH), {"-w", ws, "align", "--run", "99"});
    bad.waitForFinished(60000);
    QCOMPARE(bad.exitCode(), 1);
}

QTEST_GUILESS_MAIN(tst_CliTrain)
#include "tst_CliTrain.moc"
