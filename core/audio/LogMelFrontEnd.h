// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "audio/MelFilterBank.h"

#include <ATen/core/Tensor.h>
#include <torch/arg.h>

#include <cstdint>
#include <vector>

namespace ssondo {

/// Settings of the log-mel front end. Defaults are the S-SONDO student front end
/// (reference/SSONDO.md): 32 kHz, n_fft = window = 1024, hop 512, periodic Hann, no centring,
/// power 2, 128 Slaney mels 50-16000 Hz with Slaney norm, ln(mel + 0.001).
struct LogMelOptions
{
    /// input sample rate in Hz
    TORCH_ARG(int, sample_rate) = 32000;
    /// FFT size in samples
    TORCH_ARG(int, n_fft) = 1024;
    /// window length in samples (<= n_fft; centred in the FFT frame like torch.stft)
    TORCH_ARG(int, win_length) = 1024;
    /// hop between frames in samples
    TORCH_ARG(int, hop_length) = 512;
    /// number of mel bands
    TORCH_ARG(int, n_mels) = 128;
    /// lowest band edge in Hz
    TORCH_ARG(double, f_min) = 50.0;
    /// highest band edge in Hz (<= sample_rate / 2)
    TORCH_ARG(double, f_max) = 16000.0;
    /// mel scale of the band corners
    TORCH_ARG(MelScale, mel_scale) = MelScale::Slaney;
    /// Slaney area normalisation of each band
    TORCH_ARG(bool, slaney_norm) = true;
    /// added before the natural log
    TORCH_ARG(double, log_offset) = 0.001;
    /// spectrum exponent: 2 = power, 1 = magnitude
    TORCH_ARG(double, power) = 2.0;
};

/// Waveform → log-mel spectrogram. Stateless apart from the cached window and filter bank, so
/// one instance may be shared by threads for forward() calls on the same device.
class LogMelFrontEnd
{
public:
    explicit LogMelFrontEnd(LogMelOptions options = {});

    const LogMelOptions& options() const { return m_options; }
    int sampleRate() const { return m_options.sample_rate(); }

    /// Frames produced for `samples` input samples: 1 + (samples - n_fft) / hop (no centring);
    /// inputs shorter than n_fft are zero-padded to one frame.
    std::int64_t numFrames(std::int64_t samples) const;

    /// wav: [B, T] or [T] float32 mono at sampleRate() Hz → [B, 1, n_mels, numFrames(T)] float32,
    /// natural-log mel energies. Runs on wav's device. A float64 wav is computed in float64 throughout
    /// (window, filter bank, STFT, projection): the exact value the float32 result approximates.
    at::Tensor forward(const at::Tensor& wav) const;

    /// Mel filter bank in use for float32 input, [n_fft/2 + 1, n_mels] (computed in float64, rounded).
    const at::Tensor& filterBank() const { return m_fb; }

private:
    LogMelOptions m_options;
    at::Tensor m_window; // [win_length] periodic Hann
    at::Tensor m_fb;     // [n_fft/2+1, n_mels]
    at::Tensor m_fb64;   // the same in float64

    /// The float32 filter bank by bands: a triangle's weights are one run of bins, so a frame's
    /// projection costs about 2 × F products instead of F × n_mels.
    struct Bands
    {
        std::vector<std::int32_t> first, count, offset; // per band: first bin, bins, start in weights
        std::vector<float> weights;
    };
    Bands m_bands;

    /// spec: [B, frames, F] complex64 on the CPU, contiguous → [B, frames, n_mels] mel power, the
    /// power of each bin and its bands computed in one pass over the frame.
    at::Tensor melPowerCpu(const at::Tensor& spec) const;
};

} // namespace ssondo
