// SPDX-License-Identifier: GPL-3.0-or-later
#include "experiments/RunLog.h"

#include "experiments/Database.h"
#include "util/Error.h"

#include <cmath>

namespace ssondo {

const ChoiceTable<Named<RunStatus>>& runStatuses()
{
    static const ChoiceTable<Named<RunStatus>> table(
        "run status",
        {{RunStatus::Created, "created", "recorded, not started yet"},
         {RunStatus::Running, "running", "training"},
         {RunStatus::Stopped, "stopped", "stopped at a checkpoint; the same command continues it"},
         {RunStatus::Failed, "failed",
          "ended with an error; the same command continues from the last checkpoint"},
         {RunStatus::Done, "done", "trained for all its epochs"}});
    return table;
}

namespace {

constexpr const char* kSelect =
    "SELECT id, name, status, IFNULL(embedding_set_id, 0), IFNULL(clustering_id, 0), teacher, student, sampler, loss, "
    "seed, config_toml, config_hash, tags, notes, dir, message, backbone_params, head_params, created_at, "
    "IFNULL(started_at, ''), IFNULL(finished_at, ''), updated_at FROM runs";

RunRecord readRun(const Statement& s)
{
    RunRecord r;
    r.id = s.columnInt(0);
    r.name = s.columnText(1);
    r.status = runStatuses().get(s.columnText(2), "run " + std::to_string(r.id)).value;
    r.embeddingSetId = s.columnInt(3);
    r.clusteringId = s.columnInt(4);
    r.teacher = s.columnText(5);
    r.student = s.columnText(6);
    r.sampler = s.columnText(7);
    r.loss = s.columnText(8);
    r.seed = s.columnInt(9);
    r.configToml = s.columnText(10);
    r.configHash = s.columnText(11);
    r.tags = s.columnText(12);
    r.notes = s.columnText(13);
    r.dir = s.columnText(14);
    r.message = s.columnText(15);
    r.backboneParams = s.columnInt(16);
    r.headParams = s.columnInt(17);
    r.createdAt = s.columnText(18);
    r.startedAt = s.columnText(19);
    r.finishedAt = s.columnText(20);
    r.updatedAt = s.columnText(21);
    return r;
}

} // namespace

std::int64_t RunLog::create(const RunRecord& r)
{
    const std::string now = utcNow();
    auto s = m_db.prepare(
        "INSERT INTO runs(name, status, embedding_set_id, clustering_id, teacher, student, sampler, loss, seed, "
        "config_toml, config_hash, tags, notes, dir, backbone_params, head_params, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)");
    s.bind(1, r.name).bind(2, runStatuses().nameOf(r.status));
    if (r.embeddingSetId > 0)
        s.bind(3, r.embeddingSetId);
    else
        s.bindNull(3);
    if (r.clusteringId > 0)
        s.bind(4, r.clusteringId);
    else
        s.bindNull(4);
    s.bind(5, r.teacher)
        .bind(6, r.student)
        .bind(7, r.sampler)
        .bind(8, r.loss)
        .bind(9, r.seed)
        .bind(10, r.configToml)
        .bind(11, r.configHash)
        .bind(12, r.tags)
        .bind(13, r.notes)
        .bind(14, r.dir)
        .bind(15, r.backboneParams)
        .bind(16, r.headParams)
        .bind(17, now)
        .run();
    return m_db.lastInsertId();
}

void RunLog::update(const RunRecord& r)
{
    auto s = m_db.prepare(
        "UPDATE runs SET name = ?2, message = ?4, dir = ?5, backbone_params = ?6, head_params = ?7, "
        "started_at = NULLIF(?8, ''), finished_at = NULLIF(?9, ''), updated_at = ?10 WHERE id = ?1");
    s.bind(1, r.id)
        .bind(2, r.name)
        .bind(4, r.message)
        .bind(5, r.dir)
        .bind(6, r.backboneParams)
        .bind(7, r.headParams)
        .bind(8, r.startedAt)
        .bind(9, r.finishedAt)
        .bind(10, utcNow())
        .run();
}

void RunLog::setStatus(std::int64_t id, RunStatus status, const std::string& message)
{
    const std::string now = utcNow();
    const bool finished =
        status == RunStatus::Done || status == RunStatus::Failed || status == RunStatus::Stopped;
    auto s = m_db.prepare("UPDATE runs SET status = ?2, message = ?3, updated_at = ?4, "
                          "started_at = CASE WHEN ?6 AND started_at IS NULL THEN ?4 ELSE started_at END, "
                          "finished_at = CASE WHEN ?5 THEN ?4 ELSE NULL END WHERE id = ?1");
    s.bind(1, id)
        .bind(2, runStatuses().nameOf(status))
        .bind(3, message)
        .bind(4, now)
        .bind(5, std::int64_t(finished))
        .bind(6, std::int64_t(status == RunStatus::Running))
        .run();
}

std::optional<RunRecord> RunLog::find(std::int64_t id)
{
    auto s = m_db.prepare(std::string(kSelect) + " WHERE id = ?1");
    s.bind(1, id);
    if (s.step())
        return readRun(s);
    return std::nullopt;
}

RunRecord RunLog::get(std::int64_t id)
{
    if (auto r = find(id))
        return *r;
    throw InputError("no run " + std::to_string(id) + " in this workspace (see `ssondo runs list`)");
}

std::vector<RunRecord> RunLog::list()
{
    std::vector<RunRecord> out;
    auto s = m_db.prepare(std::string(kSelect) + " ORDER BY id");
    while (s.step())
        out.push_back(readRun(s));
    return out;
}

std::optional<RunRecord> RunLog::resumable(const std::string& hash)
{
    auto s = m_db.prepare(std::string(kSelect) +
                          " WHERE config_hash = ?1 AND status != ?2 ORDER BY id DESC LIMIT 1");
    s.bind(1, hash).bind(2, runStatuses().nameOf(RunStatus::Done));
    if (s.step())
        return readRun(s);
    return std::nullopt;
}

std::int64_t RunLog::newestWithHash(const std::string& hash)
{
    auto s = m_db.prepare("SELECT IFNULL(MAX(id), 0) FROM runs WHERE config_hash = ?1");
    s.bind(1, hash);
    return s.step() ? s.columnInt(0) : 0;
}

void RunLog::setTags(std::int64_t id, const std::string& tags)
{
    get(id);
    m_db.prepare("UPDATE runs SET tags = ?2, updated_at = ?3 WHERE id = ?1")
        .bind(1, id)
        .bind(2, tags)
        .bind(3, utcNow())
        .run();
}

void RunLog::setNotes(std::int64_t id, const std::string& notes)
{
    get(id);
    m_db.prepare("UPDATE runs SET notes = ?2, updated_at = ?3 WHERE id = ?1")
        .bind(1, id)
        .bind(2, notes)
        .bind(3, utcNow())
        .run();
}

void RunLog::rename(std::int64_t id, const std::string& name)
{
    get(id);
    if (name.empty())
        throw InputError("a run needs a name");
    m_db.prepare("UPDATE runs SET name = ?2, updated_at = ?3 WHERE id = ?1")
        .bind(1, id)
        .bind(2, name)
        .bind(3, utcNow())
        .run();
}

void RunLog::remove(std::int64_t id)
{
    get(id);
    Database::Transaction tx(m_db);
    m_db.prepare("DELETE FROM runs WHERE id = ?1").bind(1, id).run(); // metric points and artifacts cascade
    tx.commit();
}

std::vector<RunLog::Summary> RunLog::summaries(std::int64_t runId)
{
    std::vector<Summary> out;
    auto s = m_db.prepare("SELECT name, COUNT(*), MAX(value), MIN(value), "
                          "(SELECT value FROM metric_points p2 WHERE p2.run_id = p.run_id AND p2.name = "
                          "p.name ORDER BY step DESC, rowid DESC LIMIT 1) "
                          "FROM metric_points p WHERE run_id = ?1 GROUP BY name ORDER BY name");
    s.bind(1, runId);
    while (s.step()) {
        Summary m;
        m.name = s.columnText(0);
        m.points = s.columnInt(1);
        const bool higherIsBetter = m.name.find("cosine") != std::string::npos || m.name == "lr";
        m.best = higherIsBetter ? s.columnDouble(2) : s.columnDouble(3);
        m.last = s.columnDouble(4);
        out.push_back(m);
    }
    return out;
}

void RunLog::addMetrics(std::int64_t runId, const std::vector<MetricPoint>& points)
{
    if (points.empty())
        return;
    Database::Transaction tx(m_db);
    auto s = m_db.prepare("INSERT INTO metric_points(run_id, step, epoch, wall_time, name, value) VALUES "
                          "(?1, ?2, ?3, ?4, ?5, ?6)");
    for (const auto& p : points) {
        s.bind(1, runId).bind(2, p.step).bind(3, p.epoch).bind(4, p.wallTime).bind(5, p.name);
        if (std::isfinite(p.value))
            s.bind(6, p.value);
        else
            s.bindNull(6);
        s.run();
    }
    tx.commit();
}

void RunLog::truncateMetrics(std::int64_t runId, std::int64_t afterStep)
{
    m_db.prepare("DELETE FROM metric_points WHERE run_id = ?1 AND step > ?2")
        .bind(1, runId)
        .bind(2, afterStep)
        .run();
}

std::vector<MetricPoint> RunLog::metrics(std::int64_t runId, const std::string& name)
{
    std::vector<MetricPoint> out;
    auto s = m_db.prepare("SELECT step, epoch, wall_time, name, value FROM metric_points WHERE run_id = ?1 "
                          "AND (?2 = '' OR name = ?2) ORDER BY rowid");
    s.bind(1, runId).bind(2, name);
    while (s.step())
        out.push_back({s.columnInt(0), s.columnInt(1), s.columnDouble(2), s.columnText(3),
                       s.columnOptDouble(4).value_or(std::nan(""))});
    return out;
}

std::vector<std::pair<std::int64_t, MetricPoint>> RunLog::metricsAfter(std::int64_t runId,
                                                                       std::int64_t afterRowid, int limit)
{
    std::vector<std::pair<std::int64_t, MetricPoint>> out;
    auto s =
        m_db.prepare("SELECT rowid, step, epoch, wall_time, name, value FROM metric_points WHERE run_id = ?1 "
                     "AND rowid > ?2 ORDER BY rowid LIMIT ?3");
    s.bind(1, runId).bind(2, afterRowid).bind(3, std::int64_t(limit));
    while (s.step())
        out.push_back({s.columnInt(0),
                       {s.columnInt(1), s.columnInt(2), s.columnDouble(3), s.columnText(4),
                        s.columnOptDouble(5).value_or(std::nan(""))}});
    return out;
}

std::int64_t RunLog::metricCount(std::int64_t runId)
{
    auto s = m_db.prepare("SELECT count(*) FROM metric_points WHERE run_id = ?1");
    s.bind(1, runId);
    return s.step() ? s.columnInt(0) : 0;
}

void RunLog::addArtifact(const ArtifactRecord& a)
{
    Database::Transaction tx(m_db);
    auto del = m_db.prepare("DELETE FROM artifacts WHERE run_id = ?1 AND kind = ?2 AND path = ?3");
    del.bind(1, a.runId).bind(2, a.kind).bind(3, a.path);
    del.run();
    auto ins = m_db.prepare(
        "INSERT INTO artifacts(run_id, kind, path, sha256, bytes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    ins.bind(1, a.runId).bind(2, a.kind).bind(3, a.path).bind(4, a.sha256).bind(5, a.bytes).bind(6, utcNow());
    ins.run();
    tx.commit();
}

std::vector<ArtifactRecord> RunLog::artifacts(std::int64_t runId)
{
    auto s = m_db.prepare(
        "SELECT id, run_id, kind, path, sha256, bytes, created_at FROM artifacts WHERE run_id = ?1 ORDER BY id");
    s.bind(1, runId);
    std::vector<ArtifactRecord> out;
    while (s.step()) {
        ArtifactRecord a;
        a.id = s.columnInt(0);
        a.runId = s.columnInt(1);
        a.kind = s.columnText(2);
        a.path = s.columnText(3);
        a.sha256 = s.columnText(4);
        a.bytes = s.columnInt(5);
        a.createdAt = s.columnText(6);
        out.push_back(std::move(a));
    }
    return out;
}

} // namespace ssondo
