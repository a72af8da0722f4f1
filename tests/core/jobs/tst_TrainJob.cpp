// SPDX-License-Identifier: GPL-3.0-or-later
// Training end to end on a tiny synthetic dataset: metrics in the log, same seed same curve,
// a stopped run resumes from its checkpoint onto the same curve, a damaged checkpoint is reported.

#include "data/DatasetCatalog.h"
#include "data/DatasetScanner.h"
#include "data/DemoDataset.h"
#include "data/EmbeddingCatalog.h"
#include "data/EmbeddingStore.h"
#include "distill/TargetNorm.h"
#include "distill/TrainingData.h"
#include "experiments/RunLog.h"
#include "jobs/ClusterJob.h"
#include "jobs/ExtractJob.h"
#include "jobs/TrainJob.h"
#include "util/Error.h"
#include "util/Hash.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "workspace/Workspace.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

using namespace ssondo;
namespace fs = std::filesystem;

namespace {
class StopAfter : public ProgressSink
{
public:
    StopAfter(StopToken& stop, std::int64_t steps) : m_stop(stop), m_steps(steps) {}
    void progress(const std::string& stage, std::int64_t done, std::int64_t) override
    {
        if (stage == "train" && done >= m_steps)
            m_stop.request();
    }

private:
    StopToken& m_stop;
    std::int64_t m_steps;
};
} // namespace

class tst_TrainJob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void trainsAndLogs();
    void sameSeedSameCurve();
    void resumeGivesSameCurve();
    void damagedCheckpointIsReported();
    void balancedSamplerAndClusterLoss();
    void targetNormIsFittedSavedAndUsed();

private:
    std::unique_ptr<Workspace> makeWorkspace(const QString& name);
    TrainConfig config() const;
    std::vector<double> curve(Workspace& ws, std::int64_t run, const std::string& name);
    QTemporaryDir m_dir;
    std::string m_data;
};

void tst_TrainJob::initTestCase()
{
    m_data = (m_dir.path() + "/data").toStdString();
    DemoDatasetOptions o;
    o.clipsPerClass = 2;
    o.minSeconds = 1.0;
    o.maxSeconds = 2.0;
    DemoDataset::generate(m_data, o);
}

std::unique_ptr<Workspace> tst_TrainJob::makeWorkspace(const QString& name)
{
    auto ws = Workspace::create((m_dir.path() + "/" + name).toStdString());
    ScanOptions so;
    DatasetCatalog(ws->database()).save("tiny", DatasetScanner::scan(m_data, so), so);
    ExtractConfig ec;
    ec.dataset = "tiny";
    StopToken stop;
    ExtractJob::run(*ws, ec, nullProgressSink(), stop);
    return ws;
}

TrainConfig tst_TrainJob::config() const
{
    TrainConfig c;
    c.dataset = "tiny";
    c.width = 0.4;
    c.clipSeconds = 2.0;
    c.batchSize = 4;
    c.epochs = 3;
    c.valFraction = 0.2;
    c.schedule = "constant";
    c.lr = 1e-3;
    c.logEvery = 1;
    c.checkpointEvery = 3;
    c.workers = 2;
    c.mixup = 0.3; // exercise the seeded augmentations too
    c.specAugment = true;
    c.freqMask = 8;
    c.timeMask = 20;
    return c;
}

std::vector<double> tst_TrainJob::curve(Workspace& ws, std::int64_t run, const std::string& name)
{
    std::vector<double> v;
    for (const auto& p : RunLog(ws.database()).metrics(run, name))
        v.push_back(p.value);
    return v;
}

