// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/nn/module.h>

#include <string>

namespace ssondo {

class StudentBackbone;

/// Copies every parameter and buffer of `from` into `to`, a student of the same architecture and
/// options (same names and shapes). Throws c10::Error naming a key that does not match.
void copyStudentState(const torch::nn::Module& from, torch::nn::Module& to);

/// Folds each batch norm that directly follows a convolution in a Sequential (MobileNetV3's
/// conv–BN–activation triples, for example) into that convolution: w·γ/σ and β + (b − μ)·γ/σ,
/// computed in float64, σ = √(running variance + ε). Each folded batch norm then passes its input
/// through; it refuses to train. For inference copies only: the module's state dict no longer
/// matches its architecture's. Returns the number folded.
int foldBatchNorms(torch::nn::Module& module);

/// Stores every 4-d parameter and buffer channels-last (NHWC). oneDNN's convolutions then run in
/// that layout (a channels-last weight is enough), and so do the activations between them.
void toChannelsLast(torch::nn::Module& module);

/// Whether a student trains channels-last on `device`: on the CPU, where oneDNN's NHWC kernels
/// take mn10's training step from 10.0 s to 5.7 s (batch 16, 2 threads; docs/decisions.md).
bool trainsChannelsLast(const std::string& device);

} // namespace ssondo
