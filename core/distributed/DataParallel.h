// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "distill/Batches.h"

#include <ATen/core/Tensor.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace torch::nn {
class Module;
}

namespace ssondo {

class BatchNormSyncScope;
class Communicator;
struct TrainState;

/// Sums of a validation pass: loss and cosine sums, clips, and per teacher cluster the summed
/// 1 − cos and its clip count.
struct ValidationTotals
{
    double loss = 0, cosine = 0;
    std::int64_t clips = 0;
    std::map<std::int64_t, std::pair<double, std::int64_t>> perCluster;
};

/// The data-parallel side of training, for one process. With one process (no communicator, or a
/// world of one) every method does what that process needs alone and communicates nothing, so the
/// trainer is the same code with one rank or many.
///
/// Every rank draws the same global batches and takes its equal share; gradients are averaged by
/// a bucketed all-reduce, batch norm statistics are summed over the ranks while join()'s scope
/// lives, and a stop request of any rank stops all of them at the same step.
class DataParallel
{
public:
    explicit DataParallel(Communicator* comm);
    ~DataParallel();

    int rank() const { return m_rank; }
    int worldSize() const { return m_world; }
    bool leads() const { return m_rank == 0; }
    Communicator* communicator() const { return m_comm; }

    /// This rank's share of every batch: items [n·rank/world, n·(rank+1)/world) of each.
    Batches share(Batches batches) const;

    /// Checks that every rank resumed at rank 0's step (else every rank throws: a workspace not
    /// shared by all nodes), copies rank 0's weights and buffers of `student` and `head` to every
    /// rank, and synchronises batch norm until this object is destroyed.
    void join(const TrainState& state, torch::nn::Module& student, torch::nn::Module& head,
              const std::string& runDir);

    /// After backward(): averages the gradients of `params` over the ranks; returns the loss of
    /// the global batch (`loss` was this rank's mean over its `clips`) and sets `stopAll` when
    /// any rank's `stopRequested`.
    double finishStep(const std::vector<at::Tensor>& params, double loss, std::int64_t clips,
                      bool stopRequested, bool& stopAll);
    /// Sums every rank's totals (`clusters`: how many teacher clusters there may be).
    void sum(ValidationTotals& totals, std::int64_t clusters);
    /// Rank 0's string to every rank (`key` names it in the rendezvous store).
    std::string broadcast(const std::string& value, const std::string& key);
    void barrier();

    /// Seconds in collectives so far: all of them, and the gradient and loss all-reduces alone.
    double commSeconds() const;
    double stepCommSeconds() const { return m_stepSeconds; }

private:
    Communicator* m_comm;
    int m_rank = 0, m_world = 1;
    std::unique_ptr<BatchNormSyncScope> m_bnSync;
    double m_stepSeconds = 0;
};

} // namespace ssondo
