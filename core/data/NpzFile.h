// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/NpyFile.h"

#include <map>
#include <string>

namespace ssondo {

/// Reads NumPy .npz archives (np.savez: stored; np.savez_compressed: deflate) into float32 arrays
/// keyed by array name (the member name without ".npy"). Throws InputError naming the file on a
/// damaged archive or member.
class NpzFile
{
public:
    static std::map<std::string, NpyArray> read(const std::string& path);
    /// Writes float32 arrays (name → shape, values) as np.savez does: a zip of stored NAME.npy
    /// members with their CRC-32, written atomically.
    static void
    write(const std::string& path,
          const std::map<std::string, std::pair<std::vector<std::int64_t>, const float*>>& arrays);
};

} // namespace ssondo
