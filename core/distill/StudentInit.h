// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace ssondo {

class ProgressSink;
class StudentBackbone;

/// Starts `student` from a PyTorch state dict with the reference key names (EfficientAT's
/// ImageNet mn10/dymn10 files, an exported run...): classifier keys are dropped as the reference
/// does, the prefixes of the reference's wrappers are stripped, and what is missing, unexpected or
/// of another shape is reported to `sink` (those tensors keep their fresh initialisation).
/// Throws InputError when no tensor matches.
void initFromStateDict(StudentBackbone& student, const std::string& path, const std::string& arch,
                       ProgressSink& sink);

} // namespace ssondo
