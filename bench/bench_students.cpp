// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark: the size/speed table of the three students — backbone parameters, training
// throughput (clips/s, forward + backward + Adam step with the mapping head, batch 16, in memory)
// and CPU inference latency per 10 s clip (batch 1, median of repeated runs), same threads.
//   bench_students [threads=2] [train_steps=3] [latency_runs=7]

#include "distill/Losses.h"
#include "students/MappingHead.h"
#include "students/StudentRegistry.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

using namespace ssondo;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv)
{
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    const int steps = argc > 2 ? std::atoi(argv[2]) : 3;
    const int runs = argc > 3 ? std::atoi(argv[3]) : 7;
    at::set_num_threads(threads);
    torch::manual_seed(0);
    std::printf("students, %d threads; input [B, 1, 128, 624] (10 s at 32 kHz)\n", threads);
    std::printf("%-10s %12s %12s %16s %18s\n", "student", "parameters", "embedding", "train clips/s",
                "latency ms/clip");
    for (const auto& info : StudentRegistry::instance().list()) {
        auto s = StudentRegistry::instance().create(info.name);
        MappingHead head(MappingHeadOptions(s->embeddingDim(), 3840));
        std::vector<at::Tensor> params = s->parameters();
        for (auto& p : head->parameters())
            params.push_back(p);
        torch::optim::Adam opt(params, torch::optim::AdamOptions(8e-4));
        const int batch = 16;
        const at::Tensor x = torch::randn({batch, 1, 128, 624}), t = torch::randn({batch, 3840});
        s->train();
        head->train();
        auto step = [&]() {
            opt.zero_grad();
            at::Tensor l = cosineLoss(head->forward(s->forward(x)), t);
            l.backward();
            torch::nn::utils::clip_grad_norm_(params, 5.0);
            opt.step();
        };
        step();
        auto t0 = Clock::now();
        for (int i = 0; i < steps; ++i)
            step();
        const double trainRate = batch * steps / std::chrono::duration<double>(Clock::now() - t0).count();

        s->eval();
        torch::NoGradGuard ng;
        const at::Tensor one = torch::randn({1, 1, 128, 624});
        s->forward(one);
        std::vector<double> ms;
        for (int i = 0; i < runs; ++i) {
            t0 = Clock::now();
            s->forward(one);
            ms.push_back(1e3 * std::chrono::duration<double>(Clock::now() - t0).count());
        }
        std::nth_element(ms.begin(), ms.begin() + long(ms.size() / 2), ms.end());
        std::printf("%-10s %12lld %12lld %16.1f %18.1f\n", info.name.c_str(), (long long)info.parameters,
                    (long long)info.embeddingDim, trainRate, ms[ms.size() / 2]);
    }
    return 0;
}
