// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark: the linear probe (5 folds, weight decay chosen on a validation fold from the workbench's
// grid, refit, plus the cosine kNN) on 2,000 × 960 embeddings in 50 classes (ESC-50's shape), against
// the same protocol with scikit-learn's LogisticRegression (bench/probe_sklearn.py: same grid, same
// L-BFGS iteration cap) in the same run, on two kinds of features:
//   isotropic   class means on a 32-d subspace plus isotropic noise: well conditioned;
//   correlated  48 latent factors whose scales fall from 1 to 1e-3, mixed into 960 features, plus
//               1e-3 noise: strongly correlated after standardisation (in a NumPy draw of this
//               kind the covariance spans 2e2 … 1e-7 and scikit-learn needs 400 to 1,000+ iterations).
//   bench_probe [rows=2000] [dim=960] [classes=50] [max_iterations=100]

#include "data/NpyFile.h"
#include "eval/LinearProbe.h"

#include <ATen/ATen.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>

using namespace ssondo;

namespace {

struct Shape
{
    std::int64_t rows, dim, classes;
};

int classOf(std::int64_t row, const Shape& s)
{
    return int(row % s.classes);
}

int foldOf(std::int64_t row, const Shape& s)
{
    return int((row / s.classes) % 5);
}

at::Tensor isotropic(const Shape& s)
{
    const at::Tensor basis = at::randn({32, s.dim});
    const at::Tensor means = at::matmul(at::randn({s.classes, 32}), basis) * 0.025;
    const at::Tensor y = at::arange(s.rows) % s.classes;
    return means.index_select(0, y) + at::randn({s.rows, s.dim});
}

at::Tensor correlated(const Shape& s)
{
    const std::int64_t r = 48;
    const at::Tensor scale = at::pow(10.0, at::arange(r, at::kFloat) * (-3.0 / double(r)));
    const at::Tensor mix = at::randn({r, s.dim}) / std::sqrt(double(r));
    const at::Tensor means = at::randn({s.classes, r}) * 0.6;
    const at::Tensor y = at::arange(s.rows) % s.classes;
    const at::Tensor z = (at::randn({s.rows, r}) + means.index_select(0, y)) * scale;
    return at::matmul(z, mix) + 1e-3 * at::randn({s.rows, s.dim});
}

std::string joined(const std::vector<double>& v)
{
    std::ostringstream out;
    out.precision(17);
    for (std::size_t i = 0; i < v.size(); ++i)
        out << (i ? "," : "") << v[i];
    return out.str();
}

double field(const std::string& json, const std::string& key)
{
    const auto k = json.find("\"" + key + "\": ");
    return k == std::string::npos ? 0 : std::stod(json.substr(k + key.size() + 4));
}

/// One case: ours, then scikit-learn on the same rows, folds, grid and iteration cap.
void runCase(const char* name, const at::Tensor& x, const Shape& s, const ProbeOptions& o,
             const std::filesystem::path& dir)
{
    ProbeData d;
    d.features = x.contiguous();
    d.numClasses = s.classes;
    std::vector<float> y, f;
    std::vector<int> folds;
    for (std::int64_t i = 0; i < s.rows; ++i) {
        d.labels.push_back({classOf(i, s)});
        y.push_back(float(classOf(i, s)));
        folds.push_back(foldOf(i, s));
        f.push_back(float(folds.back()));
    }
    NpyFile::write((dir / "x.npy").string(), {s.rows, s.dim}, d.features.data_ptr<float>());
    NpyFile::write((dir / "y.npy").string(), {s.rows}, y.data());
    NpyFile::write((dir / "f.npy").string(), {s.rows}, f.data());

    const auto t0 = std::chrono::steady_clock::now();
    const ProbeResult r = runLinearProbe(d, FoldPlan::fromFolds(folds, "bench folds"), o);
    const double ours = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    bool converged = true;
    for (const auto& pf : r.folds)
        converged &= pf.converged;

    const std::string cmd = "/usr/bin/python3 " SSONDO_BENCH_DIR "/probe_sklearn.py " + (dir / "x.npy").string() +
                            " " + (dir / "y.npy").string() + " " + (dir / "f.npy").string() + " " +
                            joined(o.weightDecays) + " " + std::to_string(o.maxIterations);
    std::string out;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        char buf[512];
        while (fgets(buf, sizeof buf, p))
            out += buf;
        pclose(p);
    }
    const double skSeconds = field(out, "seconds"), skAcc = field(out, "accuracy");
    std::printf("%s, %lld x %lld, %lld classes, 5 folds, %zu weight decays, <= %d L-BFGS iterations: "
                "%.2f s, accuracy %.4f ± %.4f (kNN %.4f; every fit converged: %s); scikit-learn: %.2f s, "
                "accuracy %.4f\n",
                name, (long long)s.rows, (long long)s.dim, (long long)s.classes, o.weightDecays.size(),
                o.maxIterations, ours, r.mean, r.ci95, r.knnMean, converged ? "yes" : "no", skSeconds, skAcc);
    std::printf("bench_probe %s: ours %.2f s, baseline %.2f s, ratio %.2f (accuracy %+.4f)\n", name, ours,
                skSeconds, ours > 0 ? skSeconds / ours : 0, r.mean - skAcc);
}

} // namespace

int main(int argc, char** argv)
{
    const Shape s{argc > 1 ? std::atoll(argv[1]) : 2000, argc > 2 ? std::atoll(argv[2]) : 960,
                  argc > 3 ? std::atoll(argv[3]) : 50};
    ProbeOptions o;
    o.maxIterations = argc > 4 ? std::atoi(argv[4]) : 100;
    const auto dir = std::filesystem::temp_directory_path() / "ssondo_bench_probe";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    at::manual_seed(0);
    runCase("isotropic", isotropic(s), s, o, dir);
    runCase("correlated", correlated(s), s, o, dir);
    std::filesystem::remove_all(dir);
    return 0;
}
