// SPDX-License-Identifier: GPL-3.0-or-later
// GTZAN: <genre>/<genre>.000NN.{au,wav} under genres/ (marsyas) or genres_original/ (Kaggle);
// label = the genre folder. With the fault-filtered split's three lists (train_filtered.txt,
// valid_filtered.txt, test_filtered.txt: lines "<genre>/<genre>.000NN.wav", matched on the stem
// since the .au copy has other extensions), that split; files in no list are outside it.
// Without the lists, stratified folds.
#include "data/layouts/Layouts.h"

#include "data/layouts/LayoutFiles.h"

#include <algorithm>
#include <array>
#include <map>

namespace fs = std::filesystem;

namespace ssondo::layouts {

namespace {

constexpr std::array<const char*, 10> kGenres{"blues", "classical", "country", "disco",  "hiphop",
                                              "jazz",  "metal",     "pop",     "reggae", "rock"};

/// The folder holding the genre folders: genres/, genres_original/, or the root itself.
fs::path genreFolder(const fs::path& root)
{
    for (const fs::path& p : {root / "genres_original", root / "genres", root}) {
        int found = 0;
        for (const char* g : kGenres)
            found += fs::is_directory(p / g);
        if (found >= 2)
            return p;
    }
    return {};
}

/// "<genre>.000NN" for a file named after its genre, else "".
std::string gtzanStem(const fs::path& file, const std::string& genre)
{
    const std::string stem = file.stem().string();
    return stem.rfind(genre + ".", 0) == 0 ? stem : std::string();
}

/// Stem → split from the three lists of the fault-filtered split, if they are all there.
std::map<std::string, std::string> filteredSplit(const fs::path& root, const fs::path& genres)
{
    std::map<std::string, std::string> out;
    for (const fs::path& dir : {root, genres}) {
        const bool all = fs::is_regular_file(dir / "train_filtered.txt") &&
                         fs::is_regular_file(dir / "valid_filtered.txt") &&
                         fs::is_regular_file(dir / "test_filtered.txt");
        if (!all)
            continue;
        for (const char* split : {"train", "valid", "test"})
            for (const auto& line : readLines(dir / (std::string(split) + "_filtered.txt")))
                out[fs::path(line).stem().string()] = split;
        return out;
    }
    return out;
}

} // namespace

bool detectGtzan(const fs::path& root)
{
    return !genreFolder(root).empty();
}

LayoutRead readGtzan(const fs::path& root)
{
    const fs::path genres = genreFolder(root);
    const auto split = filteredSplit(root, genres);
    LayoutRead out;
    std::size_t outside = 0;
    for (const char* genre : kGenres) {
        std::error_code ec;
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(genres / genre, ec))
            if (e.is_regular_file() && !gtzanStem(e.path(), genre).empty())
                files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            LayoutClip c;
            c.path = f.lexically_relative(root).generic_string();
            c.labels = {genre};
            if (!split.empty()) {
                const auto it = split.find(gtzanStem(f, genre));
                if (it == split.end())
                    ++outside; // no split: outside the protocol
                else
                    c.split = it->second;
            }
            out.clips.push_back(std::move(c));
        }
    }
    if (split.empty()) {
        out.protocol = {"gtzan",
                        "stratified",
                        "accuracy",
                        false,
                        false,
                        labelsOf(out.clips),
                        "no fault-filtered split lists (train_filtered.txt, valid_filtered.txt, "
                        "test_filtered.txt): stratified folds"};
        out.warnings.push_back(out.protocol.note);
    } else {
        out.protocol = {"gtzan",
                        "split",
                        "accuracy",
                        false,
                        false,
                        labelsOf(out.clips),
                        "fault-filtered train/valid/test split"};
        if (outside)
            out.warnings.push_back(std::to_string(outside) +
                                   " files are in none of the fault-filtered lists: outside the protocol");
    }
    return out;
}

} // namespace ssondo::layouts
