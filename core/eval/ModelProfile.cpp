// SPDX-License-Identifier: GPL-3.0-or-later
#include "eval/ModelProfile.h"

#include <ATen/ATen.h>
#include <ATen/record_function.h>
#include <torch/nn/module.h>
#include <torch/serialize.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <sstream>
#include <vector>

namespace ssondo {

namespace {

struct MacState
{
    int depth = 0; // counted operators currently open
    std::int64_t macs = 0;
};
thread_local MacState* t_state = nullptr;

struct OpContext : at::ObserverContext
{
    bool outer = false;
    std::int64_t perOutput = 0; // MACs per output element
    std::int64_t fixed = -1;    // MACs known at the start (attention)
};

std::int64_t dimOf(const c10::IValue& v, std::int64_t d)
{
    const auto& t = v.toTensor();
    return t.size(d < 0 ? t.dim() + d : d);
}

/// MACs per output element for the counted operators; -1: not counted.
bool describe(const at::RecordFunction& fn, OpContext& c)
{
    const char* name = fn.name();
    if (std::strncmp(name, "aten::", 6) != 0)
        return false;
    const std::string op(name + 6);
    const auto in = fn.inputs();
    auto tensorAt = [&](std::size_t i) {
        return i < in.size() && in[i].isTensor() && in[i].toTensor().defined();
    };
    if (op == "conv1d" || op == "conv2d" || op == "conv3d" || op == "convolution" || op == "_convolution" ||
        op == "mkldnn_convolution" || op == "cudnn_convolution") {
        if (!tensorAt(1))
            return false;
        const auto& w = in[1].toTensor();
        c.perOutput = w.numel() / std::max<std::int64_t>(1, w.size(0));
        return true;
    }
    if (op == "linear" && tensorAt(1)) {
        c.perOutput = dimOf(in[1], 1);
        return true;
    }
    if ((op == "addmm" || op == "baddbmm" || op == "addbmm") && tensorAt(1)) {
        c.perOutput = dimOf(in[1], -1);
        return true;
    }
    if ((op == "mm" || op == "bmm" || op == "matmul" || op == "einsum_mm") && tensorAt(0)) {
        c.perOutput = in[0].toTensor().dim() == 1 ? in[0].toTensor().size(0) : dimOf(in[0], -1);
        return true;
    }
    if (op == "scaled_dot_product_attention" && tensorAt(0) && tensorAt(1) && tensorAt(2)) {
        const auto& q = in[0].toTensor();
        const auto& k = in[1].toTensor();
        const auto& v = in[2].toTensor();
        const std::int64_t batch = q.numel() / (q.size(-1) * q.size(-2));
        c.fixed = batch * q.size(-2) * k.size(-2) * (q.size(-1) + v.size(-1));
        return true;
    }
    return false;
}

std::unique_ptr<at::ObserverContext> onStart(const at::RecordFunction& fn)
{
    if (!t_state)
        return nullptr;
    auto c = std::make_unique<OpContext>();
    if (!describe(fn, *c))
        return nullptr;
    c->outer = t_state->depth == 0;
    ++t_state->depth;
    return c;
}

void onEnd(const at::RecordFunction& fn, at::ObserverContext* ctx)
{
    if (!t_state || !ctx)
        return;
    auto* c = static_cast<OpContext*>(ctx);
    --t_state->depth;
    if (!c->outer)
        return;
    if (c->fixed >= 0) {
        t_state->macs += c->fixed;
        return;
    }
    const auto& out = fn.outputs();
    if (!out.empty() && out[0].isTensor())
        t_state->macs += out[0].toTensor().numel() * c->perOutput;
}

} // namespace

std::int64_t countMacs(const std::function<void()>& fn)
{
    MacState state;
    t_state = &state;
    const auto handle = at::addThreadLocalCallback(at::RecordFunctionCallback(onStart, onEnd)
                                                       .needsInputs(true)
                                                       .needsOutputs(true)
                                                       .scopes({at::RecordScope::FUNCTION}));
    try {
        at::RecordFunctionGuard enable(true);
        fn();
    } catch (...) {
        at::removeCallback(handle);
        t_state = nullptr;
        throw;
    }
    at::removeCallback(handle);
    t_state = nullptr;
    return state.macs;
}

double medianMilliseconds(const std::function<void()>& fn, int runs, int warmup)
{
    for (int i = 0; i < warmup; ++i)
        fn();
    std::vector<double> ms;
    for (int i = 0; i < std::max(1, runs); ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        fn();
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    const std::size_t n = ms.size();
    return n % 2 ? ms[n / 2] : 0.5 * (ms[n / 2 - 1] + ms[n / 2]);
}

std::int64_t serializedBytes(torch::nn::Module& module)
{
    torch::serialize::OutputArchive archive;
    module.save(archive);
    std::ostringstream out;
    archive.save_to(out);
    return std::int64_t(out.str().size());
}

} // namespace ssondo
