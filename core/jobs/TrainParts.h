#pragma once

// Pieces of TrainJob that are not the loop itself (internal to core/jobs).

#include <ATen/core/Tensor.h>

#include <cstdint>
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
class DataPipeline;
class EmbeddingStore;
struct TrainState;

using Batches = std::vector<std::vector<std::int64_t>>;

/// Consecutive batches of `size`, without the first `skip` (already done before a resume).
Batches chunk(const std::vector<std::int64_t>& v, std::int64_t size, std::int64_t skip = 0);
/// This rank's share of every batch: items [n·rank/world, n·(rank+1)/world) — the global sequence
/// of batches is the same on every rank, each takes its slice.
Batches shardBatches(Batches batches, int rank, int world);

/// Mean of the given rows of a store, in chunks (the set may not fit in memory).
at::Tensor meanRows(const EmbeddingStore& store, const std::vector<std::int64_t>& rows);

/// SpecAugment: per sample, one frequency band and one time span set to 0, widths uniform in
/// [0, mask). The masks of sample i depend only on (stepSeed, firstIndex + i), its position in the
/// global batch, so data-parallel ranks mask what one process would.
void specAugment(at::Tensor& mel, std::int64_t freqMask, std::int64_t timeMask, std::uint64_t stepSeed,
                 std::int64_t firstIndex);

/// Precise BN (Wu & Johnson, "Rethinking batch in BatchNorm", 2021): replaces the running
/// statistics by their exact average over some training batches. With the reference's momentum of
/// 0.01 the running averages lag far behind the weights in short runs, and evaluation mode would
/// then measure a different network from the one being trained. With synchronised batch norm the
/// statistics are those of the global batches.
void recomputeBatchNorm(torch::nn::Module& model, DataPipeline& pipeline, Batches batches,
                        const std::string& device);

/// Sums the validation totals of every rank: loss and cosine sums, clip count, and per teacher
/// cluster (of `clusters`) the summed 1 − cos and the clip count.
void sumValidation(Communicator& comm, double& lossTotal, double& cosTotal, std::int64_t& n,
                   std::map<std::int64_t, std::pair<double, std::int64_t>>& perCluster,
                   std::int64_t clusters);

/// Joins a data-parallel run: checks that every rank resumed at rank 0's step (else every rank
/// throws: a workspace not shared by all nodes), copies rank 0's weights and buffers of `student`
/// and `head` to every rank, and installs the cross-rank batch-norm statistics for the scope's life.
std::unique_ptr<BatchNormSyncScope> joinDataParallel(Communicator& comm, const TrainState& state,
                                                     torch::nn::Module& student, torch::nn::Module& head,
                                                     const std::string& runDir);

} // namespace ssondo
