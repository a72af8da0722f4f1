// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliContext.h"

#include "data/DatasetCatalog.h"
#include "data/EmbeddingCatalog.h"
#include "data/EmbeddingExport.h"
#include "data/EmbeddingStore.h"
#include "experiments/RunLog.h"
#include "jobs/ExtractJob.h"
#include "teachers/Teacher.h"
#include "util/Error.h"
#include "util/JsonLinesSink.h"
#include "workspace/Workspace.h"

#include <ATen/ATen.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

namespace fs = std::filesystem;

namespace ssondo::cli {

namespace {

nlohmann::json setJson(const EmbeddingSetRecord& e)
{
    return {{"id", e.id},
            {"dataset", e.datasetName},
            {"dataset_version", e.datasetVersion},
            {"teacher", e.teacherDescription},
            {"teacher_kind", e.teacherKind},
            {"teacher_source", e.teacherSource},
            {"teacher_identity", e.teacherIdentity},
            {"teacher_parameters", e.teacherParameters},
            {"dim", e.dim},
            {"dtype", e.dtype},
            {"rows", e.rows},
            {"done", e.done},
            {"failed", e.failed},
            {"path", e.path},
            {"state", embeddingSetStates().nameOf(e.state)},
            {"reason", e.reason},
            {"updated_at", e.updatedAt}};
}

/// `ssondo embeddings remove ID [--force]`: the record (with its clusterings and maps), then the files.
void addRemoveCommand(CLI::App& emb, CliContext& ctx)
{
    auto id = std::make_shared<std::int64_t>(0);
    auto force = std::make_shared<bool>(false);
    auto* rm = emb.add_subcommand("remove", "Remove an embedding set with its clusterings, maps and files");
    rm->add_option("id", *id, "Embedding set id")->required();
    rm->add_flag(
        "--force", *force,
        "Also when runs were trained on it (they keep their curves and results but cannot be resumed)");
    rm->callback([&ctx, id, force]() {
        auto ws = ctx.openWorkspace();
        std::string users;
        for (const auto& r : RunLog(ws->database()).list())
            if (r.embeddingSetId == *id)
                users += (users.empty() ? "" : ", ") + std::to_string(r.id) + " '" + r.name + "'";
        if (!users.empty() && !*force)
            throw InputError("embedding set " + std::to_string(*id) + " is the teacher data of run(s) " +
                             users + "; pass --force to remove it anyway");
        const auto files = EmbeddingCatalog(ws->database()).remove(*id);
        std::vector<std::string> left;
        for (const auto& f : files) {
            std::error_code ec;
            fs::remove_all(fs::path(ws->dir()) / f, ec);
            if (ec)
                left.push_back(f + " (" + ec.message() + ")");
        }
        if (ctx.json) {
            ctx.printJson({{"removed", *id}, {"files", files}, {"not_removed", left}});
        } else {
            std::printf("Removed embedding set %lld and its files\n", (long long)*id);
            for (const auto& f : left)
                std::printf("  could not remove %s; delete it by hand\n", f.c_str());
        }
    });
}

/// `ssondo embeddings export ID --format npy|npz --out PATH`.
void addExportEmbeddingsCommand(CLI::App& emb, CliContext& ctx)
{
    struct Args
    {
        std::int64_t id = 0;
        std::string format = "npy", out;
    };
    auto a = std::make_shared<Args>();
    auto* ex = emb.add_subcommand(
        "export", "Write an embedding set for Python: a .npy matrix or the reference's .npz files");
    ex->add_option("id", a->id, "Embedding set id")->required();
    std::vector<std::string> formats;
    for (const auto& f : embeddingExportFormats())
        formats.emplace_back(f.name);
    ex->add_option("--format", a->format, embeddingExportFormats().help(""))->check(CLI::IsMember(formats));
    ex->add_option("--out", a->out, "npy: the matrix file (its index goes next to it as .csv); npz: a folder")
        ->required();
    ex->callback([&ctx, a]() {
        auto ws = ctx.openWorkspace(true);
        const auto set = EmbeddingCatalog(ws->database()).getUsable(a->id, "export");
        auto store = EmbeddingStore::open((fs::path(ws->dir()) / set.path).string());
        // Row i of the store is its clip i; the split comes from the dataset where it still lists it.
        std::map<std::string, std::string> splitOf;
        for (const auto& c : DatasetCatalog(ws->database()).clips(set.datasetId))
            splitOf[c.path] = c.split;
        std::vector<ClipInfo> clips;
        for (const auto& p : store->info().clipPaths) {
            ClipInfo c;
            c.path = p;
            c.split = splitOf.count(p) ? splitOf[p] : std::string();
            clips.push_back(c);
        }
        const auto format = embeddingExportFormats().get(a->format, "--format").value;
        const EmbeddingExport r = exportEmbeddings(*store, clips, format, a->out);
        if (ctx.json) {
            ctx.printJson(
                {{"embedding_set", a->id}, {"rows", r.rows}, {"files", r.files}, {"format", a->format}});
            return;
        }
        std::printf("Exported %lld embeddings of set %lld (%lld-d float32):\n", (long long)r.rows,
                    (long long)a->id, (long long)set.dim);
        for (const auto& f : r.files)
            std::printf("  %s\n", f.c_str());
        if (format == EmbeddingExportFormat::Npy)
            std::printf("In Python: x = numpy.load('%s', mmap_mode='r')\n", a->out.c_str());
    });
}

} // namespace

void addExtractCommands(CLI::App& app, CliContext& ctx)
{
    auto cfg = std::make_shared<ExtractConfig>();
    auto* ex =
        app.add_subcommand("extract", "Embed every clip of a dataset with a teacher (cached, resumable)");
    ex->add_option(
          "--teacher", cfg->teacher.source,
          "demo (built-in random-feature network, not pretrained), a TorchScript .pt file, a folder of "
          "reference .npz embeddings, or a .npy matrix")
        ->default_val("demo");
    ex->add_option("--dataset", cfg->dataset, "Dataset name or id")->required();
    ex->add_option("--teacher-sample-rate", cfg->teacher.sampleRate,
                   "Sample rate for a TorchScript file without a sample_rate attribute (Hz)")
        ->check(CLI::PositiveNumber);
    ex->add_option("--teacher-window", cfg->teacher.windowSeconds,
                   "Window for a TorchScript file without a window_seconds attribute (s)")
        ->check(CLI::PositiveNumber);
    ex->add_option("--teacher-index", cfg->teacher.indexCsv,
                   "Index CSV of a .npy matrix (one clip path per row)")
        ->check(CLI::ExistingFile);
    ex->add_option("--dtype", cfg->dtype, "Storage precision")->check(CLI::IsMember({"float32", "float16"}));
    ex->add_option("--batch-size", cfg->batchSize, "Segments per teacher forward")
        ->check(CLI::Range(1, 4096));
    ex->add_option("--device", cfg->device, "auto, cpu, cuda or cuda:N");
    ex->add_option("--workers", cfg->workers, "Decoding threads (0: cores - 1)")
        ->check(CLI::NonNegativeNumber);
    ex->add_flag("--retry-failed", cfg->retryFailed, "Try the clips that failed last time again");
    auto shard = std::make_shared<std::string>();
    auto mergeShards = std::make_shared<int>(0);
    auto keepParts = std::make_shared<bool>(false);
    ex->add_option("--shard", *shard,
                   "I/N: embed only clips I, I+N, I+2N... into their own part (for job arrays; "
                   "the database is not written); then --merge-shards N");
    ex->add_option("--merge-shards", *mergeShards, "Merge the N finished shard parts into the embedding set")
        ->check(CLI::Range(1, 100000));
    ex->add_flag("--keep-parts", *keepParts, "With --merge-shards: keep the part folders after merging");
    ex->callback([&ctx, cfg, shard, mergeShards, keepParts]() {
        if (!shard->empty()) {
            const auto slash = shard->find('/');
            try {
                if (slash == std::string::npos)
                    throw std::invalid_argument(*shard);
                std::size_t a = 0, b = 0;
                cfg->shardIndex = std::stoi(shard->substr(0, slash), &a);
                cfg->shardCount = std::stoi(shard->substr(slash + 1), &b);
                if (a != slash || b != shard->size() - slash - 1 || cfg->shardCount < 1)
                    throw std::invalid_argument(*shard);
            } catch (const std::exception&) {
                throw InputError("--shard expects I/N with 0 <= I < N (e.g. --shard 0/4), got '" + *shard +
                                 "'");
            }
            if (*mergeShards > 0)
                throw InputError("--shard and --merge-shards are separate steps: run the shards, then merge");
        }
        // A shard only reads the database: many may run at once over a shared file system.
        auto ws = ctx.openWorkspace(!shard->empty());
        cfg->commandLine = ctx.commandLine;
        auto sink = ctx.makeSink();
        const ExtractResult r = *mergeShards > 0
                                    ? ExtractJob::merge(*ws, *cfg, *mergeShards, *sink, *keepParts)
                                    : ExtractJob::run(*ws, *cfg, *sink, ctx.stop);
        nlohmann::json j{{"embedding_set", r.embeddingSetId},
                         {"path", r.path},
                         {"rows", r.rows},
                         {"done", r.done},
                         {"failed", r.failed},
                         {"computed_now", r.computedNow},
                         {"teacher_forwards", r.forwards},
                         {"segments", r.segments},
                         {"seconds", r.seconds},
                         {"stopped", r.stopped},
                         {"clips_per_s", r.seconds > 0 ? r.computedNow / r.seconds : 0.0},
                         {"teacher", r.teacherDescription}};
        j["incomplete_shards"] = r.incompleteShards;
        if (cfg->shardCount > 0)
            j["shard"] = std::to_string(cfg->shardIndex) + "/" + std::to_string(cfg->shardCount);
        if (ctx.json) {
            static_cast<JsonLinesSink*>(sink.get())->writeResult(j.dump());
            if (!r.incompleteShards.empty())
                throw InputError("some shards are not finished; run them, then merge again");
            return;
        }
        sink.reset();
        if (cfg->shardCount > 0) {
            std::printf(
                "Shard %d/%d: %lld of %lld clips embedded, %lld failed (%s); this run %lld clips in %.1f s\n",
                cfg->shardIndex, cfg->shardCount, (long long)r.done, (long long)r.rows, (long long)r.failed,
                r.path.c_str(), (long long)r.computedNow, r.seconds);
            return;
        }
        if (*mergeShards > 0) {
            std::printf(
                "Merged %lld rows from %d shards into embedding set %lld: %lld of %lld clips embedded, "
                "%lld failed (%s)\n",
                (long long)r.computedNow, *mergeShards, (long long)r.embeddingSetId, (long long)r.done,
                (long long)r.rows, (long long)r.failed, r.path.c_str());
            for (const auto& s : r.incompleteShards)
                std::printf("  not finished: %s\n", s.c_str());
            if (!r.incompleteShards.empty())
                throw InputError("some shards are not finished; run them, then merge again");
            return;
        }
        std::printf("Embedding set %lld: %lld of %lld clips embedded, %lld failed (%s)\n",
                    (long long)r.embeddingSetId, (long long)r.done, (long long)r.rows, (long long)r.failed,
                    r.path.c_str());
        std::printf("This run: %lld clips, %lld segments, %lld teacher forward passes in %.1f s%s\n",
                    (long long)r.computedNow, (long long)r.segments, (long long)r.forwards, r.seconds,
                    r.stopped ? " (stopped; run the same command again to continue)" : "");
    });

    auto* emb = app.add_subcommand("embeddings", "List and inspect the workspace's embedding sets");
    emb->require_subcommand(1);
    auto* list = emb->add_subcommand("list", "Embedding sets: teacher, dataset, rows, state");
    list->callback([&ctx]() {
        auto ws = ctx.openWorkspace(true);
        const auto sets = EmbeddingCatalog(ws->database()).list();
        if (ctx.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& e : sets)
                j.push_back(setJson(e));
            ctx.printJson(j);
            return;
        }
        if (sets.empty())
            std::cout << "No embedding sets yet; run `ssondo extract --dataset NAME`.\n";
        for (const auto& e : sets)
            std::printf("%3lld  %-12s %-10s %6lld/%lld rows (%lld failed)  %5lld-d %s  %s%s\n",
                        (long long)e.id, e.datasetName.c_str(), embeddingSetStates().nameOf(e.state).c_str(),
                        (long long)e.done, (long long)e.rows, (long long)e.failed, (long long)e.dim,
                        e.dtype.c_str(), e.teacherDescription.c_str(),
                        e.reason.empty() ? "" : ("\n     " + e.reason).c_str());
    });
    auto showId = std::make_shared<std::int64_t>(0);
    auto* show = emb->add_subcommand("show", "One embedding set with its statistics and failures");
    show->add_option("id", *showId, "Embedding set id")->required();
    show->callback([&ctx, showId]() {
        auto ws = ctx.openWorkspace(true);
        const auto e = EmbeddingCatalog(ws->database()).get(*showId);
        auto store = EmbeddingStore::open((fs::path(ws->dir()) / e.path).string());
        nlohmann::json j = setJson(e);
        const auto done = store->rowsIn(EmbeddingStore::RowState::Done);
        if (!done.empty()) {
            const at::Tensor x = store->rowsAt(done);
            const at::Tensor norms = x.norm(2, 1);
            j["norm_mean"] = norms.mean().item<double>();
            j["norm_std"] = norms.std().item<double>();
            j["dim_variance_mean"] = x.var(0).mean().item<double>();
            // Mean cosine to the mean embedding: how much of the space is a common direction.
            const at::Tensor mean = x.mean(0, true);
            j["mean_cosine_to_centroid"] =
                at::cosine_similarity(x, mean.expand_as(x), 1).mean().item<double>();
        }
        j["errors"] = nlohmann::json::array();
        for (const auto& [row, why] : store->errors())
            j["errors"].push_back({{"clip", store->info().clipPaths[size_t(row)]}, {"error", why}});
        if (ctx.json) {
            ctx.printJson(j);
            return;
        }
        std::cout << j.dump(2) << "\n";
    });
    addRemoveCommand(*emb, ctx);
    addExportEmbeddingsCommand(*emb, ctx);
}

} // namespace ssondo::cli
