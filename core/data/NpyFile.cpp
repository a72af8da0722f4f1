// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/NpyFile.h"

#include "util/Error.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <numeric>
#include <sstream>

namespace ssondo {

std::int64_t NpyArray::size() const
{
    return std::accumulate(shape.begin(), shape.end(), std::int64_t(1), std::multiplies<>());
}

namespace {

float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = std::uint32_t(h & 0x8000u) << 16;
    std::uint32_t exp = (h >> 10) & 0x1fu;
    std::uint32_t mant = h & 0x3ffu;
    std::uint32_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else { // subnormal: renormalise
            exp = 127 - 15 + 1;
            while ((mant & 0x400u) == 0) {
                mant <<= 1;
                --exp;
            }
            mant &= 0x3ffu;
            bits = sign | (exp << 23) | (mant << 13);
        }
    } else if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else {
        bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

/// Where the value of the first `'key':` entry of the header (a Python dict literal) starts, or npos.
/// Plain string search: std::regex's recursive matcher overflowed the stack on a 20 kB header.
std::size_t dictValue(const std::string& header, const std::string& key)
{
    static const char kSpace[] = " \t\n\v\f\r";
    const std::string quoted = "'" + key + "'";
    for (std::size_t at = header.find(quoted); at != std::string::npos; at = header.find(quoted, at + 1)) {
        const std::size_t colon = header.find_first_not_of(kSpace, at + quoted.size());
        if (colon != std::string::npos && header[colon] == ':')
            return header.find_first_not_of(kSpace, colon + 1);
    }
    return std::string::npos;
}

/// The text between header[at] == open and the next `close`; false when there is no such pair.
bool delimited(const std::string& header, std::size_t at, char open, char close, std::string& out)
{
    if (at == std::string::npos || header[at] != open)
        return false;
    const std::size_t end = header.find(close, at + 1);
    if (end == std::string::npos)
        return false;
    out = header.substr(at + 1, end - at - 1);
    return true;
}

template <typename T> void convert(const std::uint8_t* src, std::size_t n, std::vector<float>& dst)
{
    dst.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        T v;
        std::memcpy(&v, src + i * sizeof(T), sizeof(T));
        dst[i] = static_cast<float>(v);
    }
}

/// Column-major values (a transposed NumPy view on disk) reordered to row-major.
template <typename T>
std::vector<T> toRowMajor(const std::vector<T>& f, const std::vector<std::int64_t>& shape)
{
    const std::size_t dims = shape.size();
    std::vector<std::int64_t> fStride(dims, 1);
    for (std::size_t k = 1; k < dims; ++k)
        fStride[k] = fStride[k - 1] * shape[k - 1];
    std::vector<T> c(f.size());
    std::vector<std::int64_t> idx(dims, 0);
    for (std::size_t i = 0; i < c.size(); ++i) {
        std::int64_t off = 0;
        for (std::size_t k = 0; k < dims; ++k)
            off += idx[k] * fStride[k];
        c[i] = f[std::size_t(off)];
        for (std::size_t k = dims; k-- > 0;) { // advance the C-order index
            if (++idx[k] < shape[k])
                break;
            idx[k] = 0;
        }
    }
    return c;
}

/// The error for `name` that is not a valid .npy array, saying why.
InputError invalid(const std::string& name, const std::string& why)
{
    return InputError(name + ": not a valid .npy array: " + why);
}

/// The header (a Python dict literal) after the magic and its length; `offset` is set to where it starts.
std::string headerText(const std::uint8_t* bytes, std::size_t size, const std::string& name,
                       std::size_t& offset)
{
    static const char kMagic[] = "\x93NUMPY";
    if (size < 10 || std::memcmp(bytes, kMagic, 6) != 0)
        throw invalid(name, "missing the \\x93NUMPY magic");
    const int major = bytes[6];
    std::size_t headerLen = 0;
    if (major == 1) {
        headerLen = bytes[8] | (std::size_t(bytes[9]) << 8);
        offset = 10;
    } else if (major == 2 || major == 3) {
        if (size < 12)
            throw invalid(name, "truncated header");
        headerLen = bytes[8] | (std::size_t(bytes[9]) << 8) | (std::size_t(bytes[10]) << 16) |
                    (std::size_t(bytes[11]) << 24);
        offset = 12;
    } else {
        throw invalid(name, "unsupported format version " + std::to_string(major));
    }
    if (offset + headerLen > size)
        throw invalid(name, "truncated header");
    return std::string(reinterpret_cast<const char*>(bytes + offset), headerLen);
}

/// The dimensions of the header's shape tuple, e.g. "3, 4," → {3, 4}.
std::vector<std::int64_t> parseShape(const std::string& shapeText, const std::string& name)
{
    std::vector<std::int64_t> shape;
    std::stringstream ss(shapeText);
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item.find_first_not_of(" \t") == std::string::npos)
            continue;
        try {
            const long long d = std::stoll(item);
            if (d < 0)
                throw invalid(name, "negative dimension");
            shape.push_back(d);
        } catch (const std::logic_error&) {
            throw invalid(name, "bad shape '" + shapeText + "'");
        }
    }
    return shape;
}

