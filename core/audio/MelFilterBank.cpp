// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/MelFilterBank.h"

#include "util/Error.h"

#include <ATen/ATen.h>

#include <cmath>

namespace ssondo {

namespace {
// Slaney's Auditory Toolbox constants (as in librosa and torchaudio).
constexpr double kFSp = 200.0 / 3.0;
constexpr double kMinLogHz = 1000.0;
constexpr double kMinLogMel = kMinLogHz / kFSp;
const double kLogStep = std::log(6.4) / 27.0;
} // namespace

double hzToMel(double hz, MelScale scale)
{
    if (scale == MelScale::Htk)
        return 2595.0 * std::log10(1.0 + hz / 700.0);
    if (hz >= kMinLogHz)
        return kMinLogMel + std::log(hz / kMinLogHz) / kLogStep;
    return hz / kFSp;
}

double melToHz(double mel, MelScale scale)
{
    if (scale == MelScale::Htk)
        return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
    if (mel >= kMinLogMel)
        return kMinLogHz * std::exp(kLogStep * (mel - kMinLogMel));
    return kFSp * mel;
}

at::Tensor melFilterBank(int nFreqs, double fMin, double fMax, int nMels, int sampleRate, MelScale scale,
                         bool slaneyNorm)
{
    if (nFreqs < 2 || nMels < 1 || sampleRate <= 0 || fMin < 0 || fMax <= fMin || fMax > sampleRate / 2.0)
        throw InputError(
            "mel filter bank: need 0 <= f_min < f_max <= sample_rate/2 and n_mels >= 1 (got f_min " +
            std::to_string(fMin) + ", f_max " + std::to_string(fMax) + ", sample rate " +
            std::to_string(sampleRate) + ", n_mels " + std::to_string(nMels) + ")");
    // The formula of torchaudio 0.13's melscale_fbanks, computed in float64: at the edges of a
    // triangle a weight is a small difference of large frequencies, where float32 arithmetic
    // would make the weights depend on the CPU's vector exp/pow (0.06 % in some bands between
    // ATen's scalar and AVX2 kernels). Rounded once to float32 by the caller, they are the same
    // on every machine.
    const auto f64 = at::TensorOptions().dtype(at::kDouble);
    const at::Tensor allFreqs =
        at::linspace(0, sampleRate / 2, nFreqs, f64); // integer Nyquist, as torchaudio
    const at::Tensor mPts = at::linspace(hzToMel(fMin, scale), hzToMel(fMax, scale), nMels + 2, f64);
    at::Tensor fPts;
    if (scale == MelScale::Htk) {
        fPts = 700.0 * (at::pow(10.0, mPts / 2595.0) - 1.0);
    } else {
        fPts = kFSp * mPts; // f_min of the Slaney scale is 0
        const at::Tensor logPart = kMinLogHz * at::exp(kLogStep * (mPts - kMinLogMel));
        fPts = at::where(mPts >= kMinLogMel, logPart, fPts);
    }
    const at::Tensor fDiff = fPts.slice(0, 1) - fPts.slice(0, 0, -1);    // [nMels + 1]
    const at::Tensor slopes = fPts.unsqueeze(0) - allFreqs.unsqueeze(1); // [nFreqs, nMels + 2]
    const at::Tensor down = (-1.0 * slopes.slice(1, 0, -2)) / fDiff.slice(0, 0, -1);
    const at::Tensor up = slopes.slice(1, 2) / fDiff.slice(0, 1);
    at::Tensor fb = at::clamp_min(at::minimum(down, up), 0.0);
    if (slaneyNorm)
        fb = fb * (2.0 / (fPts.slice(0, 2, nMels + 2) - fPts.slice(0, 0, nMels))).unsqueeze(0);
    return fb.contiguous();
}

} // namespace ssondo
