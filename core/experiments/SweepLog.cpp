// SPDX-License-Identifier: GPL-3.0-or-later
#include "experiments/SweepLog.h"

#include "experiments/Database.h"
#include "experiments/SweepSpec.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace ssondo {

const ChoiceTable<Named<SweepRunStatus>>& sweepRunStatuses()
{
    static const ChoiceTable<Named<SweepRunStatus>> table(
        "sweep run status",
        {{SweepRunStatus::Pending, "pending", "not started yet"},
         {SweepRunStatus::Running, "running", "its ssondo train process is at work"},
         {SweepRunStatus::Stopped, "stopped", "stopped with the sweep; starting the sweep again resumes it"},
         {SweepRunStatus::Failed, "failed",
          "its run ended with an error (the message says which); the others went on"},
         {SweepRunStatus::Pruned, "pruned",
          "stopped early: below stop_if_below of the best run at the same epoch"},
         {SweepRunStatus::Done, "done", "finished, its metric read"}});
    return table;
}

namespace {

std::string keysText(const std::vector<std::string>& keys)
{
    return nlohmann::json(keys).dump();
}

SweepRecord readSweep(const Statement& s)
{
    SweepRecord r;
    r.id = s.columnInt(0);
    r.name = s.columnText(1);
    r.specToml = s.columnText(2);
    r.specHash = s.columnText(3);
    r.method = s.columnText(4);
    r.metric = s.columnText(5);
    const auto keys = nlohmann::json::parse(s.columnText(6), nullptr, false);
    if (keys.is_array())
        for (const auto& k : keys)
            r.keys.push_back(k.get<std::string>());
    r.status = s.columnText(7);
    r.message = s.columnText(8);
    r.createdAt = s.columnText(9);
    r.updatedAt = s.columnText(10);
    return r;
}

constexpr const char* kSelectSweep =
    "SELECT id, name, spec_toml, spec_hash, method, metric, keys, status, message, created_at, updated_at "
    "FROM sweeps";

} // namespace

std::pair<SweepRecord, bool> SweepLog::openOrCreate(const SweepSpec& spec,
                                                    const std::vector<SweepTrial>& trials)
{
    const std::string hash = spec.hash();
    {
        auto q = m_db.prepare(std::string(kSelectSweep) + " WHERE spec_hash = ?1 ORDER BY id DESC LIMIT 1");
        q.bind(1, hash);
        if (q.step())
            return {readSweep(q), false};
    }
    std::vector<std::string> keys;
    for (const auto& p : spec.params)
        keys.push_back(p.key);
    const std::string now = utcNow();
    Database::Transaction tx(m_db);
    auto ins = m_db.prepare("INSERT INTO sweeps (name, spec_toml, spec_hash, method, metric, keys, status, "
                            "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'created', ?7, ?7)");
    ins.bind(1, spec.name).bind(2, spec.source).bind(3, hash).bind(4, spec.method).bind(5, spec.metric);
    ins.bind(6, keysText(keys)).bind(7, now);
    ins.run();
    const std::int64_t id = m_db.lastInsertId();
    auto run =
        m_db.prepare("INSERT INTO sweep_runs (sweep_id, idx, point, seed, vals, config_toml, "
                     "config_hash, status, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8)");
    for (const auto& t : trials) {
        nlohmann::json vals = nlohmann::json::array();
        for (const auto& [k, v] : t.values)
            vals.push_back({k, v});
        run.bind(1, id).bind(2, t.index).bind(3, t.point).bind(4, t.seed).bind(5, vals.dump());
        run.bind(6, t.config.toToml(false)).bind(7, t.config.hash()).bind(8, now);
        run.run();
    }
    tx.commit();
    return {get(id), true};
}

std::optional<SweepRecord> SweepLog::find(std::int64_t id)
{
    auto q = m_db.prepare(std::string(kSelectSweep) + " WHERE id = ?1");
    q.bind(1, id);
    if (!q.step())
        return std::nullopt;
    return readSweep(q);
}

SweepRecord SweepLog::get(std::int64_t id)
{
    if (auto r = find(id))
        return *r;
    throw InputError("no sweep " + std::to_string(id) + " in this workspace (ssondo sweeps list shows them)");
}

std::vector<SweepRecord> SweepLog::list()
{
    std::vector<SweepRecord> out;
    auto q = m_db.prepare(std::string(kSelectSweep) + " ORDER BY id");
    while (q.step())
        out.push_back(readSweep(q));
    return out;
}

