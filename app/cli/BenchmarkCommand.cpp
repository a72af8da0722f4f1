// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliContext.h"

#include "jobs/BenchmarkJob.h"
#include "util/Error.h"
#include "util/JsonLinesSink.h"
#include "workspace/Workspace.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>

namespace ssondo::cli {

namespace {

struct BenchmarkArgs
{
    BenchmarkConfig cfg;
    std::string suite;
    std::vector<std::string> out;
};

/// The tasks: those given (saved under --suite when it is named too), or the saved suite.
std::vector<std::string> tasksOf(Workspace& ws, const BenchmarkArgs& a)
{
    if (!a.cfg.tasks.empty()) {
        if (!a.suite.empty())
            saveTaskSuite(ws.database(), a.suite, a.cfg.tasks);
        return a.cfg.tasks;
    }
    if (a.suite.empty())
        throw UsageError("name the tasks: --task NAME (repeat) or --suite NAME of a saved list");
    return loadTaskSuite(ws.database(), a.suite);
}

void writeTable(const BenchmarkTable& t, const std::string& path)
{
    const std::string text = t.format(path);
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!(f << text))
        throw InputError(path + ": cannot be written");
}

} // namespace

void addBenchmarkCommand(CLI::App& app, CliContext& ctx)
{
    auto a = std::make_shared<BenchmarkArgs>();
    auto* b = app.add_subcommand(
        "benchmark", "The paper's Table 1: students and teachers on a list of tasks (evaluates what "
                     "is not evaluated yet)");
    b->add_option("--run", a->cfg.runs, "Run whose student is a row (repeat)");
    b->add_option("--teacher", a->cfg.teacherSets, "Embedding set id whose teacher is a row (repeat)");
    b->add_option("--task", a->cfg.tasks, "Labelled dataset that is a column (repeat)");
    b->add_option("--suite", a->suite,
                  "Save the tasks given under this name, or use the list saved under it");
    b->add_option("--out", a->out,
                  "Also write the table to FILE.csv, FILE.md, FILE.tex or FILE.json (repeat)");
    b->add_option("--device", a->cfg.evaluate.device,
                  "auto, cpu, cuda or cuda:N (students embedding the tasks)");
    b->add_option("--batch-size", a->cfg.evaluate.batchSize, "Segments per forward")
        ->check(CLI::Range(1, 4096));
    b->add_option("--workers", a->cfg.evaluate.workers, "Decoding threads (0: cores - 1)")
        ->check(CLI::Range(0, 256));
    b->callback([&ctx, a]() {
        if (a->cfg.runs.empty() && a->cfg.teacherSets.empty())
            throw UsageError("name the rows: --run ID and/or --teacher EMBEDDING_SET_ID (repeat)");
        auto ws = ctx.openWorkspace();
        a->cfg.tasks = tasksOf(*ws, *a);
        a->cfg.evaluate.commandLine = ctx.commandLine;
        auto sink = ctx.makeSink();
        const BenchmarkResult r = BenchmarkJob::run(*ws, a->cfg, *sink, ctx.stop);
        for (const auto& path : a->out)
            writeTable(r.table, path);
        if (r.stopped)
            return; // main() turns the signal into exit code 128 + signal
        if (ctx.json) {
            auto j = nlohmann::json::parse(r.table.json());
            j["evaluated"] = r.evaluated;
            j["failed"] = r.failed;
            static_cast<JsonLinesSink*>(sink.get())->writeResult(j.dump());
            return;
        }
        sink.reset();
        std::cout << r.table.markdown();
        if (!r.evaluated.empty())
            std::cout << "\nEvaluated now: " << r.evaluated.size() << " (the others were in the log)\n";
        for (const auto& f : r.failed)
            std::cout << "Not evaluated: " << f << "\n";
    });
}

} // namespace ssondo::cli
