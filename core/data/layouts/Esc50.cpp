// SPDX-License-Identifier: GPL-3.0-or-later
// ESC-50 (karolpiczak/ESC-50): meta/esc50.csv (filename, fold, target, category, esc10, src_file,
// take), audio in audio/; label = category; 5-fold cross-validation on `fold`, accuracy.
#include "data/layouts/Layouts.h"

#include "data/layouts/LayoutFiles.h"

namespace fs = std::filesystem;

namespace ssondo::layouts {

bool detectEsc50(const fs::path& root)
{
    return fs::is_regular_file(root / "meta" / "esc50.csv");
}

LayoutRead readEsc50(const fs::path& root)
{
    const Table t = readTable(root / "meta" / "esc50.csv");
    const std::size_t file = t.column("filename"), fold = t.column("fold"), label = t.column("category");
    LayoutRead out;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        LayoutClip c;
        c.path = "audio/" + t.at(r, file);
        c.labels = {t.at(r, label)};
        c.fold = toInt(t.at(r, fold), t.where(r), "fold");
        out.clips.push_back(std::move(c));
    }
    out.protocol = {"esc50",
                    "folds",
                    "accuracy",
                    false,
                    false,
                    labelsOf(out.clips),
                    "5-fold cross-validation on the dataset's folds"};
    return out;
}

} // namespace ssondo::layouts
