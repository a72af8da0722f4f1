// SPDX-License-Identifier: GPL-3.0-or-later
#include "distill/TargetNorm.h"

#include "data/EmbeddingStore.h"
#include "data/NpyFile.h"
#include "util/Error.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace ssondo {

const ChoiceTable<Named<TargetNormKind>>& targetNorms()
{
    static const ChoiceTable<Named<TargetNormKind>> table(
        "target normalisation",
        {{TargetNormKind::None, "none", "teacher embeddings as they are (the reference)"},
         {TargetNormKind::Center, "center", "minus the training set's mean teacher embedding"},
         {TargetNormKind::Standardize, "standardize",
          "minus the mean, divided by each dimension's standard deviation over the training set"}});
    return table;
}

namespace {

/// Sum over `rows` of f(chunk) ([dim] float64), in chunks of 4096 rows of the memory-mapped store.
template <typename F>
at::Tensor sumRows(const EmbeddingStore& store, const std::vector<std::int64_t>& rows, F f)
{
    at::Tensor sum = at::zeros({store.dim()}, at::kDouble);
    for (std::size_t i = 0; i < rows.size(); i += 4096) {
        const std::vector<std::int64_t> part(rows.begin() + long(i),
                                             rows.begin() + long(std::min(rows.size(), i + 4096)));
        sum += f(store.rowsAt(part).to(at::kDouble)).sum(0);
    }
    return sum;
}

} // namespace

TargetNorm TargetNorm::fit(TargetNormKind kind, const EmbeddingStore& store,
                           const std::vector<std::int64_t>& rows)
{
    TargetNorm n;
    n.kind = kind;
    if (kind == TargetNormKind::None)
        return n;
    if (rows.empty())
        throw InputError("loss.target_norm = " + targetNorms().nameOf(kind) + " needs training clips");
    const double count = double(rows.size());
    const at::Tensor mean = sumRows(store, rows, [](const at::Tensor& x) { return x; }) / count;
    at::Tensor scale = at::ones_like(mean);
    if (kind == TargetNormKind::Standardize) {
        // Two passes: the spread around the mean, not E[x²] − mean², which cancels when the mean is large.
        const at::Tensor var =
            sumRows(store, rows, [&](const at::Tensor& x) { return (x - mean).square(); }) / count;
        scale = var.sqrt();
        scale = at::where(scale > 1e-12, scale, at::ones_like(scale));
    }
    n.mean = mean.to(at::kFloat);
    n.scale = scale.to(at::kFloat);
    return n;
}

at::Tensor TargetNorm::apply(const at::Tensor& targets) const
{
    if (kind == TargetNormKind::None)
        return targets;
    const auto opts = targets.options();
    return (targets - mean.to(opts).unsqueeze(0)) / scale.to(opts).unsqueeze(0);
}

void TargetNorm::save(const std::string& path) const
{
    if (kind == TargetNormKind::None)
        return;
    const at::Tensor both = at::stack({mean, scale}).contiguous();
    NpyFile::write(path, {2, both.size(1)}, both.data_ptr<float>());
}

TargetNorm TargetNorm::load(TargetNormKind kind, const std::string& path, std::int64_t dim)
{
    TargetNorm n;
    n.kind = kind;
    if (kind == TargetNormKind::None)
        return n;
    NpyArray a = NpyFile::read(path);
    if (a.shape != std::vector<std::int64_t>{2, dim})
        throw InputError(
            path + ": the run's target normalisation has shape [" +
            (a.shape.size() == 2 ? std::to_string(a.shape[0]) + ", " + std::to_string(a.shape[1]) : "?") +
            "], expected [2, " + std::to_string(dim) + "]");
    const at::Tensor t = at::from_blob(a.data.data(), {2, dim}, at::kFloat).clone();
    n.mean = t[0].clone();
    n.scale = t[1].clone();
    return n;
}

TargetNorm TargetNorm::ofRun(const std::string& kindName, const std::string& runDir, std::int64_t dim)
{
    const TargetNormKind kind = targetNorms().get(kindName, "loss.target_norm").value;
    return load(kind, runDir + "/target_norm.npy", dim);
}

} // namespace ssondo
