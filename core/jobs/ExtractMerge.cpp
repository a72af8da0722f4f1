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

namespace {

using Clock = std::chrono::steady_clock;

/// One run of ExtractJob::merge: the state its steps share.
class Merge
{
public:
    Merge(Workspace& ws, const ExtractConfig& cfg, int shardCount, ProgressSink& sink)
        : m_ws(ws), m_cfg(cfg), m_shards(shardCount), m_sink(sink)
    {
    }

    ExtractResult run(bool keepParts);

private:
    void describeSet();
    std::unique_ptr<EmbeddingStore> checkedPart(int i);
    void copy(int i, const EmbeddingStore& part, EmbeddingStore& store);
    void recordSet(const EmbeddingStore& store);
    void recordJob();
    void removeParts(bool keepParts);
    /// "shard I/N: " and why the shard is incomplete.
    std::string incomplete(int i, const std::string& why) const
    {
        return "shard " + std::to_string(i) + "/" + std::to_string(m_shards) + ": " + why;
    }

    Workspace& m_ws;
    const ExtractConfig& m_cfg;
    const int m_shards;
    ProgressSink& m_sink;
    const Clock::time_point m_t0 = Clock::now();
    DatasetRecord m_ds;
    std::vector<ClipInfo> m_clips;
    std::shared_ptr<Teacher> m_teacher;
    EmbeddingStoreInfo m_info; ///< of the merged set
    std::string m_rel;         ///< the merged set's folder, relative to the workspace
    std::int64_t m_copied = 0;
    ExtractResult m_res;
};

/// The merged set's store info and folder: every clip of the dataset, embedded by the teacher.
void Merge::describeSet()
{
    m_info.teacherIdentity = m_teacher->identity();
    m_info.teacherDescription = m_teacher->description();
    m_info.teacherKind = teacherKindName(m_teacher->kind());
    m_info.datasetName = m_ds.name;
    m_info.datasetVersion = m_ds.version;
    m_info.dim = m_teacher->embeddingDim();
    m_info.dtype = m_cfg.dtype;
    for (const auto& c : m_clips)
        m_info.clipPaths.push_back(c.path);
    m_rel = ExtractJob::storeFolder(m_ds.name, m_ds.version, m_teacher->identity(), m_cfg.dtype);
}

/// Shard i's part store, checked against the set; null (and noted as incomplete) when not started.
std::unique_ptr<EmbeddingStore> Merge::checkedPart(int i)
{
    const fs::path p = fs::path(m_ws.dir()) / ExtractJob::shardFolder(m_rel, i, m_shards);
    if (!fs::exists(p / "meta.json")) {
        m_res.incompleteShards.push_back(incomplete(i, "not started (" + p.string() + " is missing)"));
        return nullptr;
    }
    auto part = EmbeddingStore::open(p.string());
    const auto& pi = part->info();
    const std::int64_t expected = (std::int64_t(m_clips.size()) - i + m_shards - 1) / m_shards;
    if (pi.teacherIdentity != m_info.teacherIdentity || pi.datasetVersion != m_ds.version ||
        pi.dim != m_info.dim || part->rows() != expected)
        throw InputError(p.string() + ": this part is of another teacher, dataset version or shard count (" +
                         std::to_string(part->rows()) + " rows, expected " + std::to_string(expected) +
                         "); delete it and run the shard again");
    for (std::int64_t j = 0; j < part->rows(); ++j)
        if (pi.clipPaths[size_t(j)] != m_clips[size_t(i + j * m_shards)].path)
            throw InputError(p.string() + ": row " + std::to_string(j) + " is clip '" +
                             pi.clipPaths[size_t(j)] + "', expected '" +
                             m_clips[size_t(i + j * m_shards)].path + "'");
    if (!part->complete())
        m_res.incompleteShards.push_back(
            incomplete(i, std::to_string(part->count(EmbeddingStore::RowState::Done) +
                                         part->count(EmbeddingStore::RowState::Failed)) +
                              " of " + std::to_string(part->rows()) + " rows"));
    return part;
}

/// Copies shard i's embedded and failed rows into the set's rows i, i + N, i + 2N...
void Merge::copy(int i, const EmbeddingStore& part, EmbeddingStore& store)
{
    std::map<std::int64_t, std::string> why;
    for (const auto& [row, reason] : part.errors())
        why[row] = reason;
    for (std::int64_t j = 0; j < part.rows(); ++j) {
        const std::int64_t r = i + j * m_shards;
        const auto st = part.state(j);
        if (store.state(r) == EmbeddingStore::RowState::Done)
            continue; // already in the set (an earlier merge or an unsharded run)
        if (st == EmbeddingStore::RowState::Done) {
            const at::Tensor v = part.row(j).contiguous();
            store.write(r, v.data_ptr<float>());
            ++m_copied;
        } else if (st == EmbeddingStore::RowState::Failed) {
            store.markFailed(r, why.count(j) ? why[j] : "failed in shard " + std::to_string(i));
        }
    }
}

/// Records the merged set in the catalog, and what it holds in the result.
void Merge::recordSet(const EmbeddingStore& store)
{
    EmbeddingSetRecord rec;
    rec.datasetId = m_ds.id;
    rec.datasetVersion = m_ds.version;
    rec.teacherIdentity = m_teacher->identity();
    rec.teacherKind = m_info.teacherKind;
    rec.teacherSource = m_cfg.teacher.source.empty() ? "demo" : m_cfg.teacher.source;
    rec.teacherDescription = m_teacher->description();
    rec.teacherParameters = m_teacher->parameterCount();
    rec.teacherSampleRate = m_teacher->sampleRate();
    rec.teacherWindow = m_teacher->windowSeconds();
    rec.dim = m_info.dim;
    rec.dtype = m_cfg.dtype;
    rec.rows = store.rows();
    rec.done = store.count(EmbeddingStore::RowState::Done);
    rec.failed = store.count(EmbeddingStore::RowState::Failed);
    rec.path = m_rel;
    rec.state = rec.done > 0       ? EmbeddingSetState::Ready
                : store.complete() ? EmbeddingSetState::Empty
                                   : EmbeddingSetState::Extracting;
    EmbeddingCatalog catalog(m_ws.database());
    m_res.embeddingSetId = catalog.upsert(rec);
    if (rec.state == EmbeddingSetState::Empty)
        catalog.setState(m_res.embeddingSetId, rec.state,
                         "none of the " + std::to_string(rec.rows) + " clips could be embedded by any shard");
    m_res.path = m_rel;
    m_res.rows = rec.rows;
    m_res.done = rec.done;
    m_res.failed = rec.failed;
    m_res.computedNow = m_copied;
    m_res.teacherDescription = rec.teacherDescription;
    m_res.stopped = !m_res.incompleteShards.empty();
    m_res.seconds = std::chrono::duration<double>(Clock::now() - m_t0).count();
}

/// Records the merge as a job, done or (with shards missing) stopped.
void Merge::recordJob()
{
    JobLog jobs(m_ws.database());
    const std::int64_t jobId = jobs.start("merge", m_ds.name, m_cfg.commandLine);
    const std::string summary = std::to_string(m_copied) + " rows from " + std::to_string(m_shards) +
                                " shards; " + std::to_string(m_res.done) + " of " +
                                std::to_string(m_res.rows) + " clips embedded, " +
                                std::to_string(m_res.failed) + " failed";
    jobs.progress(jobId, m_res.done + m_res.failed, m_res.rows, std::nullopt);
    jobs.finish(jobId, m_res.stopped ? JobState::Stopped : JobState::Done, summary);
}

/// Deletes the parts once every shard is merged, unless asked to keep them.
void Merge::removeParts(bool keepParts)
{
    if (!m_res.incompleteShards.empty() || keepParts)
        return;
    std::error_code ec;
    fs::remove_all(fs::path(m_ws.dir()) / (m_rel + ".parts"), ec);
    if (ec)
        m_sink.warning("could not remove the merged parts: " + ec.message(), m_rel + ".parts");
}

/// Merges the parts into the set, records it and the job, then tidies up.
ExtractResult Merge::run(bool keepParts)
{
    if (m_shards < 1)
        throw InputError("--merge-shards needs the number of shards (at least 1), got " +
                         std::to_string(m_shards));
    DatasetCatalog datasets(m_ws.database());
    m_ds = datasets.get(m_cfg.dataset);
    m_clips = datasets.clips(m_ds.id);
    m_teacher = m_cfg.model ? m_cfg.model : std::shared_ptr<Teacher>(openTeacher(m_cfg.teacher));
    describeSet();

    // Check every part before writing anything.
    std::vector<std::unique_ptr<EmbeddingStore>> parts(static_cast<std::size_t>(m_shards));
    for (int i = 0; i < m_shards; ++i)
        parts[size_t(i)] = checkedPart(i);

    auto store = EmbeddingStore::openOrCreate((fs::path(m_ws.dir()) / m_rel).string(), m_info);
    for (int i = 0; i < m_shards; ++i) {
        if (!parts[size_t(i)])
            continue;
        copy(i, *parts[size_t(i)], *store);
        m_sink.progress("merge", i + 1, m_shards);
    }
    store->flush();

    recordSet(*store);
    recordJob();
    for (const auto& s : m_res.incompleteShards)
        m_sink.warning("not merged yet: " + s, m_rel);
    removeParts(keepParts);
    return m_res;
}

} // namespace

ExtractResult ExtractJob::merge(Workspace& ws, const ExtractConfig& cfg, int shardCount, ProgressSink& sink,
                                bool keepParts)
{
    return Merge(ws, cfg, shardCount, sink).run(keepParts);
}

} // namespace ssondo
