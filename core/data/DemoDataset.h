// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ssondo {

class ProgressSink;

struct DemoDatasetOptions
{
    int clipsPerClass = 25; ///< 12 classes → 300 clips by default
    std::uint64_t seed = 42;
    double minSeconds = 2.0; ///< clip durations are uniform in [minSeconds, maxSeconds]
    double maxSeconds = 6.0;
    bool mixedFormats = true; ///< some clips as FLAC / Ogg Vorbis, mixed rates and channel counts
    int folds = 5;            ///< written to labels.csv, stratified by class
};

/// Synthesizes a labelled audio dataset with no download: one sub-folder per class of distinct,
/// recognisable sounds (harmonic tones of different timbres, plucked strings, noise colours,
/// chirps, click trains, AM and FM tones, tone-in-noise mixtures), at mixed sample rates and channel
/// counts so the whole front end is exercised. Bit-for-bit reproducible for a seed (own RNG on top
/// of mt19937_64, no platform-defined distributions). Also writes `labels.csv` (path,label,fold).
class DemoDataset
{
public:
    static const std::vector<std::string>& classNames();

    /// Writes the clips under outDir (created). Returns the number of files written.
    static int generate(const std::string& outDir, const DemoDatasetOptions& options = {},
                        ProgressSink* sink = nullptr);

    /// The mono waveform of one clip at `sampleRate`, for tests. classIndex < classNames().size().
    static std::vector<float> synthesize(int classIndex, std::uint64_t clipSeed, double seconds,
                                         int sampleRate);
};

} // namespace ssondo
