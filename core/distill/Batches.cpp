// SPDX-License-Identifier: GPL-3.0-or-later
#include "distill/Batches.h"

#include <algorithm>

namespace ssondo {

Batches chunk(const std::vector<std::int64_t>& v, std::int64_t size, std::int64_t skip)
{
    Batches out;
    for (std::size_t i = 0; i < v.size(); i += std::size_t(size))
        out.emplace_back(v.begin() + long(i), v.begin() + long(std::min(v.size(), i + std::size_t(size))));
    const std::size_t done = std::min<std::size_t>(out.size(), std::size_t(std::max<std::int64_t>(0, skip)));
    out.erase(out.begin(), out.begin() + long(done));
    return out;
}

} // namespace ssondo
