// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/NpzFile.h"

#include "util/AtomicFile.h"
#include "util/Error.h"

#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

namespace ssondo {

namespace {

std::uint32_t u32(const std::uint8_t* p)
{
    return p[0] | (p[1] << 8) | (p[2] << 16) | (std::uint32_t(p[3]) << 24);
}
std::uint16_t u16(const std::uint8_t* p)
{
    return std::uint16_t(p[0] | (p[1] << 8));
}

/// One member of the zip archive, as its central directory entry describes it.
struct Member
{
    std::string name;
    int method = 0;
    std::size_t compressedSize = 0, size = 0, localHeader = 0;
    std::uint32_t crc = 0;
};

class Archive
{
public:
    Archive(std::string path, std::vector<std::uint8_t> bytes)
        : m_path(std::move(path)), m_z(std::move(bytes))
    {
    }

    InputError fail(const std::string& why) const
    {
        return InputError(m_path + ": not a valid .npz archive: " + why);
    }

    /// The members listed by the end-of-central-directory record.
    std::vector<Member> members() const
    {
        if (m_z.size() < 22)
            throw fail("too short");
        // End of central directory: scan back over a possible comment.
        std::size_t eocd = std::string::npos;
        for (std::size_t i = m_z.size() - 22 + 1; i-- > 0 && m_z.size() - i <= 22 + 65535;)
            if (u32(&m_z[i]) == 0x06054b50) {
                eocd = i;
                break;
            }
        if (eocd == std::string::npos)
            throw fail("no zip end-of-central-directory record");
        std::vector<Member> out;
        std::size_t cd = u32(&m_z[eocd + 16]);
        for (std::size_t e = 0, n = u16(&m_z[eocd + 10]); e < n; ++e)
            out.push_back(entry(cd));
        return out;
    }

    /// The member's bytes, inflated when deflated, checked against its CRC-32.
    std::vector<std::uint8_t> bytes(const Member& m) const
    {
        const std::size_t local = m.localHeader;
        if (local + 30 > m_z.size() || u32(&m_z[local]) != 0x04034b50)
            throw fail("damaged local header of '" + m.name + "'");
        const std::size_t start = local + 30 + u16(&m_z[local + 26]) + u16(&m_z[local + 28]);
        if (m.compressedSize == 0xffffffffu || m.size == 0xffffffffu)
            throw fail("zip64 members are not supported ('" + m.name + "')");
        if (start + m.compressedSize > m_z.size())
            throw fail("member '" + m.name + "' is truncated");
        std::vector<std::uint8_t> data;
        if (m.method == 0)
            data.assign(m_z.begin() + long(start), m_z.begin() + long(start + m.compressedSize));
        else if (m.method == 8)
            data = inflated(m, &m_z[start]);
        else
            throw fail("member '" + m.name + "' uses unsupported compression method " +
                       std::to_string(m.method));
        const std::uint32_t crc = std::uint32_t(crc32(0L, data.data(), uInt(data.size())));
        if (crc != m.crc) {
            char why[128];
            std::snprintf(why, sizeof why,
                          "member '%s' is damaged: its CRC-32 is %08x, the archive says %08x", m.name.c_str(),
                          crc, m.crc);
            throw fail(why);
        }
        return data;
    }

private:
    Member entry(std::size_t& cd) const
    {
        if (cd + 46 > m_z.size() || u32(&m_z[cd]) != 0x02014b50)
            throw fail("damaged central directory");
        Member m;
        m.method = u16(&m_z[cd + 10]);
        m.crc = u32(&m_z[cd + 16]);
        m.compressedSize = u32(&m_z[cd + 20]);
        m.size = u32(&m_z[cd + 24]);
        const std::size_t nameLen = u16(&m_z[cd + 28]), extraLen = u16(&m_z[cd + 30]),
                          commentLen = u16(&m_z[cd + 32]);
        m.localHeader = u32(&m_z[cd + 42]);
        if (cd + 46 + nameLen > m_z.size())
            throw fail("damaged central directory");
        m.name.assign(reinterpret_cast<const char*>(&m_z[cd + 46]), nameLen);
        cd += 46 + nameLen + extraLen + commentLen;
        return m;
    }

