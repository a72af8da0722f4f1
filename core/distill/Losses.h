#pragma once

#include <ATen/core/Tensor.h>

#include <string>

namespace ssondo {

/// The distillation losses of S-SONDO (reference/SSONDO.md), on the mapping head's output
/// pred [B, D] against the teacher embeddings target [B, D]. Each returns a scalar.
enum class LossKind { Cosine, Mse, L1, Kl, Clap, ClusterContrastive };

std::string lossName(LossKind kind);
LossKind lossFromName(const std::string& name); ///< throws InputError listing the names

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

/// Dispatch by kind. clusters may be undefined except for ClusterContrastive.
at::Tensor distillationLoss(LossKind kind, const at::Tensor& pred, const at::Tensor& target,
                            double temperature, const at::Tensor& clusters = {});

} // namespace ssondo
