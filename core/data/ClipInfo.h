// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace ssondo {

/// One file of a dataset as scanned.
struct ClipInfo
{
    std::string path;  ///< relative to the dataset root, '/' separated
    std::string label; ///< "" when unlabelled; several labels are joined by ';'
    int fold = -1;     ///< cross-validation fold, -1 when none
    std::string split; ///< "train", "valid", "test" or ""
    /// Datasets whose labels can be unknown (OpenMIC): the labels annotated for this clip, positive
    /// (also in `label`) or negative, joined by ';'. "" elsewhere: every label is known.
    std::string known;
    std::int64_t frames = 0; ///< samples per channel
    int sampleRate = 0;      ///< Hz
    int channels = 0;
    std::string format;     ///< e.g. "wav/pcm16"
    std::int64_t bytes = 0; ///< file size
    std::string error;      ///< why the file is unreadable; "" when readable

    bool readable() const { return error.empty(); }
    double durationSeconds() const { return sampleRate > 0 ? double(frames) / sampleRate : 0.0; }
};

} // namespace ssondo
