#include "jobs/TrainParts.h"

#include "data/EmbeddingStore.h"
#include "dist/Communicator.h"
#include "distill/Checkpoint.h"
#include "distill/DataPipeline.h"
#include "students/StudentBackbone.h"
#include "students/SyncBatchNorm.h"
#include "util/Error.h"
#include "util/Hash.h"

#include <torch/torch.h>

#include <algorithm>
#include <random>

namespace ssondo {

Batches chunk(const std::vector<std::int64_t>& v, std::int64_t size, std::int64_t skip)
{
    Batches out;
    for (std::size_t i = 0; i < v.size(); i += std::size_t(size))
        out.emplace_back(v.begin() + long(i), v.begin() + long(std::min(v.size(), i + std::size_t(size))));
    out.erase(out.begin(), out.begin() + long(std::min<std::size_t>(
                                             out.size(), std::size_t(std::max<std::int64_t>(0, skip)))));
    return out;
}

Batches shardBatches(Batches batches, int rank, int world)
{
    if (world <= 1)
        return batches;
    for (auto& b : batches) {
        const std::size_t n = b.size();
        const std::size_t begin = n * std::size_t(rank) / std::size_t(world);
        const std::size_t end = n * std::size_t(rank + 1) / std::size_t(world);
        b = std::vector<std::int64_t>(b.begin() + long(begin), b.begin() + long(end));
    }
    return batches;
}

at::Tensor meanRows(const EmbeddingStore& store, const std::vector<std::int64_t>& rows)
{
    at::Tensor sum = at::zeros({store.dim()}, at::kDouble);
    for (std::size_t i = 0; i < rows.size(); i += 4096) {
        std::vector<std::int64_t> part(rows.begin() + long(i),
                                       rows.begin() + long(std::min(rows.size(), i + 4096)));
        sum += store.rowsAt(part).to(at::kDouble).sum(0);
    }
    return (sum / double(std::max<std::size_t>(1, rows.size()))).to(at::kFloat);
}

void specAugment(at::Tensor& mel, std::int64_t freqMask, std::int64_t timeMask, std::uint64_t stepSeed,
                 std::int64_t firstIndex)
{
    const std::int64_t F = mel.size(2), T = mel.size(3);
    for (std::int64_t b = 0; b < mel.size(0); ++b) {
        std::mt19937_64 rng(mixSeed(stepSeed, std::uint64_t(firstIndex + b) + 0x5bec));
        if (freqMask > 0) {
            const std::int64_t w = std::int64_t(rng() % std::uint64_t(std::min(freqMask, F)));
            const std::int64_t f0 = std::int64_t(rng() % std::uint64_t(std::max<std::int64_t>(1, F - w)));
            mel[b].slice(1, f0, f0 + w).zero_();
        }
        if (timeMask > 0) {
            const std::int64_t w = std::int64_t(rng() % std::uint64_t(std::min(timeMask, T)));
            const std::int64_t t0 = std::int64_t(rng() % std::uint64_t(std::max<std::int64_t>(1, T - w)));
            mel[b].slice(2, t0, t0 + w).zero_();
        }
    }
}

void recomputeBatchNorm(torch::nn::Module& model, DataPipeline& pipeline, Batches batches,
                        const std::string& device)
{
    std::vector<torch::nn::BatchNorm2dImpl*> bns;
    for (auto& m : model.modules(false))
        if (auto* bn = m->as<torch::nn::BatchNorm2d>())
            bns.push_back(bn);
    std::vector<c10::optional<double>> momenta;
    for (auto* bn : bns) {
        momenta.push_back(bn->options.momentum());
        bn->options.momentum(c10::nullopt); // cumulative average over the batches below
        bn->reset_running_stats();
    }
    model.train();
    torch::NoGradGuard ng;
    pipeline.start(std::move(batches));
    while (auto b = pipeline.next())
        model.as<StudentBackbone>()->forward(b->mel.to(torch::Device(device)));
    pipeline.stop();
    for (std::size_t i = 0; i < bns.size(); ++i)
        bns[i]->options.momentum(momenta[i]);
}

void sumValidation(Communicator& comm, double& lossTotal, double& cosTotal, std::int64_t& n,
                   std::map<std::int64_t, std::pair<double, std::int64_t>>& perCluster, std::int64_t K)
{
    at::Tensor t = torch::zeros({3 + 2 * K}, torch::kDouble);
    t[0] = lossTotal;
    t[1] = cosTotal;
    t[2] = double(n);
    for (const auto& [cluster, acc] : perCluster) {
        t[3 + 2 * cluster] = acc.first;
        t[4 + 2 * cluster] = double(acc.second);
    }
    std::vector<at::Tensor> sums{t};
    comm.allReduceSum(sums);
    lossTotal = t[0].item<double>();
    cosTotal = t[1].item<double>();
    n = std::int64_t(std::llround(t[2].item<double>()));
    perCluster.clear();
    for (std::int64_t c = 0; c < K; ++c)
        if (const auto cnt = std::llround(t[4 + 2 * c].item<double>()); cnt > 0)
            perCluster[c] = {t[3 + 2 * c].item<double>(), cnt};
}

std::unique_ptr<BatchNormSyncScope> joinDataParallel(Communicator& comm, const TrainState& state,
                                                     torch::nn::Module& student, torch::nn::Module& head,
                                                     const std::string& runDir)
{
    at::Tensor st = torch::tensor({state.epoch, state.stepInEpoch, state.globalStep}, torch::kLong);
    const at::Tensor mine = st.clone();
    std::vector<at::Tensor> sync{st};
    comm.broadcast(sync);
    std::vector<at::Tensor> differs{torch::tensor({at::equal(st, mine) ? 0.0 : 1.0}, torch::kDouble)};
    comm.allReduceSum(differs);
    if (differs[0].item<double>() > 0)
        throw Error("rank " + std::to_string(comm.rank()) + " of " + std::to_string(comm.worldSize()) +
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
        comm.broadcast(tensors);
    }
    Communicator* c = &comm;
    return std::make_unique<BatchNormSyncScope>([c](at::Tensor& t) {
        std::vector<at::Tensor> one{t};
        c->allReduceSum(one);
    });
}

} // namespace ssondo
