#include "jobs/ExtractJob.h"

#include "audio/ClipLoader.h"
#include "data/DatasetCatalog.h"
#include "data/EmbeddingCatalog.h"
#include "data/EmbeddingStore.h"
#include "jobs/JobLog.h"
#include "util/AtomicFile.h"
#include "util/BoundedQueue.h"
#include "util/Device.h"
#include "util/Error.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "workspace/Workspace.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

namespace fs = std::filesystem;

namespace ssondo {

namespace {

struct Loaded
{
    std::int64_t row = 0;
    at::Tensor segments; // [S, W], undefined on failure
    std::string error;
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
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    if (cfg.batchSize < 1)
        throw InputError("--batch-size must be at least 1 (got " + std::to_string(cfg.batchSize) + ")");
    const bool sharded = cfg.shardCount > 0;
    if (sharded && (cfg.shardIndex < 0 || cfg.shardIndex >= cfg.shardCount))
        throw InputError("--shard " + std::to_string(cfg.shardIndex) + "/" + std::to_string(cfg.shardCount) +
                         ": the shard index must be in [0, " + std::to_string(cfg.shardCount) + ")");
    DatasetCatalog datasets(ws.database());
    const DatasetRecord ds = datasets.get(cfg.dataset);
    const std::vector<ClipInfo> clips = datasets.clips(ds.id);

    std::shared_ptr<Teacher> teacher =
        cfg.model ? cfg.model : std::shared_ptr<Teacher>(openTeacher(cfg.teacher));
    const bool precomputed = teacher->kind() == TeacherKind::Precomputed;
    const std::string device = precomputed ? "cpu" : resolveDevice(cfg.device);
    teacher->to(device);
    sink.info("Teacher: " + teacher->description() + (precomputed ? "" : " on " + device));

    EmbeddingStoreInfo info;
    info.teacherIdentity = teacher->identity();
    info.teacherDescription = teacher->description();
    info.teacherKind = teacherKindName(teacher->kind());
    info.datasetName = ds.name;
    info.datasetVersion = ds.version;
    info.dim = teacher->embeddingDim();
    info.dtype = cfg.dtype;
    // Store row → dataset position: all of them, or a shard's every N-th from I.
    std::vector<std::int64_t> clipOf;
    for (std::size_t i = 0; i < clips.size(); ++i)
        if (!sharded || std::int64_t(i) % cfg.shardCount == cfg.shardIndex) {
            info.clipPaths.push_back(clips[i].path);
            clipOf.push_back(std::int64_t(i));
        }
    const std::string setFolder = storeFolder(ds.name, ds.version, teacher->identity(), cfg.dtype);
    const std::string rel = sharded ? shardFolder(setFolder, cfg.shardIndex, cfg.shardCount) : setFolder;
    auto store = EmbeddingStore::openOrCreate((fs::path(ws.dir()) / rel).string(), info);

    // A shard leaves the database alone; an unsharded run records the set and a job.
    EmbeddingCatalog catalog(ws.database());
    EmbeddingSetRecord rec;
    rec.datasetId = ds.id;
    rec.datasetVersion = ds.version;
    rec.teacherIdentity = teacher->identity();
    rec.teacherKind = info.teacherKind;
    rec.teacherSource = cfg.teacher.source.empty() ? "demo" : cfg.teacher.source;
    rec.teacherDescription = teacher->description();
    rec.teacherParameters = teacher->parameterCount();
    rec.teacherSampleRate = teacher->sampleRate();
    rec.teacherWindow = teacher->windowSeconds();
    rec.dim = info.dim;
    rec.dtype = cfg.dtype;
    rec.rows = store->rows();
    rec.done = store->count(EmbeddingStore::RowState::Done);
    rec.failed = store->count(EmbeddingStore::RowState::Failed);
    rec.path = rel;
    const std::int64_t setId = sharded ? 0 : catalog.upsert(rec);

