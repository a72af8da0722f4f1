// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark: the t-SNE map of 20,000 × 768 embeddings (50 Gaussian clusters of random sizes and
// spreads) against scikit-learn's Barnes–Hut TSNE with the same settings (bench/tsne_sklearn.py:
// PCA to 50, perplexity 30, 1000 iterations, θ 0.5, early exaggeration 12 for 250, learning rate
// "auto", PCA initialisation, 2 threads), in one run. Both maps are then measured the same way
// (bench/tsne_quality.py): exact KL(P‖Q) against one P, and trustworthiness (k = 10).
// Target (issue 18): ≥ 2× faster at equal or lower KL, trustworthiness within 0.01.
//   bench_tsne [rows=20000] [dim=768]

#include "clustering/TSNE.h"
#include "data/NpyFile.h"
#include "util/Threads.h"

#include <ATen/ATen.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

using namespace ssondo;

static std::string runPython(const std::string& cmd)
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

static double field(const std::string& json, const std::string& key, int index = -1)
{
    auto k = json.find("\"" + key + "\": ");
    if (k == std::string::npos)
        return std::nan("");
    k += key.size() + 4;
    if (index >= 0) {
        k = json.find('[', k) + 1;
        for (int i = 0; i < index; ++i)
            k = json.find(',', k) + 1;
    }
    return std::stod(json.substr(k));
}

int main(int argc, char** argv)
{
    const std::int64_t rows = argc > 1 ? std::atoll(argv[1]) : 20000;
    const std::int64_t dim = argc > 2 ? std::atoll(argv[2]) : 768;
    pinIntraOpThreads(2);
    const auto dir = std::filesystem::temp_directory_path() / "ssondo_bench_tsne";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    at::manual_seed(0);
    const at::Tensor centres = at::randn({50, dim}) * 4;
    const at::Tensor which = at::randint(0, 50, {rows}, at::kLong);
    const at::Tensor spread = at::rand({50}) + 0.5;
    const at::Tensor x =
        (centres.index_select(0, which) + at::randn({rows, dim}) * spread.index_select(0, which).unsqueeze(1))
            .contiguous();
    const std::string xPath = (dir / "x.npy").string(), ours = (dir / "ours.npy").string(),
                      theirs = (dir / "sklearn.npy").string();
    NpyFile::write(xPath, {rows, dim}, x.data_ptr<float>());

    const auto t0 = std::chrono::steady_clock::now();
    const TsneResult r = tsne2d(x);
    const double oursSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const at::Tensor coords = r.coords.contiguous();
    NpyFile::write(ours, {rows, 2}, coords.data_ptr<float>());

    const std::string sk =
        runPython("OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 " SSONDO_BENCH_DIR "/tsne_sklearn.py " + xPath +
                  " --threads 2 --no-trust --out " + theirs);
    const std::string q = runPython("/usr/bin/python3 " SSONDO_BENCH_DIR "/tsne_quality.py " + xPath + " " +
                                    ours + " " + theirs);
    if (sk.empty() || q.empty()) {
        std::fprintf(stderr, "bench_tsne: a Python baseline failed\n%s\n%s\n", sk.c_str(), q.c_str());
        return 1;
    }
    const double skSeconds = field(sk, "seconds");
    std::printf("%lld x %lld: ours %.1f s (its own KL %.4f), scikit-learn %.1f s (its own KL %.4f)\n",
                (long long)rows, (long long)dim, oursSeconds, r.klDivergence, skSeconds,
                field(sk, "kl_divergence"));
    std::printf("measured alike: exact KL ours %.4f, scikit-learn %.4f; trustworthiness (k = 10) ours %.4f, "
                "scikit-learn %.4f\n",
                field(q, "kl", 0), field(q, "kl", 1), field(q, "trustworthiness", 0),
                field(q, "trustworthiness", 1));
    std::printf("bench_tsne: ours %.1f s, baseline %.1f s, ratio %.2f\n", oursSeconds, skSeconds,
                skSeconds / oursSeconds);
    std::filesystem::remove_all(dir);
    return 0;
}
