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
                 const EvaluateConfig& cfg, const std::string& task, const DatasetProtocol& protocol)
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
    if (how == "auto" && !protocol.evaluation.empty()) // what the dataset's own metadata says
        how = protocol.evaluation == "folds" ? "dataset" : protocol.evaluation;
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
        return FoldPlan::fromSplits(s, cfg.seed);
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

/// One run of EvaluateJob::run: the state its steps share.
class Evaluation
{
public:
    Evaluation(Workspace& ws, const EvaluateConfig& cfg, ProgressSink& sink, const StopToken& stop)
        : m_ws(ws), m_cfg(cfg), m_sink(sink), m_stop(stop), m_db(ws.database()), m_catalog(m_db), m_jobs(m_db)
    {
    }

    EvaluateResult run();

private:
    void readClasses();
    bool embedWithStudent();
    void findTeacherSet();
    std::unique_ptr<EmbeddingStore> openStore() const;
    std::vector<std::int64_t> rowsProbed(const EmbeddingStore& store) const;
    ProbeData probeData(const EmbeddingStore& store, const std::vector<std::int64_t>& rows);
    void record(const std::vector<std::int64_t>& rows, const ProbeData& data);
    void compareWithTeacher();
    std::string summary() const;
    EvaluateResult stopped(const std::string& why);

    Workspace& m_ws;
    const EvaluateConfig& m_cfg;
    ProgressSink& m_sink;
    const StopToken& m_stop;
    Database& m_db;
    DatasetRecord m_ds;
    std::vector<ClipInfo> m_clips;
    std::vector<std::vector<std::string>> m_names; ///< each clip's labels
    std::vector<std::vector<std::string>> m_known; ///< masked tasks: each clip's annotated labels
    bool m_masked = false;
    std::map<std::string, int> m_classIndex;
    std::string m_metric;
    FoldPlan m_plan;
    EmbeddingCatalog m_catalog;
    EvaluateResult m_res;
    EvaluationRecord m_rec;
    EmbeddingSetRecord m_set;
    JobLog m_jobs;
    std::int64_t m_jobId = 0;
};

/// Labels → classes: the class index of every label (in the dataset's vocabulary order when its
/// layout gives one), the metric (the layout's, else mAP when clips have several labels), and the
/// fold plan. A clip is in the plan when it has a label, or, on a masked task, a known one.
void Evaluation::readClasses()
{
    const DatasetProtocol& proto = m_ds.protocol;
    m_names.resize(m_clips.size());
    m_known.resize(m_clips.size());
    std::set<std::string> classSet;
    bool multi = proto.multiLabel;
    for (std::size_t i = 0; i < m_clips.size(); ++i) {
        m_names[i] = splitLabels(m_clips[i].label);
        m_known[i] = splitLabels(m_clips[i].known);
        multi |= m_names[i].size() > 1;
        classSet.insert(m_names[i].begin(), m_names[i].end());
        classSet.insert(m_known[i].begin(), m_known[i].end());
    }
    if (classSet.size() < 2)
        throw InputError(
            "dataset '" + m_ds.name + "' has " + std::to_string(classSet.size()) +
            " label(s); evaluation needs a labelled dataset with at least 2 classes (add it with "
            "--labels folders or --labels csv)");
    const std::string metricDefault = !proto.metric.empty() ? proto.metric : multi ? "mAP" : "accuracy";
    m_metric = m_cfg.metric == "auto" ? metricDefault : m_cfg.metric;
    if (m_metric != "accuracy" && m_metric != "mAP")
        throw InputError("--metric must be auto, accuracy or mAP (got '" + m_cfg.metric + "')");
    if (m_metric == "accuracy" && multi)
        throw InputError("dataset '" + m_ds.name + "' has clips with several labels; use --metric mAP");
    m_masked = proto.masked && m_metric == "mAP";
    for (const auto& c : proto.classes)
        if (classSet.count(c))
            m_classIndex.emplace(c, int(m_classIndex.size()));
    for (const auto& c : classSet) // labels outside the vocabulary (or no vocabulary)
        m_classIndex.emplace(c, int(m_classIndex.size()));
    std::vector<int> primary(m_clips.size(), -1);
    for (std::size_t i = 0; i < m_clips.size(); ++i) {
        if (!m_clips[i].readable())
            continue;
        if (!m_names[i].empty())
            primary[i] = m_classIndex[m_names[i].front()];
        else if (m_masked && !m_known[i].empty()) // only negatives: still informative
            primary[i] = m_classIndex[m_known[i].front()];
    }
    m_plan = planFor(m_clips, primary, m_cfg, m_ds.name, m_ds.protocol);
}