void SweepLog::setStatus(std::int64_t id, const std::string& status, const std::string& message)
{
    auto q = m_db.prepare("UPDATE sweeps SET status = ?2, message = ?3, updated_at = ?4 WHERE id = ?1");
    q.bind(1, id).bind(2, status).bind(3, message).bind(4, utcNow());
    q.run();
}

std::vector<SweepRunRecord> SweepLog::runs(std::int64_t sweepId)
{
    std::vector<SweepRunRecord> out;
    auto q =
        m_db.prepare("SELECT idx, point, seed, vals, config_toml, config_hash, IFNULL(run_id, 0), status, "
                     "metric, message FROM sweep_runs WHERE sweep_id = ?1 ORDER BY idx");
    q.bind(1, sweepId);
    while (q.step()) {
        SweepRunRecord r;
        r.sweepId = sweepId;
        r.index = int(q.columnInt(0));
        r.point = int(q.columnInt(1));
        r.seed = q.columnInt(2);
        const auto vals = nlohmann::json::parse(q.columnText(3), nullptr, false);
        if (vals.is_array())
            for (const auto& kv : vals)
                r.values.emplace_back(kv.at(0).get<std::string>(), kv.at(1).get<std::string>());
        r.configToml = q.columnText(4);
        r.configHash = q.columnText(5);
        r.runId = q.columnInt(6);
        r.status = sweepRunStatuses().get(q.columnText(7), "sweep run").value;
        r.metric = q.columnOptDouble(8);
        r.message = q.columnText(9);
        out.push_back(std::move(r));
    }
    return out;
}

void SweepLog::setRun(std::int64_t sweepId, int index, SweepRunStatus status, std::int64_t runId,
                      std::optional<double> metric, const std::string& message)
{
    auto q = m_db.prepare("UPDATE sweep_runs SET status = ?3, run_id = ?4, metric = ?5, message = ?6, "
                          "updated_at = ?7 WHERE sweep_id = ?1 AND idx = ?2");
    q.bind(1, sweepId).bind(2, index).bind(3, sweepRunStatuses().nameOf(status));
    if (runId > 0)
        q.bind(4, runId);
    else
        q.bindNull(4);
    q.bind(5, metric).bind(6, message).bind(7, utcNow());
    q.run();
}

void SweepLog::updateStatusFromRuns(std::int64_t sweepId)
{
    int left = 0, failed = 0;
    for (const auto& r : runs(sweepId)) {
        left += r.status == SweepRunStatus::Pending || r.status == SweepRunStatus::Running ||
                r.status == SweepRunStatus::Stopped;
        failed += r.status == SweepRunStatus::Failed;
    }
    if (left > 0)
        setStatus(sweepId, "running", std::to_string(left) + " runs left");
    else
        setStatus(sweepId, "done", failed ? std::to_string(failed) + " runs failed" : "");
}

void SweepLog::releaseRunning(std::int64_t sweepId)
{
    auto q = m_db.prepare("UPDATE sweep_runs SET status = 'stopped', updated_at = ?2 "
                          "WHERE sweep_id = ?1 AND status = 'running'");
    q.bind(1, sweepId).bind(2, utcNow());
    q.run();
}

std::vector<SweepEffect> SweepLog::effects(const SweepRecord& s, const std::vector<SweepRunRecord>& runs)
{
    std::vector<SweepEffect> out;
    for (const std::string& key : s.keys) {
        std::vector<std::string> order; // values in the order the runs met them
        std::map<std::string, std::vector<double>> byValue;
        for (const auto& r : runs) {
            if (r.status != SweepRunStatus::Done || !r.metric)
                continue;
            for (const auto& [k, v] : r.values)
                if (k == key) {
                    if (!byValue.count(v))
                        order.push_back(v);
                    byValue[v].push_back(*r.metric);
                }
        }
        for (const auto& v : order) {
            const auto& xs = byValue[v];
            SweepEffect e{key, v, int(xs.size())};
            double sum = 0;
            e.best = xs.front();
            for (double x : xs)
                sum += x, e.best = std::max(e.best, x);
            e.mean = sum / double(xs.size());
            double ss = 0;
            for (double x : xs)
                ss += (x - e.mean) * (x - e.mean);
            e.sd = xs.size() > 1 ? std::sqrt(ss / double(xs.size() - 1)) : 0.0;
            out.push_back(e);
        }
    }
    return out;
}

} // namespace ssondo
