// SPDX-License-Identifier: GPL-3.0-or-later
#include "distributed/DataParallel.h"

#include "distill/Checkpoint.h"
#include "distributed/Communicator.h"
#include "students/SyncBatchNorm.h"
#include "util/Error.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>

namespace ssondo {

DataParallel::DataParallel(Communicator* comm) : m_comm(comm && comm->worldSize() > 1 ? comm : nullptr)
{
    if (m_comm) {
        m_rank = m_comm->rank();
        m_world = m_comm->worldSize();
    }
}

DataParallel::~DataParallel() = default;

Batches DataParallel::share(Batches batches) const
{
    if (m_world <= 1)
        return batches;
    for (auto& b : batches) {
        const std::size_t n = b.size();
        const std::size_t begin = n * std::size_t(m_rank) / std::size_t(m_world);
        const std::size_t end = n * std::size_t(m_rank + 1) / std::size_t(m_world);
        b = std::vector<std::int64_t>(b.begin() + long(begin), b.begin() + long(end));
    }
    return batches;
}

void DataParallel::join(const TrainState& state, torch::nn::Module& student, torch::nn::Module& head,
                        const std::string& runDir)
{
    if (!m_comm)
        return;
    at::Tensor st = torch::tensor({state.epoch, state.stepInEpoch, state.globalStep}, torch::kLong);
    const at::Tensor mine = st.clone();
    std::vector<at::Tensor> sync{st};
    m_comm->broadcast(sync);
    std::vector<at::Tensor> differs{torch::tensor({at::equal(st, mine) ? 0.0 : 1.0}, torch::kDouble)};
    m_comm->allReduceSum(differs);
    if (differs[0].item<double>() > 0)
        throw Error("rank " + std::to_string(m_rank) + " of " + std::to_string(m_world) +
                    ": the ranks found different checkpoints in " + runDir +
                    " (every rank must see the same workspace, on a shared file system)");
    std::vector<at::Tensor> tensors;
    for (auto* m : {&student, &head}) {
        for (auto& p : m->parameters())
            tensors.push_back(p);
        for (auto& b : m->buffers())
            tensors.push_back(b);
    }
    {
        torch::NoGradGuard ng;
        m_comm->broadcast(tensors);
    }
    Communicator* c = m_comm;
    m_bnSync = std::make_unique<BatchNormSyncScope>([c](at::Tensor& t) {
        std::vector<at::Tensor> one{t};
        c->allReduceSum(one);
    });
}

double DataParallel::finishStep(const std::vector<at::Tensor>& params, double loss, std::int64_t clips,
                                bool stopRequested, bool& stopAll)
{
    stopAll = stopRequested;
    if (!m_comm)
        return loss;
    const auto t0 = std::chrono::steady_clock::now();
    m_comm->averageGradients(params);
    const double b = double(clips);
    std::vector<at::Tensor> sums{torch::tensor({loss * b, b, stopRequested ? 1.0 : 0.0}, torch::kDouble)};
    m_comm->allReduceSum(sums);
    const at::Tensor t = sums[0];
    stopAll = t[2].item<double>() > 0;
    m_stepSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return t[0].item<double>() / std::max(1.0, t[1].item<double>());
}

void DataParallel::sum(ValidationTotals& v, std::int64_t K)
{
    if (!m_comm)
        return;
    at::Tensor t = torch::zeros({3 + 2 * K}, torch::kDouble);
    t[0] = v.loss;
    t[1] = v.cosine;
    t[2] = double(v.clips);
    for (const auto& [cluster, acc] : v.perCluster) {
        t[3 + 2 * cluster] = acc.first;
        t[4 + 2 * cluster] = double(acc.second);
    }
    std::vector<at::Tensor> sums{t};
    m_comm->allReduceSum(sums);
    v.loss = t[0].item<double>();
    v.cosine = t[1].item<double>();
    v.clips = std::int64_t(std::llround(t[2].item<double>()));
    v.perCluster.clear();
    for (std::int64_t c = 0; c < K; ++c)
        if (const auto cnt = std::llround(t[4 + 2 * c].item<double>()); cnt > 0)
            v.perCluster[c] = {t[3 + 2 * c].item<double>(), cnt};
}

std::string DataParallel::broadcast(const std::string& value, const std::string& key)
{
    return m_comm ? m_comm->broadcastString(value, key) : value;
}

void DataParallel::barrier()
{
    if (m_comm)
        m_comm->barrier();
}

double DataParallel::commSeconds() const
{
    return m_comm ? m_comm->commSeconds() : 0.0;
}

} // namespace ssondo
