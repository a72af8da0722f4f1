// SPDX-License-Identifier: GPL-3.0-or-later
#include "eval/ModelProfile.h"

#include <ATen/ATen.h>
#include <ATen/record_function.h>
#include <torch/nn/module.h>
#include <torch/serialize.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

namespace ssondo {

namespace {

struct MacState
{
    int depth = 0; // counted operators currently open
    std::int64_t macs = 0;
    std::vector<std::string> scopes;                           // open user scopes, outermost first
    std::vector<std::pair<std::string, std::int64_t>> byBlock; // in first-run order
    void add(std::int64_t m)
    {
        macs += m;
        const std::string& block = scopes.empty() ? std::string(BlockProfile::kOutside) : scopes.front();
        auto it =
            std::find_if(byBlock.begin(), byBlock.end(), [&](const auto& b) { return b.first == block; });
        if (it == byBlock.end())
            byBlock.emplace_back(block, m);
        else
            it->second += m;
    }
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
        t_state->add(c->fixed);
        return;
    }
    const auto& out = fn.outputs();
    if (!out.empty() && out[0].isTensor())
        t_state->add(out[0].toTensor().numel() * c->perOutput);
}

std::unique_ptr<at::ObserverContext> onScopeStart(const at::RecordFunction& fn)
{
    if (t_state)
        t_state->scopes.emplace_back(fn.name());
    return nullptr;
}

void onScopeEnd(const at::RecordFunction&, at::ObserverContext*)
{
    if (t_state && !t_state->scopes.empty())
        t_state->scopes.pop_back();
}

/// Runs fn with the MAC observers installed; state receives the counts.
void observeMacs(const std::function<void()>& fn, MacState& state)
{
    t_state = &state;
    const auto ops = at::addThreadLocalCallback(at::RecordFunctionCallback(onStart, onEnd)
                                                    .needsInputs(true)
                                                    .needsOutputs(true)
                                                    .scopes({at::RecordScope::FUNCTION}));
    const auto blocks = at::addThreadLocalCallback(
        at::RecordFunctionCallback(onScopeStart, onScopeEnd).scopes({at::RecordScope::USER_SCOPE}));
    auto done = [&] {
        at::removeCallback(ops);
        at::removeCallback(blocks);
        t_state = nullptr;
    };
    try {
        at::RecordFunctionGuard enable(true);
        fn();
    } catch (...) {
        done();
        throw;
    }
    done();
}

/// Wall time per outermost user scope during one call.
struct BlockTimer
{
    using Clock = std::chrono::steady_clock;
    int depth = 0;
    Clock::time_point start;
    std::string open;
    std::vector<std::pair<std::string, double>> ms; // this call, in first-run order
};
thread_local BlockTimer* t_timer = nullptr;

std::unique_ptr<at::ObserverContext> onTimedStart(const at::RecordFunction& fn)
{
    if (t_timer && t_timer->depth++ == 0) {
        t_timer->open = fn.name();
        t_timer->start = BlockTimer::Clock::now();
    }
    return nullptr;
}

void onTimedEnd(const at::RecordFunction&, at::ObserverContext*)
{
    if (!t_timer || --t_timer->depth != 0)
        return;
    const double ms =
        std::chrono::duration<double, std::milli>(BlockTimer::Clock::now() - t_timer->start).count();
    auto& rows = t_timer->ms;
    auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.first == t_timer->open; });
    if (it == rows.end())
        rows.emplace_back(t_timer->open, ms);
    else
        it->second += ms;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n == 0 ? 0.0 : n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

} // namespace

std::int64_t countMacs(const std::function<void()>& fn)
{
    MacState state;
    observeMacs(fn, state);
    return state.macs;
}

