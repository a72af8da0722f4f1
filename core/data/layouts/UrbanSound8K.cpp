// SPDX-License-Identifier: GPL-3.0-or-later
// UrbanSound8K: metadata/UrbanSound8K.csv (slice_file_name, fsID, start, end, salience, fold,
// classID, class), audio in audio/fold<fold>/; label = class; 10-fold cross-validation, accuracy.
#include "data/layouts/Layouts.h"

#include "data/layouts/LayoutFiles.h"

namespace fs = std::filesystem;

namespace ssondo::layouts {

bool detectUrbanSound8K(const fs::path& root)
{
    return fs::is_regular_file(root / "metadata" / "UrbanSound8K.csv");
}

LayoutRead readUrbanSound8K(const fs::path& root)
{
    const Table t = readTable(root / "metadata" / "UrbanSound8K.csv");
    const std::size_t file = t.column("slice_file_name"), fold = t.column("fold"), label = t.column("class");
    LayoutRead out;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        LayoutClip c;
        c.fold = toInt(t.at(r, fold), t.where(r), "fold");
        c.path = "audio/fold" + std::to_string(c.fold) + "/" + t.at(r, file);
        c.labels = {t.at(r, label)};
        out.clips.push_back(std::move(c));
    }
    out.protocol = {"urbansound8k",
                    "folds",
                    "accuracy",
                    false,
                    false,
                    labelsOf(out.clips),
                    "10-fold cross-validation on the dataset's folds (never reshuffled)"};
    return out;
}

} // namespace ssondo::layouts
