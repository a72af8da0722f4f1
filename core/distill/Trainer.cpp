// SPDX-License-Identifier: GPL-3.0-or-later
#include "distill/Trainer.h"

#include "distill/Alignment.h"

#include "data/EmbeddingStore.h"
#include "distill/Augmentation.h"
#include "distill/DataPipeline.h"
#include "distill/Losses.h"
#include "distill/LrSchedule.h"
#include "distill/Optimizers.h"
#include "distill/PreciseBatchNorm.h"
#include "distill/RunRecorder.h"
#include "distill/StudentInit.h"
#include "distributed/DataParallel.h"
#include "students/MappingHead.h"
#include "students/StudentForms.h"
#include "students/StudentRegistry.h"
#include "util/Device.h"
#include "util/Error.h"
#include "util/ErrorText.h"
#include "util/Hash.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "util/Threads.h"
#include "workspace/Workspace.h"

#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <unordered_map>

namespace fs = std::filesystem;

namespace ssondo {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

} // namespace

Trainer::Trainer(Workspace& ws, TrainConfig cfg, std::string commandLine, ProgressSink& sink,
                 const StopToken& stop, std::int64_t resumeRunId, Communicator* comm)
    : m_ws(ws), m_cfg(std::move(cfg)), m_sink(sink), m_stop(stop), m_dp(std::make_unique<DataParallel>(comm)),
      m_data(TrainingData::load(ws, m_cfg)), m_wallStart(Clock::now())
{
    if (m_cfg.batchSize % m_dp->worldSize() != 0)
        throw InputError("train.batch_size " + std::to_string(m_cfg.batchSize) +
                         " is not a multiple of the " + std::to_string(m_dp->worldSize()) +
                         " processes; each rank takes an equal share of a batch");
    m_recorder = std::make_unique<RunRecorder>(ws, *m_dp, std::move(commandLine), sink);
    openRun(resumeRunId);
    buildModels();
    if (fs::exists(m_checkpoint)) {
        m_state = loadCheckpoint(m_checkpoint, *m_student, *m_head, *m_optimizer);
        m_res.resumed = true;
        sink.info("Resuming run " + std::to_string(m_recorder->run().id) + " at epoch " +
                  std::to_string(m_state.epoch + 1) + ", step " + std::to_string(m_state.globalStep));
    } else if (m_recorder->existing()) {
        sink.info("Restarting run " + std::to_string(m_recorder->run().id) +
                  " (it stopped before its first checkpoint)");
    }
    // Every rank starts from rank 0's state, weights and buffers, with synchronised batch norm.
    m_dp->join(m_state, *m_student, *m_head, m_recorder->runDir());
    if (trainsChannelsLast(m_device))
        toChannelsLast(*m_student); // after loading: a checkpoint's tensors come in the layout saved
    if (m_dp->worldSize() > 1)
        sink.info("Data parallel: " + std::to_string(m_dp->worldSize()) + " processes, " +
                  std::to_string(m_cfg.batchSize / m_dp->worldSize()) +
                  " clips per rank and step, synchronised batch norm");
    const std::int64_t perEpoch =
        m_cfg.samplesPerEpoch > 0 ? m_cfg.samplesPerEpoch : std::int64_t(m_data.train().size());
    m_stepsPerEpoch = (perEpoch + m_cfg.batchSize - 1) / m_cfg.batchSize;
    m_recorder->start(m_state.globalStep, m_stepsPerEpoch * m_cfg.epochs, m_res.resumed);
    openData();
    fitTargetNorm();
    computeBaseline();
}

Trainer::~Trainer() = default;

void Trainer::openRun(std::int64_t resumeRunId)
{
    m_recorder->open(m_cfg, m_data.set(), resumeRunId);
    m_checkpoint = (fs::path(m_recorder->runDir()) / "checkpoint.pt").string();
}

