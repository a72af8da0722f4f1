// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Writes one fuzz input to a real file so that the targets call the readers' public path-based API,
// the code users run. The file lives in /dev/shm (RAM) when it exists, is named after the process and
// the extension, and is removed at the end of the execution (libFuzzer may leave through _Exit, which
// runs no static destructor; only an input that crashes the reader leaves its file behind).

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace fuzz {

class InputFile
{
public:
    InputFile(const std::string& stem, const std::string& extension, const std::uint8_t* bytes,
              std::size_t size)
        : m_path(directory() + "/ssondo-fuzz-" + stem + "-" + std::to_string(::getpid()) + extension)
    {
        std::FILE* f = std::fopen(m_path.c_str(), "wb");
        if (!f || (size > 0 && std::fwrite(bytes, 1, size, f) != size) || std::fclose(f) != 0) {
            std::perror(m_path.c_str());
            std::abort(); // the harness, not the reader, failed: stop rather than report nonsense
        }
    }
    ~InputFile() { ::unlink(m_path.c_str()); }
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    const std::string& path() const { return m_path; }

private:
    static const std::string& directory()
    {
        static const std::string dir = [] {
            struct stat st;
            return std::string(::stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp");
        }();
        return dir;
    }

    std::string m_path;
};

} // namespace fuzz
