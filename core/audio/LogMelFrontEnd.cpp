// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/LogMelFrontEnd.h"

#include "util/Error.h"

#include <ATen/ATen.h>

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
    at::Tensor power; // [B, frames, F]
    if (m_options.power() == 2.0 && specT.device().is_cpu() && wav.scalar_type() == at::kFloat) {
        // |z|^2 = re^2 + im^2 in one pass: at::abs would take a square root (hypot) only to square it.
        specT = specT.contiguous();
        power = at::empty(specT.sizes(), wav.options());
        const auto* z = reinterpret_cast<const float*>(specT.data_ptr());
        float* p = power.data_ptr<float>();
        const std::int64_t n = power.numel();
        for (std::int64_t i = 0; i < n; ++i)
            p[i] = z[2 * i] * z[2 * i] + z[2 * i + 1] * z[2 * i + 1];
    } else {
        power = at::abs(specT);
        if (m_options.power() == 2.0)
            power = power.square();
        else if (m_options.power() != 1.0)
            power = power.pow(m_options.power());
    }
    // [B, frames, F] x [F, M] -> [B, frames, M]; log in place; then [B, 1, M, frames].
    const at::Tensor& fb = wav.scalar_type() == at::kDouble ? m_fb64 : m_fb;
    at::Tensor mel = at::matmul(power, fb.to(wav.device()));
    mel.add_(m_options.log_offset()).log_();
    return mel.transpose(1, 2).unsqueeze(1).contiguous();
}

} // namespace ssondo
