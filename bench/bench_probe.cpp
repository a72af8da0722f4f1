// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark: the linear probe (5 folds, weight decay chosen on a validation fold from an 8-value
// grid, refit, plus the cosine kNN) on 2,000 × 960 embeddings in 50 classes (ESC-50's shape), against
// the same protocol with scikit-learn's LogisticRegression (bench/probe_sklearn.py) in the same run.
//   bench_probe [rows=2000] [dim=960] [classes=50]

#include "data/NpyFile.h"
#include "eval/LinearProbe.h"

#include <ATen/ATen.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

using namespace ssondo;

int main(int argc, char** argv)
{
    const std::int64_t rows = argc > 1 ? std::atoll(argv[1]) : 2000;
    const std::int64_t dim = argc > 2 ? std::atoll(argv[2]) : 960;
    const std::int64_t classes = argc > 3 ? std::atoll(argv[3]) : 50;
    const auto dir = std::filesystem::temp_directory_path() / "ssondo_bench_probe";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    // Class means on a low-dimensional subspace plus isotropic noise: a probe task that is neither
    // trivial nor hopeless (like frozen audio embeddings on ESC-50).
    at::manual_seed(0);
    const at::Tensor basis = at::randn({32, dim});
    const at::Tensor means = at::matmul(at::randn({classes, 32}), basis) * 0.025;
    ProbeData d;
    std::vector<float> y;
    std::vector<int> foldOf;
    std::vector<at::Tensor> xs;
    for (std::int64_t i = 0; i < rows; ++i) {
        const int c = int(i % classes);
        xs.push_back(means[c] + at::randn({dim}));
        d.labels.push_back({c});
        y.push_back(float(c));
        foldOf.push_back(int((i / classes) % 5));
    }
    d.features = at::stack(xs).contiguous();
    d.numClasses = classes;
    std::vector<float> f(foldOf.begin(), foldOf.end());
    NpyFile::write((dir / "x.npy").string(), {rows, dim}, d.features.data_ptr<float>());
    NpyFile::write((dir / "y.npy").string(), {rows}, y.data());
    NpyFile::write((dir / "f.npy").string(), {rows}, f.data());

    const FoldPlan plan = FoldPlan::fromFolds(foldOf, "bench folds");
    const auto t0 = std::chrono::steady_clock::now();
    const ProbeResult r = runLinearProbe(d, plan);
    const double ours = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const std::string cmd = "/usr/bin/python3 " SSONDO_BENCH_DIR "/probe_sklearn.py " +
                            (dir / "x.npy").string() + " " + (dir / "y.npy").string() + " " +
                            (dir / "f.npy").string();
    FILE* p = popen(cmd.c_str(), "r");
    char buf[512] = {0};
    std::string out;
    while (p && fgets(buf, sizeof buf, p))
        out += buf;
    if (p)
        pclose(p);
    const auto ks = out.find("\"seconds\": "), ka = out.find("\"accuracy\": ");
    const double skSeconds = ks == std::string::npos ? 0 : std::stod(out.substr(ks + 11));
    const double skAcc = ka == std::string::npos ? 0 : std::stod(out.substr(ka + 12));
    std::printf(
        "linear probe, %lld x %lld, %lld classes, 5 folds, 8 weight decays: %.2f s, accuracy %.4f ± %.4f "
        "(kNN %.4f); scikit-learn LogisticRegression, same protocol: %.2f s, accuracy %.4f\n",
        (long long)rows, (long long)dim, (long long)classes, ours, r.mean, r.ci95, r.knnMean, skSeconds,
        skAcc);
    std::printf("  time ratio (sklearn / ours) %.2fx; accuracy difference %+.4f\n",
                ours > 0 ? skSeconds / ours : 0, r.mean - skAcc);
    std::filesystem::remove_all(dir);
    return 0;
}
