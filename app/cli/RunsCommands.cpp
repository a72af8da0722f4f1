// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliContext.h"

#include "distill/TrainConfig.h"
#include "experiments/EvaluationLog.h"
#include "experiments/RunLog.h"
#include "util/Error.h"
#include "workspace/Workspace.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;

namespace ssondo::cli {

namespace {

std::string csvField(const std::string& s)
{
    if (s.find_first_of(",\"\n") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

nlohmann::json runJson(RunLog& log, const RunRecord& r)
{
    nlohmann::json j{{"id", r.id},
                     {"name", r.name},
                     {"status", runStatuses().nameOf(r.status)},
                     {"teacher", r.teacher},
                     {"student", r.student},
                     {"sampler", r.sampler},
                     {"loss", r.loss},
                     {"seed", r.seed},
                     {"embedding_set", r.embeddingSetId},
                     {"clustering", r.clusteringId},
                     {"backbone_params", r.backboneParams},
                     {"head_params", r.headParams},
                     {"tags", r.tags},
                     {"notes", r.notes},
                     {"dir", r.dir},
                     {"message", r.message},
                     {"created_at", r.createdAt},
                     {"started_at", r.startedAt},
                     {"finished_at", r.finishedAt}};
    for (const auto& m : log.summaries(r.id))
        j["metrics"][m.name] = {{"last", m.last}, {"best", m.best}, {"points", m.points}};
    EvaluationLog evals(log.database());
    const RunScores scores = evals.runScores(r.id);
    auto opt = [](const std::optional<double>& v) {
        return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    j["evaluations"] = nlohmann::json::array();
    for (const auto& t : scores.tasks)
        j["evaluations"].push_back(
            {{"task", t.student.task},
             {"metric", t.student.metric},
             {"protocol", t.student.protocol},
             {"mean", t.student.mean},
             {"ci95", opt(t.student.ci95)},
             {"knn_mean", opt(t.student.knnMean)},
             {"teacher_mean", t.teacher ? nlohmann::json(t.teacher->mean) : nlohmann::json(nullptr)},
             {"pct_of_teacher", opt(t.pctOfTeacher)}});
    j["pct_of_teacher"] = opt(scores.pctOfTeacher);
    if (const auto p = evals.latestProfile(r.id))
        j["profile"] = {{"backbone_params", p->backboneParams}, {"head_params", p->headParams},
                        {"file_bytes", p->fileBytes},           {"macs", p->macs},
                        {"latency_ms", p->latencyMs},           {"threads", p->threads}};
    j["artifacts"] = nlohmann::json::array();
    for (const auto& a : log.artifacts(r.id))
        j["artifacts"].push_back(
            {{"kind", a.kind}, {"path", a.path}, {"sha256", a.sha256}, {"bytes", a.bytes}});
    if (const auto a = evals.latestAgreement(r.id))
        j["agreement"] = {
            {"clips", a->clips}, {"mean_cosine", a->meanCosine}, {"knn_overlap", a->knnOverlap}, {"k", a->k}};
    return j;
}

double metricOf(const nlohmann::json& j, const char* name, const char* which)
{
    if (!j.contains("metrics") || !j["metrics"].contains(name))
        return std::nan("");
    return j["metrics"][name][which].get<double>();
}

} // namespace

void addRunsCommands(CLI::App& app, CliContext& ctx)
{
    auto* runs =
        app.add_subcommand("runs", "The experiment log: list, show, compare, tag, note, rename, delete runs");
    runs->require_subcommand(1);
    auto csv = std::make_shared<bool>(false);

    auto* list =
        runs->add_subcommand("list", "Every run with its student, loss, sampler and validation cosine");
    list->add_flag("--csv", *csv, "CSV on stdout");
    list->callback([&ctx, csv]() {
        auto ws = ctx.openWorkspace(true);
        RunLog log(ws->database());
        nlohmann::json all = nlohmann::json::array();
        for (const auto& r : log.list())
            all.push_back(runJson(log, r));
        if (ctx.json) {
            ctx.printJson(all);
            return;
        }
        if (*csv) {
            std::cout
                << "id,name,status,student,loss,sampler,seed,backbone_params,val_cosine_last,val_cosine_best,"
                   "baseline_val_cosine,tags\n";
            for (const auto& j : all)
                std::cout << j["id"] << ',' << csvField(j["name"]) << ',' << j["status"].get<std::string>()
                          << ',' << csvField(j["student"]) << ',' << j["loss"].get<std::string>() << ','
                          << j["sampler"].get<std::string>() << ',' << j["seed"] << ','
                          << j["backbone_params"] << ',' << metricOf(j, "val_cosine", "last") << ','
                          << metricOf(j, "val_cosine", "best") << ','
                          << metricOf(j, "baseline_val_cosine", "last") << ',' << csvField(j["tags"]) << '\n';
            return;
        }
        if (all.empty())
            std::cout << "No runs yet; start one with `ssondo train --dataset NAME`.\n";
        std::printf("%4s  %-22s %-8s %-10s %-8s %-9s %10s %8s %8s %8s\n", "id", "name", "status", "student",
                    "loss", "sampler", "params", "val cos", "best", "baseline");
        for (const auto& j : all)
            std::printf("%4lld  %-22.22s %-8s %-10.10s %-8.8s %-9s %10lld %8.4f %8.4f %8.4f\n",
                        j["id"].get<long long>(), j["name"].get<std::string>().c_str(),
                        j["status"].get<std::string>().c_str(), j["student"].get<std::string>().c_str(),
                        j["loss"].get<std::string>().c_str(), j["sampler"].get<std::string>().c_str(),
                        j["backbone_params"].get<long long>(), metricOf(j, "val_cosine", "last"),
                        metricOf(j, "val_cosine", "best"), metricOf(j, "baseline_val_cosine", "last"));
    });

    auto showId = std::make_shared<std::int64_t>(0);
    auto* show = runs->add_subcommand("show", "One run: record, metrics, config");
    show->add_option("id", *showId, "Run id")->required();
    show->callback([&ctx, showId]() {
        auto ws = ctx.openWorkspace(true);
        RunLog log(ws->database());
        const RunRecord r = log.get(*showId);
        nlohmann::json j = runJson(log, r);
        j["config"] = r.configToml;
        if (ctx.json) {
            ctx.printJson(j);
            return;
        }
        std::cout << j.dump(2) << "\n";
    });

    auto ids = std::make_shared<std::vector<std::int64_t>>();
    auto* compare = runs->add_subcommand(
        "compare", "Runs side by side: the config keys that differ, best and last metrics");
    compare->add_option("ids", *ids, "Run ids")->required()->expected(2, 1000);
    compare->add_flag("--csv", *csv, "CSV on stdout");
    compare->callback([&ctx, ids, csv]() {
        auto ws = ctx.openWorkspace(true);
        RunLog log(ws->database());
        std::vector<RunRecord> rs;
        std::vector<TrainConfig> cfgs;
        for (auto id : *ids) {
            rs.push_back(log.get(id));
            cfgs.push_back(TrainConfig::fromToml(rs.back().configToml, "run " + std::to_string(id)));
        }
        std::vector<std::string> keys;
        for (size_t i = 1; i < cfgs.size(); ++i)
            for (const auto& k : cfgs[0].differences(cfgs[i]))
                if (std::find(keys.begin(), keys.end(), k) == keys.end())
                    keys.push_back(k);
        // Values of the differing keys, read back from each config's TOML.
        auto valueOf = [](const TrainConfig& c, const std::string& key) { return c.valueText(key); };
        nlohmann::json out = nlohmann::json::object();
        out["runs"] = *ids;
        for (const auto& k : keys)
            for (size_t i = 0; i < cfgs.size(); ++i)
                out["config"][k].push_back(valueOf(cfgs[i], k));
        std::map<std::string, std::vector<std::pair<double, double>>> metrics;
        for (size_t i = 0; i < rs.size(); ++i)
            for (const auto& m : log.summaries(rs[i].id)) {
                if (m.name.find('/') != std::string::npos)
                    continue; // per-cluster curves: see `runs show`
                auto& v = metrics[m.name];
                v.resize(rs.size(), {std::nan(""), std::nan("")});
                v[i] = {m.best, m.last};
            }
        for (auto& [name, v] : metrics) {
            v.resize(rs.size(), {std::nan(""), std::nan("")});
            for (const auto& [best, last] : v)
                out["metrics"][name].push_back({{"best", best}, {"last", last}});
        }
        // Per task: each run's score ± CI and % of teacher; then the average % of teacher.
        EvaluationLog evals(ws->database());
        std::vector<RunScores> scores;
        std::vector<std::string> tasks;
        for (const auto& r : rs) {
            scores.push_back(evals.runScores(r.id));
            for (const auto& t : scores.back().tasks)
                if (std::find(tasks.begin(), tasks.end(), t.student.task) == tasks.end())
                    tasks.push_back(t.student.task);
        }
        auto scoreOf = [&](std::size_t i, const std::string& task) -> const TaskScore* {
            for (const auto& t : scores[i].tasks)
                if (t.student.task == task)
                    return &t;
            return nullptr;
        };
        for (const auto& task : tasks)
            for (std::size_t i = 0; i < rs.size(); ++i) {
                const TaskScore* t = scoreOf(i, task);
                out["evaluations"][task].push_back(
                    t ? nlohmann::json{{"metric", t->student.metric},
                                       {"mean", t->student.mean},
                                       {"ci95", t->student.ci95 ? nlohmann::json(*t->student.ci95)
                                                                : nlohmann::json(nullptr)},
                                       {"teacher_mean", t->teacher ? nlohmann::json(t->teacher->mean)
                                                                   : nlohmann::json(nullptr)},
                                       {"pct_of_teacher", t->pctOfTeacher ? nlohmann::json(*t->pctOfTeacher)
                                                                          : nlohmann::json(nullptr)}}
                      : nlohmann::json(nullptr));
            }
        for (const auto& sc : scores)
            out["pct_of_teacher"].push_back(sc.pctOfTeacher ? nlohmann::json(*sc.pctOfTeacher)
                                                            : nlohmann::json(nullptr));
        std::vector<std::optional<ModelProfileRecord>> profiles;
        std::vector<std::optional<AgreementRecord>> agreements;
        for (const auto& r : rs) {
            profiles.push_back(evals.latestProfile(r.id));
            agreements.push_back(evals.latestAgreement(r.id));
            const auto& p = profiles.back();
            out["profile"].push_back(p ? nlohmann::json{{"backbone_params", p->backboneParams},
                                                        {"macs", p->macs},
                                                        {"latency_ms", p->latencyMs}}
                                       : nlohmann::json(nullptr));
        }
        if (ctx.json) {
            ctx.printJson(out);
            return;
        }
        const char* sep = *csv ? "," : "  ";
        std::cout << (*csv ? "key" : "                              ");
        for (const auto& r : rs)
            std::cout << sep
                      << (*csv ? csvField(r.name) : "#" + std::to_string(r.id) + " " + r.name.substr(0, 14));
        std::cout << "\n";
        for (const auto& k : keys) {
            std::printf(*csv ? "%s" : "%-30s", k.c_str());
            for (size_t i = 0; i < cfgs.size(); ++i)
                std::printf(*csv ? ",%s" : "  %-20s", valueOf(cfgs[i], k).c_str());
            std::printf("\n");
        }
        for (const auto& [name, v] : metrics) {
            std::printf(*csv ? "%s (best/last)" : "%-30s", (name + (*csv ? "" : " best/last")).c_str());
            for (const auto& [best, last] : v)
                std::printf(*csv ? ",%.6g/%.6g" : "  %-9.4f/%-9.4f ", best, last);
            std::printf("\n");
        }
        auto cell = [&](const std::string& text) {
            std::printf(*csv ? ",%s" : "  %-20s", csv ? csvField(text).c_str() : text.c_str());
        };
        char buf[96];
        for (const auto& task : tasks) {
            const TaskScore* any = nullptr;
            for (std::size_t i = 0; i < rs.size() && !any; ++i)
                any = scoreOf(i, task);
            std::printf(*csv ? "%s" : "%-30s", (task + " " + any->student.metric).c_str());
            for (std::size_t i = 0; i < rs.size(); ++i) {
                const TaskScore* t = scoreOf(i, task);
                if (!t)
                    cell("-");
                else {
                    std::snprintf(buf, sizeof buf, "%.4f±%.4f", t->student.mean,
                                  t->student.ci95.value_or(0.0));
                    cell(buf);
                }
            }
            std::printf("\n");
            std::printf(*csv ? "%s" : "%-30s", (task + " % of teacher").c_str());
            for (std::size_t i = 0; i < rs.size(); ++i) {
                const TaskScore* t = scoreOf(i, task);
                if (t && t->pctOfTeacher)
                    std::snprintf(buf, sizeof buf, "%.1f%% (of %.4f)", *t->pctOfTeacher, t->teacher->mean);
                else
                    std::snprintf(buf, sizeof buf, "-");
                cell(buf);
            }
            std::printf("\n");
        }
        if (!tasks.empty()) {
            std::printf(*csv ? "%s" : "%-30s", "% of teacher (all tasks)");
            for (const auto& sc : scores) {
                if (sc.pctOfTeacher)
                    std::snprintf(buf, sizeof buf, "%.1f%% (%zu tasks)", *sc.pctOfTeacher,
                                  sc.tasksWithTeacher);
                else
                    std::snprintf(buf, sizeof buf, "-");
                cell(buf);
            }
            std::printf("\n");
        }
        auto profileRow = [&](const char* label, auto&& text) {
            bool anyValue = false;
            for (std::size_t i = 0; i < rs.size(); ++i)
                anyValue |= !text(i).empty();
            if (!anyValue)
                return;
            std::printf(*csv ? "%s" : "%-30s", label);
            for (std::size_t i = 0; i < rs.size(); ++i) {
                const std::string t = text(i);
                cell(t.empty() ? "-" : t);
            }
            std::printf("\n");
        };
        profileRow("backbone parameters", [&](std::size_t i) {
            return profiles[i] ? std::to_string(profiles[i]->backboneParams) : std::string();
        });
        profileRow("GMACs per 10 s", [&](std::size_t i) {
            if (!profiles[i])
                return std::string();
            std::snprintf(buf, sizeof buf, "%.3f", double(profiles[i]->macs) / 1e9);
            return std::string(buf);
        });
        profileRow("CPU latency per 10 s (ms)", [&](std::size_t i) {
            if (!profiles[i])
                return std::string();
            std::snprintf(buf, sizeof buf, "%.1f", profiles[i]->latencyMs);
            return std::string(buf);
        });
        profileRow("held-out cosine / kNN@10", [&](std::size_t i) {
            if (!agreements[i])
                return std::string();
            std::snprintf(buf, sizeof buf, "%.4f / %.4f", agreements[i]->meanCosine,
                          agreements[i]->knnOverlap);
            return std::string(buf);
        });
    });

    struct Edit
    {
        std::int64_t id = 0;
        std::string value;
        bool yes = false;
    };
    auto edit = std::make_shared<Edit>();
    auto* tag = runs->add_subcommand("tag", "Set a run's tags (comma-separated)");
    tag->add_option("id", edit->id)->required();
    tag->add_option("tags", edit->value)->required();
    tag->callback([&ctx, edit]() {
        auto ws = ctx.openWorkspace();
        RunLog(ws->database()).setTags(edit->id, edit->value);
    });
    auto* note = runs->add_subcommand("note", "Set a run's notes");
    note->add_option("id", edit->id)->required();
    note->add_option("text", edit->value)->required();
    note->callback([&ctx, edit]() {
        auto ws = ctx.openWorkspace();
        RunLog(ws->database()).setNotes(edit->id, edit->value);
    });
    auto* rename = runs->add_subcommand("rename", "Rename a run");
    rename->add_option("id", edit->id)->required();
    rename->add_option("name", edit->value)->required();
    rename->callback([&ctx, edit]() {
        auto ws = ctx.openWorkspace();
        RunLog(ws->database()).rename(edit->id, edit->value);
    });
    auto* del =
        runs->add_subcommand("delete", "Delete a run, its metrics and its folder (asks unless --yes)");
    del->add_option("id", edit->id)->required();
    del->add_flag("-y,--yes", edit->yes, "Do not ask");
    del->callback([&ctx, edit]() {
        auto ws = ctx.openWorkspace();
        RunLog log(ws->database());
        const RunRecord r = log.get(edit->id);
        if (r.status == RunStatus::Running)
            throw InputError("run " + std::to_string(r.id) + " is running; stop it first");
        if (!edit->yes) {
            std::cerr << "Delete run " << r.id << " '" << r.name << "' and " << r.dir << "? [y/N] ";
            std::string answer;
            if (!std::getline(std::cin, answer) || (answer != "y" && answer != "Y" && answer != "yes")) {
                std::cerr << "Nothing deleted.\n";
                return;
            }
        }
        log.remove(r.id);
        std::error_code ec;
        if (!r.dir.empty())
            fs::remove_all(fs::path(ws->dir()) / r.dir, ec);
        if (!ctx.json)
            std::cout << "Deleted run " << r.id << " '" << r.name << "'.\n";
    });
}

} // namespace ssondo::cli
