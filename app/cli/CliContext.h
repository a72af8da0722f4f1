// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/StopToken.h"

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ssondo {

class Workspace;
class ProgressSink;

namespace cli {

/// What every subcommand shares: global flags, the workspace, output helpers and the stop token
/// that SIGINT/SIGTERM fire.
struct CliContext
{
    std::string workspaceDir;      ///< --workspace, else $SSONDO_WORKSPACE, else the current folder
    bool json = false;             ///< --json: machine-readable output on stdout
    bool quiet = false;            ///< --quiet: no progress on stderr
    std::string commandLine;       ///< the command as typed, recorded with jobs
    std::vector<std::string> argv; ///< the arguments as given (argv[0] first)
    StopToken stop;

    /// Opens the workspace named by the flags; throws InputError when there is none.
    std::unique_ptr<Workspace> openWorkspace(bool readOnly = false) const;
    /// Resolved workspace folder (flag, environment, current folder).
    std::string resolvedWorkspaceDir() const;

    /// A progress sink for a job: JSON lines on stdout with --json, a progress line on stderr otherwise.
    std::unique_ptr<ProgressSink> makeSink() const;

    /// Prints a JSON document (--json) on stdout.
    void printJson(const nlohmann::json& j) const;
};

/// Registration functions, one per command group (each in its own .cpp).
void addWorkspaceCommands(CLI::App& app, CliContext& ctx);
void addDatasetCommands(CLI::App& app, CliContext& ctx);
void addDemoCommand(CLI::App& app, CliContext& ctx);
void addExtractCommands(CLI::App& app, CliContext& ctx);
void addTrainCommands(CLI::App& app, CliContext& ctx);
void addExportCommand(CLI::App& app, CliContext& ctx);
void addClusterCommands(CLI::App& app, CliContext& ctx);
void addRunsCommands(CLI::App& app, CliContext& ctx);
void addEvaluateCommands(CLI::App& app, CliContext& ctx);
void addBenchmarkCommand(CLI::App& app, CliContext& ctx);
void addSlurmCommands(CLI::App& app, CliContext& ctx);
void addSweepCommands(CLI::App& app, CliContext& ctx);
void addAlignCommand(CLI::App& app, CliContext& ctx);

} // namespace cli
} // namespace ssondo
