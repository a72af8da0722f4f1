// SPDX-License-Identifier: GPL-3.0-or-later
#include "students/SyncBatchNorm.h"

#include <torch/autograd.h>

#include <cmath>
#include <mutex>

namespace torch::nn {
template <> void BatchNormImplBase<2, BatchNorm2dImpl>::pretty_print(std::ostream& stream) const
{
    stream << "torch::nn::BatchNorm2d(" << options.num_features() << ", eps=" << options.eps()
           << ", momentum=" << (options.momentum() ? std::to_string(*options.momentum()) : "None")
           << ", affine=" << (options.affine() ? "true" : "false")
           << ", track_running_stats=" << (options.track_running_stats() ? "true" : "false") << ")";
}
} // namespace torch::nn

namespace ssondo {

namespace {

AllReduceSum& syncFunction()
{
    static AllReduceSum f;
    return f;
}

/// y = (x − mean) · invstd · w + b with mean and invstd over all ranks; the backward pass sums
/// Σdy and Σdy·(x − mean) across ranks as well (the weight and bias gradients stay local: the
/// data-parallel gradient average combines them).
struct SyncBatchNormFunction : public torch::autograd::Function<SyncBatchNormFunction>
{
    static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x,
                              const at::Tensor& weight, const at::Tensor& bias, const at::Tensor& mean,
                              const at::Tensor& invstd, double count)
    {
        const at::Tensor m = mean.view({1, -1, 1, 1}), s = invstd.view({1, -1, 1, 1});
        at::Tensor y = (x - m) * s;
        if (weight.defined())
            y = y * weight.view({1, -1, 1, 1});
        if (bias.defined())
            y = y + bias.view({1, -1, 1, 1});
        ctx->save_for_backward({x, weight, mean, invstd});
        ctx->saved_data["count"] = count;
        ctx->saved_data["has_bias"] = bias.defined();
        return y;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const at::Tensor &x = saved[0], &weight = saved[1], &mean = saved[2], &invstd = saved[3];
        const double n = ctx->saved_data["count"].toDouble();
        const at::Tensor dy = grads[0];
        const at::Tensor xmu = x - mean.view({1, -1, 1, 1});
        const at::Tensor sumDy = dy.sum({0, 2, 3}, false, at::kDouble);
        const at::Tensor sumDyXmu = (dy * xmu).sum({0, 2, 3}, false, at::kDouble);
        at::Tensor global = at::cat({sumDy, sumDyXmu});
        syncFunction()(global);
        const std::int64_t C = mean.numel();
        const at::Tensor meanDy = (global.slice(0, 0, C) / n).to(x.scalar_type()).view({1, -1, 1, 1});
        const at::Tensor meanDyXmu = (global.slice(0, C, 2 * C) / n).to(x.scalar_type()).view({1, -1, 1, 1});
        const at::Tensor s = invstd.view({1, -1, 1, 1});
        at::Tensor dx = (dy - meanDy - xmu * s * s * meanDyXmu) * s;
        if (weight.defined())
            dx = dx * weight.view({1, -1, 1, 1});
        at::Tensor dw, db;
        if (weight.defined())
            dw = (sumDyXmu * invstd.to(at::kDouble)).to(weight.scalar_type());
        if (ctx->saved_data["has_bias"].toBool())
            db = sumDy.to(x.scalar_type());
        return {dx, dw, db, at::Tensor(), at::Tensor(), at::Tensor()};
    }
};

} // namespace

void setBatchNormSync(AllReduceSum sum)
{
    syncFunction() = std::move(sum);
}

at::Tensor SyncBatchNorm2dImpl::forward(const at::Tensor& input)
{
    if (m_folded) {
        TORCH_CHECK(!is_training(), "SyncBatchNorm2d: a batch norm folded into its convolution cannot train");
        return input;
    }
    if (!is_training() || !syncFunction())
        return torch::nn::BatchNorm2dImpl::forward(input);
    TORCH_CHECK(input.dim() == 4, "SyncBatchNorm2d: expected a 4-d input, got ", input.dim(), "-d");
    const std::int64_t C = input.size(1);
    at::Tensor mean, invstd;
    double n = 0;
    {
        torch::NoGradGuard ng;
        // Sums accumulated in double: the statistics of several ranks must match one process's to
        // rounding (E[x²] − E[x]² cancels).
        at::Tensor packed = at::cat(
            {input.sum({0, 2, 3}, false, at::kDouble), (input * input).sum({0, 2, 3}, false, at::kDouble),
             at::full({1}, double(input.numel() / C), input.options().dtype(at::kDouble))});
        syncFunction()(packed);
        n = packed[2 * C].item<double>();
        TORCH_CHECK(n > 1, "SyncBatchNorm2d: expected more than one value per channel across ranks");
        const at::Tensor m = packed.slice(0, 0, C) / n;
        const at::Tensor var = (packed.slice(0, C, 2 * C) / n - m * m).clamp_min(0);
        mean = m.to(input.scalar_type());
        invstd = (var + options.eps()).rsqrt().to(input.scalar_type());
        if (options.track_running_stats()) {
            num_batches_tracked += 1;
            const double f = options.momentum() ? *options.momentum()
                                                : 1.0 / double(num_batches_tracked.item<std::int64_t>());
            running_mean.mul_(1 - f).add_(m.to(running_mean.scalar_type()), f);
            running_var.mul_(1 - f).add_((var * (n / (n - 1))).to(running_var.scalar_type()), f);
        }
    }
    return SyncBatchNormFunction::apply(input, options.affine() ? weight : at::Tensor(),
                                        options.affine() ? bias : at::Tensor(), mean, invstd, n);
}

} // namespace ssondo
