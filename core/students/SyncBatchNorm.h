// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <torch/nn/modules/batchnorm.h>

#include <functional>
#include <ostream>

namespace torch::nn {
// LibTorch keeps this member of the 2-d instantiation out of its exported symbols; a class derived
// from BatchNorm2dImpl needs it (SyncBatchNorm.cpp defines it).
template <> void BatchNormImplBase<2, BatchNorm2dImpl>::pretty_print(std::ostream& stream) const;
} // namespace torch::nn

namespace ssondo {

/// BatchNorm2d whose training statistics can be computed over the batch of every data-parallel
/// rank (synchronised batch norm, as torch.nn.SyncBatchNorm): with a sync function installed
/// (setBatchNormSync), the per-channel sums of the forward pass and of the backward pass are summed
/// across ranks, so two ranks with half a batch each compute what one process computes with the
/// whole batch. Without one, or in eval mode, it is torch::nn::BatchNorm2d. Same parameters,
/// buffers and state-dict keys as BatchNorm2d; `as<torch::nn::BatchNorm2d>()` still finds it.
class SyncBatchNorm2dImpl : public torch::nn::BatchNorm2dImpl
{
public:
    using torch::nn::BatchNorm2dImpl::BatchNorm2dImpl;
    at::Tensor forward(const at::Tensor& input);

    /// Folded into the convolution before it (foldBatchNorms): forward then returns its input, and
    /// throws in training mode.
    void setFolded() { m_folded = true; }
    bool folded() const { return m_folded; }

private:
    bool m_folded = false;
};
TORCH_MODULE(SyncBatchNorm2d);

/// Sums a tensor in place across the ranks of a data-parallel job.
using AllReduceSum = std::function<void(at::Tensor&)>;
/// Installs (or, with an empty function, removes) the cross-rank sum used by every
/// SyncBatchNorm2d of this process while training.
void setBatchNormSync(AllReduceSum sum);

/// Installs `sum` for its lifetime.
class BatchNormSyncScope
{
public:
    explicit BatchNormSyncScope(AllReduceSum sum) { setBatchNormSync(std::move(sum)); }
    ~BatchNormSyncScope() { setBatchNormSync({}); }
    BatchNormSyncScope(const BatchNormSyncScope&) = delete;
    BatchNormSyncScope& operator=(const BatchNormSyncScope&) = delete;
};

} // namespace ssondo
