// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/ExtractJob.h"

#include "audio/ClipLoader.h"
#include "data/DatasetCatalog.h"
#include "data/EmbeddingCatalog.h"
#include "data/EmbeddingStore.h"
#include "experiments/JobLog.h"
#include "util/AtomicFile.h"
#include "util/BoundedQueue.h"
#include "util/Device.h"
#include "util/Error.h"
#include "util/ErrorText.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "util/ThreadGroup.h"
#include "util/Threads.h"
#include "workspace/Workspace.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

namespace fs = std::filesystem;

namespace ssondo {

namespace {

using Clock = std::chrono::steady_clock;

/// A clip decoded into the teacher's windows, or the reason it could not be.
struct Loaded
{
    std::size_t index = 0; ///< position in the rows to do
    std::int64_t row = 0;
    at::Tensor segments; // [S, W], undefined on failure
    std::string error;
};

/// Lets decoders run at most `ahead` clips ahead of the one the teacher needs next: the clips are
/// embedded in order, and a slow clip must not make the others pile up in memory meanwhile.
class Lookahead
{
public:
    explicit Lookahead(std::size_t ahead) : m_ahead(ahead), m_limit(ahead) {}

    /// Waits until clip `i` may be decoded; false once closed.
    bool waitFor(std::size_t i)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_cv.wait(lock, [&] { return m_closed || i < m_limit; });
        return !m_closed;
    }
    /// Clips before `next` are consumed.
    void advance(std::size_t next)
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_limit = next + m_ahead;
        }
        m_cv.notify_all();
    }
    void close()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_closed = true;
        }
        m_cv.notify_all();
    }

private:
    std::size_t m_ahead, m_limit;
    bool m_closed = false;
    std::mutex m_mutex;
    std::condition_variable m_cv;
};

