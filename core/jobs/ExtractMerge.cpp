// SPDX-License-Identifier: GPL-3.0-or-later
// ExtractJob::merge: the part stores of a sharded extraction become one embedding set.

#include "data/DatasetCatalog.h"
#include "data/EmbeddingCatalog.h"
#include "data/EmbeddingStore.h"
#include "experiments/JobLog.h"
#include "jobs/ExtractJob.h"
#include "util/Error.h"
#include "util/ProgressSink.h"
#include "workspace/Workspace.h"

#include <ATen/ATen.h>

#include <chrono>
#include <filesystem>
#include <map>

namespace fs = std::filesystem;

namespace ssondo {

ExtractResult ExtractJob::merge(Workspace& ws, const ExtractConfig& cfg, int shardCount, ProgressSink& sink,
                                bool keepParts)
{
    const auto t0 = std::chrono::steady_clock::now();
    if (shardCount < 1)
        throw InputError("--merge-shards needs the number of shards (at least 1), got " +
                         std::to_string(shardCount));
    DatasetCatalog datasets(ws.database());
    const DatasetRecord ds = datasets.get(cfg.dataset);
    const std::vector<ClipInfo> clips = datasets.clips(ds.id);
    std::shared_ptr<Teacher> teacher =
        cfg.model ? cfg.model : std::shared_ptr<Teacher>(openTeacher(cfg.teacher));

    EmbeddingStoreInfo info;
    info.teacherIdentity = teacher->identity();
    info.teacherDescription = teacher->description();
    info.teacherKind = teacherKindName(teacher->kind());
    info.datasetName = ds.name;
    info.datasetVersion = ds.version;
    info.dim = teacher->embeddingDim();
    info.dtype = cfg.dtype;
    for (const auto& c : clips)
        info.clipPaths.push_back(c.path);
    const std::string rel = storeFolder(ds.name, ds.version, teacher->identity(), cfg.dtype);
    const fs::path dir = fs::path(ws.dir()) / rel;

    // Check every part before writing anything.
    std::vector<std::unique_ptr<EmbeddingStore>> parts(static_cast<std::size_t>(shardCount));
    ExtractResult res;
    for (int i = 0; i < shardCount; ++i) {
        const fs::path p = fs::path(ws.dir()) / shardFolder(rel, i, shardCount);
        if (!fs::exists(p / "meta.json")) {
            res.incompleteShards.push_back("shard " + std::to_string(i) + "/" + std::to_string(shardCount) +
                                           ": not started (" + p.string() + " is missing)");
            continue;
        }
        auto part = EmbeddingStore::open(p.string());
        const auto& pi = part->info();
        const std::int64_t expected = (std::int64_t(clips.size()) - i + shardCount - 1) / shardCount;
        if (pi.teacherIdentity != info.teacherIdentity || pi.datasetVersion != ds.version ||
            pi.dim != info.dim || part->rows() != expected)
            throw InputError(p.string() +
                             ": this part is of another teacher, dataset version or shard count (" +
                             std::to_string(part->rows()) + " rows, expected " + std::to_string(expected) +
                             "); delete it and run the shard again");
        for (std::int64_t j = 0; j < part->rows(); ++j)
            if (pi.clipPaths[size_t(j)] != clips[size_t(i + j * shardCount)].path)
                throw InputError(p.string() + ": row " + std::to_string(j) + " is clip '" +
                                 pi.clipPaths[size_t(j)] + "', expected '" +
                                 clips[size_t(i + j * shardCount)].path + "'");
        if (!part->complete())
            res.incompleteShards.push_back("shard " + std::to_string(i) + "/" + std::to_string(shardCount) +
                                           ": " +
                                           std::to_string(part->count(EmbeddingStore::RowState::Done) +
                                                          part->count(EmbeddingStore::RowState::Failed)) +
                                           " of " + std::to_string(part->rows()) + " rows");
        parts[size_t(i)] = std::move(part);
    }

    auto store = EmbeddingStore::openOrCreate(dir.string(), info);
    std::int64_t copied = 0;
    for (int i = 0; i < shardCount; ++i) {
        const auto& part = parts[size_t(i)];
        if (!part)
            continue;
        std::map<std::int64_t, std::string> why;
        for (const auto& [row, reason] : part->errors())
            why[row] = reason;
        for (std::int64_t j = 0; j < part->rows(); ++j) {
            const std::int64_t r = i + j * shardCount;
            const auto st = part->state(j);
            if (store->state(r) == EmbeddingStore::RowState::Done)
                continue; // already in the set (an earlier merge or an unsharded run)
            if (st == EmbeddingStore::RowState::Done) {
                const at::Tensor v = part->row(j).contiguous();
                store->write(r, v.data_ptr<float>());
                ++copied;
            } else if (st == EmbeddingStore::RowState::Failed) {
                store->markFailed(r, why.count(j) ? why[j] : "failed in shard " + std::to_string(i));
            }
        }
        sink.progress("merge", i + 1, shardCount);
    }
    store->flush();

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
    rec.state = rec.done > 0        ? EmbeddingSetState::Ready
                : store->complete() ? EmbeddingSetState::Empty
                                    : EmbeddingSetState::Extracting;
    EmbeddingCatalog catalog(ws.database());
    res.embeddingSetId = catalog.upsert(rec);
    if (rec.state == EmbeddingSetState::Empty)
        catalog.setState(res.embeddingSetId, rec.state,
                         "none of the " + std::to_string(rec.rows) + " clips could be embedded by any shard");
    res.path = rel;
    res.rows = rec.rows;
    res.done = rec.done;
    res.failed = rec.failed;
    res.computedNow = copied;
    res.teacherDescription = rec.teacherDescription;
    res.stopped = !res.incompleteShards.empty();
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    JobLog jobs(ws.database());
    const std::int64_t jobId = jobs.start("merge", ds.name, cfg.commandLine);
    const std::string summary = std::to_string(copied) + " rows from " + std::to_string(shardCount) +
                                " shards; " + std::to_string(res.done) + " of " + std::to_string(res.rows) +
                                " clips embedded, " + std::to_string(res.failed) + " failed";
    jobs.progress(jobId, res.done + res.failed, res.rows, std::nullopt);
    jobs.finish(jobId, res.stopped ? JobState::Stopped : JobState::Done, summary);
    for (const auto& s : res.incompleteShards)
        sink.warning("not merged yet: " + s, rel);
    if (res.incompleteShards.empty() && !keepParts) {
        std::error_code ec;
        fs::remove_all(fs::path(ws.dir()) / (rel + ".parts"), ec);
        if (ec)
            sink.warning("could not remove the merged parts: " + ec.message(), rel + ".parts");
    }
    return res;
}

} // namespace ssondo
