// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <vector>

namespace ssondo {

/// Sample-rate conversion with libsoxr (medium-quality preset: 16-bit precision, linear phase).
/// Thread-safe.
class Resampler
{
public:
    /// in: [T] mono samples at inRate Hz → [round(T * outRate / inRate)] samples at outRate Hz.
    static std::vector<float> resample(const std::vector<float>& in, double inRate, double outRate);
};

} // namespace ssondo
