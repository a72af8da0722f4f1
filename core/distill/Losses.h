// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/ChoiceTable.h"

#include <ATen/core/Tensor.h>

#include <string>

namespace ssondo {

/// What a distillation loss is computed from: the mapping head's output pred [B, D], the teacher
/// embeddings target [B, D], the temperature (losses that use one) and the teacher cluster of each
/// sample, clusters [B] int64 (losses that need them; undefined otherwise).
struct LossInputs
{
    const at::Tensor& pred;
    const at::Tensor& target;
    double temperature = 1.0;
    const at::Tensor& clusters;
};

/// One distillation loss of the table: its name (loss.kind), what it is, what it needs, and its
/// function (a scalar). Adding a loss is one entry here plus its function and a test.
struct LossEntry
{
    std::string_view name;
    std::string_view description;
    bool needsClusters;   ///< the run must name a clustering (sampler.clustering)
    bool usesTemperature; ///< loss.temperature matters
    at::Tensor (*function)(const LossInputs&);
};

/// The losses of S-SONDO (reference/SSONDO.md), the recommended one (cosine) first.
const ChoiceTable<LossEntry>& losses();

/// mean over the batch of 1 − cos(pred, target). The recommended loss.
at::Tensor cosineLoss(const at::Tensor& pred, const at::Tensor& target);
/// mean squared error over all elements.
at::Tensor mseLoss(const at::Tensor& pred, const at::Tensor& target);
/// mean absolute error over all elements.
at::Tensor l1Loss(const at::Tensor& pred, const at::Tensor& target);
/// KL(softmax(target/T) ‖ softmax(pred/T)) over the D dimensions, averaged over the batch, × T².
at::Tensor klLoss(const at::Tensor& pred, const at::Tensor& target, double temperature);
/// CLAP-style symmetric InfoNCE over the B×B cosine matrix / temperature, diagonal positives.
at::Tensor clapLoss(const at::Tensor& pred, const at::Tensor& target, double temperature);
/// Cluster-aware contrastive loss. For anchor i, every j in its teacher cluster is a positive
/// and every j of another cluster a negative; each positive p contributes
/// −log(exp(s_ip) / (exp(s_ip) + Σ_n exp(s_in))) with s = cos/temperature: the other positives
/// are masked out of the denominator (they are neither pushed away nor counted). Averaged over
/// positives, then anchors. clusters: [B] int64.
at::Tensor clusterContrastiveLoss(const at::Tensor& pred, const at::Tensor& target,
                                  const at::Tensor& clusters, double temperature);

/// The loss named `name` (an entry of losses()); clusters may be undefined unless it needs them.
at::Tensor distillationLoss(const std::string& name, const at::Tensor& pred, const at::Tensor& target,
                            double temperature, const at::Tensor& clusters = {});

} // namespace ssondo
