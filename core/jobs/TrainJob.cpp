#include "jobs/TrainJob.h"

#include "clustering/ClusteringCatalog.h"
#include "data/DatasetCatalog.h"
#include "data/EmbeddingCatalog.h"
#include "data/EmbeddingStore.h"
#include "data/Sampler.h"
#include "dist/Communicator.h"
#include "distill/Checkpoint.h"
#include "distill/DataPipeline.h"
#include "distill/Losses.h"
#include "distill/LrSchedule.h"
#include "experiments/Database.h"
#include "experiments/RunLog.h"
#include "jobs/JobLog.h"
#include "jobs/TrainParts.h"
#include "students/MappingHead.h"
#include "students/StateDict.h"
#include "students/StudentRegistry.h"
#include "students/SyncBatchNorm.h"
#include "util/AtomicFile.h"
#include "util/Device.h"
#include "util/Error.h"
#include "util/ErrorText.h"
#include "util/Hash.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "util/Threads.h"
#include "workspace/Workspace.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

namespace fs = std::filesystem;

namespace ssondo {

namespace {

using Clock = std::chrono::steady_clock;

} // namespace

TrainValSplit splitTrainVal(const std::vector<std::int64_t>& pool, std::int64_t seed, double valFraction)
{
    std::vector<std::int64_t> shuffled = pool;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(mixSeed(std::uint64_t(seed), 0x5eed)));
    const std::size_t nVal =
        valFraction > 0
            ? std::max<std::size_t>(1, std::size_t(std::llround(valFraction * double(pool.size()))))
            : 0;
    TrainValSplit out;
    out.val.assign(shuffled.begin(), shuffled.begin() + long(nVal));
    out.train.assign(shuffled.begin() + long(nVal), shuffled.end());
    std::sort(out.val.begin(), out.val.end());
    std::sort(out.train.begin(), out.train.end());
    return out;
}

