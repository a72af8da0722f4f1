// SPDX-License-Identifier: GPL-3.0-or-later
// Extraction end to end on a small synthetic dataset: every clip embedded, bad clips listed and
// not fatal, a second run makes no teacher forward pass, a stopped run resumes, precomputed
// embeddings are matched by clip name.

#include "data/DatasetCatalog.h"
#include "data/DatasetScanner.h"
#include "data/DemoDataset.h"
#include "data/EmbeddingCatalog.h"
#include "data/EmbeddingStore.h"
#include "data/NpyFile.h"
#include "experiments/JobLog.h"
#include "jobs/ExtractJob.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "workspace/Workspace.h"

#include <ATen/ATen.h>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>
#include <mutex>

using namespace ssondo;
namespace fs = std::filesystem;

namespace {
/// Stops the job after `after` progress reports.
class StoppingSink : public ProgressSink
{
public:
    StoppingSink(StopToken& stop, int after) : m_stop(stop), m_after(after) {}
    void progress(const std::string&, std::int64_t done, std::int64_t) override
    {
        if (done >= m_after)
            m_stop.request();
    }
    void warning(const std::string& m, const std::string& where) override
    {
        std::lock_guard<std::mutex> l(mutex);
        warnings.push_back(where + ": " + m);
    }
    std::vector<std::string> warnings;
    std::mutex mutex;

private:
    StopToken& m_stop;
    int m_after;
};
} // namespace

class tst_ExtractJob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void extractsAndCaches();
    void stopsAndResumes();
    void precomputedNpy();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    int m_clips = 0;
};

void tst_ExtractJob::initTestCase()
{
    m_ws = Workspace::create((m_dir.path() + "/ws").toStdString());
    const std::string data = (m_dir.path() + "/data").toStdString();
    DemoDatasetOptions o;
    o.clipsPerClass = 2;
    o.minSeconds = 0.5;
    o.maxSeconds = 12.0; // some clips need two 10 s segments
    DemoDataset::generate(data, o);
    std::ofstream(data + "/organ/broken.wav") << "RIFF....WAVEfmt garbage";
    ScanOptions so;
    const auto scan = DatasetScanner::scan(data, so);
    m_clips = int(scan.clips.size());
    DatasetCatalog(m_ws->database()).save("small", scan, so);
}

void tst_ExtractJob::extractsAndCaches()
{
    ExtractConfig cfg;
    cfg.teacher.source = "demo";
    cfg.dataset = "small";
    cfg.batchSize = 4;
    StopToken stop;
    StoppingSink sink(stop, 1 << 30);
    const ExtractResult r = ExtractJob::run(*m_ws, cfg, sink, stop);
    QCOMPARE(r.rows, std::int64_t(m_clips));
    QCOMPARE(r.failed, std::int64_t(1));
    QCOMPARE(r.done, std::int64_t(m_clips - 1));
    QVERIFY(r.segments > r.computedNow); // long clips were cut into several segments
    QVERIFY(r.forwards > 0);
    QVERIFY(std::any_of(sink.warnings.begin(), sink.warnings.end(), [](const std::string& w) {
        return w.find("organ/broken.wav") != std::string::npos;
    }));
    const auto rec = EmbeddingCatalog(m_ws->database()).get(r.embeddingSetId);
    QCOMPARE(rec.done, r.done);
    QCOMPARE(rec.dim, std::int64_t(3840));
    auto store = EmbeddingStore::open((fs::path(m_ws->dir()) / rec.path).string());
    QVERIFY(store->complete());
    const at::Tensor x = store->rowsAt(store->rowsIn(EmbeddingStore::RowState::Done));
    QVERIFY(at::isfinite(x).all().item<bool>());

    // Nothing new: no forward pass at all.
    const ExtractResult again = ExtractJob::run(*m_ws, cfg, sink, stop);
    QCOMPARE(again.forwards, std::int64_t(0));
    QCOMPARE(again.computedNow, std::int64_t(0));
    QCOMPARE(again.embeddingSetId, r.embeddingSetId);
    QCOMPARE(jobStates().nameOf(JobLog(m_ws->database()).list(1)[0].state), std::string("done"));
}

void tst_ExtractJob::stopsAndResumes()
{
    ExtractConfig cfg;
    cfg.teacher.source = "demo";
    cfg.dataset = "small";
    cfg.dtype = "float16";
    cfg.batchSize = 2;
    cfg.workers = 1;
    StopToken stop;
    StoppingSink stopping(stop, 6);
    const ExtractResult first = ExtractJob::run(*m_ws, cfg, stopping, stop);
    QVERIFY(first.stopped);
    QVERIFY(first.done < first.rows - 1);
    QCOMPARE(jobStates().nameOf(JobLog(m_ws->database()).list(1)[0].state), std::string("stopped"));
    StopToken fresh;
    StoppingSink sink(fresh, 1 << 30);
    const ExtractResult second = ExtractJob::run(*m_ws, cfg, sink, fresh);
    QVERIFY(!second.stopped);
    QCOMPARE(second.done, std::int64_t(m_clips - 1));
    QCOMPARE(second.computedNow, second.done - first.done); // only the rest was embedded
}

void tst_ExtractJob::precomputedNpy()
{
    // Export the demo embeddings as a .npy matrix + index, then import them as a precomputed teacher.
    const auto sets = EmbeddingCatalog(m_ws->database()).list();
    auto store = EmbeddingStore::open((fs::path(m_ws->dir()) / sets.front().path).string());
    const auto done = store->rowsIn(EmbeddingStore::RowState::Done);
    const at::Tensor x = store->rowsAt(done).contiguous();
    const std::string npy = (m_dir.path() + "/m.npy").toStdString(),
                      csv = (m_dir.path() + "/m.csv").toStdString();
    NpyFile::write(npy, {x.size(0), x.size(1)}, x.data_ptr<float>());
    std::ofstream index(csv);
    index << "path\n";
    for (auto r : done)
        index << store->info().clipPaths[size_t(r)] << "\n";
    index.close();

    ExtractConfig cfg;
    cfg.teacher.source = npy;
    cfg.teacher.indexCsv = csv;
    cfg.dataset = "small";
    StopToken stop;
    StoppingSink sink(stop, 1 << 30);
    const ExtractResult r = ExtractJob::run(*m_ws, cfg, sink, stop);
    QCOMPARE(r.done, std::int64_t(done.size()));
    QCOMPARE(r.forwards, std::int64_t(0));
    auto imported = EmbeddingStore::open((fs::path(m_ws->dir()) / r.path).string());
    QVERIFY(at::allclose(imported->rowsAt(done), x));
}

QTEST_GUILESS_MAIN(tst_ExtractJob)
#include "tst_ExtractJob.moc"
