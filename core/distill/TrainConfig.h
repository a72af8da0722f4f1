// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/ChoiceTable.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ssondo {

/// One key of the run config as users meet it: in TOML, `--set`, the CLI flags' help, the man
/// page and the Train page's form, which is built from these. The field table in
/// TrainConfig.cpp is the only place where keys, their documentation, allowed values and ranges
/// are written down.
struct ConfigKey
{
    enum class Type { Text, Real, Integer, Flag, List };
    std::string key;     ///< "optim.lr" ("name" at the top level)
    std::string section; ///< "optim" ("" at the top level)
    std::string leaf;    ///< "lr"
    std::string doc;     ///< what it means, with the reference value when there is one
    Type type = Type::Text;
    /// Allowed values (empty: any), read from the choice's own table each time (the student
    /// registry can grow).
    std::vector<ChoiceInfo> choices() const { return m_choices ? m_choices() : std::vector<ChoiceInfo>{}; }
    std::optional<double> min, max; ///< numeric range
    bool minOpen = false, maxOpen = false;
    bool advanced = false; ///< folded away on the Train page
    bool identity = true;  ///< part of the computation (in the run's hash)
    /// doc, then the allowed values or the range: the CLI help and the TOML comment.
    std::string help() const;
    /// "" when `value` (as TOML writes it, strings unquoted) is allowed, else why not.
    std::string check(const std::string& value) const;

    std::vector<ChoiceInfo> (*m_choices)() = nullptr;
};

/// Everything that defines a distillation run. Defaults are the reference's (reference/SSONDO.md)
/// where it has one. Read from TOML (every key documented, unknown keys rejected) and/or set
/// field by field from command-line flags with set("section.key", "value").
struct TrainConfig
{
    std::string name; ///< run name ("" → generated)
    std::vector<std::string> tags;

    // [data]
    std::int64_t embeddings = 0; ///< embedding set id (0: the latest set of `dataset`)
    std::string dataset;         ///< dataset name, when embeddings = 0
    double valFraction = 0.1;    ///< share of clips held out for validation
    double clipSeconds = 10.0;   ///< training clips are padded/cut to this length
    bool cache = true;           ///< cache log-mels in the workspace
    std::int64_t workers = 0;    ///< data-loading threads (0: cores − 1, at least 1)

    // [student]
    std::string arch = "mn10";
    double width = 1.0;
    std::int64_t mChannels = 16; ///< ERes2Net base channels
    std::string init;            ///< PyTorch state dict to start from

    // [head]
    std::int64_t headHidden = 1280;
    double headDropout = 0.2;

    // [loss]
    std::string loss = "cosine";
    double temperature = 0.1;
    std::string targetNorm = "none"; ///< none | center | standardize (TargetNorm)

    // [sampler]
    std::string sampler = "uniform";
    std::int64_t clustering = 0;

    // [optim]
    std::string optimizer = "adam";
    double lr = 8e-4;
    double weightDecay = 0.0;
    std::string schedule = "reference";
    double warmupEpochs = 8;
    double rampdownStart = 80;
    double rampdownEpochs = 95;
    double rampdownFinal = 0.01;
    double gradClip = 5.0;

    // [train]
    std::int64_t epochs = 175;
    std::int64_t batchSize = 64;
    std::int64_t samplesPerEpoch = 0; ///< 0: one pass over the training clips
    std::int64_t seed = 42;
    std::string device = "auto";
    double mixup = 0.0;       ///< mixup alpha; 0: off (reference distillation: off)
    bool specAugment = false; ///< reference distillation: off
    std::int64_t freqMask = 48;
    std::int64_t timeMask = 192;
    std::int64_t checkpointEvery = 200; ///< steps between checkpoints (also at every epoch end)
    std::int64_t logEvery = 10;         ///< steps between train-loss points
    /// Training clips whose mapped student embeddings are kept at step 0 and every epoch's end for
    /// the alignment map (-1: the smaller of 2,000 and a sixteenth of an epoch's; 0: off).
    std::int64_t alignClips = -1;
    std::int64_t preciseBn =
        0; ///< training clips used to re-estimate BN statistics before validation (0: off)

    /// Every key, in TOML order.
    static const std::vector<ConfigKey>& schema();
    /// The key named `key` ("optim.lr"), or nullptr.
    static const ConfigKey* keyInfo(const std::string& key);

    /// Parses TOML text; throws InputError naming `where`, the key and what is wrong.
    static TrainConfig fromToml(const std::string& text, const std::string& where = "config");
    static TrainConfig fromFile(const std::string& path);
    /// Sets one field from text ("optim.lr", "1e-3"); throws InputError on an unknown key or bad value.
    void set(const std::string& key, const std::string& value);
    /// Checks ranges and names; throws InputError listing the first problem.
    void validate() const;
    /// TOML with a comment line per key; fromToml(toToml()) == *this.
    std::string toToml(bool withComments = true) const;
    /// Content hash of the fields that define the computation (not name, tags).
    std::string hash() const;
    /// A key's value as the TOML writes it ("optim.lr" → "8e-04", "student.arch" → "'mn10'");
    /// unquoted: strings without their quotes (what set() and `--set key=value` take). "" if unknown.
    std::string valueText(const std::string& key, bool unquoted = false) const;
    /// Keys whose values differ from `other` ("optim.lr", ...).
    std::vector<std::string> differences(const TrainConfig& other) const;
    bool operator==(const TrainConfig& o) const { return toToml(false) == o.toToml(false); }
};

} // namespace ssondo
