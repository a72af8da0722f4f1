// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliContext.h"

#include "data/DatasetCatalog.h"
#include "experiments/Database.h"
#include "experiments/JobLog.h"
#include "workspace/Workspace.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>

namespace ssondo::cli {

void addWorkspaceCommands(CLI::App& app, CliContext& ctx)
{
    auto* ws = app.add_subcommand("workspace", "Create or inspect a workspace");
    ws->require_subcommand(1);

    auto* init = ws->add_subcommand("init", "Create a workspace folder (workspace.db, embeddings/, runs/)");
    auto dir = std::make_shared<std::string>();
    init->add_option("dir", *dir, "Folder to create (default: --workspace or the current folder)");
    init->callback([&ctx, dir]() {
        const std::string target = dir->empty() ? ctx.resolvedWorkspaceDir() : *dir;
        const bool existed = Workspace::isWorkspace(target);
        auto w = Workspace::create(target);
        if (ctx.json)
            ctx.printJson({{"workspace", w->dir()},
                           {"created", !existed},
                           {"schema_version", w->database().schemaVersion()}});
        else
            std::cout << (existed ? "Workspace already exists: " : "Created workspace: ") << w->dir() << "\n";
    });

    auto* show = ws->add_subcommand("show", "Summarise the workspace: datasets, jobs");
    show->callback([&ctx]() {
        auto w = ctx.openWorkspace(true);
        DatasetCatalog catalog(w->database());
        JobLog jobs(w->database());
        const auto datasets = catalog.list();
        const auto jobList = jobs.list(20);
        if (ctx.json) {
            nlohmann::json j{{"workspace", w->dir()}, {"schema_version", w->database().schemaVersion()}};
            j["datasets"] = nlohmann::json::array();
            for (const auto& d : datasets)
                j["datasets"].push_back({{"id", d.id}, {"name", d.name}, {"clips", d.clipCount}});
            j["jobs"] = nlohmann::json::array();
            for (const auto& jb : jobList)
                j["jobs"].push_back({{"id", jb.id},
                                     {"kind", jb.kind},
                                     {"target", jb.target},
                                     {"state", jobStates().nameOf(jb.state)}});
            ctx.printJson(j);
            return;
        }
        std::cout << "Workspace " << w->dir() << " (schema " << w->database().schemaVersion() << ")\n";
        std::cout << "Datasets: " << datasets.size() << "\n";
        for (const auto& d : datasets)
            std::cout << "  " << d.name << "  " << d.clipCount << " clips\n";
        std::cout << "Recent jobs: " << jobList.size() << "\n";
        for (const auto& jb : jobList)
            std::cout << "  #" << jb.id << " " << jb.kind << " " << jb.target << "  "
                      << jobStates().nameOf(jb.state) << "\n";
    });
}

} // namespace ssondo::cli
