#pragma once

// Writes each fuzz input to a real file so that the targets call the readers' public path-based API,
// the code users run. The file lives in /dev/shm (RAM) when it exists, one per process and extension,
// and is removed at exit.

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
    explicit InputFile(const std::string& stem, const std::string& extension)
    {
        struct stat st;
        const std::string dir = (::stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode)) ? "/dev/shm" : "/tmp";
        m_path = dir + "/ssondo-fuzz-" + stem + "-" + std::to_string(::getpid()) + extension;
    }
    ~InputFile() { std::remove(m_path.c_str()); }
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    /// Replaces the file's content with `bytes`; returns its path.
    const std::string& write(const std::uint8_t* bytes, std::size_t size)
    {
        std::FILE* f = std::fopen(m_path.c_str(), "wb");
        if (!f || (size > 0 && std::fwrite(bytes, 1, size, f) != size) || std::fclose(f) != 0) {
            std::perror(m_path.c_str());
            std::abort(); // the harness, not the reader, failed: stop rather than report nonsense
        }
        return m_path;
    }

private:
    std::string m_path;
};

} // namespace fuzz
