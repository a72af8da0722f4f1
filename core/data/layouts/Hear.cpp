// SPDX-License-Identifier: GPL-3.0-or-later
// A HEAR 2021 task folder (hearbenchmark/hear-preprocess): task_metadata.json (embedding_type
// scene|event, prediction_type multiclass|multilabel, split_mode, splits, evaluation),
// labelvocabulary.csv (idx,label), {split}.json (file name → list of labels; for event tasks a
// list of {label, start, end} in ms) and audio in <sample_rate>/<split>/. Scene tasks are read
// with their folds (fold00… → 0…) or their train/valid/test split; event (timestamp) tasks are not
// supported.
#include "data/layouts/Layouts.h"

#include "data/layouts/LayoutFiles.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace fs = std::filesystem;

namespace ssondo::layouts {

namespace {

nlohmann::json readJson(const fs::path& file)
{
    try {
        return nlohmann::json::parse(readText(file));
    } catch (const nlohmann::json::exception& e) {
        throw InputError(file.string() + ": not valid JSON (" + e.what() + ")");
    }
}

/// The audio folder to read: the lowest rate at or above the students' 32 kHz, else the highest.
std::string rateFolder(const fs::path& root)
{
    std::vector<int> rates;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(root, ec)) {
        const std::string n = e.path().filename().string();
        if (e.is_directory() && !n.empty() && std::all_of(n.begin(), n.end(), ::isdigit))
            rates.push_back(std::stoi(n));
    }
    if (rates.empty())
        throw InputError(root.string() +
                         ": a HEAR task without an audio folder named by its rate (e.g. 48000/)");
    std::sort(rates.begin(), rates.end());
    const auto it = std::lower_bound(rates.begin(), rates.end(), 32000);
    return std::to_string(it == rates.end() ? rates.back() : *it);
}

std::vector<std::string> vocabulary(const fs::path& root)
{
    const fs::path file = root / "labelvocabulary.csv";
    if (!fs::is_regular_file(file))
        return {};
    const Table t = readTable(file);
    const std::size_t label = t.column("label");
    std::vector<std::string> out;
    for (std::size_t r = 0; r < t.rows.size(); ++r)
        out.push_back(t.at(r, label));
    return out;
}

std::string metricOf(const nlohmann::json& meta, bool multiLabel)
{
    const auto ev = meta.value("evaluation", std::vector<std::string>{});
    const std::string first = ev.empty() ? "" : ev.front();
    if (first == "top1_acc")
        return "accuracy";
    if (first == "mAP")
        return "mAP";
    return multiLabel ? "mAP" : "accuracy";
}

void readSplit(const fs::path& root, const std::string& rate, const std::string& split, LayoutRead& out)
{
    const fs::path file = root / (split + ".json");
    const auto j = readJson(file);
    const bool isFold = split.rfind("fold", 0) == 0;
    for (auto it = j.begin(); it != j.end(); ++it) {
        LayoutClip c;
        c.path = rate + "/" + split + "/" + it.key();
        for (const auto& l : it.value())
            if (l.is_string())
                c.labels.push_back(l.get<std::string>());
        if (isFold)
            c.fold = toInt(split.substr(4), file.string(), "fold of split " + split);
        else
            c.split = canonicalSplit(split);
        out.clips.push_back(std::move(c));
    }
}

} // namespace

bool detectHear(const fs::path& root)
{
    return fs::is_regular_file(root / "task_metadata.json");
}

LayoutRead readHear(const fs::path& root)
{
    const auto meta = readJson(root / "task_metadata.json");
    const std::string task = meta.value("task_name", root.filename().string());
    if (meta.value("embedding_type", "scene") != "scene")
        throw InputError((root / "task_metadata.json").string() + ": HEAR task '" + task +
                         "' has timestamp (event) labels; only scene tasks are supported");
    const bool multi = meta.value("prediction_type", "") == "multilabel";
    const auto splits = meta.value("splits", std::vector<std::string>{});
    if (splits.empty())
        throw InputError((root / "task_metadata.json").string() + ": no splits listed");
    const std::string rate = rateFolder(root);
    LayoutRead out;
    for (const auto& s : splits) {
        if (s.rfind("fold", 0) != 0 && canonicalSplit(s).empty())
            throw InputError((root / "task_metadata.json").string() + ": unknown split '" + s + "'");
        readSplit(root, rate, s, out);
    }
    const bool folds = splits.front().rfind("fold", 0) == 0;
    std::vector<std::string> classes = vocabulary(root);
    out.protocol = {"hear",
                    folds ? "folds" : "split",
                    metricOf(meta, multi),
                    multi,
                    false,
                    classes.empty() ? labelsOf(out.clips) : classes,
                    "HEAR task " + task + " (" + meta.value("split_mode", std::string("?")) + "), audio at " +
                        rate + " Hz"};
    return out;
}

} // namespace ssondo::layouts
