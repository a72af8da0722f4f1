#include "audio/MelFilterBank.h"

#include "util/Error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <vector>

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
        throw InputError("mel filter bank: need 0 <= f_min < f_max <= sample_rate/2 and n_mels >= 1 (got f_min " +
                         std::to_string(fMin) + ", f_max " + std::to_string(fMax) + ", sample rate " +
                         std::to_string(sampleRate) + ", n_mels " + std::to_string(nMels) + ")");
    // Corner frequencies of the triangles (nMels + 2 points, evenly spaced in mel).
    const double mMin = hzToMel(fMin, scale);
    const double mMax = hzToMel(fMax, scale);
    std::vector<double> fPts(size_t(nMels) + 2);
    for (int i = 0; i < nMels + 2; ++i)
        fPts[size_t(i)] = melToHz(mMin + (mMax - mMin) * i / double(nMels + 1), scale);

    // torchaudio uses linspace(0, sample_rate // 2, n_freqs) (integer Nyquist).
    const double nyquist = double(sampleRate / 2);
    at::Tensor fb = at::zeros({nFreqs, nMels}, at::kFloat);
    auto acc = fb.accessor<float, 2>();
    for (int f = 0; f < nFreqs; ++f) {
        const double hz = nyquist * f / double(nFreqs - 1);
        for (int m = 0; m < nMels; ++m) {
            const double lo = fPts[size_t(m)], mid = fPts[size_t(m) + 1], hi = fPts[size_t(m) + 2];
            const double down = (hz - lo) / (mid - lo);
            const double up = (hi - hz) / (hi - mid);
            double w = std::max(0.0, std::min(down, up));
            if (slaneyNorm)
                w *= 2.0 / (hi - lo);
            acc[f][m] = float(w);
        }
    }
    return fb;
}

} // namespace ssondo