    JobLog jobs(ws.database());
    const std::int64_t jobId = sharded ? 0 : jobs.start("extract", ds.name, cfg.commandLine);
    // A shard skips what an earlier unsharded run (or merge) already put in the set.
    std::unique_ptr<EmbeddingStore> merged;
    if (sharded && fs::exists(fs::path(ws.dir()) / setFolder / "meta.json"))
        merged = EmbeddingStore::open((fs::path(ws.dir()) / setFolder).string());
    const std::string progressFile = (fs::path(ws.dir()) / rel / "progress.json").string();
    const auto started = std::chrono::system_clock::now();
    auto writeProgress = [&](const std::string& state, std::int64_t done, std::int64_t failed, double rate) {
        nlohmann::json j{
            {"shard", cfg.shardIndex},
            {"shards", cfg.shardCount},
            {"state", state},
            {"rows", store->rows()},
            {"done", done},
            {"failed", failed},
            {"clips_per_s", rate},
            {"host", hostName()},
            {"pid", int(::getpid())},
            {"started", std::chrono::duration_cast<std::chrono::seconds>(started.time_since_epoch()).count()},
            {"updated", std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count()}};
        writeFileAtomic(progressFile, j.dump(1) + "\n");
    };

    // Rows to do: pending ones, plus failed ones on request. Unreadable clips fail at once.
    std::vector<std::int64_t> todo;
    for (std::int64_t r = 0; r < store->rows(); ++r) {
        const auto st = store->state(r);
        if (st == EmbeddingStore::RowState::Done ||
            (st == EmbeddingStore::RowState::Failed && !cfg.retryFailed))
            continue;
        const ClipInfo& clip = clips[size_t(clipOf[size_t(r)])];
        if (merged && merged->state(clipOf[size_t(r)]) == EmbeddingStore::RowState::Done) {
            store->write(r, merged->row(clipOf[size_t(r)]).contiguous().data_ptr<float>());
            continue;
        }
        if (!clip.readable()) {
            if (st != EmbeddingStore::RowState::Failed)
                store->markFailed(r, clip.error);
            sink.warning(clip.error, clip.path);
            continue;
        }
        todo.push_back(r);
    }

    ExtractResult res;
    res.embeddingSetId = setId;
    res.path = rel;
    res.rows = store->rows();
    res.teacherDescription = teacher->description();
    const std::int64_t alreadyDone = store->count(EmbeddingStore::RowState::Done);
    std::int64_t failedTotal = store->count(EmbeddingStore::RowState::Failed); // counted once, then tracked
    const std::int64_t total = store->rows();
    std::int64_t processed = 0;
    auto lastFlush = Clock::now();
    auto report = [&](bool force) {
        const std::int64_t done = alreadyDone + res.computedNow;
        sink.progress("extract", done + failedTotal, total);
        if (force || Clock::now() - lastFlush > std::chrono::seconds(2)) {
            store->flush();
            const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
            if (sharded) {
                writeProgress("running", done, failedTotal, secs > 0 ? processed / secs : 0.0);
            } else {
                catalog.updateCounts(setId, done, failedTotal);
                jobs.progress(jobId, done + failedTotal, total, secs > 0 ? processed / secs : 0.0);
            }
            lastFlush = Clock::now();
        }
    };
    auto fail = [&](std::int64_t row, const std::string& why) {
        if (store->state(row) != EmbeddingStore::RowState::Failed)
            ++failedTotal;
        store->markFailed(row, why);
        sink.warning(why, clips[size_t(clipOf[size_t(row)])].path);
    };

