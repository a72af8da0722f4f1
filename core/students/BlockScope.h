// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/record_function.h>

#include <string>
#include <utility>

namespace ssondo {

/// Runs f() as the student block `name`: a RecordFunction user scope, free unless an observer is
/// installed; `ssondo profile --layers` (profileBlocks) times each block and counts its MACs.
/// name: the block's parameter prefix in the state dict ("features.3"), several joined by '+'
/// ("conv1+bn1"), so that the block's parameters can be found by name.
template <typename F> auto studentBlock(const std::string& name, F&& f)
{
    RECORD_USER_SCOPE(name);
    return std::forward<F>(f)();
}

} // namespace ssondo
