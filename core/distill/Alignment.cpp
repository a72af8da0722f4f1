// SPDX-License-Identifier: GPL-3.0-or-later
#include "distill/Alignment.h"

#include "clustering/Projection.h"
#include "clustering/TSNE.h"
#include "clustering/UMAP.h"
#include "data/NpyFile.h"
#include "eval/Agreement.h"
#include "util/AtomicFile.h"
#include "util/Error.h"
#include "util/Hash.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>

namespace fs = std::filesystem;

namespace ssondo {

namespace {

std::string epochFile(const std::string& dir, std::int64_t epoch)
{
    char name[32];
    std::snprintf(name, sizeof name, "epoch-%04lld.npy", (long long)epoch);
    return (fs::path(dir) / name).string();
}

} // namespace

AlignmentLog::AlignmentLog(std::string runDir) : m_dir((fs::path(runDir) / "align").string()) {}

std::int64_t AlignmentLog::defaultClips(std::int64_t clipsPerEpoch)
{
    return std::max<std::int64_t>(1, std::min<std::int64_t>(2000, clipsPerEpoch / 16));
}

std::vector<std::int64_t> AlignmentLog::chooseSample(const std::vector<std::int64_t>& train,
                                                     const std::vector<std::int64_t>& clusterOf,
                                                     std::int64_t n, std::uint64_t seed)
{
    std::vector<std::int64_t> pool = train;
    std::mt19937_64 rng(mixSeed(seed, 0xa119));
    std::shuffle(pool.begin(), pool.end(), rng);
    n = std::min<std::int64_t>(n, std::int64_t(pool.size()));
    if (clusterOf.empty()) {
        pool.resize(std::size_t(n));
    } else { // round-robin over the clusters, each in its shuffled order
        std::map<std::int64_t, std::vector<std::int64_t>> byCluster;
        for (std::int64_t r : pool)
            byCluster[clusterOf[std::size_t(r)]].push_back(r);
        std::vector<std::int64_t> out;
        for (std::size_t i = 0; std::int64_t(out.size()) < n; ++i)
            for (auto& [c, rows] : byCluster)
                if (i < rows.size() && std::int64_t(out.size()) < n)
                    out.push_back(rows[i]);
        pool = std::move(out);
    }
    std::sort(pool.begin(), pool.end()); // the stored order: dataset positions
    return pool;
}

bool AlignmentLog::hasSample() const
{
    return fs::exists(fs::path(m_dir) / "sample.txt");
}

std::vector<std::int64_t> AlignmentLog::sample() const
{
    const std::string path = (fs::path(m_dir) / "sample.txt").string();
    if (!fs::exists(path))
        throw InputError(m_dir + ": no alignment sample (train with train.align_clips, or run ssondo align)");
    std::istringstream in(readFile(path));
    std::vector<std::int64_t> rows;
    for (std::int64_t r; in >> r;)
        rows.push_back(r);
    return rows;
}

void AlignmentLog::saveSample(const std::vector<std::int64_t>& rows) const
{
    fs::create_directories(m_dir);
    std::ostringstream s;
    for (std::int64_t r : rows)
        s << r << "\n";
    writeFileAtomic((fs::path(m_dir) / "sample.txt").string(), s.str());
}

void AlignmentLog::save(std::int64_t epoch, const at::Tensor& mapped) const
{
    fs::create_directories(m_dir);
    // float16 directions and float32 norms: a student's early outputs can be far below float16's
    // normal range (1e-5 and less), where a plain float16 copy would flush them to zero.
    const at::Tensor m = mapped.detach().to(at::kCPU).to(at::kFloat);
    const at::Tensor norms = m.norm(2, 1).contiguous();
    const at::Tensor h = (m / norms.clamp_min(1e-30).unsqueeze(1)).to(at::kHalf).contiguous();
    const std::string file = epochFile(m_dir, epoch);
    writeFileAtomic(file.substr(0, file.size() - 4) + ".norms.npy",
                    NpyFile::bytes({norms.size(0)}, norms.data_ptr<float>()));
    writeFileAtomic(file,
                    NpyFile::header({h.size(0), h.size(1)}, "<f2") +
                        std::string(static_cast<const char*>(h.data_ptr()), std::size_t(h.numel()) * 2));
}

std::vector<std::int64_t> AlignmentLog::epochs() const
{
    std::vector<std::int64_t> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(m_dir, ec)) {
        const std::string n = e.path().filename().string();
        long long epoch = 0;
        if (n.rfind("epoch-", 0) == 0 && n.find(".norms") == std::string::npos &&
            std::sscanf(n.c_str(), "epoch-%lld.npy", &epoch) == 1)
            out.push_back(epoch);
    }
    std::sort(out.begin(), out.end());
    return out;
}

at::Tensor AlignmentLog::load(std::int64_t epoch) const
{
    const std::string file = epochFile(m_dir, epoch);
    NpyArray a = NpyFile::read(file);
    if (a.shape.size() != 2)
        throw InputError(file + ": expected a [clips, dim] array");
    at::Tensor rows = at::from_blob(a.data.data(), {a.shape[0], a.shape[1]}, at::kFloat).clone();
    const std::string normsFile = file.substr(0, file.size() - 4) + ".norms.npy";
    if (fs::exists(normsFile)) {
        NpyArray n = NpyFile::read(normsFile);
        if (n.shape != std::vector<std::int64_t>{a.shape[0]})
            throw InputError(normsFile + ": expected " + std::to_string(a.shape[0]) + " norms");
        rows *= at::from_blob(n.data.data(), {a.shape[0], 1}, at::kFloat);
    }
    return rows;
}

