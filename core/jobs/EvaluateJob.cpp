// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/EvaluateJob.h"

#include "data/DatasetCatalog.h"
#include "data/EmbeddingCatalog.h"
#include "data/EmbeddingStore.h"
#include "experiments/Database.h"
#include "experiments/JobLog.h"
#include "experiments/RunLog.h"
#include "jobs/ExtractJob.h"
#include "jobs/StudentTeacher.h"
#include "util/Error.h"
#include "util/ErrorText.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "workspace/Workspace.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace ssondo {

namespace {

std::vector<std::string> splitLabels(const std::string& label)
{
    std::vector<std::string> out;
    std::stringstream ss(label);
    std::string part;
    while (std::getline(ss, part, ';')) {
        const auto b = part.find_first_not_of(" \t"), e = part.find_last_not_of(" \t");
        if (b != std::string::npos)
            out.push_back(part.substr(b, e - b + 1));
    }
    return out;
}

/// Folds of every clip of the dataset (so that a teacher and a student get the same folds even when
/// their failed clips differ).
FoldPlan planFor(const std::vector<ClipInfo>& clips, const std::vector<int>& primary,
                 const EvaluateConfig& cfg, const std::string& task)
{
    std::set<int> folds;
    bool train = false, valid = false, test = false;
    for (std::size_t i = 0; i < clips.size(); ++i) {
        if (primary[i] < 0)
            continue;
        if (clips[i].fold >= 0)
            folds.insert(clips[i].fold);
        train |= clips[i].split == "train", valid |= clips[i].split == "valid",
            test |= clips[i].split == "test";
    }
    std::string how = cfg.foldsFrom;
    if (how == "auto")
        how = folds.size() >= 3 ? "dataset" : (train && valid && test) ? "split" : "stratified";
    if (how == "dataset") {
        if (folds.size() < 3)
            throw InputError("dataset '" + task + "' has " + std::to_string(folds.size()) +
                             " folds; use --folds-from stratified (or split)");
        std::vector<int> f;
        for (std::size_t i = 0; i < clips.size(); ++i)
            f.push_back(primary[i] < 0 ? -1 : clips[i].fold);
        return FoldPlan::fromFolds(f, "dataset folds (" + std::to_string(folds.size()) + ")");
    }
    if (how == "split") {
        std::vector<std::string> s;
        for (std::size_t i = 0; i < clips.size(); ++i)
            s.push_back(primary[i] < 0 ? std::string() : clips[i].split);
        return FoldPlan::fromSplits(s);
    }
    if (how == "stratified")
        return FoldPlan::stratified(primary, cfg.folds, cfg.seed);
    throw InputError("--folds-from must be auto, dataset, split or stratified (got '" + cfg.foldsFrom + "')");
}

FoldPlan restrict(const FoldPlan& p, const std::vector<std::int64_t>& rows)
{
    FoldPlan out = p;
    out.fold.clear();
    for (auto r : rows)
        out.fold.push_back(p.fold[size_t(r)]);
    return out;
}

} // namespace

