#include "data/NpzFile.h"

#include "util/Error.h"

#include <zlib.h>

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

} // namespace

std::map<std::string, NpyArray> NpzFile::read(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path + ": cannot open");
    const std::vector<std::uint8_t> z((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto fail = [&](const std::string& why) {
        return InputError(path + ": not a valid .npz archive: " + why);
    };
    if (z.size() < 22)
        throw fail("too short");
    // End of central directory: scan back over a possible comment.
    size_t eocd = std::string::npos;
    for (size_t i = z.size() - 22 + 1; i-- > 0 && z.size() - i <= 22 + 65535;)
        if (u32(&z[i]) == 0x06054b50) {
            eocd = i;
            break;
        }
    if (eocd == std::string::npos)
        throw fail("no zip end-of-central-directory record");
    const size_t entries = u16(&z[eocd + 10]);
    size_t cd = u32(&z[eocd + 16]);
    std::map<std::string, NpyArray> out;
    for (size_t e = 0; e < entries; ++e) {
        if (cd + 46 > z.size() || u32(&z[cd]) != 0x02014b50)
            throw fail("damaged central directory");
        const int method = u16(&z[cd + 10]);
        const size_t compSize = u32(&z[cd + 20]);
        const size_t size = u32(&z[cd + 24]);
        const size_t nameLen = u16(&z[cd + 28]), extraLen = u16(&z[cd + 30]), commentLen = u16(&z[cd + 32]);
        const size_t local = u32(&z[cd + 42]);
        if (cd + 46 + nameLen > z.size())
            throw fail("damaged central directory");
        std::string name(reinterpret_cast<const char*>(&z[cd + 46]), nameLen);
        cd += 46 + nameLen + extraLen + commentLen;
        if (local + 30 > z.size() || u32(&z[local]) != 0x04034b50)
            throw fail("damaged local header of '" + name + "'");
        const size_t dataStart = local + 30 + u16(&z[local + 26]) + u16(&z[local + 28]);
        if (compSize == 0xffffffffu || size == 0xffffffffu)
            throw fail("zip64 members are not supported ('" + name + "')");
        if (dataStart + compSize > z.size())
            throw fail("member '" + name + "' is truncated");
        std::vector<std::uint8_t> data;
        if (method == 0) {
            data.assign(z.begin() + long(dataStart), z.begin() + long(dataStart + compSize));
        } else if (method == 8) {
            // Deflate expands at most 1032:1; refuse a larger declared size before allocating it
            // (a few bytes could otherwise ask for 4 GiB).
            if (size > compSize * 1032 + 1032)
                throw fail("member '" + name + "' declares " + std::to_string(size) +
                           " uncompressed bytes for " + std::to_string(compSize) +
                           " compressed bytes (more than deflate can produce)");
            data.resize(size);
            z_stream s{};
            if (inflateInit2(&s, -MAX_WBITS) != Z_OK)
                throw fail("zlib init failed");
            s.next_in = const_cast<Bytef*>(&z[dataStart]);
            s.avail_in = uInt(compSize);
            s.next_out = data.data();
            s.avail_out = uInt(size);
            const int rc = inflate(&s, Z_FINISH);
            inflateEnd(&s);
            if (rc != Z_STREAM_END || s.total_out != size)
                throw fail("member '" + name + "' does not inflate");
        } else {
            throw fail("member '" + name + "' uses unsupported compression method " + std::to_string(method));
        }
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0)
            name.resize(name.size() - 4);
        out.emplace(name, NpyFile::parse(data.data(), data.size(), path + "[" + name + "]"));
    }
    return out;
}

} // namespace ssondo