    try {
        if (precomputed) {
            for (std::int64_t r : todo) {
                if (stop.requested())
                    break;
                try {
                    auto e = teacher->lookup(clips[size_t(clipOf[size_t(r)])].path);
                    if (!e)
                        fail(r, "no precomputed embedding for this clip");
                    else
                        store->write(r, e->data_ptr<float>()), ++res.computedNow;
                } catch (const std::exception& e) {
                    fail(r, e.what());
                }
                ++processed;
                report(false);
            }
        } else {
            // Decoding on worker threads, the teacher on this one; each decoder uses one intra-op thread.
            const int workers =
                cfg.workers > 0 ? cfg.workers : std::max(1, int(std::thread::hardware_concurrency()) - 1);
            BoundedQueue<Loaded> queue(size_t(4 * workers + cfg.batchSize));
            std::atomic<size_t> next{0};
            std::vector<std::thread> pool;
            const int sr = teacher->sampleRate();
            const double window = teacher->windowSeconds();
            for (int w = 0; w < workers; ++w)
                pool.emplace_back([&]() {
                    at::set_num_threads(1);
                    for (;;) {
                        const size_t i = next.fetch_add(1);
                        if (i >= todo.size() || stop.requested())
                            break;
                        Loaded item;
                        item.row = todo[i];
                        try {
                            item.segments = loadSegments(
                                (fs::path(ds.root) / clips[size_t(clipOf[size_t(item.row)])].path).string(),
                                sr, window);
                        } catch (const std::exception& e) {
                            item.error = e.what();
                        }
                        if (!queue.push(std::move(item)))
                            break;
                    }
                });
            std::thread closer([&]() {
                for (auto& t : pool)
                    t.join();
                queue.close();
            });

            std::vector<Loaded> pending;
            std::int64_t pendingSegments = 0;
            auto runBatch = [&]() {
                if (pending.empty())
                    return;
                std::vector<at::Tensor> parts;
                for (const auto& p : pending)
                    parts.push_back(p.segments);
                const at::Tensor all = at::cat(parts, 0);
                std::vector<at::Tensor> outs;
                for (std::int64_t s = 0; s < all.size(0); s += cfg.batchSize) {
                    outs.push_back(teacher->embed(all.slice(0, s, std::min(all.size(0), s + cfg.batchSize))));
                    ++res.forwards;
                }
                const at::Tensor emb = at::cat(outs, 0);
                res.segments += all.size(0);
                std::int64_t offset = 0;
                for (const auto& p : pending) {
                    const std::int64_t n = p.segments.size(0);
                    const at::Tensor mean = emb.slice(0, offset, offset + n).mean(0).contiguous();
                    offset += n;
                    store->write(p.row, mean.data_ptr<float>());
                    ++res.computedNow;
                    ++processed;
                }
                pending.clear();
                pendingSegments = 0;
                report(false);
            };
            while (auto item = queue.pop()) {
                if (stop.requested())
                    break;
                if (!item->error.empty()) {
                    fail(item->row, item->error);
                    ++processed;
                    report(false);
                    continue;
                }
                pendingSegments += item->segments.size(0);
                pending.push_back(std::move(*item));
                if (pendingSegments >= cfg.batchSize)
                    runBatch();
            }
            if (!stop.requested())
                runBatch();
            queue.close();
            closer.join();
        }
    } catch (const std::exception& e) {
        // Keep what was embedded; report the failure with the job.
        store->flush();
        if (sharded) {
            writeProgress("failed", store->count(EmbeddingStore::RowState::Done),
                          store->count(EmbeddingStore::RowState::Failed), 0.0);
            throw;
        }
        catalog.updateCounts(setId, store->count(EmbeddingStore::RowState::Done),
                             store->count(EmbeddingStore::RowState::Failed));
        jobs.finish(jobId, "failed", e.what());
        throw;
    }
    res.failed = store->count(EmbeddingStore::RowState::Failed);
    report(true);
    res.done = store->count(EmbeddingStore::RowState::Done);
    res.stopped = stop.requested() && !store->complete();
    res.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    if (sharded) {
        writeProgress(res.stopped ? "stopped" : "done", res.done, res.failed,
                      res.seconds > 0 ? double(processed) / res.seconds : 0.0);
        return res;
    }
    jobs.finish(jobId, res.stopped ? "stopped" : "done",
                std::to_string(res.done) + " of " + std::to_string(res.rows) + " clips embedded, " +
                    std::to_string(res.failed) + " failed");
    return res;
}

} // namespace ssondo
