// SPDX-License-Identifier: GPL-3.0-or-later
#include "distill/DataPipeline.h"

#include "audio/AudioFile.h"
#include "data/EmbeddingStore.h"
#include "util/Error.h"
#include "util/ProgressSink.h"
#include "util/ThreadGroup.h"
#include "util/Threads.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <chrono>
#include <cmath>
#include <cstring>

namespace ssondo {

DataPipeline::DataPipeline(Source source, LogMelOptions frontEnd, int workers, ProgressSink* sink)
    : m_source(std::move(source)), m_frontEnd(frontEnd), m_workers(std::max(1, workers)), m_sink(sink)
{
    m_clipSamples = std::llround(m_source.clipSeconds * frontEnd.sample_rate());
    m_frames = m_frontEnd.numFrames(m_clipSamples);
    if (m_source.cache && m_source.cache->dim() != frontEnd.n_mels() * m_frames)
        throw InputError(m_source.cache->dir() + ": log-mel cache of another shape");
}

DataPipeline::~DataPipeline()
{
    stop();
}

at::Tensor DataPipeline::melOf(std::int64_t pos)
{
    const std::int64_t mels = m_frontEnd.options().n_mels();
    if (m_source.cache && m_source.cache->state(pos) == EmbeddingStore::RowState::Done)
        return m_source.cache->row(pos).view({1, mels, m_frames});
    MonoAudio a = AudioFile::readMono(m_source.paths[size_t(pos)], m_frontEnd.sampleRate());
    // Pad or cut to exactly the clip length (reference: 10 s; the first 10 s of longer clips).
    a.samples.resize(size_t(m_clipSamples), 0.0f);
    const at::Tensor wav = at::from_blob(a.samples.data(), {1, m_clipSamples}, at::kFloat);
    at::Tensor mel = m_frontEnd.forward(wav)[0].contiguous(); // [1, mels, frames]
    if (m_source.cache) {
        {
            std::lock_guard<std::mutex> lock(m_cacheMutex);
            m_source.cache->write(pos, mel.data_ptr<float>());
        }
        // Give back exactly what the cache will give next time (float16-rounded), so a run does
        // not depend on whether a clip was cached already.
        mel = mel.to(at::kHalf).to(at::kFloat);
    } else if (m_source.roundToHalf) {
        mel = mel.to(at::kHalf).to(at::kFloat);
    }
    return mel;
}

void DataPipeline::start(std::vector<std::vector<std::int64_t>> batches, int prefetch)
{
    stop();
    m_batches = std::move(batches);
    m_ready.clear();
    m_nextToTake = 0;
    m_nextToMake = 0;
    m_prefetch = std::max(1, prefetch);
    m_stopping = false;
    m_waitSeconds = 0;
    m_threads = std::make_unique<ThreadGroup>([this] { release(); });
    for (int i = 0; i < m_workers; ++i)
        m_threads->spawn([this]() { worker(); });
}

void DataPipeline::release()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_spaceCv.notify_all();
    m_readyCv.notify_all();
}

void DataPipeline::stop()
{
    m_threads.reset(); // releases the workers, joins them; a worker's failure was reported by next()
}

void DataPipeline::worker()
{
    // Each worker computes one batch with one intra-op thread; the model keeps the others.
    useOneIntraOpThread();
    for (;;) {
        const std::size_t b = m_nextToMake.fetch_add(1);
        if (b >= m_batches.size())
            return;
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_spaceCv.wait(lock, [&] { return m_stopping || b < m_nextToTake + std::size_t(m_prefetch); });
            if (m_stopping)
                return;
        }
        TrainBatch batch = make(b);
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_ready.emplace(b, std::move(batch));
        }
        m_readyCv.notify_all();
    }
}

/// Batch `b`: the clips that decode (a clip that does not is reported and left out) with their
/// teachers' embeddings. What fails for the batch as a whole (reading the targets) escapes to the
/// ThreadGroup, and next() rethrows it.
TrainBatch DataPipeline::make(std::size_t b)
{
    TrainBatch batch;
    std::vector<at::Tensor> mels;
    for (std::int64_t pos : m_batches[b]) {
        try {
            mels.push_back(melOf(pos));
            batch.items.push_back(pos);
        } catch (const std::exception& e) {
            if (m_sink)
                m_sink->warning(std::string("skipped in training: ") + e.what(), m_source.paths[size_t(pos)]);
        }
    }
    if (!mels.empty()) {
        batch.mel = at::stack(mels, 0);
        batch.target = m_source.targets->rowsAt(batch.items);
    }
    return batch;
}

std::optional<TrainBatch> DataPipeline::next()
{
    const auto t0 = std::chrono::steady_clock::now();
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        if (m_nextToTake >= m_batches.size() || m_stopping)
            return std::nullopt;
        m_readyCv.wait(lock, [&] { return m_stopping || m_ready.count(m_nextToTake); });
        if (m_threads && m_threads->failed()) {
            lock.unlock();
            m_threads->rethrowIfFailed();
        }
        if (m_stopping)
            return std::nullopt;
        TrainBatch b = std::move(m_ready[m_nextToTake]);
        m_ready.erase(m_nextToTake);
        ++m_nextToTake;
        m_spaceCv.notify_all();
        m_waitSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (b.items.empty() && !m_source.keepEmpty)
            continue; // every clip of this batch failed to decode
        return b;
    }
}

} // namespace ssondo