EvaluateResult EvaluateJob::run(Workspace& ws, const EvaluateConfig& cfg, ProgressSink& sink,
                                const StopToken& stop)
{
    if ((cfg.runId > 0) == (cfg.teacherSet > 0))
        throw InputError("evaluate either a run (--run ID) or a teacher (--teacher EMBEDDING_SET_ID)");
    Database& db = ws.database();
    DatasetCatalog datasets(db);
    const DatasetRecord ds = datasets.get(cfg.task);
    const std::vector<ClipInfo> clips = datasets.clips(ds.id);

    // --- labels → classes
    std::vector<std::vector<std::string>> names(clips.size());
    std::set<std::string> classSet;
    bool multi = false;
    for (std::size_t i = 0; i < clips.size(); ++i) {
        names[i] = splitLabels(clips[i].label);
        multi |= names[i].size() > 1;
        classSet.insert(names[i].begin(), names[i].end());
    }
    if (classSet.size() < 2)
        throw InputError(
            "dataset '" + ds.name + "' has " + std::to_string(classSet.size()) +
            " label(s); evaluation needs a labelled dataset with at least 2 classes (add it with "
            "--labels folders or --labels csv)");
    std::string metric = cfg.metric == "auto" ? (multi ? "mAP" : "accuracy") : cfg.metric;
    if (metric != "accuracy" && metric != "mAP")
        throw InputError("--metric must be auto, accuracy or mAP (got '" + cfg.metric + "')");
    if (metric == "accuracy" && multi)
        throw InputError("dataset '" + ds.name + "' has clips with several labels; use --metric mAP");
    std::map<std::string, int> classIndex;
    for (const auto& c : classSet)
        classIndex.emplace(c, int(classIndex.size()));
    std::vector<int> primary(clips.size(), -1);
    for (std::size_t i = 0; i < clips.size(); ++i)
        if (!names[i].empty() && clips[i].readable())
            primary[i] = classIndex[names[i].front()];
    const FoldPlan plan = planFor(clips, primary, cfg, ds.name);

    // --- the embeddings probed
    EmbeddingCatalog catalog(db);
    EvaluateResult res;
    EvaluationRecord rec;
    EmbeddingSetRecord set;
    JobLog jobs(db);
    const std::string subject = cfg.runId > 0 ? "run " + std::to_string(cfg.runId) : "teacher";
    const std::int64_t jobId = jobs.start("evaluate", ds.name + " (" + subject + ")", cfg.commandLine);
    try {
        if (cfg.runId > 0) {
            const RunRecord run = RunLog(db).get(cfg.runId);
            rec.runId = run.id;
            const auto trainSet = catalog.find(run.embeddingSetId);
            rec.teacherIdentity = trainSet ? trainSet->teacherIdentity : run.teacher;
            ExtractConfig ex;
            ex.dataset = ds.name;
            ex.model = StudentTeacher::fromRun(ws, run.id);
            ex.teacher.source = "run:" + std::to_string(run.id);
            ex.device = cfg.device;
            ex.batchSize = cfg.batchSize;
            ex.workers = cfg.workers;
            ex.commandLine = cfg.commandLine;
            sink.info("Embedding '" + ds.name + "' with the " + ex.model->description());
            const ExtractResult er = ExtractJob::run(ws, ex, sink, stop);
            if (er.stopped) {
                res.stopped = true;
                jobs.finish(jobId, JobState::Stopped, "stopped while embedding '" + ds.name + "'");
                return res;
            }
            set = catalog.get(er.embeddingSetId);
        } else {
            const EmbeddingSetRecord given = catalog.get(cfg.teacherSet);
            rec.teacherIdentity = given.teacherIdentity;
            if (given.datasetName == ds.name) {
                set = given;
            } else {
                const auto onTask = catalog.latestFor(ds.name, given.teacherIdentity);
                if (!onTask)
                    throw InputError("the teacher of embedding set " + std::to_string(given.id) + " (" +
                                     given.teacherDescription + ") has no embeddings of '" + ds.name +
                                     "'; run `ssondo extract --dataset " + ds.name + " --teacher " +
                                     given.teacherSource + "` first");
                set = *onTask;
            }
        }
        if (set.datasetVersion != ds.version)
            throw InputError("dataset '" + ds.name + "' changed since embedding set " +
                             std::to_string(set.id) + " was made; extract it again");
        const auto store = EmbeddingStore::open((fs::path(ws.dir()) / set.path).string());
        if (store->rows() != std::int64_t(clips.size()))
            throw InputError("embedding set " + std::to_string(set.id) + " has " +
                             std::to_string(store->rows()) + " rows for " + std::to_string(clips.size()) +
                             " clips of '" + ds.name + "'");
        std::vector<std::int64_t> rows;
        std::int64_t skippedFailed = 0;
        for (std::size_t i = 0; i < clips.size(); ++i) {
            if (plan.fold[i] < 0)
                continue;
            if (store->state(std::int64_t(i)) == EmbeddingStore::RowState::Done)
                rows.push_back(std::int64_t(i));
            else
                ++skippedFailed;
        }
        if (skippedFailed > 0)
            sink.warning(std::to_string(skippedFailed) + " labelled clips have no embedding and are left out",
                         "embedding set " + std::to_string(set.id));
        ProbeData data;
        data.features = store->rowsAt(rows);
        data.numClasses = std::int64_t(classIndex.size());
        data.multiLabel = metric == "mAP";
        for (auto r : rows) {
            std::vector<int> l;
            for (const auto& n : names[size_t(r)])
                l.push_back(classIndex[n]);
            data.labels.push_back(l);
        }
        sink.info("Linear probe on " + std::to_string(rows.size()) + " clips, " +
                  std::to_string(data.numClasses) + " classes, " + std::to_string(set.dim) +
                  "-d embeddings of set " + std::to_string(set.id) + "; " + plan.protocol + ", " + metric);
        res.probe = runLinearProbe(data, restrict(plan, rows), cfg.probe, &sink, &stop);
        if (stop.requested()) {
            res.stopped = true;
            jobs.finish(jobId, JobState::Stopped, "stopped during the probe");
            return res;
        }

        rec.embeddingSetId = set.id;
        rec.task = ds.name;
        rec.taskVersion = ds.version;
        rec.protocol = plan.protocol;
        rec.metric = metric;
        rec.mean = res.probe.mean;
        if (!std::isnan(res.probe.ci95))
            rec.ci95 = res.probe.ci95;
        if (cfg.probe.knnK > 0) {
            rec.knnMean = res.probe.knnMean;
            if (!std::isnan(res.probe.knnCi95))
                rec.knnCi95 = res.probe.knnCi95;
        }
        nlohmann::json folds = nlohmann::json::array();
        for (const auto& f : res.probe.folds)
            folds.push_back({{"fold", f.fold},
                             {"score", f.score},
                             {"knn", f.knnScore},
                             {"weight_decay", f.weightDecay},
                             {"validation", f.validationScore},
                             {"train", f.trainRows},
                             {"test", f.testRows}});
        rec.foldsJson = folds.dump();
        rec.clips = std::int64_t(rows.size());
        rec.classes = data.numClasses;
        rec.seconds = res.probe.seconds;
        rec.id = EvaluationLog(db).add(rec);
        rec.createdAt = utcNow();
        res.evaluation = rec;

        // --- % of teacher
        if (cfg.runId > 0) {
            EvaluationLog log(db);
            res.teacher =
                log.teacherReference(rec.teacherIdentity, ds.name, ds.version, plan.protocol, metric);
            if (!res.teacher && cfg.withTeacher) {
                const auto onTask = catalog.latestFor(ds.name, rec.teacherIdentity);
                if (onTask && onTask->datasetVersion == ds.version && onTask->done > 0) {
                    sink.info("Evaluating the teacher on '" + ds.name + "' too (reference of % of teacher)");
                    EvaluateConfig t = cfg;
                    t.runId = 0;
                    t.teacherSet = onTask->id;
                    res.teacher = run(ws, t, sink, stop).evaluation;
                }
            }
            if (res.teacher && res.teacher->mean > 0)
                res.pctOfTeacher = percentOfTeacher({{rec.mean, res.teacher->mean}});
            else
                res.note = "no evaluation of the teacher on '" + ds.name +
                           "' with the same folds; extract the teacher's embeddings of it and evaluate with "
                           "--teacher";
        }
        char msg[256];
        std::snprintf(msg, sizeof msg, "%s %.4f ± %.4f (kNN %.4f)", metric.c_str(), rec.mean,
                      rec.ci95.value_or(0.0), rec.knnMean.value_or(0.0));
        std::string summary = msg;
        if (res.pctOfTeacher) {
            std::snprintf(msg, sizeof msg, ", %.1f%% of teacher", *res.pctOfTeacher);
            summary += msg;
        }
        jobs.finish(jobId, JobState::Done, summary);
    } catch (const std::exception& e) {
        jobs.finish(jobId, JobState::Failed, errorText(e));
        throw;
    }
    return res;
}

} // namespace ssondo
