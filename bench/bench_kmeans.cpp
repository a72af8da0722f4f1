// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark: FAISS k-means (this workbench) against scikit-learn's MiniBatchKMeans with the
// reference implementation's settings (k = 50, seed 42, k-means++, n_init 10, batch 10000,
// max_iter 100, max_no_improvement 100; bench/kmeans_sklearn.py) on the same 100,000 × 768 matrix, in one
// run: time ratio and inertia ratio (both measured as the sum of squared distances to the assigned centroid
// over all rows). Target: >= 10x faster, inertia within 1 %.
//   bench_kmeans [rows=100000] [dim=768] [k=50]

#include "clustering/KMeans.h"
#include "data/EmbeddingStore.h"
#include "data/NpyFile.h"

#include <ATen/ATen.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

using namespace ssondo;

int main(int argc, char** argv)
{
    const std::int64_t rows = argc > 1 ? std::atoll(argv[1]) : 100000;
    const std::int64_t dim = argc > 2 ? std::atoll(argv[2]) : 768;
    const std::int64_t k = argc > 3 ? std::atoll(argv[3]) : 50;
    const auto dir = std::filesystem::temp_directory_path() / "ssondo_bench_kmeans";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    // Structured data: 200 Gaussian clusters of random sizes in 768-d (so k = 50 must merge them).
    at::manual_seed(0);
    const at::Tensor centres = at::randn({200, dim}) * 3;
    const at::Tensor which = at::randint(0, 200, {rows}, at::kLong);
    const at::Tensor x = (centres.index_select(0, which) + at::randn({rows, dim})).contiguous();
    NpyFile::write((dir / "x.npy").string(), {rows, dim}, x.data_ptr<float>());
    EmbeddingStoreInfo info;
    info.teacherIdentity = "bench";
    info.datasetName = "bench";
    info.datasetVersion = "1";
    info.dim = dim;
    for (std::int64_t i = 0; i < rows; ++i)
        info.clipPaths.push_back(std::to_string(i));
    auto store = EmbeddingStore::openOrCreate((dir / "store").string(), info);
    for (std::int64_t i = 0; i < rows; ++i)
        store->write(i, x[i].data_ptr<float>());

    KMeansOptions o;
    o.k = k;
    // Defaults: k-means++ seeding, one Lloyd run of 25 iterations on 256 rows per centroid.
    const auto t0 = std::chrono::steady_clock::now();
    const KMeansResult r = runKMeans(*store, store->rowsIn(EmbeddingStore::RowState::Done), o);
    const double faissSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const std::string cmd = "/usr/bin/python3 " SSONDO_BENCH_DIR "/kmeans_sklearn.py " +
                            (dir / "x.npy").string() + " " + std::to_string(k);
    FILE* p = popen(cmd.c_str(), "r");
    char buf[512] = {0};
    std::string out;
    while (p && fgets(buf, sizeof buf, p))
        out += buf;
    if (p)
        pclose(p);
    const auto ks = out.find("\"seconds\": "), ki = out.find("\"inertia\": ");
    const double skSeconds = ks == std::string::npos ? 0 : std::stod(out.substr(ks + 11));
    const double skInertia = ki == std::string::npos ? 0 : std::stod(out.substr(ki + 11));
    std::printf(
        "k-means, %lld x %lld, k = %lld: FAISS (k-means++ seeds, trained on %lld rows, all assigned) %.2f s, "
        "inertia %.6g; scikit-learn MiniBatchKMeans (reference settings) %.2f s, inertia %.6g\n",
        (long long)rows, (long long)dim, (long long)k, (long long)r.trainRows, faissSeconds, r.inertia,
        skSeconds, skInertia);
    std::printf("  time ratio (sklearn / FAISS) %.1fx; inertia ratio (FAISS / sklearn) %.4f\n",
                faissSeconds > 0 ? skSeconds / faissSeconds : 0, skInertia > 0 ? r.inertia / skInertia : 0);
    std::filesystem::remove_all(dir);
    return 0;
}