/// Student, mapping head and optimizer, seeded before construction: same seed, same initial weights.
void Trainer::buildModels()
{
    m_device = resolveDevice(m_cfg.device);
    torch::manual_seed(std::uint64_t(m_cfg.seed));
    m_student = StudentRegistry::instance().create(m_cfg.arch, StudentOptions{m_cfg.width, m_cfg.mChannels});
    if (!m_cfg.init.empty())
        initFromStateDict(*m_student, m_cfg.init, m_cfg.arch, m_sink);
    m_head = MappingHead(MappingHeadOptions(m_student->embeddingDim(), m_data.set().dim)
                             .hidden(m_cfg.headHidden)
                             .dropout(m_cfg.headDropout))
                 .ptr();
    m_student->to(torch::Device(m_device));
    m_head->to(torch::Device(m_device));
    m_params = m_student->parameters();
    for (auto& p : m_head->parameters())
        m_params.push_back(p);
    m_optimizer =
        optimizers().get(m_cfg.optimizer, "optim.optimizer").make(m_params, m_cfg.lr, m_cfg.weightDecay);
    RunRecord& run = const_cast<RunRecord&>(m_recorder->run());
    run.backboneParams = parameterCount(*m_student);
    run.headParams = parameterCount(*m_head);
}

/// The data pipeline, with the log-mel cache (rank 0 writes it; the others compute what it reads).
void Trainer::openData()
{
    const LogMelOptions frontEnd; // the S-SONDO student front end
    const std::int64_t clipSamples = std::llround(m_cfg.clipSeconds * frontEnd.sample_rate());
    m_frames = LogMelFrontEnd(frontEnd).numFrames(clipSamples);
    if (m_cfg.cache && m_recorder->enabled()) {
        EmbeddingStoreInfo ci;
        ci.teacherIdentity = "logmel-v1-" + std::to_string(frontEnd.sample_rate()) + "-" +
                             std::to_string(frontEnd.n_mels()) + "-" + std::to_string(m_frames);
        ci.teacherKind = "cache";
        ci.datasetName = m_data.dataset().name;
        ci.datasetVersion = m_data.dataset().version;
        ci.dim = frontEnd.n_mels() * m_frames;
        ci.dtype = "float16";
        for (const auto& c : m_data.clips())
            ci.clipPaths.push_back(c.path);
        m_cache = EmbeddingStore::openOrCreate(
            (fs::path(m_ws.dir()) / "cache" /
             (m_data.dataset().name + "-" + m_data.dataset().version + "__" + ci.teacherIdentity))
                .string(),
            ci);
    }
    const int workers = m_cfg.workers > 0 ? int(m_cfg.workers) : std::max(1, logicalCores() - 1);
    DataPipeline::Source source{m_data.paths(), &m_data.store(), m_cache.get(), m_cfg.clipSeconds};
    source.roundToHalf = m_cfg.cache && !m_recorder->enabled();
    source.keepEmpty = m_dp->worldSize() > 1; // ranks must stay in step
    m_pipeline =
        std::make_unique<DataPipeline>(source, frontEnd, workers, m_recorder->enabled() ? &m_sink : nullptr);
}

/// loss.target_norm from the training rows, once: saved with the run, read back when it resumes.
void Trainer::fitTargetNorm()
{
    const TargetNormKind kind = targetNorms().get(m_cfg.targetNorm, "loss.target_norm").value;
    const std::string path = (fs::path(m_recorder->runDir()) / "target_norm.npy").string();
    if (kind == TargetNormKind::None)
        return;
    if (m_res.resumed && fs::exists(path)) {
        m_norm = TargetNorm::load(kind, path, m_data.store().dim());
        return;
    }
    m_norm = TargetNorm::fit(kind, m_data.store(), m_data.train());
    if (m_recorder->enabled())
        m_norm.save(path);
}

/// The baseline every validation cosine is read against: predicting the mean training embedding.
/// With loss.target_norm centring the targets, that mean is the origin, whose cosine is 0 by
/// definition (computed, it would be the cosine with float32 rounding noise).
void Trainer::computeBaseline()
{
    if (!m_data.val().empty()) {
        if (m_norm.kind == TargetNormKind::None) {
            const at::Tensor mean = meanRows(m_data.store(), m_data.train());
            const at::Tensor targets = m_data.store().rowsAt(m_data.val());
            m_res.baselineValCosine =
                at::cosine_similarity(targets, mean.unsqueeze(0).expand_as(targets), 1).mean().item<double>();
        } else {
            m_res.baselineValCosine = 0.0;
        }
        if (m_state.globalStep == 0)
            m_recorder->metric("baseline_val_cosine", m_res.baselineValCosine, 0, 0, 0.0);
    }
    const RunRecord& run = m_recorder->run();
    m_sink.info("Run " + std::to_string(run.id) + " '" + run.name + "': " + m_cfg.arch + " (" +
                std::to_string(run.backboneParams) + " backbone + " + std::to_string(run.headParams) +
                " head parameters) on " + m_device + ", " + std::to_string(m_data.train().size()) +
                " training / " + std::to_string(m_data.val().size()) +
                " validation clips, baseline val cosine " + std::to_string(m_res.baselineValCosine));
}

