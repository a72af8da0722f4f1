// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include <string>

namespace ssondo {

/// Decodes a clip, downmixes it, resamples it to `sampleRate` Hz and cuts it into windows of
/// `windowSeconds` (Segmenter rules) → [S, window samples] float32. Throws AudioError.
at::Tensor loadSegments(const std::string& path, int sampleRate, double windowSeconds);

} // namespace ssondo