    std::vector<std::uint8_t> inflated(const Member& m, const std::uint8_t* in) const
    {
        // Deflate expands at most 1032:1; refuse a larger declared size before allocating it (a
        // few bytes could otherwise ask for 4 GiB).
        if (m.size > m.compressedSize * 1032 + 1032)
            throw fail("member '" + m.name + "' declares " + std::to_string(m.size) +
                       " uncompressed bytes for " + std::to_string(m.compressedSize) +
                       " compressed bytes (more than deflate can produce)");
        std::vector<std::uint8_t> data(m.size);
        z_stream s{};
        if (inflateInit2(&s, -MAX_WBITS) != Z_OK)
            throw fail("zlib init failed");
        s.next_in = const_cast<Bytef*>(in);
        s.avail_in = uInt(m.compressedSize);
        s.next_out = data.data();
        s.avail_out = uInt(m.size);
        const int rc = inflate(&s, Z_FINISH);
        inflateEnd(&s);
        if (rc != Z_STREAM_END || s.total_out != m.size)
            throw fail("member '" + m.name + "' does not inflate");
        return data;
    }

    std::string m_path;
    std::vector<std::uint8_t> m_z;
};

} // namespace

std::map<std::string, NpyArray> NpzFile::read(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path + ": cannot open");
    const Archive archive(path, std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)),
                                                          std::istreambuf_iterator<char>()));
    std::map<std::string, NpyArray> out;
    for (const Member& m : archive.members()) {
        const std::vector<std::uint8_t> data = archive.bytes(m);
        std::string name = m.name;
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0)
            name.resize(name.size() - 4);
        out.emplace(name, NpyFile::parse(data.data(), data.size(), path + "[" + name + "]"));
    }
    return out;
}

namespace {

void put16(std::string& s, std::uint32_t v)
{
    s += char(v & 0xff);
    s += char((v >> 8) & 0xff);
}

void put32(std::string& s, std::uint32_t v)
{
    put16(s, v & 0xffff);
    put16(s, v >> 16);
}

} // namespace

void NpzFile::write(const std::string& path,
                    const std::map<std::string, std::pair<std::vector<std::int64_t>, const float*>>& arrays)
{
    std::string zip, directory;
    for (const auto& [name, array] : arrays) {
        const std::string member = name + ".npy";
        const std::string data = NpyFile::bytes(array.first, array.second);
        const auto crc =
            std::uint32_t(crc32(0L, reinterpret_cast<const Bytef*>(data.data()), uInt(data.size())));
        const auto offset = std::uint32_t(zip.size());
        // Local header: version 2.0, no flags, stored, no time, CRC, sizes, name.
        put32(zip, 0x04034b50), put16(zip, 20), put16(zip, 0), put16(zip, 0), put32(zip, 0);
        put32(zip, crc), put32(zip, std::uint32_t(data.size())), put32(zip, std::uint32_t(data.size()));
        put16(zip, std::uint32_t(member.size())), put16(zip, 0);
        zip += member + data;
        put32(directory, 0x02014b50), put16(directory, 20), put16(directory, 20), put16(directory, 0);
        put16(directory, 0), put32(directory, 0), put32(directory, crc);
        put32(directory, std::uint32_t(data.size())), put32(directory, std::uint32_t(data.size()));
        put16(directory, std::uint32_t(member.size())), put16(directory, 0), put16(directory, 0);
        put16(directory, 0), put16(directory, 0), put32(directory, 0), put32(directory, offset);
        directory += member;
    }
    const auto directoryAt = std::uint32_t(zip.size());
    zip += directory;
    put32(zip, 0x06054b50), put16(zip, 0), put16(zip, 0);
    put16(zip, std::uint32_t(arrays.size())), put16(zip, std::uint32_t(arrays.size()));
    put32(zip, std::uint32_t(directory.size())), put32(zip, directoryAt), put16(zip, 0);
    writeFileAtomic(path, zip);
}

} // namespace ssondo
