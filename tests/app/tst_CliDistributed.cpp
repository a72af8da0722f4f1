// SPDX-License-Identifier: GPL-3.0-or-later
// Data-parallel training and sharded extraction through the real `ssondo` binary:
// - two ranks (`ssondo train --nproc 2`, c10d Gloo over TCP) end with the same parameters as one
//   process with the global batch, within float tolerance, while a run with another batch does not;
// - only rank 0 writes the log: one run, one train job, one curve;
// - `extract --shard I/N` parts merged are the unsharded set, bit for bit; a shard run again does
//   nothing; merging before every shard finished says which one is missing.

#include "data/EmbeddingCatalog.h"
#include "data/EmbeddingStore.h"
#include "distill/Checkpoint.h"
#include "experiments/Database.h"
#include "experiments/JobLog.h"
#include "experiments/RunLog.h"
#include "jobs/ExtractJob.h"
#include "students/MappingHead.h"
#include "students/StudentRegistry.h"
#include "workspace/Workspace.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <csignal>
#include <filesystem>

using namespace ssondo;

class tst_CliDistributed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void twoRanksMatchOneProcess();
    void batchMustSplitEvenly();
    void twoRanksStopAndResumeTogether();
    void shardedExtractionMergesToTheSameSet();

private:
    int run(const QStringList& args, QByteArray* out = nullptr, QByteArray* err = nullptr, int threads = 0);
    QStringList trainArgs(const QString& name, int batch) const;
    /// Student + head parameters of a run's checkpoint, flattened.
    at::Tensor weights(std::int64_t runId);
    /// Where the worst difference between two weight vectors is.
    std::string worst(const at::Tensor& diff) const;
    QTemporaryDir m_dir;
    QString m_ws, m_data;
    std::vector<std::pair<std::string, std::int64_t>> m_names;
};

int tst_CliDistributed::run(const QStringList& args, QByteArray* out, QByteArray* err, int threads)
{
    QProcess p;
    if (threads > 0) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("OMP_NUM_THREADS", QString::number(threads));
        p.setProcessEnvironment(env);
    }
    p.start(QStringLiteral(SSONDO_CLI_PATH), args);
    p.waitForFinished(600000);
    if (out)
        *out = p.readAllStandardOutput();
    const QByteArray e = p.readAllStandardError();
    if (err)
        *err = e;
    if (p.exitCode() != 0 && !err)
        qWarning().noquote() << "ssondo" << args.join(' ') << "failed:" << e.right(2000);
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

void tst_CliDistributed::initTestCase()
{
    m_data = m_dir.path() + "/data";
    m_ws = m_dir.path() + "/ws";
    QCOMPARE(run({"-q", "dataset", "synth", m_data, "--clips-per-class", "3", "--min-seconds", "1",
                  "--max-seconds", "2"}),
             0);
    QCOMPARE(run({"workspace", "init", m_ws}), 0);
    QCOMPARE(run({"-w", m_ws, "-q", "dataset", "add", m_data, "--name", "tiny"}), 0);
    QCOMPARE(run({"-w", m_ws, "-q", "extract", "--dataset", "tiny"}), 0);
}

QStringList tst_CliDistributed::trainArgs(const QString& name, int batch) const
{
    // Head dropout off (its masks are drawn per rank); SpecAugment on (masks are per clip, by its
    // place in the global batch); 2 epochs so that validation and precise BN run too. SGD: Adam's
    // first steps are lr · sign(g), which turns rounding in near-zero gradients into lr-sized steps.
    // A small rate and 4 steps: on 39 clips a fast run is chaotic, and rounding (1e-7 at step 3)
    // grows tenfold a step whatever the number of processes.
    return {"-w",
            m_ws,
            "-q",
            "train",
            "--dataset",
            "tiny",
            "--name",
            name,
            "--width",
            "0.4",
            "--clip-seconds",
            "1",
            "--batch-size",
            QString::number(batch),
            "--epochs",
            "2",
            "--samples-per-epoch",
            "16",
            "--schedule",
            "constant",
            "--lr",
            "0.005",
            "--optimizer",
            "sgd",
            "--workers",
            "1",
            "--specaugment",
            "true",
            "--set",
            "head.dropout=0",
            "--set",
            "train.precise_bn=8",
            "--set",
            "train.log_every=1",
            "--json"};
}

