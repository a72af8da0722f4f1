// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark: the UMAP map of rows × 768 embeddings (50 Gaussian clusters of random sizes and
// spreads, centres `separation` apart in units of the within-cluster scale) against Debian's
// umap-learn 0.5.3 (bench/umap_learn.py: n_neighbors 15, min_dist 0.1, Euclidean, seeded, its
// numba code compiled before the clock starts) on the same matrix, in one run. Both maps are
// measured the same way: scikit-learn's trustworthiness (k = 10) against the matrix.
// Target (issue 17): trustworthiness within 0.02 of umap-learn's; time side by side.
//   bench_umap [rows=10000] [dim=768] [separation=1]

#include "clustering/MapQuality.h"
#include "clustering/UMAP.h"
#include "data/NpyFile.h"
#include "util/Threads.h"

#include <ATen/ATen.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

using namespace ssondo;

namespace {

std::string runPython(const std::string& cmd)
{
    FILE* p = popen(cmd.c_str(), "r");
    char buf[4096] = {0};
    std::string out;
    while (p && fgets(buf, sizeof buf, p))
        out += buf;
    if (!p || pclose(p) != 0)
        return {};
    return out;
}

double field(const std::string& json, const std::string& key)
{
    const auto k = json.find("\"" + key + "\": ");
    return k == std::string::npos ? std::nan("") : std::stod(json.substr(k + key.size() + 4));
}

double secondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char** argv)
{
    const std::int64_t rows = argc > 1 ? std::atoll(argv[1]) : 10000;
    const std::int64_t dim = argc > 2 ? std::atoll(argv[2]) : 768;
    const double separation = argc > 3 ? std::atof(argv[3]) : 1.0;
    pinIntraOpThreads(2);
    const auto dir = std::filesystem::temp_directory_path() / "ssondo_bench_umap";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    at::manual_seed(0);
    const at::Tensor centres = at::randn({50, dim}) * separation;
    const at::Tensor which = at::randint(0, 50, {rows}, at::kLong);
    const at::Tensor spread = at::rand({50}) + 0.5;
    const at::Tensor x =
        (centres.index_select(0, which) + at::randn({rows, dim}) * spread.index_select(0, which).unsqueeze(1))
            .contiguous();
    const std::string xPath = (dir / "x.npy").string(), ours = (dir / "ours.npy").string();
    NpyFile::write(xPath, {rows, dim}, x.data_ptr<float>());

    const auto t0 = std::chrono::steady_clock::now();
    const UmapResult r = umap2d(x);
    const double oursSeconds = secondsSince(t0);
    const at::Tensor coords = r.coords.contiguous();
    NpyFile::write(ours, {rows, 2}, coords.data_ptr<float>());
    const auto t1 = std::chrono::steady_clock::now();
    const double oursTrustCpp = trustworthiness(x, coords, 10);
    const double trustSeconds = secondsSince(t1);

    const std::string py =
        runPython("OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 " SSONDO_BENCH_DIR "/umap_learn.py " + xPath +
                  " --threads 2 --also " + ours);
    if (py.empty()) {
        std::fprintf(stderr,
                     "bench_umap: the umap-learn baseline failed (is Debian's umap-learn installed?)\n");
        return 1;
    }
    const double theirSeconds = field(py, "seconds");
    std::printf("%lld x %lld, separation %.2f: ours %.1f s (%s start, %lld components, %d epochs), "
                "umap-learn %.1f s (numba compilation %.1f s excluded)\n",
                (long long)rows, (long long)dim, separation, oursSeconds, r.initUsed.c_str(),
                (long long)r.components, r.epochsRun, theirSeconds, field(py, "warmup_seconds"));
    std::printf("trustworthiness (k = 10, scikit-learn): ours %.4f, umap-learn %.4f, difference %+.4f; "
                "ours by the workbench's own measure %.4f (%.1f s)\n",
                field(py, "trustworthiness_also"), field(py, "trustworthiness"),
                field(py, "trustworthiness_also") - field(py, "trustworthiness"), oursTrustCpp, trustSeconds);
    std::printf("bench_umap: ours %.1f s, baseline %.1f s, ratio %.2f\n", oursSeconds, theirSeconds,
                theirSeconds / oursSeconds);
    std::filesystem::remove_all(dir);
    return 0;
}
