// SPDX-License-Identifier: GPL-3.0-or-later
// `ssondo sweep` as a user runs it: the demo sweep (3 losses x 2 samplers x 2 seeds) listed by
// --dry-run, run 2 at a time, stopped with SIGTERM and started again (it continues; no run is
// trained twice), then `sweeps show` with every run's metric and what each value did; a failing
// run is marked and the others finish; a probe metric; early stopping that fires.

#include "experiments/RunLog.h"
#include "workspace/Workspace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <csignal>
#include <fstream>
#include <set>

using namespace ssondo;

class tst_CliSweep : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void dryRunListsAndStartsNothing();
    void demoSweepSurvivesStopAndRestart();
    void failingRunIsMarkedOthersGoOn();
    void probeMetric();
    void earlyStoppingFires();

private:
    int run(const QStringList& args, QByteArray* out = nullptr, QByteArray* err = nullptr);
    QJsonObject show(int sweep);
    QString sweepFile(const QString& name, const QString& body);
    QTemporaryDir m_dir;
    QString m_ws;
};

namespace {

/// Every run of these sweeps is tiny: one epoch of one step on 1 s clips.
const char* kBase = R"(
[base]
data.dataset = "tiny"
data.clip_seconds = 1.0
student.width = 0.4
train.batch_size = 8
train.epochs = 1
train.samples_per_epoch = 8
optim.schedule = "constant"
)";

} // namespace

int tst_CliSweep::run(const QStringList& args, QByteArray* out, QByteArray* err)
{
    QProcess p;
    p.start(QStringLiteral(SSONDO_CLI_PATH), QStringList{"-w", m_ws} + args);
    p.waitForFinished(900000);
    if (out)
        *out = p.readAllStandardOutput();
    if (err)
        *err = p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

QJsonObject tst_CliSweep::show(int sweep)
{
    QByteArray out;
    run({"--json", "sweeps", "show", QString::number(sweep)}, &out);
    return QJsonDocument::fromJson(out).object();
}

QString tst_CliSweep::sweepFile(const QString& name, const QString& body)
{
    const QString path = m_dir.filePath(name + ".toml");
    std::ofstream(path.toStdString()) << "name = \"" << name.toStdString() << "\"\n"
                                      << body.toStdString() << kBase;
    return path;
}

void tst_CliSweep::initTestCase()
{
    const QString data = m_dir.filePath("data");
    m_ws = m_dir.filePath("ws");
    QProcess p;
    p.start(QStringLiteral(SSONDO_CLI_PATH), {"-q", "dataset", "synth", data, "--clips-per-class", "2",
                                              "--min-seconds", "1", "--max-seconds", "1.5"});
    QVERIFY(p.waitForFinished(120000) && p.exitCode() == 0);
    p.start(QStringLiteral(SSONDO_CLI_PATH), {"workspace", "init", m_ws});
    QVERIFY(p.waitForFinished(60000) && p.exitCode() == 0);
    QByteArray err;
    QVERIFY2(run({"-q", "dataset", "add", data, "--name", "tiny"}, nullptr, &err) == 0, err.constData());
    QVERIFY2(run({"-q", "extract", "--dataset", "tiny"}, nullptr, &err) == 0, err.constData());
    QVERIFY2(run({"-q", "cluster", "--embeddings", "1", "--k", "4"}, nullptr, &err) == 0, err.constData());
}

void tst_CliSweep::dryRunListsAndStartsNothing()
{
    const QString f =
        sweepFile("demo", "seeds = [1, 2]\n[vary]\nloss.kind = [\"cosine\", \"clap\", \"mse\"]\n"
                          "sampler.kind = [\"uniform\", \"balanced\"]\nsampler.clustering = [1]\n");
    QByteArray out, err;
    QVERIFY2(run({"--json", "sweep", "-c", f, "--dry-run"}, &out, &err) == 0, err.constData());
    const QJsonArray runs = QJsonDocument::fromJson(out).array();
    QCOMPARE(runs.size(), 12);
    QCOMPARE(runs.at(11).toObject()["values"].toObject()["loss.kind"].toString(), QString("mse"));
    QCOMPARE(runs.at(11).toObject()["seed"].toInt(), 2);
    QVERIFY2(run({"--json", "sweeps", "list"}, &out, &err) == 0, err.constData());
    QCOMPARE(QJsonDocument::fromJson(out).array().size(), 0); // nothing recorded
    // A bad sweep file is a clear error naming the file and the key, before anything starts.
    const QString bad = sweepFile("bad", "[vary]\nloss.kind = [\"cosine\", \"nope\"]\n");
    QCOMPARE(run({"sweep", "-c", bad}, &out, &err), 1);
    QVERIFY2(err.contains("bad.toml") && err.contains("nope"), err.constData());
}

void tst_CliSweep::demoSweepSurvivesStopAndRestart()
{
    const QString f = m_dir.filePath("demo.toml"); // written by dryRunListsAndStartsNothing
    QProcess p;
    p.start(QStringLiteral(SSONDO_CLI_PATH), {"-w", m_ws, "sweep", "-c", f, "--parallel", "2"});
    QVERIFY(p.waitForStarted());
    // Stop it once two runs are done: the two running ones save and stop, the rest wait.
    QTRY_VERIFY_WITH_TIMEOUT(show(1)["counts"].toObject()["done"].toInt() >= 2, 600000);
    ::kill(pid_t(p.processId()), SIGTERM);
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 128 + SIGTERM);
    QJsonObject s = show(1);
    QCOMPARE(s["status"].toString(), QString("stopped"));
    QVERIFY(!s["counts"].toObject().contains("running"));
    const int doneBefore = s["counts"].toObject()["done"].toInt();
    QVERIFY2(doneBefore < 12, "the sweep ended before it was stopped: make its runs longer");

    QByteArray out, err;
    QVERIFY2(run({"--json", "sweep", "-c", f, "--parallel", "2"}, &out, &err) == 0, err.constData());
    QVERIFY2(err.contains("continuing sweep 1"), err.constData());
    s = QJsonDocument::fromJson(out).object();
    QCOMPARE(s["status"].toString(), QString("done"));
    QCOMPARE(s["counts"].toObject()["done"].toInt(), 12);
    const QJsonArray runs = s["runs"].toArray();
    std::set<int> ids;
    double previous = 2;
    for (const auto& r : runs) {
        const QJsonObject o = r.toObject();
        QVERIFY(o["metric"].isDouble());
        QVERIFY(o["metric"].toDouble() <= previous); // best first
        previous = o["metric"].toDouble();
        ids.insert(o["run"].toInt());
    }
    QCOMPARE(int(ids.size()), 12); // twelve runs, none trained twice
    auto ws = Workspace::open(m_ws.toStdString(), true);
    QCOMPARE(int(RunLog(ws->database()).list().size()), 12);
    // What each value did: 3 losses + 2 samplers + the one clustering, each over its runs.
    const QJsonArray effects = s["effects"].toArray();
    QCOMPARE(effects.size(), 6);
    QCOMPARE(effects.at(0).toObject()["runs"].toInt(), 4);
    QCOMPARE(effects.at(3).toObject()["runs"].toInt(), 6);
    // The run's metric is its best validation cosine, as `runs list` has it.
    QVERIFY2(run({"sweeps", "show", "1"}, &out, &err) == 0, err.constData());
    QVERIFY2(out.contains("What each value did") && out.contains("loss.kind"), out.constData());
}

