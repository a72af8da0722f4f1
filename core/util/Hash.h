#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ssondo {

/// 64-bit FNV-1a, incremental. Used for content versions (dataset listings, configs), not security.
class Fnv1a64
{
public:
    void add(std::string_view bytes);
    void add(const void* data, std::size_t size);
    std::uint64_t value() const { return m_h; }
    std::string hex() const;  ///< 16 lower-case hex digits

private:
    std::uint64_t m_h = 14695981039346656037ull;
};

} // namespace ssondo
