// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <exception>
#include <string>

namespace ssondo {

/// The part of an exception's message a user needs, on one line: LibTorch's C++ backtrace is
/// dropped (c10::Error), and of a TorchScript interpreter error only the model's own exception
/// is kept ("RuntimeError: cannot embed silent input"), not its serialized-code traceback.
std::string errorText(const std::exception& e);

} // namespace ssondo
