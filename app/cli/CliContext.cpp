// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliContext.h"

#include "cli/TerminalProgress.h"
#include "util/Error.h"
#include "util/JsonLinesSink.h"
#include "workspace/Workspace.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace ssondo::cli {

std::string CliContext::resolvedWorkspaceDir() const
{
    if (!workspaceDir.empty())
        return workspaceDir;
    if (const char* env = std::getenv("SSONDO_WORKSPACE"); env && *env)
        return env;
    return std::filesystem::current_path().string();
}

std::unique_ptr<Workspace> CliContext::openWorkspace(bool readOnly) const
{
    return Workspace::open(resolvedWorkspaceDir(), readOnly);
}

std::unique_ptr<ProgressSink> CliContext::makeSink() const
{
    if (json)
        return std::make_unique<JsonLinesSink>(std::cout);
    return std::make_unique<TerminalProgress>(std::cerr, quiet);
}

void CliContext::printJson(const nlohmann::json& j) const
{
    std::cout << j.dump(2) << std::endl;
}

} // namespace ssondo::cli
