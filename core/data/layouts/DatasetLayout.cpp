// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/layouts/DatasetLayout.h"

#include "data/layouts/LayoutFiles.h"
#include "data/layouts/Layouts.h"

#include <algorithm>

namespace fs = std::filesystem;

namespace ssondo {

const ChoiceTable<DatasetLayout>& datasetLayouts()
{
    using namespace layouts;
    // GTZAN last: its test (genre folders) is the loosest.
    static const ChoiceTable<DatasetLayout> table(
        "dataset format",
        {{"esc50", "ESC-50: meta/esc50.csv, audio/; 5-fold cross-validation, accuracy", detectEsc50,
          readEsc50},
         {"urbansound8k",
          "UrbanSound8K: metadata/UrbanSound8K.csv, audio/fold1..10; 10-fold cross-validation",
          detectUrbanSound8K, readUrbanSound8K},
         {"nsynth", "NSynth: nsynth-{train,valid,test}/examples.json; instrument family, official split",
          detectNSynth, readNSynth},
         {"fsd50k", "FSD50K: FSD50K.ground_truth/{dev,eval}.csv; 200 classes, multi-label, mAP", detectFsd50k,
          readFsd50k},
         {"openmic", "OpenMIC-2018: aggregated labels, split01; 20 instruments, masked mAP", detectOpenMic,
          readOpenMic},
         {"magnatagatune", "MagnaTagATune: annotations_final.csv; top-50 tags, folders 0-b/c/d-f, mAP",
          detectMagnaTagATune, readMagnaTagATune},
         {"hear", "HEAR 2021 scene task: task_metadata.json, {split}.json, <rate>/<split>/", detectHear,
          readHear},
         {"gtzan", "GTZAN: genres[_original]/<genre>/; the fault-filtered split when its lists are there",
          detectGtzan, readGtzan}});
    return table;
}

const DatasetLayout* detectLayout(const fs::path& root)
{
    for (const auto& l : datasetLayouts())
        if (l.detect(root))
            return &l;
    return nullptr;
}

namespace {

/// Relative to root ('/' separated) when the CSV gives an absolute path under it.
std::string relativePath(const fs::path& root, const std::string& p)
{
    const fs::path path(p);
    if (!path.is_absolute())
        return path.generic_string();
    const fs::path rel = path.lexically_relative(root);
    return rel.empty() || *rel.begin() == ".." ? path.generic_string() : rel.generic_string();
}

} // namespace

LayoutRead readLabelCsv(const fs::path& root, const std::string& csvPath, const CsvColumns& columns)
{
    using namespace layouts;
    const Table t = readTable(csvPath);
    const std::size_t path = t.column(columns.path), label = t.column(columns.label);
    const std::size_t fold = columns.fold.empty() ? std::string::npos : t.column(columns.fold);
    const std::size_t split = columns.split.empty() ? std::string::npos : t.column(columns.split);
    LayoutRead out;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        LayoutClip c;
        c.path = relativePath(root, t.at(r, path));
        c.labels = splitList(t.at(r, label), columns.labelSeparator);
        if (fold != std::string::npos && !t.at(r, fold).empty())
            c.fold = toInt(t.at(r, fold), t.where(r), "fold");
        if (split != std::string::npos) {
            c.split = canonicalSplit(t.at(r, split));
            if (c.split.empty() && !t.at(r, split).empty())
                out.warnings.push_back(t.where(r) + ": split '" + t.at(r, split) +
                                       "' is not train, valid or test: outside the protocol");
        }
        out.clips.push_back(std::move(c));
    }
    std::vector<std::string> labels;
    for (const auto& c : out.clips)
        labels.insert(labels.end(), c.labels.begin(), c.labels.end());
    if (looksLikeFoldNumbers(labels))
        out.warnings.push_back(csvPath + ": every value of the label column '" + columns.label +
                               "' is a small integer, as fold numbers are; if it is not the label, name the "
                               "right one with --label-column");
    return out;
}

} // namespace ssondo
