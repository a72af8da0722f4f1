// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ssondo {

/// A NumPy array read into float32, C order.
struct NpyArray
{
    std::vector<std::int64_t> shape;
    std::vector<float> data;    ///< product(shape) values, row-major
    std::vector<double> data64; ///< the same values at full precision, for "<f8" files only
    std::string dtype;          ///< the file's descr, e.g. "<f4"
    std::int64_t size() const;
};

/// Reads and writes NumPy .npy files (format versions 1-3) so that fixtures and embeddings move
/// between this workbench and Python. Little-endian float16/32/64 and int32/64 are read and
/// converted to float32; Fortran-ordered arrays are reordered to C order; big-endian and object
/// arrays are refused with a clear message.
class NpyFile
{
public:
    /// Throws InputError naming `path` on any format problem.
    static NpyArray read(const std::string& path);
    /// Same on an in-memory buffer (a member of an .npz archive); `name` is used in messages.
    static NpyArray parse(const std::uint8_t* bytes, std::size_t size, const std::string& name);
    /// Writes float32 data with the given shape (product must match data.size()).
    static void write(const std::string& path, const std::vector<std::int64_t>& shape, const float* data);
    /// The same file as bytes (a member of an .npz archive).
    static std::string bytes(const std::vector<std::int64_t>& shape, const float* data);
    /// The .npy v1.0 header of a C-order array of `shape` and `descr` ("<f4", "<f2"), padded so
    /// that the data starts on a 64-byte boundary, as NumPy writes it.
    static std::string header(const std::vector<std::int64_t>& shape, const std::string& descr);
};

} // namespace ssondo
