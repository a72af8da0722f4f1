// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/ErrorText.h"

#include <c10/util/Exception.h>

#include <sstream>
#include <vector>

namespace ssondo {

namespace {

std::vector<std::string> nonEmptyLines(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.find_first_not_of(" \t\r") != std::string::npos)
            lines.push_back(line);
    return lines;
}

} // namespace

std::string errorText(const std::exception& e)
{
    const auto* c10 = dynamic_cast<const c10::Error*>(&e);
    const std::vector<std::string> lines = nonEmptyLines(c10 ? c10->what_without_backtrace() : e.what());
    if (lines.empty())
        return "an error without a message";
    std::string text = lines.front();
    // TorchScript: "The following operation failed in the TorchScript interpreter." then the
    // serialized code, the original code, and last the model's own "builtins.KindError: message".
    if (text.find("TorchScript interpreter") != std::string::npos) {
        text = lines.back();
        const std::string builtins = "builtins.";
        if (text.compare(0, builtins.size(), builtins) == 0)
            text.erase(0, builtins.size());
    }
    return text;
}

} // namespace ssondo
