// SPDX-License-Identifier: GPL-3.0-or-later
#include "teachers/PrecomputedTeacher.h"

#include "data/CsvReader.h"
#include "data/NpyFile.h"
#include "data/NpzFile.h"
#include "util/Error.h"
#include "util/Hash.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace ssondo {

namespace {
std::string stemOf(const std::string& path)
{
    return fs::path(path).stem().string();
}
} // namespace

PrecomputedTeacher::PrecomputedTeacher(const std::string& source, const std::string& indexCsv)
    : m_source(source)
{
    Fnv1a64 h;
    if (fs::is_directory(source)) {
        std::vector<fs::path> files;
        for (const auto& e :
             fs::recursive_directory_iterator(source, fs::directory_options::skip_permission_denied))
            if (e.is_regular_file() && e.path().extension() == ".npz")
                files.push_back(e.path());
        if (files.empty())
            throw InputError(source + ": no .npz files found (expected the reference layout "
                                      "<teacher>/window_length_10s/embed/<split>/<clip>.npz)");
        std::sort(files.begin(), files.end());
        std::unordered_map<std::string, int> seen;
        for (const auto& f : files) {
            const std::string stem = f.stem().string();
            if (++seen[stem] > 1)
                m_npzByStem.erase(stem); // ambiguous base name: matched by nobody
            else
                m_npzByStem[stem] = f.string();
            h.add(fs::relative(f, source).generic_string());
            const auto size = fs::file_size(f);
            h.add(&size, sizeof size);
        }
        // The dimension comes from the first readable file.
        m_dim = readNpz(files.front().string()).size(0);
    } else if (fs::is_regular_file(source) && fs::path(source).extension() == ".npy") {
        if (indexCsv.empty())
            throw InputError(
                source + ": a .npy matrix needs an index CSV (--teacher-index FILE) naming each row's clip");
        const NpyArray a = NpyFile::read(source);
        if (a.shape.size() != 2 || a.shape[1] < 1)
            throw InputError(source + ": expected a 2-D matrix [clips, dim], got rank " +
                             std::to_string(a.shape.size()));
        m_matrix = true;
        m_dim = a.shape[1];
        m_rows = a.data;
        auto rows = CsvReader::readFile(indexCsv);
        if (!rows.empty() && !rows[0].empty() && (rows[0][0] == "path" || rows[0][0] == "filename"))
            rows.erase(rows.begin());
        if (std::int64_t(rows.size()) != a.shape[0])
            throw InputError(indexCsv + ": has " + std::to_string(rows.size()) + " rows but " + source +
                             " has " + std::to_string(a.shape[0]) + " embeddings");
        for (size_t r = 0; r < rows.size(); ++r) {
            const std::string p = rows[r].empty() ? std::string() : rows[r][0];
            m_rowByKey[p] = std::int64_t(r);
            m_rowByKey.emplace(stemOf(p), std::int64_t(r));
        }
        h.add(source);
        const auto size = fs::file_size(source);
        h.add(&size, sizeof size);
    } else {
        throw InputError(source + ": not a folder of .npz files nor a .npy matrix");
    }
    m_identity = "precomputed-" + h.hex();
}

std::size_t PrecomputedTeacher::size() const
{
    return m_matrix ? m_rows.size() / size_t(m_dim) : m_npzByStem.size();
}

std::string PrecomputedTeacher::description() const
{
    return "precomputed embeddings from " + m_source + " (" + std::to_string(size()) + " clips, " +
           std::to_string(m_dim) + "-d)";
}

at::Tensor PrecomputedTeacher::embed(const at::Tensor&)
{
    throw Error("precomputed embeddings cannot embed new audio; they are looked up by clip");
}

at::Tensor PrecomputedTeacher::readNpz(const std::string& file) const
{
    const auto arrays = NpzFile::read(file);
    auto it = arrays.find("embed");
    if (it == arrays.end()) {
        std::string keys;
        for (const auto& [k, v] : arrays)
            keys += (keys.empty() ? "" : ", ") + k;
        throw InputError(file + ": no array 'embed' (found: " + keys + ")");
    }
    const NpyArray& a = it->second;
    const bool okShape = (a.shape.size() == 1) || (a.shape.size() == 2 && a.shape[0] == 1);
    if (!okShape)
        throw InputError(
            file + ": 'embed' must have shape (D,) or (1, D), got rank " + std::to_string(a.shape.size()) +
            (a.shape.size() == 2 ? " (" + std::to_string(a.shape[0]) + ", " + std::to_string(a.shape[1]) + ")"
                                 : ""));
    if (a.dtype != "<f4" && a.dtype != "<f2" && a.dtype != "<f8")
        throw InputError(file + ": 'embed' must be floating point, got dtype " + a.dtype);
    const std::int64_t d = a.shape.back();
    if (m_dim > 0 && d != m_dim)
        throw InputError(file + ": embedding dimension " + std::to_string(d) + " differs from " +
                         std::to_string(m_dim));
    at::Tensor t = at::from_blob(const_cast<float*>(a.data.data()), {d}, at::kFloat).clone();
    if (!at::isfinite(t).all().item<bool>())
        throw InputError(file + ": 'embed' contains NaN or infinite values");
    return t;
}

std::optional<at::Tensor> PrecomputedTeacher::lookup(const std::string& clipPath)
{
    if (m_matrix) {
        auto it = m_rowByKey.find(clipPath);
        if (it == m_rowByKey.end())
            it = m_rowByKey.find(stemOf(clipPath));
        if (it == m_rowByKey.end())
            return std::nullopt;
        at::Tensor t = at::from_blob(m_rows.data() + it->second * m_dim, {m_dim}, at::kFloat).clone();
        if (!at::isfinite(t).all().item<bool>())
            throw InputError(m_source + ": row " + std::to_string(it->second) +
                             " contains NaN or infinite values");
        return t;
    }
    auto it = m_npzByStem.find(stemOf(clipPath));
    if (it == m_npzByStem.end())
        return std::nullopt;
    return readNpz(it->second);
}

} // namespace ssondo
