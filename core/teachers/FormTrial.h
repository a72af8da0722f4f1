// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include <functional>
#include <string>
#include <vector>

namespace ssondo {

/// One candidate form of a model (as exported, frozen, batch norm folded, ...) tried before a long
/// extraction: its forward, and what measureForm found.
struct FormTrial
{
    std::string name;
    std::function<at::Tensor(const at::Tensor&)> forward;
    at::Tensor out; ///< on the trial batch, float64 on the CPU
    double seconds = 0;
};

/// Windows in the trial batch: about six forwards of it are spent choosing, so a caller tries
/// forms only for jobs of at least twenty times that.
constexpr std::int64_t kFormTrialBatch = 8;

/// Runs the trial's forward on x twice under inference mode, timing the second call (a first call
/// specialises TorchScript graphs and warms oneDNN's primitive cache). Throws what forward throws.
void measureForm(FormTrial& trial, const at::Tensor& x);

/// The index of the form to use among measured trials, trials[0] being the reference: the fastest
/// whose output equals the reference's to 1e-4 of its scale and that takes under 0.9 of the
/// reference's time (a clear gain only). Appends "name 12.3 ms, ..." to `times`.
std::size_t chooseForm(const std::vector<FormTrial>& trials, std::string& times);

} // namespace ssondo
