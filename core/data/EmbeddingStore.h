// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ssondo {

/// What an embedding store holds: one row per clip of one dataset version, by one teacher.
struct EmbeddingStoreInfo
{
    std::string teacherIdentity;
    std::string teacherDescription;
    std::string teacherKind;
    std::string datasetName;
    std::string datasetVersion;
    std::int64_t dim = 0;
    std::string dtype = "float32";      ///< "float32" or "float16" on disk
    std::vector<std::string> clipPaths; ///< row i is clip clipPaths[i]
};

/// On-disk embedding matrix [rows, dim] for one teacher × dataset, memory-mapped, written row by
/// row and resumable. Layout of its folder:
///   meta.json   the info above (written once, atomically)
///   data.npy    rows × dim float32/float16, row-major, preallocated, behind a NumPy .npy (v1.0)
///               header: numpy.load(path, mmap_mode="r") opens it as it is (stores made before
///               this format have a headerless data.bin, still read)
///   state.bin   one byte per row: 0 pending, 1 done, 2 failed
///   errors.json failures by row (rewritten atomically on flush)
/// A row's data is written before its state byte; flush() msyncs data then state, so after a crash
/// a row marked done always has its data. Single writer; any number of readers.
class EmbeddingStore
{
public:
    enum class RowState : std::uint8_t { Pending = 0, Done = 1, Failed = 2 };

    /// Opens the store in `dir` if its meta matches `info` (same teacher, dataset version, dim,
    /// dtype, clips); creates it when absent. Throws InputError when `dir` holds a different store.
    static std::unique_ptr<EmbeddingStore> openOrCreate(const std::string& dir,
                                                        const EmbeddingStoreInfo& info);
    /// Opens an existing store, read-only unless writable.
    static std::unique_ptr<EmbeddingStore> open(const std::string& dir, bool writable = false);
    ~EmbeddingStore();

    const EmbeddingStoreInfo& info() const { return m_info; }
    const std::string& dir() const { return m_dir; }
    std::int64_t rows() const { return std::int64_t(m_info.clipPaths.size()); }
    std::int64_t dim() const { return m_info.dim; }
    bool writable() const { return m_writable; }

    RowState state(std::int64_t row) const;
    std::int64_t count(RowState s) const;
    bool complete() const { return count(RowState::Done) + count(RowState::Failed) == rows(); }

    /// Writes row `row` (dim floats) and marks it done. Writable stores only.
    void write(std::int64_t row, const float* values);
    void markFailed(std::int64_t row, const std::string& reason);
    /// Makes everything written so far durable (data before states).
    void flush();

    /// Row `row` as float32 [dim] (a copy).
    at::Tensor row(std::int64_t row) const;
    /// Rows as float32 [n, dim] (a copy).
    at::Tensor rowsAt(const std::vector<std::int64_t>& rows) const;
    /// Indices of the rows in state `s`.
    std::vector<std::int64_t> rowsIn(RowState s) const;
    /// Failure reason per failed row (row, reason).
    std::vector<std::pair<std::int64_t, std::string>> errors() const;
    /// The data file (data.npy, or data.bin in older stores).
    std::string dataFile() const;
    /// Bytes of the data (the header not counted).
    std::int64_t dataBytes() const;

private:
    EmbeddingStore() = default;
    void mapFiles(bool writable);
    void mapData(bool writable);
    void writeErrors();

    std::string m_dir;
    EmbeddingStoreInfo m_info;
    bool m_writable = false;
    int m_dataFd = -1, m_stateFd = -1;
    std::uint8_t* m_data = nullptr; ///< the first row (after the .npy header)
    std::uint8_t* m_dataMap = nullptr;
    std::size_t m_dataHeader = 0; ///< bytes of the .npy header (0 for a legacy data.bin)
    std::uint8_t* m_state = nullptr;
    std::size_t m_dataLen = 0, m_stateLen = 0;
    std::vector<std::pair<std::int64_t, std::string>> m_errors;
};

} // namespace ssondo