at::Tensor tst_CliDistributed::weights(std::int64_t runId)
{
    auto ws = Workspace::open(m_ws.toStdString(), true);
    const RunRecord r = RunLog(ws->database()).get(runId);
    auto student = StudentRegistry::instance().create("mn10", StudentOptions{0.4, 16});
    MappingHead head(MappingHeadOptions(student->embeddingDim(), 3840).dropout(0));
    loadCheckpointWeights((std::filesystem::path(ws->dir()) / r.dir / "checkpoint.pt").string(), *student,
                          *head);
    std::vector<at::Tensor> all;
    m_names.clear();
    auto add = [&](const std::string& name, const at::Tensor& t) {
        if (!t.is_floating_point())
            return;
        all.push_back(t.detach().flatten());
        m_names.emplace_back(name, t.numel());
    };
    for (const auto& p : student->named_parameters())
        add(p.key(), p.value());
    for (const auto& p : head->named_parameters())
        add("head." + p.key(), p.value());
    for (const auto& b : student->named_buffers())
        add(b.key(), b.value());
    return torch::cat(all);
}

std::string tst_CliDistributed::worst(const at::Tensor& diff) const
{
    std::int64_t at = diff.argmax().item<std::int64_t>();
    for (const auto& [name, n] : m_names) {
        if (at < n)
            return name + "[" + std::to_string(at) + "]";
        at -= n;
    }
    return "?";
}

void tst_CliDistributed::twoRanksMatchOneProcess()
{
    QByteArray out;
    QCOMPARE(run(trainArgs("single", 8), &out), 0);
    const auto one = QJsonDocument::fromJson(out.trimmed().split('\n').last()).object();
    QCOMPARE(run(trainArgs("two-ranks", 8) << "--nproc"
                                           << "2",
                 &out),
             0);
    const auto two = QJsonDocument::fromJson(out.trimmed().split('\n').last()).object();
    QCOMPARE(two["processes"].toInt(), 2);
    QCOMPARE(two["steps"].toInt(), one["steps"].toInt());
    QVERIFY(two["comm_share"].toDouble() > 0);
    QCOMPARE(run(trainArgs("other-batch", 4), &out), 0);
    const auto other = QJsonDocument::fromJson(out.trimmed().split('\n').last()).object();
    // The rounding control: the one-process run again with another thread count, which takes other
    // kernel paths (oneDNN, OpenBLAS): it differs from the first by rounding alone, grown by the
    // training's own sensitivity over its steps.
    const int threads = qEnvironmentVariableIntValue("OMP_NUM_THREADS") == 1 ? 2 : 1;
    QCOMPARE(run(trainArgs("single-other-threads", 8), &out, nullptr, threads), 0);
    const auto rerun = QJsonDocument::fromJson(out.trimmed().split('\n').last()).object();

    const at::Tensor a = weights(one["run"].toInt()), b = weights(two["run"].toInt()),
                     c = weights(other["run"].toInt()), r = weights(rerun["run"].toInt());
    const double scale = a.abs().max().item<double>();
    const double diff = (a - b).abs().max().item<double>() / scale;
    const double control = (a - c).abs().max().item<double>() / scale;
    const double rounding = (a - r).abs().max().item<double>() / scale;
    qInfo(
        "max |1 process - 2 ranks| / max |w| = %.3g (at %s); the same process on %d thread(s): %.3g; another "
        "batch size: %.3g",
        diff, worst((a - b).abs()).c_str(), threads, rounding, control);
    // Two ranks round differently from one process (sums split across ranks, synchronised batch
    // norm in double, other batch shapes per kernel): the same kind of perturbation as another
    // thread count, of a few units of roundoff per operation. Both grow alike through the steps;
    // 20× the rounding control (and 2e-5, two orders above float32 roundoff, when the control
    // happens to take the same paths) allows for the different sources. Any real difference
    // (another batch, a rank training on the wrong share) is of the control's size, 0.2.
    const double tolerance = std::max(2e-5, 20 * rounding);
    QVERIFY2(diff < tolerance,
             qPrintable(QString("2 ranks differ from 1 process by %1 > %2").arg(diff).arg(tolerance)));
    QVERIFY2(control > 100 * diff, "the control run should differ far more than the two-rank run");
    // Validation over the ranks' shares sums to the one-process figures.
    QVERIFY(std::abs(two["val_cosine"].toDouble() - one["val_cosine"].toDouble()) < 1e-4);

    // Rank 0 alone wrote the log: three runs, one train job each, the same number of points.
    auto ws = Workspace::open(m_ws.toStdString(), true);
    RunLog runs(ws->database());
    QCOMPARE(int(runs.list().size()), 4);
    int trainJobs = 0;
    for (const auto& j : JobLog(ws->database()).list())
        trainJobs += j.kind == "train";
    QCOMPARE(trainJobs, 4);
    QCOMPARE(runs.metricCount(two["run"].toInt()), runs.metricCount(one["run"].toInt()));
    QCOMPARE(QString::fromStdString(runStatuses().nameOf(runs.get(two["run"].toInt()).status)),
             QString("done"));
}

