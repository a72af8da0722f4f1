// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/Segmenter.h"

#include "util/Error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace ssondo {

Segmenter::Segmenter(double windowSeconds, int sampleRate, double minTailSeconds)
    : m_window(std::llround(windowSeconds * sampleRate)),
      m_minTail(std::llround(minTailSeconds * sampleRate)), m_sampleRate(sampleRate)
{
    if (!(windowSeconds > 0) || sampleRate <= 0 || minTailSeconds < 0 || m_window < 1)
        throw InputError("segmenter: invalid window " + std::to_string(windowSeconds) + " s at " +
                         std::to_string(sampleRate) + " Hz");
}

std::int64_t Segmenter::numSegments(std::int64_t samples) const
{
    if (samples <= m_window)
        return 1;
    const std::int64_t full = samples / m_window;
    const std::int64_t tail = samples - full * m_window;
    return full + ((tail > 0 && tail >= m_minTail) ? 1 : 0);
}

at::Tensor Segmenter::split(const float* samples, std::int64_t count) const
{
    const std::int64_t n = numSegments(count);
    at::Tensor out = at::zeros({n, m_window}, at::kFloat);
    float* dst = out.data_ptr<float>();
    for (std::int64_t s = 0; s < n; ++s) {
        const std::int64_t begin = s * m_window;
        const std::int64_t len = std::clamp<std::int64_t>(count - begin, 0, m_window);
        if (len > 0)
            std::memcpy(dst + s * m_window, samples + begin, size_t(len) * sizeof(float));
    }
    return out;
}

at::Tensor Segmenter::split(const at::Tensor& wav) const
{
    TORCH_CHECK(wav.dim() == 1, "segmenter expects a [T] mono waveform, got ", wav.sizes());
    const at::Tensor w = wav.to(at::kFloat).contiguous().cpu();
    return split(w.data_ptr<float>(), w.size(0));
}

} // namespace ssondo
