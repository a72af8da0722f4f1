// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: NpyFile::read on arbitrary bytes. InputError is the reader's documented way to
// refuse a bad file; any other exception, a crash, a sanitizer report, a leak, an allocation over
// -malloc_limit_mb or a hang is a bug.

#include "FuzzInput.h"

#include "data/NpyFile.h"
#include "util/Error.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const fuzz::InputFile file("npy", ".npy", data, size);
    try {
        const ssondo::NpyArray a = ssondo::NpyFile::read(file.path());
        // A parsed array must be self-consistent: as many values as its shape says.
        if (a.size() < 0 || std::size_t(a.size()) != a.data.size())
            std::abort();
    } catch (const ssondo::Error&) {
    }
    // The in-memory entry point (used for .npz members); libFuzzer passes an exact-size heap copy, so
    // ASan sees any read past the end.
    try {
        const ssondo::NpyArray a = ssondo::NpyFile::parse(data, size, "fuzz.npy");
        if (a.size() < 0 || std::size_t(a.size()) != a.data.size())
            std::abort();
    } catch (const ssondo::Error&) {
    }
    return 0;
}
