// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/ChoiceTable.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ssondo {

/// Draws the training clips of each epoch, with replacement, from weights over a pool. An epoch's
/// draws depend only on (seed, epoch): a run resumed mid-epoch draws exactly the same clips, and
/// the sampler needs no state in checkpoints.
class Sampler
{
public:
    /// pool: dataset positions that may be drawn; weights: one per pool entry (> 0), or empty for
    /// uniform. Throws InputError on an empty pool or bad weights.
    Sampler(std::vector<std::int64_t> pool, std::vector<double> weights, std::uint64_t seed,
            std::string name);

    /// Uniform over the pool (the random baseline).
    static Sampler uniform(std::vector<std::int64_t> pool, std::uint64_t seed);
    /// Cluster-balanced: weight 1 / size of the clip's cluster, so every cluster is equally likely
    /// and clips are uniform inside it. clusters[i] is the cluster of pool[i].
    static Sampler balanced(std::vector<std::int64_t> pool, const std::vector<std::int64_t>& clusters,
                            std::uint64_t seed);

    /// `count` draws for `epoch` (values from the pool).
    std::vector<std::int64_t> epoch(std::int64_t epoch, std::int64_t count) const;
    const std::vector<std::int64_t>& pool() const { return m_pool; }
    /// Probability of drawing pool[i].
    double probability(std::size_t i) const;
    const std::string& name() const { return m_name; }

private:
    std::vector<std::int64_t> m_pool;
    std::vector<double> m_cumulative; // empty for uniform
    std::uint64_t m_seed;
    std::string m_name;
};

/// One way of drawing training clips (sampler.kind): what it is, whether it needs a clustering of
/// the teacher embeddings, and how it is made from the pool, the cluster of each pool entry (empty
/// when it needs none) and the seed.
struct SamplerEntry
{
    std::string_view name;
    std::string_view description;
    bool needsClustering;
    Sampler (*make)(std::vector<std::int64_t> pool, const std::vector<std::int64_t>& clusters,
                    std::uint64_t seed);
};

/// uniform (the random baseline) and balanced (S-SONDO's cluster-balanced sampling).
const ChoiceTable<SamplerEntry>& samplers();

} // namespace ssondo
