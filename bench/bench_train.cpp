// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark: distillation training throughput of MobileNetV3 (mn10) with the real data pipeline,
// against (1) the same loop on batches already in memory and (2) the same model and loop in Python
// (Debian's python3-torch 1.13, torchvision mobilenet_v3_large with a 1-channel stem), same batch,
// same threads, in the same run. Also extraction throughput with the demo teacher and the cost of
// a second, cached extraction.
//   bench_train [batch=32] [steps=6] [clips_per_class=4]

#include "data/DatasetCatalog.h"
#include "data/DatasetScanner.h"
#include "data/DemoDataset.h"
#include "data/EmbeddingCatalog.h"
#include "data/EmbeddingStore.h"
#include "distill/DataPipeline.h"
#include "distill/Losses.h"
#include "jobs/ExtractJob.h"
#include "students/MappingHead.h"
#include "students/MobileNetV3.h"
#include "students/StudentForms.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "workspace/Workspace.h"

#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;
using namespace ssondo;
using Clock = std::chrono::steady_clock;

static double pythonClipsPerSecond(int threads, int batch, int steps)
{
    const std::string cmd = "/usr/bin/python3 " SSONDO_BENCH_DIR "/train_torch.py " +
                            std::to_string(threads) + " " + std::to_string(batch) + " " +
                            std::to_string(steps);
    FILE* p = popen(cmd.c_str(), "r");
    char buf[512] = {0};
    std::string out;
    while (p && fgets(buf, sizeof buf, p))
        out += buf;
    if (p)
        pclose(p);
    const auto k = out.find("\"clips_per_s\": ");
    return k == std::string::npos ? 0.0 : std::stod(out.substr(k + 15));
}

