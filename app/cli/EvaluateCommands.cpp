// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliContext.h"

#include "experiments/EvaluationLog.h"
#include "jobs/EvaluateJob.h"
#include "jobs/ProfileJob.h"
#include "util/Error.h"
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

nlohmann::json toJson(const ModelProfileRecord& p)
{
    return {{"id", p.id},
            {"run", p.runId > 0 ? nlohmann::json(p.runId) : nlohmann::json(nullptr)},
            {"subject", p.subject},
            {"backbone_params", p.backboneParams},
            {"head_params", p.headParams},
            {"file_bytes", p.fileBytes},
            {"macs", p.macs},
            {"latency_ms", p.latencyMs},
            {"latency_runs", p.latencyRuns},
            {"threads", p.threads},
            {"layers", p.layersJson.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(p.layersJson)}};
}

/// The per-block table of `profile --layers`, with the sum of the rows against the whole model.
void printLayers(const ModelProfileRecord& p)
{
    const nlohmann::json j = nlohmann::json::parse(p.layersJson);
    double sum = 0;
    for (const auto& b : j["blocks"])
        sum += b["ms"].get<double>();
    std::printf("  per block (the middle half of %lld calls, %lld threads):\n  %-34s %10s %10s %9s %7s\n",
                (long long)p.latencyRuns, (long long)p.threads, "block", "params", "MMACs", "ms", "time");
    for (const auto& b : j["blocks"])
        std::printf("  %-34s %10lld %10.2f %9.2f %6.1f%%\n", b["name"].get<std::string>().c_str(),
                    (long long)b["params"].get<std::int64_t>(), double(b["macs"].get<std::int64_t>()) / 1e6,
                    b["ms"].get<double>(), sum > 0 ? 100.0 * b["ms"].get<double>() / sum : 0.0);
    std::printf("  sum of the blocks %.1f ms; the whole model %.1f ms (%+.1f%%)\n", sum, p.latencyMs,
                p.latencyMs > 0 ? 100.0 * (sum - p.latencyMs) / p.latencyMs : 0.0);
}

void printProfile(const ModelProfileRecord& p)
{
    std::printf("%s\n  parameters  %lld backbone", p.subject.c_str(), (long long)p.backboneParams);
    if (p.headParams > 0)
        std::printf(" + %lld mapping head (dropped after distillation)", (long long)p.headParams);
    std::printf("\n  file        %.2f MB\n  MACs        %.3f G per 10 s clip\n", double(p.fileBytes) / 1e6,
                double(p.macs) / 1e9);
    std::printf("  latency     %.1f ms per 10 s clip on the CPU (median of %lld, %lld threads)\n",
                p.latencyMs, (long long)p.latencyRuns, (long long)p.threads);
    if (!p.layersJson.empty())
        printLayers(p);
}

} // namespace

void addEvaluateCommands(CLI::App& app, CliContext& ctx)
{
    auto cfg = std::make_shared<EvaluateConfig>();
    auto tasks = std::make_shared<std::vector<std::string>>();
    auto noTeacher = std::make_shared<bool>(false);
    auto* ev = app.add_subcommand("evaluate",
                                  "Linear probe and kNN of a run's student or a teacher on labelled tasks");
    ev->add_option("--task", *tasks, "Labelled dataset to evaluate on (repeat for several tasks)")
        ->required();
    auto* runOpt =
        ev->add_option("--run", cfg->runId, "Run whose student is evaluated (mapping head dropped)");
    auto* teacherOpt =
        ev->add_option("--teacher", cfg->teacherSet,
                       "Embedding set id whose teacher is evaluated (its set of the task is used)");
    runOpt->excludes(teacherOpt);
    ev->add_option("--folds-from", cfg->foldsFrom,
                   "auto, dataset (its folds), split (train/valid/test) or stratified")
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
    ev->add_option("--batch-size", cfg->batchSize, "Segments per student forward")
        ->check(CLI::Range(1, 4096));
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

    auto pc = std::make_shared<ProfileConfig>();
    auto noAgreement = std::make_shared<bool>(false);
    auto* pr = app.add_subcommand("profile",
                                  "Size, MACs and CPU latency of a run's student or a TorchScript teacher, "
                                  "and the run's agreement with its teacher");
    pr->add_option("--run", pc->runId, "Run whose student is profiled");
    pr->add_option("--teacher-file", pc->teacherFile, "TorchScript teacher (.pt) to profile")
        ->check(CLI::ExistingFile);
    pr->add_option("--runs", pc->latencyRuns, "Timed calls (the median is reported)")
        ->check(CLI::Range(1, 10000));
    pr->add_option("--threads", pc->threads, "Intra-op threads while timing (0: every core)")
        ->check(CLI::Range(0, 1024));
    pr->add_flag("--no-agreement", *noAgreement, "Skip the teacher-student agreement on held-out clips");
    pr->add_flag(
        "--layers", pc->layers,
        "Also time, count the MACs and the parameters of each block of the student (stored with the run)");
    pr->add_option("--k", pc->k, "Neighbours of the kNN overlap")->check(CLI::Range(1, 1000));
    pr->add_option("--workers", pc->workers, "Decoding threads (0: cores - 1)")->check(CLI::Range(0, 256));
    pr->callback([&ctx, pc, noAgreement]() {
        pc->agreement = !*noAgreement;
        pc->commandLine = ctx.commandLine;
        auto ws = ctx.openWorkspace();
        auto sink = ctx.makeSink();
        const ProfileResult r = ProfileJob::run(*ws, *pc, *sink, ctx.stop);
        if (ctx.json) {
            nlohmann::json j;
            j["student"] = r.student ? toJson(*r.student) : nlohmann::json(nullptr);
            j["teacher"] = r.teacher ? toJson(*r.teacher) : nlohmann::json(nullptr);
            j["agreement"] = r.agreement ? nlohmann::json{{"clips", r.agreement->clips},
                                                          {"mean_cosine", r.agreement->meanCosine},
                                                          {"knn_overlap", r.agreement->knnOverlap},
                                                          {"k", r.agreement->k}}
                                         : nlohmann::json(nullptr);
            static_cast<JsonLinesSink*>(sink.get())->writeResult(j.dump());
            return;
        }
        sink.reset();
        if (r.student)
            printProfile(*r.student);
        if (r.agreement)
            std::printf(
                "  agreement   on %lld held-out clips: mean teacher-student cosine %.4f, kNN overlap@%lld %.4f\n",
                (long long)r.agreement->clips, r.agreement->meanCosine, (long long)r.agreement->k,
                r.agreement->knnOverlap);
        if (r.teacher)
            printProfile(*r.teacher);
        if (r.student && r.teacher && r.student->backboneParams > 0 &&
            r.teacher->backboneParams > r.student->backboneParams)
            std::printf("The student has %.1fx fewer parameters and %.1fx fewer MACs than the teacher.\n",
                        double(r.teacher->backboneParams) / double(r.student->backboneParams),
                        double(r.teacher->macs) / double(std::max<std::int64_t>(1, r.student->macs)));
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
