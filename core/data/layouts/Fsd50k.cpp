// SPDX-License-Identifier: GPL-3.0-or-later
// FSD50K (Zenodo 4060432): FSD50K.ground_truth/dev.csv (fname, labels, mids, split = train|val),
// eval.csv (fname, labels, mids) and vocabulary.csv (no header: index, label, mid); audio in
// FSD50K.dev_audio/ and FSD50K.eval_audio/; `labels` is a comma-separated list inside one quoted
// field. Train on dev train, choose on dev val, test on eval; 200 classes, multi-label, mAP.
#include "data/layouts/Layouts.h"

#include "data/layouts/LayoutFiles.h"

namespace fs = std::filesystem;

namespace ssondo::layouts {

namespace {

const char* kTruth = "FSD50K.ground_truth";

void readPart(const fs::path& root, const std::string& csv, const std::string& audio, LayoutRead& out)
{
    const Table t = readTable(root / kTruth / csv);
    const std::size_t file = t.column("fname"), labels = t.column("labels");
    const std::size_t split = t.findColumn({"split"});
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        LayoutClip c;
        c.path = audio + "/" + t.at(r, file) + ".wav";
        c.labels = splitList(t.at(r, labels), ",");
        c.split = split == std::string::npos ? "test" : canonicalSplit(t.at(r, split));
        out.clips.push_back(std::move(c));
    }
}

std::vector<std::string> vocabulary(const fs::path& root, std::vector<std::string>& warnings)
{
    const fs::path file = root / kTruth / "vocabulary.csv";
    std::vector<std::string> out;
    if (!fs::is_regular_file(file)) {
        warnings.push_back(file.string() + " missing: the classes are those of the clips");
        return out;
    }
    for (const auto& row : readRows(file))
        if (row.size() >= 2)
            out.push_back(trim(row[1]));
    return out;
}

} // namespace

bool detectFsd50k(const fs::path& root)
{
    return fs::is_regular_file(root / kTruth / "dev.csv");
}

LayoutRead readFsd50k(const fs::path& root)
{
    LayoutRead out;
    readPart(root, "dev.csv", "FSD50K.dev_audio", out);
    if (fs::is_regular_file(root / kTruth / "eval.csv"))
        readPart(root, "eval.csv", "FSD50K.eval_audio", out);
    else
        out.warnings.push_back((root / kTruth / "eval.csv").string() + " missing: no test clips");
    std::vector<std::string> classes = vocabulary(root, out.warnings);
    out.protocol = {"fsd50k",
                    "split",
                    "mAP",
                    true,
                    false,
                    classes.empty() ? labelsOf(out.clips) : classes,
                    "train on dev train, choose on dev val, test on eval; macro mAP"};
    return out;
}

} // namespace ssondo::layouts
