// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliContext.h"

#include "clustering/ClusteringCatalog.h"
#include "jobs/ClusterJob.h"
#include "jobs/MapJob.h"
#include "util/Error.h"
#include "util/JsonLinesSink.h"
#include "workspace/Workspace.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <sstream>

namespace ssondo::cli {

namespace {

nlohmann::json toJson(const ClusteringRecord& r)
{
    nlohmann::json j{{"id", r.id},
                     {"embedding_set", r.embeddingSetId},
                     {"k", r.k},
                     {"normalized", r.normalized},
                     {"seed", r.seed},
                     {"iterations", r.iterations},
                     {"restarts", r.restarts},
                     {"init", r.init},
                     {"rows", r.rows},
                     {"inertia", r.quality.inertia},
                     {"silhouette", r.quality.silhouette},
                     {"calinski_harabasz", r.quality.calinskiHarabasz},
                     {"davies_bouldin", r.quality.daviesBouldin},
                     {"sizes", r.sizes},
                     {"centroids", r.centroidsPath},
                     {"seconds", r.seconds}};
    j["nmi"] = r.quality.nmi ? nlohmann::json(*r.quality.nmi) : nlohmann::json(nullptr);
    j["ari"] = r.quality.ari ? nlohmann::json(*r.quality.ari) : nlohmann::json(nullptr);
    j["purity"] = r.quality.purity ? nlohmann::json(*r.quality.purity) : nlohmann::json(nullptr);
    return j;
}

void printRow(const ClusteringRecord& r)
{
    std::printf("%3lld  set %-3lld k %-4lld %-4s inertia %-11.4g silhouette %6.3f  CH %9.2f  DB %6.3f",
                (long long)r.id, (long long)r.embeddingSetId, (long long)r.k, r.normalized ? "l2" : "raw",
                r.quality.inertia, r.quality.silhouette, r.quality.calinskiHarabasz, r.quality.daviesBouldin);
    if (r.quality.nmi)
        std::printf("  NMI %.3f ARI %.3f purity %.3f", *r.quality.nmi, *r.quality.ari, *r.quality.purity);
    std::printf("\n");
}

std::vector<std::int64_t> parseRange(const std::string& text)
{
    // "10:100:10" → 10, 20, ..., 100
    std::int64_t a = 0, b = 0, step = 1;
    char c1 = 0, c2 = 0;
    std::istringstream s(text);
    s >> a >> c1 >> b;
    if (s >> c2 >> step) {
    }
    if (c1 != ':' || a < 2 || b < a || step < 1)
        throw InputError("--k-range expects FIRST:LAST[:STEP] with 2 <= FIRST <= LAST, got '" + text + "'");
    std::vector<std::int64_t> out;
    for (std::int64_t k = a; k <= b; k += step)
        out.push_back(k);
    return out;
}

} // namespace

void addClusterCommands(CLI::App& app, CliContext& ctx)
{
    auto cfg = std::make_shared<ClusterConfig>();
    auto range = std::make_shared<std::string>();
    auto init = std::make_shared<std::string>("k-means++");
    auto* cl = app.add_subcommand("cluster", "k-means on teacher embeddings (FAISS), with quality measures");
    cl->add_option("--embeddings", cfg->embeddings, "Embedding set id")->required();
    cl->add_option("--k", cfg->kmeans.k, "Clusters (reference: 50)")->check(CLI::Range(2, 100000));
    cl->add_option("--k-range", *range, "Sweep FIRST:LAST[:STEP], e.g. 10:100:10 (every k stored)");
    cl->add_flag("--normalize", cfg->kmeans.normalize,
                 "L2-normalise the embeddings first (spherical k-means)");
    cl->add_option("--seed", cfg->kmeans.seed, "Seed (reference: 42)");
    cl->add_option("--iterations", cfg->kmeans.iterations, "Lloyd iterations")->check(CLI::Range(1, 10000));
    cl->add_option("--init", *init,
                   "k-means++ (greedy seeding, the reference) or random (FAISS's random rows)")
        ->check(CLI::IsMember({"k-means++", "random"}));
    cl->add_option("--restarts", cfg->kmeans.restarts, "Runs from different seeds, the best kept")
        ->check(CLI::Range(1, 100));
    cl->add_option("--max-train-rows", cfg->kmeans.maxTrainRows,
                   "Rows sampled to train the centroids (0: 256 per centroid)");
    cl->callback([&ctx, cfg, range, init]() {
        cfg->kmeans.plusPlus = *init == "k-means++";
        if (!range->empty())
            cfg->kRange = parseRange(*range);
        cfg->commandLine = ctx.commandLine;
        auto ws = ctx.openWorkspace();
        auto sink = ctx.makeSink();
        const auto results = ClusterJob::run(*ws, *cfg, *sink, ctx.stop);
        if (ctx.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& r : results)
                j.push_back(toJson(r));
            static_cast<JsonLinesSink*>(sink.get())->writeResult(nlohmann::json{{"clusterings", j}}.dump());
            return;
        }
        sink.reset();
        for (const auto& r : results)
            printRow(r);
    });

