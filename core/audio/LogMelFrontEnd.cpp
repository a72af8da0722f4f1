// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/LogMelFrontEnd.h"

#include "util/Error.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <string>

namespace ssondo {

LogMelFrontEnd::LogMelFrontEnd(LogMelOptions options) : m_options(options)
{
    const auto& o = m_options;
    if (o.sample_rate() <= 0 || o.n_fft() <= 0 || o.hop_length() <= 0 || o.win_length() <= 0 ||
        o.win_length() > o.n_fft() || o.n_mels() <= 0 || o.power() <= 0)
        throw InputError("front end: invalid settings (sample_rate " + std::to_string(o.sample_rate()) +
                         ", n_fft " + std::to_string(o.n_fft()) + ", win_length " +
                         std::to_string(o.win_length()) + ", hop " + std::to_string(o.hop_length()) +
                         ", n_mels " + std::to_string(o.n_mels()) + ")");
    // torch.hann_window(N) is periodic by default, as in the reference.
    m_window = at::hann_window(o.win_length(), at::TensorOptions().dtype(at::kFloat));
    m_fb64 = melFilterBank(o.n_fft() / 2 + 1, o.f_min(), o.f_max(), o.n_mels(), o.sample_rate(),
                           o.mel_scale(), o.slaney_norm());
    m_fb = m_fb64.to(at::kFloat);
    const at::Tensor fbT = m_fb.t().contiguous(); // [M, F]
    const std::int64_t F = fbT.size(1);
    for (std::int64_t k = 0; k < fbT.size(0); ++k) {
        const float* w = fbT.data_ptr<float>() + k * F;
        std::int64_t a = 0, b = F;
        while (a < F && w[a] == 0.f)
            ++a;
        while (b > a && w[b - 1] == 0.f)
            --b;
        m_bands.first.push_back(std::int32_t(a));
        m_bands.count.push_back(std::int32_t(b - a));
        m_bands.offset.push_back(std::int32_t(m_bands.weights.size()));
        m_bands.weights.insert(m_bands.weights.end(), w + a, w + b);
    }
}

at::Tensor LogMelFrontEnd::melPowerCpu(const at::Tensor& spec) const
{
    const std::int64_t F = spec.size(2), rows = spec.size(0) * spec.size(1), M = m_options.n_mels();
    at::Tensor mel = at::empty({spec.size(0), spec.size(1), M}, at::TensorOptions().dtype(at::kFloat));
    const auto* z = reinterpret_cast<const float*>(spec.data_ptr());
    float* out = mel.data_ptr<float>();
    at::parallel_for(0, rows, 32, [&](std::int64_t begin, std::int64_t end) {
        std::vector<float> power(static_cast<std::size_t>(F));
        for (std::int64_t r = begin; r < end; ++r) {
            const float* zr = z + 2 * r * F;
            for (std::int64_t f = 0; f < F; ++f) // |z|²: at::abs would take a root only to square it
                power[size_t(f)] = zr[2 * f] * zr[2 * f] + zr[2 * f + 1] * zr[2 * f + 1];
            for (std::int64_t k = 0; k < M; ++k) {
                const float* w = m_bands.weights.data() + m_bands.offset[size_t(k)];
                const float* p = power.data() + m_bands.first[size_t(k)];
                const std::int32_t n = m_bands.count[size_t(k)];
                float sum = 0.f; // a sum of n terms in any order: within n·u of exact, as the dense product
#pragma omp simd reduction(+ : sum)
                for (std::int32_t j = 0; j < n; ++j)
                    sum += w[j] * p[j];
                out[r * M + k] = sum;
            }
        }
    });
    return mel;
}

std::int64_t LogMelFrontEnd::numFrames(std::int64_t samples) const
{
    const std::int64_t n = std::max<std::int64_t>(samples, m_options.n_fft());
    return 1 + (n - m_options.n_fft()) / m_options.hop_length();
}

at::Tensor LogMelFrontEnd::forward(const at::Tensor& wavIn) const
{
    TORCH_CHECK(wavIn.dim() == 1 || wavIn.dim() == 2, "front end expects [B, T] or [T], got ", wavIn.sizes());
    at::Tensor wav = wavIn.dim() == 1 ? wavIn.unsqueeze(0) : wavIn;
    if (wav.scalar_type() != at::kDouble) // float64 stays float64 (reference computations)
        wav = wav.to(at::kFloat);
    if (wav.size(1) < m_options.n_fft())
        wav = at::constant_pad_nd(wav, {0, m_options.n_fft() - wav.size(1)}, 0.0);

    const at::Tensor window = wav.scalar_type() == at::kDouble
                                  ? at::hann_window(m_options.win_length(), wav.options())
                                  : m_window.to(wav.device());
    // The 8-argument overload is torch.stft with center=False (no padding), as in the reference.
    at::Tensor spec = at::stft(wav, m_options.n_fft(), m_options.hop_length(), m_options.win_length(), window,
                               /*normalized=*/false, /*onesided=*/true, /*return_complex=*/true);
    // torch.stft returns [B, F, frames] as a transposed view of [B, frames, F] storage; work in
    // that [B, frames, F] layout so nothing is copied before the mel projection.
    at::Tensor specT = spec.transpose(1, 2);
    at::Tensor mel; // [B, frames, M]
    if (m_options.power() == 2.0 && specT.device().is_cpu() && wav.scalar_type() == at::kFloat) {
        mel = melPowerCpu(specT.contiguous());
    } else {
        at::Tensor power = at::abs(specT);
        if (m_options.power() == 2.0)
            power = power.square();
        else if (m_options.power() != 1.0)
            power = power.pow(m_options.power());
        const at::Tensor& fb = wav.scalar_type() == at::kDouble ? m_fb64 : m_fb;
        mel = at::matmul(power, fb.to(wav.device())); // [B, frames, F] x [F, M]
    }
    // log in place; then [B, 1, M, frames].
    mel.add_(m_options.log_offset()).log_();
    return mel.transpose(1, 2).unsqueeze(1).contiguous();
}

} // namespace ssondo
