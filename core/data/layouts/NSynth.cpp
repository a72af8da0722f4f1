// SPDX-License-Identifier: GPL-3.0-or-later
// NSynth (json/wav release): nsynth-{train,valid,test}/examples.json, one object keyed by
// note_str, with audio/<note_str>.wav; label = instrument_family_str; the official split. The
// vocabulary is the 11 families, also where a split lacks one (the test split has no synth_lead).
#include "data/layouts/Layouts.h"

#include "data/layouts/LayoutFiles.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace ssondo::layouts {

namespace {

const std::vector<std::string> kFamilies{"bass",  "brass", "flute",  "guitar",     "keyboard", "mallet",
                                         "organ", "reed",  "string", "synth_lead", "vocal"};

void readSplit(const fs::path& root, const std::string& split, LayoutRead& out)
{
    const fs::path file = root / ("nsynth-" + split) / "examples.json";
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(readText(file));
    } catch (const nlohmann::json::exception& e) {
        throw InputError(file.string() + ": not valid JSON (" + e.what() + ")");
    }
    if (!j.is_object())
        throw InputError(file.string() + ": expected one object keyed by note_str");
    for (auto it = j.begin(); it != j.end(); ++it) {
        const auto family = it.value().find("instrument_family_str");
        if (family == it.value().end() || !family->is_string())
            throw InputError(file.string() + ": note '" + it.key() + "' has no instrument_family_str");
        LayoutClip c;
        c.path = "nsynth-" + split + "/audio/" + it.key() + ".wav";
        c.labels = {family->get<std::string>()};
        c.split = canonicalSplit(split);
        out.clips.push_back(std::move(c));
    }
}

} // namespace

bool detectNSynth(const fs::path& root)
{
    for (const char* s : {"train", "valid", "test"})
        if (fs::is_regular_file(root / ("nsynth-" + std::string(s)) / "examples.json"))
            return true;
    return false;
}

LayoutRead readNSynth(const fs::path& root)
{
    LayoutRead out;
    std::string missing;
    for (const char* s : {"train", "valid", "test"}) {
        if (fs::is_regular_file(root / ("nsynth-" + std::string(s)) / "examples.json"))
            readSplit(root, s, out);
        else
            missing += std::string(missing.empty() ? "" : ", ") + "nsynth-" + s;
    }
    out.protocol = {"nsynth",
                    "split",
                    "accuracy",
                    false,
                    false,
                    kFamilies,
                    "the official train/valid/test split; label instrument_family_str"};
    if (!missing.empty())
        out.warnings.push_back("no " + missing + "/examples.json: the split is incomplete");
    return out;
}

} // namespace ssondo::layouts
