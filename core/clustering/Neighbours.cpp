// SPDX-License-Identifier: GPL-3.0-or-later
#include "clustering/Neighbours.h"

#include "util/Error.h"

#include <ATen/ATen.h>
#include <faiss/IndexFlat.h>

#include <memory>

namespace ssondo {

NeighbourLists nearestOthers(const at::Tensor& input, std::int64_t k, NeighbourMetric metric)
{
    if (input.dim() != 2 || k < 1)
        throw InputError("neighbour search needs a [rows, dim] matrix and k >= 1");
    const at::Tensor x = input.to(at::kFloat).contiguous();
    const std::int64_t n = x.size(0), d = x.size(1);
    std::unique_ptr<faiss::IndexFlat> index;
    if (metric == NeighbourMetric::SquaredL2)
        index = std::make_unique<faiss::IndexFlatL2>(int(d));
    else
        index = std::make_unique<faiss::IndexFlatIP>(int(d));
    index->add(faiss::Index::idx_t(n), x.data_ptr<float>());
    const std::int64_t wide = k + 1; // the row itself is among its own nearest
    std::vector<float> dist(size_t(n * wide));
    std::vector<faiss::Index::idx_t> nn(dist.size());
    index->search(faiss::Index::idx_t(n), x.data_ptr<float>(), faiss::Index::idx_t(wide), dist.data(),
                  nn.data());
    NeighbourLists out;
    out.k = k;
    out.index.assign(size_t(n * k), -1);
    out.value.assign(size_t(n * k), 0.0f);
    for (std::int64_t i = 0; i < n; ++i) {
        std::int64_t m = 0;
        for (std::int64_t j = 0; j < wide && m < k; ++j) {
            const auto o = nn[size_t(i * wide + j)];
            if (o == i || o < 0)
                continue;
            out.index[size_t(i * k + m)] = o;
            out.value[size_t(i * k + m)] = dist[size_t(i * wide + j)];
            ++m;
        }
    }
    return out;
}

} // namespace ssondo
