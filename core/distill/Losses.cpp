#include "distill/Losses.h"

#include "util/Error.h"

#include <ATen/ATen.h>

#include <limits>

namespace ssondo {

std::string lossName(LossKind kind)
{
    switch (kind) {
    case LossKind::Cosine:
        return "cosine";
    case LossKind::Mse:
        return "mse";
    case LossKind::L1:
        return "l1";
    case LossKind::Kl:
        return "kl";
    case LossKind::Clap:
        return "clap";
    case LossKind::ClusterContrastive:
        return "cluster_contrastive";
    }
    return "cosine";
}

LossKind lossFromName(const std::string& name)
{
    for (LossKind k : {LossKind::Cosine, LossKind::Mse, LossKind::L1, LossKind::Kl, LossKind::Clap,
                       LossKind::ClusterContrastive})
        if (lossName(k) == name)
            return k;
    throw InputError("unknown loss '" + name +
                     "' (expected cosine, mse, l1, kl, clap or cluster_contrastive)");
}

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

at::Tensor distillationLoss(LossKind kind, const at::Tensor& pred, const at::Tensor& target, double T,
                            const at::Tensor& clusters)
{
    switch (kind) {
    case LossKind::Cosine:
        return cosineLoss(pred, target);
    case LossKind::Mse:
        return mseLoss(pred, target);
    case LossKind::L1:
        return l1Loss(pred, target);
    case LossKind::Kl:
        return klLoss(pred, target, T);
    case LossKind::Clap:
        return clapLoss(pred, target, T);
    case LossKind::ClusterContrastive:
        return clusterContrastiveLoss(pred, target, clusters, T);
    }
    return cosineLoss(pred, target);
}

} // namespace ssondo
