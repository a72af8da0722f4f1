// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/EmbeddingStore.h"

#include "data/NpyFile.h"

#include "util/AtomicFile.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ssondo {

namespace {

std::size_t elementSize(const std::string& dtype)
{
    if (dtype == "float32")
        return 4;
    if (dtype == "float16")
        return 2;
    throw InputError("embedding dtype must be float32 or float16, got '" + dtype + "'");
}

nlohmann::json toJson(const EmbeddingStoreInfo& i)
{
    return {{"format", "ssondo-embeddings-1"},
            {"teacher_identity", i.teacherIdentity},
            {"teacher_description", i.teacherDescription},
            {"teacher_kind", i.teacherKind},
            {"dataset", i.datasetName},
            {"dataset_version", i.datasetVersion},
            {"dim", i.dim},
            {"dtype", i.dtype},
            {"rows", i.clipPaths.size()},
            {"clips", i.clipPaths}};
}

EmbeddingStoreInfo fromJson(const nlohmann::json& j, const std::string& where)
{
    try {
        EmbeddingStoreInfo i;
        i.teacherIdentity = j.at("teacher_identity").get<std::string>();
        i.teacherDescription = j.value("teacher_description", "");
        i.teacherKind = j.value("teacher_kind", "");
        i.datasetName = j.at("dataset").get<std::string>();
        i.datasetVersion = j.at("dataset_version").get<std::string>();
        i.dim = j.at("dim").get<std::int64_t>();
        i.dtype = j.at("dtype").get<std::string>();
        i.clipPaths = j.at("clips").get<std::vector<std::string>>();
        return i;
    } catch (const std::exception& e) {
        throw InputError(where + ": damaged embedding store metadata: " + e.what());
    }
}

int openSized(const std::string& path, std::size_t size, bool writable)
{
    const int fd = ::open(path.c_str(), writable ? (O_RDWR | O_CREAT) : O_RDONLY, 0644);
    if (fd < 0)
        throw Error(path + ": cannot open: " + std::strerror(errno));
    struct stat st
    {
    };
    ::fstat(fd, &st);
    if (std::size_t(st.st_size) != size) {
        if (!writable) {
            ::close(fd);
            throw InputError(path + ": has " + std::to_string(st.st_size) + " bytes, expected " +
                             std::to_string(size) + " (damaged store)");
        }
        // posix_fallocate reserves the blocks now, so a full disk fails here, not at a later write.
        const int rc = ::posix_fallocate(fd, 0, off_t(size));
        if (rc != 0) {
            ::close(fd);
            throw Error(path + ": cannot allocate " + std::to_string(size) + " bytes: " + std::strerror(rc));
        }
    }
    return fd;
}

} // namespace

std::unique_ptr<EmbeddingStore> EmbeddingStore::openOrCreate(const std::string& dir,
                                                             const EmbeddingStoreInfo& info)
{
    elementSize(info.dtype);
    if (info.dim <= 0)
        throw InputError(dir + ": embedding dimension must be positive");
    const std::string meta = (fs::path(dir) / "meta.json").string();
    if (fs::exists(meta)) {
        auto store = open(dir, true);
        const auto& o = store->info();
        if (o.teacherIdentity != info.teacherIdentity || o.datasetVersion != info.datasetVersion ||
            o.dim != info.dim || o.dtype != info.dtype || o.clipPaths != info.clipPaths)
            throw InputError(dir +
                             ": holds embeddings of another teacher, dataset version, dimension or dtype");
        return store;
    }
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw Error(dir + ": cannot create: " + ec.message());
    // Without meta.json there is no store: files left by a creation that was interrupted go.
    for (const char* f : {"data.npy", "data.bin", "state.bin", "errors.json"})
        fs::remove(fs::path(dir) / f, ec);
    std::unique_ptr<EmbeddingStore> store(new EmbeddingStore());
    store->m_dir = dir;
    store->m_info = info;
    store->mapFiles(true);
    writeFileAtomic(meta, toJson(info).dump(1)); // last: a store without meta.json does not exist
    return store;
}