bool Trainer::stopping() const
{
    // With several ranks the request travels with the loss, so that every rank stops at one step.
    return m_dp->worldSize() > 1 ? m_stopAll : m_stop.requested();
}

double Trainer::wallSeconds() const
{
    return m_state.elapsedSeconds + secondsSince(m_wallStart);
}

void Trainer::emit(const std::string& name, double value)
{
    m_recorder->metric(name, value, m_state.globalStep, m_state.epoch, wallSeconds());
}

void Trainer::checkpoint()
{
    TrainState s = m_state;
    s.elapsedSeconds = wallSeconds();
    if (!m_recorder->enabled())
        return;
    m_recorder->flush(true, m_state.globalStep); // metrics first: a checkpoint never points past the curve
    saveCheckpoint(m_checkpoint, *m_student, *m_head, *m_optimizer, s);
}

TrainResult Trainer::run()
{
    try {
        if (m_state.globalStep == 0)
            snapshotAlignment(0); // where the student starts
        while (m_state.epoch < m_cfg.epochs && !stopping()) {
            const auto epochStart = Clock::now();
            trainEpoch();
            m_epochSeconds = secondsSince(epochStart);
            if (stopping())
                break;
            validate();
            snapshotAlignment(m_state.epoch + 1);
            ++m_state.epoch;
            m_state.stepInEpoch = 0;
            checkpoint();
        }
        if (stopping())
            checkpoint();
    } catch (const std::exception& e) {
        m_pipeline->stop();
        m_recorder->fail(errorText(e));
        throw;
    }
    return finish();
}

/// One epoch of steps over the sampler's draws (resumed at the step the checkpoint was in).
void Trainer::trainEpoch()
{
    const double lr = m_cfg.lr * lrFactor(m_cfg, double(m_state.epoch));
    for (auto& group : m_optimizer->param_groups())
        group.options().set_lr(lr);
    if (m_state.stepInEpoch == 0)
        emit("lr", lr);
    const auto draws = m_data.sampler().epoch(m_state.epoch, m_stepsPerEpoch * m_cfg.batchSize);
    m_pipeline->start(m_dp->share(chunk(draws, m_cfg.batchSize, m_state.stepInEpoch)));
    m_student->train();
    m_head->train();
    m_lossSum = 0;
    m_lossCount = 0;
    while (!stopping()) {
        const auto tWait = Clock::now();
        auto batch = m_pipeline->next();
        if (!batch)
            break;
        m_waitSeconds += secondsSince(tWait);
        trainStep(*batch);
        m_stepSeconds += secondsSince(tWait);
    }
    m_pipeline->stop();
    if (!stopping() && m_lossCount > 0)
        emit("train_loss", m_lossSum / double(m_lossCount));
}

/// One optimizer step on a batch; everything random in it is seeded by (seed, step).
void Trainer::trainStep(TrainBatch& batch)
{
    const double commBefore = m_dp->commSeconds(); // batch-norm sums included
    const std::uint64_t stepSeed = mixSeed(std::uint64_t(m_cfg.seed), std::uint64_t(m_state.globalStep));
    torch::manual_seed(stepSeed);
    std::mt19937_64 rng(stepSeed);
    const bool empty = batch.items.empty(); // only with several ranks, which must stay in step
    if (empty) {
        ++m_emptyBatches;
        batch.mel = torch::zeros({1, 1, LogMelOptions().n_mels(), m_frames});
        batch.target = torch::zeros({1, m_data.store().dim()});
    }
    at::Tensor mel = batch.mel.to(torch::Device(m_device));
    at::Tensor target = m_norm.apply(batch.target.to(torch::Device(m_device)));
    if (m_cfg.specAugment)
        specAugment(mel, m_cfg.freqMask, m_cfg.timeMask, stepSeed,
                    m_dp->rank() * (m_cfg.batchSize / m_dp->worldSize()));
    mixup(mel, target, m_cfg.mixup, rng);
    const at::Tensor pred = m_head->forward(m_student->forward(mel));
    at::Tensor loss = distillationLoss(m_cfg.loss, pred, target, m_cfg.temperature,
                                       m_data.clustersOf(batch.items, torch::Device(m_device)));
    if (empty)
        loss = loss * 0.0;
    m_optimizer->zero_grad();
    loss.backward();
    // Gradients averaged over the ranks; the logged loss is the global batch's mean.
    const double l = m_dp->finishStep(m_params, loss.item<double>(), empty ? 0 : mel.size(0),
                                      m_stop.requested(), m_stopAll);
    m_commSeconds += m_dp->commSeconds() - commBefore;
    if (m_cfg.gradClip > 0)
        torch::nn::utils::clip_grad_norm_(m_params, m_cfg.gradClip);
    m_optimizer->step();
    if (!std::isfinite(l))
        throw Error("the training loss became " + std::to_string(l) + " at step " +
                    std::to_string(m_state.globalStep) + "; lower optim.lr or check the teacher embeddings");
    m_lossSum += l;
    ++m_lossCount;
    ++m_state.globalStep;
    ++m_state.stepInEpoch;
    m_clipsThisProcess += empty ? 0 : mel.size(0);
    if (m_state.globalStep % m_cfg.logEvery == 0) {
        emit("train_loss", m_lossSum / double(m_lossCount));
        m_lossSum = 0;
        m_lossCount = 0;
    }
    if (m_recorder->enabled())
        m_sink.progress("train", m_state.globalStep, m_stepsPerEpoch * m_cfg.epochs);
    if (m_state.globalStep % m_cfg.checkpointEvery == 0)
        checkpoint();
    m_recorder->flush(false, m_state.globalStep);
}

