// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/ChoiceTable.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ssondo {

class EmbeddingStore;

/// How teacher embeddings are normalised before the loss sees them (loss.target_norm).
enum class TargetNormKind { None, Center, Standardize };
const ChoiceTable<Named<TargetNormKind>>& targetNorms();

/// The affine map applied to every teacher embedding a run trains and validates on:
/// (t - mean) / scale, with the mean and per-dimension standard deviation of the training rows
/// (computed once, in float64, two passes; a dimension without spread keeps scale 1, as
/// scikit-learn's StandardScaler does). `none` is the identity.
struct TargetNorm
{
    TargetNormKind kind = TargetNormKind::None;
    at::Tensor mean, scale; ///< [dim] float32; undefined for None

    static TargetNorm fit(TargetNormKind kind, const EmbeddingStore& store,
                          const std::vector<std::int64_t>& rows);
    /// `targets` [n, dim] in the normalised space (on their device).
    at::Tensor apply(const at::Tensor& targets) const;
    /// Saved with the run: `path` (.npy, rows mean and scale); read back on resume.
    void save(const std::string& path) const;
    static TargetNorm load(TargetNormKind kind, const std::string& path, std::int64_t dim);
    /// The normalisation a trained run's mapping head predicts in (`kindName` its config's
    /// loss.target_norm), from its folder: what compares the head's outputs with the teacher.
    static TargetNorm ofRun(const std::string& kindName, const std::string& runDir, std::int64_t dim);
};

} // namespace ssondo