void tst_CliSweep::failingRunIsMarkedOthersGoOn()
{
    // Clustering 99 does not exist: those runs fail with the reason; the others finish.
    const QString f =
        sweepFile("fails", "[vary]\nsampler.kind = [\"balanced\"]\nsampler.clustering = [1, 99]\n");
    QByteArray out, err;
    QCOMPARE(run({"--json", "sweep", "-c", f}, &out, &err), 1);
    QVERIFY2(err.contains("1 of 2 runs of sweep"), err.constData());
    const QJsonObject s = QJsonDocument::fromJson(out).object();
    QCOMPARE(s["counts"].toObject()["done"].toInt(), 1);
    QCOMPARE(s["counts"].toObject()["failed"].toInt(), 1);
    const QJsonObject failed = s["runs"].toArray().at(1).toObject();
    QCOMPARE(failed["status"].toString(), QString("failed"));
    QVERIFY2(failed["message"].toString().contains("99"), qPrintable(failed["message"].toString()));
}

void tst_CliSweep::probeMetric()
{
    const QString f = sweepFile("probe", "metric = \"probe:tiny\"\n[vary]\nhead.dropout = [0.1, 0.2]\n");
    QByteArray out, err;
    QVERIFY2(run({"--json", "sweep", "-c", f}, &out, &err) == 0, err.constData());
    const QJsonObject s = QJsonDocument::fromJson(out).object();
    QCOMPARE(s["counts"].toObject()["done"].toInt(), 2);
    QByteArray evals;
    for (const auto& r : s["runs"].toArray()) {
        const double m = r.toObject()["metric"].toDouble(-1);
        QVERIFY(m >= 0 && m <= 1); // a linear probe's accuracy
        // ... the one its evaluation recorded (compared as numbers: JSON may print 0.28 as
        // 0.27999999999999997).
        QVERIFY(run({"--json", "evaluations", "list", "--run", QString::number(r.toObject()["run"].toInt())},
                    &evals) == 0);
        const QJsonArray recorded = QJsonDocument::fromJson(evals).array();
        QCOMPARE(recorded.size(), 1);
        QCOMPARE(recorded.at(0).toObject()["mean"].toDouble(-1), m);
    }
}

void tst_CliSweep::earlyStoppingFires()
{
    // One run at a time, two epochs of four steps each. The first (lr 1e-3) moves its head far from
    // its random start, where validation cosine is near 0; the two after it (lr 1e-9, 1e-8) stay
    // there, far below 0.8 x the first's at the end of their first epoch: they stop there, and say so.
    const QString path = m_dir.filePath("early.toml");
    QString base = kBase;
    base.replace("train.epochs = 1", "train.epochs = 2")
        .replace("samples_per_epoch = 8", "samples_per_epoch = 32");
    std::ofstream(path.toStdString()) << "name = \"early\"\nstop_if_below = 0.8\n[vary]\n"
                                         "optim.lr = [1e-3, 1e-9, 1e-8]\n"
                                      << base.toStdString();
    QByteArray out, err;
    QVERIFY2(run({"--json", "sweep", "-c", path}, &out, &err) == 0, err.constData());
    const QJsonObject s = QJsonDocument::fromJson(out).object();
    QCOMPARE(s["counts"].toObject()["pruned"].toInt(), 2);
    QCOMPARE(s["counts"].toObject()["done"].toInt(), 1);
    for (const auto& r : s["runs"].toArray()) {
        const QJsonObject o = r.toObject();
        if (o["status"].toString() != "pruned")
            continue;
        QVERIFY2(o["message"].toString().contains("stopped early at epoch"),
                 qPrintable(o["message"].toString()));
        QVERIFY(o["metric"].isNull());
    }
}

QTEST_GUILESS_MAIN(tst_CliSweep)
#include "tst_CliSweep.moc"