AlignmentScores alignmentScores(std::int64_t epoch, const at::Tensor& teacher, const at::Tensor& mapped,
                                const std::vector<std::int64_t>& clusterOfRow, int k)
{
    if (teacher.sizes() != mapped.sizes())
        throw InputError("alignment: teacher [" + std::to_string(teacher.size(0)) + ", " +
                         std::to_string(teacher.size(1)) + "] and student [" +
                         std::to_string(mapped.size(0)) + ", " + std::to_string(mapped.size(1)) +
                         "] embeddings differ in shape");
    const at::Tensor ok = at::isfinite(mapped).all(1).logical_and(at::isfinite(teacher).all(1));
    const at::Tensor keep = ok.nonzero().squeeze(1);
    const at::Tensor t = teacher.index_select(0, keep).to(at::kFloat),
                     s = mapped.index_select(0, keep).to(at::kFloat);
    AlignmentScores out;
    out.epoch = epoch;
    out.clips = t.size(0);
    if (out.clips < 2)
        return out;
    const AgreementScores a = embeddingAgreement(t, s, k);
    out.meanCosine = a.meanCosine;
    out.knnOverlap = a.knnOverlap;
    out.k = a.k;
    if (!clusterOfRow.empty()) {
        const at::Tensor cos = at::cosine_similarity(t, s, 1).to(at::kDouble).contiguous();
        const auto* kept = keep.data_ptr<std::int64_t>();
        std::map<std::int64_t, std::pair<double, std::int64_t>> acc;
        for (std::int64_t i = 0; i < out.clips; ++i) {
            auto& x = acc[clusterOfRow[std::size_t(kept[i])]];
            x.first += cos.data_ptr<double>()[i];
            ++x.second;
        }
        for (const auto& [c, x] : acc)
            out.clusters.push_back({c, x.second, x.first / double(x.second)});
        std::sort(out.clusters.begin(), out.clusters.end(),
                  [](const auto& a1, const auto& b1) { return a1.meanCosine < b1.meanCosine; });
    }
    return out;
}

namespace {

at::Tensor unitRows(const at::Tensor& x)
{
    const at::Tensor f = x.to(at::kFloat);
    return f / f.norm(2, 1, true).clamp_min(1e-30);
}

/// Evenly spaced snapshot indices, the first and the last among them, at most `count`.
std::vector<int> spread(int snapshots, std::int64_t count)
{
    std::vector<int> out;
    if (snapshots <= 0)
        return out;
    const std::int64_t m = std::clamp<std::int64_t>(count, 1, snapshots);
    for (std::int64_t i = 0; i < m; ++i) {
        const int s = m == 1 ? snapshots - 1 : int(std::llround(double(i) * (snapshots - 1) / double(m - 1)));
        if (out.empty() || out.back() != s)
            out.push_back(s);
    }
    return out;
}

/// UMAP or t-SNE of the teacher's and the chosen snapshots' unit rows together.
void unionMap(const at::Tensor& t, const std::vector<at::Tensor>& snapshots, AlignmentMap& m,
              std::uint64_t seed)
{
    std::vector<at::Tensor> parts{t};
    for (int s : m.snapshots)
        parts.push_back(unitRows(snapshots[size_t(s)]));
    const at::Tensor all = at::cat(parts);
    const at::Tensor ok = at::isfinite(all).all(1);
    const at::Tensor rows = all.index({ok}).contiguous();
    at::Tensor coords;
    if (m.method == "umap") {
        UmapOptions o;
        o.seed = seed;
        coords = umap2d(rows, o).coords;
    } else {
        TsneOptions o;
        o.seed = seed;
        coords = tsne2d(rows, o).coords;
    }
    at::Tensor full = at::full({all.size(0), 2}, std::nanf(""), at::kFloat);
    full.index_put_({ok}, coords);
    const std::int64_t n = t.size(0);
    m.teacher = full.narrow(0, 0, n).clone();
    for (std::size_t i = 0; i < m.snapshots.size(); ++i)
        m.students.push_back(full.narrow(0, std::int64_t(i + 1) * n, n).clone());
}

} // namespace

AlignmentMap alignmentMap(const at::Tensor& teacher, const std::vector<at::Tensor>& snapshots,
                          const std::string& method, std::uint64_t seed, std::int64_t maxRows)
{
    if (method != "pca" && method != "umap" && method != "tsne")
        throw InputError("alignment map: the method must be pca, umap or tsne (got '" + method + "')");
    // Unit rows: the view is about directions (a cosine-trained student never learns the teacher's
    // norms; its early outputs are 1e-5 in size and would all sit at minus the teacher's mean).
    const at::Tensor t = unitRows(teacher);
    AlignmentMap m;
    m.method = method;
    if (method == "pca") {
        const at::Tensor ok = at::isfinite(t).all(1);
        const Projection2D p = pca2d(t.index({ok}), seed);
        m.teacher = p.project(t);
        for (std::size_t s = 0; s < snapshots.size(); ++s) {
            m.snapshots.push_back(int(s));
            m.students.push_back(p.project(unitRows(snapshots[s])));
        }
        m.explained = p.explained;
        return m;
    }
    const std::int64_t n = std::max<std::int64_t>(1, t.size(0));
    m.snapshots = spread(int(snapshots.size()), maxRows / n - 1);
    unionMap(t, snapshots, m, seed);
    return m;
}

} // namespace ssondo
