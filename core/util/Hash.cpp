// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/Hash.h"

#include "util/Error.h"

#include <nettle/sha2.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

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

Sha256::Sha256() : m_ctx(std::make_unique<sha256_ctx>())
{
    sha256_init(m_ctx.get());
}

Sha256::~Sha256() = default;

void Sha256::add(const void* data, std::size_t size)
{
    sha256_update(m_ctx.get(), size, static_cast<const std::uint8_t*>(data));
}

std::string Sha256::hex()
{
    std::uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(m_ctx.get(), SHA256_DIGEST_SIZE, digest); // also resets the context
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (std::uint8_t b : digest) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0xf]);
    }
    return out;
}

std::string sha256File(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot read " + path + " to checksum it");
    Sha256 h;
    std::vector<char> buf(1 << 20);
    while (in) {
        in.read(buf.data(), std::streamsize(buf.size()));
        h.add(buf.data(), std::size_t(in.gcount()));
    }
    return h.hex();
}

} // namespace ssondo
