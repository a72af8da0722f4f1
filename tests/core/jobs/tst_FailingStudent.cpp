// SPDX-License-Identifier: GPL-3.0-or-later
// A student whose forward throws on some inputs (as a network does on an input its strides cannot
// take), in the jobs that run a student on user data: training stops with a one-line message and a
// failed run, nothing saved is lost; evaluation records the clips it fails on and probes the others;
// the agreement profile fails with a message. No job takes the process down.

#include "audio/AudioFile.h"
#include "data/DatasetCatalog.h"
#include "data/DatasetScanner.h"
#include "data/DemoDataset.h"
#include "data/EmbeddingCatalog.h"
#include "data/EmbeddingStore.h"
#include "experiments/Database.h"
#include "experiments/JobLog.h"
#include "experiments/RunLog.h"
#include "jobs/EvaluateJob.h"
#include "jobs/ExtractJob.h"
#include "jobs/ProfileJob.h"
#include "jobs/TrainJob.h"
#include "students/MobileNetV3.h"
#include "students/StudentRegistry.h"
#include "util/Error.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "workspace/Workspace.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <atomic>
#include <filesystem>

using namespace ssondo;
namespace fs = std::filesystem;

namespace {

/// When set, the student refuses every input (a model that broke after training).
std::atomic<bool> g_refuseAll{false};

/// mn10 at width 0.4 that refuses an input whose log-mel is flat (digital silence), the way a
/// network refuses an input too small for its kernels: with a c10::Error from TORCH_CHECK.
class PickyStudent : public StudentBackbone
{
public:
    PickyStudent() { m_net = register_module("net", MobileNetV3(MobileNetV3Options().width_mult(0.4))); }
    at::Tensor forward(at::Tensor mel) override
    {
        const at::Tensor flat =
            std::get<0>(mel.flatten(1).aminmax(1)) == std::get<1>(mel.flatten(1).aminmax(1));
        TORCH_CHECK(!g_refuseAll && !flat.any().item<bool>(),
                    "Calculated padded input size per channel: (0 x 0). Kernel size: (3 x 3). "
                    "Kernel size can't be greater than actual input size");
        return m_net->forward(mel);
    }
    std::int64_t embeddingDim() const override { return m_net->embeddingDim(); }
    std::string architecture() const override { return "picky"; }

private:
    MobileNetV3 m_net{nullptr};
};

void writeSilence(const std::string& path)
{
    std::vector<float> zeros(32000, 0.0f);
    AudioFile::write(path, zeros, 32000, 1);
}

} // namespace

class tst_FailingStudent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void trainingStopsWithAMessage();
    void evaluationSkipsTheClipsItFailsOn();
    void profileFailsWithAMessage();

private:
    TrainConfig config(const std::string& dataset) const;
    void checkIntegrity() const;
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    StopToken m_stop;
};

void tst_FailingStudent::initTestCase()
{
    StudentRegistry::instance().add(
        {"picky", "test", "mn10 that refuses silent input", 0, 0, {1, 128, 100}, "test"},
        [](const StudentOptions&) { return std::make_shared<PickyStudent>(); });
    const std::string data = (m_dir.path() + "/data").toStdString();
    DemoDatasetOptions o;
    o.clipsPerClass = 3;
    o.minSeconds = 1.0;
    o.maxSeconds = 1.5;
    DemoDataset::generate(data, o);
    m_ws = Workspace::create((m_dir.path() + "/ws").toStdString());
    ScanOptions csv;
    csv.labels = LabelSource::Csv;
    csv.csvPath = data + "/labels.csv";
    DatasetCatalog(m_ws->database()).save("clean", DatasetScanner::scan(data, csv), csv);
    // The same clips plus silent ones (labels from the CSV: the silent clips have none).
    fs::create_directories(data + "/silence");
    for (int i = 0; i < 3; ++i)
        writeSilence(data + "/silence/silent_" + std::to_string(i) + ".wav");
    DatasetCatalog(m_ws->database()).save("with-silence", DatasetScanner::scan(data, csv), csv);
    for (const char* ds : {"clean", "with-silence"}) {
        ExtractConfig ec;
        ec.dataset = ds;
        ExtractJob::run(*m_ws, ec, nullProgressSink(), m_stop);
    }
}

