#include "cli/CliContext.h"

#include "data/DatasetCatalog.h"
#include "data/DatasetScanner.h"
#include "data/DemoDataset.h"
#include "jobs/ExtractJob.h"
#include "jobs/JobLog.h"
#include "util/JsonLinesSink.h"
#include "workspace/Workspace.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;

namespace ssondo::cli {

void addDemoCommand(CLI::App& app, CliContext& ctx)
{
    struct DemoArgs
    {
        std::string dir = "demo-workspace";
        bool headless = false;
        int perClass = 25;
        std::uint64_t seed = 42;
    };
    auto a = std::make_shared<DemoArgs>();
    auto* demo = app.add_subcommand(
        "demo", "Create a demo workspace: a synthetic labelled dataset and its demo-teacher embeddings");
    demo->add_option("dir", a->dir, "Workspace folder to create (or --workspace)");
    demo->add_flag("--headless", a->headless, "Accepted for scripts; the CLI never opens a window");
    demo->add_option("--clips-per-class", a->perClass, "Clips per class (13 classes)")
        ->check(CLI::Range(2, 10000));
    demo->add_option("--seed", a->seed, "Random seed");
    demo->callback([&ctx, a]() {
        const std::string dir = ctx.workspaceDir.empty() ? a->dir : ctx.workspaceDir;
        auto w = Workspace::create(dir);
        auto sink = ctx.makeSink();
        sink->info("Demo workspace: " + w->dir());
        const fs::path dataDir = fs::path(w->dir()) / "data" / "demo";
        JobLog jobs(w->database());
        const auto jobId = jobs.start("demo", "demo", ctx.commandLine);
        try {
            // 1. Synthesize the dataset (skipped when a previous demo run already wrote it).
            if (!fs::exists(dataDir / "labels.csv")) {
                DemoDatasetOptions o;
                o.clipsPerClass = a->perClass;
                o.seed = a->seed;
                const int n = DemoDataset::generate(dataDir.string(), o, sink.get());
                sink->info("Synthesized " + std::to_string(n) + " clips in " +
                           std::to_string(DemoDataset::classNames().size()) + " classes");
            }
            // 2. Record it in the workspace with labels and folds from labels.csv.
            ScanOptions so;
            so.labels = LabelSource::Csv;
            so.csvPath = (dataDir / "labels.csv").string();
            const DatasetScan scan = DatasetScanner::scan(dataDir.string(), so, sink.get(), &ctx.stop);
            if (scan.stopped) {
                jobs.finish(jobId, "stopped", "stopped during the scan");
                return;
            }
            DatasetCatalog catalog(w->database());
            const auto id = catalog.save("demo", scan, so);
            const auto summary = DatasetSummary::of(scan.clips);
            // 3. Teacher embeddings with the demo teacher (a few seconds; cached on later runs).
            ExtractConfig ec;
            ec.dataset = "demo";
            ec.commandLine = "ssondo -w " + w->dir() + " extract --dataset demo --teacher demo";
            const ExtractResult ex = ExtractJob::run(*w, ec, *sink, ctx.stop);
            jobs.finish(jobId, ex.stopped ? "stopped" : "done",
                        "dataset 'demo': " + std::to_string(summary.clips) + " clips; embedding set " +
                            std::to_string(ex.embeddingSetId) + ": " + std::to_string(ex.done) +
                            " clips embedded");
            nlohmann::json result{{"workspace", w->dir()},
                                  {"dataset_id", id},
                                  {"dataset", "demo"},
                                  {"clips", summary.clips},
                                  {"classes", summary.labels.size()},
                                  {"total_seconds", summary.totalSeconds},
                                  {"embedding_set", ex.embeddingSetId},
                                  {"embedded", ex.done},
                                  {"teacher", ex.teacherDescription}};
            if (ctx.json)
                static_cast<JsonLinesSink*>(sink.get())->writeResult(result.dump());
            else
                sink->info("Dataset 'demo' recorded: " + std::to_string(summary.clips) + " clips, " +
                           std::to_string(summary.labels.size()) + " labels; embedding set " +
                           std::to_string(ex.embeddingSetId) + " by the " + ex.teacherDescription + ".\n" +
                           "Next: ssondo -w " + w->dir() +
                           " train --dataset demo --epochs 12 --schedule cosine\n" +
                           "Open it with: ssondo-workbench " + w->dir());
        } catch (const std::exception& e) {
            jobs.finish(jobId, "failed", e.what());
            throw;
        }
    });
}

} // namespace ssondo::cli
