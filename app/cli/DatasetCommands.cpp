// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliContext.h"

#include "data/DatasetCatalog.h"
#include "data/DatasetScanner.h"
#include "data/DemoDataset.h"
#include "experiments/JobLog.h"
#include "util/Error.h"
#include "util/JsonLinesSink.h"
#include "workspace/Workspace.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;

namespace ssondo::cli {

namespace {

std::string hours(double seconds)
{
    char buf[64];
    if (seconds >= 3600)
        std::snprintf(buf, sizeof buf, "%.2f h", seconds / 3600);
    else
        std::snprintf(buf, sizeof buf, "%.1f min", seconds / 60);
    return buf;
}

nlohmann::json protocolJson(const DatasetProtocol& p)
{
    if (p.empty())
        return nullptr;
    return {{"evaluation", p.evaluation}, {"metric", p.metric},   {"multilabel", p.multiLabel},
            {"masked", p.masked},         {"classes", p.classes}, {"note", p.note}};
}

nlohmann::json summaryJson(const DatasetRecord& d, const DatasetSummary& s,
                           const std::vector<ClipInfo>& clips, const std::vector<std::string>& warnings,
                           bool withClips)
{
    nlohmann::json j{{"id", d.id},
                     {"name", d.name},
                     {"root", d.root},
                     {"label_source", labelSourceName(d.labelSource)},
                     {"layout", d.layout},
                     {"protocol", protocolJson(d.protocol)},
                     {"version", d.version},
                     {"clips", s.clips},
                     {"unreadable_count", s.unreadable},
                     {"total_seconds", s.totalSeconds},
                     {"min_seconds", s.minSeconds},
                     {"max_seconds", s.maxSeconds},
                     {"multi_label", s.multiLabel},
                     {"created_at", d.createdAt},
                     {"updated_at", d.updatedAt}};
    for (const auto& [k, v] : s.sampleRates)
        j["sample_rates"][std::to_string(k)] = v;
    for (const auto& [k, v] : s.channelCounts)
        j["channels"][std::to_string(k)] = v;
    for (const auto& [k, v] : s.formats)
        j["formats"][k] = v;
    j["labels"] = nlohmann::json::object();
    for (const auto& [k, v] : s.labels)
        j["labels"][k] = v;
    for (const auto& [k, v] : s.folds)
        j["folds"][std::to_string(k)] = v;
    j["unreadable"] = nlohmann::json::array();
    for (const auto& c : clips)
        if (!c.readable())
            j["unreadable"].push_back({{"path", c.path}, {"error", c.error}});
    j["warnings"] = warnings;
    if (withClips) {
        j["clip_list"] = nlohmann::json::array();
        for (const auto& c : clips)
            j["clip_list"].push_back({{"path", c.path},
                                      {"label", c.label},
                                      {"fold", c.fold},
                                      {"split", c.split},
                                      {"known", c.known},
                                      {"seconds", c.durationSeconds()},
                                      {"sample_rate", c.sampleRate},
                                      {"channels", c.channels},
                                      {"format", c.format},
                                      {"error", c.error}});
    }
    return j;
}

void printSummary(std::ostream& out, const DatasetRecord& d, const DatasetSummary& s,
                  const std::vector<ClipInfo>& clips, const std::vector<std::string>& warnings)
{
    out << "Dataset '" << d.name << "' (id " << d.id << ")\n"
        << "  root        " << d.root << "\n"
        << "  labels      " << labelSourceName(d.labelSource)
        << (d.labelCsv.empty() ? "" : " (" + d.labelCsv + ")") << "\n";
    if (!d.layout.empty())
        out << "  format      " << datasetLayouts().get(d.layout, "").description << "\n";
    if (!d.protocol.evaluation.empty())
        out << "  protocol    " << d.protocol.evaluation << ", " << d.protocol.metric
            << (d.protocol.masked ? " (masked)" : "") << "; " << d.protocol.classes.size() << " classes; "
            << d.protocol.note << "\n";
    out << "  version     " << d.version << "\n"
        << "  clips       " << s.clips << " readable, " << s.unreadable << " unreadable\n"
        << "  duration    " << hours(s.totalSeconds);
    char buf[96];
    std::snprintf(buf, sizeof buf, " (%.2f-%.2f s per clip)\n", s.minSeconds, s.maxSeconds);
    out << buf << "  rates       ";
    for (const auto& [k, v] : s.sampleRates)
        out << k << " Hz: " << v << "  ";
    out << "\n  channels    ";
    for (const auto& [k, v] : s.channelCounts)
        out << k << ": " << v << "  ";
    out << "\n  formats     ";
    for (const auto& [k, v] : s.formats)
        out << k << ": " << v << "  ";
    out << "\n";
    if (!s.folds.empty()) {
        out << "  folds       ";
        for (const auto& [k, v] : s.folds)
            out << k << ": " << v << "  ";
        out << "\n";
    }
    if (!s.labels.empty()) {
        out << "  labels      " << s.labels.size() << (s.multiLabel ? " (multi-label)" : "") << "\n";
        std::int64_t maxCount = 1;
        for (const auto& [k, v] : s.labels)
            maxCount = std::max(maxCount, v);
        for (const auto& [k, v] : s.labels) {
            std::snprintf(buf, sizeof buf, "    %-18s %6lld ", k.c_str(), (long long)v);
            out << buf << std::string(size_t(30 * v / maxCount), '#') << "\n";
        }
    }
    if (s.unreadable > 0) {
        out << "  unreadable files:\n";
        for (const auto& c : clips)
            if (!c.readable())
                out << "    " << c.path << ": " << c.error << "\n";
    }
    for (const auto& w : warnings)
        out << "  warning: " << w << "\n";
}

} // namespace

std::vector<std::string> formatNames()
{
    std::vector<std::string> out{"auto", "folder"};
    for (const auto& l : datasetLayouts())
        out.emplace_back(l.name);
    return out;
}

/// `dataset add`'s choice: a CSV (by position, or by column names when one is given), a layout
/// named by --format, a plain folder, or (auto, with no --labels) the layout the folder's metadata
/// files show.
template <typename Args> ScanOptions addOptions(const Args& a, const CLI::App& add)
{
    ScanOptions o;
    const bool byName = add.count("--path-column") || add.count("--label-column") ||
                        add.count("--fold-column") || add.count("--split-column") ||
                        add.count("--label-separator");
    if (!a.csv.empty()) {
        o.labels = LabelSource::Csv;
        o.csvPath = fs::absolute(a.csv).string();
        if (byName)
            o.csvColumns = a.columns;
        return o;
    }
    if (byName)
        throw UsageError("--path-column, --label-column, --fold-column, --split-column and --label-separator "
                         "go with --csv FILE");
    o.labels = labelSourceFromName(a.labels);
    if (o.labels == LabelSource::Csv)
        throw UsageError("--labels csv needs --csv FILE");
    if (a.format != "auto" && a.format != "folder") {
        o.labels = LabelSource::Layout;
        o.layout = a.format;
        return o;
    }
    if (a.format == "auto" && !add.count("--labels"))
        return detectScanOptions(a.path, o);
    return o;
}

void addDatasetCommands(CLI::App& app, CliContext& ctx)
{
    auto* ds = app.add_subcommand("dataset", "Add, inspect and list datasets");
    ds->require_subcommand(1);

    // ---- dataset add
    struct AddArgs
    {
        std::string path, name, labels = "folders", csv, format = "auto";
        CsvColumns columns;
        bool verify = false;
        int threads = 0;
    };
    auto a = std::make_shared<AddArgs>();
    auto* add =
        ds->add_subcommand("add", "Scan a folder of audio (recursively) and record it in the workspace");
    add->add_option("path", a->path, "Folder with the audio files")
        ->required()
        ->check(CLI::ExistingDirectory);
    add->add_option("-n,--name", a->name,
                    "Dataset name (default: the folder's name); an existing name is rescanned");
    add->add_option("--labels", a->labels, "Where labels come from")
        ->check(CLI::IsMember({"folders", "csv", "none"}));
    add->add_option("--csv", a->csv, "Label file: path,label[,fold[,split]] (implies --labels csv)")
        ->check(CLI::ExistingFile);
    add->add_option("--format", a->format,
                    "How to read the folder: auto (a standard dataset's layout when its metadata files are "
                    "there, else a plain folder), folder, or a layout: " +
                        datasetLayouts().names(", "))
        ->check(CLI::IsMember(formatNames()));
    add->add_option("--path-column", a->columns.path,
                    "With --csv: the column of the audio paths (by header name)");
    add->add_option("--label-column", a->columns.label, "With --csv: the column of the labels");
    add->add_option("--fold-column", a->columns.fold, "With --csv: the column of the folds");
    add->add_option("--split-column", a->columns.split,
                    "With --csv: the column of the splits (train/valid/test)");
    add->add_option("--label-separator", a->columns.labelSeparator,
                    "With --csv: what separates the labels of a multi-label clip (default ;)");
    add->add_flag("--verify", a->verify,
                  "Decode every file fully to find truncated or NaN-filled files (slower)");
    add->add_option("--threads", a->threads, "Scanning threads (0: all cores)")
        ->check(CLI::NonNegativeNumber);
    add->callback([&ctx, a, add]() {
        auto w = ctx.openWorkspace();
        ScanOptions opts = addOptions(*a, *add);
        opts.verify = a->verify;
        opts.threads = a->threads;
        const std::string name = a->name.empty()
                                     ? fs::path(fs::absolute(a->path)).lexically_normal().filename().string()
                                     : a->name;
        JobLog jobs(w->database());
        const auto jobId = jobs.start("scan", name, ctx.commandLine);
        auto sink = ctx.makeSink();
        DatasetScan scan;
        try {
            scan = DatasetScanner::scan(a->path, opts, sink.get(), &ctx.stop);
        } catch (const std::exception& e) {
            jobs.finish(jobId, JobState::Failed, e.what());
            throw;
        }
        if (scan.stopped) {
            jobs.finish(jobId, JobState::Stopped, "stopped before the scan finished; nothing was recorded");
            sink->warning("stopped before the scan finished; nothing was recorded", name);
            return;
        }
        DatasetCatalog catalog(w->database());
        const auto id = catalog.save(name, scan, opts);
        const DatasetRecord rec = catalog.get(std::to_string(id));
        const DatasetSummary summary = DatasetSummary::of(scan.clips);
        jobs.progress(jobId, std::int64_t(scan.clips.size()), std::int64_t(scan.clips.size()), std::nullopt);
        jobs.finish(jobId, JobState::Done,
                    std::to_string(summary.clips) + " clips, " + std::to_string(summary.unreadable) +
                        " unreadable");
        if (ctx.json) {
            auto* jl = static_cast<JsonLinesSink*>(sink.get());
            jl->writeResult(summaryJson(rec, summary, scan.clips, scan.warnings, false).dump());
        } else {
            sink.reset();
            printSummary(std::cout, rec, summary, scan.clips, scan.warnings);
        }
    });

    // ---- dataset show
    struct ShowArgs
    {
        std::string name;
        bool clips = false;
    };
    auto s = std::make_shared<ShowArgs>();
    auto* show =
        ds->add_subcommand("show", "Summary of a dataset: clips, duration, rates, labels, unreadable files");
    show->add_option("name", s->name, "Dataset name or id")->required();
    show->add_flag("--clips", s->clips, "List every clip");
    show->callback([&ctx, s]() {
        auto w = ctx.openWorkspace(true);
        DatasetCatalog catalog(w->database());
        const DatasetRecord rec = catalog.get(s->name);
        const auto clips = catalog.clips(rec.id);
        const auto warnings = catalog.warnings(rec.id);
        const DatasetSummary summary = DatasetSummary::of(clips);
        if (ctx.json) {
            ctx.printJson(summaryJson(rec, summary, clips, warnings, s->clips));
            return;
        }
        printSummary(std::cout, rec, summary, clips, warnings);
        if (s->clips) {
            std::cout << "\n";
            for (const auto& c : clips) {
                char buf[512];
                std::snprintf(buf, sizeof buf, "%-40s %-14s %2d %6.2fs %6d Hz %dch %s\n", c.path.c_str(),
                              c.label.c_str(), c.fold, c.durationSeconds(), c.sampleRate, c.channels,
                              c.readable() ? c.format.c_str() : ("UNREADABLE: " + c.error).c_str());
                std::cout << buf;
            }
        }
    });

    // ---- dataset list
    auto* list = ds->add_subcommand("list", "List the workspace's datasets");
    list->callback([&ctx]() {
        auto w = ctx.openWorkspace(true);
        DatasetCatalog catalog(w->database());
        const auto all = catalog.list();
        if (ctx.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& d : all)
                j.push_back({{"id", d.id},
                             {"name", d.name},
                             {"root", d.root},
                             {"clips", d.clipCount},
                             {"unreadable", d.unreadableCount},
                             {"total_seconds", d.totalSeconds},
                             {"version", d.version}});
            ctx.printJson(j);
            return;
        }
        if (all.empty())
            std::cout << "No datasets yet; add one with `ssondo dataset add PATH`.\n";
        for (const auto& d : all)
            std::printf("%3lld  %-20s %6lld clips  %9s  %s\n", (long long)d.id, d.name.c_str(),
                        (long long)d.clipCount, hours(d.totalSeconds).c_str(), d.root.c_str());
    });

