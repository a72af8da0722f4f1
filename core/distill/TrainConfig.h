#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ssondo {

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
    std::int64_t preciseBn =
        0; ///< training clips used to re-estimate BN statistics before validation (0: off)

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
