#include "cli/CliContext.h"

#include "experiments/EvaluationLog.h"
#include "util/Error.h"
#include "jobs/EvaluateJob.h"
#include "util/JsonLinesSink.h"
#include "workspace/Workspace.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace ssondo::cli {

namespace {

nlohmann::json opt(const std::optional<double>& v)
{
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json toJson(const EvaluationRecord& e)
{
    return {{"id", e.id},
            {"run", e.runId > 0 ? nlohmann::json(e.runId) : nlohmann::json(nullptr)},
            {"teacher", e.teacherIdentity},
            {"embedding_set", e.embeddingSetId},
            {"task", e.task},
            {"task_version", e.taskVersion},
            {"protocol", e.protocol},
            {"metric", e.metric},
            {"mean", e.mean},
            {"ci95", opt(e.ci95)},
            {"knn_mean", opt(e.knnMean)},
            {"knn_ci95", opt(e.knnCi95)},
            {"folds", nlohmann::json::parse(e.foldsJson)},
            {"clips", e.clips},
            {"classes", e.classes},
            {"seconds", e.seconds},
            {"created_at", e.createdAt}};
}

std::string pm(double mean, const std::optional<double>& ci)
{
    char b[64];
    if (ci)
        std::snprintf(b, sizeof b, "%.4f ± %.4f", mean, *ci);
    else
        std::snprintf(b, sizeof b, "%.4f", mean);
    return b;
}

void printEvaluation(const EvaluationRecord& e, const std::string& who)
{
    std::printf("  %-22s %-9s %s   kNN %s\n", who.c_str(), e.metric.c_str(), pm(e.mean, e.ci95).c_str(),
                e.knnMean ? pm(*e.knnMean, e.knnCi95).c_str() : "-");
}

} // namespace

void addEvaluateCommands(CLI::App& app, CliContext& ctx)
{
    auto cfg = std::make_shared<EvaluateConfig>();
    auto tasks = std::make_shared<std::vector<std::string>>();
    auto noTeacher = std::make_shared<bool>(false);
    auto* ev = app.add_subcommand("evaluate", "Linear probe and kNN of a run's student or a teacher on labelled tasks");
    ev->add_option("--task", *tasks, "Labelled dataset to evaluate on (repeat for several tasks)")->required();
    auto* runOpt = ev->add_option("--run", cfg->runId, "Run whose student is evaluated (mapping head dropped)");
    auto* teacherOpt =
        ev->add_option("--teacher", cfg->teacherSet, "Embedding set id whose teacher is evaluated (its set of the task is used)");
    runOpt->excludes(teacherOpt);
    ev->add_option("--folds-from", cfg->foldsFrom, "auto, dataset (its folds), split (train/valid/test) or stratified")
        ->check(CLI::IsMember({"auto", "dataset", "split", "stratified"}));
    ev->add_option("--folds", cfg->folds, "k of the stratified k-fold")->check(CLI::Range(3, 100));
    ev->add_option("--seed", cfg->seed, "Seed of the stratified k-fold");
    ev->add_option("--metric", cfg->metric, "auto (mAP for multi-label tasks), accuracy or mAP")
        ->check(CLI::IsMember({"auto", "accuracy", "mAP"}));
    ev->add_option("--knn", cfg->probe.knnK, "Neighbours of the cosine kNN classifier (0: none)")
        ->check(CLI::Range(0, 1000));
    ev->add_option("--max-iterations", cfg->probe.maxIterations, "L-BFGS iterations per probe fit")
        ->check(CLI::Range(1, 100000));
    ev->add_flag("--no-teacher", *noTeacher, "Do not evaluate the teacher for % of teacher");
    ev->add_option("--device", cfg->device, "auto, cpu, cuda or cuda:N (embedding the task with a student)");
    ev->add_option("--batch-size", cfg->batchSize, "Segments per student forward")->check(CLI::Range(1, 4096));
    ev->add_option("--workers", cfg->workers, "Decoding threads (0: cores - 1)")->check(CLI::Range(0, 256));
    ev->callback([&ctx, cfg, tasks, noTeacher]() {
        if (cfg->runId <= 0 && cfg->teacherSet <= 0)
            throw InputError("name what to evaluate: --run ID or --teacher EMBEDDING_SET_ID");
        cfg->withTeacher = !*noTeacher;
        cfg->commandLine = ctx.commandLine;
        auto ws = ctx.openWorkspace();
        auto sink = ctx.makeSink();
        std::vector<std::pair<double, double>> pairs;
        std::vector<EvaluateResult> results;
        for (const auto& task : *tasks) {
            EvaluateConfig c = *cfg;
            c.task = task;
            results.push_back(EvaluateJob::run(*ws, c, *sink, ctx.stop));
            const auto& r = results.back();
            if (r.stopped)
                return; // main() turns the signal into exit code 128 + signal
            if (r.pctOfTeacher)
                pairs.emplace_back(r.evaluation.mean, r.teacher->mean);
            if (ctx.json) {
                nlohmann::json j = toJson(r.evaluation);
                j["pct_of_teacher"] = opt(r.pctOfTeacher);
                j["teacher_mean"] = r.teacher ? nlohmann::json(r.teacher->mean) : nlohmann::json(nullptr);
                static_cast<JsonLinesSink*>(sink.get())->writeResult(j.dump());
            }
        }
        if (ctx.json)
            return;
        sink.reset();
        for (const auto& r : results) {
            const auto& e = r.evaluation;
            std::printf("Task %s: %s, %lld clips, %lld classes, %s\n", e.task.c_str(), e.metric.c_str(),
                        (long long)e.clips, (long long)e.classes, e.protocol.c_str());
            if (r.teacher)
                printEvaluation(*r.teacher, "teacher");
            printEvaluation(e, cfg->runId > 0 ? "run " + std::to_string(cfg->runId) : "teacher");
            if (r.pctOfTeacher)
                std::printf("  %% of teacher           %.1f%%\n", *r.pctOfTeacher);
            else if (!r.note.empty())
                std::printf("  (%s)\n", r.note.c_str());
        }
        if (pairs.size() > 1)
            std::printf("%% of teacher over %zu tasks (average / average): %.1f%%\n", pairs.size(),
                        percentOfTeacher(pairs));
    });

    auto* evs = app.add_subcommand("evaluations", "List stored evaluations");
    evs->require_subcommand(1);
    auto runFilter = std::make_shared<std::int64_t>(-1);
    auto* list = evs->add_subcommand("list", "Every evaluation, newest first");
    list->add_option("--run", *runFilter, "Only this run (0: teachers only)");
    list->callback([&ctx, runFilter]() {
        auto ws = ctx.openWorkspace(true);
        const auto all = EvaluationLog(ws->database()).list(*runFilter);
        if (ctx.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& e : all)
                j.push_back(toJson(e));
            ctx.printJson(j);
            return;
        }
        if (all.empty())
            std::cout << "No evaluations yet; run `ssondo evaluate --task DATASET --run ID`.\n";
        for (const auto& e : all)
            std::printf("%3lld  %-10s %-12s %-9s %s  kNN %s  %s\n", (long long)e.id,
                        e.runId > 0 ? ("run " + std::to_string(e.runId)).c_str() : "teacher", e.task.c_str(),
                        e.metric.c_str(), pm(e.mean, e.ci95).c_str(),
                        e.knnMean ? pm(*e.knnMean, e.knnCi95).c_str() : "-", e.protocol.c_str());
    });
}

} // namespace ssondo::cli
