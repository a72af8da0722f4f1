// SPDX-License-Identifier: GPL-3.0-or-later
#include "distill/Losses.h"

#include "util/Error.h"

#include <ATen/ATen.h>

#include <limits>

namespace ssondo {

static void checkPair(const at::Tensor& p, const at::Tensor& t)
{
    TORCH_CHECK(p.dim() == 2 && p.sizes() == t.sizes(), "loss: pred and target must both be [B, D], got ",
                p.sizes(), " and ", t.sizes());
}

at::Tensor cosineLoss(const at::Tensor& pred, const at::Tensor& target)
{
    checkPair(pred, target);
    return (1 - at::cosine_similarity(pred, target, 1, 1e-8)).mean();
}

at::Tensor mseLoss(const at::Tensor& pred, const at::Tensor& target)
{
    checkPair(pred, target);
    return (pred - target).square().mean();
}

at::Tensor l1Loss(const at::Tensor& pred, const at::Tensor& target)
{
    checkPair(pred, target);
    return (pred - target).abs().mean();
}

at::Tensor klLoss(const at::Tensor& pred, const at::Tensor& target, double T)
{
    checkPair(pred, target);
    TORCH_CHECK(T > 0, "KL loss: temperature must be positive");
    const at::Tensor logP = at::log_softmax(target / T, 1); // teacher distribution
    const at::Tensor logQ = at::log_softmax(pred / T, 1);   // student distribution
    return (logP.exp() * (logP - logQ)).sum(1).mean() * (T * T);
}

static at::Tensor cosineMatrix(const at::Tensor& a, const at::Tensor& b)
{
    const at::Tensor an = a / a.norm(2, 1, true).clamp_min(1e-8);
    const at::Tensor bn = b / b.norm(2, 1, true).clamp_min(1e-8);
    return at::matmul(an, bn.t());
}

at::Tensor clapLoss(const at::Tensor& pred, const at::Tensor& target, double T)
{
    checkPair(pred, target);
    TORCH_CHECK(T > 0, "CLAP loss: temperature must be positive");
    const at::Tensor logits = cosineMatrix(pred, target) / T; // [B, B], rows: students
    const at::Tensor labels =
        at::arange(pred.size(0), at::TensorOptions().dtype(at::kLong).device(pred.device()));
    return 0.5 * (at::cross_entropy_loss(logits, labels) + at::cross_entropy_loss(logits.t(), labels));
}

at::Tensor clusterContrastiveLoss(const at::Tensor& pred, const at::Tensor& target,
                                  const at::Tensor& clusters, double T)
{
    checkPair(pred, target);
    TORCH_CHECK(T > 0, "cluster contrastive loss: temperature must be positive");
    TORCH_CHECK(clusters.defined() && clusters.dim() == 1 && clusters.size(0) == pred.size(0),
                "cluster contrastive loss needs one cluster id per sample");
    const at::Tensor s = cosineMatrix(pred, target) / T; // [B, B]
    const at::Tensor c = clusters.to(pred.device());
    const at::Tensor pos = c.unsqueeze(1) == c.unsqueeze(0); // [B, B] bool
    const at::Tensor neg = pos.logical_not();
    // log Σ_n exp(s_in) over negatives only (−inf where an anchor has none).
    const double ninf = -std::numeric_limits<double>::infinity();
    const at::Tensor negLse = at::logsumexp(s.masked_fill(pos, ninf), 1, true); // [B, 1]
    // For each positive p: −log(e^{s_ip} / (e^{s_ip} + Σ_n e^{s_in})) = log(1 + e^{negLse − s_ip}).
    const at::Tensor perPair = at::log1p(at::exp(negLse - s)); // [B, B], 0 where no negatives
    const at::Tensor posF = pos.to(s.dtype());
    const at::Tensor perAnchor = (perPair * posF).sum(1) / posF.sum(1);
    (void)neg;
    return perAnchor.mean();
}

const ChoiceTable<LossEntry>& losses()
{
    static const ChoiceTable<LossEntry> table(
        "loss",
        {{"cosine",
          "mean of 1 - cos(student, teacher): the recommended loss (paper: 72.7 average over 7 tasks)", false,
          false, [](const LossInputs& in) { return cosineLoss(in.pred, in.target); }},
         {"mse", "mean squared error on the raw vectors (paper: 62.7)", false, false,
          [](const LossInputs& in) { return mseLoss(in.pred, in.target); }},
         {"l1", "mean absolute error on the raw vectors (paper: 65.6)", false, false,
          [](const LossInputs& in) { return l1Loss(in.pred, in.target); }},
         {"kl",
          "KL divergence between the softmaxes over dimensions at temperature T, times T^2 (paper: 66.2)",
          false, true, [](const LossInputs& in) { return klLoss(in.pred, in.target, in.temperature); }},
         {"clap",
          "CLAP-style symmetric InfoNCE over the batch's cosine matrix / T, diagonal positives (paper: 72.3)",
          false, true, [](const LossInputs& in) { return clapLoss(in.pred, in.target, in.temperature); }},
         {"cluster_contrastive",
          "contrastive with same-cluster samples as positives, other clusters as negatives (needs a clustering)",
          true, true, [](const LossInputs& in) {
              return clusterContrastiveLoss(in.pred, in.target, in.clusters, in.temperature);
          }}});
    return table;
}

at::Tensor distillationLoss(const std::string& name, const at::Tensor& pred, const at::Tensor& target,
                            double T, const at::Tensor& clusters)
{
    return losses().get(name, "loss.kind").function(LossInputs{pred, target, T, clusters});
}

} // namespace ssondo