int main(int argc, char** argv)
{
    const int batch = argc > 1 ? std::atoi(argv[1]) : 32;
    const int steps = argc > 2 ? std::atoi(argv[2]) : 6;
    const int perClass = argc > 3 ? std::atoi(argv[3]) : 4;
    const int threads = 2;
    at::set_num_threads(threads);

    const fs::path root = fs::temp_directory_path() / "ssondo_bench_train";
    fs::remove_all(root);
    auto ws = Workspace::create((root / "ws").string());
    DemoDatasetOptions o;
    o.clipsPerClass = perClass;
    o.minSeconds = 10;
    o.maxSeconds = 10;
    DemoDataset::generate((root / "data").string(), o);
    ScanOptions so;
    DatasetCatalog(ws->database()).save("bench", DatasetScanner::scan((root / "data").string(), so), so);

    // --- extraction
    ExtractConfig ec;
    ec.dataset = "bench";
    StopToken stop;
    const ExtractResult first = ExtractJob::run(*ws, ec, nullProgressSink(), stop);
    const ExtractResult second = ExtractJob::run(*ws, ec, nullProgressSink(), stop);
    std::printf("extraction (demo teacher, %lld clips of 10 s): %.1f clips/s (%.2f s); second, cached run: "
                "%.3f s, %lld teacher forwards\n",
                (long long)first.rows, first.computedNow / first.seconds, first.seconds, second.seconds,
                (long long)second.forwards);

    // --- training step: pipeline (cold: decoding; warm: log-mel cache) vs in-memory vs Python
    const auto set = EmbeddingCatalog(ws->database()).list().front();
    auto store = EmbeddingStore::open((fs::path(ws->dir()) / set.path).string());
    const auto ds = DatasetCatalog(ws->database()).get("bench");
    std::vector<std::string> paths;
    for (const auto& c : DatasetCatalog(ws->database()).clips(ds.id))
        paths.push_back((fs::path(ds.root) / c.path).string());
    EmbeddingStoreInfo ci;
    ci.teacherIdentity = "logmel";
    ci.datasetName = "bench";
    ci.datasetVersion = ds.version;
    ci.dim = 128 * 624;
    ci.dtype = "float16";
    for (const auto& c : DatasetCatalog(ws->database()).clips(ds.id))
        ci.clipPaths.push_back(c.path);
    auto cache = EmbeddingStore::openOrCreate((root / "cache").string(), ci);

    torch::manual_seed(0);
    MobileNetV3 student;
    MappingHead head(MappingHeadOptions(960, 3840));
    std::vector<at::Tensor> params = student->parameters();
    for (auto& p : head->parameters())
        params.push_back(p);
    torch::optim::Adam opt(params, torch::optim::AdamOptions(8e-4));
    student->train();
    head->train();
    const bool channelsLast = trainsChannelsLast("cpu"); // as the Trainer
    if (channelsLast)
        toChannelsLast(*student);
    auto step = [&](const at::Tensor& mel, const at::Tensor& target) {
        opt.zero_grad();
        at::Tensor loss = cosineLoss(head->forward(student->forward(mel)), target);
        loss.backward();
        torch::nn::utils::clip_grad_norm_(params, 5.0);
        opt.step();
    };
    auto batches = [&](int n) {
        std::vector<std::vector<std::int64_t>> b;
        for (int s = 0; s < n; ++s) {
            std::vector<std::int64_t> items;
            for (int i = 0; i < batch; ++i)
                items.push_back((s * batch + i) % std::int64_t(paths.size()));
            b.push_back(items);
        }
        return b;
    };
    auto timedPipeline = [&](int workers) {
        DataPipeline pipe({paths, store.get(), cache.get(), 10.0}, LogMelOptions(), workers);
        pipe.start(batches(steps + 1));
        auto b = pipe.next();
        step(b->mel, b->target); // warm-up
        const auto t0 = Clock::now();
        while ((b = pipe.next()))
            step(b->mel, b->target);
        return std::make_pair(std::chrono::duration<double>(Clock::now() - t0).count() / steps,
                              pipe.waitSeconds());
    };
    const auto cold = timedPipeline(1); // the cache fills during this pass (first epoch)
    const auto warm = timedPipeline(1);
    // In memory: one prepared batch, reused.
    DataPipeline pipe({paths, store.get(), cache.get(), 10.0}, LogMelOptions(), 1);
    pipe.start(batches(1));
    const auto b = pipe.next();
    step(b->mel, b->target);
    auto t0 = Clock::now();
    for (int s = 0; s < steps; ++s)
        step(b->mel, b->target);
    const double memStep = std::chrono::duration<double>(Clock::now() - t0).count() / steps;
    // The layout's share: the same in-memory steps with the student's weights contiguous (NCHW).
    auto contiguous = [&](at::Tensor& t) { t.set_data(t.contiguous()); };
    {
        torch::NoGradGuard ng;
        for (auto& p : student->parameters())
            contiguous(p);
        for (auto& b : student->buffers())
            contiguous(b);
    }
    opt.state().clear(); // Adam's moments again in the parameters' layout
    step(b->mel, b->target);
    t0 = Clock::now();
    for (int s = 0; s < steps; ++s)
        step(b->mel, b->target);
    const double nchwStep = std::chrono::duration<double>(Clock::now() - t0).count() / steps;
    const double py = pythonClipsPerSecond(threads, batch, steps);
    std::printf("training mn10 + head, batch %d, %d intra-op threads, %d steps:\n", batch, threads, steps);
    std::printf("  in memory            : %.2f s/step, %.1f clips/s (%s)\n", memStep, batch / memStep,
                channelsLast ? "channels-last, as the Trainer" : "NCHW");
    std::printf("  in memory, NCHW      : %.2f s/step, %.1f clips/s (channels-last / NCHW: %.2fx)\n", nchwStep,
                batch / nchwStep, nchwStep / memStep);
    std::printf(
        "  pipeline, first epoch: %.2f s/step, %.1f clips/s (decoding on 1 worker), %.2f x in-memory step\n",
        cold.first, batch / cold.first, cold.first / memStep);
    std::printf("  pipeline, cached     : %.2f s/step, %.1f clips/s, %.2f x in-memory step\n", warm.first,
                batch / warm.first, warm.first / memStep);
    std::printf(
        "  python3-torch 1.13   : %.1f clips/s (torchvision mobilenet_v3_large, 1-channel stem, in memory)\n",
        py);
    std::printf("  ratio ssondo (cached pipeline) / python: %.2fx; ssondo (first epoch) / python: %.2fx\n",
                py > 0 ? (batch / warm.first) / py : 0, py > 0 ? (batch / cold.first) / py : 0);
    fs::remove_all(root);
    return 0;
}
