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
                         ", n_fft " + std::to_string(o.n_fft()) + ", win_length " + std::to_string(o.win_length()) +
                         ", hop " + std::to_string(o.hop_length()) + ", n_mels " + std::to_string(o.n_mels()) + ")");
    // torch.hann_window(N) is periodic by default, as in the reference.
    m_window = at::hann_window(o.win_length(), at::TensorOptions().dtype(at::kFloat));
    m_fb = melFilterBank(o.n_fft() / 2 + 1, o.f_min(), o.f_max(), o.n_mels(), o.sample_rate(), o.mel_scale(),
                         o.slaney_norm());
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
    wav = wav.to(at::kFloat);
    if (wav.size(1) < m_options.n_fft())
        wav = at::constant_pad_nd(wav, {0, m_options.n_fft() - wav.size(1)}, 0.0);

    const at::Tensor window = m_window.to(wav.device());
    // The 8-argument overload is torch.stft with center=False (no padding), as in the reference.
    at::Tensor spec = at::stft(wav, m_options.n_fft(), m_options.hop_length(), m_options.win_length(), window,
                               /*normalized=*/false, /*onesided=*/true, /*return_complex=*/true);
    at::Tensor power = at::abs(spec);  // [B, F, frames]
    if (m_options.power() == 2.0)
        power = power.square();
    else if (m_options.power() != 1.0)
        power = power.pow(m_options.power());
    // [B, frames, F] x [F, M] -> [B, frames, M] -> [B, M, frames]
    at::Tensor mel = at::matmul(power.transpose(1, 2), m_fb.to(wav.device())).transpose(1, 2);
    return at::log(mel + m_options.log_offset()).unsqueeze(1).contiguous();
}

} // namespace ssondo
