// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace ssondo {

/// Cuts mono audio into fixed windows with no overlap, as the reference does for 10 s segments.
/// A clip shorter than one window is zero-padded to one window. In a longer clip the remainder
/// becomes a last, zero-padded segment only when it is at least `minTailSeconds` long, so a few
/// trailing milliseconds do not turn into a mostly silent segment that skews the average.
class Segmenter
{
public:
    /// windowSeconds > 0, sampleRate > 0 Hz, minTailSeconds >= 0.
    Segmenter(double windowSeconds = 10.0, int sampleRate = 32000, double minTailSeconds = 1.0);

    std::int64_t windowSamples() const { return m_window; }
    int sampleRate() const { return m_sampleRate; }

    /// Number of segments for `samples` input samples (>= 1).
    std::int64_t numSegments(std::int64_t samples) const;

    /// wav: [T] float32 mono at sampleRate() Hz → [S, windowSamples()] float32.
    at::Tensor split(const at::Tensor& wav) const;

    /// Same on raw samples, without going through a tensor first.
    at::Tensor split(const float* samples, std::int64_t count) const;

private:
    std::int64_t m_window;
    std::int64_t m_minTail;
    int m_sampleRate;
};

} // namespace ssondo
