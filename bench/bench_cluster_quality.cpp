// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark: the cluster quality measures of a large clustering (Davies–Bouldin, Calinski–Harabasz,
// silhouette on a sample, inertia) against scikit-learn's davies_bouldin_score and
// calinski_harabasz_score on the same matrix and assignment, in one run: time and the values
// (which must agree to rounding). Target (issue 15): k = 10,000 on 100,000 × 768 under 30 s.
//   bench_cluster_quality [rows=100000] [dim=768] [k=10000]

#include "clustering/ClusterMetrics.h"
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
    const std::int64_t k = argc > 3 ? std::atoll(argv[3]) : 10000;
    const auto dir = std::filesystem::temp_directory_path() / "ssondo_bench_cluster_quality";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    at::manual_seed(0);
    const at::Tensor centres = at::randn({k, dim}) * 2;
    const at::Tensor which = at::randint(0, k, {rows}, at::kLong);
    const at::Tensor x = (centres.index_select(0, which) + at::randn({rows, dim})).contiguous();
    NpyFile::write((dir / "x.npy").string(), {rows, dim}, x.data_ptr<float>());
    const at::Tensor whichF = which.to(at::kFloat).contiguous();
    NpyFile::write((dir / "labels.npy").string(), {rows}, whichF.data_ptr<float>());
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
    const std::vector<std::int64_t> all = store->rowsIn(EmbeddingStore::RowState::Done);
    const std::vector<std::int64_t> assignment(which.data_ptr<std::int64_t>(),
                                               which.data_ptr<std::int64_t>() + rows);

    const auto t0 = std::chrono::steady_clock::now();
    const ClusterQuality q = clusterQuality(*store, all, assignment, k, false, {}, 2000, 42);
    const double ours = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const std::string cmd = "/usr/bin/python3 " SSONDO_BENCH_DIR "/metrics_sklearn.py " +
                            (dir / "x.npy").string() + " " + (dir / "labels.npy").string();
    FILE* p = popen(cmd.c_str(), "r");
    char buf[512] = {0};
    std::string out;
    while (p && fgets(buf, sizeof buf, p))
        out += buf;
    const int rc = p ? pclose(p) : -1;
    double db = 0, ch = 0, seconds = 0, dbSeconds = 0;
    if (rc != 0 || std::sscanf(out.c_str(),
                               "{\"davies_bouldin\": %lf, \"calinski_harabasz\": %lf, \"db_seconds\": %lf, "
                               "\"seconds\": %lf}",
                               &db, &ch, &dbSeconds, &seconds) != 4) {
        std::fprintf(stderr, "bench_cluster_quality: the scikit-learn baseline failed: %s\n", out.c_str());
        return 1;
    }
    std::printf(
        "%lld x %lld, k = %lld: ours %.1f s for all measures (Davies-Bouldin %.6f, Calinski-Harabasz %.3f, "
        "silhouette %.4f on %lld); scikit-learn %.1f s for Davies-Bouldin and Calinski-Harabasz "
        "(%.6f, %.3f)\n",
        (long long)rows, (long long)dim, (long long)k, ours, q.daviesBouldin, q.calinskiHarabasz,
        q.silhouette, (long long)q.silhouetteSample, seconds, db, ch);
    std::printf(
        "bench_cluster_quality: ours %.2f s, baseline %.2f s, ratio %.2f (values: Davies-Bouldin rel. diff "
        "%.1e, Calinski-Harabasz %.1e)\n",
        ours, seconds, seconds / ours, std::abs(q.daviesBouldin - db) / db,
        std::abs(q.calinskiHarabasz - ch) / ch);
    std::filesystem::remove_all(dir);
    return ours < 30 ? 0 : 1;
}
