// SPDX-License-Identifier: GPL-3.0-or-later
#include "teachers/FormTrial.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace ssondo {

void measureForm(FormTrial& trial, const at::Tensor& x)
{
    c10::InferenceMode inference;
    trial.forward(x);
    const auto t0 = std::chrono::steady_clock::now();
    trial.out = trial.forward(x).to(at::kDouble).cpu();
    trial.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::size_t chooseForm(const std::vector<FormTrial>& trials, std::string& times)
{
    // Equal to rounding: float32 reorderings (folded batch norm, blocked layouts) move the output
    // by a few hundred ulps of its scale; 1e-4 of the scale is a thousand.
    const FormTrial& ref = trials.front();
    const double scale = std::max(1.0, ref.out.abs().max().item<double>());
    std::size_t best = 0;
    for (std::size_t i = 0; i < trials.size(); ++i) {
        const FormTrial& t = trials[i];
        const bool same =
            t.out.sizes() == ref.out.sizes() && (t.out - ref.out).abs().max().item<double>() <= 1e-4 * scale;
        char b[128];
        std::snprintf(b, sizeof b, "%s%s %.1f ms%s", times.empty() ? "" : ", ", t.name.c_str(), 1e3 * t.seconds,
                      same ? "" : " (output differs: not used)");
        times += b;
        if (same && t.seconds < 0.9 * ref.seconds && t.seconds < trials[best].seconds)
            best = i;
    }
    return best;
}

} // namespace ssondo
