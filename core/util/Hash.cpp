#include "util/Hash.h"

#include <cstdio>

namespace ssondo {

void Fnv1a64::add(const void* data, std::size_t size)
{
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) {
        m_h ^= p[i];
        m_h *= 1099511628211ull;
    }
}

void Fnv1a64::add(std::string_view bytes)
{
    add(bytes.data(), bytes.size());
}

std::string Fnv1a64::hex() const
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(m_h));
    return buf;
}

} // namespace ssondo
