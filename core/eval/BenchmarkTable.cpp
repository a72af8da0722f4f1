// SPDX-License-Identifier: GPL-3.0-or-later
#include "eval/BenchmarkTable.h"

#include "data/EmbeddingCatalog.h"
#include "experiments/Database.h"
#include "experiments/EvaluationLog.h"
#include "experiments/RunLog.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <sstream>

namespace ssondo {

namespace {

/// The latest evaluation of each task, by task name.
std::map<std::string, EvaluationRecord> byTask(const std::vector<EvaluationRecord>& latest)
{
    std::map<std::string, EvaluationRecord> out;
    for (const auto& e : latest)
        out.emplace(e.task, e);
    return out;
}

BenchmarkCell cellOf(const std::map<std::string, EvaluationRecord>& evals, const std::string& task)
{
    BenchmarkCell c;
    const auto it = evals.find(task);
    if (it != evals.end()) {
        c.mean = it->second.mean;
        c.ci95 = it->second.ci95;
        c.evaluationId = it->second.id;
    }
    return c;
}

void averageOf(BenchmarkRow& row)
{
    std::vector<double> v;
    for (const auto& c : row.cells)
        if (c.mean)
            v.push_back(*c.mean);
    row.partial = v.size() < row.cells.size();
    if (!v.empty())
        row.average = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
}

/// The teacher (identity, description, parameters) of a run: that of its training embeddings.
struct TeacherInfo
{
    std::string identity, name;
    std::int64_t params = 0;
};

TeacherInfo teacherNamed(EmbeddingCatalog& sets, const std::string& identity)
{
    for (const auto& s : sets.list())
        if (s.teacherIdentity == identity)
            return {identity, s.teacherDescription, s.teacherParameters};
    return {identity, identity, 0};
}

/// That of its training embeddings; else the one its evaluations were compared with.
TeacherInfo teacherOfRun(EmbeddingCatalog& sets, EvaluationLog& log, const RunRecord& run)
{
    if (const auto s = sets.find(run.embeddingSetId))
        return {s->teacherIdentity, s->teacherDescription, s->teacherParameters};
    for (const auto& e : log.list(run.id))
        if (!e.teacherIdentity.empty())
            return teacherNamed(sets, e.teacherIdentity);
    return {run.teacher, run.teacher, 0};
}

/// `v` with `decimals` digits after the point; "" when absent.
std::string number(const std::optional<double>& v, int decimals = 4)
{
    if (!v || std::isnan(*v))
        return {};
    char b[32];
    std::snprintf(b, sizeof b, "%.*f", decimals, *v);
    return b;
}

std::string scoreText(const BenchmarkCell& c, const std::string& pm)
{
    if (!c.mean)
        return "–";
    return number(c.mean) + (c.ci95 && !std::isnan(*c.ci95) ? pm + number(c.ci95) : "");
}

std::string csvField(const std::string& s)
{
    if (s.find_first_of(",\"\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string latexEscape(const std::string& s)
{
    std::string out;
    for (char c : s) {
        if (c == '_' || c == '%' || c == '&' || c == '#' || c == '$')
            out += '\\';
        out += c;
    }
    return out;
}

std::string paramsText(std::int64_t p)
{
    if (p <= 0)
        return {};
    char b[32];
    std::snprintf(b, sizeof b, "%.2f M", double(p) / 1e6);
    return b;
}

} // namespace

BenchmarkTable BenchmarkTable::build(Database& db, const std::vector<std::int64_t>& runs,
                                     const std::vector<std::string>& teacherIdentities,
                                     const std::vector<std::string>& tasks)
{
    EvaluationLog log(db);
    EmbeddingCatalog sets(db);
    RunLog runLog(db);
    BenchmarkTable t;
    t.tasks = tasks;
    t.metrics.assign(tasks.size(), "");

    std::vector<TeacherInfo> teachers;
    auto addTeacher = [&](const TeacherInfo& info) {
        if (std::none_of(teachers.begin(), teachers.end(),
                         [&](const TeacherInfo& x) { return x.identity == info.identity; }))
            teachers.push_back(info);
    };
    for (const auto& id : teacherIdentities)
        addTeacher(teacherNamed(sets, id));
    std::vector<RunRecord> runRecords;
    for (auto id : runs) {
        runRecords.push_back(runLog.get(id));
        addTeacher(teacherOfRun(sets, log, runRecords.back()));
    }

    auto setMetrics = [&](const std::map<std::string, EvaluationRecord>& evals) {
        for (std::size_t i = 0; i < tasks.size(); ++i)
            if (const auto it = evals.find(tasks[i]); it != evals.end() && t.metrics[i].empty())
                t.metrics[i] = it->second.metric;
    };
    for (const auto& teacher : teachers) {
        BenchmarkRow row;
        row.model = teacher.name;
        row.teacher = true;
        row.teacherIdentity = teacher.identity;
        row.params = teacher.params;
        const auto evals = byTask(log.latestPerTask(0, teacher.identity));
        for (const auto& task : tasks)
            row.cells.push_back(cellOf(evals, task));
        setMetrics(evals);
        averageOf(row);
        t.rows.push_back(std::move(row));
    }
    for (const auto& run : runRecords) {
        BenchmarkRow row;
        row.model = "run " + std::to_string(run.id) + ": " + (run.name.empty() ? run.student : run.name);
        row.runId = run.id;
        row.teacherIdentity = teacherOfRun(sets, log, run).identity;
        row.params = run.backboneParams;
        const auto evals = byTask(log.latestPerTask(run.id));
        std::vector<std::pair<double, double>> pairs; // (student, teacher) on the same protocol
        for (const auto& task : tasks) {
            row.cells.push_back(cellOf(evals, task));
            const auto it = evals.find(task);
            if (it == evals.end())
                continue;
            const auto& e = it->second;
            if (const auto ref =
                    log.teacherReference(e.teacherIdentity, task, e.taskVersion, e.protocol, e.metric))
                pairs.emplace_back(e.mean, ref->mean);
        }
        setMetrics(evals);
        averageOf(row);
        if (!pairs.empty())
            row.pctOfTeacher = percentOfTeacher(pairs);
        t.rows.push_back(std::move(row));
    }
    return t;
}

std::vector<int> BenchmarkTable::bestRowPerTask() const
{
    std::vector<int> best(tasks.size(), -1);
    for (std::size_t c = 0; c < tasks.size(); ++c)
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const auto& m = rows[r].cells[c].mean;
            if (m && (best[c] < 0 || *m > *rows[size_t(best[c])].cells[c].mean))
                best[c] = int(r);
        }
    return best;
}

std::string BenchmarkTable::csv() const
{
    std::ostringstream out;
    out << "model,kind";
    for (const auto& task : tasks)
        out << "," << csvField(task) << "," << csvField(task + " ci95");
    out << ",average,partial,pct_of_teacher,backbone_params\n";
    for (const auto& r : rows) {
        out << csvField(r.model) << "," << (r.teacher ? "teacher" : "student");
        for (const auto& c : r.cells)
            out << "," << number(c.mean, 6) << "," << number(c.ci95, 6);
        out << "," << number(r.average, 6) << "," << (r.partial ? "1" : "0") << ","
            << number(r.pctOfTeacher, 2) << "," << (r.params > 0 ? std::to_string(r.params) : "") << "\n";
    }
    return out.str();
}

std::string BenchmarkTable::markdown() const
{
    const auto best = bestRowPerTask();
    std::ostringstream out;
    out << "| model |";
    for (std::size_t c = 0; c < tasks.size(); ++c)
        out << " " << tasks[c] << (metrics[c].empty() ? "" : " (" + metrics[c] + ")") << " |";
    out << " average | % of teacher | backbone |\n|---|";
    for (std::size_t c = 0; c < tasks.size(); ++c)
        out << "---|";
    out << "---|---|---|\n";
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const auto& row = rows[r];
        out << "| " << (row.teacher ? "*" + row.model + "* (teacher)" : row.model) << " |";
        for (std::size_t c = 0; c < tasks.size(); ++c) {
            const std::string s = scoreText(row.cells[c], " ± ");
            out << " " << (best[c] == int(r) ? "**" + s + "**" : s) << " |";
        }
        out << " " << (row.average ? number(row.average) + (row.partial ? " (partial)" : "") : "–") << " | "
            << (row.pctOfTeacher ? number(row.pctOfTeacher, 1) + " %"
                : row.teacher    ? "100 %"
                                 : "–")
            << " | " << paramsText(row.params) << " |\n";
    }
    return out.str();
}

std::string BenchmarkTable::latex() const
{
    const auto best = bestRowPerTask();
    std::ostringstream out;
    out << "\\begin{tabular}{l" << std::string(tasks.size(), 'c') << "ccr}\n\\toprule\nModel";
    for (const auto& task : tasks)
        out << " & " << latexEscape(task);
    out << " & Avg. & \\% of teacher & Params \\\\\n\\midrule\n";
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const auto& row = rows[r];
        out << (row.teacher ? "\\textit{" + latexEscape(row.model) + "}" : latexEscape(row.model));
        for (std::size_t c = 0; c < tasks.size(); ++c) {
            const std::string s = scoreText(row.cells[c], " $\\pm$ ");
            out << " & " << (best[c] == int(r) ? "\\textbf{" + s + "}" : s);
        }
        out << " & " << (row.average ? number(row.average) + (row.partial ? "$^\\dagger$" : "") : "–")
            << " & "
            << (row.pctOfTeacher ? number(row.pctOfTeacher, 1)
                : row.teacher    ? "100"
                                 : "–")
            << " & " << paramsText(row.params) << " \\\\\n";
    }
    out << "\\bottomrule\n\\end{tabular}\n";
    return out.str();
}

std::string BenchmarkTable::json() const
{
    auto opt = [](const std::optional<double>& v) {
        return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    nlohmann::json j{{"tasks", tasks}, {"metrics", metrics}, {"rows", nlohmann::json::array()}};
    for (const auto& r : rows) {
        nlohmann::json cells = nlohmann::json::object();
        for (std::size_t c = 0; c < tasks.size(); ++c)
            cells[tasks[c]] = {{"mean", opt(r.cells[c].mean)},
                               {"ci95", opt(r.cells[c].ci95)},
                               {"evaluation", r.cells[c].evaluationId
                                                  ? nlohmann::json(r.cells[c].evaluationId)
                                                  : nlohmann::json(nullptr)}};
        j["rows"].push_back({{"model", r.model},
                             {"kind", r.teacher ? "teacher" : "student"},
                             {"run", r.runId ? nlohmann::json(r.runId) : nlohmann::json(nullptr)},
                             {"teacher", r.teacherIdentity},
                             {"scores", cells},
                             {"average", opt(r.average)},
                             {"partial", r.partial},
                             {"pct_of_teacher", opt(r.pctOfTeacher)},
                             {"backbone_params", r.params}});
    }
    return j.dump(2);
}

namespace {
const std::string kSuitePrefix = "suite:";
}

void saveTaskSuite(Database& db, const std::string& name, const std::vector<std::string>& tasks)
{
    if (name.empty() || tasks.empty())
        throw InputError("a task suite needs a name and at least one task");
    db.prepare("INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2")
        .bind(1, kSuitePrefix + name)
        .bind(2, nlohmann::json(tasks).dump())
        .run();
}

std::vector<std::string> taskSuiteNames(Database& db)
{
    std::vector<std::string> out;
    auto s = db.prepare("SELECT key FROM meta WHERE key LIKE 'suite:%' ORDER BY key");
    while (s.step())
        out.push_back(s.columnText(0).substr(kSuitePrefix.size()));
    return out;
}

std::vector<std::string> loadTaskSuite(Database& db, const std::string& name)
{
    auto s = db.prepare("SELECT value FROM meta WHERE key = ?1");
    s.bind(1, kSuitePrefix + name);
    if (!s.step()) {
        std::string known;
        for (const auto& n : taskSuiteNames(db))
            known += (known.empty() ? "" : ", ") + n;
        throw InputError(
            "no task suite '" + name + "' in this workspace" +
            (known.empty() ? " (save one with --suite NAME --task ...)" : " (known: " + known + ")"));
    }
    const auto j = nlohmann::json::parse(s.columnText(0), nullptr, false);
    if (j.is_discarded() || !j.is_array())
        throw DatabaseError("task suite '" + name + "' is stored damaged: " + s.columnText(0));
    return j.get<std::vector<std::string>>();
}

std::string BenchmarkTable::format(const std::string& path) const
{
    auto ends = [&](const std::string& ext) {
        return path.size() >= ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0;
    };
    if (ends(".csv"))
        return csv();
    if (ends(".md"))
        return markdown();
    if (ends(".tex"))
        return latex();
    if (ends(".json"))
        return json();
    throw InputError(path + ": the table is written as .csv, .md, .tex or .json");
}

} // namespace ssondo
