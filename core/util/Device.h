#pragma once

#include <string>

namespace ssondo {

/// Resolves a device request: "auto" → "cuda" when LibTorch was built with CUDA and a GPU is
/// visible, else "cpu"; "cpu", "cuda", "cuda:N" are checked. Throws InputError for anything else or
/// for "cuda" without a GPU.
std::string resolveDevice(const std::string& request);

} // namespace ssondo
