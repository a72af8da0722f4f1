#pragma once

#include "distill/TrainConfig.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ssondo {

class Communicator;
class ProgressSink;
class StopToken;
class Workspace;

struct TrainResult
{
    std::int64_t runId = 0;
    std::string runName, runDir;
    bool resumed = false; ///< continued from a checkpoint
    bool stopped = false; ///< stopped before the last epoch (checkpoint written)
    std::int64_t epochsDone = 0, steps = 0;
    std::int64_t trainClips = 0, valClips = 0;
    double baselineValCosine = 0; ///< cosine of predicting the mean training teacher embedding
    double lastValCosine = 0, bestValCosine = 0, lastValLoss = 0;
    double seconds = 0;        ///< wall time of this process
    double clipsPerSecond = 0; ///< training throughput of this process
    double dataWaitShare = 0;  ///< share of the step time spent waiting for data
    std::int64_t backboneParams = 0, headParams = 0;
    int worldSize = 1;    ///< data-parallel processes
    double commShare = 0;     ///< share of the step time in collectives: batch-norm sums, gradients, loss (this rank)
    double gradCommShare = 0; ///< of which the gradient (and loss) all-reduce
};

struct TrainValSplit
{
    std::vector<std::int64_t> train, val; ///< sorted store rows
};
/// The run's deterministic split of the embedded rows: a share `valFraction` (at least one row
/// when > 0) held out for validation, chosen by the seed. Agreement and evaluation reuse it.
TrainValSplit splitTrainVal(const std::vector<std::int64_t>& pool, std::int64_t seed, double valFraction);

/// Distils a student from teacher embeddings (S-SONDO): loads the embedding set, splits off a
/// validation set, draws training clips with the sampler, trains student + mapping head with the
/// chosen loss, optimizer and schedule, validates every epoch (loss, mean teacher–student cosine,
/// against the mean-embedding baseline), logs every metric to the workspace and writes atomic
/// checkpoints. Running the same config again — or `resumeRunId` — continues an unfinished run
/// from its last checkpoint; draws and augmentation depend only on (seed, epoch, step), so the
/// curve after a resume is the one the uninterrupted run would have drawn.
///
/// With a Communicator of several ranks it is one process of a data-parallel job: every rank draws
/// the same global batches and trains on its equal share of each, gradients are averaged by a
/// bucketed all-reduce, batch norm statistics are synchronised, validation is split between the
/// ranks; only rank 0 writes the log and checkpoints, and every rank starts from rank 0's state.
/// Two ranks then compute what one process computes with the whole batch (up to rounding), except
/// for mixup pairs and head dropout masks, which are drawn per rank.
class TrainJob
{
public:
    static TrainResult run(Workspace& workspace, TrainConfig config, const std::string& commandLine,
                           ProgressSink& sink, const StopToken& stop, std::int64_t resumeRunId = 0,
                           Communicator* comm = nullptr);
};

} // namespace ssondo
