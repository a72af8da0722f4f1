// SPDX-License-Identifier: GPL-3.0-or-later
// ssondo: the command line of S-SONDO Workbench. Every job the GUI runs is one of these commands.
// Exit codes: 0 success, 1 runtime error, 2 usage error, 130/143 stopped by SIGINT/SIGTERM after
// saving what was done.

#include "cli/CliContext.h"
#include "util/Error.h"
#include "util/ErrorText.h"
#include "util/Threads.h"

#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>

namespace {

ssondo::StopToken* g_stop = nullptr;
volatile std::sig_atomic_t g_signal = 0;

extern "C" void onSignal(int sig)
{
    g_signal = sig;
    if (g_stop)
        g_stop->request();
}

} // namespace

int main(int argc, char** argv)
{
    ssondo::cli::CliContext ctx;
    // Recorded with jobs and copied from the GUI: quoted so that a shell (and Resume) runs it again.
    for (int i = 0; i < argc; ++i) {
        const std::string a = argv[i];
        ctx.argv.push_back(a);
        const bool plain =
            !a.empty() && a.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789-_./=:,+@%") == std::string::npos;
        std::string quoted = "'";
        for (char c : a)
            quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
        ctx.commandLine += (i ? " " : "") + (plain ? a : quoted + "'");
    }
    g_stop = &ctx.stop;
    struct sigaction sa
    {
    };
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    // Past a file-size limit (ulimit -f) a write must fail with EFBIG and be reported, not kill the
    // process halfway through a checkpoint.
    signal(SIGXFSZ, SIG_IGN);

    // Every command's tensor work: OMP_NUM_THREADS if set, else all cores (LibTorch's own default
    // is the physical cores, which on a machine with two hyperthreads per core is half of them).
    ssondo::pinIntraOpThreads(ssondo::computeThreads());

    CLI::App app{"ssondo: self-supervised distillation of audio foundation models (S-SONDO Workbench)",
                 "ssondo"};
    app.set_version_flag("--version", std::string("ssondo ") + SSONDO_VERSION);
    app.option_defaults()->always_capture_default();
    app.require_subcommand(1);
    app.fallthrough();
    app.add_option("-w,--workspace", ctx.workspaceDir,
                   "Workspace folder (default: $SSONDO_WORKSPACE, else the current folder)");
    app.add_flag("--json", ctx.json, "Machine-readable output: JSON on stdout (JSON lines for jobs)");
    app.add_flag("-q,--quiet", ctx.quiet, "No progress output on stderr");

    ssondo::cli::addWorkspaceCommands(app, ctx);
    ssondo::cli::addDatasetCommands(app, ctx);
    ssondo::cli::addExtractCommands(app, ctx);
    ssondo::cli::addClusterCommands(app, ctx);
    ssondo::cli::addTrainCommands(app, ctx);
    ssondo::cli::addExportCommand(app, ctx);
    ssondo::cli::addEvaluateCommands(app, ctx);
    ssondo::cli::addBenchmarkCommand(app, ctx);
    ssondo::cli::addRunsCommands(app, ctx);
    ssondo::cli::addDemoCommand(app, ctx);
    ssondo::cli::addSweepCommands(app, ctx);
    ssondo::cli::addAlignCommand(app, ctx);
    ssondo::cli::addSlurmCommands(app, ctx);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    } catch (const ssondo::UsageError& e) {
        std::cerr << "ssondo: " << e.what() << std::endl;
        return 2;
    } catch (const ssondo::InputError& e) {
        std::cerr << "ssondo: " << e.what() << std::endl;
        return 1;
    } catch (const ssondo::Error& e) {
        std::cerr << "ssondo: error: " << e.what() << std::endl;
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "ssondo: error: " << ssondo::errorText(e) << std::endl;
        return 1;
    } catch (...) {
        std::cerr << "ssondo: error: an unknown exception (not a std::exception) ended the command"
                  << std::endl;
        return 1;
    }
    if (g_signal)
        return 128 + g_signal;
    return 0;
}
