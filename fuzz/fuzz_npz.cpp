// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: NpzFile::read on arbitrary bytes (zip central directory, stored and deflated
// members, each member parsed as .npy). InputError is the expected refusal; anything else is a bug.

#include "FuzzInput.h"

#include "data/NpzFile.h"
#include "util/Error.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const fuzz::InputFile file("npz", ".npz", data, size);
    try {
        const auto arrays = ssondo::NpzFile::read(file.path());
        for (const auto& [name, a] : arrays)
            if (a.size() < 0 || std::size_t(a.size()) != a.data.size())
                std::abort();
    } catch (const ssondo::Error&) {
    }
    return 0;
}