void tst_CliDistributed::twoRanksStopAndResumeTogether()
{
    // SIGINT to the launcher mid-run: both ranks stop at the same step, rank 0 saves; the same
    // command resumes both ranks from that checkpoint and ends on the one-process curve.
    QStringList args = trainArgs("stopped-pair", 8) << "--nproc"
                                                    << "2"
                                                    << "--set"
                                                    << "train.checkpoint_every=1";
    args.removeAll("--json");
    QProcess p;
    p.start(QStringLiteral(SSONDO_CLI_PATH), args);
    QVERIFY(p.waitForStarted());
    auto logged = [&]() -> std::int64_t {
        try {
            auto ws = Workspace::open(m_ws.toStdString(), true);
            const auto runs = RunLog(ws->database()).list();
            if (runs.empty() || runs.back().name != "stopped-pair")
                return 0;
            return std::int64_t(RunLog(ws->database()).metrics(runs.back().id, "train_loss").size());
        } catch (const std::exception&) {
            return 0;
        }
    };
    QTRY_VERIFY_WITH_TIMEOUT(logged() >= 2, 120000);
    ::kill(pid_t(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 128 + SIGINT);
    std::int64_t runId = 0;
    {
        auto ws = Workspace::open(m_ws.toStdString(), true);
        const RunRecord r = RunLog(ws->database()).list().back();
        QCOMPARE(r.name, std::string("stopped-pair"));
        QCOMPARE(runStatuses().nameOf(r.status), std::string("stopped"));
        runId = r.id;
    }
    QByteArray out, err;
    QCOMPARE(run(args, &out, &err), 0);
    auto ws = Workspace::open(m_ws.toStdString(), true);
    RunLog runs(ws->database());
    QCOMPARE(runStatuses().nameOf(runs.get(runId).status), std::string("done"));
    // The same curve as the one-process run "single" (same config), each step once.
    std::int64_t single = 0;
    for (const auto& r : runs.list())
        if (r.name == "single")
            single = r.id;
    QVERIFY(single > 0);
    const auto a = runs.metrics(single, "train_loss"), b = runs.metrics(runId, "train_loss");
    QCOMPARE(b.size(), a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(b[i].step, a[i].step);
        QVERIFY2(std::abs(b[i].value - a[i].value) < 1e-4,
                 qPrintable(QString("step %1: %2 vs %3").arg(a[i].step).arg(b[i].value).arg(a[i].value)));
    }
}

void tst_CliDistributed::batchMustSplitEvenly()
{
    QByteArray err;
    QCOMPARE(run(trainArgs("odd", 5) << "--nproc"
                                     << "2",
                 nullptr, &err),
             1);
    QVERIFY2(err.contains("train.batch_size 5 is not a multiple of the 2 processes"), err.constData());
}

void tst_CliDistributed::shardedExtractionMergesToTheSameSet()
{
    const QString ws2 = m_dir.path() + "/ws-shards";
    QCOMPARE(run({"workspace", "init", ws2}), 0);
    QCOMPARE(run({"-w", ws2, "-q", "dataset", "add", m_data, "--name", "tiny"}), 0);
    QByteArray out, err;
    QCOMPARE(run({"-w", ws2, "-q", "--json", "extract", "--dataset", "tiny", "--shard", "0/2"}, &out), 0);
    // The database was not written by the shard: no embedding set yet, and merging says what is missing.
    {
        auto ws = Workspace::open(ws2.toStdString(), true);
        QVERIFY(EmbeddingCatalog(ws->database()).list().empty());
    }
    QCOMPARE(run({"-w", ws2, "-q", "extract", "--dataset", "tiny", "--merge-shards", "2"}, &out, &err), 1);
    QVERIFY2(out.contains("shard 1/2: not started"), out.constData());
    QCOMPARE(run({"-w", ws2, "-q", "extract", "--dataset", "tiny", "--shard", "1/2"}), 0);
    // Idempotent: the same shard again computes nothing.
    QCOMPARE(run({"-w", ws2, "-q", "--json", "extract", "--dataset", "tiny", "--shard", "1/2"}, &out), 0);
    const auto again = QJsonDocument::fromJson(out.trimmed().split('\n').last()).object();
    QCOMPARE(again["computed_now"].toInt(), 0);
    QCOMPARE(again["teacher_forwards"].toInt(), 0);
    // The merge copies bytes: with the parts kept, every merged row is its part's row, bit for bit.
    QCOMPARE(
        run({"-w", ws2, "-q", "extract", "--dataset", "tiny", "--merge-shards", "2", "--keep-parts"}, &out),
        0);
    {
        auto ws = Workspace::open(ws2.toStdString(), true);
        const auto merged = EmbeddingCatalog(ws->database()).list().front();
        auto whole = EmbeddingStore::open(ws->dir() + "/" + merged.path);
        for (int shard = 0; shard < 2; ++shard) {
            auto part =
                EmbeddingStore::open(ws->dir() + "/" + ExtractJob::shardFolder(merged.path, shard, 2));
            std::vector<std::int64_t> partRows, wholeRows;
            for (std::int64_t j = 0; j < part->rows(); ++j)
                if (part->state(j) == EmbeddingStore::RowState::Done)
                    partRows.push_back(j), wholeRows.push_back(shard + 2 * j);
            QVERIFY(!partRows.empty());
            QVERIFY(torch::equal(part->rowsAt(partRows), whole->rowsAt(wholeRows)));
        }
    }
    // Merging again is idempotent and removes the parts.
    QCOMPARE(run({"-w", ws2, "-q", "extract", "--dataset", "tiny", "--merge-shards", "2"}, &out), 0);
    QVERIFY(!std::filesystem::exists(ws2.toStdString() + "/embeddings") || [&] {
        for (const auto& e : std::filesystem::directory_iterator(ws2.toStdString() + "/embeddings"))
            if (e.path().extension() == ".parts")
                return false;
        return true;
    }());
    QCOMPARE(run({"-w", ws2, "extract", "--dataset", "tiny", "--shard", "2/2"}, nullptr, &err), 1);
    QVERIFY2(err.contains("shard index must be in [0, 2)"), err.constData());

    auto a = Workspace::open(m_ws.toStdString(), true);
    auto b = Workspace::open(ws2.toStdString(), true);
    const auto sa = EmbeddingCatalog(a->database()).list(), sb = EmbeddingCatalog(b->database()).list();
    QCOMPARE(int(sb.size()), 1);
    const auto& ea = sa.back();
    const auto& eb = sb.front();
    QCOMPARE(eb.done, ea.done);
    QCOMPARE(eb.rows, ea.rows);
    auto storeA = EmbeddingStore::open(a->dir() + "/" + ea.path);
    auto storeB = EmbeddingStore::open(b->dir() + "/" + eb.path);
    const auto rows = storeA->rowsIn(EmbeddingStore::RowState::Done);
    QCOMPARE(storeB->rowsIn(EmbeddingStore::RowState::Done), rows);
    // Sharded and unsharded extractions embed each clip with the same teacher but in batches of
    // other clips, and kernels (oneDNN, OpenBLAS) pick their code path by batch size and CPU: the
    // rows agree to float32 rounding, not bit for bit. The demo teacher is a few tanh layers over
    // log-mel patches: each output is a chain of dot products of length ≤ 4,096. Summed in two
    // orders, a dot product differs by at most 2·n·2^-24·Σ|a_i b_i| ≈ 5e-4 of Σ|a_i b_i| (the
    // worst case), typically by sqrt(n)·2^-24 ≈ 4e-6 per layer (measured: up to 7e-6 of the row's
    // largest value). 1e-4 lies between the two; a row of another clip differs by ~0.5.
    const at::Tensor xa = storeA->rowsAt(rows).to(at::kDouble), xb = storeB->rowsAt(rows).to(at::kDouble);
    const at::Tensor scale = xa.abs().amax(1, true);
    const double worst = ((xa - xb).abs() / scale).max().item<double>();
    qInfo("sharded vs unsharded extraction: largest difference %.2e of the row's scale", worst);
    QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
}

QTEST_GUILESS_MAIN(tst_CliDistributed)
#include "tst_CliDistributed.moc"