    // ---- dataset remove
    auto rmName = std::make_shared<std::string>();
    auto* rm = ds->add_subcommand("remove", "Forget a dataset (its audio files are not touched)");
    rm->add_option("name", *rmName, "Dataset name or id")->required();
    rm->callback([&ctx, rmName]() {
        auto w = ctx.openWorkspace();
        DatasetCatalog catalog(w->database());
        const auto rec = catalog.get(*rmName);
        catalog.remove(rec.id);
        if (ctx.json)
            ctx.printJson({{"removed", rec.name}, {"id", rec.id}});
        else
            std::cout << "Removed dataset '" << rec.name << "' from the workspace (files untouched).\n";
    });

    // ---- dataset synth
    struct SynthArgs
    {
        std::string out;
        int perClass = 25;
        std::uint64_t seed = 42;
        double minS = 2, maxS = 6;
    };
    auto y = std::make_shared<SynthArgs>();
    auto* synth =
        ds->add_subcommand("synth", "Write the synthetic demo dataset (13 classes of distinct sounds)");
    synth->add_option("out", y->out, "Output folder")->required();
    synth->add_option("--clips-per-class", y->perClass, "Clips per class")->check(CLI::Range(1, 100000));
    synth->add_option("--seed", y->seed, "Random seed (same seed, same files)");
    synth->add_option("--min-seconds", y->minS, "Shortest clip")->check(CLI::PositiveNumber);
    synth->add_option("--max-seconds", y->maxS, "Longest clip")->check(CLI::PositiveNumber);
    synth->callback([&ctx, y]() {
        DemoDatasetOptions o;
        o.clipsPerClass = y->perClass;
        o.seed = y->seed;
        o.minSeconds = y->minS;
        o.maxSeconds = y->maxS;
        auto sink = ctx.makeSink();
        const int n = DemoDataset::generate(y->out, o, sink.get());
        if (ctx.json)
            static_cast<JsonLinesSink*>(sink.get())
                ->writeResult(nlohmann::json{{"out", fs::absolute(y->out).string()}, {"clips", n}}.dump());
        else {
            sink.reset();
            std::cout << "Wrote " << n << " clips and labels.csv to " << fs::absolute(y->out).string()
                      << "\n";
        }
    });
}

} // namespace ssondo::cli
