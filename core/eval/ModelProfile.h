// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>

namespace torch::nn {
class Module;
}

namespace ssondo {

/// Multiply-accumulates of the matrix products and convolutions run by `fn` on this thread:
/// counted from the ATen operators as they run (RecordFunction observers), so it works the same for
/// C++ modules and TorchScript teachers. An operator nested in a counted one (linear → addmm) is
/// not counted twice. Convolutions: output elements × (input channels / groups × kernel size);
/// products: output elements × inner dimension; scaled dot-product attention: both products.
/// Element-wise operations, normalisation and activations are not counted (as in the usual
/// MAC tables of EfficientAT and the paper).
std::int64_t countMacs(const std::function<void()>& fn);

/// Median wall time of `fn` in milliseconds over `runs` calls, after `warmup` calls.
double medianMilliseconds(const std::function<void()>& fn, int runs, int warmup = 2);

/// Bytes of the module's parameters and buffers serialised with torch::save (its file size).
std::int64_t serializedBytes(torch::nn::Module& module);

} // namespace ssondo
