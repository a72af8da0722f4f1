// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "teachers/Teacher.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ssondo {

class ProgressSink;
class StopToken;
class Workspace;

struct ExtractConfig
{
    TeacherSpec teacher;           ///< "demo", a TorchScript file, or precomputed embeddings
    std::string dataset;           ///< dataset name or id in the workspace
    std::string dtype = "float32"; ///< on-disk rows: float32 or float16
    int batchSize = 16;            ///< segments per teacher forward
    std::string device = "auto";
    int workers = 0;          ///< decoding threads (0: cores - 1, at least 1)
    bool retryFailed = false; ///< try the clips that failed last time again
    std::string commandLine;  ///< recorded with the job
    /// When set, embeds with this model instead of opening `teacher` (a distilled student, for
    /// evaluation); teacher.source is then only recorded as the set's source.
    std::shared_ptr<Teacher> model;
    /// Sharded extraction (`--shard I/N`): when shardCount > 0, only the clips at positions
    /// ≡ shardIndex (mod shardCount) are embedded, into their own part store
    /// `<set folder>.parts/shard-I-of-N/`; the workspace database is not written (shards may run
    /// at once on many nodes, and SQLite must have one writer), progress goes to the part's
    /// progress.json. ExtractJob::merge then makes the parts one embedding set.
    int shardIndex = 0, shardCount = 0;
};

struct ExtractResult
{
    std::int64_t embeddingSetId = 0;
    std::string path; ///< store folder
    std::int64_t rows = 0, done = 0, failed = 0;
    std::int64_t computedNow = 0; ///< rows embedded by this run
    std::int64_t forwards = 0;    ///< teacher forward calls made by this run
    std::int64_t segments = 0;    ///< segments embedded by this run
    double seconds = 0;
    bool stopped = false;
    std::string teacherDescription;
    std::vector<std::string>
        incompleteShards; ///< merge: "shard 1/4: 120 of 500 rows" for each one not finished
};

/// Embeds every clip of a dataset with a teacher into the workspace's embedding store: clips are
/// decoded, resampled and cut into the teacher's windows on worker threads, embedded in batches,
/// averaged over segments, and written row by row. Resumable: rows already done are skipped (a
/// second run with nothing new makes no forward pass), failed clips are recorded and skipped.
/// Stops cleanly at the stop token after flushing what is done.
class ExtractJob
{
public:
    static ExtractResult run(Workspace& workspace, const ExtractConfig& config, ProgressSink& sink,
                             const StopToken& stop);
    /// Copies the rows of the `shardCount` part stores of `config`'s teacher × dataset into the
    /// embedding set and records it (rows already there are kept). Safe to run again; parts not
    /// finished yet are listed in incompleteShards. Removes the parts once all are merged, unless
    /// keepParts.
    static ExtractResult merge(Workspace& workspace, const ExtractConfig& config, int shardCount,
                               ProgressSink& sink, bool keepParts = false);
    /// The folder (relative to the workspace) of the embedding set of `teacherIdentity` on a dataset version.
    static std::string storeFolder(const std::string& dataset, const std::string& version,
                                   const std::string& teacherIdentity, const std::string& dtype);
    /// The part store folder of shard `index` of `count` (relative to the workspace).
    static std::string shardFolder(const std::string& storeFolder, int index, int count);
};

} // namespace ssondo
