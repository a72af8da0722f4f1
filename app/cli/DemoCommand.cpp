// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliContext.h"

#include "clustering/ClusteringCatalog.h"
#include "data/DatasetCatalog.h"
#include "data/DatasetScanner.h"
#include "data/DemoDataset.h"
#include "experiments/EvaluationLog.h"
#include "experiments/JobLog.h"
#include "experiments/RunLog.h"
#include "jobs/ClusterJob.h"
#include "jobs/EvaluateJob.h"
#include "jobs/ExtractJob.h"
#include "jobs/ProfileJob.h"
#include "jobs/TrainJob.h"
#include "util/JsonLinesSink.h"
#include "workspace/Workspace.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;

namespace ssondo::cli {

namespace {

struct PipelineOptions
{
    std::int64_t epochs = 4;
    std::int64_t samplesPerEpoch = 256;
    double clipSeconds = 4.0;
    std::string student = "mn10";
};

/// The rest of the S-SONDO pipeline on the demo set: k-means of the teacher embeddings, two students
/// (cluster-balanced and uniform sampling), the linear probe of the teacher and of both students,
/// and their profiles. Finished steps are reused when the demo is run again.
nlohmann::json runPipeline(Workspace& w, std::int64_t setId, std::int64_t classes, const PipelineOptions& o,
                           ProgressSink& sink, const StopToken& stop)
{
    nlohmann::json out;
    // Clusters: as many as the demo has classes (the reference uses k = 50 on large datasets).
    ClusteringCatalog clusterings(w.database());
    std::int64_t clusteringId = 0;
    for (const auto& c : clusterings.list())
        if (c.embeddingSetId == setId && c.k == classes)
            clusteringId = c.id;
    if (clusteringId == 0) {
        ClusterConfig cc;
        cc.embeddings = setId;
        cc.kmeans.k = classes;
        cc.commandLine =
            "ssondo cluster --embeddings " + std::to_string(setId) + " --k " + std::to_string(classes);
        clusteringId = ClusterJob::run(w, cc, sink, stop).front().id;
    }
    out["clustering"] = clusteringId;
    if (stop.requested())
        return out;

    RunLog runs(w.database());
    std::vector<std::int64_t> runIds;
    for (const std::string sampler : {"balanced", "uniform"}) {
        const std::string name = "demo-" + o.student + "-" + sampler;
        std::int64_t id = 0;
        for (const auto& r : runs.list())
            if (r.name == name && r.status == RunStatus::Done)
                id = r.id;
        if (id == 0) {
            TrainConfig c;
            c.name = name;
            c.tags = {"demo"};
            c.embeddings = setId;
            c.arch = o.student;
            c.sampler = sampler;
            c.clustering = sampler == "balanced" ? clusteringId : 0;
            c.loss = "cosine";
            c.clipSeconds = o.clipSeconds;
            c.epochs = o.epochs;
            c.samplesPerEpoch = o.samplesPerEpoch;
            c.batchSize = 32;
            c.schedule = "cosine";
            c.warmupEpochs = 1;
            c.lr = 2e-3;
            c.preciseBn = 128;
            sink.info("Training " + name + ": " + o.student + ", cosine loss, " + sampler + " sampling, " +
                      std::to_string(o.epochs) + " epochs × " + std::to_string(o.samplesPerEpoch) + " clips");
            const TrainResult tr = TrainJob::run(w, c, "ssondo demo (" + name + ")", sink, stop);
            if (tr.stopped || stop.requested())
                return out;
            id = tr.runId;
        }
        runIds.push_back(id);
    }
    out["runs"] = runIds;

    EvaluateConfig ec;
    ec.task = "demo";
    ec.teacherSet = setId;
    ec.commandLine = "ssondo evaluate --task demo --teacher " + std::to_string(setId);
    const EvaluateResult teacher = EvaluateJob::run(w, ec, sink, stop);
    if (teacher.stopped)
        return out;
    out["teacher"] = {{"metric", teacher.evaluation.metric},
                      {"mean", teacher.evaluation.mean},
                      {"ci95", teacher.evaluation.ci95.value_or(0.0)}};
    for (auto id : runIds) {
        EvaluateConfig rc = ec;
        rc.teacherSet = 0;
        rc.runId = id;
        rc.commandLine = "ssondo evaluate --task demo --run " + std::to_string(id);
        const EvaluateResult r = EvaluateJob::run(w, rc, sink, stop);
        if (r.stopped)
            return out;
        ProfileConfig pc;
        pc.runId = id;
        pc.latencyRuns = 5;
        pc.commandLine = "ssondo profile --run " + std::to_string(id);
        const ProfileResult p = ProfileJob::run(w, pc, sink, stop);
        out["students"].push_back({{"run", id},
                                   {"name", runs.get(id).name},
                                   {"mean", r.evaluation.mean},
                                   {"ci95", r.evaluation.ci95.value_or(0.0)},
                                   {"knn_mean", r.evaluation.knnMean.value_or(0.0)},
                                   {"pct_of_teacher", r.pctOfTeacher.value_or(0.0)},
                                   {"held_out_cosine", p.agreement ? p.agreement->meanCosine : 0.0},
                                   {"knn_overlap", p.agreement ? p.agreement->knnOverlap : 0.0}});
    }
    return out;
}

} // namespace

void addDemoCommand(CLI::App& app, CliContext& ctx)
{
    struct DemoArgs
    {
        std::string dir = "demo-workspace";
        bool headless = false;
        bool dataOnly = false;
        PipelineOptions pipeline;
        int perClass = 25;
        std::uint64_t seed = 42;
    };
    auto a = std::make_shared<DemoArgs>();
    auto* demo = app.add_subcommand(
        "demo", "The whole pipeline on a synthetic labelled dataset: demo-teacher embeddings, clusters, two "
                "students (balanced and uniform sampling), probes of the teacher and students, % of teacher");
    demo->add_option("dir", a->dir, "Workspace folder to create (or --workspace)");
    demo->add_flag("--headless", a->headless, "Accepted for scripts; the CLI never opens a window");
    demo->add_option("--clips-per-class", a->perClass, "Clips per class (13 classes)")
        ->check(CLI::Range(2, 10000));
    demo->add_option("--seed", a->seed, "Random seed");
    demo->add_flag(
        "--data-only", a->dataOnly,
        "Stop after the dataset and its teacher embeddings (no clustering, training or evaluation)");
    demo->add_option("--epochs", a->pipeline.epochs, "Epochs of each demo student")
        ->check(CLI::Range(1, 1000));
    demo->add_option("--samples-per-epoch", a->pipeline.samplesPerEpoch, "Clips drawn per epoch")
        ->check(CLI::Range(8, 1000000));
    demo->add_option("--student", a->pipeline.student, "Student architecture of the demo runs")
        ->check(CLI::IsMember({"mn10", "dymn10", "eres2net"}));
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
                jobs.finish(jobId, JobState::Stopped, "stopped during the scan");
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
            nlohmann::json result{{"workspace", w->dir()},
                                  {"dataset_id", id},
                                  {"dataset", "demo"},
                                  {"clips", summary.clips},
                                  {"classes", summary.labels.size()},
                                  {"total_seconds", summary.totalSeconds},
                                  {"embedding_set", ex.embeddingSetId},
                                  {"embedded", ex.done},
                                  {"teacher", ex.teacherDescription}};
            if (!a->dataOnly && !ex.stopped && !ctx.stop.requested())
                result["pipeline"] = runPipeline(*w, ex.embeddingSetId, std::int64_t(summary.labels.size()),
                                                 a->pipeline, *sink, ctx.stop);
            const bool stopped = ex.stopped || ctx.stop.requested();
            jobs.finish(jobId, stopped ? JobState::Stopped : JobState::Done,
                        "dataset 'demo': " + std::to_string(summary.clips) + " clips; embedding set " +
                            std::to_string(ex.embeddingSetId) + ": " + std::to_string(ex.done) +
                            " clips embedded" + (result.contains("pipeline") ? "; pipeline done" : ""));
            if (ctx.json) {
                static_cast<JsonLinesSink*>(sink.get())->writeResult(result.dump());
                return;
            }
            sink.reset();
            std::printf("Dataset 'demo': %lld clips, %zu labels; embedding set %lld by the %s.\n",
                        (long long)summary.clips, summary.labels.size(), (long long)ex.embeddingSetId,
                        ex.teacherDescription.c_str());
            if (result.contains("pipeline") && result["pipeline"].contains("students")) {
                const auto& p = result["pipeline"];
                std::printf("Clustering %lld (k = %zu). Linear probe on the demo task (5 folds, accuracy):\n",
                            (long long)p["clustering"].get<std::int64_t>(), summary.labels.size());
                std::printf("  %-24s %.4f ± %.4f\n", "teacher", p["teacher"]["mean"].get<double>(),
                            p["teacher"]["ci95"].get<double>());
                for (const auto& st : p["students"])
                    std::printf(
                        "  %-24s %.4f ± %.4f   %.1f%% of teacher   held-out cosine %.3f, kNN overlap@10 %.3f\n",
                        st["name"].get<std::string>().c_str(), st["mean"].get<double>(),
                        st["ci95"].get<double>(), st["pct_of_teacher"].get<double>(),
                        st["held_out_cosine"].get<double>(), st["knn_overlap"].get<double>());
                std::string ids;
                for (const auto& st : p["students"])
                    ids += " " + std::to_string(st["run"].get<std::int64_t>());
                std::printf("Compare them: ssondo -w %s runs compare%s\n", w->dir().c_str(), ids.c_str());
            } else if (a->dataOnly) {
                std::printf("Next: ssondo -w %s train --dataset demo --epochs 12 --schedule cosine\n",
                            w->dir().c_str());
            }
            std::printf("Open it with: ssondo-workbench %s\n", w->dir().c_str());
        } catch (const std::exception& e) {
            jobs.finish(jobId, JobState::Failed, e.what());
            throw;
        }
    });
}

} // namespace ssondo::cli
