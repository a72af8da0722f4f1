// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <vector>

namespace ssondo {

/// Batches of dataset positions, in the order they are trained on.
using Batches = std::vector<std::vector<std::int64_t>>;

/// Consecutive batches of `size`, without the first `skip` (already done before a resume).
Batches chunk(const std::vector<std::int64_t>& positions, std::int64_t size, std::int64_t skip = 0);

} // namespace ssondo