/// Validation loss and teacher–student cosine (and per teacher cluster), after precise BN when
/// train.precise_bn asks for it.
void Trainer::validate()
{
    if (m_data.val().empty())
        return;
    if (m_cfg.preciseBn > 0) {
        // Whole batches only, so that every rank has a share of each.
        const std::int64_t count =
            (m_cfg.preciseBn + m_cfg.batchSize - 1) / m_cfg.batchSize * m_cfg.batchSize;
        const auto sample = m_data.sampler().epoch(1000003 + m_state.epoch, count);
        recomputeBatchNorm(*m_student, *m_pipeline, m_dp->share(chunk(sample, m_cfg.batchSize)), m_device);
    }
    ValidationTotals v = validationTotals();
    m_dp->sum(v, m_data.clusterCount());
    m_res.lastValLoss = v.loss / double(std::max<std::int64_t>(1, v.clips));
    m_res.lastValCosine = v.cosine / double(std::max<std::int64_t>(1, v.clips));
    m_state.bestValCosine = std::max(m_state.bestValCosine, m_res.lastValCosine);
    emit("val_loss", m_res.lastValLoss);
    emit("val_cosine", m_res.lastValCosine);
    for (const auto& [cluster, acc] : v.perCluster)
        emit("val_loss_cluster/" + std::to_string(cluster),
             acc.first / double(std::max<std::int64_t>(1, acc.second)));
}

/// The mapped student embeddings of the alignment sample, kept as the snapshot of the epoch just
/// `epoch` has finished (0: before training). Rank 0 only; its cost is reported as a share of
/// the epoch's training time.
void Trainer::snapshotAlignment(std::int64_t epoch)
{
    if (m_cfg.alignClips == 0 || !m_recorder->enabled())
        return;
    const auto start = Clock::now();
    const AlignmentLog log(m_recorder->runDir());
    if (m_alignSample.empty()) {
        if (log.hasSample()) {
            m_alignSample = log.sample();
        } else {
            const std::int64_t perEpoch = m_stepsPerEpoch * m_cfg.batchSize;
            std::vector<std::int64_t> clusterOf;
            if (m_data.hasClusters())
                for (std::int64_t r = 0; r < m_data.store().rows(); ++r)
                    clusterOf.push_back(m_data.clusterOf(r));
            m_alignSample = AlignmentLog::chooseSample(
                m_data.train(), clusterOf,
                m_cfg.alignClips > 0 ? m_cfg.alignClips : AlignmentLog::defaultClips(perEpoch),
                std::uint64_t(m_cfg.seed));
            log.saveSample(m_alignSample);
        }
    }
    m_student->eval();
    m_head->eval();
    torch::NoGradGuard ng;
    std::unordered_map<std::int64_t, std::int64_t> slot; // dataset position → row of the snapshot
    for (std::size_t i = 0; i < m_alignSample.size(); ++i)
        slot[m_alignSample[i]] = std::int64_t(i);
    at::Tensor mapped = at::full({std::int64_t(m_alignSample.size()), m_data.store().dim()}, NAN);
    m_pipeline->start(chunk(m_alignSample, m_cfg.batchSize));
    while (auto batch = m_pipeline->next()) {
        if (batch->items.empty())
            continue;
        const at::Tensor pred =
            m_head->forward(m_student->forward(batch->mel.to(torch::Device(m_device)))).cpu();
        for (std::size_t i = 0; i < batch->items.size(); ++i)
            mapped[slot[batch->items[i]]].copy_(pred[std::int64_t(i)]);
    }
    m_pipeline->stop();
    log.save(epoch, mapped);
    const double seconds = secondsSince(start);
    emit("align_seconds", seconds);
    if (m_epochSeconds > 0)
        emit("align_share", seconds / m_epochSeconds);
}