std::unique_ptr<EmbeddingStore> EmbeddingStore::open(const std::string& dir, bool writable)
{
    const std::string meta = (fs::path(dir) / "meta.json").string();
    if (!fs::exists(meta))
        throw InputError(dir + ": not an embedding store (no meta.json)");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(readFile(meta));
    } catch (const nlohmann::json::exception& e) {
        throw InputError(meta + ": damaged embedding store metadata: " + e.what());
    }
    std::unique_ptr<EmbeddingStore> store(new EmbeddingStore());
    store->m_dir = dir;
    store->m_info = fromJson(j, meta);
    store->mapFiles(writable);
    const std::string errors = (fs::path(dir) / "errors.json").string();
    if (fs::exists(errors)) {
        try {
            for (const auto& e : nlohmann::json::parse(readFile(errors)))
                store->m_errors.emplace_back(e.at(0).get<std::int64_t>(), e.at(1).get<std::string>());
        } catch (const std::exception&) {
            // errors.json is informational; a damaged one is rebuilt on the next flush.
        }
    }
    return store;
}

std::string EmbeddingStore::dataFile() const
{
    const fs::path legacy = fs::path(m_dir) / "data.bin";
    return (fs::exists(legacy) ? legacy : fs::path(m_dir) / "data.npy").string();
}

void EmbeddingStore::mapFiles(bool writable)
{
    m_writable = writable;
    m_dataLen = std::size_t(rows()) * std::size_t(m_info.dim) * elementSize(m_info.dtype);
    m_stateLen = std::size_t(rows());
    mapData(writable);
    const std::string state = (fs::path(m_dir) / "state.bin").string();
    m_stateFd = openSized(state, m_stateLen, writable);
    if (m_stateLen) {
        void* p = ::mmap(nullptr, m_stateLen, writable ? (PROT_READ | PROT_WRITE) : PROT_READ, MAP_SHARED,
                         m_stateFd, 0);
        if (p == MAP_FAILED)
            throw Error(state + ": cannot map: " + std::strerror(errno));
        m_state = static_cast<std::uint8_t*>(p);
    }
}

/// Maps the data file whole; a new or .npy one starts with its NumPy header, checked on open.
void EmbeddingStore::mapData(bool writable)
{
    const std::string data = dataFile();
    const bool npy = data.size() > 4 && data.compare(data.size() - 4, 4, ".npy") == 0;
    const std::string header =
        npy ? NpyFile::header({rows(), m_info.dim}, m_info.dtype == "float16" ? "<f2" : "<f4")
            : std::string();
    const bool fresh = !fs::exists(data);
    m_dataHeader = header.size();
    m_dataFd = openSized(data, m_dataHeader + m_dataLen, writable);
    const int prot = writable ? (PROT_READ | PROT_WRITE) : PROT_READ;
    if (m_dataHeader + m_dataLen == 0)
        return; // a legacy store of no rows
    void* p = ::mmap(nullptr, m_dataHeader + m_dataLen, prot, MAP_SHARED, m_dataFd, 0);
    if (p == MAP_FAILED)
        throw Error(data + ": cannot map: " + std::strerror(errno));
    m_dataMap = static_cast<std::uint8_t*>(p);
    if (npy && fresh)
        std::memcpy(m_dataMap, header.data(), header.size());
    else if (npy && std::memcmp(m_dataMap, header.data(), header.size()) != 0)
        throw InputError(data + ": its .npy header does not describe a " + std::to_string(rows()) + " x " +
                         std::to_string(m_info.dim) + " " + m_info.dtype + " matrix (damaged store)");
    m_data = m_dataMap + m_dataHeader;
}

EmbeddingStore::~EmbeddingStore()
{
    if (m_writable) {
        try {
            flush();
        } catch (...) {
        }
    }
    if (m_dataMap)
        ::munmap(m_dataMap, m_dataHeader + m_dataLen);
    if (m_state)
        ::munmap(m_state, m_stateLen);
    if (m_dataFd >= 0)
        ::close(m_dataFd);
    if (m_stateFd >= 0)
        ::close(m_stateFd);
}