BlockProfile profileBlocks(const std::function<void()>& fn, int runs, int warmup)
{
    BlockProfile out;
    MacState macs;
    observeMacs(fn, macs);
    for (const auto& [name, m] : macs.byBlock)
        out.blocks.push_back({name, 0.0, m});
    // The timing pass observes only the block scopes: the operators run unobserved.
    BlockTimer timer;
    t_timer = &timer;
    const auto handle = at::addThreadLocalCallback(
        at::RecordFunctionCallback(onTimedStart, onTimedEnd).scopes({at::RecordScope::USER_SCOPE}));
    std::vector<std::vector<std::pair<std::string, double>>> calls;
    std::vector<double> totals, plains;
    try {
        at::RecordFunctionGuard enable(true);
        for (int i = 0; i < warmup + std::max(1, runs); ++i) {
            // A plain call, no observer at all, alternated with an observed one: both see the same
            // state of the machine (caches, clock, other load), so the rows can be compared with it.
            auto t0 = BlockTimer::Clock::now();
            {
                at::RecordFunctionGuard off(false);
                fn();
            }
            const double plain =
                std::chrono::duration<double, std::milli>(BlockTimer::Clock::now() - t0).count();
            timer.ms.clear();
            t0 = BlockTimer::Clock::now();
            fn();
            const double total =
                std::chrono::duration<double, std::milli>(BlockTimer::Clock::now() - t0).count();
            if (i < warmup)
                continue;
            plains.push_back(plain);
            double inBlocks = 0;
            for (const auto& r : timer.ms)
                inBlocks += r.second;
            timer.ms.emplace_back(BlockProfile::kOutside, std::max(0.0, total - inBlocks));
            calls.push_back(timer.ms);
            totals.push_back(total);
        }
    } catch (...) {
        at::removeCallback(handle);
        t_timer = nullptr;
        throw;
    }
    at::removeCallback(handle);
    t_timer = nullptr;
    // Blocks in the order they ran (a block that counted no MACs, such as the front end's FFT and
    // banded mel sums, is not in the MAC pass's list), then any only the MAC pass saw.
    std::vector<BlockCost> ordered;
    auto take = [&](const std::string& name) {
        if (std::any_of(ordered.begin(), ordered.end(), [&](const BlockCost& b) { return b.name == name; }))
            return;
        const auto m = std::find_if(out.blocks.begin(), out.blocks.end(),
                                    [&](const BlockCost& b) { return b.name == name; });
        ordered.push_back({name, 0.0, m == out.blocks.end() ? 0 : m->macs});
    };
    for (const auto& call : calls)
        for (const auto& r : call)
            take(r.first);
    for (const BlockCost& b : out.blocks) // take() reads out.blocks and writes only `ordered`
        take(b.name);
    out.blocks = std::move(ordered);
    // "(outside blocks)" last, whatever order it was first met in.
    std::stable_partition(out.blocks.begin(), out.blocks.end(),
                          [](const BlockCost& b) { return b.name != BlockProfile::kOutside; });
    // The calls of the middle half by total time: a row is its mean over them, so that the rows
    // add up to the calls' (interquartile) mean. Medians per row would not add up: with the
    // occasional slow block of a loaded machine, the sum of the rows' medians falls short.
    std::vector<std::size_t> order(calls.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return totals[a] < totals[b]; });
    const std::size_t lo = order.size() / 4, hi = order.size() - order.size() / 4;
    for (BlockCost& b : out.blocks) {
        double sum = 0;
        for (std::size_t k = lo; k < hi; ++k)
            for (const auto& r : calls[order[k]])
                sum += r.first == b.name ? r.second : 0.0;
        b.milliseconds = sum / double(hi - lo);
    }
    double middle = 0;
    for (std::size_t k = lo; k < hi; ++k)
        middle += totals[order[k]];
    out.callMilliseconds = middle / double(hi - lo);
    out.wholeMilliseconds = median(plains);
    return out;
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
    return median(ms);
}

std::vector<std::int64_t> blockParameters(torch::nn::Module& student, const std::vector<BlockCost>& blocks)
{
    std::vector<std::int64_t> counts(blocks.size(), 0);
    if (blocks.empty())
        return counts;
    auto owner = [&](const std::string& param) {
        for (std::size_t b = 0; b < blocks.size(); ++b) {
            std::stringstream names(blocks[b].name);
            for (std::string prefix; std::getline(names, prefix, '+');)
                if (param.rfind(prefix + ".", 0) == 0)
                    return b;
        }
        return blocks.size() - 1; // BlockProfile::kOutside is last
    };
    for (const auto& p : student.named_parameters(/*recurse=*/true))
        counts[owner(p.key())] += p.value().numel();
    return counts;
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