    auto* cs = app.add_subcommand("clusterings", "List and inspect clusterings");
    cs->require_subcommand(1);
    cs->add_subcommand("list", "Every clustering with its quality")->callback([&ctx]() {
        auto ws = ctx.openWorkspace(true);
        const auto all = ClusteringCatalog(ws->database()).list();
        if (ctx.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& r : all)
                j.push_back(toJson(r));
            ctx.printJson(j);
            return;
        }
        if (all.empty())
            std::cout << "No clusterings yet; run `ssondo cluster --embeddings ID --k 50`.\n";
        for (const auto& r : all)
            printRow(r);
    });
    auto id = std::make_shared<std::int64_t>(0);
    auto* show = cs->add_subcommand("show", "One clustering: measures, sizes, sampling weights");
    show->add_option("id", *id, "Clustering id")->required();
    show->callback([&ctx, id]() {
        auto ws = ctx.openWorkspace(true);
        const auto r = ClusteringCatalog(ws->database()).get(*id);
        nlohmann::json j = toJson(r);
        // Share of the data and expected share of draws: uniform vs balanced sampling.
        nlohmann::json clusters = nlohmann::json::array();
        for (size_t c = 0; c < r.sizes.size(); ++c)
            clusters.push_back({{"cluster", c},
                                {"size", r.sizes[c]},
                                {"share", double(r.sizes[c]) / double(std::max<std::int64_t>(1, r.rows))},
                                {"weight", r.sizes[c] ? 1.0 / double(r.sizes[c]) : 0.0},
                                {"balanced_share", 1.0 / double(r.sizes.size())}});
        j["clusters"] = clusters;
        if (ctx.json) {
            ctx.printJson(j);
            return;
        }
        printRow(r);
        std::printf("cluster   size   share(uniform)   share(balanced)\n");
        for (size_t c = 0; c < r.sizes.size(); ++c)
            std::printf("%7zu %6lld   %13.4f   %15.4f\n", c, (long long)r.sizes[c],
                        double(r.sizes[c]) / double(std::max<std::int64_t>(1, r.rows)),
                        1.0 / double(r.sizes.size()));
    });

    auto mc = std::make_shared<MapConfig>();
    auto* mp = app.add_subcommand(
        "map", "2-D map of an embedding set (t-SNE, UMAP or PCA) for the Clusters page and scripts");
    mp->add_option("--embeddings", mc->embeddings, "Embedding set id")->required();
    mp->add_option("--method", mc->method, "tsne (Barnes-Hut), umap or pca")
        ->check(CLI::IsMember({"tsne", "umap", "pca"}));
    mp->add_option("--max-points", mc->maxPoints,
                   "t-SNE/UMAP on a seeded sample of at most this many clips (0: all)");
    mp->add_flag("--normalize", mc->normalize, "L2-normalise the embeddings first (cosine geometry)");
    mp->add_option("--seed", mc->seed, "Seed (sample and initialisation jitter)");
    mp->add_option("--perplexity", mc->tsne.perplexity, "t-SNE perplexity")->check(CLI::Range(1.0, 1000.0));
    mp->add_option("--iterations", mc->tsne.iterations, "t-SNE iterations")->check(CLI::Range(10, 100000));
    mp->add_option("--theta", mc->tsne.theta, "Barnes-Hut accuracy (0: exact)")->check(CLI::Range(0.0, 2.0));
    mp->add_option("--neighbours", mc->umap.neighbours, "UMAP neighbours, the clip itself included")
        ->check(CLI::Range(2, 200));
    mp->add_option("--min-dist", mc->umap.minDist, "UMAP min_dist")->check(CLI::Range(0.0, 1.0));
    mp->add_option("--epochs", mc->umap.epochs, "UMAP epochs (0: 500 up to 10,000 clips, else 200)")
        ->check(CLI::Range(0, 100000));
    mp->add_option("--init", mc->umap.init, "UMAP initialisation: spectral or pca")
        ->check(CLI::IsMember({"spectral", "pca"}));
    mp->callback([&ctx, mc]() {
        mc->commandLine = ctx.commandLine;
        auto ws = ctx.openWorkspace();
        auto sink = ctx.makeSink();
        const MapRecord r = MapJob::run(*ws, *mc, *sink, ctx.stop);
        if (r.id == 0)
            return; // stopped
        nlohmann::json j{{"id", r.id},
                         {"embedding_set", r.embeddingSetId},
                         {"method", r.method},
                         {"points", r.rows},
                         {"path", r.path},
                         {"seconds", r.seconds},
                         {"params", nlohmann::json::parse(r.paramsJson)}};
        if (ctx.json) {
            static_cast<JsonLinesSink*>(sink.get())->writeResult(j.dump());
            return;
        }
        sink.reset();
        std::printf("Map %lld of embedding set %lld: %s, %lld points in %.1f s -> %s/%s\n  %s\n",
                    (long long)r.id, (long long)r.embeddingSetId, r.method.c_str(), (long long)r.rows,
                    r.seconds, ws->dir().c_str(), r.path.c_str(), r.paramsJson.c_str());
    });
    auto* ms = app.add_subcommand("maps", "List stored maps");
    ms->require_subcommand(1);
    ms->add_subcommand("list", "Every map, newest first")->callback([&ctx]() {
        auto ws = ctx.openWorkspace(true);
        const auto all = ClusteringCatalog(ws->database()).maps();
        if (ctx.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& r : all)
                j.push_back({{"id", r.id},
                             {"embedding_set", r.embeddingSetId},
                             {"method", r.method},
                             {"points", r.rows},
                             {"path", r.path},
                             {"params", nlohmann::json::parse(r.paramsJson)},
                             {"created_at", r.createdAt}});
            ctx.printJson(j);
            return;
        }
        if (all.empty())
            std::cout << "No maps yet; run `ssondo map --embeddings ID`.\n";
        for (const auto& r : all)
            std::printf("%3lld  set %-3lld %-5s %7lld points  %s  %s\n", (long long)r.id,
                        (long long)r.embeddingSetId, r.method.c_str(), (long long)r.rows, r.path.c_str(),
                        r.paramsJson.c_str());
    });
}

} // namespace ssondo::cli