void tst_TrainJob::trainsAndLogs()
{
    auto ws = makeWorkspace("a");
    StopToken stop;
    const TrainResult r = TrainJob::run(*ws, config(), "test", nullProgressSink(), stop);
    QVERIFY(!r.stopped);
    QCOMPARE(r.epochsDone, std::int64_t(3));
    QVERIFY(r.steps > 0);
    QCOMPARE(r.valClips + r.trainClips, std::int64_t(26));
    QVERIFY(r.backboneParams > 0);
    QCOMPARE(r.headParams, std::int64_t(384 * 1280 + 1280 + 1280 * 3840 + 3840)); // mn04: 384-d embedding
    QCOMPARE(curve(*ws, r.runId, "val_cosine").size(), size_t(3));
    QCOMPARE(curve(*ws, r.runId, "lr").size(), size_t(3));
    QCOMPARE(curve(*ws, r.runId, "baseline_val_cosine").size(), size_t(1));
    QCOMPARE(std::int64_t(curve(*ws, r.runId, "train_loss").size()), r.steps); // log_every = 1
    const RunRecord rec = RunLog(ws->database()).get(r.runId);
    QCOMPARE(runStatuses().nameOf(rec.status), std::string("done"));
    QVERIFY(fs::exists(fs::path(ws->dir()) / rec.dir / "checkpoint.pt"));
    QVERIFY(fs::exists(fs::path(ws->dir()) / rec.dir / "config.toml"));
    // The checkpoint is recorded as an artifact with its SHA-256.
    const auto arts = RunLog(ws->database()).artifacts(r.runId);
    QCOMPARE(int(arts.size()), 1);
    QCOMPARE(arts[0].kind, std::string("checkpoint"));
    const std::string ckpt = (fs::path(ws->dir()) / arts[0].path).string();
    QCOMPARE(arts[0].sha256, sha256File(ckpt));
    QCOMPARE(arts[0].bytes, std::int64_t(fs::file_size(ckpt)));
    // The same config again is a finished run: a new run is created, not resumed.
    const TrainResult again = TrainJob::run(*ws, config(), "test", nullProgressSink(), stop);
    QVERIFY(again.runId != r.runId);
    QVERIFY(!again.resumed);
}

void tst_TrainJob::sameSeedSameCurve()
{
    auto ws1 = makeWorkspace("s1");
    auto ws2 = makeWorkspace("s2");
    StopToken stop;
    TrainConfig c = config();
    c.epochs = 2;
    const auto r1 = TrainJob::run(*ws1, c, "test", nullProgressSink(), stop);
    const auto r2 = TrainJob::run(*ws2, c, "test", nullProgressSink(), stop);
    const auto a = curve(*ws1, r1.runId, "train_loss"), b = curve(*ws2, r2.runId, "train_loss");
    QCOMPARE(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i)
        QVERIFY2(std::abs(a[i] - b[i]) < 1e-6,
                 qPrintable(QString("step %1: %2 vs %3").arg(i).arg(a[i]).arg(b[i])));
    c.seed = 7;
    const auto r3 = TrainJob::run(*ws1, c, "test", nullProgressSink(), stop);
    QVERIFY(curve(*ws1, r3.runId, "train_loss") != a);
}

void tst_TrainJob::resumeGivesSameCurve()
{
    auto full = makeWorkspace("full");
    auto cut = makeWorkspace("cut");
    StopToken none;
    const auto ref = TrainJob::run(*full, config(), "test", nullProgressSink(), none);

    // Stop after 4 steps (checkpoint at step 3, then the stop writes one at step 4), then run again.
    StopToken stop;
    StopAfter after(stop, 4);
    const auto first = TrainJob::run(*cut, config(), "test", after, stop);
    QVERIFY(first.stopped);
    QCOMPARE(runStatuses().nameOf(RunLog(cut->database()).get(first.runId).status), std::string("stopped"));
    StopToken fresh;
    const auto second = TrainJob::run(*cut, config(), "test", nullProgressSink(), fresh);
    QVERIFY(second.resumed);
    QCOMPARE(second.runId, first.runId);
    QVERIFY(!second.stopped);
    for (const char* name : {"train_loss", "val_cosine", "val_loss"}) {
        const auto a = curve(*full, ref.runId, name), b = curve(*cut, second.runId, name);
        QCOMPARE(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i)
            QVERIFY2(std::abs(a[i] - b[i]) < 1e-5,
                     qPrintable(QString("%1[%2]: %3 vs %4").arg(name).arg(i).arg(a[i]).arg(b[i])));
    }
}