TrainResult TrainJob::run(Workspace& ws, TrainConfig cfg, const std::string& commandLine, ProgressSink& sink,
                          const StopToken& stop, std::int64_t resumeRunId, Communicator* comm)
{
    const auto wallStart = Clock::now();
    cfg.validate();
    // Data parallel: every rank reads the workspace, only rank 0 ("lead") writes it.
    const int rank = comm ? comm->rank() : 0, world = comm ? comm->worldSize() : 1;
    const bool lead = rank == 0;
    if (cfg.batchSize % world != 0)
        throw InputError("train.batch_size " + std::to_string(cfg.batchSize) + " is not a multiple of the " +
                         std::to_string(world) + " processes; each rank takes an equal share of a batch");
    Database& db = ws.database();
    RunLog runs(db);
    if (resumeRunId > 0) {
        const RunRecord r = runs.get(resumeRunId);
        if (r.status == "done")
            throw InputError("run " + std::to_string(r.id) + " is finished; nothing to resume");
        cfg = TrainConfig::fromToml(r.configToml, "run " + std::to_string(r.id) + " config");
    }

    // --- teacher embeddings and clips
    EmbeddingCatalog embeddings(db);
    EmbeddingSetRecord es;
    if (cfg.embeddings > 0) {
        es = embeddings.getUsable(cfg.embeddings, "train on");
    } else {
        auto latest = embeddings.latestFor(cfg.dataset);
        if (!latest)
            throw InputError("no teacher embeddings for dataset '" + cfg.dataset +
                             "'; run `ssondo extract --dataset " + cfg.dataset + "` first");
        es = *latest;
    }
    cfg.embeddings = es.id;
    cfg.dataset = es.datasetName;
    auto store = EmbeddingStore::open((fs::path(ws.dir()) / es.path).string());
    DatasetCatalog datasets(db);
    const DatasetRecord ds = datasets.get(es.datasetName);
    if (ds.version != es.datasetVersion)
        throw InputError("dataset '" + ds.name + "' changed since embedding set " + std::to_string(es.id) +
                         " was extracted; run `ssondo extract --dataset " + ds.name + "` again");
    const auto clips = datasets.clips(ds.id);
    std::vector<std::string> paths;
    for (const auto& c : clips)
        paths.push_back((fs::path(ds.root) / c.path).string());
    std::vector<std::int64_t> pool = store->rowsIn(EmbeddingStore::RowState::Done);
    if (pool.size() < 4)
        throw InputError("embedding set " + std::to_string(es.id) + " has only " +
                         std::to_string(pool.size()) + " embedded clips; at least 4 are needed to train");

    // --- deterministic train / validation split
    auto [train, val] = splitTrainVal(pool, cfg.seed, cfg.valFraction);
    // Cluster of every store row, for the balanced sampler and the cluster-aware loss.
    std::vector<std::int64_t> clusterOf;
    if (cfg.sampler == "balanced" || cfg.loss == "cluster_contrastive") {
        ClusteringCatalog clusterings(db);
        const ClusteringRecord cr = clusterings.get(cfg.clustering);
        if (cr.embeddingSetId != es.id)
            throw InputError("clustering " + std::to_string(cr.id) + " was made on embedding set " +
                             std::to_string(cr.embeddingSetId) + ", not on set " + std::to_string(es.id));
        clusterOf = clusterings.assignments(cr.id, store->rows());
        for (auto r : train)
            if (clusterOf[size_t(r)] < 0)
                throw InputError("clustering " + std::to_string(cr.id) + " has no cluster for clip row " +
                                 std::to_string(r) + "; cluster the embedding set again");
    }
    std::vector<std::int64_t> trainClusters;
    for (auto r : train)
        trainClusters.push_back(clusterOf.empty() ? 0 : clusterOf[size_t(r)]);
    const Sampler sampler = cfg.sampler == "balanced"
                                ? Sampler::balanced(train, trainClusters, std::uint64_t(cfg.seed))
                                : Sampler::uniform(train, std::uint64_t(cfg.seed));
    auto clustersOf = [&](const std::vector<std::int64_t>& items, const torch::Device& dev) {
        if (clusterOf.empty())
            return at::Tensor();
        std::vector<std::int64_t> c;
        for (auto r : items)
            c.push_back(clusterOf[size_t(r)]);
        return torch::tensor(c, torch::TensorOptions().dtype(torch::kLong)).to(dev);
    };

    // --- the run record
    const std::string hash = cfg.hash();
    RunRecord run;
    bool existing = false;
    if (comm)
        comm->barrier(); // every rank has read what it needs before rank 0 writes
    if (!lead) {
        // Rank 0 chose or created the run; the others take its id and name.
        const std::string idName = comm->broadcastString("", "run");
        run.id = std::stoll(idName.substr(0, idName.find('\n')));
        run.name = idName.substr(idName.find('\n') + 1);
    } else if (resumeRunId > 0) {
        run = runs.get(resumeRunId);
        existing = true;
    } else if (auto r = runs.resumable(hash)) {
        run = *r;
        existing = true;
    } else {
        run.name = cfg.name.empty() ? cfg.arch + "-" + cfg.loss + "-" + cfg.sampler : cfg.name;
        run.embeddingSetId = es.id;
        run.teacher = es.teacherDescription;
        run.clusteringId = cfg.clustering;
        run.student = cfg.arch + (cfg.width != 1.0 ? " x" + std::to_string(cfg.width).substr(0, 4) : "");
        run.sampler = cfg.sampler;
        run.loss = cfg.loss;
        run.seed = cfg.seed;
        run.configToml = cfg.toToml();
        run.configHash = hash;
        for (const auto& t : cfg.tags)
            run.tags += (run.tags.empty() ? "" : ",") + t;
        run.id = runs.create(run);
        if (cfg.name.empty()) {
            run.name += "-" + std::to_string(run.id);
        }
    }
    if (lead && comm)
        comm->broadcastString(std::to_string(run.id) + "\n" + run.name, "run");
    const fs::path runDir = fs::path(ws.runsDir()) / std::to_string(run.id);
    if (lead) {
        fs::create_directories(runDir);
        writeFileAtomic((runDir / "config.toml").string(),
                        run.configToml.empty() ? cfg.toToml() : run.configToml);
    }
    run.dir = fs::relative(runDir, ws.dir()).string();

    // --- models and optimizer (seeded before construction: same seed, same initial weights)
    const std::string device = resolveDevice(cfg.device);
    torch::manual_seed(std::uint64_t(cfg.seed));
    auto student = StudentRegistry::instance().create(cfg.arch, StudentOptions{cfg.width, cfg.mChannels});
    if (!cfg.init.empty()) {
        // Start from a PyTorch state dict with the reference key names (EfficientAT's ImageNet
        // mn10/dymn10 files, an exported run...). Classifier keys are dropped as the reference does;
        // the prefixes of the reference's wrappers are stripped.
        std::map<std::string, at::Tensor> tensors;
        std::size_t dropped = 0;
        for (auto& [key, t] : readPyTorchStateDict(cfg.init)) {
            std::string k = key;
            for (const char* prefix : {"student_model.model.", "model.", "module."})
                if (k.rfind(prefix, 0) == 0) {
                    k = k.substr(std::string(prefix).size());
                    break;
                }
            if (k.rfind("classifier.", 0) == 0 || k.rfind("classification_head.", 0) == 0 ||
                k.rfind("student_model.classification_head.", 0) == 0) {
                ++dropped;
                continue;
            }
            tensors[k] = t;
        }
        const LoadReport r = loadStateDict(*student, tensors, false, cfg.init);
        sink.info("Initialised from " + cfg.init + ": " + std::to_string(r.loaded.size()) +
                  " tensors loaded, " + std::to_string(dropped) + " classifier tensors dropped, " +
                  std::to_string(r.missing.size()) + " missing, " + std::to_string(r.unexpected.size()) +
                  " unexpected, " + std::to_string(r.mismatched.size()) + " with another shape");
        for (const auto& k : r.missing)
            sink.warning("not in the init file; keeps its fresh initialisation", k);
        for (const auto& k : r.unexpected)
            sink.warning("in the init file but not in the model; ignored", k);
        for (const auto& k : r.mismatched)
            sink.warning("shape differs; keeps its fresh initialisation", k);
        if (r.loaded.empty())
            throw InputError(cfg.init + ": no tensor matches the " + cfg.arch +
                             " student (are these the reference key names?)");
    }
    MappingHead head(
        MappingHeadOptions(student->embeddingDim(), es.dim).hidden(cfg.headHidden).dropout(cfg.headDropout));
    student->to(torch::Device(device));
    head->to(torch::Device(device));
    std::vector<at::Tensor> params = student->parameters();
    for (auto& p : head->parameters())
        params.push_back(p);
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    if (cfg.optimizer == "sgd")
        optimizer = std::make_unique<torch::optim::SGD>(
            params, torch::optim::SGDOptions(cfg.lr).momentum(0.9).weight_decay(cfg.weightDecay));
    else if (cfg.optimizer == "adamw")
        optimizer = std::make_unique<torch::optim::AdamW>(
            params, torch::optim::AdamWOptions(cfg.lr).weight_decay(cfg.weightDecay));
    else
        optimizer = std::make_unique<torch::optim::Adam>(
            params, torch::optim::AdamOptions(cfg.lr).weight_decay(cfg.weightDecay));
    run.backboneParams = parameterCount(*student);
    run.headParams = parameterCount(*head);

    TrainState state;
    const std::string checkpoint = (runDir / "checkpoint.pt").string();
    TrainResult res;
    if (fs::exists(checkpoint)) {
        state = loadCheckpoint(checkpoint, *student, *head, *optimizer);
        res.resumed = true;
        sink.info("Resuming run " + std::to_string(run.id) + " at epoch " + std::to_string(state.epoch + 1) +
                  ", step " + std::to_string(state.globalStep));
    } else if (existing) {
        sink.info("Restarting run " + std::to_string(run.id) + " (it stopped before its first checkpoint)");
    }
    // Every rank starts from rank 0's state, weights and buffers, with synchronised batch norm.
    std::unique_ptr<BatchNormSyncScope> bnSync;
    if (world > 1) {
        bnSync = joinDataParallel(*comm, state, *student, *head, runDir.string());
        sink.info("Data parallel: " + std::to_string(world) + " processes (" + comm->backend() + "), " +
                  std::to_string(cfg.batchSize / world) +
                  " clips per rank and step, synchronised batch norm");
    }
    JobLog jobs(db);
    std::int64_t jobId = 0;
    if (lead) {
        runs.truncateMetrics(run.id, res.resumed ? state.globalStep : -1);
        runs.update(run);
        runs.setStatus(run.id, "running");
        jobId = jobs.start("train", run.name, commandLine);
    }

    // --- data
    const LogMelOptions frontEnd; // the S-SONDO student front end
    std::unique_ptr<EmbeddingStore> cache;
    const std::int64_t clipSamples = std::llround(cfg.clipSeconds * frontEnd.sample_rate());
    const std::int64_t frames = LogMelFrontEnd(frontEnd).numFrames(clipSamples);
    if (cfg.cache && lead) {
        EmbeddingStoreInfo ci;
        ci.teacherIdentity = "logmel-v1-" + std::to_string(frontEnd.sample_rate()) + "-" +
                             std::to_string(frontEnd.n_mels()) + "-" + std::to_string(frames);
        ci.teacherKind = "cache";
        ci.datasetName = ds.name;
        ci.datasetVersion = ds.version;
        ci.dim = frontEnd.n_mels() * frames;
        ci.dtype = "float16";
        for (const auto& c : clips)
            ci.clipPaths.push_back(c.path);
        cache = EmbeddingStore::openOrCreate(
            (fs::path(ws.dir()) / "cache" / (ds.name + "-" + ds.version + "__" + ci.teacherIdentity))
                .string(),
            ci);
    }
    const int workers =
        cfg.workers > 0 ? int(cfg.workers) : std::max(1, logicalCores() - 1);
    DataPipeline::Source source{paths, store.get(), cache.get(), cfg.clipSeconds};
    source.roundToHalf = cfg.cache && !lead; // other ranks compute what rank 0 reads from the cache
    source.keepEmpty = world > 1;
    DataPipeline pipeline(source, frontEnd, workers, lead ? &sink : nullptr);

    // --- baseline: predict the mean training embedding for every validation clip
    const at::Tensor meanTrain = meanRows(*store, train);
    if (!val.empty()) {
        const at::Tensor valTargets = store->rowsAt(val);
        res.baselineValCosine =
            at::cosine_similarity(valTargets, meanTrain.unsqueeze(0).expand_as(valTargets), 1)
                .mean()
                .item<double>();
    }
    std::vector<MetricPoint> buffer;
    double trainSeconds = state.elapsedSeconds;
    auto wall = [&]() {
        return trainSeconds + std::chrono::duration<double>(Clock::now() - wallStart).count();
    };
    if (state.globalStep == 0 && !val.empty())
        buffer.push_back({0, 0, 0.0, "baseline_val_cosine", res.baselineValCosine});
    sink.info("Run " + std::to_string(run.id) + " '" + run.name + "': " + cfg.arch + " (" +
              std::to_string(run.backboneParams) + " backbone + " + std::to_string(run.headParams) +
              " head parameters) on " + device + ", " + std::to_string(train.size()) + " training / " +
              std::to_string(val.size()) + " validation clips, baseline val cosine " +
              std::to_string(res.baselineValCosine));

    const LossKind lossKind = lossFromName(cfg.loss);
    const std::int64_t perEpoch = cfg.samplesPerEpoch > 0 ? cfg.samplesPerEpoch : std::int64_t(train.size());
    const std::int64_t stepsPerEpoch = (perEpoch + cfg.batchSize - 1) / cfg.batchSize;
    const std::int64_t totalSteps = stepsPerEpoch * cfg.epochs;
    auto lastFlush = Clock::now();
    const auto processStart = Clock::now();
    const std::int64_t firstStep = state.globalStep;
    std::int64_t clipsThisProcess = 0;
    double stepSeconds = 0, waitSeconds = 0;
    auto flush = [&](bool force) {
        if (!lead || (!force && Clock::now() - lastFlush < std::chrono::seconds(2)))
            return;
        runs.addMetrics(run.id, buffer);
        buffer.clear();
        // Steps per second of wall time (validation included), in the unit of done/total, so that
        // the jobs dock's ETA is right.
        const double secs = std::chrono::duration<double>(Clock::now() - processStart).count();
        jobs.progress(jobId, state.globalStep, totalSteps,
                      secs > 0 ? double(state.globalStep - firstStep) / secs : 0.0);
        lastFlush = Clock::now();
    };
    auto emit = [&](const std::string& name, double value) {
        if (!lead)
            return;
        buffer.push_back({state.globalStep, state.epoch, wall(), name, value});
        sink.metric(name, value, state.globalStep, state.epoch);
    };
    auto save = [&]() {
        TrainState s = state;
        s.elapsedSeconds = wall();
        if (!lead)
            return;
        flush(true); // metrics first: a checkpoint never points past the logged curve
        saveCheckpoint(checkpoint, *student, *head, *optimizer, s);
    };

    // A stop request reaches every rank at the same step: the flag is summed with the loss.
    bool stopAll = false;
    auto stopping = [&]() { return world > 1 ? stopAll : stop.requested(); };
    const std::int64_t localBatch = cfg.batchSize / world;
    std::int64_t emptyBatches = 0;
    double commSeconds = 0, gradCommSeconds = 0;
    try {
        for (; state.epoch < cfg.epochs && !stopping();) {
            const double lr = cfg.lr * lrFactor(cfg, double(state.epoch));
            for (auto& group : optimizer->param_groups())
                group.options().set_lr(lr);
            if (state.stepInEpoch == 0)
                emit("lr", lr);
            const auto draws = sampler.epoch(state.epoch, stepsPerEpoch * cfg.batchSize);
            pipeline.start(shardBatches(chunk(draws, cfg.batchSize, state.stepInEpoch), rank, world));
            student->train();
            head->train();
            double lossSum = 0;
            std::int64_t lossCount = 0;
            while (!stopping()) {
                const auto tWait = Clock::now();
                auto batch = pipeline.next();
                if (!batch)
                    break;
                const auto tStep = Clock::now();
                waitSeconds += std::chrono::duration<double>(tStep - tWait).count();
                const double commBefore = comm ? comm->commSeconds() : 0.0; // batch-norm sums included
                // Everything random in a step is seeded by (seed, step): dropout, mixup, masks.
                const std::uint64_t stepSeed =
                    mixSeed(std::uint64_t(cfg.seed), std::uint64_t(state.globalStep));
                torch::manual_seed(stepSeed);
                std::mt19937_64 rng(stepSeed);
                const bool empty = batch->items.empty(); // only with several ranks: keep in step
                if (empty) {
                    ++emptyBatches;
                    batch->mel = torch::zeros({1, 1, frontEnd.n_mels(), frames});
                    batch->target = torch::zeros({1, store->dim()});
                }
                at::Tensor mel = batch->mel.to(torch::Device(device));
                at::Tensor target = batch->target.to(torch::Device(device));
                if (cfg.specAugment)
                    specAugment(mel, cfg.freqMask, cfg.timeMask, stepSeed, rank * localBatch);
                if (cfg.mixup > 0 && mel.size(0) > 1) {
                    std::gamma_distribution<double> g(cfg.mixup, 1.0);
                    const double x = g(rng), y = g(rng);
                    const double lam = x / std::max(1e-12, x + y);
                    const at::Tensor perm = torch::randperm(
                        mel.size(0), torch::TensorOptions().dtype(torch::kLong).device(mel.device()));
                    mel = lam * mel + (1 - lam) * mel.index_select(0, perm);
                    target = lam * target + (1 - lam) * target.index_select(0, perm);
                }
                const at::Tensor pred = head->forward(student->forward(mel));
                at::Tensor loss = distillationLoss(lossKind, pred, target, cfg.temperature,
                                                   clustersOf(batch->items, torch::Device(device)));
                if (empty)
                    loss = loss * 0.0;
                optimizer->zero_grad();
                loss.backward();
                double l = loss.item<double>();
                if (world > 1) {
                    const auto tComm = Clock::now();
                    // Gradients averaged over ranks (bucketed all-reduce); the logged loss is the
                    // mean over the global batch; any rank's stop request stops all.
                    comm->averageGradients(params);
                    const double b = empty ? 0.0 : double(mel.size(0));
                    std::vector<at::Tensor> sums{
                        torch::tensor({l * b, b, stop.requested() ? 1.0 : 0.0}, torch::kDouble)};
                    comm->allReduceSum(sums);
                    const at::Tensor t = sums[0];
                    l = t[0].item<double>() / std::max(1.0, t[1].item<double>());
                    stopAll = t[2].item<double>() > 0;
                    gradCommSeconds += std::chrono::duration<double>(Clock::now() - tComm).count();
                    commSeconds += comm->commSeconds() - commBefore;
                }
                if (cfg.gradClip > 0)
                    torch::nn::utils::clip_grad_norm_(params, cfg.gradClip);
                optimizer->step();
                if (!std::isfinite(l))
                    throw Error("the training loss became " + std::to_string(l) + " at step " +
                                std::to_string(state.globalStep) +
                                "; lower optim.lr or check the teacher embeddings");
                lossSum += l;
                ++lossCount;
                ++state.globalStep;
                ++state.stepInEpoch;
                clipsThisProcess += empty ? 0 : mel.size(0);
                stepSeconds += std::chrono::duration<double>(Clock::now() - tStep).count() +
                               std::chrono::duration<double>(tStep - tWait).count();
                if (state.globalStep % cfg.logEvery == 0) {
                    emit("train_loss", lossSum / double(lossCount));
                    lossSum = 0;
                    lossCount = 0;
                }
                if (lead)
                    sink.progress("train", state.globalStep, totalSteps);
                if (state.globalStep % cfg.checkpointEvery == 0)
                    save();
                flush(false);
            }
            pipeline.stop();
            if (stopping())
                break;
            if (lossCount > 0)
                emit("train_loss", lossSum / double(lossCount));

            // --- validation
            if (!val.empty()) {
                if (cfg.preciseBn > 0) {
                    // Whole batches only, so that every rank has a share of each.
                    const std::int64_t count =
                        (cfg.preciseBn + cfg.batchSize - 1) / cfg.batchSize * cfg.batchSize;
                    auto sample = sampler.epoch(1000003 + state.epoch, count);
                    recomputeBatchNorm(*student, pipeline,
                                       shardBatches(chunk(sample, cfg.batchSize), rank, world), device);
                }
                student->eval();
                head->eval();
                torch::NoGradGuard ng;
                double lossTotal = 0, cosTotal = 0;
                std::int64_t n = 0;
                // Per teacher cluster (when the run has a clustering): mean 1 − cos, the cosine loss.
                std::map<std::int64_t, std::pair<double, std::int64_t>> perCluster;
                pipeline.start(shardBatches(chunk(val, cfg.batchSize), rank, world));
                while (auto batch = pipeline.next()) {
                    if (batch->items.empty())
                        continue;
                    const at::Tensor pred =
                        head->forward(student->forward(batch->mel.to(torch::Device(device))));
                    const at::Tensor target = batch->target.to(torch::Device(device));
                    const std::int64_t b = pred.size(0);
                    lossTotal += distillationLoss(lossKind, pred, target, cfg.temperature,
                                                  clustersOf(batch->items, torch::Device(device)))
                                     .item<double>() *
                                 double(b);
                    const at::Tensor cos =
                        at::cosine_similarity(pred, target, 1).cpu().to(at::kDouble).contiguous();
                    cosTotal += cos.sum().item<double>();
                    if (!clusterOf.empty()) {
                        const double* c = cos.data_ptr<double>();
                        for (std::size_t i = 0; i < batch->items.size(); ++i) {
                            auto& acc = perCluster[clusterOf[size_t(batch->items[i])]];
                            acc.first += 1.0 - c[i];
                            ++acc.second;
                        }
                    }
                    n += b;
                }
                pipeline.stop();
                if (world > 1)
                    sumValidation(
                        *comm, lossTotal, cosTotal, n, perCluster,
                        clusterOf.empty() ? 0 : *std::max_element(clusterOf.begin(), clusterOf.end()) + 1);
                res.lastValLoss = lossTotal / double(std::max<std::int64_t>(1, n));
                res.lastValCosine = cosTotal / double(std::max<std::int64_t>(1, n));
                state.bestValCosine = std::max(state.bestValCosine, res.lastValCosine);
                emit("val_loss", res.lastValLoss);
                emit("val_cosine", res.lastValCosine);
                for (const auto& [cluster, acc] : perCluster)
                    emit("val_loss_cluster/" + std::to_string(cluster),
                         acc.first / double(std::max<std::int64_t>(1, acc.second)));
            }
            ++state.epoch;
            state.stepInEpoch = 0;
            save();
        }
        if (stopping())
            save();
    } catch (const std::exception& e) {
        pipeline.stop();
        if (lead) {
            try {
                flush(true);
            } catch (...) {
            }
            runs.setStatus(run.id, "failed", errorText(e));
            jobs.finish(jobId, "failed", errorText(e));
        }
        throw;
    }
    flush(true);
    res.runId = run.id;
    res.runName = run.name;
    res.runDir = run.dir;
    res.stopped = state.epoch < cfg.epochs;
    res.epochsDone = state.epoch;
    res.steps = state.globalStep;
    res.bestValCosine = state.bestValCosine;
    res.trainClips = std::int64_t(train.size());
    res.valClips = std::int64_t(val.size());
    res.seconds = std::chrono::duration<double>(Clock::now() - wallStart).count();
    // Every rank trains at the pace of the slowest: the job's throughput is world × this rank's.
    res.clipsPerSecond = stepSeconds > 0 ? double(clipsThisProcess) * world / stepSeconds : 0;
    res.worldSize = world;
    res.commShare = stepSeconds > 0 ? commSeconds / stepSeconds : 0;
    res.gradCommShare = stepSeconds > 0 ? gradCommSeconds / stepSeconds : 0;
    if (emptyBatches > 0)
        sink.warning("rank " + std::to_string(rank) + ": " + std::to_string(emptyBatches) +
                         " batch shares had no decodable clip and were trained on silence with weight 0",
                     runDir.string());
    res.dataWaitShare = stepSeconds > 0 ? waitSeconds / stepSeconds : 0;
    res.backboneParams = run.backboneParams;
    res.headParams = run.headParams;
    if (!lead)
        return res;
    const std::string summary = "epoch " + std::to_string(state.epoch) + "/" + std::to_string(cfg.epochs) +
                                ", val cosine " + std::to_string(res.lastValCosine) + " (baseline " +
                                std::to_string(res.baselineValCosine) + ")" +
                                (world > 1 ? ", " + std::to_string(world) + " processes" : "");
    // The checkpoint as an artifact, with its checksum (once per process, not at every save).
    if (fs::exists(checkpoint)) {
        ArtifactRecord art;
        art.runId = run.id;
        art.kind = "checkpoint";
        art.path = (fs::path(run.dir) / "checkpoint.pt").string();
        art.sha256 = sha256File(checkpoint);
        art.bytes = std::int64_t(fs::file_size(checkpoint));
        runs.addArtifact(art);
    }
    runs.setStatus(run.id, res.stopped ? "stopped" : "done", summary);
    jobs.finish(jobId, res.stopped ? "stopped" : "done", summary);
    return res;
}

} // namespace ssondo
