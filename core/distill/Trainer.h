// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "distill/Checkpoint.h"
#include "distill/TargetNorm.h"
#include "distill/TrainConfig.h"
#include "distill/TrainingData.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace torch::optim {
class Optimizer;
}

namespace ssondo {

class Communicator;
class DataParallel;
class DataPipeline;
class EmbeddingStore;
class MappingHeadImpl;
class ProgressSink;
class RunRecorder;
class StopToken;
class StudentBackbone;
class Workspace;
struct TrainBatch;
struct ValidationTotals;

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
    double clipsPerSecond = 0; ///< training throughput of the job (all ranks)
    double dataWaitShare = 0;  ///< share of the step time spent waiting for data
    std::int64_t backboneParams = 0, headParams = 0;
    int worldSize = 1;        ///< data-parallel processes
    double commShare = 0;     ///< share of the step time in collectives (this rank)
    double gradCommShare = 0; ///< of which the gradient (and loss) all-reduce
};

/// S-SONDO distillation of one run, in the spirit of pytorch/examples' train() / test() split:
/// setup (data, models, run record, checkpoint), then per epoch trainEpoch() (steps of student +
/// mapping head against the teacher embeddings) and validate() (precise BN when asked, loss and
/// teacher–student cosine against the mean-embedding baseline, per teacher cluster), a checkpoint
/// after each, and finish(). Its parts have their own homes: TrainingData (what it trains on),
/// RunRecorder (what it writes, rank 0 only), DataParallel (what ranks share), Augmentation,
/// PreciseBatchNorm, the choice tables of losses, samplers, optimizers and schedules.
///
/// Draws, dropout and augmentation depend only on (seed, epoch, step): a run resumed from its
/// checkpoint follows the curve the uninterrupted run would have drawn.
class Trainer
{
public:
    /// Reads what the run trains on and prepares it; `resumeRunId` > 0 continues that run.
    Trainer(Workspace& workspace, TrainConfig config, std::string commandLine, ProgressSink& sink,
            const StopToken& stop, std::int64_t resumeRunId = 0, Communicator* comm = nullptr);
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    /// Trains to the last epoch or to the stop token; on failure records it and rethrows.
    TrainResult run();

private:
    void buildModels();
    void openRun(std::int64_t resumeRunId);
    void openData();
    void fitTargetNorm();
    void snapshotAlignment(std::int64_t epoch);
    void computeBaseline();
    void trainEpoch();
    void trainStep(TrainBatch& batch);
    void validate();
    ValidationTotals validationTotals();
    void checkpoint();
    void emit(const std::string& name, double value);
    bool stopping() const;
    double wallSeconds() const;
    TrainResult finish();

    Workspace& m_ws;
    TrainConfig m_cfg;
    ProgressSink& m_sink;
    const StopToken& m_stop;
    std::unique_ptr<DataParallel> m_dp;
    TrainingData m_data;
    TargetNorm m_norm; ///< loss.target_norm, applied to every teacher embedding
    std::unique_ptr<RunRecorder> m_recorder;
    std::string m_device;
    std::shared_ptr<StudentBackbone> m_student;
    std::shared_ptr<MappingHeadImpl> m_head;
    std::vector<at::Tensor> m_params;
    std::unique_ptr<torch::optim::Optimizer> m_optimizer;
    std::unique_ptr<EmbeddingStore> m_cache;
    std::unique_ptr<DataPipeline> m_pipeline;
    TrainState m_state;
    TrainResult m_res;
    std::string m_checkpoint;
    std::int64_t m_stepsPerEpoch = 0, m_frames = 0;
    bool m_stopAll = false;
    // Where the time goes, for the result's throughput and shares.
    std::chrono::steady_clock::time_point m_wallStart;
    double m_stepSeconds = 0, m_waitSeconds = 0, m_commSeconds = 0;
    std::int64_t m_clipsThisProcess = 0, m_emptyBatches = 0;
    double m_lossSum = 0;
    double m_epochSeconds = 0; ///< wall time of the last epoch's training
    std::vector<std::int64_t> m_alignSample;
    std::int64_t m_lossCount = 0;
};

} // namespace ssondo