/// The element count, which (and every prefix product, the Fortran strides) must fit in int64.
std::size_t elementCount(const std::vector<std::int64_t>& shape, const std::string& shapeText,
                         const std::string& name)
{
    std::int64_t count = 1;
    for (const std::int64_t d : shape) {
        if (d != 0 && count > std::numeric_limits<std::int64_t>::max() / d)
            throw invalid(name, "shape (" + shapeText + ") overflows a 64-bit element count");
        count *= d;
    }
    return std::size_t(count);
}

/// Converts the n items of arr.dtype at `data` (`avail` bytes) into arr.data (and arr.data64 for "<f8").
void readValues(NpyArray& arr, const std::uint8_t* data, std::size_t avail, std::size_t n,
                const std::string& name)
{
    auto need = [&](std::size_t itemSize) {
        if (n > avail / itemSize)
            throw invalid(name, "data is truncated (" + std::to_string(avail) + " bytes for " +
                                    std::to_string(n) + " items of " + std::to_string(itemSize) + " bytes)");
    };
    const std::string& d = arr.dtype;
    if (d == "<f4" || d == "|f4") {
        need(4);
        convert<float>(data, n, arr.data);
    } else if (d == "<f8") {
        need(8);
        convert<double>(data, n, arr.data);
        arr.data64.resize(n);
        std::memcpy(arr.data64.data(), data, n * 8);
    } else if (d == "<f2") {
        need(2);
        arr.data.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            std::uint16_t h;
            std::memcpy(&h, data + 2 * i, 2);
            arr.data[i] = halfToFloat(h);
        }
    } else if (d == "<i4") {
        need(4);
        convert<std::int32_t>(data, n, arr.data);
    } else if (d == "<i8") {
        need(8);
        convert<std::int64_t>(data, n, arr.data);
    } else
        throw invalid(name,
                      "unsupported dtype '" + d + "' (expected little-endian float16/32/64 or int32/64)");
}

} // namespace

NpyArray NpyFile::parse(const std::uint8_t* bytes, std::size_t size, const std::string& name)
{
    std::size_t offset = 0;
    const std::string header = headerText(bytes, size, name, offset);

    NpyArray arr;
    if (!delimited(header, dictValue(header, "descr"), '\'', '\'', arr.dtype) || arr.dtype.empty())
        throw invalid(name, "no 'descr' in header");
    const std::size_t fortranAt = dictValue(header, "fortran_order");
    const bool fortran = fortranAt != std::string::npos && header.compare(fortranAt, 4, "True") == 0;
    std::string shapeText;
    if (!delimited(header, dictValue(header, "shape"), '(', ')', shapeText))
        throw invalid(name, "no 'shape' in header");
    arr.shape = parseShape(shapeText, name);
    const std::size_t n = elementCount(arr.shape, shapeText, name);
    readValues(arr, bytes + offset + header.size(), size - offset - header.size(), n, name);
    if (fortran && arr.shape.size() > 1) {
        arr.data = toRowMajor(arr.data, arr.shape);
        if (!arr.data64.empty())
            arr.data64 = toRowMajor(arr.data64, arr.shape);
    }
    return arr;
}

NpyArray NpyFile::read(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path + ": cannot open for reading");
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return parse(bytes.data(), bytes.size(), path);
}

std::string NpyFile::header(const std::vector<std::int64_t>& shape, const std::string& descr)
{
    std::string dims;
    for (std::size_t i = 0; i < shape.size(); ++i)
        dims += (i ? ", " : "") + std::to_string(shape[i]);
    if (shape.size() == 1)
        dims += ","; // (3,) for 1-D
    std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    // Pad so that the data starts on a 64-byte boundary, ending with '\n' (format spec).
    const std::size_t total = 10 + dict.size() + 1;
    dict.append((64 - total % 64) % 64, ' ');
    dict.push_back('\n');
    std::string out("\x93NUMPY\x01\x00", 8);
    out += char(dict.size() & 0xff);
    out += char(dict.size() >> 8);
    return out + dict;
}

std::string NpyFile::bytes(const std::vector<std::int64_t>& shape, const float* data)
{
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return header(shape, "<f4") + std::string(reinterpret_cast<const char*>(data), std::size_t(n) * 4);
}

void NpyFile::write(const std::string& path, const std::vector<std::int64_t>& shape, const float* data)
{
    const std::string b = bytes(shape, data);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throw Error(path + ": cannot open for writing");
    out.write(b.data(), std::streamsize(b.size()));
    if (!out)
        throw Error(path + ": write failed");
}

} // namespace ssondo
