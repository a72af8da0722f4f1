// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

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

/// The cost of one named block of a model (a RecordFunction user scope, students/BlockScope.h).
struct BlockCost
{
    std::string name;
    double milliseconds = 0; ///< mean over the middle half of the timed calls
    std::int64_t macs = 0;
};

/// Per-block time and MACs of `fn`: blocks are the outermost user scopes it opens, in the order
/// they first run; what runs outside every block is the last row, "(outside blocks)". The MACs of
/// the rows add up to countMacs(fn) exactly. Times come from `runs` observed calls: each row is its
/// mean over the middle half of the calls (by total), so the rows add up to callMilliseconds, those
/// calls' mean; wholeMilliseconds is the median of as many plain calls (no observer), each run
/// just before an observed one, for the whole-model figure.
struct BlockProfile
{
    static constexpr const char* kOutside = "(outside blocks)";
    std::vector<BlockCost> blocks;
    double callMilliseconds = 0;
    double wholeMilliseconds = 0;
};
BlockProfile profileBlocks(const std::function<void()>& fn, int runs, int warmup = 2);

/// Parameters of each block of `module` (the same order as blocks), found by the blocks' names:
/// parameter prefixes joined by '+' (students/BlockScope.h). Parameters of no block go to the
/// last row, BlockProfile::kOutside.
std::vector<std::int64_t> blockParameters(torch::nn::Module& module, const std::vector<BlockCost>& blocks);

/// Median wall time of `fn` in milliseconds over `runs` calls, after `warmup` calls.
double medianMilliseconds(const std::function<void()>& fn, int runs, int warmup = 2);

/// Bytes of the module's parameters and buffers serialised with torch::save (its file size).
std::int64_t serializedBytes(torch::nn::Module& module);

} // namespace ssondo
