// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include <map>
#include <string>

namespace ssondo {

/// Reads the tensors of a file written by Python's torch.save (zip format, pickle protocol 2):
/// nested dicts and OrderedDicts of tensors, as state dicts are. LibTorch's own unpickler turns
/// every OrderedDict into None, so it cannot read state dicts saved from model.state_dict(); this
/// reader handles the subset of pickle that torch.save emits for them. Keys of nested dicts are
/// joined with '.' ("state_dict.features.0.0.weight"). Throws InputError naming the file.
std::map<std::string, at::Tensor> readTorchSaveTensors(const std::string& path);

} // namespace ssondo