/// The run's student embeds the task's clips (an embedding set); false when stopped meanwhile.
bool Evaluation::embedWithStudent()
{
    const RunRecord run = RunLog(m_db).get(m_cfg.runId);
    m_rec.runId = run.id;
    const auto trainSet = m_catalog.find(run.embeddingSetId);
    m_rec.teacherIdentity = trainSet ? trainSet->teacherIdentity : run.teacher;
    ExtractConfig ex;
    ex.dataset = m_ds.name;
    ex.model = StudentTeacher::fromRun(m_ws, run.id);
    ex.teacher.source = "run:" + std::to_string(run.id);
    ex.device = m_cfg.device;
    ex.batchSize = m_cfg.batchSize;
    ex.workers = m_cfg.workers;
    ex.commandLine = m_cfg.commandLine;
    m_sink.info("Embedding '" + m_ds.name + "' with the " + ex.model->description());
    const ExtractResult er = ExtractJob::run(m_ws, ex, m_sink, m_stop);
    if (er.stopped)
        return false;
    m_set = m_catalog.get(er.embeddingSetId);
    return true;
}

/// The teacher's embeddings of the task: the set given, or the latest of its teacher on the task.
void Evaluation::findTeacherSet()
{
    const EmbeddingSetRecord given = m_catalog.get(m_cfg.teacherSet);
    m_rec.teacherIdentity = given.teacherIdentity;
    if (given.datasetName == m_ds.name) {
        m_set = given;
        return;
    }
    const auto onTask = m_catalog.latestFor(m_ds.name, given.teacherIdentity);
    if (!onTask)
        throw InputError("the teacher of embedding set " + std::to_string(given.id) + " (" +
                         given.teacherDescription + ") has no embeddings of '" + m_ds.name +
                         "'; run `ssondo extract --dataset " + m_ds.name + " --teacher " +
                         given.teacherSource + "` first");
    m_set = *onTask;
}

/// The chosen set's store, checked against the dataset's version and clip count.
std::unique_ptr<EmbeddingStore> Evaluation::openStore() const
{
    if (m_set.datasetVersion != m_ds.version)
        throw InputError("dataset '" + m_ds.name + "' changed since embedding set " +
                         std::to_string(m_set.id) + " was made; extract it again");
    auto store = EmbeddingStore::open((fs::path(m_ws.dir()) / m_set.path).string());
    if (store->rows() != std::int64_t(m_clips.size()))
        throw InputError("embedding set " + std::to_string(m_set.id) + " has " +
                         std::to_string(store->rows()) + " rows for " + std::to_string(m_clips.size()) +
                         " clips of '" + m_ds.name + "'");
    return store;
}

/// The clips in the fold plan that have an embedding; warns about those left out.
std::vector<std::int64_t> Evaluation::rowsProbed(const EmbeddingStore& store) const
{
    std::vector<std::int64_t> rows;
    std::int64_t skippedFailed = 0;
    for (std::size_t i = 0; i < m_clips.size(); ++i) {
        if (m_plan.fold[i] < 0)
            continue;
        if (store.state(std::int64_t(i)) == EmbeddingStore::RowState::Done)
            rows.push_back(std::int64_t(i));
        else
            ++skippedFailed;
    }
    if (skippedFailed > 0)
        m_sink.warning(std::to_string(skippedFailed) + " labelled clips have no embedding and are left out",
                       "embedding set " + std::to_string(m_set.id));
    return rows;
}

/// The embeddings of `rows` with their class indices.
ProbeData Evaluation::probeData(const EmbeddingStore& store, const std::vector<std::int64_t>& rows)
{
    ProbeData data;
    data.features = store.rowsAt(rows);
    data.numClasses = std::int64_t(m_classIndex.size());
    data.multiLabel = m_metric == "mAP";
    auto indices = [&](const std::vector<std::string>& names) {
        std::vector<int> l;
        for (const auto& n : names)
            l.push_back(m_classIndex[n]);
        return l;
    };
    for (auto r : rows) {
        data.labels.push_back(indices(m_names[size_t(r)]));
        if (m_masked)
            data.known.push_back(indices(m_known[size_t(r)]));
    }
    return data;
}

/// Stores the probe's result in the experiment log.
void Evaluation::record(const std::vector<std::int64_t>& rows, const ProbeData& data)
{
    m_rec.embeddingSetId = m_set.id;
    m_rec.task = m_ds.name;
    m_rec.taskVersion = m_ds.version;
    m_rec.protocol = m_plan.protocol;
    m_rec.metric = m_metric;
    m_rec.mean = m_res.probe.mean;
    if (!std::isnan(m_res.probe.ci95))
        m_rec.ci95 = m_res.probe.ci95;
    if (m_cfg.probe.knnK > 0) {
        m_rec.knnMean = m_res.probe.knnMean;
        if (!std::isnan(m_res.probe.knnCi95))
            m_rec.knnCi95 = m_res.probe.knnCi95;
    }
    nlohmann::json folds = nlohmann::json::array();
    for (const auto& f : m_res.probe.folds)
        folds.push_back({{"fold", f.fold},
                         {"score", f.score},
                         {"knn", f.knnScore},
                         {"weight_decay", f.weightDecay},
                         {"validation", f.validationScore},
                         {"grid", m_res.probe.grid},
                         {"validation_scores", f.validationScores},
                         {"converged", f.converged},
                         {"train", f.trainRows},
                         {"test", f.testRows}});
    m_rec.foldsJson = folds.dump();
    m_rec.clips = std::int64_t(rows.size());
    m_rec.classes = data.numClasses;
    m_rec.seconds = m_res.probe.seconds;
    m_rec.id = EvaluationLog(m_db).add(m_rec);
    m_rec.createdAt = utcNow();
    m_res.evaluation = m_rec;
}

