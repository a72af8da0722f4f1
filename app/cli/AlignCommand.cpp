// SPDX-License-Identifier: GPL-3.0-or-later
// ssondo align: how the student's mapped embeddings follow the teacher's through training, on the
// run's alignment sample: mean cosine, kNN overlap@k and the worst teacher clusters per snapshot.
#include "cli/CliContext.h"

#include "jobs/AlignJob.h"
#include "util/JsonLinesSink.h"
#include "util/ProgressSink.h"
#include "workspace/Workspace.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>

namespace ssondo::cli {

namespace {

nlohmann::json toJson(const AlignResult& r)
{
    nlohmann::json epochs = nlohmann::json::array();
    for (const auto& e : r.epochs) {
        nlohmann::json clusters = nlohmann::json::array();
        for (const auto& c : e.clusters)
            clusters.push_back({{"cluster", c.cluster}, {"clips", c.clips}, {"mean_cosine", c.meanCosine}});
        epochs.push_back({{"epoch", e.epoch},
                          {"clips", e.clips},
                          {"mean_cosine", e.meanCosine},
                          {"knn_overlap", e.knnOverlap},
                          {"k", e.k},
                          {"clusters", clusters}});
    }
    return {{"run", r.runId}, {"clips", r.clips}, {"snapshot_made", r.snapshotMade}, {"epochs", epochs}};
}

void print(const AlignResult& r)
{
    std::printf("Run %lld: alignment with the teacher on %lld training clips%s\n", (long long)r.runId,
                (long long)r.clips, r.snapshotMade ? " (snapshot made now from the last checkpoint)" : "");
    std::printf("  %5s  %11s  %14s  %s\n", "epoch", "mean cosine", "kNN overlap@k",
                "worst clusters (mean cosine)");
    for (const auto& e : r.epochs) {
        std::string worst;
        for (std::size_t i = 0; i < e.clusters.size() && i < 3; ++i) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%s%lld: %.3f", i ? ", " : "", (long long)e.clusters[i].cluster,
                          e.clusters[i].meanCosine);
            worst += buf;
        }
        std::printf("  %5lld  %11.4f  %11.4f@%-2lld  %s\n", (long long)e.epoch, e.meanCosine, e.knnOverlap,
                    (long long)e.k, worst.c_str());
    }
}

} // namespace

void addAlignCommand(CLI::App& app, CliContext& ctx)
{
    auto cfg = std::make_shared<AlignConfig>();
    auto* al = app.add_subcommand(
        "align", "Where the student agrees with the teacher, epoch by epoch: mean cosine, kNN overlap and "
                 "per-cluster cosine of the run's alignment sample (made now for a run that kept none)");
    al->add_option("--run", cfg->runId, "Run")->required();
    al->add_option("--clips", cfg->clips,
                   "Sample size for a run without snapshots (default: the smaller of 2000 and a sixteenth of "
                   "its training clips)")
        ->check(CLI::Range(1, 100000));
    al->add_option("--k", cfg->k, "Neighbours of the kNN overlap")->check(CLI::Range(1, 1000));
    al->add_option("--workers", cfg->workers, "Decoding threads (0: cores - 1)")->check(CLI::Range(0, 256));
    al->callback([&ctx, cfg]() {
        auto ws = ctx.openWorkspace();
        auto sink = ctx.makeSink();
        const AlignResult r = AlignJob::run(*ws, *cfg, *sink, ctx.stop);
        if (ctx.json) {
            static_cast<JsonLinesSink*>(sink.get())->writeResult(toJson(r).dump());
            return;
        }
        sink.reset();
        print(r);
    });
}

} // namespace ssondo::cli