EmbeddingStore::RowState EmbeddingStore::state(std::int64_t row) const
{
    TORCH_CHECK(row >= 0 && row < rows(), "row out of range");
    return RowState(m_state[row]);
}

std::int64_t EmbeddingStore::count(RowState s) const
{
    std::int64_t n = 0;
    for (std::size_t i = 0; i < m_stateLen; ++i)
        n += m_state[i] == std::uint8_t(s);
    return n;
}

void EmbeddingStore::write(std::int64_t row, const float* values)
{
    TORCH_CHECK(m_writable, "embedding store opened read-only");
    TORCH_CHECK(row >= 0 && row < rows(), "row out of range");
    const std::size_t d = std::size_t(m_info.dim);
    if (m_info.dtype == "float32") {
        std::memcpy(m_data + std::size_t(row) * d * 4, values, d * 4);
    } else {
        const at::Tensor h =
            at::from_blob(const_cast<float*>(values), {std::int64_t(d)}, at::kFloat).to(at::kHalf);
        std::memcpy(m_data + std::size_t(row) * d * 2, h.data_ptr(), d * 2);
    }
    m_state[row] = std::uint8_t(RowState::Done);
}

void EmbeddingStore::markFailed(std::int64_t row, const std::string& reason)
{
    TORCH_CHECK(m_writable, "embedding store opened read-only");
    m_state[row] = std::uint8_t(RowState::Failed);
    m_errors.emplace_back(row, reason);
}

void EmbeddingStore::flush()
{
    if (!m_writable)
        return;
    if (m_dataMap && ::msync(m_dataMap, m_dataHeader + m_dataLen, MS_SYNC) != 0)
        throw Error(dataFile() + ": cannot write to disk: " + std::strerror(errno));
    if (m_state && ::msync(m_state, m_stateLen, MS_SYNC) != 0)
        throw Error(m_dir + "/state.bin: cannot write to disk: " + std::strerror(errno));
    writeErrors();
}

void EmbeddingStore::writeErrors()
{
    nlohmann::json j = nlohmann::json::array();
    for (const auto& [row, why] : m_errors)
        if (m_state[row] == std::uint8_t(RowState::Failed))
            j.push_back({row, why});
    writeFileAtomic((fs::path(m_dir) / "errors.json").string(), j.dump());
}

at::Tensor EmbeddingStore::row(std::int64_t r) const
{
    return rowsAt({r})[0];
}

at::Tensor EmbeddingStore::rowsAt(const std::vector<std::int64_t>& idx) const
{
    const std::int64_t d = m_info.dim;
    at::Tensor out = at::empty({std::int64_t(idx.size()), d}, at::kFloat);
    float* dst = out.data_ptr<float>();
    for (std::size_t k = 0; k < idx.size(); ++k) {
        TORCH_CHECK(idx[k] >= 0 && idx[k] < rows(), "row out of range");
        if (m_info.dtype == "float32") {
            std::memcpy(dst + std::int64_t(k) * d, m_data + std::size_t(idx[k]) * std::size_t(d) * 4,
                        std::size_t(d) * 4);
        } else {
            const at::Tensor h =
                at::from_blob(m_data + std::size_t(idx[k]) * std::size_t(d) * 2, {d}, at::kHalf);
            out[std::int64_t(k)].copy_(h);
        }
    }
    return out;
}

std::vector<std::int64_t> EmbeddingStore::rowsIn(RowState s) const
{
    std::vector<std::int64_t> out;
    for (std::size_t i = 0; i < m_stateLen; ++i)
        if (m_state[i] == std::uint8_t(s))
            out.push_back(std::int64_t(i));
    return out;
}

std::vector<std::pair<std::int64_t, std::string>> EmbeddingStore::errors() const
{
    return m_errors;
}

std::int64_t EmbeddingStore::dataBytes() const
{
    return std::int64_t(m_dataLen);
}

} // namespace ssondo
