// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/Sampler.h"

#include "util/Error.h"
#include "util/Hash.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

namespace ssondo {

Sampler::Sampler(std::vector<std::int64_t> pool, std::vector<double> weights, std::uint64_t seed,
                 std::string name)
    : m_pool(std::move(pool)), m_seed(seed), m_name(std::move(name))
{
    if (m_pool.empty())
        throw InputError("sampler: no clips to draw from (are the teacher embeddings extracted?)");
    if (!weights.empty()) {
        if (weights.size() != m_pool.size())
            throw InputError("sampler: one weight per clip is needed");
        double acc = 0;
        m_cumulative.reserve(weights.size());
        for (double w : weights) {
            if (!(w > 0) || !std::isfinite(w))
                throw InputError("sampler: weights must be positive and finite");
            acc += w;
            m_cumulative.push_back(acc);
        }
    }
}

Sampler Sampler::uniform(std::vector<std::int64_t> pool, std::uint64_t seed)
{
    return Sampler(std::move(pool), {}, seed, "uniform");
}

Sampler Sampler::balanced(std::vector<std::int64_t> pool, const std::vector<std::int64_t>& clusters,
                          std::uint64_t seed)
{
    if (clusters.size() != pool.size())
        throw InputError("balanced sampler: one cluster id per clip is needed");
    std::map<std::int64_t, std::int64_t> sizes;
    for (auto c : clusters)
        ++sizes[c];
    std::vector<double> w;
    w.reserve(clusters.size());
    for (auto c : clusters)
        w.push_back(1.0 / double(sizes[c]));
    return Sampler(std::move(pool), std::move(w), seed, "balanced");
}

double Sampler::probability(std::size_t i) const
{
    if (m_cumulative.empty())
        return 1.0 / double(m_pool.size());
    const double prev = i == 0 ? 0.0 : m_cumulative[i - 1];
    return (m_cumulative[i] - prev) / m_cumulative.back();
}

std::vector<std::int64_t> Sampler::epoch(std::int64_t e, std::int64_t count) const
{
    std::mt19937_64 gen(mixSeed(m_seed, std::uint64_t(e)));
    std::vector<std::int64_t> out(size_t(std::max<std::int64_t>(0, count)));
    const double total = m_cumulative.empty() ? 0.0 : m_cumulative.back();
    for (auto& v : out) {
        const double u = double(gen() >> 11) * (1.0 / 9007199254740992.0); // [0, 1)
        std::size_t i;
        if (m_cumulative.empty())
            i = std::min(m_pool.size() - 1, std::size_t(u * double(m_pool.size())));
        else
            i = std::min(m_pool.size() - 1,
                         std::size_t(std::upper_bound(m_cumulative.begin(), m_cumulative.end(), u * total) -
                                     m_cumulative.begin()));
        v = m_pool[i];
    }
    return out;
}

const ChoiceTable<SamplerEntry>& samplers()
{
    static const ChoiceTable<SamplerEntry> table(
        "sampler",
        {{"uniform", "every training clip equally likely (the random baseline)", false,
          [](std::vector<std::int64_t> pool, const std::vector<std::int64_t>&, std::uint64_t seed) {
              return Sampler::uniform(std::move(pool), seed);
          }},
         {"balanced", "every teacher cluster equally likely, clips uniform inside it (needs a clustering)",
          true,
          [](std::vector<std::int64_t> pool, const std::vector<std::int64_t>& clusters, std::uint64_t seed) {
              return Sampler::balanced(std::move(pool), clusters, seed);
          }}});
    return table;
}

} // namespace ssondo
