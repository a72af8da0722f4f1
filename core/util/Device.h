// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/ChoiceTable.h"

#include <string>

namespace ssondo {

/// The device requests every command and config key (train.device) takes. "cuda:N" stands for
/// any GPU index.
const ChoiceTable<Named<int>>& devices();

/// A request devices() names ("cuda:3" matches cuda:N), whether or not this machine has the device.
bool isDeviceRequest(const std::string& request);

/// Resolves a device request: "auto" → "cuda" when LibTorch was built with CUDA and a GPU is
/// visible, else "cpu"; "cpu", "cuda", "cuda:N" are checked. Throws InputError for anything else or
/// for "cuda" without a GPU.
std::string resolveDevice(const std::string& request);

} // namespace ssondo
