// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include <map>
#include <string>
#include <vector>

namespace torch::nn {
class Module;
}

namespace ssondo {

/// Parameters and buffers by name ("features.0.0.weight"), as PyTorch's state_dict().
std::map<std::string, at::Tensor> stateDict(const torch::nn::Module& module);

/// What loading a state dict did.
struct LoadReport
{
    std::vector<std::string> loaded;
    std::vector<std::string> missing;    ///< in the module, not in the file
    std::vector<std::string> unexpected; ///< in the file, not in the module
    std::vector<std::string> mismatched; ///< same name, other shape ("key: file [..] vs model [..]")
};

/// Copies tensors whose names and shapes match into the module (no gradient tracking).
/// With strict, any missing, unexpected or mismatched key throws InputError listing them.
LoadReport loadStateDict(torch::nn::Module& module, const std::map<std::string, at::Tensor>& tensors,
                         bool strict, const std::string& source = "state dict");

/// Reads a PyTorch state dict saved with torch.save (a dict of tensors, possibly nested under
/// "state_dict" or "model", as Lightning and EfficientAT files are). Throws InputError naming the file.
std::map<std::string, at::Tensor> readPyTorchStateDict(const std::string& path);
/// Writes tensors so that Python's torch.load reads them back as a dict of tensors.
void writePyTorchStateDict(const std::string& path, const std::map<std::string, at::Tensor>& tensors);

} // namespace ssondo
