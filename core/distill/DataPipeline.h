// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "audio/LogMelFrontEnd.h"

#include <ATen/core/Tensor.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ssondo {

class EmbeddingStore;
class ThreadGroup;
class ProgressSink;

/// One batch, ready for the model.
struct TrainBatch
{
    at::Tensor mel;                  ///< [B, 1, n_mels, frames] float32
    at::Tensor target;               ///< [B, D] float32 teacher embeddings
    std::vector<std::int64_t> items; ///< dataset positions of the rows (failed clips dropped)
};

/// Prepares batches on worker threads, ahead of the model: decode → downmix → resample to the
/// front end's rate → pad/cut to the clip length → log-mel, or read the log-mel from the cache
/// (an EmbeddingStore of float16 [n_mels × frames] rows in the workspace), and the teachers'
/// embeddings from their store. Batches come out in the order they were given, whatever the
/// thread timing, so a seeded run is reproducible.
class DataPipeline
{
public:
    struct Source
    {
        std::vector<std::string> paths;          ///< absolute path of each dataset position
        const EmbeddingStore* targets = nullptr; ///< teacher embeddings, row = dataset position
        EmbeddingStore* cache = nullptr;         ///< optional log-mel cache, row = dataset position
        double clipSeconds = 10.0;
        /// Round log-mels to float16 as the cache does, without a cache (the data-parallel ranks
        /// other than 0, which never write the workspace, compute what rank 0 reads back).
        bool roundToHalf = false;
        /// Deliver batches whose clips all failed, empty (data-parallel ranks must stay in step).
        bool keepEmpty = false;
    };

    DataPipeline(Source source, LogMelOptions frontEnd, int workers, ProgressSink* sink = nullptr);
    ~DataPipeline();

    /// Starts preparing `batches` (lists of dataset positions); any previous work is dropped.
    void start(std::vector<std::vector<std::int64_t>> batches, int prefetch = 4);
    /// The next batch in order; nullopt when all are delivered or after stop(). Rethrows what a
    /// worker threw that was not one clip's failure (a full disk under the cache, say).
    std::optional<TrainBatch> next();
    void stop();

    /// Log-mel of one dataset position, [1, n_mels, frames] (cache or computed). Thread-safe.
    at::Tensor melOf(std::int64_t position);
    std::int64_t frames() const { return m_frames; }
    /// Seconds the consumer spent waiting in next() since start().
    double waitSeconds() const { return m_waitSeconds; }

private:
    void worker();
    TrainBatch make(std::size_t b);
    void release();

    Source m_source;
    LogMelFrontEnd m_frontEnd;
    std::int64_t m_clipSamples = 0, m_frames = 0;
    int m_workers;
    ProgressSink* m_sink;

    std::vector<std::vector<std::int64_t>> m_batches;
    std::map<std::size_t, TrainBatch> m_ready;
    std::size_t m_nextToTake = 0;
    std::atomic<std::size_t> m_nextToMake{0};
    int m_prefetch = 4;
    bool m_stopping = false;
    std::mutex m_mutex, m_cacheMutex;
    std::condition_variable m_readyCv, m_spaceCv;
    std::unique_ptr<ThreadGroup> m_threads;
    double m_waitSeconds = 0;
};

} // namespace ssondo