void tst_TrainJob::damagedCheckpointIsReported()
{
    auto ws = makeWorkspace("d");
    StopToken stop;
    StopAfter after(stop, 2);
    TrainConfig c = config();
    c.checkpointEvery = 1;
    const auto first = TrainJob::run(*ws, c, "test", after, stop);
    const fs::path ckpt = fs::path(ws->dir()) / RunLog(ws->database()).get(first.runId).dir / "checkpoint.pt";
    std::ofstream(ckpt, std::ios::trunc) << "garbage";
    StopToken fresh;
    try {
        TrainJob::run(*ws, c, "test", nullProgressSink(), fresh);
        QFAIL("loaded a damaged checkpoint");
    } catch (const InputError& e) {
        QVERIFY2(QString(e.what()).contains("checkpoint.pt"), e.what());
    }
}

void tst_TrainJob::balancedSamplerAndClusterLoss()
{
    auto ws = makeWorkspace("balanced");
    StopToken stop;
    ClusterConfig cc;
    cc.embeddings = 1;
    cc.kmeans.k = 5;
    const auto clusterings = ClusterJob::run(*ws, cc, nullProgressSink(), stop);
    QCOMPARE(clusterings.size(), size_t(1));
    TrainConfig c = config();
    c.epochs = 1;
    c.sampler = "balanced";
    c.loss = "cluster_contrastive";
    c.clustering = clusterings[0].id;
    const auto r = TrainJob::run(*ws, c, "test", nullProgressSink(), stop);
    QVERIFY(!r.stopped);
    QVERIFY(std::isfinite(r.lastValLoss) && r.lastValLoss > 0);
    QCOMPARE(RunLog(ws->database()).get(r.runId).clusteringId, clusterings[0].id);
    c.clustering = 999;
    QVERIFY_THROWS_EXCEPTION(InputError, TrainJob::run(*ws, c, "test", nullProgressSink(), stop));
}

QTEST_GUILESS_MAIN(tst_TrainJob)
void tst_TrainJob::targetNormIsFittedSavedAndUsed()
{
    auto ws = makeWorkspace("norm");
    TrainConfig c = config();
    c.epochs = 1;
    c.mixup = 0;
    c.targetNorm = "standardize";
    StopToken stop;
    const TrainResult r = TrainJob::run(*ws, c, "test", nullProgressSink(), stop);
    QVERIFY(!r.stopped);
    // Predicting the mean of standardised targets is predicting the origin: baseline 0.
    QCOMPARE(r.baselineValCosine, 0.0);
    // The statistics saved with the run are those of its training rows (float64 sums of float32
    // rows rounded to float32: 1e-6 relative).
    const RunRecord rec = RunLog(ws->database()).get(r.runId);
    const std::string runDir = (fs::path(ws->dir()) / rec.dir).string();
    const EmbeddingSetRecord set = EmbeddingCatalog(ws->database()).list().front();
    const TargetNorm saved = TargetNorm::ofRun("standardize", runDir, set.dim);
    auto store = EmbeddingStore::open((fs::path(ws->dir()) / set.path).string());
    const auto split = splitTrainVal(store->rowsIn(EmbeddingStore::RowState::Done), c.seed, c.valFraction);
    const at::Tensor train = store->rowsAt(split.train).to(at::kDouble);
    QVERIFY(at::allclose(saved.mean.to(at::kDouble), train.mean(0), 1e-6, 1e-6));
    QVERIFY(at::allclose(saved.scale.to(at::kDouble), train.std(0, false), 1e-5, 1e-6));
    // Resumed or not, the run trains against (t - mean) / sd: a config with another norm is another run.
    TrainConfig plain = c;
    plain.targetNorm = "none";
    QVERIFY(plain.hash() != c.hash());
    QVERIFY(curve(*ws, r.runId, "val_cosine").size() == 1);
}

#include "tst_TrainJob.moc"
