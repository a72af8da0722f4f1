// SPDX-License-Identifier: GPL-3.0-or-later
// MagnaTagATune: annotations_final.csv, TAB-separated despite its name, every field in double
// quotes, CRLF: clip_id, 188 tags ("0"/"1"), mp3_path ("f/<name>.mp3"). Labels are the 50 most
// frequent tags (the fixed published list; clips with none are outside the protocol); the split is
// by the audio folder: 0-b train, c valid, d-f test; mAP.
#include "data/layouts/Layouts.h"

#include "data/layouts/LayoutFiles.h"

namespace fs = std::filesystem;

namespace ssondo::layouts {

namespace {

const std::vector<std::string> kTop50{
    "guitar",    "classical",   "slow",     "techno",  "strings",    "drums",        "electronic",
    "rock",      "fast",        "piano",    "ambient", "beat",       "violin",       "vocal",
    "synth",     "female",      "indian",   "opera",   "male",       "singing",      "vocals",
    "no vocals", "harpsichord", "loud",     "quiet",   "flute",      "woman",        "male vocal",
    "no vocal",  "pop",         "soft",     "sitar",   "solo",       "man",          "classic",
    "choir",     "voice",       "new age",  "dance",   "male voice", "female vocal", "beats",
    "harp",      "cello",       "no voice", "weird",   "country",    "metal",        "female voice",
    "choral"};

std::string splitOfFolder(char c)
{
    if ((c >= '0' && c <= '9') || c == 'a' || c == 'b')
        return "train";
    if (c == 'c')
        return "valid";
    if (c >= 'd' && c <= 'f')
        return "test";
    return {};
}

} // namespace

bool detectMagnaTagATune(const fs::path& root)
{
    return fs::is_regular_file(root / "annotations_final.csv");
}

LayoutRead readMagnaTagATune(const fs::path& root)
{
    const Table t = readTable(root / "annotations_final.csv", '\t');
    const std::size_t path = t.column("mp3_path");
    std::vector<std::pair<std::string, std::size_t>> tags;
    for (const auto& tag : kTop50)
        tags.emplace_back(tag, t.column(tag));
    LayoutRead out;
    std::size_t untagged = 0;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        LayoutClip c;
        c.path = t.at(r, path);
        for (const auto& [tag, col] : tags)
            if (t.at(r, col) == "1")
                c.labels.push_back(tag);
        if (c.labels.empty())
            ++untagged; // outside the protocol
        else
            c.split = splitOfFolder(c.path.empty() ? ' ' : c.path[0]);
        out.clips.push_back(std::move(c));
    }
    if (untagged)
        out.warnings.push_back(std::to_string(untagged) + " clips have none of the 50 most frequent tags: "
                                                          "outside the protocol");
    out.protocol = {"magnatagatune",
                    "split",
                    "mAP",
                    true,
                    false,
                    kTop50,
                    "the 50 most frequent tags; folders 0-b train, c valid, d-f test; mAP over tags"};
    return out;
}

} // namespace ssondo::layouts
