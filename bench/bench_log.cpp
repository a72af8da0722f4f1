// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark: logging 100,000 metric points into the workspace database (batched in transactions,
// as a training job does) and reading them back while another connection writes. Target < 1 s.

#include "experiments/Database.h"
#include "experiments/RunLog.h"
#include "workspace/Workspace.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

using namespace ssondo;
using Clock = std::chrono::steady_clock;

int main()
{
    const auto dir = std::filesystem::temp_directory_path() / "ssondo_bench_log";
    std::filesystem::remove_all(dir);
    auto ws = Workspace::create(dir.string());
    RunLog log(ws->database());
    RunRecord r;
    r.name = "bench";
    r.student = "mn10";
    r.sampler = "uniform";
    r.loss = "cosine";
    r.configToml = "";
    const auto id = log.create(r);
    std::vector<MetricPoint> batch;
    const auto t0 = Clock::now();
    for (int i = 0; i < 100000; ++i) {
        batch.push_back({i, i / 1000, i * 0.01, "train_loss", 1.0 / (1 + i)});
        if (batch.size() == 1000) { // a training job flushes every ~2 s; 1,000 points is generous
            log.addMetrics(id, batch);
            batch.clear();
        }
    }
    const double write = std::chrono::duration<double>(Clock::now() - t0).count();
    auto reader = Workspace::open(dir.string(), true);
    const auto t1 = Clock::now();
    const auto points = RunLog(reader->database()).metrics(id, "train_loss");
    const double read = std::chrono::duration<double>(Clock::now() - t1).count();
    std::printf("metric log: 100,000 points written in %.3f s (%.0f points/s; target < 1 s), read back %zu "
                "in %.3f s\n",
                write, 100000 / write, points.size(), read);
    std::filesystem::remove_all(dir);
    return write < 1.0 ? 0 : 1;
}