TrainConfig tst_FailingStudent::config(const std::string& dataset) const
{
    TrainConfig c;
    c.dataset = dataset;
    c.arch = "picky";
    c.clipSeconds = 1.0;
    c.batchSize = 8;
    c.epochs = 1;
    c.samplesPerEpoch = 48;
    c.workers = 1;
    return c;
}

void tst_FailingStudent::checkIntegrity() const
{
    auto s = m_ws->database().prepare("PRAGMA integrity_check");
    QVERIFY(s.step());
    QCOMPARE(QString::fromStdString(s.columnText(0)), QStringLiteral("ok"));
}

void tst_FailingStudent::trainingStopsWithAMessage()
{
    // 48 draws from 42 clips of which 3 are silent: a batch meets one and the forward throws.
    QString message;
    try {
        TrainJob::run(*m_ws, config("with-silence"), "test", nullProgressSink(), m_stop);
    } catch (const std::exception& e) {
        message = QString::fromUtf8(e.what());
    }
    QVERIFY2(message.contains("Kernel size can't be greater than actual input size"), qPrintable(message));
    const RunRecord run = RunLog(m_ws->database()).list().back();
    QCOMPARE(QString::fromStdString(runStatuses().nameOf(run.status)), QStringLiteral("failed"));
    // What the workspace keeps is one line a user can read, not LibTorch's C++ backtrace.
    const QString recorded = QString::fromStdString(run.message);
    QVERIFY2(recorded.contains("Kernel size") && !recorded.contains('\n') &&
                 !recorded.contains("Exception raised from"),
             qPrintable(recorded));
    QCOMPARE(QString::fromStdString(jobStates().nameOf(JobLog(m_ws->database()).list(1).front().state)),
             QStringLiteral("failed"));
    checkIntegrity();
}

void tst_FailingStudent::evaluationSkipsTheClipsItFailsOn()
{
    const TrainResult trained = TrainJob::run(*m_ws, config("clean"), "test", nullProgressSink(), m_stop);
    QVERIFY(trained.runId > 0);
    EvaluateConfig ec;
    ec.task = "with-silence";
    ec.runId = trained.runId;
    ec.workers = 1;
    const EvaluateResult r = EvaluateJob::run(*m_ws, ec, nullProgressSink(), m_stop);
    // The student's embeddings of the task: the three silent clips failed with the student's
    // message, every other clip embedded, and the probe ran on the labelled ones.
    std::optional<EmbeddingSetRecord> set;
    for (const auto& s : EmbeddingCatalog(m_ws->database()).list())
        if (s.teacherKind == "student")
            set = s;
    QVERIFY(set);
    QCOMPARE(set->failed, std::int64_t(3));
    QCOMPARE(set->done, set->rows - 3);
    auto store = EmbeddingStore::open(m_ws->dir() + "/" + set->path);
    for (const auto& [row, why] : store->errors()) {
        QVERIFY2(store->info().clipPaths[std::size_t(row)].find("silence/") == 0, why.c_str());
        QVERIFY2(why.find("Kernel size") != std::string::npos && why.find('\n') == std::string::npos,
                 why.c_str());
    }
    QVERIFY(r.evaluation.mean > 0);
    QCOMPARE(r.evaluation.clips, std::int64_t(39));
    checkIntegrity();
}

void tst_FailingStudent::profileFailsWithAMessage()
{
    // The agreement profile runs the student on the run's held-out clips: a student that fails
    // there fails the job, with the student's message and a failed job row.
    std::int64_t run = 0;
    for (const auto& r : RunLog(m_ws->database()).list())
        if (r.status == RunStatus::Done)
            run = r.id;
    QVERIFY(run > 0);
    g_refuseAll = true;
    ProfileConfig pc;
    pc.runId = run;
    pc.latencyRuns = 1;
    pc.workers = 1;
    QString message;
    try {
        ProfileJob::run(*m_ws, pc, nullProgressSink(), m_stop);
    } catch (const std::exception& e) {
        message = QString::fromUtf8(e.what());
    }
    g_refuseAll = false;
    QVERIFY2(message.contains("Kernel size"), qPrintable(message));
    const JobRecord job = JobLog(m_ws->database()).list(1).front();
    QCOMPARE(QString::fromStdString(jobStates().nameOf(job.state)), QStringLiteral("failed"));
    QVERIFY2(!QString::fromStdString(job.message).contains("Exception raised from"), job.message.c_str());
    checkIntegrity();
}

QTEST_GUILESS_MAIN(tst_FailingStudent)
#include "tst_FailingStudent.moc"
