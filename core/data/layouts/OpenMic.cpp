// SPDX-License-Identifier: GPL-3.0-or-later
// OpenMIC-2018 (cosmir/openmic-2018): openmic-2018-aggregated-labels.csv (sample_key, instrument,
// relevance, num_responses; a row only per annotated pair), class-map.json (20 instruments),
// partitions/split01_{train,test}.csv (one sample_key per line, no header), audio
// audio/<key[:3]>/<key>.ogg. Positive where relevance > 0.5, negative where < 0.5, unknown where
// there is no row: a masked multi-label task, scored by masked mAP on split01.
#include "data/layouts/Layouts.h"

#include "data/layouts/LayoutFiles.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace fs = std::filesystem;

namespace ssondo::layouts {

namespace {

const char* kLabels = "openmic-2018-aggregated-labels.csv";

std::vector<std::string> classMap(const fs::path& root, const std::vector<LayoutClip>& clips)
{
    const fs::path file = root / "class-map.json";
    if (!fs::is_regular_file(file))
        return labelsOf(clips);
    std::vector<std::pair<int, std::string>> byIndex;
    try {
        const auto j = nlohmann::json::parse(readText(file));
        for (auto it = j.begin(); it != j.end(); ++it)
            byIndex.emplace_back(it.value().get<int>(), it.key());
    } catch (const nlohmann::json::exception& e) {
        throw InputError(file.string() + ": not an instrument → index map (" + e.what() + ")");
    }
    std::sort(byIndex.begin(), byIndex.end());
    std::vector<std::string> out;
    for (const auto& [_, name] : byIndex)
        out.push_back(name);
    return out;
}

std::map<std::string, std::string> split01(const fs::path& root)
{
    std::map<std::string, std::string> out;
    for (const char* s : {"train", "test"}) {
        const fs::path file = root / "partitions" / ("split01_" + std::string(s) + ".csv");
        if (fs::is_regular_file(file))
            for (const auto& key : readLines(file))
                out[key] = s;
    }
    return out;
}

} // namespace

bool detectOpenMic(const fs::path& root)
{
    return fs::is_regular_file(root / kLabels) || fs::is_regular_file(root / "openmic-2018.npz");
}

LayoutRead readOpenMic(const fs::path& root)
{
    if (!fs::is_regular_file(root / kLabels))
        throw InputError((root / "openmic-2018.npz").string() +
                         ": its sample_key is a pickled object array, which the workbench does not "
                         "unpickle; the labels are read from " +
                         std::string(kLabels) + " of the same release: put it next to the .npz");
    const Table t = readTable(root / kLabels);
    const std::size_t key = t.column("sample_key"), inst = t.column("instrument"),
                      relevance = t.column("relevance");
    std::map<std::string, LayoutClip> byKey;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const std::string k = t.at(r, key), name = t.at(r, inst);
        double rel = 0;
        try {
            rel = std::stod(t.at(r, relevance));
        } catch (const std::logic_error&) {
            throw InputError(t.where(r) + ": relevance '" + t.at(r, relevance) + "' is not a number");
        }
        LayoutClip& c = byKey[k];
        c.path = "audio/" + k.substr(0, 3) + "/" + k + ".ogg";
        c.known.push_back(name);
        if (rel > 0.5)
            c.labels.push_back(name);
    }
    const auto split = split01(root);
    LayoutRead out;
    for (auto& [k, c] : byKey) {
        std::sort(c.labels.begin(), c.labels.end());
        std::sort(c.known.begin(), c.known.end());
        if (const auto it = split.find(k); it != split.end())
            c.split = it->second;
        out.clips.push_back(std::move(c));
    }
    if (split.empty())
        out.warnings.push_back("no partitions/split01_{train,test}.csv: the clips have no split");
    out.protocol = {"openmic",
                    "split",
                    "mAP",
                    true,
                    true,
                    classMap(root, out.clips),
                    "split01 train/test (the weight decay is chosen on a seeded share of train); "
                    "masked mAP: unannotated instruments are ignored"};
    return out;
}

} // namespace ssondo::layouts