/// A run's % of teacher, against the teacher's evaluation with the same folds (made now if need be).
void Evaluation::compareWithTeacher()
{
    EvaluationLog log(m_db);
    m_res.teacher =
        log.teacherReference(m_rec.teacherIdentity, m_ds.name, m_ds.version, m_plan.protocol, m_metric);
    if (!m_res.teacher && m_cfg.withTeacher) {
        const auto onTask = m_catalog.latestFor(m_ds.name, m_rec.teacherIdentity);
        if (onTask && onTask->datasetVersion == m_ds.version && onTask->done > 0) {
            m_sink.info("Evaluating the teacher on '" + m_ds.name + "' too (reference of % of teacher)");
            EvaluateConfig t = m_cfg;
            t.runId = 0;
            t.teacherSet = onTask->id;
            // The student's evaluation is already recorded: a teacher evaluation that is stopped
            // or fails leaves it without % of teacher, and the note says why.
            try {
                const EvaluateResult teacher = EvaluateJob::run(m_ws, t, m_sink, m_stop);
                if (!teacher.stopped)
                    m_res.teacher = teacher.evaluation;
                else
                    m_res.stopped = true;
            } catch (const std::exception& e) {
                m_sink.warning(std::string("the teacher's evaluation failed: ") + e.what(), m_ds.name);
            }
        }
    }
    if (m_res.teacher && m_res.teacher->mean > 0)
        m_res.pctOfTeacher = percentOfTeacher({{m_rec.mean, m_res.teacher->mean}});
    else
        m_res.note =
            "no evaluation of the teacher on '" + m_ds.name +
            "' with the same folds; extract the teacher's embeddings of it and evaluate with --teacher";
}

/// The job's closing line: the score, and the % of teacher when there is one.
std::string Evaluation::summary() const
{
    char msg[256];
    std::snprintf(msg, sizeof msg, "%s %.4f ± %.4f (kNN %.4f)", m_metric.c_str(), m_rec.mean,
                  m_rec.ci95.value_or(0.0), m_rec.knnMean.value_or(0.0));
    std::string out = msg;
    if (m_res.pctOfTeacher) {
        std::snprintf(msg, sizeof msg, ", %.1f%% of teacher", *m_res.pctOfTeacher);
        out += msg;
    }
    return out;
}

/// Finishes the job as stopped, saying where.
EvaluateResult Evaluation::stopped(const std::string& why)
{
    m_res.stopped = true;
    m_jobs.finish(m_jobId, JobState::Stopped, why);
    return m_res;
}

/// Probes the embeddings of the run's student or of the teacher, and records the evaluation.
EvaluateResult Evaluation::run()
{
    DatasetCatalog datasets(m_db);
    m_ds = datasets.get(m_cfg.task);
    m_clips = datasets.clips(m_ds.id);
    readClasses();

    // --- the embeddings probed
    const std::string subject = m_cfg.runId > 0 ? "run " + std::to_string(m_cfg.runId) : "teacher";
    m_jobId = m_jobs.start("evaluate", m_ds.name + " (" + subject + ")", m_cfg.commandLine);
    try {
        if (m_cfg.runId > 0) {
            if (!embedWithStudent())
                return stopped("stopped while embedding '" + m_ds.name + "'");
        } else {
            findTeacherSet();
        }
        const auto store = openStore();
        const std::vector<std::int64_t> rows = rowsProbed(*store);
        const ProbeData data = probeData(*store, rows);
        m_sink.info("Linear probe on " + std::to_string(rows.size()) + " clips, " +
                    std::to_string(data.numClasses) + " classes, " + std::to_string(m_set.dim) +
                    "-d embeddings of set " + std::to_string(m_set.id) + "; " + m_plan.protocol + ", " +
                    m_metric);
        m_res.probe = runLinearProbe(data, restrict(m_plan, rows), m_cfg.probe, &m_sink, &m_stop);
        if (m_stop.requested())
            return stopped("stopped during the probe");
        record(rows, data);

        // --- % of teacher
        if (m_cfg.runId > 0)
            compareWithTeacher();
        m_jobs.finish(m_jobId, JobState::Done, summary());
    } catch (const std::exception& e) {
        m_jobs.finish(m_jobId, JobState::Failed, errorText(e));
        throw;
    }
    return m_res;
}

} // namespace

EvaluateResult EvaluateJob::run(Workspace& ws, const EvaluateConfig& cfg, ProgressSink& sink,
                                const StopToken& stop)
{
    if ((cfg.runId > 0) == (cfg.teacherSet > 0))
        throw InputError("evaluate either a run (--run ID) or a teacher (--teacher EMBEDDING_SET_ID)");
    return Evaluation(ws, cfg, sink, stop).run();
}

} // namespace ssondo
