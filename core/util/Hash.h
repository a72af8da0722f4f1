// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct sha256_ctx; // nettle

namespace ssondo {

/// 64-bit FNV-1a, incremental. Used for content versions (dataset listings, configs), not security.
class Fnv1a64
{
public:
    void add(std::string_view bytes);
    void add(const void* data, std::size_t size);
    std::uint64_t value() const { return m_h; }
    std::string hex() const; ///< 16 lower-case hex digits

private:
    std::uint64_t m_h = 14695981039346656037ull;
};

/// SHA-256 (FIPS 180-4), incremental: checksums of artifacts (checkpoints, exports) that other
/// tools can verify with `sha256sum`. Computed by Debian's nettle, which uses the CPU's SHA
/// extensions where it has them.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void add(const void* data, std::size_t size);
    void add(std::string_view bytes) { add(bytes.data(), bytes.size()); }
    std::string hex(); ///< 64 lower-case hex digits; finishes the hash

private:
    std::unique_ptr<sha256_ctx> m_ctx;
};

/// SHA-256 of a file's contents. Throws Error when it cannot be read.
std::string sha256File(const std::string& path);

/// Mixes a seed with a counter (SplitMix64 finaliser): independent, reproducible streams per
/// (seed, epoch), (seed, step), (seed, clip)...
inline std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t counter)
{
    std::uint64_t z = seed + 0x9e3779b97f4a7c15ull * (counter + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

} // namespace ssondo
