// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "distill/TrainConfig.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ssondo {

/// One key a sweep varies, as its sweep file writes it.
struct SweepParam
{
    enum class Kind { List, Range, Uniform, LogUniform, IntUniform };
    std::string key; ///< run-config key ("loss.kind")
    Kind kind = Kind::List;
    std::vector<std::string> values; ///< List and Range: the values, as `--set` takes them
    double min = 0, max = 0;         ///< distributions
    bool sampled() const
    {
        return kind == Kind::Uniform || kind == Kind::LogUniform || kind == Kind::IntUniform;
    }
};

/// One run of a sweep: a point of the search space with one seed.
struct SweepTrial
{
    int index = 0; ///< 0-based, in expansion order (what a Slurm array task runs)
    int point = 0; ///< the point of the search space (trials that differ only by seed share it)
    std::int64_t seed = 0;
    std::vector<std::pair<std::string, std::string>> values; ///< varied key → value, in spec order
    TrainConfig config;
};

/// A sweep file: a base run config and the keys to vary (grid, or random search over lists, ranges
/// and distributions), the seeds, the metric to compare, and optional early stopping. Read from
/// TOML; every problem is an InputError naming the file and the key.
///
///     name = "losses"
///     config = "base.toml"        # optional, relative to this file; [base] applies on top
///     seeds = [1, 2]
///     metric = "val_cosine"       # or "probe:DATASET" (a linear probe after each run)
///     [base]
///     train.epochs = 2
///     [vary]
///     loss.kind = ["cosine", "clap", "mse"]
///     optim.lr = { distribution = "log_uniform", min = 1e-4, max = 1e-2 }
///     train.batch_size = { min = 32, max = 128, step = 32 }
struct SweepSpec
{
    std::string name;
    std::string method = "grid"; ///< grid | random
    TrainConfig base;
    std::vector<SweepParam> params;
    std::vector<std::int64_t> seeds; ///< empty: the base config's seed
    int trials = 0;                  ///< random search: points drawn
    std::int64_t searchSeed = 0;     ///< random search: the draw's seed
    std::string metric = "val_cosine";
    /// Early stopping: a run stops when its validation cosine at an epoch is below this fraction of
    /// the best run's at the same epoch (0: off).
    double stopIfBelow = 0;
    int parallel = 1;   ///< runs at a time, unless --parallel says otherwise
    std::string source; ///< the file's text, as read

    static SweepSpec fromToml(const std::string& text, const std::string& where = "sweep",
                              const std::string& baseDir = ".");
    static SweepSpec fromFile(const std::string& path);

    /// The runs, in order: every point of the grid (first key slowest) or `trials` points drawn with
    /// `searchSeed`, each with every seed. Values are checked against the config schema; two runs
    /// with the same config are an error.
    std::vector<SweepTrial> expand() const;
    /// The probe task of a "probe:DATASET" metric ("" for val_cosine).
    std::string metricTask() const;
    /// Content hash of what defines the runs (base config, search space, seeds, metric).
    std::string hash() const;
};

} // namespace ssondo
