// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/ProfileJob.h"

#include "distill/TargetNorm.h"

#include "audio/LogMelFrontEnd.h"
#include "audio/Segmenter.h"
#include "data/DatasetCatalog.h"
#include "data/EmbeddingCatalog.h"
#include "data/EmbeddingStore.h"
#include "distill/DataPipeline.h"
#include "eval/Agreement.h"
#include "eval/ModelProfile.h"
#include "experiments/JobLog.h"
#include "jobs/RunModels.h"
#include "jobs/TrainJob.h"
#include "students/BlockScope.h"
#include "teachers/Teacher.h"
#include "util/Error.h"
#include "util/ErrorText.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "util/Threads.h"
#include "workspace/Workspace.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <thread>

namespace fs = std::filesystem;

namespace ssondo {

namespace {

constexpr double kClipSeconds = 10.0; // profiles are per 10 s clip, as in the paper

/// Per-block time, MACs and parameters of `embed` (which runs the student on a 10 s clip) as JSON.
std::string layerProfile(RunModels& m, const std::function<at::Tensor()>& embed, const ProfileConfig& cfg,
                         ProgressSink& sink, double& wholeMs)
{
    sink.info("Timing each block and the whole model, alternately (" + std::to_string(cfg.latencyRuns) +
              " runs each)");
    const BlockProfile bp = profileBlocks([&] { embed(); }, cfg.latencyRuns);
    wholeMs = bp.wholeMilliseconds;
    const std::vector<std::int64_t> params = blockParameters(*m.student, bp.blocks);
    nlohmann::json blocks = nlohmann::json::array();
    for (std::size_t b = 0; b < bp.blocks.size(); ++b)
        blocks.push_back({{"name", bp.blocks[b].name},
                          {"ms", bp.blocks[b].milliseconds},
                          {"macs", bp.blocks[b].macs},
                          {"params", params[b]}});
    return nlohmann::json{{"call_ms", bp.callMilliseconds}, {"blocks", blocks}}.dump();
}

ModelProfileRecord profileStudent(RunModels& m, const ProfileConfig& cfg, ProgressSink& sink)
{
    torch::NoGradGuard ng;
    const LogMelFrontEnd frontEnd;
    const at::Tensor wav = torch::randn({1, std::int64_t(kClipSeconds * frontEnd.sampleRate())}) * 0.1;
    // A 10 s clip is cut the way extraction cuts it (Segmenter): one segment for students trained on
    // 10 s clips, several (the last zero-padded) otherwise.
    const Segmenter seg(m.config.clipSeconds, frontEnd.sampleRate());
    const at::Tensor batch = seg.split(wav[0].contiguous());
    auto embed = [&] {
        const at::Tensor mel = studentBlock("front end", [&] { return frontEnd.forward(batch); });
        return m.student->forward(mel).mean(0);
    };
    ModelProfileRecord r;
    r.runId = m.run.id;
    r.subject = m.config.arch + " (run " + std::to_string(m.run.id) + ")";
    r.backboneParams = parameterCount(*m.student);
    r.headParams = parameterCount(*m.head);
    r.fileBytes = serializedBytes(*m.student);
    r.macs = countMacs([&] { embed(); });
    r.latencyRuns = cfg.latencyRuns;
    r.threads = at::get_num_threads();
    sink.info("Timing " + r.subject + " on a 10 s clip (" + std::to_string(cfg.latencyRuns) + " runs, " +
              std::to_string(r.threads) + " threads)");
    if (cfg.layers) // the whole model is timed between the observed calls (BlockProfile)
        r.layersJson = layerProfile(m, embed, cfg, sink, r.latencyMs);
    else
        r.latencyMs = medianMilliseconds([&] { embed(); }, cfg.latencyRuns);
    return r;
}

ModelProfileRecord profileTeacher(const std::string& file, const ProfileConfig& cfg, ProgressSink& sink)
{
    TeacherSpec spec;
    spec.source = file;
    auto teacher = openTeacher(spec);
    if (teacher->kind() != TeacherKind::TorchScript)
        throw InputError("--teacher-file must be a TorchScript teacher (.pt); " + file + " is " +
                         teacherKindName(teacher->kind()));
    torch::NoGradGuard ng;
    const std::int64_t window = std::int64_t(teacher->windowSeconds() * teacher->sampleRate());
    const std::int64_t segments =
        std::max<std::int64_t>(1, std::llround(kClipSeconds / teacher->windowSeconds()));
    const at::Tensor batch = torch::randn({segments, window}) * 0.1;
    ModelProfileRecord r;
    r.subject = fs::absolute(file).lexically_normal().string();
    r.backboneParams = teacher->parameterCount();
    r.fileBytes = std::int64_t(fs::file_size(file));
    r.macs = countMacs([&] { teacher->embed(batch); });
    r.latencyRuns = cfg.latencyRuns;
    r.threads = at::get_num_threads();
    sink.info("Timing the teacher " + r.subject + " on a 10 s clip");
    r.latencyMs = medianMilliseconds([&] { teacher->embed(batch); }, cfg.latencyRuns);
    return r;
}

AgreementRecord agreementOf(Workspace& ws, RunModels& m, const ProfileConfig& cfg, ProgressSink& sink,
                            const StopToken& stop)
{
    const RunData data = loadRunData(ws, m.config);
    if (data.val.size() < 2)
        throw InputError("run " + std::to_string(m.run.id) + " held out " + std::to_string(data.val.size()) +
                         " clip(s); agreement needs at least 2 (train with a larger val_fraction)");
    const int workers = cfg.workers > 0 ? cfg.workers : std::max(1, logicalCores() - 1);
    DataPipeline pipeline({data.paths, data.store.get(), nullptr, m.config.clipSeconds}, LogMelOptions{},
                          workers, &sink);
    std::vector<std::vector<std::int64_t>> batches;
    for (std::size_t i = 0; i < data.val.size(); i += 16)
        batches.emplace_back(data.val.begin() + long(i),
                             data.val.begin() + long(std::min(data.val.size(), i + 16)));
    torch::NoGradGuard ng;
    std::vector<at::Tensor> preds, targets;
    pipeline.start(batches);
    std::int64_t done = 0;
    while (auto b = pipeline.next()) {
        if (stop.requested())
            break;
        preds.push_back(m.head->forward(m.student->forward(b->mel)));
        targets.push_back(b->target);
        done += std::int64_t(b->items.size());
        sink.progress("agreement", done, std::int64_t(data.val.size()));
    }
    pipeline.stop();
    if (stop.requested())
        throw InputError("stopped");
    // The head predicts in the space of the run's loss.target_norm: the teacher is compared there.
    const TargetNorm norm = TargetNorm::ofRun(
        m.config.targetNorm, fs::path(m.checkpointPath).parent_path().string(), m.teacherDim);
    const AgreementScores s = embeddingAgreement(norm.apply(at::cat(targets)), at::cat(preds), cfg.k);
    AgreementRecord r;
    r.runId = m.run.id;
    r.clips = at::cat(targets).size(0);
    r.meanCosine = s.meanCosine;
    r.knnOverlap = s.knnOverlap;
    r.k = s.k;
    return r;
}

} // namespace

ProfileResult ProfileJob::run(Workspace& ws, const ProfileConfig& cfg, ProgressSink& sink,
                              const StopToken& stop)
{
    if (cfg.runId <= 0 && cfg.teacherFile.empty())
        throw InputError("name what to profile: --run ID and/or --teacher-file FILE.pt");
    if (cfg.latencyRuns < 1)
        throw InputError("--runs must be at least 1");
    pinIntraOpThreads(cfg.threads > 0 ? cfg.threads : computeThreads());
    ProfileResult res;
    EvaluationLog log(ws.database());
    JobLog jobs(ws.database());
    const std::string target = cfg.runId > 0 ? "run " + std::to_string(cfg.runId) : cfg.teacherFile;
    const std::int64_t jobId = jobs.start("profile", target, cfg.commandLine);
    try {
        if (cfg.runId > 0) {
            RunModels m = loadRunModels(ws, cfg.runId);
            res.student = profileStudent(m, cfg, sink);
            res.student->id = log.addProfile(*res.student);
            if (cfg.agreement && !stop.requested()) {
                res.agreement = agreementOf(ws, m, cfg, sink, stop);
                res.agreement->id = log.addAgreement(*res.agreement);
            }
        }
        if (!cfg.teacherFile.empty() && !stop.requested()) {
            res.teacher = profileTeacher(cfg.teacherFile, cfg, sink);
            res.teacher->id = log.addProfile(*res.teacher);
        }
        jobs.finish(jobId, stop.requested() ? JobState::Stopped : JobState::Done, "profiled " + target);
    } catch (const std::exception& e) {
        jobs.finish(jobId, stop.requested() ? JobState::Stopped : JobState::Failed, errorText(e));
        throw;
    }
    return res;
}

} // namespace ssondo
