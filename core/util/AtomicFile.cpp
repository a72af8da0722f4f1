// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/AtomicFile.h"

#include "util/Error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace ssondo {

namespace {

void fsyncPath(const std::string& path, bool directory)
{
    const int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
    if (fd < 0)
        return;
    ::fsync(fd);
    ::close(fd);
}

} // namespace

void writeFileAtomicWith(const std::string& path, const std::function<void(const std::string&)>& writer)
{
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    try {
        writer(tmp);
    } catch (...) {
        std::remove(tmp.c_str());
        throw;
    }
    fsyncPath(tmp, false);
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        std::remove(tmp.c_str());
        throw Error(path + ": cannot replace the file: " + why);
    }
    const auto parent = std::filesystem::path(path).parent_path();
    fsyncPath(parent.empty() ? "." : parent.string(), true);
}

void writeFileAtomic(const std::string& path, const std::string& content)
{
    writeFileAtomicWith(path, [&](const std::string& tmp) {
        const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0)
            throw Error(path + ": cannot write: " + std::strerror(errno));
        size_t off = 0;
        while (off < content.size()) {
            const ssize_t n = ::write(fd, content.data() + off, content.size() - off);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                const std::string why = std::strerror(errno);
                ::close(fd);
                throw Error(path + ": write failed (" + why + "); the previous version is kept");
            }
            off += size_t(n);
        }
        if (::fsync(fd) != 0 || ::close(fd) != 0)
            throw Error(path + ": write failed (" + std::string(std::strerror(errno)) +
                        "); the previous version is kept");
    });
}

std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path + ": cannot read");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace ssondo
