// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

namespace ssondo {

enum class MelScale { Slaney, Htk };

/// Triangular mel filter bank, the same construction as torchaudio.functional.melscale_fbanks:
/// nFreqs bins evenly spaced over [0, sampleRate/2], nMels triangles with corners evenly spaced on
/// the mel scale between fMin and fMax (Hz). slaneyNorm divides each triangle by its width in Hz / 2
/// (constant energy per band). Returns [nFreqs, nMels] float64.
at::Tensor melFilterBank(int nFreqs, double fMin, double fMax, int nMels, int sampleRate,
                         MelScale scale = MelScale::Slaney, bool slaneyNorm = true);

/// Hz → mel and back on the chosen scale (Slaney: linear below 1 kHz, logarithmic above).
double hzToMel(double hz, MelScale scale);
double melToHz(double mel, MelScale scale);

} // namespace ssondo