/// This rank's validation sums over its share of the validation clips.
ValidationTotals Trainer::validationTotals()
{
    m_student->eval();
    m_head->eval();
    torch::NoGradGuard ng;
    ValidationTotals v;
    m_pipeline->start(m_dp->share(chunk(m_data.val(), m_cfg.batchSize)));
    while (auto batch = m_pipeline->next()) {
        if (batch->items.empty())
            continue;
        const torch::Device device(m_device);
        const at::Tensor pred = m_head->forward(m_student->forward(batch->mel.to(device)));
        const at::Tensor target = m_norm.apply(batch->target.to(device));
        const std::int64_t b = pred.size(0);
        v.loss += distillationLoss(m_cfg.loss, pred, target, m_cfg.temperature,
                                   m_data.clustersOf(batch->items, device))
                      .item<double>() *
                  double(b);
        const at::Tensor cos = at::cosine_similarity(pred, target, 1).cpu().to(at::kDouble).contiguous();
        v.cosine += cos.sum().item<double>();
        if (m_data.hasClusters()) { // per teacher cluster: mean 1 − cos, the cosine loss
            const double* c = cos.data_ptr<double>();
            for (std::size_t i = 0; i < batch->items.size(); ++i) {
                auto& acc = v.perCluster[m_data.clusterOf(batch->items[i])];
                acc.first += 1.0 - c[i];
                ++acc.second;
            }
        }
        v.clips += b;
    }
    m_pipeline->stop();
    return v;
}

TrainResult Trainer::finish()
{
    m_recorder->flush(true, m_state.globalStep);
    const RunRecord& run = m_recorder->run();
    const int world = m_dp->worldSize();
    m_res.runId = run.id;
    m_res.runName = run.name;
    m_res.runDir = run.dir;
    m_res.stopped = m_state.epoch < m_cfg.epochs;
    m_res.epochsDone = m_state.epoch;
    m_res.steps = m_state.globalStep;
    m_res.bestValCosine = m_state.bestValCosine;
    m_res.trainClips = std::int64_t(m_data.train().size());
    m_res.valClips = std::int64_t(m_data.val().size());
    m_res.seconds = secondsSince(m_wallStart);
    // Every rank trains at the pace of the slowest: the job's throughput is world × this rank's.
    m_res.clipsPerSecond = m_stepSeconds > 0 ? double(m_clipsThisProcess) * world / m_stepSeconds : 0;
    m_res.worldSize = world;
    m_res.commShare = m_stepSeconds > 0 ? m_commSeconds / m_stepSeconds : 0;
    m_res.gradCommShare = m_stepSeconds > 0 ? m_dp->stepCommSeconds() / m_stepSeconds : 0;
    m_res.dataWaitShare = m_stepSeconds > 0 ? m_waitSeconds / m_stepSeconds : 0;
    m_res.backboneParams = run.backboneParams;
    m_res.headParams = run.headParams;
    if (m_emptyBatches > 0)
        m_sink.warning("rank " + std::to_string(m_dp->rank()) + ": " + std::to_string(m_emptyBatches) +
                           " batch shares had no decodable clip and were trained on silence with weight 0",
                       m_recorder->runDir());
    const std::string summary =
        "epoch " + std::to_string(m_state.epoch) + "/" + std::to_string(m_cfg.epochs) + ", val cosine " +
        std::to_string(m_res.lastValCosine) + " (baseline " + std::to_string(m_res.baselineValCosine) + ")" +
        (world > 1 ? ", " + std::to_string(world) + " processes" : "");
    m_recorder->addCheckpoint(m_checkpoint);
    m_recorder->finish(m_res.stopped ? RunStatus::Stopped : RunStatus::Done, summary);
    return m_res;
}

} // namespace ssondo
