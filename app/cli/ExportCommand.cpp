// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliContext.h"

#include "data/EmbeddingCatalog.h"
#include "experiments/RunLog.h"
#include "jobs/RunModels.h"
#include "students/StudentExport.h"
#include "workspace/Workspace.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "experiments/RunLog.h"
#include "util/Hash.h"

#include <filesystem>
#include <iostream>

namespace ssondo::cli {

void addExportCommand(CLI::App& app, CliContext& ctx)
{
    struct Args
    {
        std::int64_t run = 0;
        std::string out;
    };
    auto a = std::make_shared<Args>();
    auto* ex =
        app.add_subcommand("export", "Write a trained student for PyTorch (state dict, reference key names), "
                                     "its description (JSON) and a LibTorch archive");
    ex->add_option("--run", a->run, "Run id")->required();
    ex->add_option("--out", a->out, "Output folder")->required();
    ex->callback([&ctx, a]() {
        auto ws = ctx.openWorkspace();
        RunModels m = loadRunModels(*ws, a->run);
        const auto es = EmbeddingCatalog(ws->database()).get(m.config.embeddings);
        nlohmann::json info{
            {"registry_name", m.config.arch},
            {"width", m.config.width},
            {"m_channels", m.config.mChannels},
            {"run",
             {{"id", m.run.id},
              {"name", m.run.name},
              {"status", runStatuses().nameOf(m.run.status)},
              {"loss", m.run.loss},
              {"sampler", m.run.sampler},
              {"seed", m.run.seed}}},
            {"teacher",
             {{"description", es.teacherDescription}, {"identity", es.teacherIdentity}, {"dim", es.dim}}}};
        const auto files = exportStudent(a->out, *m.student, *m.head, info, m.config.clipSeconds);
        for (const auto& f : files) {
            ArtifactRecord art;
            art.runId = m.run.id;
            art.kind = "export";
            art.path = std::filesystem::absolute(f).lexically_normal().string();
            art.sha256 = sha256File(f);
            art.bytes = std::int64_t(std::filesystem::file_size(f));
            RunLog(ws->database()).addArtifact(art);
        }
        if (ctx.json) {
            ctx.printJson({{"run", a->run}, {"files", files}});
            return;
        }
        std::cout << "Exported run " << a->run << " (" << m.student->architecture() << ") to " << a->out
                  << ":\n";
        for (const auto& f : files)
            std::cout << "  " << f << "\n";
        std::cout << "In Python: sd = torch.load('"
                  << (std::filesystem::path(a->out) / "backbone.pt").string()
                  << "'); model.load_state_dict(sd)  # reference key names\n";
    });
}

} // namespace ssondo::cli
