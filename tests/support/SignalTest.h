// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers shared by the audio tests.

#include <cmath>
#include <cstddef>
#include <vector>

namespace ssondo::test {

/// Amplitude of the sinusoid at `freq` Hz in x (a one-bin DFT over the middle half of the signal,
/// away from edge transients of codecs and resamplers).
inline double amplitudeAt(const std::vector<float>& x, double rate, double freq)
{
    const std::size_t a = x.size() / 4, b = 3 * x.size() / 4;
    double re = 0, im = 0;
    for (std::size_t i = a; i < b; ++i) {
        re += x[i] * std::cos(2 * M_PI * freq * double(i) / rate);
        im += x[i] * std::sin(2 * M_PI * freq * double(i) / rate);
    }
    return 2 * std::hypot(re, im) / double(b - a);
}

} // namespace ssondo::test