std::string safeName(std::string s)
{
    for (char& c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
            c = '_';
    return s;
}

std::string hostName()
{
    char buf[256] = {0};
    ::gethostname(buf, sizeof buf - 1);
    return buf;
}

std::int64_t unixSeconds(std::chrono::system_clock::time_point t)
{
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

/// One run of ExtractJob::run: the state its steps share.
class Extraction
{
public:
    Extraction(Workspace& ws, const ExtractConfig& cfg, ProgressSink& sink, const StopToken& stop)
        : m_ws(ws), m_cfg(cfg), m_sink(sink), m_stop(stop), m_catalog(ws.database()), m_jobs(ws.database())
    {
    }

    ExtractResult run();

private:
    void checkConfig() const;
    void openTeacher();
    void openStore();
    void record();
    std::vector<std::int64_t> rowsToDo();
    void embedPrecomputed(const std::vector<std::int64_t>& todo);
    void embedWithModel(const std::vector<std::int64_t>& todo);
    void decode(const std::vector<std::int64_t>& todo, std::atomic<std::size_t>& next, Lookahead& window,
                BoundedQueue<Loaded>& queue) const;
    void embedPending(std::vector<Loaded>& pending);
    at::Tensor forward(const at::Tensor& segments);
    void embedOneByOne(std::vector<Loaded>& pending);
    void keep(const Loaded& clip, const at::Tensor& embeddings);
    void fail(std::int64_t row, const std::string& why);
    void report(bool force);
    void writeProgress(JobState state, double rate) const;
    void recordFailure(const std::string& why);
    ExtractResult finish();
    const std::string& clipPath(std::int64_t row) const
    {
        return m_clips[std::size_t(m_clipOf[std::size_t(row)])].path;
    }
    double rate() const;

    Workspace& m_ws;
    const ExtractConfig& m_cfg;
    ProgressSink& m_sink;
    const StopToken& m_stop;
    EmbeddingCatalog m_catalog;
    JobLog m_jobs;
    const Clock::time_point m_t0 = Clock::now();
    const std::chrono::system_clock::time_point m_started = std::chrono::system_clock::now();

    DatasetRecord m_dataset;
    std::vector<ClipInfo> m_clips;
    std::shared_ptr<Teacher> m_teacher;
    bool m_precomputed = false, m_sharded = false;
    std::vector<std::int64_t> m_clipOf; ///< store row → dataset position
    std::string m_setFolder, m_folder;  ///< the set's folder, and the one this run writes (a shard's part)
    std::unique_ptr<EmbeddingStore> m_store, m_merged;
    std::int64_t m_setId = 0, m_jobId = 0;
    std::int64_t m_alreadyDone = 0, m_failed = 0, m_processed = 0, m_batches = 0;
    Clock::time_point m_lastFlush = Clock::now();
    ExtractResult m_res;
};

void Extraction::checkConfig() const
{
    if (m_cfg.batchSize < 1)
        throw InputError("--batch-size must be at least 1 (got " + std::to_string(m_cfg.batchSize) + ")");
    if (m_sharded && (m_cfg.shardIndex < 0 || m_cfg.shardIndex >= m_cfg.shardCount))
        throw InputError("--shard " + std::to_string(m_cfg.shardIndex) + "/" +
                         std::to_string(m_cfg.shardCount) + ": the shard index must be in [0, " +
                         std::to_string(m_cfg.shardCount) + ")");
}

void Extraction::openTeacher()
{
    m_teacher = m_cfg.model ? m_cfg.model : std::shared_ptr<Teacher>(ssondo::openTeacher(m_cfg.teacher));
    m_precomputed = m_teacher->kind() == TeacherKind::Precomputed;
    const std::string device = m_precomputed ? "cpu" : resolveDevice(m_cfg.device);
    m_teacher->to(device);
    m_sink.info("Teacher: " + m_teacher->description() + (m_precomputed ? "" : " on " + device));
}

void Extraction::openStore()
{
    EmbeddingStoreInfo info;
    info.teacherIdentity = m_teacher->identity();
    info.teacherDescription = m_teacher->description();
    info.teacherKind = teacherKindName(m_teacher->kind());
    info.datasetName = m_dataset.name;
    info.datasetVersion = m_dataset.version;
    info.dim = m_teacher->embeddingDim();
    info.dtype = m_cfg.dtype;
    // Store row → dataset position: all of them, or a shard's every N-th from I.
    for (std::size_t i = 0; i < m_clips.size(); ++i)
        if (!m_sharded || std::int64_t(i) % m_cfg.shardCount == m_cfg.shardIndex) {
            info.clipPaths.push_back(m_clips[i].path);
            m_clipOf.push_back(std::int64_t(i));
        }
    m_setFolder =
        ExtractJob::storeFolder(m_dataset.name, m_dataset.version, m_teacher->identity(), m_cfg.dtype);
    m_folder =
        m_sharded ? ExtractJob::shardFolder(m_setFolder, m_cfg.shardIndex, m_cfg.shardCount) : m_setFolder;
    m_store = EmbeddingStore::openOrCreate((fs::path(m_ws.dir()) / m_folder).string(), info);
    // A shard skips what an earlier unsharded run (or merge) already put in the set.
    if (m_sharded && fs::exists(fs::path(m_ws.dir()) / m_setFolder / "meta.json"))
        m_merged = EmbeddingStore::open((fs::path(m_ws.dir()) / m_setFolder).string());
}

/// An unsharded run records the set and a job; a shard leaves the database alone (shards run at
/// once on many nodes, and SQLite wants one writer).
void Extraction::record()
{
    if (m_sharded)
        return;
    EmbeddingSetRecord rec;
    rec.datasetId = m_dataset.id;
    rec.datasetVersion = m_dataset.version;
    rec.teacherIdentity = m_teacher->identity();
    rec.teacherKind = teacherKindName(m_teacher->kind());
    rec.teacherSource = m_cfg.teacher.source.empty() ? "demo" : m_cfg.teacher.source;
    rec.teacherDescription = m_teacher->description();
    rec.teacherParameters = m_teacher->parameterCount();
    rec.teacherSampleRate = m_teacher->sampleRate();
    rec.teacherWindow = m_teacher->windowSeconds();
    rec.dim = m_teacher->embeddingDim();
    rec.dtype = m_cfg.dtype;
    rec.rows = m_store->rows();
    rec.done = m_store->count(EmbeddingStore::RowState::Done);
    rec.failed = m_store->count(EmbeddingStore::RowState::Failed);
    rec.path = m_folder;
    rec.state = EmbeddingSetState::Extracting;
    m_setId = m_catalog.upsert(rec);
    m_jobId = m_jobs.start("extract", m_dataset.name, m_cfg.commandLine);
}

/// Rows to do: pending ones, plus failed ones on request. Unreadable clips fail at once.
std::vector<std::int64_t> Extraction::rowsToDo()
{
    std::vector<std::int64_t> todo;
    for (std::int64_t r = 0; r < m_store->rows(); ++r) {
        const auto st = m_store->state(r);
        if (st == EmbeddingStore::RowState::Done ||
            (st == EmbeddingStore::RowState::Failed && !m_cfg.retryFailed))
            continue;
        const std::int64_t pos = m_clipOf[std::size_t(r)];
        if (m_merged && m_merged->state(pos) == EmbeddingStore::RowState::Done) {
            m_store->write(r, m_merged->row(pos).contiguous().data_ptr<float>());
            continue;
        }
        const ClipInfo& clip = m_clips[std::size_t(pos)];
        if (!clip.readable()) {
            if (st != EmbeddingStore::RowState::Failed)
                m_store->markFailed(r, clip.error);
            m_sink.warning(clip.error, clip.path);
            continue;
        }
        todo.push_back(r);
    }
    return todo;
}

double Extraction::rate() const
{
    const double secs = std::chrono::duration<double>(Clock::now() - m_t0).count();
    return secs > 0 ? double(m_processed) / secs : 0.0;
}

void Extraction::report(bool force)
{
    const std::int64_t done = m_alreadyDone + m_res.computedNow;
    m_sink.progress("extract", done + m_failed, m_store->rows());
    if (!force && Clock::now() - m_lastFlush < std::chrono::seconds(2))
        return;
    m_store->flush();
    if (m_sharded) {
        writeProgress(JobState::Running, rate());
    } else {
        m_catalog.updateCounts(m_setId, done, m_failed);
        m_jobs.progress(m_jobId, done + m_failed, m_store->rows(), rate());
    }
    m_lastFlush = Clock::now();
}

void Extraction::writeProgress(JobState state, double clipsPerSecond) const
{
    const nlohmann::json j{{"shard", m_cfg.shardIndex},
                           {"shards", m_cfg.shardCount},
                           {"state", jobStates().nameOf(state)},
                           {"rows", m_store->rows()},
                           {"done", m_store->count(EmbeddingStore::RowState::Done)},
                           {"failed", m_store->count(EmbeddingStore::RowState::Failed)},
                           {"clips_per_s", clipsPerSecond},
                           {"host", hostName()},
                           {"pid", int(::getpid())},
                           {"started", unixSeconds(m_started)},
                           {"updated", unixSeconds(std::chrono::system_clock::now())}};
    writeFileAtomic((fs::path(m_ws.dir()) / m_folder / "progress.json").string(), j.dump(1) + "\n");
}

void Extraction::fail(std::int64_t row, const std::string& why)
{
    if (m_store->state(row) != EmbeddingStore::RowState::Failed)
        ++m_failed;
    m_store->markFailed(row, why);
    m_sink.warning(why, clipPath(row));
}

void Extraction::embedPrecomputed(const std::vector<std::int64_t>& todo)
{
    for (std::int64_t r : todo) {
        if (m_stop.requested())
            break;
        try {
            auto e = m_teacher->lookup(clipPath(r));
            if (!e)
                fail(r, "no precomputed embedding for this clip");
            else
                m_store->write(r, e->data_ptr<float>()), ++m_res.computedNow;
        } catch (const std::exception& e) {
            fail(r, errorText(e));
        }
        ++m_processed;
        report(false);
    }
}

/// Decoder thread: takes the next row to do, decodes it, queues it; stops when the rows run out,
/// at the stop token, or when the queue is closed. A clip that cannot be decoded is queued with
/// its reason; anything else escapes to the ThreadGroup.
void Extraction::decode(const std::vector<std::int64_t>& todo, std::atomic<std::size_t>& next,
                        Lookahead& window, BoundedQueue<Loaded>& queue) const
{
    useOneIntraOpThread(); // the teacher keeps the other cores
    const int sr = m_teacher->sampleRate();
    const double seconds = m_teacher->windowSeconds();
    for (;;) {
        const std::size_t i = next.fetch_add(1);
        if (i >= todo.size() || m_stop.requested() || !window.waitFor(i))
            return;
        Loaded item;
        item.index = i;
        item.row = todo[i];
        try {
            item.segments =
                loadSegments((fs::path(m_dataset.root) / clipPath(item.row)).string(), sr, seconds);
        } catch (const std::exception& e) {
            item.error = errorText(e);
        }
        if (!queue.push(std::move(item)))
            return;
    }
}

/// Decoding on worker threads, the teacher on this one, in batches of about batchSize segments.
void Extraction::embedWithModel(const std::vector<std::int64_t>& todo)
{
    // Choosing the teacher's fastest form costs about six forwards of 8 windows: worth it only
    // for a job of at least 20 times that (a short job keeps the module as exported).
    if (todo.size() >= 160) {
        const std::string chosen = m_teacher->optimizeForInference();
        if (!chosen.empty())
            m_sink.info(chosen);
    }
    const int workers = m_cfg.workers > 0 ? m_cfg.workers : std::max(1, logicalCores() - 1);
    const std::size_t ahead = std::size_t(4 * workers + m_cfg.batchSize);
    BoundedQueue<Loaded> queue(ahead);
    Lookahead window(ahead);
    std::atomic<std::size_t> next{0};
    std::atomic<int> running{workers};
    ThreadGroup decoders([&] { // destroyed (released, joined) before the queue and the window
        queue.close();
        window.close();
    });
    for (int w = 0; w < workers; ++w)
        decoders.spawn([&] {
            struct LastOneCloses
            {
                std::atomic<int>& running;
                BoundedQueue<Loaded>& queue;
                ~LastOneCloses()
                {
                    if (--running == 0)
                        queue.close();
                }
            } guard{running, queue};
            decode(todo, next, window, queue);
        });
    // Clips are batched in the order of the rows, whatever order the decoders finish in: the same
    // command gives the same batches, hence the same bits on the same machine and thread count.
    std::map<std::size_t, Loaded> arrived;
    std::size_t nextIndex = 0;
    std::vector<Loaded> pending;
    std::int64_t pendingSegments = 0;
    while (auto item = queue.pop()) {
        if (m_stop.requested())
            break;
        arrived.emplace(item->index, std::move(*item));
        for (auto it = arrived.find(nextIndex); it != arrived.end(); it = arrived.find(++nextIndex)) {
            Loaded clip = std::move(it->second);
            arrived.erase(it);
            window.advance(nextIndex + 1);
            if (!clip.error.empty()) {
                fail(clip.row, clip.error);
                ++m_processed;
                report(false);
                continue;
            }
            pendingSegments += clip.segments.size(0);
            pending.push_back(std::move(clip));
            if (pendingSegments >= m_cfg.batchSize) {
                embedPending(pending);
                pendingSegments = 0;
            }
        }
    }
    if (!m_stop.requested())
        embedPending(pending);
    queue.close();
    window.close();
    decoders.join(); // rethrows what a decoder threw that was not a clip's own failure
}

/// Segments [S, W] → embeddings [S, D], in forwards of at most batchSize segments.
at::Tensor Extraction::forward(const at::Tensor& segments)
{
    std::vector<at::Tensor> outs;
    for (std::int64_t s = 0; s < segments.size(0); s += m_cfg.batchSize) {
        outs.push_back(
            m_teacher->embed(segments.slice(0, s, std::min(segments.size(0), s + m_cfg.batchSize))));
        ++m_res.forwards;
    }
    return at::cat(outs, 0);
}

/// Embeds the pending clips together. When the teacher's forward fails on the batch, each clip
/// is embedded alone so that only the clips it fails on are lost; when its output breaks the
/// contract, the job stops naming the batch.
void Extraction::embedPending(std::vector<Loaded>& pending)
{
    if (pending.empty())
        return;
    ++m_batches;
    try {
        std::vector<at::Tensor> parts;
        for (const auto& p : pending)
            parts.push_back(p.segments);
        const at::Tensor emb = forward(at::cat(parts, 0));
        std::int64_t offset = 0;
        for (const auto& p : pending) {
            keep(p, emb.slice(0, offset, offset + p.segments.size(0)));
            offset += p.segments.size(0);
        }
    } catch (const TeacherFailure&) {
        embedOneByOne(pending);
    } catch (const TeacherContractError& e) {
        throw TeacherContractError(std::string(e.what()) + ", in batch " + std::to_string(m_batches) + " (" +
                                   std::to_string(pending.size()) + " clips from " +
                                   clipPath(pending.front().row) + ")");
    }
    pending.clear();
    report(false);
}

void Extraction::embedOneByOne(std::vector<Loaded>& pending)
{
    for (const auto& p : pending) {
        try {
            keep(p, forward(p.segments));
        } catch (const TeacherFailure& e) {
            fail(p.row, e.what());
            ++m_processed;
        } catch (const TeacherContractError& e) {
            throw TeacherContractError(std::string(e.what()) + ", on the clip " + clipPath(p.row) +
                                       " alone (batch " + std::to_string(m_batches) + ")");
        }
    }
}

/// Writes the clip's embedding, the mean over its segments' [S, D]; a non-finite one fails the clip.
void Extraction::keep(const Loaded& clip, const at::Tensor& embeddings)
{
    const at::Tensor mean = embeddings.mean(0).contiguous();
    ++m_processed;
    m_res.segments += embeddings.size(0);
    if (!at::isfinite(mean).all().item<bool>()) {
        fail(clip.row, "the teacher returned NaN or infinite values for this clip");
        return;
    }
    m_store->write(clip.row, mean.data_ptr<float>());
    ++m_res.computedNow;
}

/// Keeps what was embedded and records the failure with the set and the job.
void Extraction::recordFailure(const std::string& why)
{
    m_store->flush();
    const std::int64_t done = m_store->count(EmbeddingStore::RowState::Done);
    if (m_sharded) {
        writeProgress(JobState::Failed, 0.0);
        return;
    }
    m_catalog.updateCounts(m_setId, done, m_store->count(EmbeddingStore::RowState::Failed));
    if (done == 0)
        m_catalog.setState(m_setId, EmbeddingSetState::Failed, why);
    else
        m_catalog.setState(m_setId, EmbeddingSetState::Ready, "");
    m_jobs.finish(m_jobId, JobState::Failed, why);
}

ExtractResult Extraction::finish()
{
    m_res.failed = m_store->count(EmbeddingStore::RowState::Failed);
    report(true);
    m_res.done = m_store->count(EmbeddingStore::RowState::Done);
    m_res.stopped = m_stop.requested() && !m_store->complete();
    m_res.seconds = std::chrono::duration<double>(Clock::now() - m_t0).count();
    if (m_sharded) {
        writeProgress(m_res.stopped ? JobState::Stopped : JobState::Done,
                      m_res.seconds > 0 ? double(m_processed) / m_res.seconds : 0.0);
        return m_res;
    }
    if (m_res.done > 0) {
        m_catalog.setState(m_setId, EmbeddingSetState::Ready, "");
    } else if (m_store->complete()) {
        const auto errors = m_store->errors();
        const std::string first =
            errors.empty() ? std::string()
                           : "; the first: " + clipPath(errors.front().first) + ": " + errors.front().second;
        m_catalog.setState(m_setId, EmbeddingSetState::Empty,
                           "none of the " + std::to_string(m_res.rows) + " clips could be embedded" + first);
        m_sink.warning("no clip could be embedded; the set is marked empty and is not offered for clustering "
                       "or training",
                       m_folder);
    }
    m_jobs.finish(m_jobId, m_res.stopped ? JobState::Stopped : JobState::Done,
                  std::to_string(m_res.done) + " of " + std::to_string(m_res.rows) + " clips embedded, " +
                      std::to_string(m_res.failed) + " failed");
    return m_res;
}

ExtractResult Extraction::run()
{
    m_sharded = m_cfg.shardCount > 0;
    checkConfig();
    DatasetCatalog datasets(m_ws.database());
    m_dataset = datasets.get(m_cfg.dataset);
    m_clips = datasets.clips(m_dataset.id);
    openTeacher();
    openStore();
    record();
    const std::vector<std::int64_t> todo = rowsToDo();
    m_res.embeddingSetId = m_setId;
    m_res.path = m_folder;
    m_res.rows = m_store->rows();
    m_res.teacherDescription = m_teacher->description();
    m_alreadyDone = m_store->count(EmbeddingStore::RowState::Done);
    m_failed = m_store->count(EmbeddingStore::RowState::Failed); // counted once, then tracked
    try {
        if (m_precomputed)
            embedPrecomputed(todo);
        else
            embedWithModel(todo);
    } catch (const std::exception& e) {
        recordFailure(errorText(e));
        throw;
    }
    return finish();
}

} // namespace

std::string ExtractJob::storeFolder(const std::string& dataset, const std::string& version,
                                    const std::string& teacherIdentity, const std::string& dtype)
{
    return "embeddings/" +
           safeName(dataset + "-" + version + "__" + teacherIdentity + (dtype == "float16" ? "-f16" : ""));
}

std::string ExtractJob::shardFolder(const std::string& storeFolder, int index, int count)
{
    return storeFolder + ".parts/shard-" + std::to_string(index) + "-of-" + std::to_string(count);
}

ExtractResult ExtractJob::run(Workspace& ws, const ExtractConfig& cfg, ProgressSink& sink,
                              const StopToken& stop)
{
    return Extraction(ws, cfg, sink, stop).run();
}

} // namespace ssondo
