// SPDX-License-Identifier: GPL-3.0-or-later
#include "experiments/EvaluationLog.h"

#include "experiments/Database.h"

#include <map>

namespace ssondo {

namespace {

constexpr const char* kSelectEval =
    "SELECT id, run_id, teacher_identity, embedding_set_id, task, task_version, protocol, metric, mean, ci95, "
    "knn_mean, knn_ci95, folds_json, clips, classes, seconds, created_at FROM evaluations";

EvaluationRecord readEval(const Statement& s)
{
    EvaluationRecord r;
    r.id = s.columnInt(0);
    r.runId = s.isNull(1) ? 0 : s.columnInt(1);
    r.teacherIdentity = s.columnText(2);
    r.embeddingSetId = s.isNull(3) ? 0 : s.columnInt(3);
    r.task = s.columnText(4);
    r.taskVersion = s.columnText(5);
    r.protocol = s.columnText(6);
    r.metric = s.columnText(7);
    r.mean = s.columnDouble(8);
    r.ci95 = s.columnOptDouble(9);
    r.knnMean = s.columnOptDouble(10);
    r.knnCi95 = s.columnOptDouble(11);
    r.foldsJson = s.columnText(12);
    r.clips = s.columnInt(13);
    r.classes = s.columnInt(14);
    r.seconds = s.columnDouble(15);
    r.createdAt = s.columnText(16);
    return r;
}

constexpr const char* kSelectProfile =
    "SELECT id, run_id, subject, backbone_params, head_params, file_bytes, macs, latency_ms, latency_runs, "
    "threads, created_at, layers FROM model_profiles";

ModelProfileRecord readProfile(const Statement& s)
{
    ModelProfileRecord r;
    r.id = s.columnInt(0);
    r.runId = s.isNull(1) ? 0 : s.columnInt(1);
    r.subject = s.columnText(2);
    r.backboneParams = s.columnInt(3);
    r.headParams = s.columnInt(4);
    r.fileBytes = s.columnInt(5);
    r.macs = s.columnInt(6);
    r.latencyMs = s.columnDouble(7);
    r.latencyRuns = s.columnInt(8);
    r.threads = s.columnInt(9);
    r.createdAt = s.columnText(10);
    r.layersJson = s.columnText(11);
    return r;
}

std::optional<std::int64_t> optId(std::int64_t id)
{
    return id > 0 ? std::optional<std::int64_t>(id) : std::nullopt;
}

} // namespace

std::int64_t EvaluationLog::add(const EvaluationRecord& r)
{
    auto s = m_db.prepare(
        "INSERT INTO evaluations(run_id, teacher_identity, embedding_set_id, task, task_version, "
        "protocol, metric, mean, ci95, knn_mean, knn_ci95, folds_json, clips, classes, seconds, "
        "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
    s.bind(1, optId(r.runId));
    s.bind(2, r.teacherIdentity);
    s.bind(3, optId(r.embeddingSetId));
    s.bind(4, r.task);
    s.bind(5, r.taskVersion);
    s.bind(6, r.protocol);
    s.bind(7, r.metric);
    s.bind(8, r.mean);
    s.bind(9, r.ci95);
    s.bind(10, r.knnMean);
    s.bind(11, r.knnCi95);
    s.bind(12, r.foldsJson);
    s.bind(13, r.clips);
    s.bind(14, r.classes);
    s.bind(15, r.seconds);
    s.bind(16, utcNow());
    s.run();
    return m_db.lastInsertId();
}

std::vector<EvaluationRecord> EvaluationLog::list(std::int64_t runId)
{
    std::string sql = kSelectEval;
    if (runId == 0)
        sql += " WHERE run_id IS NULL";
    else if (runId > 0)
        sql += " WHERE run_id = ?1";
    auto s = m_db.prepare(sql + " ORDER BY id DESC");
    if (runId > 0)
        s.bind(1, runId);
    std::vector<EvaluationRecord> out;
    while (s.step())
        out.push_back(readEval(s));
    return out;
}

std::optional<EvaluationRecord> EvaluationLog::teacherReference(const std::string& teacherIdentity,
                                                                const std::string& task,
                                                                const std::string& taskVersion,
                                                                const std::string& protocol,
                                                                const std::string& metric)
{
    auto s =
        m_db.prepare(std::string(kSelectEval) +
                     " WHERE run_id IS NULL AND teacher_identity = ?1 AND task = ?2 AND task_version = ?3 "
                     "AND protocol = ?4 AND metric = ?5 ORDER BY id DESC LIMIT 1");
    s.bind(1, teacherIdentity);
    s.bind(2, task);
    s.bind(3, taskVersion);
    s.bind(4, protocol);
    s.bind(5, metric);
    if (!s.step())
        return std::nullopt;
    return readEval(s);
}

std::vector<EvaluationRecord> EvaluationLog::latestPerTask(std::int64_t runId,
                                                           const std::string& teacherIdentity)
{
    std::map<std::string, EvaluationRecord> byTask;
    for (auto& e : list(runId)) // newest first: keep the first seen
        if ((runId > 0 || e.teacherIdentity == teacherIdentity) && !byTask.count(e.task))
            byTask.emplace(e.task, e);
    std::vector<EvaluationRecord> out;
    for (auto& [task, e] : byTask)
        out.push_back(e);
    return out;
}

RunScores EvaluationLog::runScores(std::int64_t runId)
{
    RunScores out;
    std::vector<std::pair<double, double>> pairs;
    for (auto& e : latestPerTask(runId)) {
        TaskScore t;
        t.teacher = teacherReference(e.teacherIdentity, e.task, e.taskVersion, e.protocol, e.metric);
        if (t.teacher && t.teacher->mean > 0) {
            t.pctOfTeacher = 100.0 * e.mean / t.teacher->mean;
            pairs.emplace_back(e.mean, t.teacher->mean);
        }
        t.student = std::move(e);
        out.tasks.push_back(std::move(t));
    }
    out.tasksWithTeacher = pairs.size();
    if (!pairs.empty())
        out.pctOfTeacher = percentOfTeacher(pairs);
    return out;
}

std::int64_t EvaluationLog::addProfile(const ModelProfileRecord& r)
{
    auto s = m_db.prepare(
        "INSERT INTO model_profiles(run_id, subject, backbone_params, head_params, file_bytes, macs, "
        "latency_ms, latency_runs, threads, created_at, layers) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11)");
    s.bind(1, optId(r.runId));
    s.bind(2, r.subject);
    s.bind(3, r.backboneParams);
    s.bind(4, r.headParams);
    s.bind(5, r.fileBytes);
    s.bind(6, r.macs);
    s.bind(7, r.latencyMs);
    s.bind(8, r.latencyRuns);
    s.bind(9, r.threads);
    s.bind(10, utcNow());
    s.bind(11, r.layersJson);
    s.run();
    return m_db.lastInsertId();
}

std::optional<ModelProfileRecord> EvaluationLog::latestLayerProfile(std::int64_t runId)
{
    auto s = m_db.prepare(std::string(kSelectProfile) +
                          " WHERE run_id = ?1 AND layers != '' ORDER BY id DESC LIMIT 1");
    s.bind(1, runId);
    if (!s.step())
        return std::nullopt;
    return readProfile(s);
}

std::optional<ModelProfileRecord> EvaluationLog::latestProfile(std::int64_t runId, const std::string& subject)
{
    auto s = runId > 0
                 ? m_db.prepare(std::string(kSelectProfile) + " WHERE run_id = ?1 ORDER BY id DESC LIMIT 1")
                 : m_db.prepare(std::string(kSelectProfile) +
                                " WHERE run_id IS NULL AND subject = ?1 ORDER BY id DESC LIMIT 1");
    if (runId > 0)
        s.bind(1, runId);
    else
        s.bind(1, subject);
    if (!s.step())
        return std::nullopt;
    return readProfile(s);
}

std::vector<ModelProfileRecord> EvaluationLog::profiles()
{
    auto s = m_db.prepare(std::string(kSelectProfile) + " ORDER BY id DESC");
    std::vector<ModelProfileRecord> out;
    while (s.step())
        out.push_back(readProfile(s));
    return out;
}

std::int64_t EvaluationLog::addAgreement(const AgreementRecord& r)
{
    auto s = m_db.prepare("INSERT INTO agreements(run_id, clips, mean_cosine, knn_overlap, k, created_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    s.bind(1, r.runId);
    s.bind(2, r.clips);
    s.bind(3, r.meanCosine);
    s.bind(4, r.knnOverlap);
    s.bind(5, r.k);
    s.bind(6, utcNow());
    s.run();
    return m_db.lastInsertId();
}

std::optional<AgreementRecord> EvaluationLog::latestAgreement(std::int64_t runId)
{
    auto s = m_db.prepare("SELECT id, run_id, clips, mean_cosine, knn_overlap, k, created_at FROM agreements "
                          "WHERE run_id = ?1 ORDER BY id DESC LIMIT 1");
    s.bind(1, runId);
    if (!s.step())
        return std::nullopt;
    AgreementRecord r;
    r.id = s.columnInt(0);
    r.runId = s.columnInt(1);
    r.clips = s.columnInt(2);
    r.meanCosine = s.columnDouble(3);
    r.knnOverlap = s.columnDouble(4);
    r.k = s.columnInt(5);
    r.createdAt = s.columnText(6);
    return r;
}

double percentOfTeacher(const std::vector<std::pair<double, double>>& pairs)
{
    double s = 0, t = 0;
    for (auto [student, teacher] : pairs)
        s += student, t += teacher;
    return t > 0 ? 100.0 * s / t : 0.0;
}

} // namespace ssondo
